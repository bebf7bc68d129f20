// Statement execution through Engine and Connection: DML, text() and parameters (named,
// positional, missing), exec_driver_sql, execute_script, executemany with batching and RETURNING,
// rowcount and lastrowid.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <retort/core/engine/pool.hpp>
#include <retort/retort.hpp>

#include "support/temp_database.hpp"

namespace {

struct Fixture {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  retort::Table& users =
      metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("name", retort::String{50}).not_null(), retort::Column("age", retort::Integer{}));
  retort::Engine engine = retort::create_engine(db.url());
  Fixture() { metadata.create_all(engine); }

  std::vector<std::string> names(retort::Connection& conn) {
    return conn.execute(retort::select(users.c("name")).order_by({users.c("id")})).scalars<std::string>();
  }
};

}  // namespace

TEST_CASE("execute insert, select, update and delete", "[sqlite][engine]") {
  Fixture f;
  auto& users = f.users;
  auto conn = f.engine.connect();

  auto inserted = conn.execute(retort::insert(users).values({{"name", "alice"}, {"age", 30}}));
  CHECK(inserted.rowcount() == 1);
  CHECK(inserted.lastrowid() == std::optional<std::int64_t>(1));
  CHECK_FALSE(inserted.returns_rows());
  inserted = conn.execute(retort::insert(users).values({{"name", "bob"}, {"age", 25}}));
  CHECK(inserted.lastrowid() == std::optional<std::int64_t>(2));
  conn.execute(retort::insert(users).values({{"name", "carol"}, {"age", 41}}));

  auto rows = conn.execute(retort::select(users.c("id"), users.c("name"), users.c("age"))
                               .where(users.c("age") > 26)
                               .order_by({users.c("age").desc()}))
                  .all();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].get<std::string>("name") == "carol");
  CHECK(rows[1].get<std::string>("name") == "alice");
  CHECK(rows[1].get<int>("id") == 1);

  auto updated = conn.execute(retort::update(users).values({{"age", 99}}).where(users.c("age") < 35));
  CHECK(updated.rowcount() == 2);
  CHECK(conn.execute(retort::select(retort::func::count()).select_from(users).where(users.c("age") == 99))
            .scalar_one<int>() == 2);

  auto deleted = conn.execute(retort::delete_(users).where(users.c("name") == "bob"));
  CHECK(deleted.rowcount() == 1);
  CHECK(f.names(conn) == std::vector<std::string>{"alice", "carol"});

  auto none = conn.execute(retort::delete_(users).where(users.c("name") == "nobody"));
  CHECK(none.rowcount() == 0);
}

TEST_CASE("text() with :params, bound values and escaped colons", "[sqlite][engine]") {
  Fixture f;
  auto conn = f.engine.connect();
  conn.execute(retort::text("INSERT INTO users (name, age) VALUES (:name, :age)"),
               retort::Params{{"name", "dave"}, {"age", 50}});
  CHECK(conn.execute(retort::text("SELECT age FROM users WHERE name = :n"), retort::Params{{"n", "dave"}})
            .scalar_one<int>() == 50);
  // Values given to text() itself are bound; params of the same name take precedence.
  CHECK(conn.execute(retort::text("SELECT :a * :b", {{"a", 6}, {"b", 7}})).scalar_one<int>() == 42);
  CHECK(
      conn.execute(retort::text("SELECT :a * :b", {{"a", 6}, {"b", 7}}), retort::Params{{"b", 10}}).scalar_one<int>() ==
      60);
  // The same parameter used twice binds the same value twice.
  CHECK(conn.execute(retort::text("SELECT :x + :x"), retort::Params{{"x", 21}}).scalar_one<int>() == 42);
  // Colons inside string literals and escaped colons are not parameters.
  CHECK(conn.execute(retort::text("SELECT ':notaparam' || :v"), retort::Params{{"v", "!"}}).scalar_one<std::string>() ==
        ":notaparam!");
}

TEST_CASE("positional values fill unnamed slots in order", "[sqlite][engine]") {
  Fixture f;
  auto conn = f.engine.connect();
  CHECK(conn.execute(retort::text("SELECT :a - :b"), std::vector<retort::Value>{10, 3}).scalar_one<int>() == 7);
  CHECK(conn.execute(retort::text("SELECT :a || :b"), std::vector<retort::Value>{"x", "y"}).scalar_one<std::string>() ==
        "xy");
  auto stmt = retort::select(retort::bindparam("first"), retort::bindparam("second"));
  auto row = conn.execute(stmt, std::vector<retort::Value>{1, "two"}).one();
  CHECK(row.get<int>(0) == 1);
  CHECK(row.get<std::string>(1) == "two");
  // Too few values: the slot left over is reported.
  CHECK_THROWS_AS(conn.execute(stmt, std::vector<retort::Value>{1}), retort::ArgumentError);
  // Spelled in place, with any value a Value takes.
  auto braced = conn.execute(stmt, {2, "three"}).one();
  CHECK(braced.get<int>(0) == 2);
  CHECK(braced.get<std::string>(1) == "three");
  CHECK(conn.execute(retort::text("SELECT :a IS NULL"), {nullptr}).scalar_one<bool>());
}

TEST_CASE("a one-row executemany spelled in place inserts that row", "[sqlite][engine]") {
  // {{{"id", 1}}} is a list of one Params: it was ambiguous with one positional value (the
  // string "id" cut to one character) and did not compile.
  Fixture f;
  auto conn = f.engine.connect();
  conn.execute_script("CREATE TABLE one (id INTEGER PRIMARY KEY, name TEXT)");
  retort::MetaData metadata;
  auto& one = metadata.table("one", retort::Column("id", retort::Integer{}).primary_key(),
                             retort::Column("name", retort::Text{}));
  CHECK(conn.execute(retort::insert(one), {{{"id", 1}}}).rowcount() == 1);
  conn.execute(retort::insert(one), {{{"id", 2}, {"name", "two"}}});
  conn.execute(retort::insert(one).values({{{"id", 3}}}));
  CHECK(conn.execute(retort::select(one.c("id")).order_by(one.c("id"))).scalars<int>() == std::vector<int>{1, 2, 3});
  CHECK(conn.execute(retort::select(one.c("name")).where(one.c("id") == 2)).scalar_one<std::string>() == "two");
}

TEST_CASE("named bindparam values come from Params or their defaults", "[sqlite][engine]") {
  Fixture f;
  auto& users = f.users;
  auto conn = f.engine.connect();
  conn.execute(retort::insert(users),
               std::vector<retort::Params>{
                   {{"name", "a"}, {"age", 1}}, {{"name", "b"}, {"age", 2}}, {{"name", "c"}, {"age", 3}}});
  auto by_age = retort::select(users.c("name")).where(users.c("age") >= retort::bindparam("min_age"));
  CHECK(conn.execute(by_age, retort::Params{{"min_age", 2}}).scalars<std::string>() ==
        std::vector<std::string>{"b", "c"});
  CHECK(conn.execute(by_age, retort::Params{{"min_age", 3}}).scalars<std::string>() == std::vector<std::string>{"c"});
  auto with_default = retort::select(users.c("name")).where(users.c("age") == retort::bindparam("age_is", 1));
  CHECK(conn.execute(with_default).scalar_one<std::string>() == "a");
  CHECK(conn.execute(with_default, retort::Params{{"age_is", 2}}).scalar_one<std::string>() == "b");
}

TEST_CASE("a missing parameter raises ArgumentError naming it", "[sqlite][engine]") {
  Fixture f;
  auto conn = f.engine.connect();
  try {
    conn.execute(retort::text("SELECT :present, :the_missing_one"), retort::Params{{"present", 1}});
    FAIL("no error for a missing parameter");
  } catch (const retort::ArgumentError& e) {
    CHECK_THAT(e.what(), Catch::Contains("the_missing_one"));
  }
  auto stmt = retort::select(f.users.c("id")).where(f.users.c("name") == retort::bindparam("wanted_name"));
  try {
    conn.execute(stmt);
    FAIL("no error for a missing parameter");
  } catch (const retort::ArgumentError& e) {
    CHECK_THAT(e.what(), Catch::Contains("wanted_name"));
  }
  // The connection is still usable afterwards.
  CHECK(conn.execute(retort::text("SELECT 1")).scalar_one<int>() == 1);
}

TEST_CASE("exec_driver_sql runs SQL in the driver's paramstyle", "[sqlite][engine]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto r = conn.exec_driver_sql("INSERT INTO users (name, age) VALUES (?, ?)", {"erin", 33});
  CHECK(r.rowcount() == 1);
  CHECK(r.lastrowid() == std::optional<std::int64_t>(1));
  CHECK(conn.exec_driver_sql("SELECT name, age FROM users WHERE age = ?", {33}).one().get<std::string>(0) == "erin");
  CHECK(conn.exec_driver_sql("SELECT ? + ?", {2, 3}).scalar_one<int>() == 5);
  CHECK_THROWS_AS(conn.exec_driver_sql("SELECT ?", {}), retort::ProgrammingError);
  CHECK_THROWS_AS(conn.exec_driver_sql("SELECT ?", {1, 2}), retort::ProgrammingError);
}

TEST_CASE("execute_script runs several statements", "[sqlite][engine]") {
  Fixture f;
  auto conn = f.engine.connect();
  conn.execute_script(
      "CREATE TABLE script_t (x INTEGER);\n"
      "INSERT INTO script_t VALUES (1);\n"
      "-- a comment\n"
      "INSERT INTO script_t VALUES (2);\n");
  CHECK(conn.exec_driver_sql("SELECT sum(x) FROM script_t").scalar_one<int>() == 3);
  CHECK_THROWS_AS(conn.execute_script("INSERT INTO script_t VALUES (3); INSERT INTO nope VALUES (4);"),
                  retort::ProgrammingError);
  // Statements before the failing one ran (no implicit transaction).
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM script_t").scalar_one<int>() == 3);
}

TEST_CASE("executemany INSERT takes its columns from the parameter names", "[sqlite][engine]") {
  Fixture f;
  auto& users = f.users;
  auto conn = f.engine.connect();
  auto r = conn.execute(retort::insert(users), std::vector<retort::Params>{
                                                   {{"name", "a"}, {"age", 1}},
                                                   {{"name", "b"}, {"age", 2}},
                                                   {{"name", "c"}, {"age", 3}},
                                               });
  CHECK(r.rowcount() == 3);
  CHECK_FALSE(r.returns_rows());
  auto rows = conn.execute(retort::select(users.c("name"), users.c("age")).order_by({users.c("id")})).all();
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].get<std::string>(0) == "c");
  CHECK(rows[2].get<int>(1) == 3);
  // A single row through the executemany path works too.
  CHECK(conn.execute(retort::insert(users), std::vector<retort::Params>{{{"name", "d"}}}).rowcount() == 1);
  CHECK(conn.execute(retort::select(users.c("age")).where(users.c("name") == "d")).scalar_one<std::optional<int>>() ==
        std::nullopt);
  // No rows at all is an error rather than a silent no-op.
  CHECK_THROWS_AS(conn.execute(retort::insert(users), std::vector<retort::Params>{}), retort::ArgumentError);
  // Every row must carry every column.
  CHECK_THROWS_AS(
      conn.execute(retort::insert(users), std::vector<retort::Params>{{{"name", "e"}, {"age", 5}}, {{"name", "f"}}}),
      retort::ArgumentError);
}

TEST_CASE("executemany runs a statement without parameters once per row", "[sqlite][engine]") {
  Fixture f;
  auto conn = f.engine.connect();
  conn.exec_driver_sql("CREATE TABLE counter (n INTEGER NOT NULL DEFAULT 0)");
  conn.exec_driver_sql("INSERT INTO counter DEFAULT VALUES");
  auto r = conn.execute(retort::text("UPDATE counter SET n = n + 1"), std::vector<retort::Params>(3));
  CHECK(r.rowcount() == 3);
  CHECK(conn.exec_driver_sql("SELECT n FROM counter").scalar_one<int>() == 3);

  retort::MetaData metadata;
  auto& defaults = metadata.table("defaults", retort::Column("id", retort::Integer{}).primary_key(),
                                  retort::Column("v", retort::Integer{}).server_default(retort::Value(7)));
  metadata.create_all(f.engine);
  CHECK(conn.execute(retort::insert(defaults), std::vector<retort::Params>(4)).rowcount() == 4);
  CHECK(conn.execute(retort::select(retort::func::sum(defaults.c("v")))).scalar_one<int>() == 28);
}

TEST_CASE("executemany INSERT beyond one multi-row batch", "[sqlite][engine]") {
  Fixture f;
  auto& users = f.users;
  auto conn = f.engine.connect();
  int statements = 0;
  f.engine.events().before_execute([&](const retort::StatementEvent&) { ++statements; });
  std::vector<retort::Params> rows;
  for (int i = 0; i < 2500; ++i) rows.push_back({{"name", "user" + std::to_string(i)}, {"age", i}});
  auto r = conn.execute(retort::insert(users), rows);
  CHECK(r.rowcount() == 2500);
  CHECK(statements == 1);
  CHECK(conn.exec_driver_sql("SELECT count(*), sum(age), min(id), max(id) FROM users").one().values() ==
        std::vector<retort::Value>{2500, 2500 * 2499 / 2, 1, 2500});
  // Rows keep their order and pairing.
  auto row = conn.exec_driver_sql("SELECT name, age FROM users WHERE id = 1234").one();
  CHECK(row.get<std::string>(0) == "user1233");
  CHECK(row.get<int>(1) == 1233);
}

TEST_CASE("executemany INSERT ... RETURNING returns the rows in order", "[sqlite][engine]") {
  Fixture f;
  auto& users = f.users;
  auto conn = f.engine.connect();
  conn.execute(retort::insert(users).values({{"name", "existing"}}));
  std::vector<retort::Params> rows;
  for (int i = 0; i < 2500; ++i) rows.push_back({{"name", "n" + std::to_string(i)}, {"age", i * 2}});
  auto result = conn.execute(retort::insert(users).returning({users.c("id"), users.c("name"), users.c("age")}), rows);
  REQUIRE(result.returns_rows());
  CHECK(result.keys() == std::vector<std::string>{"id", "name", "age"});
  auto returned = result.all();
  REQUIRE(returned.size() == 2500);
  for (std::size_t i = 0; i < returned.size(); ++i) {
    INFO("row " << i);
    REQUIRE(returned[i].get<std::int64_t>("id") == static_cast<std::int64_t>(i) + 2);
    REQUIRE(returned[i].get<std::string>("name") == "n" + std::to_string(i));
    REQUIRE(returned[i].get<int>("age") == static_cast<int>(i) * 2);
  }
}

TEST_CASE("executemany UPDATE with a bindparam in WHERE", "[sqlite][engine]") {
  Fixture f;
  auto& users = f.users;
  auto conn = f.engine.connect();
  conn.execute(retort::insert(users),
               std::vector<retort::Params>{
                   {{"name", "a"}, {"age", 1}}, {{"name", "b"}, {"age", 2}}, {{"name", "c"}, {"age", 3}}});
  SECTION("SET columns from the other parameter names") {
    auto stmt = retort::update(users).where(users.c("id") == retort::bindparam("target_id"));
    auto r = conn.execute(stmt, std::vector<retort::Params>{{{"target_id", 1}, {"name", "A"}},
                                                            {{"target_id", 3}, {"name", "C"}},
                                                            {{"target_id", 99}, {"name", "nobody"}}});
    CHECK(r.rowcount() == 2);
    CHECK(f.names(conn) == std::vector<std::string>{"A", "b", "C"});
    // age was not among the parameters, so it is untouched.
    CHECK(conn.exec_driver_sql("SELECT sum(age) FROM users").scalar_one<int>() == 6);
  }
  SECTION("explicit SET with bindparams") {
    auto stmt = retort::update(users)
                    .values({{"age", retort::bindparam("new_age")}})
                    .where(users.c("name") == retort::bindparam("who"));
    auto r = conn.execute(
        stmt, std::vector<retort::Params>{{{"new_age", 10}, {"who", "a"}}, {{"new_age", 20}, {"who", "b"}}});
    CHECK(r.rowcount() == 2);
    CHECK(conn.execute(retort::select(users.c("age")).order_by({users.c("id")})).scalars<int>() ==
          std::vector<int>{10, 20, 3});
  }
}

TEST_CASE("executemany DELETE and the compiled statement cache", "[sqlite][engine]") {
  Fixture f;
  auto& users = f.users;
  auto conn = f.engine.connect();
  conn.execute(retort::insert(users), std::vector<retort::Params>{{{"name", "a"}}, {{"name", "b"}}, {{"name", "c"}}});
  auto r = conn.execute(retort::delete_(users).where(users.c("name") == retort::bindparam("n")),
                        std::vector<retort::Params>{{{"n", "a"}}, {{"n", "c"}}});
  CHECK(r.rowcount() == 2);
  CHECK(f.names(conn) == std::vector<std::string>{"b"});
  // The same statement shape with different values gives the right answers each time.
  for (int i = 0; i < 3; ++i) {
    auto stmt = retort::select(retort::literal(i).label("v"));
    CHECK(conn.execute(stmt).scalar_one<int>() == i);
  }
}

TEST_CASE("insert returning, update returning and delete returning", "[sqlite][engine]") {
  Fixture f;
  auto& users = f.users;
  auto conn = f.engine.connect();
  auto id = conn.execute(retort::insert(users).values({{"name", "x"}, {"age", 5}}).returning({users.c("id")}))
                .scalar_one<int>();
  CHECK(id == 1);
  auto updated = conn.execute(retort::update(users)
                                  .values({{"age", users.c("age") + 1}})
                                  .where(users.c("id") == id)
                                  .returning({users.c("age")}))
                     .scalar_one<int>();
  CHECK(updated == 6);
  auto gone = conn.execute(retort::delete_(users).where(users.c("id") == id).returning({users.c("name")}))
                  .scalars<std::string>();
  CHECK(gone == std::vector<std::string>{"x"});
}

TEST_CASE("engines compile once and work from sqlite:// in memory", "[sqlite][engine]") {
  auto engine = retort::create_engine("sqlite://");
  retort::MetaData metadata;
  auto& t =
      metadata.table("t", retort::Column("id", retort::Integer{}).primary_key(), retort::Column("v", retort::Text{}));
  metadata.create_all(engine);
  auto conn = engine.connect();
  conn.execute(retort::insert(t), std::vector<retort::Params>{{{"v", "a"}}, {{"v", "b"}}});
  CHECK(conn.execute(retort::select(retort::func::count()).select_from(t)).scalar_one<int>() == 2);
  CHECK(engine.dialect().name() == "sqlite");
  CHECK(engine.url().render() == "sqlite://");
}

TEST_CASE("a closed connection refuses to execute", "[sqlite][engine]") {
  Fixture f;
  auto conn = f.engine.connect();
  conn.close();
  CHECK(conn.closed());
  CHECK_THROWS_AS(conn.execute(retort::text("SELECT 1")), retort::ResourceClosedError);
  CHECK_THROWS_AS(conn.exec_driver_sql("SELECT 1"), retort::ResourceClosedError);
  CHECK_THROWS_AS(conn.begin(), retort::ResourceClosedError);
  CHECK(f.engine.pool().checked_out() == 0);
}
