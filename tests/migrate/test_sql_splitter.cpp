// The SQL splitter: statement boundaries only at top-level semicolons (not inside quotes,
// comments, dollar-quoted bodies or trigger bodies), the line of each statement, and clear
// errors for what never ends.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/script/sql_splitter.hpp>

using retort::migrate::ScriptError;
using retort::migrate::split_sql;

namespace {

std::vector<std::string> texts(std::string_view sql) {
  std::vector<std::string> out;
  for (const auto& s : split_sql(sql)) out.push_back(s.text);
  return out;
}

/// The message of the ScriptError that splitting `sql` throws (fails the test if none).
std::string split_error(std::string_view sql, int first_line = 1) {
  try {
    split_sql(sql, first_line, "up.sql");
  } catch (const ScriptError& e) {
    return e.what();
  }
  FAIL("no ScriptError for " << sql);
  return {};
}

}  // namespace

TEST_CASE("splitter: plain statements, trimmed, without the semicolon", "[migrate][sqlite]") {
  CHECK(texts("CREATE TABLE a (id INT);\n  INSERT INTO a VALUES (1) ;\nSELECT 1") ==
        std::vector<std::string>{"CREATE TABLE a (id INT)", "INSERT INTO a VALUES (1)", "SELECT 1"});
  CHECK(texts("").empty());
  CHECK(texts(" ;; \n;").empty());
}

TEST_CASE("splitter: semicolons inside quotes do not split", "[migrate][sqlite]") {
  CHECK(texts("INSERT INTO t VALUES ('a;b'); SELECT \"x;y\" FROM `q;r`;") ==
        std::vector<std::string>{"INSERT INTO t VALUES ('a;b')", "SELECT \"x;y\" FROM `q;r`"});
  SECTION("doubled quotes stay inside the string") {
    CHECK(texts("SELECT 'it''s; fine'; SELECT \"a\"\";b\";") ==
          std::vector<std::string>{"SELECT 'it''s; fine'", "SELECT \"a\"\";b\""});
  }
  SECTION("backslash escapes where the database has them (MySQL)") {
    auto mysql = [](std::string_view sql) {
      std::vector<std::string> out;
      for (const auto& s : retort::migrate::split_sql(sql, 1, "<test>", true)) out.push_back(s.text);
      return out;
    };
    CHECK(mysql("SELECT 'a\\';b'; SELECT 2;") == std::vector<std::string>{"SELECT 'a\\';b'", "SELECT 2"});
  }
  SECTION("standard strings keep backslashes literal; E'' strings escape") {
    CHECK(texts("INSERT INTO p VALUES ('C:\\'); SELECT E'x\\';y'; SELECT 2;") ==
          std::vector<std::string>{"INSERT INTO p VALUES ('C:\\')", "SELECT E'x\\';y'", "SELECT 2"});
  }
}

TEST_CASE("splitter: comments containing semicolons", "[migrate][sqlite]") {
  CHECK(texts("SELECT 1; -- a comment; with; semicolons\nSELECT 2 /* also; here */;\n/* ; */") ==
        std::vector<std::string>{"SELECT 1", "-- a comment; with; semicolons\nSELECT 2 /* also; here */"});
  SECTION("a statement holding only comments is dropped") {
    CHECK(texts("-- nothing here;\n/* nor; here */ ;\nSELECT 3;") == std::vector<std::string>{"SELECT 3"});
  }
  SECTION("quotes inside comments do not open strings") {
    CHECK(texts("-- it's\nSELECT 1; /* don't */ SELECT 2;") ==
          std::vector<std::string>{"-- it's\nSELECT 1", "/* don't */ SELECT 2"});
  }
}

TEST_CASE("splitter: PostgreSQL dollar quoting", "[migrate][sqlite]") {
  std::string fn = "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  PERFORM 1; RETURN 2;\nEND;\n$$ LANGUAGE plpgsql";
  std::string tagged = "CREATE FUNCTION g() RETURNS text AS $body$ SELECT 'x;'; SELECT $$;$$; $body$ LANGUAGE sql";
  CHECK(texts(fn + ";\n" + tagged + ";\nSELECT $1;") == std::vector<std::string>{fn, tagged, "SELECT $1"});
  SECTION("a $ inside an identifier is not a quote") {
    CHECK(texts("SELECT a$b FROM t; SELECT 2;") == std::vector<std::string>{"SELECT a$b FROM t", "SELECT 2"});
  }
}

TEST_CASE("splitter: SQLite triggers with BEGIN ... END, CASE inside", "[migrate][sqlite]") {
  std::string trigger =
      "CREATE TRIGGER t_ins AFTER INSERT ON t\nBEGIN\n"
      "  UPDATE t SET kind = CASE WHEN new.v > 0 THEN 'pos' ELSE 'neg' END WHERE id = new.id;\n"
      "  INSERT INTO log VALUES (new.id);\nEND";
  std::string temp = "CREATE TEMP TRIGGER t2 BEFORE DELETE ON t BEGIN SELECT 1; END";
  CHECK(texts("CREATE TABLE t (id INT);\n" + trigger + ";\n" + temp + ";\nSELECT 9;") ==
        std::vector<std::string>{"CREATE TABLE t (id INT)", trigger, temp, "SELECT 9"});
  SECTION("a BEGIN transaction statement is not a block") {
    CHECK(texts("BEGIN; SELECT 1; COMMIT;") == std::vector<std::string>{"BEGIN", "SELECT 1", "COMMIT"});
  }
}

TEST_CASE("splitter: each statement's line, counting from the first line given", "[migrate][sqlite]") {
  auto s = split_sql("\n\nSELECT 'a\nb';\n/* x\n y */ SELECT 2;\n\n  -- c\n  SELECT\n3;", 10);
  REQUIRE(s.size() == 3);
  CHECK(s[0].line == 12);
  // The statement starts at its comment: the comment is part of its text.
  CHECK(s[1].line == 14);
  CHECK(s[2].line == 17);
  CHECK(s[2].text == "-- c\n  SELECT\n3");
}

TEST_CASE("splitter: unterminated quotes and comments name their line", "[migrate][sqlite]") {
  auto quote = split_error("SELECT 1;\nSELECT 2;\nSELECT 'oops;\nmore", 5);
  CHECK(quote.find("up.sql:7") != std::string::npos);
  CHECK(quote.find("unterminated") != std::string::npos);
  CHECK(split_error("SELECT \"x").find("up.sql:1: unterminated") != std::string::npos);
  CHECK(split_error("SELECT 1;\n/* never closed").find("up.sql:2: unterminated /*") != std::string::npos);
  CHECK(split_error("\nSELECT $q$ body;").find("up.sql:2: unterminated dollar-quoted string $q$") != std::string::npos);
}
