# Installation and packaging: the library and its export set (find_package(retort) ->
# retort::retort, and retort::command_line for programs that run the command line), the public headers under include/retort/, the `retort` program, the project
# templates, and a pkg-config file. Included at the end of the top-level CMakeLists.txt, once every
# target exists, because the package's dependencies are read from what `retort` links.
include(CMakePackageConfigHelpers)

set(RETORT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/retort"
    CACHE STRING "Where retortConfig.cmake is installed, relative to the prefix")
set(_retort_package_dir ${PROJECT_BINARY_DIR}/package)   # generated package files

# --- What is installed --------------------------------------------------------------------------
# The umbrella and the layer libraries it links; its dependencies are stated in
# retortConfig.cmake.in (find_dependency) and retort.pc.in, not derived.
set(_retort_export_targets retort retort_core retort_dialects retort_sqlite retort_migrate
    retort_command_line)
set(_retort_dialects sqlite)
foreach(_dialect postgresql mysql)
  if(TARGET retort_${_dialect})
    list(APPEND _retort_export_targets retort_${_dialect})
    list(APPEND _retort_dialects ${_dialect})
  endif()
endforeach()
if(TARGET retort_shared)
  list(APPEND _retort_export_targets retort_shared)
endif()
# pkg-config's link line for the static libraries: each dialect's archive with the option that
# makes the linker keep its entry point (as its CMake target does), in one group because the
# dialects and migrate call into core and core into nothing (pkg-config drops a repeated -l).
set(_retort_dialect_libs "")
set(_retort_dialect_entries "")
foreach(_dialect IN LISTS _retort_dialects)
  string(APPEND _retort_dialect_libs " -lretort_${_dialect}")
  string(APPEND _retort_dialect_entries " -Wl,--undefined=retort_register_${_dialect}_dialect")
endforeach()
set(RETORT_PC_LIBRARIES
    "${_retort_dialect_entries} -Wl,--start-group -lretort_command_line -lretort_migrate ${_retort_dialect_libs} -lretort_core -Wl,--end-group")
string(STRIP "${RETORT_PC_LIBRARIES}" RETORT_PC_LIBRARIES)
string(REPLACE ";" " " RETORT_DIALECT_COMPONENTS "${_retort_dialects}")

# Dialects built into this library (for consumers that want to know).
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
# The public headers only: not the client libraries' function tables (*_api.hpp), nor the
# internals that only the library's own sources include.
set(_retort_private_headers engine_state.hpp connection_state.hpp owned_table.hpp dialect_entry_points.hpp shared_library.hpp catalog_reader.hpp header_cache.hpp builtin_impls.hpp child_process.hpp
    global_options.hpp output.hpp)
# The drivers' internals (they include the client libraries' function tables).
foreach(_part connection cursors cursor errors handles statement_cache statement_kinds values)
  list(APPEND _retort_private_headers mysql_${_part}.hpp postgresql_${_part}.hpp)
endforeach()
foreach(_dir core dialects migrate orm cli)
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${_dir})
    set(_excludes "")
    foreach(_header IN LISTS _retort_private_headers)
      list(APPEND _excludes PATTERN ${_header} EXCLUDE)
    endforeach()
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${_dir}/
      DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/retort/${_dir}
      FILES_MATCHING PATTERN "*.hpp"
      PATTERN "*_api.hpp" EXCLUDE
      ${_excludes})
  endif()
endforeach()
# The umbrellas: <retort/retort.hpp> = <retort/core.hpp> + <retort/migrate.hpp>.
install(FILES ${PROJECT_SOURCE_DIR}/retort.hpp ${PROJECT_SOURCE_DIR}/core.hpp ${PROJECT_SOURCE_DIR}/migrate.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/retort)

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
  ${CMAKE_CURRENT_LIST_DIR}/retort_add_migrations.cmake
  DESTINATION ${RETORT_INSTALL_CMAKEDIR})

# --- pkg-config --------------------------------------------------------------------------------
# Static libraries: their dependencies go on every link line (Libs). fmt is header-only, as in the
# CMake target (Requires.private brings its include flags), unless RETORT_FMT_HEADER_ONLY is off
# (Requires: fmt, which links libfmt).
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
# retort-shared.pc: the shared library, libretort.so, which holds core, migrate and every dialect.
if(TARGET retort_shared)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/retort-shared.pc.in ${_retort_package_dir}/retort-shared.pc @ONLY)
  install(FILES ${_retort_package_dir}/retort-shared.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
