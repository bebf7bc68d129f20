# Installation and packaging: the library and its export set (find_package(retort) ->
# retort::retort), the public headers under include/retort/, the `retort` program, the project
# templates, and a pkg-config file. Included at the end of the top-level CMakeLists.txt, once every
# target exists, because the package's dependencies are read from what `retort` links.
include(CMakePackageConfigHelpers)

set(RETORT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/retort"
    CACHE STRING "Where retortConfig.cmake is installed, relative to the prefix")
set(_retort_package_dir ${PROJECT_BINARY_DIR}/package)   # generated package files

# --- What retort links ------------------------------------------------------------------------
# Walks the link libraries of `retort` (and of any in-project library it links, which then joins the
# export set) and sorts each dependency into:
#   _retort_export_targets    in-project targets to install with EXPORT retortTargets
#   _retort_config_lines      CMake lines that recreate the imported targets in retortConfig.cmake
#   _retort_pc_requires       pkg-config modules (for retort.pc)
#   _retort_pc_libs           plain linker flags (for retort.pc)
set(_retort_export_targets retort)
set(_retort_config_lines "")
set(_retort_pc_requires "")
set(_retort_pc_libs "")
set(_retort_seen "")

# The CMake package that provides a well-known imported target, and its pkg-config module.
function(_retort_known_target target out_package out_module)
  set(package "")
  set(module "")
  if(target MATCHES "^fmt::")
    set(package fmt)
    set(module fmt)
  elseif(target STREQUAL "Threads::Threads")
    set(package Threads)
  elseif(target STREQUAL "PostgreSQL::PostgreSQL")
    set(package PostgreSQL)
    set(module libpq)
  elseif(target STREQUAL "SQLite::SQLite3")
    set(package SQLite3)
    set(module sqlite3)
  elseif(target STREQUAL "ODBC::ODBC")
    set(package ODBC)
    set(module odbc)
  elseif(target MATCHES "^tomlplusplus::")
    set(package tomlplusplus)
    set(module tomlplusplus)
  elseif(target MATCHES "^CLI11::")
    set(package CLI11)
  elseif(target MATCHES "^([A-Za-z0-9_]+)::")
    set(package ${CMAKE_MATCH_1})
    message(STATUS "retort install: guessing find_dependency(${package}) for ${target}")
  endif()
  set(${out_package} "${package}" PARENT_SCOPE)
  set(${out_module} "${module}" PARENT_SCOPE)
endfunction()

# The pkg-config module specs behind a PkgConfig::<prefix> target, from pkg_check_modules' cache.
function(_retort_pkgconfig_modules prefix out)
  set(modules "")
  if(DEFINED __pkg_config_arguments_${prefix})
    foreach(arg IN LISTS __pkg_config_arguments_${prefix})
      if(NOT arg MATCHES "^(REQUIRED|QUIET|IMPORTED_TARGET|GLOBAL|NO_CMAKE_PATH|NO_CMAKE_ENVIRONMENT_PATH)$")
        list(APPEND modules "${arg}")
      endif()
    endforeach()
  elseif(DEFINED ${prefix}_MODULE_NAME)
    set(modules "${${prefix}_MODULE_NAME}")
  endif()
  set(${out} "${modules}" PARENT_SCOPE)
endfunction()

macro(_retort_collect_links target)
  get_target_property(_retort_links_${target} ${target} LINK_LIBRARIES)
  get_target_property(_retort_ilinks_${target} ${target} INTERFACE_LINK_LIBRARIES)
  foreach(_item IN LISTS _retort_links_${target} _retort_ilinks_${target})
    # Unwrap $<LINK_ONLY:x>; skip the ::@(dir) markers CMake adds for links made in other folders,
    # and any other generator expression (which we cannot evaluate here).
    if(_item MATCHES "^\\$<LINK_ONLY:(.+)>$")
      set(_item "${CMAKE_MATCH_1}")
    endif()
    if(_item STREQUAL "" OR _item MATCHES "^::@" OR _item MATCHES "NOTFOUND$")
      continue()
    endif()
    if(_item MATCHES "^\\$<")
      message(STATUS "retort install: not exporting generator expression ${_item} to retort.pc")
      continue()
    endif()
    if(_item IN_LIST _retort_seen)
      continue()
    endif()
    list(APPEND _retort_seen "${_item}")
    set(_built_here FALSE)
    if(TARGET ${_item})
      get_target_property(_aliased ${_item} ALIASED_TARGET)
      if(_aliased)
        set(_item ${_aliased})
      endif()
      get_target_property(_imported ${_item} IMPORTED)
      if(NOT _imported)
        set(_built_here TRUE)
      endif()
    endif()
    # Imported targets are matched by name: one made in a subfolder (pkg_check_modules or
    # find_package without GLOBAL) is not visible from here.
    if(_built_here)
      if(NOT _item IN_LIST _retort_export_targets)
        list(APPEND _retort_export_targets ${_item})
        _retort_collect_links(${_item})
      endif()
    elseif(_item MATCHES "::")
      if(_item MATCHES "^PkgConfig::(.+)$")
        set(_prefix "${CMAKE_MATCH_1}")
        _retort_pkgconfig_modules(${_prefix} _modules)
        if(_modules STREQUAL "")
          message(WARNING "retort install: cannot tell which pkg-config module ${_item} is")
        else()
          list(JOIN _modules " " _modules_text)
          string(APPEND _retort_config_lines
            "_retort_pkg_dependency(${_prefix} ${_modules_text})\n")
          foreach(_module IN LISTS _modules)
            # "libpq>=12" -> "libpq >= 12", the .pc spelling
            string(REGEX REPLACE "^([^<>=]+)([<>=]+)(.+)$" "\\1 \\2 \\3" _module "${_module}")
            list(APPEND _retort_pc_requires "${_module}")
          endforeach()
        endif()
      else()
        _retort_known_target(${_item} _package _module)
        if(_package STREQUAL "Threads")
          string(APPEND _retort_config_lines
            "set(THREADS_PREFER_PTHREAD_FLAG ON)\nfind_dependency(Threads)\n")
          list(APPEND _retort_pc_libs "-pthread")
        elseif(NOT _package STREQUAL "")
          string(APPEND _retort_config_lines "find_dependency(${_package})\n")
          if(NOT _module STREQUAL "")
            list(APPEND _retort_pc_requires "${_module}")
          endif()
        endif()
      endif()
    elseif(TARGET ${_item})
      message(STATUS "retort install: imported target ${_item} not described in the package")
    elseif(_item MATCHES "^-")
      list(APPEND _retort_pc_libs "${_item}")
    elseif(IS_ABSOLUTE "${_item}")
      list(APPEND _retort_pc_libs "${_item}")
    else()
      list(APPEND _retort_pc_libs "-l${_item}")
    endif()
  endforeach()
endmacro()

_retort_collect_links(retort)
list(REMOVE_DUPLICATES _retort_pc_requires)
list(REMOVE_DUPLICATES _retort_pc_libs)
string(REGEX REPLACE "\n$" "" _retort_config_lines "${_retort_config_lines}")
set(RETORT_CONFIG_DEPENDENCIES "${_retort_config_lines}")

# Dialects built into this library (for consumers that want to know; the link dependencies above
# already follow from what was linked).
foreach(_flag RETORT_HAVE_POSTGRESQL RETORT_HAVE_MYSQL RETORT_HAVE_ODBC)
  if(${_flag})
    set(${_flag}_VALUE ON)
  else()
    set(${_flag}_VALUE OFF)
  endif()
endforeach()

# --- Targets ------------------------------------------------------------------------------------
install(TARGETS ${_retort_export_targets}
  EXPORT retortTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR}/retort/objects)

if(TARGET retort_cli)
  install(TARGETS retort_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# --- Headers: <retort/core/...>, <retort/retort.hpp>, ... --------------------------------------
foreach(_dir core dialects migrate orm)
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${_dir})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${_dir}/
      DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/retort/${_dir}
      FILES_MATCHING PATTERN "*.hpp")
  endif()
endforeach()
if(EXISTS ${PROJECT_SOURCE_DIR}/retort.hpp)
  install(FILES ${PROJECT_SOURCE_DIR}/retort.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/retort)
endif()

# --- Templates ---------------------------------------------------------------------------------
if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/templates)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/templates/
    DESTINATION ${CMAKE_INSTALL_DATADIR}/retort/templates
    PATTERN ".gitkeep" EXCLUDE)
endif()

# --- CMake package -----------------------------------------------------------------------------
install(EXPORT retortTargets
  NAMESPACE retort::
  FILE retortTargets.cmake
  DESTINATION ${RETORT_INSTALL_CMAKEDIR})

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/retortConfig.cmake.in
  ${_retort_package_dir}/retortConfig.cmake
  INSTALL_DESTINATION ${RETORT_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the API.
write_basic_package_version_file(
  ${_retort_package_dir}/retortConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${_retort_package_dir}/retortConfig.cmake
  ${_retort_package_dir}/retortConfigVersion.cmake
  DESTINATION ${RETORT_INSTALL_CMAKEDIR})

# --- pkg-config --------------------------------------------------------------------------------
# A static archive needs its dependencies on every link line, so for the (default) static library
# they go into Requires/Libs and a plain `pkg-config --libs retort` links; for a shared library they
# are Requires.private/Libs.private. fmt is public either way: the headers use it.
get_target_property(_retort_type retort TYPE)
set(RETORT_PC_REQUIRES "")
set(RETORT_PC_REQUIRES_PRIVATE "")
set(RETORT_PC_LIBS "")
set(RETORT_PC_LIBS_PRIVATE "")
foreach(_module IN LISTS _retort_pc_requires)
  if(_retort_type STREQUAL "STATIC_LIBRARY" OR _module MATCHES "^fmt( |$)")
    list(APPEND RETORT_PC_REQUIRES "${_module}")
  else()
    list(APPEND RETORT_PC_REQUIRES_PRIVATE "${_module}")
  endif()
endforeach()
if(_retort_type STREQUAL "STATIC_LIBRARY")
  set(RETORT_PC_LIBS "${_retort_pc_libs}")
else()
  set(RETORT_PC_LIBS_PRIVATE "${_retort_pc_libs}")
endif()
# In-project libraries that retort links (installed beside it) follow -lretort; a static one only
# when retort is static too (a shared retort has it inside).
set(RETORT_PC_LIBRARIES "-l$<TARGET_FILE_BASE_NAME:retort>")
foreach(_target IN LISTS _retort_export_targets)
  get_target_property(_type ${_target} TYPE)
  if(_target STREQUAL "retort")
    continue()
  endif()
  if(_type STREQUAL "SHARED_LIBRARY" OR
     (_type STREQUAL "STATIC_LIBRARY" AND _retort_type STREQUAL "STATIC_LIBRARY"))
    string(APPEND RETORT_PC_LIBRARIES " -l$<TARGET_FILE_BASE_NAME:${_target}>")
  endif()
endforeach()
list(JOIN RETORT_PC_REQUIRES ", " RETORT_PC_REQUIRES)
list(JOIN RETORT_PC_REQUIRES_PRIVATE ", " RETORT_PC_REQUIRES_PRIVATE)
list(JOIN RETORT_PC_LIBS " " RETORT_PC_LIBS)
list(JOIN RETORT_PC_LIBS_PRIVATE " " RETORT_PC_LIBS_PRIVATE)

# Relocatable: the prefix is found from the .pc file's own folder.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  message(WARNING "retort install: absolute CMAKE_INSTALL_LIBDIR, retort.pc uses the configured prefix")
  set(RETORT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  set(RETORT_PC_PREFIX "\${pcfiledir}/..")
  string(REGEX MATCHALL "[^/]+" _parts "${CMAKE_INSTALL_LIBDIR}")
  foreach(_part IN LISTS _parts)
    string(APPEND RETORT_PC_PREFIX "/..")
  endforeach()
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/retort.pc.in ${_retort_package_dir}/retort.pc.in @ONLY)
file(GENERATE OUTPUT ${_retort_package_dir}/retort.pc
  INPUT ${_retort_package_dir}/retort.pc.in)
install(FILES ${_retort_package_dir}/retort.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
