# Generates a C++ source holding every file under templates/ as a string, so that the retort
# binary and library carry their templates wherever they are installed.
#   cmake -DTEMPLATES_DIR=... -DOUTPUT=... -P embed_templates.cmake
file(GLOB_RECURSE files RELATIVE ${TEMPLATES_DIR} ${TEMPLATES_DIR}/*)
list(SORT files)
set(body "")
foreach(f ${files})
  file(READ ${TEMPLATES_DIR}/${f} content)
  string(FIND "${content}" ")RETORT_TEMPLATE\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "templates/${f} contains the raw-string delimiter")
  endif()
  string(APPEND body "    {\"${f}\", R\"RETORT_TEMPLATE(${content})RETORT_TEMPLATE\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from templates/ by cmake/embed_templates.cmake: do not edit.
#include <retort/migrate/script/templates.hpp>

namespace retort::migrate {

const std::vector<TemplateFile>& embedded_template_files() {
  static const std::vector<TemplateFile> files = {
${body}  };
  return files;
}

}  // namespace retort::migrate
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
