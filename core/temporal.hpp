// Calendar values without a time zone, as SQL's DATE, TIME and TIMESTAMP hold them (named as
// java.time names them: "local" means no zone). Results of Date, Time and DateTime columns come
// back as their canonical text on every backend, row.get<retort::LocalDate>(...) and friends read
// them, and values of these types bind as that text.
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace retort::core {

struct LocalDate {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31, as the month allows
  /// Reads "YYYY-MM-DD". Throws TypeConversionError for other text or an impossible date.
  static LocalDate parse(std::string_view text);
  /// "YYYY-MM-DD". Throws ArgumentError for an impossible date (month 13, February 30).
  std::string str() const;
  auto operator<=>(const LocalDate&) const = default;
};

struct LocalTime {
  int hour = 0;
  int minute = 0;
  int second = 0;
  int microsecond = 0;
  /// Reads "HH:MM[:SS[.ffffff]]" (further fraction digits are dropped).
  static LocalTime parse(std::string_view text);
  /// "HH:MM:SS", then ".ffffff" when there are microseconds. Throws ArgumentError out of range.
  std::string str() const;
  auto operator<=>(const LocalTime&) const = default;
};

struct LocalDateTime {
  LocalDate date{};
  LocalTime time{};
  /// Reads "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.ffffff]]" or the same with 'T' for the space.
  /// A time zone (Z, +02, +02:00) is refused: a LocalDateTime has none.
  static LocalDateTime parse(std::string_view text);
  /// "YYYY-MM-DD HH:MM:SS[.ffffff]", as SQL writes a timestamp.
  std::string str() const;
  auto operator<=>(const LocalDateTime&) const = default;
};

}  // namespace retort::core
