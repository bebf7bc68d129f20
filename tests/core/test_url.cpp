// Database URLs: parsing, rendering, percent-encoding, SQLite forms, and that a password never
// shows up in rendered text or in an error message.
#include <catch2/catch.hpp>

#include <string>

#include <retort/retort.hpp>
#include "support/text.hpp"

namespace {

/// The message of the ArgumentError that parsing `text` throws (fails the test if none).
std::string parse_error(const std::string& text) {
  try {
    retort::URL::parse(text);
  } catch (const retort::ArgumentError& e) {
    return e.what();
  }
  FAIL("no ArgumentError for " << text);
  return {};
}

using retort::testing::contains;

}  // namespace

TEST_CASE("URL parses every component", "[sqlite][url]") {
  auto url = retort::URL::parse(
      "postgresql+psycopg2://scott:tiger@db.example.com:5433/inventory?sslmode=require&application_name=retort");
  CHECK(url.dialect() == "postgresql");
  CHECK(url.driver() == std::optional<std::string>("psycopg2"));
  CHECK(url.drivername() == "postgresql+psycopg2");
  CHECK(url.username() == std::optional<std::string>("scott"));
  CHECK(url.password() == std::optional<std::string>("tiger"));
  CHECK(url.host() == std::optional<std::string>("db.example.com"));
  CHECK(url.port() == std::optional<int>(5433));
  CHECK(url.database() == std::optional<std::string>("inventory"));
  REQUIRE(url.query().size() == 2);
  CHECK(url.query_value("sslmode") == std::optional<std::string>("require"));
  CHECK(url.query_value("application_name") == std::optional<std::string>("retort"));
  CHECK_FALSE(url.query_value("missing").has_value());

  CHECK(url.render() ==
        "postgresql+psycopg2://scott:***@db.example.com:5433/inventory?application_name=retort&sslmode=require");
  CHECK(url.render_with_password() ==
        "postgresql+psycopg2://scott:tiger@db.example.com:5433/inventory?application_name=retort&sslmode=require");
  CHECK(retort::URL::parse(url.render_with_password()) == url);
}

TEST_CASE("URL without driver, user, port or database", "[sqlite][url]") {
  auto url = retort::URL::parse("mysql://localhost");
  CHECK(url.dialect() == "mysql");
  CHECK_FALSE(url.driver().has_value());
  CHECK(url.drivername() == "mysql");
  CHECK_FALSE(url.username().has_value());
  CHECK_FALSE(url.password().has_value());
  CHECK(url.host() == std::optional<std::string>("localhost"));
  CHECK_FALSE(url.port().has_value());
  CHECK_FALSE(url.database().has_value());
  CHECK(url.query().empty());
  CHECK(url.render() == "mysql://localhost");

  auto user_only = retort::URL::parse("postgresql://scott@localhost/db");
  CHECK(user_only.username() == std::optional<std::string>("scott"));
  CHECK_FALSE(user_only.password().has_value());
  CHECK(user_only.render() == "postgresql://scott@localhost/db");
}

TEST_CASE("URL percent-encoding is decoded and re-encoded", "[sqlite][url]") {
  auto url = retort::URL::parse("postgresql://us%40er:p%40ss%3Aw%2Frd%3F%20x@localhost/my%20db?opt=a%26b");
  CHECK(url.username() == std::optional<std::string>("us@er"));
  CHECK(url.password() == std::optional<std::string>("p@ss:w/rd? x"));
  CHECK(url.database() == std::optional<std::string>("my db"));
  CHECK(url.query_value("opt") == std::optional<std::string>("a&b"));

  auto rendered = url.render_with_password();
  CHECK(rendered == "postgresql://us%40er:p%40ss%3Aw%2Frd%3F%20x@localhost/my%20db?opt=a%26b");
  CHECK(retort::URL::parse(rendered) == url);
  CHECK(url.render() == "postgresql://us%40er:***@localhost/my%20db?opt=a%26b");
}

TEST_CASE("URL with an IPv6 host", "[sqlite][url]") {
  auto url = retort::URL::parse("postgresql://scott:tiger@[::1]:5432/db");
  CHECK(url.host() == std::optional<std::string>("::1"));
  CHECK(url.port() == std::optional<int>(5432));
  CHECK(url.database() == std::optional<std::string>("db"));
  CHECK(url.render() == "postgresql://scott:***@[::1]:5432/db");
  CHECK(retort::URL::parse(url.render_with_password()) == url);

  auto no_port = retort::URL::parse("postgresql://[fe80::1:2]/db");
  CHECK(no_port.host() == std::optional<std::string>("fe80::1:2"));
  CHECK_FALSE(no_port.port().has_value());
  CHECK(no_port.render() == "postgresql://[fe80::1:2]/db");
}

TEST_CASE("SQLite URL forms", "[sqlite][url]") {
  auto relative = retort::URL::parse("sqlite:///relative.db");
  CHECK(relative.dialect() == "sqlite");
  CHECK_FALSE(relative.host().has_value());
  CHECK(relative.database() == std::optional<std::string>("relative.db"));
  CHECK(relative.render() == "sqlite:///relative.db");

  auto nested = retort::URL::parse("sqlite:///data/app.db");
  CHECK(nested.database() == std::optional<std::string>("data/app.db"));

  auto absolute = retort::URL::parse("sqlite:////abs/path.db");
  CHECK_FALSE(absolute.host().has_value());
  CHECK(absolute.database() == std::optional<std::string>("/abs/path.db"));
  CHECK(absolute.render() == "sqlite:////abs/path.db");

  auto memory = retort::URL::parse("sqlite://");
  CHECK(memory.dialect() == "sqlite");
  CHECK_FALSE(memory.host().has_value());
  CHECK_FALSE(memory.database().has_value());
  CHECK(memory.render() == "sqlite://");

  auto named_memory = retort::URL::parse("sqlite:///:memory:");
  CHECK(named_memory.database() == std::optional<std::string>(":memory:"));
  CHECK(named_memory.render() == "sqlite:///:memory:");

  auto with_options = retort::URL::parse("sqlite:///app.db?foreign_keys=false&busy_timeout=250");
  CHECK(with_options.database() == std::optional<std::string>("app.db"));
  CHECK(with_options.query_value("foreign_keys") == std::optional<std::string>("false"));
  CHECK(with_options.query_value("busy_timeout") == std::optional<std::string>("250"));
}

TEST_CASE("URL with_database and with_query return modified copies", "[sqlite][url]") {
  auto url = retort::URL::parse("postgresql://scott:tiger@localhost/one");
  auto other = url.with_database("two").with_query("sslmode", "disable");
  CHECK(url.database() == std::optional<std::string>("one"));
  CHECK(url.query().empty());
  CHECK(other.database() == std::optional<std::string>("two"));
  CHECK(other.query_value("sslmode") == std::optional<std::string>("disable"));
  CHECK(other.password() == std::optional<std::string>("tiger"));
  CHECK_FALSE(url == other);
}

TEST_CASE("malformed URLs raise ArgumentError", "[sqlite][url]") {
  CHECK_THROWS_AS(retort::URL::parse("sqlite:/app.db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("app.db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("://localhost/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("+driver://localhost/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql+://localhost/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("Postgres://localhost/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://localhost:abc/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://localhost:0/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://localhost:65536/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://localhost:123456789012/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://[::1/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://[::1]x/db"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://localhost/d%zzb"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://localhost/db%4"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://localhost/db%"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::URL::parse("postgresql://localhost/db?=value"), retort::ArgumentError);

  CHECK(contains(parse_error("sqlite:/app.db"), "sqlite:/app.db"));
  CHECK(contains(parse_error("postgresql://localhost:abc/db"), "port"));
  CHECK(contains(parse_error("postgresql://localhost/d%zzb"), "percent"));
  CHECK(contains(parse_error("://localhost/db"), "dialect"));
}

TEST_CASE("a password never appears in a URL error message", "[sqlite][url]") {
  const char* malformed[] = {
      "postgresql:scott:s3cretpw@localhost/db",          // no ://
      "postgresql:/scott:s3cretpw@localhost/db",         // no ://
      "scott:s3cretpw@localhost/db",                     // no scheme at all
      "://scott:s3cretpw@localhost/db",                  // empty dialect
      "Postgres://scott:s3cretpw@localhost/db",          // bad dialect name
      "postgresql://scott:s3cretpw@localhost:99999/db",  // bad port
      "postgresql://scott:s3cretpw@localhost:port/db",   // bad port
      "postgresql://scott:s3cretpw%zz@localhost/db",     // bad escape in the password
      "postgresql://scott:s3cretpw@localhost/d%zz",      // bad escape elsewhere
      "postgresql://scott:s3cretpw@[::1/db",             // unterminated IPv6 host
  };
  for (const char* text : malformed) {
    INFO(text);
    std::string message = parse_error(text);
    CHECK_FALSE(contains(message, "s3cretpw"));
    CHECK(contains(message, "***"));
  }
}

TEST_CASE("unknown dialect names the known ones and hides the password", "[sqlite][url]") {
  try {
    retort::create_engine("nosuchdb://scott:s3cretpw@localhost/db");
    FAIL("create_engine accepted an unknown dialect");
  } catch (const retort::ArgumentError& e) {
    std::string message = e.what();
    CHECK(contains(message, "nosuchdb"));
    CHECK(contains(message, "sqlite"));
    CHECK_FALSE(contains(message, "s3cretpw"));
  }
  CHECK_THROWS_AS(retort::create_engine("sqlite+nosuchdriver:///x.db"), retort::ArgumentError);
  // Registered aliases work.
  CHECK_NOTHROW(retort::create_engine("sqlite+sqlite3://"));
  CHECK_NOTHROW(retort::create_engine("sqlite+pysqlite://"));
}

TEST_CASE("SQLite URLs refuse host, user and port without leaking the password", "[sqlite][url]") {
  auto engine = retort::create_engine("sqlite://scott:s3cretpw@localhost/app.db");
  try {
    engine.connect();
    FAIL("a SQLite URL with a host was accepted");
  } catch (const retort::ArgumentError& e) {
    CHECK_FALSE(contains(e.what(), "s3cretpw"));
    CHECK(contains(e.what(), "host"));
  }
}

TEST_CASE("mask_password hides passwords inside any text", "[sqlite][url]") {
  CHECK(retort::mask_password("could not connect to postgresql://scott:tiger@localhost:5432/db: refused") ==
        "could not connect to postgresql://scott:***@localhost:5432/db: refused");
  CHECK(retort::mask_password("a=mysql://u:p1@h/x and b='postgresql+psycopg2://v:p2@[::1]/y'") ==
        "a=mysql://u:***@h/x and b='postgresql+psycopg2://v:***@[::1]/y'");
  // An '@' inside the password (unencoded) is still masked up to the host.
  CHECK(retort::mask_password("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db");
  // Nothing to hide.
  CHECK(retort::mask_password("postgresql://scott@localhost/db") == "postgresql://scott@localhost/db");
  CHECK(retort::mask_password("sqlite:///app.db") == "sqlite:///app.db");
  CHECK(retort::mask_password("no url here: just text") == "no url here: just text");
  CHECK(retort::mask_password("") == "");
}

TEST_CASE("a password given as a query option is masked as well", "[sqlite][url]") {
  CHECK(retort::mask_password("at mysql://u@h:1/db?charset=utf8&password=s3cret&ssl=1: refused") ==
        "at mysql://u@h:1/db?charset=utf8&password=***&ssl=1: refused");
  CHECK(retort::mask_password("'postgresql://u:pw@h/db?sslpassword=k3y' and mysql://u@h/db?PassWord=s3cret") ==
        "'postgresql://u:***@h/db?sslpassword=***' and mysql://u@h/db?PassWord=***");
  CHECK(retort::mask_password("mysql://u@h/db?pass%77ord=s3cret") == "mysql://u@h/db?pass%77ord=***");
  CHECK(retort::mask_password("mysql://u@h:1/db?password=s3@cret") == "mysql://u@h:1/db?password=***");
  CHECK(retort::mask_password("at mysql://u@h/db?password=***: refused") == "at mysql://u@h/db?password=***: refused");
  auto url = retort::URL::parse("mysql://u@h/db?password=s%40cret&charset=utf8mb4");
  CHECK(url.render() == "mysql://u@h/db?charset=utf8mb4&password=***");
  CHECK(url.render_with_password() == "mysql://u@h/db?charset=utf8mb4&password=s%40cret");
  CHECK_FALSE(contains(parse_error("mysql://u@h:port/db?password=s3cret"), "s3cret"));
}

TEST_CASE("a host holding ':' and '@' renders into a URL that reads back the same", "[sqlite][url]") {
  // Found by fuzz/fuzz_url: [host] was written without escapes, so the '@' split it on reading.
  auto url = retort::URL::parse("postgresql://a:b%40c:/db");
  REQUIRE(url.host() == std::optional<std::string>("a:b@c"));
  auto again = retort::URL::parse(url.render_with_password());
  CHECK(again.host() == url.host());
  CHECK_FALSE(again.username().has_value());
  CHECK(retort::URL::parse(retort::URL::parse("postgresql://u@[::1]:5432/db").render()).host() ==
        std::optional<std::string>("::1"));
}
