// What a C++ metadata file includes ([autogenerate] metadata = "models.cpp"): the whole public API
// and RETORT_METADATA, which defines the function that declares the schema autogenerate compares
// the database with.
//
//   #include <retort/migrate/cpp_metadata.hpp>
//
//   RETORT_METADATA(metadata) {
//     metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
//                    retort::Column("email", retort::String{200}).not_null().unique());
//   }
#pragma once

#include <retort/migrate/autogenerate/declared_metadata.hpp>
#include <retort/retort.hpp>
