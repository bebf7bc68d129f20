// Generic SQL types (equality, SQL spelling, C++ source for autogenerate) and Value conversions.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <retort/retort.hpp>

using retort::SqlType;
using retort::TypeKind;
using retort::Value;

TEST_CASE("generic types convert to SqlType with the right kind and fields", "[types]") {
  CHECK(SqlType(retort::Integer{}).kind == TypeKind::Integer);
  CHECK(SqlType(retort::SmallInteger{}).kind == TypeKind::SmallInteger);
  CHECK(SqlType(retort::BigInteger{}).kind == TypeKind::BigInteger);
  CHECK(SqlType(retort::Boolean{}).kind == TypeKind::Boolean);
  CHECK(SqlType(retort::Double{}).kind == TypeKind::Double);
  CHECK(SqlType(retort::Text{}).kind == TypeKind::Text);
  CHECK(SqlType(retort::Date{}).kind == TypeKind::Date);
  CHECK(SqlType(retort::Interval{}).kind == TypeKind::Interval);
  CHECK(SqlType(retort::LargeBinary{}).kind == TypeKind::LargeBinary);
  CHECK(SqlType(retort::JSON{}).kind == TypeKind::JSON);
  CHECK(SqlType(retort::UUID{}).kind == TypeKind::UUID);
  CHECK(SqlType().kind == TypeKind::Null);

  SqlType f = retort::Float{24};
  CHECK(f.kind == TypeKind::Float);
  CHECK(f.precision == 24);
  SqlType n = retort::Numeric{10, 2};
  CHECK(n.kind == TypeKind::Numeric);
  CHECK(n.precision == 10);
  CHECK(n.scale == 2);
  SqlType s = retort::String{50};
  CHECK(s.kind == TypeKind::String);
  CHECK(s.length == 50);
  CHECK_FALSE(SqlType(retort::String{}).length.has_value());
  CHECK(SqlType(retort::Time{true}).timezone);
  CHECK_FALSE(SqlType(retort::Time{}).timezone);
  CHECK(SqlType(retort::DateTime{true}).timezone);
  SqlType e = retort::Enum{{"draft", "published"}, "status"};
  CHECK(e.kind == TypeKind::Enum);
  CHECK(e.enum_values == std::vector<std::string>{"draft", "published"});
  CHECK(e.name == "status");
  SqlType named = retort::NamedType{"INET", "postgresql"};
  CHECK(named.kind == TypeKind::Named);
  CHECK(named.name == "INET");
  CHECK(named.dialect == "postgresql");
}

TEST_CASE("types compare by value", "[types]") {
  CHECK(SqlType(retort::Integer{}) == SqlType(retort::Integer{}));
  CHECK(SqlType(retort::Integer{}) != SqlType(retort::BigInteger{}));
  CHECK(SqlType(retort::Integer{}) != SqlType(retort::SmallInteger{}));
  CHECK(SqlType(retort::Float{}) == SqlType(retort::Float{}));
  CHECK(SqlType(retort::Float{53}) == SqlType(retort::Float{53}));
  CHECK(SqlType(retort::Float{53}) != SqlType(retort::Float{24}));
  CHECK(SqlType(retort::Float{}) != SqlType(retort::Double{}));
  CHECK(SqlType(retort::Numeric{10, 2}) == SqlType(retort::Numeric{10, 2}));
  CHECK(SqlType(retort::Numeric{10, 2}) != SqlType(retort::Numeric{10, 3}));
  CHECK(SqlType(retort::Numeric{10, 2}) != SqlType(retort::Numeric{12, 2}));
  CHECK(SqlType(retort::Numeric{10}) != SqlType(retort::Numeric{10, 0}));
  CHECK(SqlType(retort::String{50}) == SqlType(retort::String{50}));
  CHECK(SqlType(retort::String{50}) != SqlType(retort::String{51}));
  CHECK(SqlType(retort::String{50}) != SqlType(retort::String{}));
  CHECK(SqlType(retort::String{}) != SqlType(retort::Text{}));
  CHECK(SqlType(retort::Time{}) != SqlType(retort::Time{true}));
  CHECK(SqlType(retort::DateTime{true}) == SqlType(retort::DateTime{true}));
  CHECK(SqlType(retort::DateTime{}) != SqlType(retort::DateTime{true}));
  CHECK(SqlType(retort::DateTime{}) != SqlType(retort::Date{}));
  CHECK(SqlType(retort::Enum{{"a", "b"}, "ab"}) == SqlType(retort::Enum{{"a", "b"}, "ab"}));
  CHECK(SqlType(retort::Enum{{"a", "b"}, "ab"}) != SqlType(retort::Enum{{"b", "a"}, "ab"}));
  CHECK(SqlType(retort::Enum{{"a", "b"}, "ab"}) != SqlType(retort::Enum{{"a", "b"}, "other"}));
  CHECK(SqlType(retort::Enum{{"a", "b"}}) != SqlType(retort::Enum{{"a", "b", "c"}}));
  CHECK(SqlType(retort::NamedType{"INET", "postgresql"}) == SqlType(retort::NamedType{"INET", "postgresql"}));
  CHECK(SqlType(retort::NamedType{"INET", "postgresql"}) != SqlType(retort::NamedType{"INET"}));
  CHECK(SqlType(retort::NamedType{"INET"}) != SqlType(retort::NamedType{"CIDR"}));
  CHECK(SqlType(retort::UUID{}) != SqlType(retort::NamedType{"UUID"}));
  CHECK(SqlType(retort::JSON{}) != SqlType(retort::Text{}));
  CHECK(SqlType(retort::LargeBinary{}) == SqlType(retort::LargeBinary{}));
}

TEST_CASE("to_string gives the generic SQL spelling", "[types]") {
  CHECK(SqlType().to_string() == "NULL");
  CHECK(SqlType(retort::Integer{}).to_string() == "INTEGER");
  CHECK(SqlType(retort::SmallInteger{}).to_string() == "SMALLINT");
  CHECK(SqlType(retort::BigInteger{}).to_string() == "BIGINT");
  CHECK(SqlType(retort::Boolean{}).to_string() == "BOOLEAN");
  CHECK(SqlType(retort::Float{}).to_string() == "FLOAT");
  CHECK(SqlType(retort::Float{53}).to_string() == "FLOAT(53)");
  CHECK(SqlType(retort::Double{}).to_string() == "DOUBLE PRECISION");
  CHECK(SqlType(retort::Numeric{}).to_string() == "NUMERIC");
  CHECK(SqlType(retort::Numeric{10}).to_string() == "NUMERIC(10)");
  CHECK(SqlType(retort::Numeric{10, 2}).to_string() == "NUMERIC(10, 2)");
  CHECK(SqlType(retort::String{}).to_string() == "VARCHAR");
  CHECK(SqlType(retort::String{50}).to_string() == "VARCHAR(50)");
  CHECK(SqlType(retort::Text{}).to_string() == "TEXT");
  CHECK(SqlType(retort::Date{}).to_string() == "DATE");
  CHECK(SqlType(retort::Time{}).to_string() == "TIME");
  CHECK(SqlType(retort::Time{true}).to_string() == "TIME WITH TIME ZONE");
  CHECK(SqlType(retort::DateTime{}).to_string() == "TIMESTAMP");
  CHECK(SqlType(retort::DateTime{true}).to_string() == "TIMESTAMP WITH TIME ZONE");
  CHECK(SqlType(retort::Interval{}).to_string() == "INTERVAL");
  CHECK(SqlType(retort::LargeBinary{}).to_string() == "BLOB");
  CHECK(SqlType(retort::JSON{}).to_string() == "JSON");
  CHECK(SqlType(retort::UUID{}).to_string() == "UUID");
  CHECK(SqlType(retort::Enum{{"a", "b"}}).to_string() == "ENUM");
  CHECK(SqlType(retort::Enum{{"a", "b"}, "mood"}).to_string() == "mood");
  CHECK(SqlType(retort::NamedType{"TSVECTOR", "postgresql"}).to_string() == "TSVECTOR");
}

TEST_CASE("kind_name and is_numeric", "[types]") {
  CHECK(SqlType(retort::Numeric{10, 2}).kind_name() == "Numeric");
  CHECK(SqlType(retort::String{5}).kind_name() == "String");
  CHECK(SqlType(retort::NamedType{"INET"}).kind_name() == "NamedType");
  CHECK(SqlType().kind_name() == "NullType");
  for (SqlType t : {SqlType(retort::Integer{}), SqlType(retort::SmallInteger{}), SqlType(retort::BigInteger{}),
                    SqlType(retort::Float{}), SqlType(retort::Double{}), SqlType(retort::Numeric{10, 2})})
    CHECK(t.is_numeric());
  for (SqlType t : {SqlType(retort::Boolean{}), SqlType(retort::String{}), SqlType(retort::Text{}),
                    SqlType(retort::Date{}), SqlType(retort::JSON{}), SqlType(retort::UUID{}), SqlType()})
    CHECK_FALSE(t.is_numeric());
}

TEST_CASE("to_cpp renders C++ source that builds the same type", "[types]") {
  CHECK(SqlType(retort::Integer{}).to_cpp() == "retort::Integer{}");
  CHECK(SqlType(retort::SmallInteger{}).to_cpp() == "retort::SmallInteger{}");
  CHECK(SqlType(retort::BigInteger{}).to_cpp() == "retort::BigInteger{}");
  CHECK(SqlType(retort::Boolean{}).to_cpp() == "retort::Boolean{}");
  CHECK(SqlType(retort::Float{}).to_cpp() == "retort::Float{}");
  CHECK(SqlType(retort::Float{53}).to_cpp() == "retort::Float{53}");
  CHECK(SqlType(retort::Double{}).to_cpp() == "retort::Double{}");
  CHECK(SqlType(retort::Numeric{}).to_cpp() == "retort::Numeric{}");
  CHECK(SqlType(retort::Numeric{10}).to_cpp() == "retort::Numeric{10}");
  CHECK(SqlType(retort::Numeric{10, 2}).to_cpp() == "retort::Numeric{10, 2}");
  CHECK(SqlType(retort::String{}).to_cpp() == "retort::String{}");
  CHECK(SqlType(retort::String{50}).to_cpp() == "retort::String{50}");
  CHECK(SqlType(retort::Text{}).to_cpp() == "retort::Text{}");
  CHECK(SqlType(retort::Date{}).to_cpp() == "retort::Date{}");
  CHECK(SqlType(retort::Time{}).to_cpp() == "retort::Time{}");
  CHECK(SqlType(retort::Time{true}).to_cpp() == "retort::Time{true}");
  CHECK(SqlType(retort::DateTime{}).to_cpp() == "retort::DateTime{}");
  CHECK(SqlType(retort::DateTime{true}).to_cpp() == "retort::DateTime{true}");
  CHECK(SqlType(retort::Interval{}).to_cpp() == "retort::Interval{}");
  CHECK(SqlType(retort::LargeBinary{}).to_cpp() == "retort::LargeBinary{}");
  CHECK(SqlType(retort::JSON{}).to_cpp() == "retort::JSON{}");
  CHECK(SqlType(retort::UUID{}).to_cpp() == "retort::UUID{}");
  CHECK(SqlType(retort::Enum{{"draft", "published"}, "status"}).to_cpp() ==
        R"(retort::Enum{{"draft", "published"}, "status"})");
  CHECK(SqlType(retort::Enum{{"a"}}).to_cpp() == R"(retort::Enum{{"a"}, ""})");
  // Quotes, backslashes and newlines are escaped so that the output is valid C++.
  CHECK(SqlType(retort::Enum{{"say \"hi\"", "back\\slash", "two\nlines"}, "e"}).to_cpp() ==
        R"(retort::Enum{{"say \"hi\"", "back\\slash", "two\nlines"}, "e"})");
  CHECK(SqlType(retort::NamedType{"INET"}).to_cpp() == R"(retort::NamedType{"INET"})");
  CHECK(SqlType(retort::NamedType{"INET", "postgresql"}).to_cpp() == R"(retort::NamedType{"INET", "postgresql"})");
  CHECK(SqlType().to_cpp() == "retort::SqlType{}");
}

TEST_CASE("Value holds NULL, booleans, integers, reals, text and blobs", "[types]") {
  CHECK(Value().is_null());
  CHECK(Value(retort::Null{}).is_null());
  CHECK(Value(std::nullopt).is_null());
  CHECK(Value(std::optional<int>{}).is_null());
  CHECK(Value(std::optional<int>{7}).kind() == Value::Kind::Integer);
  CHECK(Value(true).kind() == Value::Kind::Boolean);
  CHECK(Value(42).kind() == Value::Kind::Integer);
  CHECK(Value(std::uint8_t{4}).kind() == Value::Kind::Integer);
  CHECK(Value(1.5).kind() == Value::Kind::Real);
  CHECK(Value(1.5f).kind() == Value::Kind::Real);
  CHECK(Value("x").kind() == Value::Kind::Text);
  CHECK(Value(std::string("x")).kind() == Value::Kind::Text);
  CHECK(Value(std::string_view("x")).kind() == Value::Kind::Text);
  CHECK(Value(retort::Blob{1, 2}).kind() == Value::Kind::Binary);
  CHECK(Value(42) == Value(std::int64_t{42}));
  CHECK(Value(42) != Value(42.0));
  CHECK(Value("a") != Value("b"));
  CHECK(Value().repr() == "NULL");
  CHECK(Value(true).repr() == "true");
  CHECK(Value(-3).repr() == "-3");
  CHECK(Value("it").repr() == "'it'");
  CHECK(Value(retort::Blob{1, 2, 3}).repr() == "<3 bytes>");
}

TEST_CASE("Value::as converts between compatible kinds", "[types]") {
  CHECK(Value(42).as<int>() == 42);
  CHECK(Value(42).as<std::int64_t>() == 42);
  CHECK(Value(42).as<double>() == 42.0);
  CHECK(Value(42).as<std::string>() == "42");
  CHECK(Value(42).as<bool>());
  CHECK_FALSE(Value(0).as<bool>());
  CHECK(Value(true).as<int>() == 1);
  CHECK(Value(false).as<double>() == 0.0);
  CHECK(Value(true).as<std::string>() == "true");
  CHECK(Value(2.0).as<int>() == 2);
  CHECK(Value(2.5).as<double>() == 2.5);
  CHECK(Value(2.5).as<float>() == 2.5f);
  CHECK(Value(2.5).as<std::string>() == "2.5");
  CHECK(Value("17").as<int>() == 17);
  CHECK(Value("-17").as<std::int64_t>() == -17);
  CHECK(Value("2.25").as<double>() == 2.25);
  CHECK(Value("hello").as<std::string>() == "hello");
  CHECK(Value("1").as<bool>());
  CHECK(Value("ab").as<retort::Blob>() == retort::Blob{'a', 'b'});
  CHECK(Value(retort::Blob{'h', 'i'}).as<std::string>() == "hi");
  CHECK(Value(retort::Blob{0, 255}).as<retort::Blob>() == retort::Blob{0, 255});
  CHECK(Value(7).as<Value>() == Value(7));
  CHECK(Value(std::numeric_limits<std::int64_t>::max()).as<std::int64_t>() == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("Value::as<std::optional<T>> maps NULL to nullopt", "[types]") {
  CHECK(Value().as<std::optional<int>>() == std::nullopt);
  CHECK(Value().as<std::optional<std::string>>() == std::nullopt);
  CHECK(Value(5).as<std::optional<int>>() == 5);
  CHECK(Value("x").as<std::optional<std::string>>() == "x");
  CHECK_THROWS_AS(Value("x").as<std::optional<int>>(), retort::TypeConversionError);
}

TEST_CASE("Value::as throws TypeConversionError for NULL and impossible conversions", "[types]") {
  CHECK_THROWS_AS(Value().as<int>(), retort::TypeConversionError);
  CHECK_THROWS_WITH(Value().as<int>(), Catch::Contains("NULL") && Catch::Contains("optional"));
  CHECK_THROWS_AS(Value().as<std::string>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value().as<double>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value().as<bool>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value().as<retort::Blob>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value("abc").as<int>(), retort::TypeConversionError);
  CHECK_THROWS_WITH(Value("abc").as<int>(), Catch::Contains("'abc'"));
  CHECK_THROWS_AS(Value("12abc").as<int>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value("").as<int>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value("1.5x").as<double>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value("yes").as<bool>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value(2.5).as<int>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value(1e300).as<std::int64_t>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value(42).as<retort::Blob>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value(retort::Blob{1}).as<int>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value(retort::Blob{1}).as<double>(), retort::TypeConversionError);
  // TypeConversionError is part of the common hierarchy.
  CHECK_THROWS_AS(Value().as<int>(), retort::InvalidRequestError);
  CHECK_THROWS_AS(Value().as<int>(), retort::Error);
}

TEST_CASE("Value::as refuses integer conversions that would lose the value", "[types]") {
  CHECK(Value(127).as<std::int8_t>() == 127);
  CHECK(Value(-128).as<std::int8_t>() == -128);
  CHECK(Value(255).as<std::uint8_t>() == 255);
  CHECK_THROWS_AS(Value(300).as<std::int8_t>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value(-1).as<std::uint32_t>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value(std::int64_t{1} << 40).as<int>(), retort::TypeConversionError);
  CHECK_THROWS_AS(Value("70000").as<std::int16_t>(), retort::TypeConversionError);
}
