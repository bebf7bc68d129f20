# retort_cpp_revision_host(TARGET): makes an executable able to load C++ revisions compiled at run
# time (migrate/script/revision_compiler). The revisions are shared objects that call retort's
# functions in the program itself, so the program exports its symbols (-rdynamic) and holds the
# whole of core and migrate (a static link would leave out what the program never calls). Its C++
# runtime is shared, so that program and revisions have one heap and one set of exception tables.
function(retort_cpp_revision_host target)
  set_target_properties(${target} PROPERTIES ENABLE_EXPORTS ON)
  # Link options come before the libraries on the command line; their later mention adds nothing twice.
  target_link_options(${target} PRIVATE "LINKER:--whole-archive" "$<TARGET_FILE:retort_core>"
                      "$<TARGET_FILE:retort_migrate>" "LINKER:--no-whole-archive")
endfunction()
