// The SQLite driver: URL options (foreign_keys, busy_timeout, journal_mode, mode=ro), error
// mapping to the DBAPIError hierarchy, RETURNING, opening failures and value round-trips.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/engine/pool.hpp>
#include <retort/retort.hpp>

#include "support/temp_database.hpp"
#include "support/text.hpp"

namespace {

using retort::testing::contains;

void create_parent_child(const retort::Engine& engine) {
  engine.connect().execute_script(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));");
}

}  // namespace

TEST_CASE("foreign keys are enforced by default and can be turned off", "[sqlite][driver]") {
  retort::testing::TempDatabase db;
  SECTION("default: on") {
    auto engine = retort::create_engine(db.url());
    create_parent_child(engine);
    auto conn = engine.connect();
    CHECK(conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one<int>() == 1);
    try {
      conn.exec_driver_sql("INSERT INTO child (parent_id) VALUES (42)");
      FAIL("foreign key violation accepted");
    } catch (const retort::IntegrityError& e) {
      CHECK(contains(e.what(), "FOREIGN KEY"));
      CHECK(e.statement() == "INSERT INTO child (parent_id) VALUES (42)");
    }
    for (const char* on : {"?foreign_keys=true", "?foreign_keys=1", "?foreign_keys=on"}) {
      auto explicit_on = retort::create_engine(db.url(on));
      CHECK(explicit_on.connect().exec_driver_sql("PRAGMA foreign_keys").scalar_one<int>() == 1);
    }
  }
  SECTION("foreign_keys=false") {
    auto engine = retort::create_engine(db.url("?foreign_keys=false"));
    create_parent_child(engine);
    auto conn = engine.connect();
    CHECK(conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one<int>() == 0);
    CHECK_NOTHROW(conn.exec_driver_sql("INSERT INTO child (parent_id) VALUES (42)"));
    CHECK(conn.exec_driver_sql("SELECT parent_id FROM child").scalar_one<int>() == 42);
  }
  SECTION("a bad boolean is refused") {
    auto engine = retort::create_engine(db.url("?foreign_keys=maybe"));
    CHECK_THROWS_AS(engine.connect(), retort::ArgumentError);
  }
}

TEST_CASE("busy_timeout bounds the wait for a locked database", "[sqlite][driver]") {
  retort::testing::TempDatabase db;
  retort::EngineOptions immediate;
  immediate.isolation_level = "IMMEDIATE";
  auto holder_engine = retort::create_engine(db.url("?busy_timeout=300"), immediate);
  holder_engine.connect().exec_driver_sql("CREATE TABLE t (x)");
  auto holder = holder_engine.connect();
  auto tx = holder.begin();  // holds the write lock
  holder.exec_driver_sql("INSERT INTO t VALUES (1)");

  auto waiter_engine = retort::create_engine(db.url("?busy_timeout=300"));
  auto waiter = waiter_engine.connect();
  auto start = std::chrono::steady_clock::now();
  try {
    waiter.exec_driver_sql("INSERT INTO t VALUES (2)");
    FAIL("write succeeded while another connection held the lock");
  } catch (const retort::OperationalError& e) {
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(waited >= 0.25);
    CHECK(waited < 3.0);
    CHECK(contains(e.what(), "locked"));
    CHECK((e.native_code() & 0xff) == 5);  // SQLITE_BUSY
  }
  tx.commit();
  CHECK_NOTHROW(waiter.exec_driver_sql("INSERT INTO t VALUES (2)"));
  CHECK(waiter.exec_driver_sql("SELECT count(*) FROM t").scalar_one<int>() == 2);

  CHECK_THROWS_AS(retort::create_engine(db.url("?busy_timeout=soon")).connect(), retort::ArgumentError);
  CHECK_THROWS_AS(retort::create_engine(db.url("?busy_timeout=-5")).connect(), retort::ArgumentError);
}

TEST_CASE("journal_mode=wal is applied to every connection", "[sqlite][driver]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url("?journal_mode=wal&synchronous=normal"));
  auto conn = engine.connect();
  CHECK(conn.exec_driver_sql("PRAGMA journal_mode").scalar_one<std::string>() == "wal");
  CHECK(conn.exec_driver_sql("PRAGMA synchronous").scalar_one<int>() == 1);  // NORMAL
  // Only words are passed to the PRAGMA.
  CHECK_THROWS_AS(retort::create_engine(db.url("?journal_mode=wal;DROP")).connect(), retort::ArgumentError);
}

TEST_CASE("mode=ro opens the database read-only", "[sqlite][driver]") {
  retort::testing::TempDatabase db;
  retort::create_engine(db.url()).connect().execute_script("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  auto engine = retort::create_engine(db.url("?mode=ro"));
  auto conn = engine.connect();
  CHECK(conn.exec_driver_sql("SELECT x FROM t").scalar_one<int>() == 1);
  try {
    conn.exec_driver_sql("INSERT INTO t VALUES (2)");
    FAIL("a read-only connection wrote");
  } catch (const retort::OperationalError& e) {
    CHECK(contains(e.what(), "readonly"));
  }
  CHECK_THROWS_AS(conn.execute_script("CREATE TABLE u (y)"), retort::OperationalError);
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one<int>() == 1);
  CHECK_THROWS_AS(retort::create_engine(db.url("?mode=rx")).connect(), retort::ArgumentError);
  // A missing file is not created in read-only mode.
  retort::testing::TempDatabase missing;
  CHECK_THROWS_AS(retort::create_engine(missing.url("?mode=ro")).connect(), retort::OperationalError);
}

TEST_CASE("unknown SQLite URL options are refused", "[sqlite][driver]") {
  retort::testing::TempDatabase db;
  try {
    retort::create_engine(db.url("?foreign_key=true")).connect();
    FAIL("misspelt option accepted");
  } catch (const retort::ArgumentError& e) {
    CHECK(contains(e.what(), "foreign_key"));
    CHECK(contains(e.what(), "foreign_keys"));  // lists the known options
  }
}

TEST_CASE("constraint violations raise IntegrityError with statement and code", "[sqlite][driver]") {
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  conn.execute_script(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE, n TEXT NOT NULL, c INTEGER CHECK (c > 0))");
  conn.exec_driver_sql("INSERT INTO t (id, u, n, c) VALUES (1, 'a', 'x', 1)");

  struct Case {
    const char* sql;
    const char* message;
    int extended_code;
  };
  const Case cases[] = {
      {"INSERT INTO t (u, n, c) VALUES ('a', 'x', 1)", "UNIQUE", 2067},         // SQLITE_CONSTRAINT_UNIQUE
      {"INSERT INTO t (id, u, n, c) VALUES (1, 'b', 'x', 1)", "UNIQUE", 1555},  // SQLITE_CONSTRAINT_PRIMARYKEY
      {"INSERT INTO t (u, n, c) VALUES ('b', NULL, 1)", "NOT NULL", 1299},      // SQLITE_CONSTRAINT_NOTNULL
      {"INSERT INTO t (u, n, c) VALUES ('b', 'x', -1)", "CHECK", 275},          // SQLITE_CONSTRAINT_CHECK
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    try {
      conn.exec_driver_sql(c.sql);
      FAIL("constraint violation accepted");
    } catch (const retort::IntegrityError& e) {
      CHECK(e.statement() == c.sql);
      CHECK(e.native_code() == c.extended_code);
      CHECK(contains(e.driver_message(), c.message));
      CHECK(contains(e.what(), c.message));
      CHECK(contains(e.what(), c.sql));
    }
  }
  // The same through the compiler: the statement is the compiled SQL.
  retort::MetaData metadata;
  auto& t =
      metadata.table("t", retort::Column("id", retort::Integer{}).primary_key(), retort::Column("u", retort::Text{}),
                     retort::Column("n", retort::Text{}), retort::Column("c", retort::Integer{}));
  try {
    conn.execute(retort::insert(t).values({{"u", "z"}, {"n", std::nullopt}, {"c", 1}}));
    FAIL("NOT NULL violation accepted");
  } catch (const retort::IntegrityError& e) {
    CHECK(contains(e.statement(), "INSERT INTO t"));
    CHECK(e.native_code() == 1299);
  }
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one<int>() == 1);
}

TEST_CASE("syntax errors and missing objects raise ProgrammingError with the SQL", "[sqlite][driver]") {
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  conn.exec_driver_sql("CREATE TABLE t (x)");

  auto expect_programming = [&](const std::string& sql, const std::string& message) {
    INFO(sql);
    try {
      conn.exec_driver_sql(sql);
      FAIL("no error");
    } catch (const retort::ProgrammingError& e) {
      CHECK(contains(e.what(), sql));
      CHECK(e.statement() == sql);
      CHECK(contains(e.what(), message));
    }
  };
  expect_programming("SELEC 1", "syntax error");
  expect_programming("SELECT * FROM no_such_table", "no such table");
  expect_programming("SELECT nope FROM t", "no such column");
  expect_programming("CREATE TABLE t (y)", "already exists");
  expect_programming("SELECT (1", "incomplete input");
  expect_programming("SELECT 1; SELECT 2", "one statement");
  expect_programming("INSERT INTO t VALUES (1); DROP TABLE t", "one statement");
  expect_programming("   -- only a comment", "no statement");
  // Nothing of the second statement ran.
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one<int>() == 0);
  // Trailing semicolons and comments are fine.
  CHECK(conn.exec_driver_sql("SELECT 1;  -- done\n").scalar_one<int>() == 1);
  CHECK(conn.execute(retort::text("SELECT 2; /* trailing */")).scalar_one<int>() == 2);
  // Through execute() too.
  CHECK_THROWS_AS(conn.execute(retort::text("SELECT 1; SELECT 2")), retort::ProgrammingError);
  CHECK_THROWS_AS(conn.execute(retort::text("SELECT * FROM missing")), retort::ProgrammingError);
}

TEST_CASE("RETURNING works on SQLite", "[sqlite][driver]") {
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT DEFAULT 'dflt')");
  auto r = conn.exec_driver_sql("INSERT INTO t (id) VALUES (?), (?) RETURNING id, v", {5, 6});
  CHECK(r.keys() == std::vector<std::string>{"id", "v"});
  auto rows = r.all();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].get<int>(0) == 5);
  CHECK(rows[1].get<int>("id") == 6);
  CHECK(rows[1].get<std::string>("v") == "dflt");
  CHECK(conn.exec_driver_sql("UPDATE t SET v = 'new' WHERE id = 6 RETURNING v").scalar_one<std::string>() == "new");
  CHECK(conn.exec_driver_sql("DELETE FROM t RETURNING id").scalars<int>().size() == 2);
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one<int>() == 0);
}

TEST_CASE("an unopenable database raises OperationalError naming the path", "[sqlite][driver]") {
  retort::testing::TempDatabase db;
  std::string path = db.path().string() + ".missing-dir/sub/app.db";
  auto engine = retort::create_engine("sqlite:///" + path);
  try {
    engine.connect();
    FAIL("opened a database in a directory that does not exist");
  } catch (const retort::OperationalError& e) {
    CHECK(contains(e.what(), path));
  }
  CHECK(engine.pool().checked_out() == 0);
  CHECK_THAT(engine.pool().status(), Catch::Contains("open=0"));
}

TEST_CASE("a file that is not a database raises DatabaseError", "[sqlite][driver]") {
  retort::testing::TempDatabase db;
  {
    std::FILE* f = std::fopen(db.path().c_str(), "wb");
    REQUIRE(f != nullptr);
    std::string junk(4096, 'z');
    std::fputs(junk.c_str(), f);
    std::fclose(f);
  }
  auto engine = retort::create_engine(db.url());
  CHECK_THROWS_AS([&] { engine.connect().exec_driver_sql("SELECT * FROM sqlite_master").all(); }(),
                  retort::DatabaseError);
}

TEST_CASE("values round-trip through SQLite", "[sqlite][driver]") {
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  conn.exec_driver_sql("CREATE TABLE v (i INTEGER, r REAL, t TEXT, b BLOB, n, flag BOOLEAN)");
  const std::int64_t extremes[] = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                                   0, -1, 1LL << 53};
  const double reals[] = {0.0, -0.5, 3.141592653589793, 1e308, -2.2250738585072014e-308, 1e-300};
  const std::string texts[] = {
      "", "plain", "ünïcødé ✓ 日本語 🚀", "quote ' and \" and \\", std::string(5000, 'x'), "line\nbreak\ttab"};
  const retort::Blob blobs[] = {retort::Blob{}, retort::Blob{0, 1, 2, 255, 0}, retort::Blob(70000, 0xab)};

  for (auto i : extremes) {
    conn.exec_driver_sql("DELETE FROM v");
    conn.exec_driver_sql("INSERT INTO v (i) VALUES (?)", {i});
    auto row = conn.exec_driver_sql("SELECT i, typeof(i) FROM v").one();
    CHECK(row.get<std::int64_t>(0) == i);
    CHECK(row.get<std::string>(1) == "integer");
    CHECK(row[0].kind() == retort::Value::Kind::Integer);
  }
  for (auto r : reals) {
    conn.exec_driver_sql("DELETE FROM v");
    conn.exec_driver_sql("INSERT INTO v (r) VALUES (?)", {r});
    auto row = conn.exec_driver_sql("SELECT r, typeof(r) FROM v").one();
    CHECK(row.get<double>(0) == r);
    CHECK(row.get<std::string>(1) == "real");
  }
  for (const auto& s : texts) {
    conn.exec_driver_sql("DELETE FROM v");
    conn.exec_driver_sql("INSERT INTO v (t) VALUES (?)", {s});
    auto row = conn.exec_driver_sql("SELECT t, length(CAST(t AS BLOB)) FROM v").one();
    CHECK(row.get<std::string>(0) == s);
    CHECK(row.get<std::size_t>(1) == s.size());
  }
  for (const auto& b : blobs) {
    conn.exec_driver_sql("DELETE FROM v");
    conn.exec_driver_sql("INSERT INTO v (b) VALUES (?)", {b});
    auto row = conn.exec_driver_sql("SELECT b, typeof(b), length(b) FROM v").one();
    CHECK(row.get<retort::Blob>(0) == b);
    CHECK(row.get<std::string>(1) == "blob");
    CHECK(row.get<std::size_t>(2) == b.size());
  }
  {
    conn.exec_driver_sql("DELETE FROM v");
    conn.exec_driver_sql("INSERT INTO v (n, flag, t) VALUES (?, ?, ?)", {retort::Null{}, true, std::nullopt});
    conn.exec_driver_sql("INSERT INTO v (n, flag) VALUES (?, ?)", {std::optional<int>(), false});
    auto rows = conn.exec_driver_sql("SELECT n, flag, typeof(flag), t FROM v ORDER BY rowid").all();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0][0].is_null());
    CHECK(rows[0][3].is_null());
    CHECK(rows[0].get<std::optional<int>>(0) == std::nullopt);
    CHECK(rows[0].get<int>(1) == 1);  // bool binds as 0/1
    CHECK(rows[0].get<bool>(1));
    CHECK(rows[0].get<std::string>(2) == "integer");
    CHECK(rows[1].get<int>(1) == 0);
    CHECK_FALSE(rows[1].get<bool>(1));
  }
  // The same values through executemany (values read in place) and through a Table.
  retort::MetaData metadata;
  auto& t = metadata.table("typed", retort::Column("i", retort::BigInteger{}), retort::Column("r", retort::Double{}),
                           retort::Column("s", retort::Text{}), retort::Column("b", retort::LargeBinary{}),
                           retort::Column("f", retort::Boolean{}));
  conn.close();  // the in-memory database has one connection
  metadata.create_all(engine);
  auto conn2 = engine.connect();
  std::vector<retort::Params> rows;
  for (std::size_t k = 0; k < 5; ++k)
    rows.push_back({{"i", extremes[k]}, {"r", reals[k]}, {"s", texts[k]}, {"b", blobs[k % 3]}, {"f", k % 2 == 0}});
  CHECK(conn2.execute(retort::insert(t), rows).rowcount() == 5);
  auto back = conn2.execute(retort::select(t.c("i"), t.c("r"), t.c("s"), t.c("b"), t.c("f"))).all();
  REQUIRE(back.size() == 5);
  for (std::size_t k = 0; k < 5; ++k) {
    INFO("row " << k);
    CHECK(back[k].get<std::int64_t>("i") == extremes[k]);
    CHECK(back[k].get<double>("r") == reals[k]);
    CHECK(back[k].get<std::string>("s") == texts[k]);
    CHECK(back[k].get<retort::Blob>("b") == blobs[k % 3]);
    CHECK(back[k].get<bool>("f") == (k % 2 == 0));
  }
}

TEST_CASE("the statement cache survives many distinct statements", "[sqlite][driver]") {
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  for (int i = 0; i < 600; ++i) {
    auto sql = "SELECT " + std::to_string(i) + " + ?";
    REQUIRE(conn.exec_driver_sql(sql, {1}).scalar_one<int>() == i + 1);
  }
  // Two open cursors on the same SQL text each get their own statement.
  auto a = conn.exec_driver_sql("SELECT 1 UNION ALL SELECT 2");
  auto b = conn.exec_driver_sql("SELECT 1 UNION ALL SELECT 2");
  CHECK(a.fetchone()->get<int>(0) == 1);
  CHECK(b.fetchone()->get<int>(0) == 1);
  CHECK(a.fetchone()->get<int>(0) == 2);
  CHECK(b.fetchone()->get<int>(0) == 2);
}
