// Engine events: connect, checkout, checkin, before_execute, after_execute and handle_error
// fire with the right data; echo prints statements without breaking execution.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <retort/core/engine/pool.hpp>
#include <retort/retort.hpp>

#include "support/temp_database.hpp"
#include "support/text.hpp"

namespace {

/// A copy of what a StatementEvent carried (its views die with the callback).
struct Seen {
  std::string sql;
  std::vector<retort::Value> params;
  bool executemany;
  std::int64_t rowcount;
};

Seen copy_event(const retort::StatementEvent& e) {
  Seen s{std::string(e.sql), {}, e.executemany, e.rowcount};
  for (const auto* v : e.params) s.params.push_back(*v);
  return s;
}

struct Recorder {
  std::vector<Seen> before, after;
  std::vector<std::string> errors;
  std::vector<std::string> error_sql;
  std::vector<int> error_codes;
  void attach(const retort::Engine& engine) {
    engine.events().before_execute([this](const retort::StatementEvent& e) { before.push_back(copy_event(e)); });
    engine.events().after_execute([this](const retort::StatementEvent& e) { after.push_back(copy_event(e)); });
    engine.events().handle_error([this](const retort::DBAPIError& e, std::string_view sql) {
      errors.push_back(e.what());
      error_sql.emplace_back(sql);
      error_codes.push_back(e.native_code());
    });
  }
  void clear() {
    before.clear();
    after.clear();
  }
};

using retort::testing::contains;

}  // namespace

TEST_CASE("connect fires once per new connection with a usable driver connection", "[sqlite][events]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url());
  int connects = 0;
  engine.events().on_connect([&](retort::DriverConnection& c) {
    ++connects;
    // Session set-up through the driver: visible to every later statement on this connection.
    c.execute("PRAGMA cache_size = -1234", {});
    c.execute_script("CREATE TEMP TABLE session_marker (x); INSERT INTO session_marker VALUES (7);");
  });
  {
    auto conn = engine.connect();
    CHECK(connects == 1);
    CHECK(conn.exec_driver_sql("PRAGMA cache_size").scalar_one<int>() == -1234);
    CHECK(conn.exec_driver_sql("SELECT x FROM session_marker").scalar_one<int>() == 7);
  }
  {
    auto conn = engine.connect();  // reused: no second connect
    CHECK(connects == 1);
    auto second = engine.connect();  // a new one
    CHECK(connects == 2);
    CHECK(second.exec_driver_sql("SELECT x FROM session_marker").scalar_one<int>() == 7);
  }
}

TEST_CASE("a failing connect listener fails the checkout without leaking", "[sqlite][events]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url());
  bool fail = true;
  engine.events().on_connect([&](retort::DriverConnection&) {
    if (fail) throw retort::InvalidRequestError("refused by listener");
  });
  CHECK_THROWS_WITH(engine.connect(), Catch::Contains("refused by listener"));
  CHECK(engine.pool().checked_out() == 0);
  fail = false;
  CHECK_NOTHROW(engine.connect());
}

TEST_CASE("checkout and checkin bracket every use of a pooled connection", "[sqlite][events]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url());
  std::vector<std::string> log;
  std::vector<retort::DriverConnection*> checked_out, checked_in;
  engine.events().on_connect([&](retort::DriverConnection&) { log.push_back("connect"); });
  engine.events().on_checkout([&](retort::DriverConnection& c) {
    log.push_back("checkout");
    checked_out.push_back(&c);
  });
  engine.events().on_checkin([&](retort::DriverConnection& c) {
    log.push_back("checkin");
    checked_in.push_back(&c);
  });
  {
    auto conn = engine.connect();
    CHECK(&conn.driver_connection() == checked_out.back());
  }
  CHECK(log == std::vector<std::string>{"connect", "checkout", "checkin"});
  CHECK(checked_in.back() == checked_out.back());

  // An open result keeps the connection checked out; finishing it checks it in.
  retort::Result r;
  {
    auto conn = engine.connect();
    r = conn.exec_driver_sql("SELECT 1 UNION ALL SELECT 2");
  }
  CHECK(log.size() == 4);
  CHECK(log.back() == "checkout");
  CHECK(r.all().size() == 2);
  CHECK(log.back() == "checkin");
  CHECK(log.size() == 5);
}

TEST_CASE("before_execute and after_execute see SQL, parameters and rowcount", "[sqlite][events]") {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  auto& users = metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                               retort::Column("name", retort::String{50}));
  auto engine = retort::create_engine(db.url());
  metadata.create_all(engine);
  Recorder rec;
  rec.attach(engine);
  auto conn = engine.connect();

  conn.execute(retort::insert(users).values({{"name", "alice"}}));
  REQUIRE(rec.before.size() == 1);
  REQUIRE(rec.after.size() == 1);
  CHECK(contains(rec.before[0].sql, "INSERT INTO users"));
  CHECK(rec.before[0].params == std::vector<retort::Value>{"alice"});
  CHECK_FALSE(rec.before[0].executemany);
  CHECK(rec.before[0].rowcount == -1);
  CHECK(rec.after[0].sql == rec.before[0].sql);
  CHECK(rec.after[0].rowcount == 1);

  rec.clear();
  conn.execute(retort::select(users.c("id")).where(users.c("name") == "bob"));
  REQUIRE(rec.before.size() == 1);
  CHECK(contains(rec.before[0].sql, "SELECT"));
  CHECK(contains(rec.before[0].sql, "?"));
  CHECK(rec.before[0].params == std::vector<retort::Value>{"bob"});

  rec.clear();
  conn.execute(retort::insert(users), std::vector<retort::Params>{{{"name", "b"}}, {{"name", "c"}}, {{"name", "d"}}});
  REQUIRE(rec.before.size() == 1);
  REQUIRE(rec.after.size() == 1);
  CHECK(rec.before[0].executemany);
  CHECK(rec.before[0].params == std::vector<retort::Value>{"b", "c", "d"});
  CHECK(rec.after[0].executemany);
  CHECK(rec.after[0].rowcount == 3);

  rec.clear();
  conn.execute(retort::update(users).values({{"name", "x"}}).where(users.c("id") > 1));
  REQUIRE(rec.after.size() == 1);
  CHECK(rec.after[0].rowcount == 3);

  rec.clear();
  conn.exec_driver_sql("SELECT ? + ?", {1, 2});
  REQUIRE(rec.before.size() == 1);
  CHECK(rec.before[0].sql == "SELECT ? + ?");
  CHECK(rec.before[0].params == std::vector<retort::Value>{1, 2});

  // Transaction control goes through the events too.
  rec.clear();
  auto tx = conn.begin();
  auto sp = conn.begin_nested();
  sp.rollback();
  tx.commit();
  std::vector<std::string> statements;
  for (const auto& s : rec.before) statements.push_back(s.sql);
  REQUIRE(statements.size() == 5);
  CHECK(statements[0] == "BEGIN");
  CHECK(contains(statements[1], "SAVEPOINT"));
  CHECK(contains(statements[2], "ROLLBACK TO SAVEPOINT"));
  CHECK(contains(statements[3], "RELEASE SAVEPOINT"));
  CHECK(statements[4] == "COMMIT");
}

TEST_CASE("handle_error sees the error and the statement, which is then rethrown", "[sqlite][events]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url());
  Recorder rec;
  rec.attach(engine);
  auto conn = engine.connect();
  conn.exec_driver_sql("CREATE TABLE t (x INTEGER UNIQUE)");
  conn.exec_driver_sql("INSERT INTO t VALUES (1)");
  rec.clear();

  CHECK_THROWS_AS(conn.exec_driver_sql("INSERT INTO t VALUES (1)"), retort::IntegrityError);
  REQUIRE(rec.errors.size() == 1);
  CHECK(rec.error_sql[0] == "INSERT INTO t VALUES (1)");
  CHECK(contains(rec.errors[0], "UNIQUE"));
  CHECK(rec.error_codes[0] != 0);
  CHECK(rec.before.size() == 1);
  CHECK(rec.after.empty());  // after_execute only for success

  CHECK_THROWS_AS(conn.execute(retort::text("SELECT * FROM missing_table")), retort::ProgrammingError);
  REQUIRE(rec.errors.size() == 2);
  CHECK(contains(rec.error_sql[1], "missing_table"));

  CHECK_THROWS_AS(conn.execute_script("CREATE TABLE ok (x); SELECT nonsense FROM;"), retort::ProgrammingError);
  REQUIRE(rec.errors.size() == 3);

  CHECK_THROWS_AS(conn.execute(retort::text("INSERT INTO t VALUES (:v)")),
                  retort::ArgumentError);  // not a database error: no handle_error
  CHECK(rec.errors.size() == 3);

  // A listener may throw its own exception instead.
  engine.events().handle_error(
      [](const retort::DBAPIError&, std::string_view) { throw std::runtime_error("translated by listener"); });
  CHECK_THROWS_WITH(conn.exec_driver_sql("INSERT INTO t VALUES (1)"), "translated by listener");
  // The connection survives all of this.
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one<int>() == 1);
}

TEST_CASE("echo prints statements to stderr and still executes them", "[sqlite][events]") {
  retort::testing::TempDatabase db;
  retort::EngineOptions options;
  options.echo = true;
  auto engine = retort::create_engine(db.url(), options);
  auto capture = db.path().string() + ".stderr";

  std::fflush(stderr);
  int saved = ::dup(STDERR_FILENO);
  int fd = ::open(capture.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  ::dup2(fd, STDERR_FILENO);
  ::close(fd);
  int answer = 0;
  std::int64_t inserted = 0;
  {
    auto conn = engine.connect();
    conn.exec_driver_sql("CREATE TABLE echoed (x)");
    auto tx = conn.begin();
    inserted = conn.execute(retort::text("INSERT INTO echoed VALUES (:v)"),
                            std::vector<retort::Params>{{{"v", 1}}, {{"v", 2}}})
                   .rowcount();
    tx.commit();
    answer = conn.execute(retort::text("SELECT sum(x) + :extra FROM echoed"), retort::Params{{"extra", 39}})
                 .scalar_one<int>();
  }
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);

  CHECK(inserted == 2);
  CHECK(answer == 42);
  std::ifstream in(capture);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(capture);
  CHECK(contains(text.str(), "CREATE TABLE echoed"));
  CHECK(contains(text.str(), "INSERT INTO echoed"));
  CHECK(contains(text.str(), "SELECT sum(x)"));
  CHECK(contains(text.str(), "39"));
  CHECK(contains(text.str(), "BEGIN"));
  CHECK(contains(text.str(), "COMMIT"));
}
