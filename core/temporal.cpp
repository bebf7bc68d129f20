// LocalDate, LocalTime and LocalDateTime: strict reading and canonical writing of ISO 8601 / SQL text.
#include <retort/core/temporal.hpp>

#include <cctype>

#include <fmt/format.h>

#include <retort/core/errors.hpp>

namespace retort::core {

namespace {

[[noreturn]] void malformed(std::string_view what, std::string_view text) {
  throw TypeConversionError(fmt::format("'{}' is not a {}", text, what));
}

/// Reads exactly `width` digits at `pos`.
bool digits(std::string_view s, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

bool valid_date(const LocalDate& d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in(d.year, d.month);
}

bool read_date(std::string_view s, LocalDate& d) {
  return s.size() == 10 && digits(s, 0, 4, d.year) && s[4] == '-' && digits(s, 5, 2, d.month) && s[7] == '-' &&
         digits(s, 8, 2, d.day) && valid_date(d);
}

bool read_time(std::string_view s, LocalTime& t) {
  t = LocalTime{};
  if (!digits(s, 0, 2, t.hour) || s.size() < 5 || s[2] != ':' || !digits(s, 3, 2, t.minute)) return false;
  std::size_t pos = 5;
  if (pos < s.size()) {
    if (s[pos] != ':' || !digits(s, pos + 1, 2, t.second)) return false;
    pos += 3;
    if (pos < s.size()) {
      if (s[pos] != '.' || pos + 1 == s.size()) return false;
      // Up to six fraction digits count; further ones (nanoseconds) are dropped.
      int scale = 100000;
      for (std::size_t i = pos + 1; i < s.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        t.microsecond += (s[i] - '0') * scale;
        scale /= 10;
      }
    }
  }
  return t.hour <= 23 && t.minute <= 59 && t.second <= 59;
}

}  // namespace

LocalDate LocalDate::parse(std::string_view text) {
  LocalDate d;
  if (!read_date(text, d)) malformed("date (YYYY-MM-DD)", text);
  return d;
}

std::string LocalDate::str() const {
  // Never write text that does not read back: a Value bound from {2024, 13, 40} would reach the
  // database as "2024-13-40".
  if (!valid_date(*this)) throw ArgumentError(fmt::format("{}-{}-{} is not a date", year, month, day));
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

LocalTime LocalTime::parse(std::string_view text) {
  LocalTime t;
  if (!read_time(text, t)) malformed("time (HH:MM:SS)", text);
  return t;
}

std::string LocalTime::str() const {
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || microsecond < 0 ||
      microsecond > 999999)
    throw ArgumentError(fmt::format("{}:{}:{}.{} is not a time of day", hour, minute, second, microsecond));
  auto out = fmt::format("{:02}:{:02}:{:02}", hour, minute, second);
  if (microsecond) out += fmt::format(".{:06}", microsecond);
  return out;
}

LocalDateTime LocalDateTime::parse(std::string_view text) {
  LocalDateTime dt;
  bool ok = read_date(text.substr(0, 10), dt.date);
  if (ok && text.size() > 10) ok = (text[10] == ' ' || text[10] == 'T') && read_time(text.substr(11), dt.time);
  if (!ok) malformed("date and time without a time zone (YYYY-MM-DD HH:MM:SS)", text);
  return dt;
}

std::string LocalDateTime::str() const { return date.str() + " " + time.str(); }

}  // namespace retort::core
