// A single bound or fetched value: NULL, boolean, integer, real, text or bytes.
// Decimals, dates and times (retort::Decimal, LocalDate, LocalTime,
// LocalDateTime), UUIDs and JSON travel as text
// in their canonical SQL spelling; as<Decimal>() and friends read them back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <retort/core/decimal.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/temporal.hpp>

namespace retort::core {

using Blob = std::vector<std::uint8_t>;

/// Tag for an explicit SQL NULL: Value(Null{}) (std::nullopt and nullptr work too).
struct Null {
  bool operator==(const Null&) const = default;
};

class Value {
 public:
  using Storage = std::variant<Null, bool, std::int64_t, double, std::string, Blob>;
  enum class Kind { Null, Boolean, Integer, Real, Text, Binary };

  // The constructors that store a value, the copies, moves and comparison are out of line
  // (value.cpp): inline, they would compile the variant's visitors in every translation unit.
  Value();
  Value(Null);
  Value(std::nullopt_t);
  // nullptr is NULL, as None is in SQLAlchemy: {"email", nullptr}, col == nullptr (IS NULL).
  Value(std::nullptr_t);
  Value(bool v);
  template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) Value(T v)
      : Value(WideInteger{static_cast<std::int64_t>(v)}) {}
  Value(float v) : Value(static_cast<double>(v)) {}
  Value(double v);
  Value(std::string v);
  Value(std::string_view v);
  Value(const char* v);  // a null char* is NULL too, not undefined behaviour
  Value(Blob v);
  Value(const Decimal& v);
  Value(const LocalDate& v);
  Value(const LocalTime& v);
  Value(const LocalDateTime& v);
  template <class T>
  Value(const std::optional<T>& v) {
    if (v) *this = Value(*v);
  }
  Value(const Value&);
  Value(Value&&) noexcept;
  Value& operator=(const Value&);
  Value& operator=(Value&&) noexcept;
  ~Value();

  Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
  bool is_null() const noexcept { return v_.index() == 0; }
  const Storage& storage() const noexcept { return v_; }

  /// Converts to T (bool, any integer, float/double, std::string, Blob, Decimal, LocalDate,
  /// LocalTime, LocalDateTime, or std::optional of those). Throws TypeConversionError for NULL into a
  /// non-optional or an impossible conversion.
  template <class T>
  T as() const;

  /// Text for diagnostics: NULL, numbers as written, text quoted.
  std::string repr() const;

  bool operator==(const Value&) const;

 private:
  struct WideInteger {  // the integral constructors' one target
    std::int64_t value;
  };
  explicit Value(WideInteger v);
  Storage v_;

  [[noreturn]] void conversion_failed(const char* target) const;
  std::int64_t to_integer() const;
  double to_real() const;
  std::string to_text() const;
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
T Value::as() const {
  if constexpr (is_optional<T>::value) {
    if (is_null()) return std::nullopt;
    return as<typename T::value_type>();
  } else if constexpr (std::is_same_v<T, Value>) {
    return *this;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto* b = std::get_if<bool>(&v_)) return *b;
    return to_integer() != 0;
  } else if constexpr (std::is_integral_v<T>) {
    std::int64_t v = to_integer();
    if (!std::in_range<T>(v)) conversion_failed("an integer of that size");
    return static_cast<T>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(to_real());
  } else if constexpr (std::is_same_v<T, std::string>) {
    return to_text();
  } else if constexpr (std::is_same_v<T, Decimal>) {
    if (auto* i = std::get_if<std::int64_t>(&v_)) return Decimal(*i);
    if (auto* d = std::get_if<double>(&v_)) return Decimal::from_double(*d);
    if (auto* s = std::get_if<std::string>(&v_)) return Decimal(*s);
    conversion_failed("a decimal");
  } else if constexpr (std::is_same_v<T, LocalDate> || std::is_same_v<T, LocalTime> ||
                       std::is_same_v<T, LocalDateTime>) {
    if (auto* s = std::get_if<std::string>(&v_)) return T::parse(*s);
    conversion_failed("a date or time");
  } else if constexpr (std::is_same_v<T, Blob>) {
    if (auto* b = std::get_if<Blob>(&v_)) return *b;
    if (auto* s = std::get_if<std::string>(&v_)) return Blob(s->begin(), s->end());
    conversion_failed("bytes");
  } else {
    static_assert(sizeof(T) == 0, "Value::as<T>: unsupported target type");
  }
}

}  // namespace retort::core
