// `-x` values in SQL revisions: verbatim by default, and quoted for the dialect where the
// revision asks for a literal or an identifier, so a value cannot change the statement.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/script/x_substitution.hpp>

#include "support/compile.hpp"

using retort::migrate::substitute_x_arguments;
using retort::testing::Compiler;

TEST_CASE("x substitution: verbatim, literal and identifier forms, quoted per dialect", "[migrate]") {
  const std::map<std::string, std::string> x{{"who", "O'Brien\\"}, {"table", "my \"t\""}, {"n", "5"}};
  Compiler sqlite{"sqlite"}, mysql{"mysql"}, postgresql{"postgresql"};
  const std::string sql = "INSERT INTO ${x.table:identifier} (name, n) VALUES (${x.who:literal}, ${x.n})";

  CHECK(substitute_x_arguments(sql, x, "f.sql:3", &sqlite.dialect()) ==
        "INSERT INTO \"my \"\"t\"\"\" (name, n) VALUES ('O''Brien\\', 5)");
  CHECK(substitute_x_arguments(sql, x, "f.sql:3", &postgresql.dialect()) ==
        "INSERT INTO \"my \"\"t\"\"\" (name, n) VALUES ('O''Brien\\', 5)");
  // MySQL reads backslashes in strings as escapes, and quotes names with backquotes.
  CHECK(substitute_x_arguments(sql, x, "f.sql:3", &mysql.dialect()) ==
        "INSERT INTO `my \"t\"` (name, n) VALUES ('O''Brien\\\\', 5)");

  // Raw stays raw (what the README warns about), and defaults work with every form.
  CHECK(substitute_x_arguments("SELECT ${x.who}", x, "f.sql:1") == "SELECT O'Brien\\");
  CHECK(substitute_x_arguments("SELECT ${x.missing:literal:-it's}", x, "f.sql:1", &sqlite.dialect()) ==
        "SELECT 'it''s'");
  CHECK(substitute_x_arguments("SELECT ${x.missing:-a:b}", x, "f.sql:1") == "SELECT a:b");
}

TEST_CASE("x substitution: an unknown form or a missing key names the file and line", "[migrate]") {
  Compiler sqlite{"sqlite"};
  const std::map<std::string, std::string> x{{"k", "v"}};
  CHECK_THROWS_WITH(substitute_x_arguments("SELECT ${x.k:quoted}", x, "f.sql:7", &sqlite.dialect()),
                    Catch::Contains("f.sql:7") && Catch::Contains("unknown form 'quoted'"));
  CHECK_THROWS_WITH(substitute_x_arguments("SELECT ${x.nope:literal}", x, "f.sql:8", &sqlite.dialect()),
                    Catch::Contains("f.sql:8") && Catch::Contains("-x nope=VALUE"));
  CHECK_THROWS_AS(substitute_x_arguments("SELECT ${x.k:literal", x, "f.sql:9", &sqlite.dialect()),
                  retort::migrate::MigrationError);
}
