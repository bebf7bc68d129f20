// The registry of RETORT_METADATA functions (declared_metadata.hpp).
#include <retort/migrate/autogenerate/declared_metadata.hpp>

namespace retort::migrate::autogenerate {

MetadataBuilders& MetadataBuilders::instance() {
  static MetadataBuilders builders;
  return builders;
}

void MetadataBuilders::add(const char* key, MetadataBuilder builder) { builders_.emplace_back(key, builder); }

MetadataBuilder MetadataBuilders::find(const std::string& key) const {
  for (auto it = builders_.rbegin(); it != builders_.rend(); ++it)
    if (it->first == key) return it->second;
  return nullptr;
}

}  // namespace retort::migrate::autogenerate
