# Include folders per layer. Code includes itself as <retort/...> both in the tree and once
# installed; in the build tree each layer's library sees, under <retort/...>, only the folders it
# may depend on (design.md section 1), so a wrong-way include fails to compile:
#   layers/core      retort/core
#   layers/dialects  retort/core, retort/dialects
#   layers/migrate   retort/core, retort/migrate
#   layers/orm       retort/core, retort/orm
#   include          everything public (core, dialects, migrate, orm, cli, and the umbrella headers
#                    retort.hpp, core.hpp, migrate.hpp): for the umbrella
#                    target, the CLI, tests, examples and benchmarks
# The entries are relative links into the source tree, checked at every configure and remade
# when they point elsewhere (a moved tree), so the build never exposes the whole checkout or
# itself.

# retort_layer_include_folder(<folder> <entry>...): makes <folder>/retort/<entry> link to the
# source tree's <entry> for each entry that exists there.
function(retort_layer_include_folder folder)
  set(root ${folder}/retort)
  # An older build linked <folder>/retort itself to the source root: replace it with a folder.
  if(IS_SYMLINK ${root})
    file(REMOVE ${root})
  endif()
  file(MAKE_DIRECTORY ${root})
  foreach(entry IN LISTS ARGN)
    set(source ${PROJECT_SOURCE_DIR}/${entry})
    set(link ${root}/${entry})
    if(NOT EXISTS ${source})
      if(IS_SYMLINK ${link})
        file(REMOVE ${link})
      endif()
      continue()
    endif()
    file(RELATIVE_PATH target ${root} ${source})
    if(IS_SYMLINK ${link})
      file(READ_SYMLINK ${link} current)
      if(current STREQUAL target)
        continue()
      endif()
      file(REMOVE ${link})
    elseif(EXISTS ${link})
      message(FATAL_ERROR "${link} exists and is not a link: remove it and configure again")
    endif()
    file(CREATE_LINK ${target} ${link} SYMBOLIC)
  endforeach()
endfunction()

set(RETORT_LAYER_DIR ${PROJECT_BINARY_DIR}/layers)
set(RETORT_BUILD_INCLUDE_DIR ${PROJECT_BINARY_DIR}/include)
retort_layer_include_folder(${RETORT_LAYER_DIR}/core core)
retort_layer_include_folder(${RETORT_LAYER_DIR}/dialects core dialects)
retort_layer_include_folder(${RETORT_LAYER_DIR}/migrate core migrate)
retort_layer_include_folder(${RETORT_LAYER_DIR}/orm core orm)
retort_layer_include_folder(${RETORT_BUILD_INCLUDE_DIR} core dialects migrate orm cli retort.hpp core.hpp migrate.hpp)
