// Project and revision templates (the files under templates/, built into the library) and the
// ${name} substitution used to render them.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace retort::migrate {

struct TemplateFile {
  std::string path{};  // relative to templates/, e.g. "sql/retort.toml"
  std::string content{};
};

/// Every file under templates/, as built into the library.
const std::vector<TemplateFile>& embedded_template_files();

struct ProjectTemplate {
  std::string name{};                 // sql, cpp, multidb
  std::string description{};          // the first line of its README
  std::vector<TemplateFile> files{};  // paths relative to the template's folder
};

std::vector<ProjectTemplate> project_templates();
/// Throws CommandError listing the templates when `name` is unknown.
ProjectTemplate project_template(const std::string& name);

/// Replaces ${name} with vars[name]; an unknown ${name} is left as written.
std::string render_template(const std::string& text, const std::map<std::string, std::string>& vars);

}  // namespace retort::migrate
