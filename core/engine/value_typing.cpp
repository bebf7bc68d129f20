// conformed_to_type: one rule per declared type kind; anything a rule cannot read stays raw.
#include <retort/core/engine/value_typing.hpp>

#include <cmath>
#include <variant>

#include <retort/core/decimal.hpp>
#include <retort/core/temporal.hpp>

namespace retort::core {

namespace {

using Conformed = std::optional<Value>;

Conformed to_boolean(const Value& v) {
  if (v.kind() == Value::Kind::Integer) return Value(std::get<std::int64_t>(v.storage()) != 0);
  if (v.kind() != Value::Kind::Text) return std::nullopt;
  const auto& s = std::get<std::string>(v.storage());
  if (s == "1" || s == "t" || s == "true") return Value(true);
  if (s == "0" || s == "f" || s == "false") return Value(false);
  return std::nullopt;
}

Conformed to_integer(const Value& v) {
  if (v.kind() == Value::Kind::Real) {
    double d = std::get<double>(v.storage());
    if (std::trunc(d) != d || std::abs(d) >= 9.2e18) return std::nullopt;
    return Value(static_cast<std::int64_t>(d));
  }
  if (v.kind() != Value::Kind::Text) return std::nullopt;
  try {
    return Value(v.as<std::int64_t>());
  } catch (const TypeConversionError&) {
    return std::nullopt;
  }
}

Conformed to_real(const Value& v) {
  if (v.kind() != Value::Kind::Integer && v.kind() != Value::Kind::Text) return std::nullopt;
  try {
    return Value(v.as<double>());
  } catch (const TypeConversionError&) {
    return std::nullopt;
  }
}

Conformed to_decimal_text(const Value& v, const SqlType& type) {
  if (v.kind() != Value::Kind::Integer && v.kind() != Value::Kind::Real && v.kind() != Value::Kind::Text)
    return std::nullopt;
  try {
    Decimal d = v.kind() == Value::Kind::Real ? Decimal::from_double(std::get<double>(v.storage()), type.scale)
                                              : v.as<Decimal>();
    if (type.scale) d = d.with_scale(*type.scale);
    Value typed(d);
    if (typed == v) return std::nullopt;
    return typed;
  } catch (const TypeConversionError&) {
    return std::nullopt;
  }
}

/// Text rewritten through T's parse and str(): its canonical spelling.
template <class T>
Conformed to_canonical_text(const Value& v) {
  if (v.kind() != Value::Kind::Text) return std::nullopt;
  const auto& text = std::get<std::string>(v.storage());
  try {
    std::string canonical = T::parse(text).str();
    if (canonical == text) return std::nullopt;
    return Value(std::move(canonical));
  } catch (const TypeConversionError&) {
    return std::nullopt;
  }
}

}  // namespace

bool type_conforms_values(const SqlType& type) {
  switch (type.kind) {
    case TypeKind::Boolean:
    case TypeKind::Integer:
    case TypeKind::SmallInteger:
    case TypeKind::BigInteger:
    case TypeKind::Float:
    case TypeKind::Double:
    case TypeKind::Numeric:
    case TypeKind::Date: return true;
    // With a time zone the text carries an offset that these types do not hold: left as sent.
    case TypeKind::Time:
    case TypeKind::DateTime: return !type.timezone;
    default: return false;
  }
}

std::optional<Value> conformed_to_type(const Value& value, const SqlType& type) {
  if (value.is_null() || !type_conforms_values(type)) return std::nullopt;
  switch (type.kind) {
    case TypeKind::Boolean: return value.kind() == Value::Kind::Boolean ? std::nullopt : to_boolean(value);
    case TypeKind::Integer:
    case TypeKind::SmallInteger:
    case TypeKind::BigInteger: return value.kind() == Value::Kind::Integer ? std::nullopt : to_integer(value);
    case TypeKind::Float:
    case TypeKind::Double: return value.kind() == Value::Kind::Real ? std::nullopt : to_real(value);
    case TypeKind::Numeric: return to_decimal_text(value, type);
    case TypeKind::Date: return to_canonical_text<LocalDate>(value);
    case TypeKind::Time: return to_canonical_text<LocalTime>(value);
    case TypeKind::DateTime: return to_canonical_text<LocalDateTime>(value);
    default: return std::nullopt;
  }
}

}  // namespace retort::core
