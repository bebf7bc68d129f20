// retort::Decimal, LocalDate, LocalTime and LocalDateTime on their own: reading, canonical text, rounding,
// comparison and the errors for text that is not one; and Value's conversions to them.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include <retort/retort.hpp>

using retort::Decimal;
using retort::LocalDate;
using retort::LocalDateTime;
using retort::LocalTime;

TEST_CASE("Decimal reads SQL's NUMERIC text exactly and writes it canonically", "[types]") {
  CHECK(Decimal("12.50").str() == "12.50");
  CHECK(Decimal("12.50").scale() == 2);
  CHECK(Decimal("-0.5").str() == "-0.5");
  CHECK(Decimal("+3").str() == "3");
  CHECK(Decimal(".5").str() == "0.5");
  CHECK(Decimal("007.10").str() == "7.10");
  CHECK(Decimal("-0.00").str() == "0.00");  // no negative zero
  CHECK(Decimal("1.5E+3").str() == "1500");
  CHECK(Decimal("1.25e-3").str() == "0.00125");
  CHECK(Decimal("123456789012345678901234567890.123456789").str() == "123456789012345678901234567890.123456789");
  CHECK(Decimal(std::numeric_limits<std::int64_t>::min()).str() == "-9223372036854775808");
  CHECK(Decimal::from_double(0.1).str() == "0.1");
  CHECK(Decimal::from_double(0.1 + 0.2, 2).str() == "0.30");
  CHECK(Decimal::from_double(1e21).str() == "1000000000000000000000");
  for (const char* bad : {"", "-", ".", "1.2.3", "12a", "1e", "NaN", "Infinity", " 1", "1,5"}) {
    INFO(bad);
    CHECK_THROWS_AS(Decimal(bad), retort::TypeConversionError);
  }
  CHECK_THROWS_AS(Decimal::from_double(std::numeric_limits<double>::infinity()), retort::TypeConversionError);
}

TEST_CASE("Decimal rounds half away from zero and compares by value", "[types]") {
  CHECK(Decimal("2.345").with_scale(2).str() == "2.35");
  CHECK(Decimal("-2.345").with_scale(2).str() == "-2.35");
  CHECK(Decimal("2.344").with_scale(2).str() == "2.34");
  CHECK(Decimal("9.995").with_scale(2).str() == "10.00");
  CHECK(Decimal("-0.004").with_scale(2).str() == "0.00");
  CHECK(Decimal("0.5").with_scale(0).str() == "1");
  CHECK(Decimal("7").with_scale(3).str() == "7.000");
  CHECK(Decimal("12.5") == Decimal("12.50"));
  CHECK(Decimal("0") == Decimal("-0.000"));
  CHECK(Decimal("-1") < Decimal("0.5"));
  CHECK(Decimal("-2.5") < Decimal("-2.4"));
  CHECK(Decimal("10") > Decimal("9.99"));
  CHECK(Decimal("12.25").to_double() == 12.25);
  CHECK(Decimal("1e400").to_double() == std::numeric_limits<double>::infinity());
  CHECK(Decimal("-1e-400").to_double() == 0.0);
  CHECK(std::is_eq(Decimal("12.5") <=> Decimal("12.50")));
  // A double is not exactly a decimal: it goes through from_double, never silently truncated.
  static_assert(!std::is_constructible_v<Decimal, double>);
  static_assert(std::is_constructible_v<Decimal, unsigned long long>);
  CHECK(Decimal(18446744073709551615ULL).str() == "18446744073709551615");
}

TEST_CASE("LocalDate LocalTime and LocalDateTime read ISO text strictly and write SQL's spelling", "[types]") {
  CHECK(LocalDate::parse("2024-02-29") == LocalDate{2024, 2, 29});
  CHECK(LocalDate{2024, 2, 9}.str() == "2024-02-09");
  CHECK(LocalTime::parse("13:45") == LocalTime{13, 45, 0, 0});
  CHECK(LocalTime::parse("13:45:07.5").str() == "13:45:07.500000");
  CHECK(LocalTime::parse("13:45:07.123456789").microsecond == 123456);
  CHECK(LocalDateTime::parse("2024-02-29T13:45:07").str() == "2024-02-29 13:45:07");
  CHECK(LocalDateTime::parse("2024-02-29") == LocalDateTime{{2024, 2, 29}, {}});
  CHECK(LocalDateTime::parse("2024-02-29 00:00:00.000001").time.microsecond == 1);
  CHECK(LocalDate{2024, 1, 31} < LocalDate{2024, 2, 1});
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-5", "24-01-05", "2024/01/05", ""}) {
    INFO(bad);
    CHECK_THROWS_AS(LocalDate::parse(bad), retort::TypeConversionError);
  }
  for (const char* bad : {"24:00:00", "12:60", "12:30:61", "12:30:00.", "1:30", "12:30:00+02"}) {
    INFO(bad);
    CHECK_THROWS_AS(LocalTime::parse(bad), retort::TypeConversionError);
  }
  // A LocalDateTime has no time zone: text with an offset is refused, not silently shifted.
  for (const char* bad : {"2024-02-29 13:45:07+00", "2024-02-29T13:45:07Z", "2024-02-29x13:45", "2024-02-29 "}) {
    INFO(bad);
    CHECK_THROWS_AS(LocalDateTime::parse(bad), retort::TypeConversionError);
  }
}

TEST_CASE("Values hold decimals and dates as their text and convert back", "[types]") {
  retort::Value price(Decimal("19.90"));
  CHECK(price.kind() == retort::Value::Kind::Text);
  CHECK(price.as<std::string>() == "19.90");
  CHECK(price.as<Decimal>() == Decimal("19.9"));
  CHECK(retort::Value(42).as<Decimal>().str() == "42");
  CHECK(retort::Value(2.5).as<Decimal>().str() == "2.5");
  CHECK(retort::Value(LocalDate{2024, 2, 29}).as<LocalDate>() == LocalDate{2024, 2, 29});
  CHECK(retort::Value(LocalDateTime{{2024, 2, 29}, {1, 2, 3, 0}}).as<std::string>() == "2024-02-29 01:02:03");
  CHECK(retort::Value(LocalTime{1, 2, 3, 4}).as<LocalTime>().microsecond == 4);
  CHECK_FALSE(retort::Value(nullptr).as<std::optional<LocalDate>>().has_value());
  CHECK_THROWS_AS(retort::Value(true).as<Decimal>(), retort::TypeConversionError);
  CHECK_THROWS_AS(retort::Value(5).as<LocalDate>(), retort::TypeConversionError);
  CHECK_THROWS_AS(retort::Value("soon").as<LocalDateTime>(), retort::TypeConversionError);
  // An impossible date or time is refused before it could be bound as text.
  CHECK_THROWS_AS(retort::Value(LocalDate{2024, 13, 40}), retort::ArgumentError);
  CHECK_THROWS_AS(retort::Value(LocalDate{2023, 2, 29}), retort::ArgumentError);
  CHECK_THROWS_AS(retort::Value(LocalTime{24, 0, 0, 0}), retort::ArgumentError);
}
