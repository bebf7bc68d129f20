// Template lookup and rendering.
#include <retort/migrate/script/templates.hpp>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

std::vector<ProjectTemplate> project_templates() {
  std::map<std::string, ProjectTemplate> by_name;
  for (const auto& f : embedded_template_files()) {
    auto slash = f.path.find('/');
    if (slash == std::string::npos) continue;
    auto& t = by_name[f.path.substr(0, slash)];
    t.name = f.path.substr(0, slash);
    std::string rel = f.path.substr(slash + 1);
    if (rel == "README") t.description = f.content.substr(0, f.content.find('\n'));
    t.files.push_back({rel, f.content});
  }
  std::vector<ProjectTemplate> out;
  for (auto& [k, v] : by_name) out.push_back(std::move(v));
  return out;
}

ProjectTemplate project_template(const std::string& name) {
  std::string known;
  for (auto& t : project_templates()) {
    if (t.name == name) return t;
    known += (known.empty() ? "" : ", ") + t.name;
  }
  throw CommandError(fmt::format("no template '{}' (available: {}; see `retort list-templates`)", name, known));
}

std::string render_template(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "${") == 0) {
      auto close = text.find('}', i);
      if (close != std::string::npos) {
        auto it = vars.find(text.substr(i + 2, close - i - 2));
        if (it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace retort::migrate
