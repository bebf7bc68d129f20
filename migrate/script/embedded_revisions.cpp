// The registry of revision files built into a program (see embedded_revisions.hpp).
#include <retort/migrate/script/embedded_revisions.hpp>

namespace retort::migrate {

EmbeddedRevisions& EmbeddedRevisions::instance() {
  // Never destroyed: registrars of other translation units run in any order.
  static auto* registry = new EmbeddedRevisions();
  return *registry;
}

void EmbeddedRevisions::add(const char* name, const char* text, std::size_t size) {
  files_.push_back({name, std::string_view(text, size)});
}

const EmbeddedRevisionFile* EmbeddedRevisions::find_path(std::string_view path) const {
  if (!is_embedded_path(path)) return nullptr;
  path.remove_prefix(std::string_view("embedded:").size());
  for (const auto& f : files_)
    if (f.name == path) return &f;
  return nullptr;
}

}  // namespace retort::migrate
