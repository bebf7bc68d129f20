// Conversions between fetched values and C++ types; lossy or impossible ones throw.
#include <retort/core/value.hpp>

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace retort::core {

Value::Value() = default;
Value::Value(Null) {}
Value::Value(std::nullopt_t) {}
Value::Value(std::nullptr_t) {}
Value::Value(bool v) : v_(v) {}
Value::Value(WideInteger v) : v_(v.value) {}
Value::Value(double v) : v_(v) {}
Value::Value(std::string v) : v_(std::move(v)) {}
Value::Value(std::string_view v) : v_(std::string(v)) {}
Value::Value(const char* v) {
  if (v) v_ = std::string(v);
}
Value::Value(Blob v) : v_(std::move(v)) {}
Value::Value(const Decimal& v) : v_(v.str()) {}
Value::Value(const LocalDate& v) : v_(v.str()) {}
Value::Value(const LocalTime& v) : v_(v.str()) {}
Value::Value(const LocalDateTime& v) : v_(v.str()) {}
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;
Value::~Value() = default;
bool Value::operator==(const Value& other) const { return v_ == other.v_; }

void Value::conversion_failed(const char* target) const {
  if (is_null())
    throw TypeConversionError(
        fmt::format("cannot convert NULL to {}; ask for std::optional<...> where a value may be "
                    "NULL",
                    target));
  throw TypeConversionError(fmt::format("cannot convert {} to {}", repr(), target));
}

std::int64_t Value::to_integer() const {
  switch (kind()) {
    case Kind::Integer: return std::get<std::int64_t>(v_);
    case Kind::Boolean: return std::get<bool>(v_) ? 1 : 0;
    case Kind::Real: {
      double d = std::get<double>(v_);
      if (std::trunc(d) == d && std::abs(d) < 9.2e18) return static_cast<std::int64_t>(d);
      conversion_failed("an integer");
    }
    case Kind::Text: {
      const auto& s = std::get<std::string>(v_);
      std::int64_t out = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec == std::errc{} && p == s.data() + s.size() && !s.empty()) return out;
      conversion_failed("an integer");
    }
    default: conversion_failed("an integer");
  }
}

double Value::to_real() const {
  switch (kind()) {
    case Kind::Real: return std::get<double>(v_);
    case Kind::Integer: return static_cast<double>(std::get<std::int64_t>(v_));
    case Kind::Boolean: return std::get<bool>(v_) ? 1.0 : 0.0;
    case Kind::Text: {
      const auto& s = std::get<std::string>(v_);
      double out = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec == std::errc{} && p == s.data() + s.size() && !s.empty()) return out;
      conversion_failed("a floating-point number");
    }
    default: conversion_failed("a floating-point number");
  }
}

std::string Value::to_text() const {
  switch (kind()) {
    case Kind::Text: return std::get<std::string>(v_);
    case Kind::Integer: return std::to_string(std::get<std::int64_t>(v_));
    case Kind::Real: return fmt::format("{}", std::get<double>(v_));
    case Kind::Boolean: return std::get<bool>(v_) ? "true" : "false";
    case Kind::Binary: {
      const auto& b = std::get<Blob>(v_);
      return std::string(b.begin(), b.end());
    }
    default: conversion_failed("a string");
  }
}

std::string Value::repr() const {
  switch (kind()) {
    case Kind::Null: return "NULL";
    case Kind::Boolean: return std::get<bool>(v_) ? "true" : "false";
    case Kind::Integer: return std::to_string(std::get<std::int64_t>(v_));
    case Kind::Real: return fmt::format("{}", std::get<double>(v_));
    case Kind::Text: return fmt::format("'{}'", std::get<std::string>(v_));
    case Kind::Binary: return fmt::format("<{} bytes>", std::get<Blob>(v_).size());
  }
  return "?";
}

}  // namespace retort::core
