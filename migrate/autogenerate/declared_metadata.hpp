// A C++ file that declares the schema autogenerate compares with ([autogenerate] metadata =
// "models.cpp", or --metadata): the CLI compiles it as it compiles C++ revisions (same compiler,
// flags and cache) and calls the function the macro defines with an empty MetaData.
//
//   #include <retort/migrate/cpp_metadata.hpp>
//
//   RETORT_METADATA(metadata) {
//     metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
//                    retort::Column("email", retort::String{200}).not_null().unique());
//   }
#pragma once

#include <string>
#include <vector>

#include <retort/core/schema/metadata.hpp>

namespace retort::migrate::autogenerate {

using MetadataBuilder = void (*)(core::MetaData&);

/// The RETORT_METADATA functions of this process, by the key they were compiled under.
class MetadataBuilders {
 public:
  static MetadataBuilders& instance();
  void add(const char* key, MetadataBuilder builder);
  /// The builder registered under `key`, or nullptr.
  MetadataBuilder find(const std::string& key) const;

 private:
  MetadataBuilders() = default;
  std::vector<std::pair<std::string, MetadataBuilder>> builders_;
};

/// Registers a builder at static initialisation (what RETORT_METADATA expands to).
struct MetadataBuilderRegistrar {
  MetadataBuilderRegistrar(const char* key, MetadataBuilder builder) { MetadataBuilders::instance().add(key, builder); }
};

}  // namespace retort::migrate::autogenerate

#ifndef RETORT_REVISION_KEY
// Compiled outside retort's compiler: the builder registers under the file's path.
#define RETORT_REVISION_KEY __FILE__
#endif

/// Defines the function that declares the schema: RETORT_METADATA(metadata) { metadata.table(...); }
#define RETORT_METADATA(metadata)                                                                    \
  static void retort_metadata_builder_(::retort::core::MetaData& metadata);                          \
  static const ::retort::migrate::autogenerate::MetadataBuilderRegistrar retort_metadata_registrar_{ \
      RETORT_REVISION_KEY, &retort_metadata_builder_};                                               \
  static void retort_metadata_builder_(::retort::core::MetaData& metadata)
