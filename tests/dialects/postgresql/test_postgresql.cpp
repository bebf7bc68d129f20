// The PostgreSQL dialect against a live server: connecting, the Core API (CRUD, executemany,
// RETURNING, text()), type round trips, transactions and savepoints, error mapping, streaming.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <retort/dialects/postgresql/postgresql_dialect.hpp>
#include <retort/retort.hpp>

#include "pg_test_support.hpp"

namespace pg = retort::dialects::postgresql;
using retort::testing::PgSchema;

TEST_CASE("postgresql: connect, run a query, ping", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  auto engine = retort::create_engine(url);
  CHECK(engine.dialect().name() == "postgresql");
  CHECK(engine.dialect().features().paramstyle == retort::ParamStyle::Numeric);
  auto conn = engine.connect();
  CHECK(conn.execute(retort::text("SELECT 1 + 1")).scalar_one<int>() == 2);
  CHECK(conn.driver_connection().ping());
  CHECK_FALSE(conn.driver_connection().in_transaction());
  auto version = conn.execute(retort::text("SHOW server_version_num")).scalar_one<std::string>();
  CHECK(std::stoi(version) >= 100000);
  // The other registered names reach the same dialect.
  auto parsed = retort::URL::parse(url);
  for (const char* scheme : {"postgres", "postgresql+libpq"}) {
    std::string other = url;
    other.replace(0, other.find("://"), scheme);
    auto e = retort::create_engine(other);
    CHECK(e.connect().execute(retort::text("SELECT 'ok'")).scalar_one<std::string>() == "ok");
  }
}

TEST_CASE("postgresql: a wrong password is an OperationalError without the password", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  auto parsed = retort::URL::parse(url);
  std::string secret = "Wr0ng-Secret-pw";
  std::string bad = "postgresql://" + parsed.username().value_or("retort") + ":" + secret + "@" +
                    parsed.host().value_or("127.0.0.1") + ":" + std::to_string(parsed.port().value_or(5432)) + "/" +
                    parsed.database().value_or("postgres");
  auto engine = retort::create_engine(bad);
  try {
    engine.connect();
    FAIL("connected with a wrong password");
  } catch (const retort::OperationalError& e) {
    std::string message = e.what();
    INFO(message);
    CHECK(message.find(secret) == std::string::npos);
    CHECK(message.find(parsed.password().value_or("retort-pw")) == std::string::npos);
    CHECK(message.find("password authentication failed") != std::string::npos);
    CHECK(message.find(parsed.host().value_or("")) != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("postgresql: URL options are checked and used", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  auto parsed = retort::URL::parse(url);
  CHECK_THROWS_AS(pg::PostgreSQLDialect::options_from_url(parsed.with_query("sslmod", "require")),
                  retort::ArgumentError);
  CHECK_THROWS_AS(pg::PostgreSQLDialect::options_from_url(parsed.with_query("sslmode", "sometimes")),
                  retort::ArgumentError);
  CHECK_THROWS_AS(pg::PostgreSQLDialect::options_from_url(parsed.with_query("connect_timeout", "soon")),
                  retort::ArgumentError);
  try {
    pg::PostgreSQLDialect::options_from_url(parsed.with_query("bogus", "1"));
    FAIL("unknown option accepted");
  } catch (const retort::ArgumentError& e) {
    CHECK(std::string(e.what()).find("bogus") != std::string::npos);
    CHECK(std::string(e.what()).find("sslmode") != std::string::npos);
  }

  auto engine = retort::create_engine(parsed.with_query("application_name", "retort-test-app")
                                          .with_query("connect_timeout", "5")
                                          .with_query("sslmode", "disable")
                                          .with_query("target_session_attrs", "any")
                                          .with_query("options", "-cstatement_timeout=12345"));
  auto conn = engine.connect();
  CHECK(conn.execute(retort::text("SELECT current_setting('application_name')")).scalar_one<std::string>() ==
        "retort-test-app");
  CHECK(conn.execute(retort::text("SHOW statement_timeout")).scalar_one<std::string>() == "12345ms");

  // Nothing listens on port 1: a one-line OperationalError naming host and port.
  auto nowhere = retort::create_engine("postgresql://u:TopSecret99@127.0.0.1:1/db?connect_timeout=3");
  try {
    nowhere.connect();
    FAIL("connected to port 1");
  } catch (const retort::OperationalError& e) {
    std::string message = e.what();
    INFO(message);
    CHECK(message.find("127.0.0.1:1") != std::string::npos);
    CHECK(message.find("TopSecret99") == std::string::npos);
  }
}

TEST_CASE("postgresql: connect through the Unix socket with ?host=/path", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  const char* dir = std::getenv("RETORT_TEST_SERVERS_DIR");
  if (!dir) {
    WARN("skipped: RETORT_TEST_SERVERS_DIR is not set (the socket lives in the servers' folder)");
    return;
  }
  auto parsed = retort::URL::parse(url);
  std::string socket_url = "postgresql://" + parsed.username().value_or("retort") + "@/" +
                           parsed.database().value_or("postgres") + "?host=" + dir +
                           "/pg&port=" + std::to_string(parsed.port().value_or(5432));
  auto engine = retort::create_engine(socket_url);
  auto conn = engine.connect();
  // inet_server_addr() is NULL over a Unix socket.
  CHECK_FALSE(conn.execute(retort::text("SELECT inet_server_addr()")).scalar_one<std::optional<std::string>>());
}

TEST_CASE("postgresql: insert, executemany, select, update, delete through Core", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  PgSchema schema(url);
  retort::MetaData metadata;
  auto& users =
      metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("name", retort::String{50}).not_null(), retort::Column("score", retort::Integer{}));
  metadata.create_all(schema.engine());
  auto conn = schema.engine().connect();

  auto inserted = conn.execute(
      retort::insert(users).values({{"name", "Alice"}, {"score", 10}}).returning({users.c("id"), users.c("name")}));
  auto row = inserted.one();
  CHECK(row.get<int>("id") == 1);  // SERIAL
  CHECK(row.get<std::string>("name") == "Alice");

  std::vector<retort::Params> many;
  for (int i = 0; i < 2500; ++i) many.push_back({{"name", "user" + std::to_string(i)}, {"score", i}});
  auto result = conn.execute(retort::insert(users), many);
  CHECK(result.rowcount() == 2500);
  CHECK(conn.execute(retort::select(retort::func::count(users.c("id")))).scalar_one<int>() == 2501);

  // executemany with RETURNING gives the rows back in order.
  auto returned =
      conn.execute(retort::insert(users).returning({users.c("id"), users.c("score")}),
                   std::vector<retort::Params>{{{"name", "r1"}, {"score", -1}}, {{"name", "r2"}, {"score", -2}}})
          .all();
  REQUIRE(returned.size() == 2);
  CHECK(returned[0].get<int>("score") == -1);
  CHECK(returned[1].get<int>("id") == returned[0].get<int>("id") + 1);

  auto top = conn.execute(retort::select(users.c("name"), users.c("score"))
                              .where(users.c("score") >= 2497)
                              .order_by({retort::desc(users.c("score"))})
                              .limit(2))
                 .all();
  REQUIRE(top.size() == 2);
  CHECK(top[0].get<std::string>(0) == "user2499");
  CHECK(top[1].get<int>(1) == 2498);

  CHECK(conn.execute(retort::select(users.c("name")).where(users.c("name").ilike(retort::literal("ALI%"))))
            .scalar_one<std::string>() == "Alice");

  auto updated = conn.execute(retort::update(users).where(users.c("score") < 100).values({{"score", 0}}));
  CHECK(updated.rowcount() == 1 + 100 + 2);  // Alice, user0..user99 and the two negative ones
  auto changed = conn.execute(
      retort::update(users).where(users.c("name") == "Alice").values({{"score", 99}}).returning({users.c("score")}));
  CHECK(changed.scalar_one<int>() == 99);

  // UPDATE executemany goes through the driver's pipelined execute_many.
  std::vector<retort::Params> renames;
  for (int i = 0; i < 300; ++i)
    renames.push_back({{"old", "user" + std::to_string(i)}, {"new", "renamed" + std::to_string(i)}});
  auto renamed = conn.execute(retort::update(users)
                                  .where(users.c("name") == retort::bindparam("old"))
                                  .values({{"name", retort::bindparam("new")}}),
                              renames);
  CHECK(renamed.rowcount() == 300);
  CHECK(conn.execute(retort::text("SELECT count(*) FROM users WHERE name LIKE 'renamed%'")).scalar_one<int>() == 300);

  auto deleted = conn.execute(retort::delete_(users).where(users.c("score") == 0));
  CHECK(deleted.rowcount() == 102);  // the renamed user0..user99 and r1, r2 (Alice has 99 now)
  CHECK(conn.execute(retort::select(retort::func::count(users.c("id")))).scalar_one<int>() == 2503 - 102);
}

TEST_CASE("postgresql: text() with :params and :: casts", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  auto engine = retort::create_engine(url);
  auto conn = engine.connect();
  auto row = conn.execute(retort::text("SELECT :a::int + 1 AS n, :b::text || '!' AS s, '2024-01-02'::date AS d, "
                                       "CAST(:c AS numeric(10, 2)) AS x, :a AS again"),
                          retort::Params{{"a", 41}, {"b", "hi"}, {"c", "3.5"}})
                 .one();
  CHECK(row.get<int>("n") == 42);
  CHECK(row.get<std::string>("s") == "hi!");
  CHECK(row.get<std::string>("d") == "2024-01-02");
  CHECK(row.get<std::string>("x") == "3.50");
  CHECK(row.get<int>("again") == 41);
  // Integers fit int4 parameters, so int-only functions accept them.
  CHECK(conn.execute(retort::text("SELECT substr('abcdef', :from, :len)"), retort::Params{{"from", 2}, {"len", 3}})
            .scalar_one<std::string>() == "bcd");
  CHECK(conn.execute(retort::text("SELECT :big::bigint * 2"), retort::Params{{"big", 5'000'000'000LL}})
            .scalar_one<std::int64_t>() == 10'000'000'000LL);
  // A parameter used with a string is inferred from the context.
  CHECK(conn.execute(retort::text("SELECT :d::date + 1"), retort::Params{{"d", "2024-02-28"}})
            .scalar_one<std::string>() == "2024-02-29");
  CHECK(conn.execute(retort::text("SELECT now() <= now()")).scalar_one<bool>());
  CHECK(conn.execute(retort::select(retort::func::now())).scalar_one<std::string>().size() > 10);
}

TEST_CASE("postgresql: every type round-trips", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  PgSchema schema(url);
  retort::MetaData metadata;
  auto& t = metadata.table("everything", retort::Column("id", retort::Integer{}).primary_key(),
                           retort::Column("small", retort::SmallInteger{}), retort::Column("big", retort::BigInteger{}),
                           retort::Column("num", retort::Numeric{12, 4}), retort::Column("r", retort::Float{}),
                           retort::Column("dbl", retort::Double{}), retort::Column("flag", retort::Boolean{}),
                           retort::Column("txt", retort::Text{}), retort::Column("vc", retort::String{20}),
                           retort::Column("bin", retort::LargeBinary{}), retort::Column("day", retort::Date{}),
                           retort::Column("clock", retort::Time{}), retort::Column("ts", retort::DateTime{}),
                           retort::Column("tstz", retort::DateTime{true}), retort::Column("span", retort::Interval{}),
                           retort::Column("uid", retort::UUID{}), retort::Column("doc", retort::JSON{}),
                           retort::Column("docb", pg::JSONB()),
                           retort::Column("mood", retort::Enum{{"happy", "sad", "it's complicated"}, "mood"}),
                           retort::Column("tags", pg::ARRAY("INTEGER")), retort::Column("addr", pg::INET()));
  metadata.create_all(schema.engine());
  auto conn = schema.engine().connect();

  retort::Blob bytes{0x00, 0x01, 0x7f, 0x80, 0xff, 0x5c, 0x27};
  conn.execute(retort::insert(t).values({{"id", 1},
                                         {"small", -32768},
                                         {"big", 9'223'372'036'854'775'807LL},
                                         {"num", "12345678.1234"},
                                         {"r", 1.5f},
                                         {"dbl", 0.1},
                                         {"flag", true},
                                         {"txt", "héllo\n'quoted' \\ back"},
                                         {"vc", "short"},
                                         {"bin", bytes},
                                         {"day", "2024-02-29"},
                                         {"clock", "13:14:15.5"},
                                         {"ts", "2024-02-29 13:14:15.123456"},
                                         {"tstz", "2024-02-29 13:14:15+02"},
                                         {"span", "1 day 02:03:04"},
                                         {"uid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
                                         {"doc", R"({"a": [1, 2]})"},
                                         {"docb", R"({"b": true, "a": 1})"},
                                         {"mood", "it's complicated"},
                                         {"tags", "{1,2,3}"},
                                         {"addr", "192.168.0.1/32"}}));
  conn.execute(retort::insert(t).values({{"id", 2}}));  // all NULL

  auto conn2 = schema.engine().connect();
  conn2.execute(retort::text("SET TIME ZONE 'UTC'"));
  auto row = conn2.execute(retort::select(retort::star()).select_from(t).where(t.c("id") == 1)).one();
  CHECK(row["small"].kind() == retort::Value::Kind::Integer);
  CHECK(row.get<int>("small") == -32768);
  CHECK(row.get<std::int64_t>("big") == 9'223'372'036'854'775'807LL);
  CHECK(row["num"].kind() == retort::Value::Kind::Text);
  CHECK(row.get<std::string>("num") == "12345678.1234");
  CHECK(row["r"].kind() == retort::Value::Kind::Real);
  CHECK(row.get<double>("r") == 1.5);
  CHECK(row.get<double>("dbl") == 0.1);
  CHECK(row["flag"].kind() == retort::Value::Kind::Boolean);
  CHECK(row.get<bool>("flag"));
  CHECK(row.get<std::string>("txt") == "héllo\n'quoted' \\ back");
  CHECK(row.get<std::string>("vc") == "short");
  CHECK(row["bin"].kind() == retort::Value::Kind::Binary);
  CHECK(row.get<retort::Blob>("bin") == bytes);
  CHECK(row.get<std::string>("day") == "2024-02-29");
  CHECK(row.get<std::string>("clock") == "13:14:15.5");
  CHECK(row.get<std::string>("ts") == "2024-02-29 13:14:15.123456");
  CHECK(row.get<std::string>("tstz") == "2024-02-29 11:14:15+00");
  CHECK(row.get<std::string>("span") == "1 day 02:03:04");
  CHECK(row.get<std::string>("uid") == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  CHECK(row.get<std::string>("doc") == R"({"a": [1, 2]})");
  CHECK(row.get<std::string>("docb") == R"({"a": 1, "b": true})");
  CHECK(row.get<std::string>("mood") == "it's complicated");
  CHECK(row.get<std::string>("tags") == "{1,2,3}");
  CHECK(row.get<std::string>("addr") == "192.168.0.1");

  auto empty = conn2.execute(retort::select(retort::star()).select_from(t).where(t.c("id") == 2)).one();
  for (std::size_t i = 1; i < empty.size(); ++i) CHECK(empty[i].is_null());

  // Values the driver must spell exactly: extremes and non-finite floats, empty blobs.
  auto extremes = conn2
                      .execute(retort::text("SELECT :a::float8, :b::float8, :c::float8, :d::bytea, :e::bool, :f"),
                               retort::Params{{"a", 1e300},
                                              {"b", std::nan("")},
                                              {"c", -INFINITY},
                                              {"d", retort::Blob{}},
                                              {"e", false},
                                              {"f", retort::Null{}}})
                      .one();
  CHECK(extremes.get<double>(0) == 1e300);
  CHECK(std::isnan(extremes.get<double>(1)));
  CHECK(extremes.get<double>(2) == -INFINITY);
  CHECK(extremes.get<retort::Blob>(3).empty());
  CHECK_FALSE(extremes.get<bool>(4));
  CHECK(extremes[5].is_null());

  // A wrong enum value is a DataError (invalid_text_representation).
  CHECK_THROWS_AS(conn.execute(retort::insert(t).values({{"id", 3}, {"mood", "angry"}})), retort::DataError);
}

TEST_CASE("postgresql: transactions, savepoints and DDL rollback", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  PgSchema schema(url);
  auto conn = schema.engine().connect();
  conn.execute(retort::text("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT)"));
  {
    auto tx = conn.begin();
    CHECK(conn.driver_connection().in_transaction());
    conn.execute(retort::text("INSERT INTO items VALUES (1, 'kept')"));
    {
      auto sp = conn.begin_nested();
      conn.execute(retort::text("INSERT INTO items VALUES (2, 'dropped')"));
      sp.rollback();
    }
    {
      auto sp = conn.begin_nested();
      conn.execute(retort::text("INSERT INTO items VALUES (3, 'kept too')"));
      sp.commit();
    }
    // An error inside a savepoint leaves the outer transaction usable after rolling back to it.
    {
      auto sp = conn.begin_nested();
      CHECK_THROWS_AS(conn.execute(retort::text("INSERT INTO items VALUES (1, 'dup')")), retort::IntegrityError);
      sp.rollback();
    }
    tx.commit();
  }
  CHECK_FALSE(conn.driver_connection().in_transaction());
  CHECK(
      conn.execute(retort::text("SELECT string_agg(id::text, ',' ORDER BY id) FROM items")).scalar_one<std::string>() ==
      "1,3");

  {
    auto tx = conn.begin();
    conn.execute(retort::text("INSERT INTO items VALUES (4, 'rolled back')"));
    tx.rollback();
  }
  CHECK(conn.execute(retort::text("SELECT count(*) FROM items")).scalar_one<int>() == 2);

  // DDL is transactional: a rolled-back CREATE TABLE and ALTER leave nothing behind.
  retort::MetaData metadata;
  metadata.table("ephemeral", retort::Column("id", retort::Integer{}).primary_key());
  {
    auto tx = conn.begin();
    conn.execute(retort::CreateTable(metadata.get("ephemeral")));
    conn.execute(retort::text("ALTER TABLE items ADD COLUMN extra INTEGER"));
    CHECK(schema.engine().dialect().has_table(conn.driver_connection(), "ephemeral", std::nullopt));
    CHECK(conn.execute(retort::text("SELECT * FROM items ORDER BY id")).keys().size() == 3);
    tx.rollback();
  }
  CHECK_FALSE(schema.engine().dialect().has_table(conn.driver_connection(), "ephemeral", std::nullopt));
  // The prepared SELECT * must not be reused with its old shape.
  CHECK(conn.execute(retort::text("SELECT * FROM items ORDER BY id")).keys().size() == 2);

  // Isolation levels from the engine options.
  retort::EngineOptions options;
  options.isolation_level = "SERIALIZABLE";
  PgSchema serial(url, options);
  auto sconn = serial.engine().connect();
  auto tx = sconn.begin();
  CHECK(sconn.execute(retort::text("SHOW transaction_isolation")).scalar_one<std::string>() == "serializable");
  tx.commit();
  CHECK_THROWS_AS(schema.engine().dialect().begin_statements(std::string("SOMETIMES")), retort::ArgumentError);
  CHECK(schema.engine().dialect().begin_statements(std::string("repeatable read")).front() ==
        "BEGIN ISOLATION LEVEL REPEATABLE READ");
}

TEST_CASE("postgresql: SQLSTATEs map to the error hierarchy", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  PgSchema schema(url);
  auto conn = schema.engine().connect();
  conn.execute_script(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE NOT NULL, n INTEGER CHECK (n > 0));"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));"
      "INSERT INTO parent VALUES (1, 'a', 1);");

  auto expect = [&](const std::string& sql, const std::string& sqlstate, auto tag) {
    using Expected = decltype(tag);
    INFO(sql);
    try {
      conn.execute(retort::text(sql));
      FAIL("no error");
    } catch (const Expected& e) {
      CHECK(e.sqlstate() == sqlstate);
      CHECK(e.statement() == sql);
      CHECK(std::string(e.what()).find("SQLSTATE " + sqlstate) != std::string::npos);
    }
  };
  expect("INSERT INTO parent VALUES (2, 'a', 1)", "23505", retort::IntegrityError(""));
  expect("INSERT INTO child VALUES (1, 99)", "23503", retort::IntegrityError(""));
  expect("INSERT INTO parent VALUES (3, NULL, 1)", "23502", retort::IntegrityError(""));
  expect("INSERT INTO parent VALUES (4, 'd', -1)", "23514", retort::IntegrityError(""));
  expect("SELECT * FROM no_such_table", "42P01", retort::ProgrammingError(""));
  expect("SELEC 1", "42601", retort::ProgrammingError(""));
  expect("SELECT no_such_column FROM parent", "42703", retort::ProgrammingError(""));
  expect("SELECT 1 / 0", "22012", retort::DataError(""));
  expect("SELECT 'x'::int", "22P02", retort::DataError(""));

  // The message carries the server's detail.
  try {
    conn.execute(retort::text("INSERT INTO parent VALUES (2, 'a', 1)"));
  } catch (const retort::IntegrityError& e) {
    CHECK(std::string(e.what()).find("Key (code)=(a) already exists") != std::string::npos);
  }

  // A failed statement in a transaction: everything after fails (class 25, InternalError) until
  // the rollback.
  {
    auto tx = conn.begin();
    CHECK_THROWS_AS(conn.execute(retort::text("SELECT 1 / 0")), retort::DataError);
    try {
      conn.execute(retort::text("SELECT 1"));
      FAIL("ran in an aborted transaction");
    } catch (const retort::DBAPIError& e) {
      CHECK(e.sqlstate() == "25P02");
    }
    tx.rollback();
  }
  CHECK(conn.execute(retort::text("SELECT 1")).scalar_one<int>() == 1);

  // A terminated backend is a DisconnectionError, and the pool discards the connection.
  auto victim = schema.engine().connect();
  int pid = victim.execute(retort::text("SELECT pg_backend_pid()")).scalar_one<int>();
  conn.execute(retort::text("SELECT pg_terminate_backend(:pid, 5000)"), retort::Params{{"pid", pid}});
  CHECK_THROWS_AS(victim.execute(retort::text("SELECT 1")), retort::DisconnectionError);
  CHECK_FALSE(victim.driver_connection().ping());
  victim.close();
  CHECK(schema.engine().connect().execute(retort::text("SELECT 2")).scalar_one<int>() == 2);

  // executemany in a pipeline: the failing row's error, and nothing of that batch is kept.
  retort::MetaData metadata;
  auto& parent = metadata.table("parent", retort::Column("id", retort::Integer{}).primary_key(),
                                retort::Column("code", retort::Text{}), retort::Column("n", retort::Integer{}));
  std::vector<retort::Params> rows;
  for (int i = 0; i < 50; ++i) rows.push_back({{"id", 1}, {"n", i == 25 ? -5 : 5}});
  CHECK_THROWS_AS(conn.execute(retort::update(parent)
                                   .where(parent.c("id") == retort::bindparam("id"))
                                   .values({{"n", retort::bindparam("n")}}),
                               rows),
                  retort::IntegrityError);
  CHECK(conn.execute(retort::text("SELECT n FROM parent WHERE id = 1")).scalar_one<int>() == 1);
}

TEST_CASE("postgresql: results stream, and survive other statements on the connection", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  PgSchema schema(url);
  auto conn = schema.engine().connect();
  auto big = conn.execute(retort::text("SELECT g, g * 2 AS twice FROM generate_series(1, 5000) AS g"));
  auto first = big.fetchmany(10);
  REQUIRE(first.size() == 10);
  CHECK(first[9].get<int>("twice") == 20);
  // Another statement while rows remain: the first result keeps its rows.
  CHECK(conn.execute(retort::text("SELECT 'between'")).scalar_one<std::string>() == "between");
  auto rest = big.all();
  CHECK(rest.size() == 4990);
  CHECK(rest.back().get<int>(0) == 5000);

  // A result closed early frees the connection.
  {
    auto partial = conn.execute(retort::text("SELECT g FROM generate_series(1, 100000) AS g"));
    CHECK(partial.fetchone()->get<int>(0) == 1);
  }
  CHECK(conn.execute(retort::text("SELECT 3")).scalar_one<int>() == 3);

  // An error part way through the rows comes after the rows before it.
  auto failing = conn.execute(retort::text("SELECT 10 / (3 - g) FROM generate_series(1, 5) AS g"));
  CHECK(failing.fetchone()->get<int>(0) == 5);
  CHECK_THROWS_AS(failing.all(), retort::DataError);
  CHECK(conn.execute(retort::text("SELECT 4")).scalar_one<int>() == 4);

  // Empty results and statements without rows.
  CHECK(conn.execute(retort::text("SELECT 1 WHERE false")).all().empty());
  CHECK_FALSE(conn.execute(retort::text("SET search_path TO public")).returns_rows());
  CHECK_THROWS_AS(conn.execute(retort::text("SELECT 1; SELECT 2")), retort::ProgrammingError);
  conn.execute_script("SELECT 1; SELECT 2;");
}
