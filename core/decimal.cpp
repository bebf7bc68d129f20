// Decimal: parsing, canonical text, rounding and comparison on decimal digit strings.
#include <retort/core/decimal.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include <retort/core/errors.hpp>

namespace retort::core {

namespace {

[[noreturn]] void malformed(std::string_view text) {
  throw TypeConversionError(fmt::format("'{}' is not a decimal number", text));
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string strip_leading_zeros(std::string digits) {
  auto first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0" : digits.substr(first);
}

/// Adds one to a string of decimal digits; true when it carried out of the top digit.
bool increment(std::string& digits) {
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it != '9') {
      ++*it;
      return false;
    }
    *it = '0';
  }
  return true;
}

}  // namespace

std::string Decimal::magnitude_text(std::int64_t value) {
  // Through unsigned: -INT64_MIN does not fit in a signed integer.
  auto magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  return std::to_string(magnitude);
}

Decimal::Decimal(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative_ = s.front() == '-';
    s.remove_prefix(1);
  }
  int exponent = 0;
  if (auto e = s.find_first_of("eE"); e != std::string_view::npos) {
    auto exp_text = s.substr(e + 1);
    bool exp_negative = !exp_text.empty() && exp_text.front() == '-';
    if (!exp_text.empty() && (exp_text.front() == '-' || exp_text.front() == '+')) exp_text.remove_prefix(1);
    if (exp_text.empty() || exp_text.size() > 4 || !all_digits(exp_text)) malformed(text);
    exponent = std::stoi(std::string(exp_text)) * (exp_negative ? -1 : 1);
    s = s.substr(0, e);
  }
  auto point = s.find('.');
  std::string_view whole = s.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? std::string_view() : s.substr(point + 1);
  if ((whole.empty() && fraction.empty()) || !all_digits(whole) || !all_digits(fraction)) malformed(text);
  std::string integer(whole);
  std::string frac(fraction);
  // Move the point by the exponent.
  if (exponent > 0) {
    int moved = std::min<int>(exponent, static_cast<int>(frac.size()));
    integer += frac.substr(0, static_cast<std::size_t>(moved));
    frac.erase(0, static_cast<std::size_t>(moved));
    integer.append(static_cast<std::size_t>(exponent - moved), '0');
  } else if (exponent < 0) {
    auto shift = static_cast<std::size_t>(-exponent);
    if (integer.size() < shift) integer.insert(0, shift - integer.size(), '0');
    frac = integer.substr(integer.size() - shift) + frac;
    integer.erase(integer.size() - shift);
  }
  integer_ = strip_leading_zeros(integer);
  fraction_ = frac;
  if (is_zero()) negative_ = false;  // no "-0"
}

Decimal Decimal::from_double(double value, std::optional<int> scale) {
  if (!std::isfinite(value)) throw TypeConversionError(fmt::format("{} is not a decimal number", value));
  Decimal d(fmt::format("{}", value));  // the shortest text that reads back as `value`
  return scale ? d.with_scale(*scale) : d;
}

std::string Decimal::str() const {
  std::string out = negative_ ? "-" : "";
  out += integer_;
  if (!fraction_.empty()) out += "." + fraction_;
  return out;
}

double Decimal::to_double() const {
  // from_chars: the C locale's '.', and no std::out_of_range for 1e400 (it gives infinity or 0).
  auto text = str();
  double out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec == std::errc::result_out_of_range) {
    double magnitude = integer_ == "0" ? 0.0 : HUGE_VAL;  // too small, or too large, for a double
    return negative_ ? -magnitude : magnitude;
  }
  (void)end;
  return out;
}

bool Decimal::is_zero() const noexcept {
  return integer_ == "0" && fraction_.find_first_not_of('0') == std::string::npos;
}

Decimal Decimal::with_scale(int scale) const {
  Decimal out = *this;
  auto wanted = static_cast<std::size_t>(std::max(scale, 0));
  if (out.fraction_.size() <= wanted) {
    out.fraction_.append(wanted - out.fraction_.size(), '0');
    return out;
  }
  bool round_up = out.fraction_[wanted] >= '5';
  out.fraction_.resize(wanted);
  if (round_up) {
    std::string digits = out.integer_ + out.fraction_;
    if (increment(digits)) digits.insert(0, "1");
    out.integer_ = strip_leading_zeros(digits.substr(0, digits.size() - wanted));
    out.fraction_ = digits.substr(digits.size() - wanted);
  }
  if (out.is_zero()) out.negative_ = false;
  return out;
}

int Decimal::compare(const Decimal& other) const noexcept {
  bool zero = is_zero(), other_zero = other.is_zero();
  if (zero && other_zero) return 0;
  bool neg = negative_ && !zero, other_neg = other.negative_ && !other_zero;
  if (neg != other_neg) return neg ? -1 : 1;
  // Same sign: compare magnitudes, then flip for negatives.
  int magnitude = 0;
  if (integer_.size() != other.integer_.size()) {
    magnitude = integer_.size() < other.integer_.size() ? -1 : 1;
  } else if (int c = integer_.compare(other.integer_); c != 0) {
    magnitude = c < 0 ? -1 : 1;
  } else {
    auto width = std::max(fraction_.size(), other.fraction_.size());
    std::string a = fraction_, b = other.fraction_;
    a.append(width - a.size(), '0');
    b.append(width - b.size(), '0');
    int order = a.compare(b);
    magnitude = order < 0 ? -1 : (order > 0 ? 1 : 0);
  }
  return neg ? -magnitude : magnitude;
}

}  // namespace retort::core
