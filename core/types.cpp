// Printing and construction of SQL type values.
#include <retort/core/types.hpp>

#include <retort/core/text.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace retort::core {

Float::operator SqlType() const {
  SqlType t{TypeKind::Float};
  t.precision = precision;
  return t;
}
Numeric::operator SqlType() const {
  SqlType t{TypeKind::Numeric};
  t.precision = precision;
  t.scale = scale;
  return t;
}
String::operator SqlType() const {
  SqlType t{TypeKind::String};
  t.length = length;
  return t;
}
Time::operator SqlType() const {
  SqlType t{TypeKind::Time};
  t.timezone = timezone;
  return t;
}
DateTime::operator SqlType() const {
  SqlType t{TypeKind::DateTime};
  t.timezone = timezone;
  return t;
}
Enum::operator SqlType() const {
  SqlType t{TypeKind::Enum};
  t.enum_values = values;
  t.name = name;
  return t;
}
NamedType::operator SqlType() const {
  SqlType t{TypeKind::Named};
  t.name = sql;
  t.dialect = dialect;
  return t;
}

std::string SqlType::kind_name() const {
  switch (kind) {
    case TypeKind::Null: return "NullType";
    case TypeKind::Integer: return "Integer";
    case TypeKind::SmallInteger: return "SmallInteger";
    case TypeKind::BigInteger: return "BigInteger";
    case TypeKind::Boolean: return "Boolean";
    case TypeKind::Float: return "Float";
    case TypeKind::Double: return "Double";
    case TypeKind::Numeric: return "Numeric";
    case TypeKind::String: return "String";
    case TypeKind::Text: return "Text";
    case TypeKind::Date: return "Date";
    case TypeKind::Time: return "Time";
    case TypeKind::DateTime: return "DateTime";
    case TypeKind::Interval: return "Interval";
    case TypeKind::LargeBinary: return "LargeBinary";
    case TypeKind::JSON: return "JSON";
    case TypeKind::UUID: return "UUID";
    case TypeKind::Enum: return "Enum";
    case TypeKind::Named: return "NamedType";
  }
  return "?";
}

bool SqlType::is_numeric() const {
  switch (kind) {
    case TypeKind::Integer:
    case TypeKind::SmallInteger:
    case TypeKind::BigInteger:
    case TypeKind::Float:
    case TypeKind::Double:
    case TypeKind::Numeric: return true;
    default: return false;
  }
}

std::string SqlType::to_string() const {
  switch (kind) {
    case TypeKind::Null: return "NULL";
    case TypeKind::Integer: return "INTEGER";
    case TypeKind::SmallInteger: return "SMALLINT";
    case TypeKind::BigInteger: return "BIGINT";
    case TypeKind::Boolean: return "BOOLEAN";
    case TypeKind::Float: return precision ? fmt::format("FLOAT({})", *precision) : "FLOAT";
    case TypeKind::Double: return "DOUBLE PRECISION";
    case TypeKind::Numeric:
      if (precision && scale) return fmt::format("NUMERIC({}, {})", *precision, *scale);
      if (precision) return fmt::format("NUMERIC({})", *precision);
      return "NUMERIC";
    case TypeKind::String: return length ? fmt::format("VARCHAR({})", *length) : "VARCHAR";
    case TypeKind::Text: return "TEXT";
    case TypeKind::Date: return "DATE";
    case TypeKind::Time: return timezone ? "TIME WITH TIME ZONE" : "TIME";
    case TypeKind::DateTime: return timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
    case TypeKind::Interval: return "INTERVAL";
    case TypeKind::LargeBinary: return "BLOB";
    case TypeKind::JSON: return "JSON";
    case TypeKind::UUID: return "UUID";
    case TypeKind::Enum: return name.empty() ? "ENUM" : name;
    case TypeKind::Named: return name;
  }
  return "?";
}

std::string SqlType::to_cpp() const {
  switch (kind) {
    case TypeKind::Float: return precision ? fmt::format("retort::Float{{{}}}", *precision) : "retort::Float{}";
    case TypeKind::Numeric:
      if (precision && scale) return fmt::format("retort::Numeric{{{}, {}}}", *precision, *scale);
      if (precision) return fmt::format("retort::Numeric{{{}}}", *precision);
      return "retort::Numeric{}";
    case TypeKind::String: return length ? fmt::format("retort::String{{{}}}", *length) : "retort::String{}";
    case TypeKind::Time: return timezone ? "retort::Time{true}" : "retort::Time{}";
    case TypeKind::DateTime: return timezone ? "retort::DateTime{true}" : "retort::DateTime{}";
    case TypeKind::Enum: {
      std::vector<std::string> quoted;
      for (const auto& v : enum_values) quoted.push_back(cpp_string_literal(v));
      return fmt::format("retort::Enum{{{{{}}}, {}}}", fmt::join(quoted, ", "), cpp_string_literal(name));
    }
    case TypeKind::Named:
      return dialect.empty()
                 ? fmt::format("retort::NamedType{{{}}}", cpp_string_literal(name))
                 : fmt::format("retort::NamedType{{{}, {}}}", cpp_string_literal(name), cpp_string_literal(dialect));
    case TypeKind::Null: return "retort::SqlType{}";
    default: return fmt::format("retort::{}{{}}", kind_name());
  }
}

}  // namespace retort::core
