// The registry of compiled C++ revision steps (see compiled_revisions.hpp).
#include <retort/migrate/script/compiled_revisions.hpp>

namespace retort::migrate {

CompiledRevisions& CompiledRevisions::instance() {
  // Never destroyed: steps may register from shared objects loaded at any time.
  static auto* registry = new CompiledRevisions();
  return *registry;
}

void CompiledRevisions::add(const char* key, bool upgrade, RevisionStep step) {
  CompiledRevision* entry = nullptr;
  for (auto& r : revisions_)
    if (r.key == key) entry = &r;
  if (!entry) entry = &revisions_.emplace_back(CompiledRevision{key});
  // The same revision loaded twice (two objects holding one source) keeps its first steps.
  auto& slot = upgrade ? entry->upgrade : entry->downgrade;
  if (!slot) slot = step;
}

const CompiledRevision* CompiledRevisions::find(const std::string& key) const {
  for (const auto& r : revisions_)
    if (r.key == key) return &r;
  return nullptr;
}

}  // namespace retort::migrate
