// The SQL type of a column or expression, as a comparable value. Generic types (Integer,
// String{50}, ...) convert to SqlType; dialects map them to their own spelling and back.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace retort::core {

enum class TypeKind {
  Null,  // type not known (a bare literal NULL)
  Integer,
  SmallInteger,
  BigInteger,
  Boolean,
  Float,
  Double,
  Numeric,
  String,
  Text,
  Date,
  Time,
  DateTime,
  Interval,
  LargeBinary,
  JSON,
  UUID,
  Enum,
  Named,  // a dialect-specific type kept by name, e.g. INET or "TSVECTOR"
};

/// Integer, SmallInteger or BigInteger: the kinds that divide as integers.
constexpr bool is_integer_kind(TypeKind k) noexcept {
  return k == TypeKind::Integer || k == TypeKind::SmallInteger || k == TypeKind::BigInteger;
}

/// A SQL type. Fields unused by a kind stay empty; equality compares every field.
struct SqlType {
  SqlType(TypeKind k = TypeKind::Null) : kind(k) {}  // NOLINT: Integer{} etc. convert here

  TypeKind kind;
  std::optional<int> length;     // String: VARCHAR(n); none means unbounded
  std::optional<int> precision;  // Numeric(p, s); Float precision
  std::optional<int> scale;
  bool timezone = false;                 // DateTime / Time WITH TIME ZONE
  std::vector<std::string> enum_values;  // Enum
  std::string name;                      // Enum: the type name (PostgreSQL CREATE TYPE); Named: the SQL spelling
  std::string dialect;                   // Named: the dialect it belongs to ("" for any)

  bool operator==(const SqlType&) const = default;

  /// The kind's generic name, e.g. "String", "Numeric".
  std::string kind_name() const;
  /// Generic SQL spelling for messages and the generic dialect: VARCHAR(50), NUMERIC(10, 2).
  std::string to_string() const;
  /// C++ source that constructs this type, e.g. `retort::String{50}` (used by autogenerate).
  std::string to_cpp() const;
  /// Whether values of this type are numbers (for literal rendering and affinity).
  bool is_numeric() const;
};

// Generic type constructors: `Column("name", String{50})`. Fields have `{}` initializers so that
// trailing ones may be left out (Numeric{10}, NamedType{"INET"}) under -Wextra.
struct Integer {
  operator SqlType() const { return {TypeKind::Integer}; }
};
struct SmallInteger {
  operator SqlType() const { return {TypeKind::SmallInteger}; }
};
struct BigInteger {
  operator SqlType() const { return {TypeKind::BigInteger}; }
};
struct Boolean {
  operator SqlType() const { return {TypeKind::Boolean}; }
};
struct Float {
  std::optional<int> precision{};
  operator SqlType() const;
};
struct Double {
  operator SqlType() const { return {TypeKind::Double}; }
};
struct Numeric {
  std::optional<int> precision{};
  std::optional<int> scale{};
  operator SqlType() const;
};
struct String {
  std::optional<int> length{};
  operator SqlType() const;
};
struct Text {
  operator SqlType() const { return {TypeKind::Text}; }
};
struct Date {
  operator SqlType() const { return {TypeKind::Date}; }
};
struct Time {
  bool timezone = false;
  operator SqlType() const;
};
struct DateTime {
  bool timezone = false;
  operator SqlType() const;
};
struct Interval {
  operator SqlType() const { return {TypeKind::Interval}; }
};
struct LargeBinary {
  operator SqlType() const { return {TypeKind::LargeBinary}; }
};
struct JSON {
  operator SqlType() const { return {TypeKind::JSON}; }
};
struct UUID {
  operator SqlType() const { return {TypeKind::UUID}; }
};
struct Enum {
  std::vector<std::string> values{};
  std::string name{};  // the type's name where the database has named enum types
  operator SqlType() const;
};
/// A type only one dialect knows, kept by its SQL spelling: `NamedType{"INET", "postgresql"}`.
struct NamedType {
  std::string sql{};
  std::string dialect{};
  operator SqlType() const;
};

}  // namespace retort::core
