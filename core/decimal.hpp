// An exact decimal number, as SQL's NUMERIC/DECIMAL holds it: a sign, digits and a scale, kept
// as canonical text ("-12.50") and never as a binary fraction. Results of Numeric columns come
// back as this on every backend (row.get<retort::Decimal>("price")).
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace retort::core {

class Decimal {
 public:
  Decimal() = default;  // 0
  /// Parses "12.50", "-0.5", "+3", ".5", "1.5E+3". Throws TypeConversionError for anything else
  /// (and for NaN or infinity, which NUMERIC cannot hold on every database).
  explicit Decimal(std::string_view text);
  /// Any integer is exactly a decimal (NOLINT: implicit by design). A double is not: it goes
  /// through from_double, which says how it is rounded.
  template <std::integral I>
  requires(!std::same_as<I, bool>) Decimal(I value) {  // NOLINT
    if constexpr (std::is_signed_v<I>) {
      negative_ = value < 0;
      integer_ = magnitude_text(static_cast<std::int64_t>(value));
    } else {
      integer_ = std::to_string(value);
    }
  }
  Decimal(double) = delete;
  Decimal(float) = delete;
  /// The shortest decimal that reads back as `value`, or `value` rounded to `scale` digits.
  static Decimal from_double(double value, std::optional<int> scale = std::nullopt);

  /// Canonical text: an optional '-', the integer digits without leading zeros, and '.' with
  /// the fraction digits when the scale is above zero ("0.50", "-3", "120.0").
  std::string str() const;
  /// Digits after the point (trailing zeros count: 12.50 has scale 2).
  int scale() const noexcept { return static_cast<int>(fraction_.size()); }
  bool is_negative() const noexcept { return negative_; }
  double to_double() const;
  /// This number with `scale` fraction digits: padded with zeros, or rounded half away from
  /// zero (as PostgreSQL and MySQL round NUMERIC).
  Decimal with_scale(int scale) const;

  /// Numeric comparison: 12.5 == 12.50, as in SQL and Python's Decimal.
  friend bool operator==(const Decimal& a, const Decimal& b) noexcept { return a.compare(b) == 0; }
  /// Weak: 12.5 and 12.50 are equivalent but not the same text.
  friend std::weak_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
    int order = a.compare(b);
    if (order == 0) return std::weak_ordering::equivalent;
    return order < 0 ? std::weak_ordering::less : std::weak_ordering::greater;
  }

 private:
  static std::string magnitude_text(std::int64_t value);
  int compare(const Decimal& other) const noexcept;
  bool is_zero() const noexcept;
  bool negative_ = false;
  std::string integer_ = "0";  // no leading zeros ("0" for none)
  std::string fraction_{};     // as given: trailing zeros are the scale
};

}  // namespace retort::core
