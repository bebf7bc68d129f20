// Values across libpq: parameters sent in text format (bytea in binary) with their declared types,
// and fetched text-format fields converted into Values by their column's type.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <retort/core/value.hpp>
#include <retort/dialects/postgresql/libpq_api.hpp>

namespace retort::dialects::postgresql::detail {

// Type OIDs from pg_type.h (stable across versions).
inline constexpr Oid kBoolOid = 16;
inline constexpr Oid kByteaOid = 17;
inline constexpr Oid kInt8Oid = 20;
inline constexpr Oid kInt2Oid = 21;
inline constexpr Oid kInt4Oid = 23;
inline constexpr Oid kOidOid = 26;
inline constexpr Oid kFloat4Oid = 700;
inline constexpr Oid kFloat8Oid = 701;
inline constexpr Oid kUnknownOid = 0;  // let the server infer the type from the context

/// A fetched text-format value as a Value of the column's kind.
core::Value convert(Oid type, const char* text, int length);

/// The declared type of a parameter value (NULL and text: unknown).
Oid type_of(const core::Value& v);

/// libpq's parameter arrays for one row; values point into `params` or into `text_`.
class BoundParams {
 public:
  void bind(std::span<const core::Value* const> params);
  int count() const { return static_cast<int>(values.size()); }

  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;

 private:
  std::vector<std::string> text_;
};

}  // namespace retort::dialects::postgresql::detail
