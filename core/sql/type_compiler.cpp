// Generic type spellings.
#include <retort/core/sql/type_compiler.hpp>

#include <fmt/format.h>

#include <retort/core/errors.hpp>

namespace retort::core {

std::string TypeCompiler::process(const SqlType& t) const {
  switch (t.kind) {
    case TypeKind::Null: throw CompileError("cannot render a column of unknown (NULL) type");
    case TypeKind::Integer: return visit_integer(t);
    case TypeKind::SmallInteger: return visit_small_integer(t);
    case TypeKind::BigInteger: return visit_big_integer(t);
    case TypeKind::Boolean: return visit_boolean(t);
    case TypeKind::Float: return visit_float(t);
    case TypeKind::Double: return visit_double(t);
    case TypeKind::Numeric: return visit_numeric(t);
    case TypeKind::String: return visit_string(t);
    case TypeKind::Text: return visit_text(t);
    case TypeKind::Date: return visit_date(t);
    case TypeKind::Time: return visit_time(t);
    case TypeKind::DateTime: return visit_datetime(t);
    case TypeKind::Interval: return visit_interval(t);
    case TypeKind::LargeBinary: return visit_large_binary(t);
    case TypeKind::JSON: return visit_json(t);
    case TypeKind::UUID: return visit_uuid(t);
    case TypeKind::Enum: return visit_enum(t);
    case TypeKind::Named: return visit_named(t);
  }
  throw CompileError("unknown type kind");
}

std::string TypeCompiler::visit_float(const SqlType& t) const {
  return t.precision ? fmt::format("FLOAT({})", *t.precision) : "FLOAT";
}
std::string TypeCompiler::visit_numeric(const SqlType& t) const {
  if (t.precision && t.scale) return fmt::format("NUMERIC({}, {})", *t.precision, *t.scale);
  if (t.precision) return fmt::format("NUMERIC({})", *t.precision);
  return "NUMERIC";
}
std::string TypeCompiler::visit_string(const SqlType& t) const {
  return t.length ? fmt::format("VARCHAR({})", *t.length) : "VARCHAR";
}
std::string TypeCompiler::visit_time(const SqlType& t) const { return t.timezone ? "TIME WITH TIME ZONE" : "TIME"; }
std::string TypeCompiler::visit_datetime(const SqlType& t) const {
  return t.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
}
std::string TypeCompiler::visit_enum(const SqlType& t) const {
  // Without native enums, the longest value bounds a VARCHAR (a CHECK is added by the DDL).
  std::size_t longest = 1;
  for (const auto& v : t.enum_values) longest = std::max(longest, v.size());
  return fmt::format("VARCHAR({})", longest);
}
std::string TypeCompiler::visit_named(const SqlType& t) const {
  if (!t.dialect.empty() && !dialect_name().empty() && t.dialect != dialect_name())
    throw CompileError(
        fmt::format("type {} belongs to the {} dialect and cannot be used on {}", t.name, t.dialect, dialect_name()));
  return t.name;
}

}  // namespace retort::core
