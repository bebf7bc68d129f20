// The MySQL dialect and driver against a live MariaDB/MySQL server (RETORT_TEST_MYSQL_URL).
// Each test creates and drops its own database.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include <retort/retort.hpp>

#include "dialects/mysql/mysql_database.hpp"

using retort::testing::MySQLDatabase;

namespace {
retort::ForeignKey foreign_key(std::string target, std::string name) {
  retort::ForeignKey key;
  key.target = std::move(target);
  key.name = std::move(name);
  return key;
}
retort::TableOptions table_options(std::optional<std::string> comment,
                                   std::map<std::string, std::string> dialect_options) {
  retort::TableOptions options;
  options.comment = std::move(comment);
  options.dialect_options = std::move(dialect_options);
  return options;
}
}  // namespace

TEST_CASE("mysql connects, pings and reports the server's transaction state", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  auto engine = retort::create_engine(db->url());
  CHECK(engine.dialect().name() == "mysql");
  auto conn = engine.connect();
  CHECK(conn.exec_driver_sql("SELECT DATABASE()").scalar_one<std::string>() == db->name());
  CHECK(conn.exec_driver_sql("SELECT @@character_set_client").scalar_one<std::string>() == "utf8mb4");
  CHECK(conn.exec_driver_sql("SELECT @@autocommit").scalar_one<int>() == 1);
  auto& driver = conn.driver_connection();
  CHECK(driver.ping());
  CHECK_FALSE(driver.in_transaction());
  {
    auto tx = conn.begin();
    conn.exec_driver_sql("SELECT 1").all();
    CHECK(driver.in_transaction());
    tx.rollback();
  }
  CHECK_FALSE(driver.in_transaction());
}

TEST_CASE("mysql bad password: OperationalError 1045 without the password", "[mysql]") {
  auto server = MySQLDatabase::server_url();
  if (!server) return;
  auto url = retort::URL::parse(*server);
  std::string secret = "Wr0ng-Pa55word-xyz";
  std::string bad = "mysql://" + url.username().value_or("root") + ":" + secret + "@" +
                    url.host().value_or("127.0.0.1") + ":" + std::to_string(url.port().value_or(3306)) + "/" +
                    url.database().value_or("");
  auto engine = retort::create_engine(bad);
  try {
    engine.connect();
    FAIL("a wrong password was accepted");
  } catch (const retort::OperationalError& e) {
    std::string what = e.what();
    CHECK(what.find(secret) == std::string::npos);
    CHECK(what.find("***") != std::string::npos);
    CHECK(e.native_code() == 1045);
    CHECK(e.sqlstate() == "28000");
  }
}

TEST_CASE("mysql create_all, insert, executemany, select, update, delete through core", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  retort::MetaData metadata;
  auto& users =
      metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("name", retort::String{50}).not_null(), retort::Column("score", retort::Integer{}));
  auto engine = retort::create_engine(db->url());
  metadata.create_all(engine);
  metadata.create_all(engine);  // checkfirst: nothing to do the second time
  auto conn = engine.connect();

  auto r = conn.execute(retort::insert(users).values({{"name", "alice"}, {"score", 10}}));
  CHECK(r.rowcount() == 1);
  REQUIRE(r.lastrowid());
  CHECK(*r.lastrowid() == 1);
  r = conn.execute(retort::insert(users).values({{"name", "bob"}, {"score", 20}}));
  CHECK(r.lastrowid().value_or(0) == 2);

  std::vector<retort::Params> rows;
  for (int i = 0; i < 2500; ++i) rows.push_back({{"name", "user" + std::to_string(i)}, {"score", i}});
  auto many = conn.execute(retort::insert(users), rows);
  CHECK(many.rowcount() == 2500);
  CHECK(conn.execute(retort::select(retort::func::count()).select_from(users)).scalar_one<int>() == 2502);
  CHECK(
      conn.execute(
              retort::select(retort::func::sum(users.c("score"))).where(users.c("name").like(retort::literal("user%"))))
          .scalar_one<std::int64_t>() == 2499LL * 2500 / 2);

  auto alice =
      conn.execute(retort::select(users.c("id"), users.c("name"), users.c("score")).where(users.c("name") == "alice"))
          .one();
  CHECK(alice.get<int>("id") == 1);
  CHECK(alice.get<int>("score") == 10);

  auto upd = conn.execute(retort::update(users).where(users.c("score") < 5).values({{"score", 0}}));
  CHECK(upd.rowcount() == 5);  // user0 (already 0: counted, as CLIENT_FOUND_ROWS asks) .. user4
  auto del = conn.execute(retort::delete_(users).where(users.c("name").like(retort::literal("user1%"))));
  CHECK(del.rowcount() == 1 + 10 + 100 + 1000);

  // text() with named parameters becomes '?' placeholders.
  auto names = conn.execute(retort::text("SELECT name FROM users WHERE score >= :low AND score < :high "
                                         "ORDER BY score"),
                            retort::Params{{"low", 20}, {"high", 22}})
                   .scalars<std::string>();
  CHECK(names == std::vector<std::string>{"bob", "user20", "user21"});

  // The same statement again comes from the connection's prepared-statement cache.
  for (int i = 0; i < 3; ++i)
    CHECK(conn.execute(retort::select(users.c("name")).where(users.c("id") == 2)).scalar_one<std::string>() == "bob");

  // OFFSET alone, LIMIT with OFFSET as bound parameters.
  auto page = conn.execute(retort::select(users.c("id")).order_by({users.c("id")}).limit(2).offset(1)).scalars<int>();
  CHECK(page == std::vector<int>{2, 3});
  auto tail = conn.execute(retort::select(users.c("id")).order_by({users.c("id")}).offset(1388)).scalars<int>();
  CHECK(tail.size() == 2502 - 1111 - 1388);

  metadata.drop_all(engine);
  CHECK_FALSE(engine.dialect().has_table(conn.driver_connection(), "users", std::nullopt));
}

TEST_CASE("mysql type round trips", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  retort::MetaData metadata;
  auto& t =
      metadata.table("types", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("small", retort::SmallInteger{}), retort::Column("big", retort::BigInteger{}),
                     retort::Column("price", retort::Numeric{12, 4}), retort::Column("f", retort::Float{}),
                     retort::Column("d", retort::Double{}), retort::Column("flag", retort::Boolean{}),
                     retort::Column("name", retort::String{40}), retort::Column("body", retort::Text{}),
                     retort::Column("data", retort::LargeBinary{}), retort::Column("day", retort::Date{}),
                     retort::Column("at", retort::DateTime{}), retort::Column("at6", retort::SqlType([] {
                                                                                retort::SqlType s = retort::DateTime{};
                                                                                s.precision = 6;
                                                                                return s;
                                                                              }())),
                     retort::Column("clock", retort::Time{}), retort::Column("doc", retort::JSON{}),
                     retort::Column("mood", retort::Enum{{"happy", "sad"}, ""}), retort::Column("uid", retort::UUID{}));
  auto engine = retort::create_engine(db->url());
  metadata.create_all(engine);
  auto conn = engine.connect();

  std::string emoji = "h\xC3\xA9llo \xF0\x9F\x98\x80 w\xC3\xB6rld";  // héllo 😀 wörld
  retort::Blob blob{0, 1, 2, 0, 255, 0};
  std::string long_text(60000, 'x');  // TEXT holds up to 65535 bytes
  long_text[30000] = '\\';
  retort::Blob long_blob(60000);  // BLOB holds up to 65535 bytes
  for (std::size_t i = 0; i < long_blob.size(); ++i) long_blob[i] = static_cast<std::uint8_t>(i % 251);

  conn.execute(retort::insert(t).values({{"id", 1},
                                         {"small", -32768},
                                         {"big", std::int64_t{9'000'000'000'000'000'000}},
                                         {"price", "12345678.1234"},
                                         {"f", 1.5},
                                         {"d", 3.141592653589793},
                                         {"flag", true},
                                         {"name", emoji},
                                         {"body", long_text},
                                         {"data", blob},
                                         {"day", "2024-02-29"},
                                         {"at", "2024-02-29 13:14:15"},
                                         {"at6", "2024-02-29 13:14:15.123456"},
                                         {"clock", "31:02:03"},
                                         {"doc", R"({"a": [1, 2, "x"]})"},
                                         {"mood", "sad"},
                                         {"uid", "123e4567-e89b-12d3-a456-426614174000"}}));
  conn.execute(retort::insert(t).values({{"id", 2}, {"data", long_blob}, {"flag", false}}));

  auto row = conn.execute(retort::select(t).where(t.c("id") == 1)).one();
  CHECK(row.get<int>("small") == -32768);
  CHECK(row.get<std::int64_t>("big") == 9'000'000'000'000'000'000);
  CHECK(row.get<std::string>("price") == "12345678.1234");
  CHECK(row.get<double>("f") == 1.5);
  CHECK(row.get<double>("d") == 3.141592653589793);
  CHECK(row.get<bool>("flag"));
  CHECK(row.get<std::string>("name") == emoji);
  CHECK(row.get<std::string>("body") == long_text);
  CHECK(row.get<retort::Blob>("data") == blob);
  CHECK(row.get<std::string>("day") == "2024-02-29");
  CHECK(row.get<std::string>("at") == "2024-02-29 13:14:15");
  CHECK(row.get<std::string>("at6") == "2024-02-29 13:14:15.123456");
  CHECK(row.get<std::string>("clock") == "31:02:03");
  CHECK(row.get<std::string>("doc") == R"({"a": [1, 2, "x"]})");
  CHECK(row.get<std::string>("mood") == "sad");
  CHECK(row.get<std::string>("uid") == "123e4567-e89b-12d3-a456-426614174000");

  auto row2 = conn.execute(retort::select(t).where(t.c("id") == 2)).one();
  CHECK(row2.get<retort::Blob>("data") == long_blob);
  CHECK_FALSE(row2.get<bool>("flag"));
  CHECK_FALSE(row2.get<std::optional<std::string>>("name"));
  CHECK_FALSE(row2.get<std::optional<int>>("small"));

  // Rows after a long value still read correctly (the grown buffer stays bound).
  auto all = conn.execute(retort::select(t.c("id"), t.c("data")).order_by({t.c("id").desc()})).all();
  REQUIRE(all.size() == 2);
  CHECK(all[0].get<retort::Blob>(1) == long_blob);
  CHECK(all[1].get<retort::Blob>(1) == blob);

  // Expressions: DECIMAL arithmetic stays text, unsigned and NULL columns, a FLOAT literal.
  auto expr = conn.exec_driver_sql(
                      "SELECT CAST(1.10 AS DECIMAL(5,2)) * 2, CAST(18446744073709551615 AS UNSIGNED), "
                      "NULL, 0, YEAR('2024-01-01')")
                  .one();
  CHECK(expr.get<std::string>(0) == "2.20");
  CHECK(expr.get<std::string>(1) == "18446744073709551615");
  CHECK(expr.values()[2].is_null());
  CHECK(expr.get<int>(4) == 2024);
  // BIT columns read as integers, YEAR columns too.
  conn.exec_driver_sql("CREATE TABLE bits (b BIT(12), y YEAR)");
  conn.exec_driver_sql("INSERT INTO bits VALUES (b'101000000101', 2031)");
  auto bits = conn.exec_driver_sql("SELECT b, y FROM bits").one();
  CHECK(bits.get<int>(0) == 0b101000000101);
  CHECK(bits.get<int>(1) == 2031);

  // An enum value outside the list is a DataError in strict mode.
  CHECK_THROWS_AS(conn.execute(retort::insert(t).values({{"id", 3}, {"mood", "angry"}})), retort::DataError);
}

TEST_CASE("mysql transactions, savepoints, and DDL that is not rolled back", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  retort::MetaData metadata;
  auto& t = metadata.table("items", retort::Column("id", retort::Integer{}).primary_key(),
                           retort::Column("name", retort::String{20}));
  auto engine = retort::create_engine(db->url());
  metadata.create_all(engine);
  auto conn = engine.connect();
  auto count = [&] { return conn.execute(retort::select(retort::func::count()).select_from(t)).scalar_one<int>(); };

  {
    auto tx = conn.begin();
    conn.execute(retort::insert(t).values({{"name", "rolled back"}}));
    tx.rollback();
  }
  CHECK(count() == 0);
  {
    auto tx = conn.begin();
    conn.execute(retort::insert(t).values({{"name", "kept"}}));
    {
      auto sp = conn.begin_nested();
      conn.execute(retort::insert(t).values({{"name", "undone"}}));
      sp.rollback();
    }
    {
      auto sp = conn.begin_nested();
      conn.execute(retort::insert(t).values({{"name", "released"}}));
      sp.commit();
    }
    tx.commit();
  }
  CHECK(count() == 2);
  {
    // A transaction left open rolls back when it goes out of scope.
    auto tx = conn.begin();
    conn.execute(retort::insert(t).values({{"name", "dropped"}}));
  }
  CHECK(count() == 2);

  // transactional_ddl is false: CREATE TABLE commits, so rollback cannot undo it.
  REQUIRE_FALSE(engine.dialect().features().transactional_ddl);
  {
    auto tx = conn.begin();
    conn.exec_driver_sql("CREATE TABLE ddl_probe (id INTEGER)");
    tx.rollback();
  }
  CHECK(engine.dialect().has_table(conn.driver_connection(), "ddl_probe", std::nullopt));
  CHECK(engine.dialect().has_table(conn.driver_connection(), "ddl_probe", db->name()));

  // An isolation level is set for the transaction it opens.
  retort::EngineOptions options;
  options.isolation_level = "READ COMMITTED";
  auto serial = retort::create_engine(db->url(), options);
  auto sconn = serial.connect();
  auto stx = sconn.begin();
  sconn.exec_driver_sql("SELECT COUNT(*) FROM items").all();  // InnoDB starts the transaction here
  CHECK(sconn
            .exec_driver_sql("SELECT trx_isolation_level FROM information_schema.innodb_trx "
                             "WHERE trx_mysql_thread_id = CONNECTION_ID()")
            .scalar_one<std::string>() == "READ COMMITTED");
  stx.commit();
  // SET TRANSACTION applies to that one transaction only; the session keeps its level.
  CHECK(sconn.exec_driver_sql("SELECT @@tx_isolation").scalar_one<std::string>() == "REPEATABLE-READ");
}

TEST_CASE("mysql errors map to the DBAPIError hierarchy with errno and SQLSTATE", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  retort::MetaData metadata;
  auto& parent = metadata.table("parent", retort::Column("id", retort::Integer{}).primary_key(),
                                retort::Column("code", retort::String{10}).unique().not_null(),
                                retort::Column("n", retort::SmallInteger{}),
                                retort::CheckConstraint{"n IS NULL OR n >= 0", "ck_parent_n"});
  auto& child = metadata.table("child", retort::Column("id", retort::Integer{}).primary_key(),
                               retort::Column("parent_id", retort::Integer{}).references("parent.id"));
  auto engine = retort::create_engine(db->url());
  metadata.create_all(engine);
  auto conn = engine.connect();
  conn.execute(retort::insert(parent).values({{"code", "a"}}));

  try {
    conn.execute(retort::insert(parent).values({{"code", "a"}}));
    FAIL("duplicate accepted");
  } catch (const retort::IntegrityError& e) {
    CHECK(e.native_code() == 1062);
    CHECK(e.sqlstate() == "23000");
    CHECK(e.statement().find("INSERT INTO parent") != std::string::npos);
  }
  CHECK_THROWS_AS(conn.execute(retort::insert(child).values({{"parent_id", 99}})), retort::IntegrityError);
  conn.execute(retort::insert(child).values({{"parent_id", 1}}));
  CHECK_THROWS_AS(conn.execute(retort::delete_(parent)), retort::IntegrityError);  // 1451
  CHECK_THROWS_AS(conn.execute(retort::insert(parent).values({{"code", retort::Null{}}})), retort::IntegrityError);
  CHECK_THROWS_AS(conn.execute(retort::insert(parent).values({{"code", "b"}, {"n", -1}})), retort::IntegrityError);
  CHECK_THROWS_AS(conn.execute(retort::insert(parent).values({{"code", "c"}, {"n", 70000}})), retort::DataError);
  CHECK_THROWS_AS(conn.execute(retort::insert(parent).values({{"code", "much too long"}})), retort::DataError);

  auto code_of = [&](const std::string& sql) {
    try {
      conn.exec_driver_sql(sql);
    } catch (const retort::ProgrammingError& e) {
      return e.native_code();
    }
    return 0;
  };
  CHECK(code_of("SELEC 1") == 1064);
  CHECK(code_of("SELECT * FROM no_such_table") == 1146);
  CHECK(code_of("SELECT no_such_column FROM parent") == 1054);
  CHECK(code_of("CREATE TABLE parent (id INTEGER)") == 1050);
  // Wrong parameter count is caught before the server sees it.
  CHECK_THROWS_AS(conn.exec_driver_sql("SELECT ?", {}), retort::ProgrammingError);
  // The connection still works after all of that.
  CHECK(conn.exec_driver_sql("SELECT ?", {retort::Value(41)}).scalar_one<int>() == 41);
}

TEST_CASE("mysql quotes odd identifiers with backticks", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  retort::MetaData metadata;
  auto& t =
      metadata.table("select", retort::Column("order", retort::Integer{}).primary_key(),
                     retort::Column("group by", retort::String{20}), retort::Column("back`tick", retort::String{20}),
                     retort::Column("MixedCase", retort::Integer{}));
  auto engine = retort::create_engine(db->url());
  metadata.create_all(engine);
  auto conn = engine.connect();
  conn.execute(retort::insert(t).values({{"group by", "g"}, {"back`tick", "b"}, {"MixedCase", 7}}));
  auto row = conn.execute(retort::select(t).where(t.c("back`tick") == "b")).one();
  CHECK(row.get<std::string>("group by") == "g");
  CHECK(row.get<int>("MixedCase") == 7);
  CHECK(row.get<int>("order") == 1);
  metadata.drop_all(engine);
}

TEST_CASE("mysql table options, comments and ON UPDATE CURRENT_TIMESTAMP", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  retort::MetaData metadata;
  auto& t = metadata.table(
      "opts", retort::Column("id", retort::Integer{}).primary_key(),
      retort::Column("note", retort::String{20}).comment("a 'quoted' \\ note"),
      retort::Column("changed", retort::DateTime{})
          .not_null()
          .server_default(retort::func::now())
          .dialect_option("mysql_on_update", "CURRENT_TIMESTAMP"),
      table_options("options test",
                    {{"mysql_engine", "MyISAM"}, {"mysql_charset", "latin1"}, {"mysql_collate", "latin1_bin"}}));
  auto& default_table = metadata.table("defaults", retort::Column("id", retort::Integer{}).primary_key());
  auto engine = retort::create_engine(db->url());
  metadata.create_all(engine);
  auto conn = engine.connect();

  auto info = conn.exec_driver_sql(
                      "SELECT engine, table_collation, table_comment FROM information_schema.tables "
                      "WHERE table_schema = DATABASE() AND table_name = ?",
                      {retort::Value("opts")})
                  .one();
  CHECK(info.get<std::string>(0) == "MyISAM");
  CHECK(info.get<std::string>(1) == "latin1_bin");
  CHECK(info.get<std::string>(2) == "options test");
  auto defaults = conn.exec_driver_sql(
                          "SELECT engine, table_collation FROM information_schema.tables "
                          "WHERE table_schema = DATABASE() AND table_name = 'defaults'")
                      .one();
  CHECK(defaults.get<std::string>(0) == "InnoDB");
  CHECK(defaults.get<std::string>(1).rfind("utf8mb4", 0) == 0);
  (void)default_table;

  auto column = conn.exec_driver_sql(
                        "SELECT column_comment, extra FROM information_schema.columns WHERE "
                        "table_schema = DATABASE() AND table_name = 'opts' AND column_name = 'changed'")
                    .one();
  CHECK(column.get<std::string>(1).find("on update current_timestamp") != std::string::npos);
  CHECK(conn.exec_driver_sql("SELECT column_comment FROM information_schema.columns WHERE "
                             "table_schema = DATABASE() AND table_name = 'opts' AND column_name = 'note'")
            .scalar_one<std::string>() == "a 'quoted' \\ note");

  conn.exec_driver_sql("INSERT INTO opts (note, changed) VALUES ('x', '2000-01-01 00:00:00')");
  conn.execute(retort::update(t).values({{"note", "y"}}));
  auto changed = conn.execute(retort::select(t.c("changed"))).scalar_one<std::string>();
  CHECK(changed.rfind("2000", 0) != 0);  // the update moved it to now
}

TEST_CASE("mysql create_all/drop_all with a foreign key cycle uses ALTER TABLE", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  retort::MetaData metadata;
  auto& a = metadata.table("a", retort::Column("id", retort::Integer{}).primary_key(),
                           retort::Column("b_id", retort::Integer{}).references(foreign_key("b.id", "fk_a_b")));
  auto& b = metadata.table("b", retort::Column("id", retort::Integer{}).primary_key(),
                           retort::Column("a_id", retort::Integer{}).references(foreign_key("a.id", "fk_b_a")));
  auto engine = retort::create_engine(db->url());
  metadata.create_all(engine);
  auto conn = engine.connect();
  auto fks = conn.exec_driver_sql(
                     "SELECT COUNT(*) FROM information_schema.referential_constraints "
                     "WHERE constraint_schema = DATABASE()")
                 .scalar_one<int>();
  CHECK(fks == 2);
  conn.execute(retort::insert(a).values({{"id", 1}}));
  CHECK_THROWS_AS(conn.execute(retort::insert(b).values({{"id", 1}, {"a_id", 5}})), retort::IntegrityError);
  conn.execute(retort::delete_(a));
  metadata.drop_all(engine);
  CHECK_FALSE(engine.dialect().has_table(conn.driver_connection(), "a", std::nullopt));
  CHECK_FALSE(engine.dialect().has_table(conn.driver_connection(), "b", std::nullopt));
}

TEST_CASE("mysql execute_script runs several statements; text protocol statements", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  auto engine = retort::create_engine(db->url());
  auto conn = engine.connect();
  conn.execute_script(
      "CREATE TABLE s (id INTEGER PRIMARY KEY, v VARCHAR(10));\n"
      "INSERT INTO s VALUES (1, 'a'), (2, 'b');\n"
      "SELECT * FROM s;\n"
      "UPDATE s SET v = 'c' WHERE id = 2;");
  CHECK(conn.exec_driver_sql("SELECT v FROM s ORDER BY id").scalars<std::string>() ==
        std::vector<std::string>{"a", "c"});
  // After the script, one statement per call again.
  CHECK_THROWS_AS(conn.exec_driver_sql("SELECT 1; SELECT 2"), retort::ProgrammingError);
  // A failing statement in the middle stops the script and reports it.
  CHECK_THROWS_AS(conn.execute_script("INSERT INTO s VALUES (3, 'd'); INSERT INTO s VALUES (3, 'e'); "
                                      "INSERT INTO s VALUES (4, 'f')"),
                  retort::IntegrityError);
  CHECK(conn.exec_driver_sql("SELECT COUNT(*) FROM s").scalar_one<int>() == 3);
  // SET and SHOW go through the text and prepared paths alike.
  conn.exec_driver_sql("SET @x = 5");
  CHECK(conn.exec_driver_sql("SELECT @x").scalar_one<int>() == 5);
  CHECK(conn.exec_driver_sql("SHOW TABLES").scalars<std::string>() == std::vector<std::string>{"s"});
}

TEST_CASE("mysql cursors stay readable while the connection runs other statements", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  retort::MetaData metadata;
  auto& t = metadata.table("nums", retort::Column("id", retort::Integer{}).primary_key(),
                           retort::Column("n", retort::Integer{}));
  // A one-statement cache: statements keep being evicted and prepared again.
  auto engine = retort::create_engine(db->url("?statement_cache_size=1"));
  metadata.create_all(engine);
  auto conn = engine.connect();
  std::vector<retort::Params> rows;
  for (int i = 1; i <= 20; ++i) rows.push_back({{"n", i}});
  conn.execute(retort::insert(t), rows);

  // executemany of an UPDATE goes through the driver's prepared executemany.
  auto upd = conn.execute(
      retort::update(t).where(t.c("id") == retort::bindparam("target")).values({{"n", retort::bindparam("value")}}),
      std::vector<retort::Params>{{{"target", 1}, {"value", 100}}, {{"target", 2}, {"value", 200}}});
  CHECK(upd.rowcount() == 2);

  auto outer = conn.execute(retort::select(t.c("id"), t.c("n")).order_by({t.c("id")}));
  std::int64_t total = 0;
  int seen = 0;
  for (auto& row : outer) {
    // The same statement again while its first execution is still being read.
    auto inner = conn.execute(retort::select(t.c("id"), t.c("n")).order_by({t.c("id")})).all();
    CHECK(inner.size() == 20);
    total += conn.execute(retort::select(t.c("n")).where(t.c("id") == row.get<int>(0))).scalar_one<int>();
    ++seen;
  }
  CHECK(seen == 20);
  CHECK(total == 100 + 200 + (3 + 20) * 18 / 2);
}

TEST_CASE("mysql a killed connection raises DisconnectionError", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  auto engine = retort::create_engine(db->url());
  auto conn = engine.connect();
  auto id = conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar_one<std::int64_t>();
  auto killer = retort::create_engine(db->url()).connect();
  killer.exec_driver_sql("KILL " + std::to_string(id));
  try {
    conn.exec_driver_sql("SELECT 1").all();
    FAIL("a killed connection still answered");
  } catch (const retort::DisconnectionError& e) {
    INFO(e.what());
    CHECK(e.native_code() != 0);
  }
  CHECK_FALSE(conn.driver_connection().ping());
  conn.close();  // invalidated: the pool hands out a fresh connection next
  CHECK(engine.connect().exec_driver_sql("SELECT 2").scalar_one<int>() == 2);
}

TEST_CASE("mysql in_transaction follows the server, including implicit DDL commits", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  auto engine = retort::create_engine(db->url());
  auto conn = engine.connect();
  auto& driver = conn.driver_connection();
  conn.exec_driver_sql("CREATE TABLE probe (id INTEGER PRIMARY KEY)");
  auto tx = conn.begin();
  conn.exec_driver_sql("INSERT INTO probe VALUES (?)", {retort::Value(1)});
  CHECK(driver.in_transaction());
  conn.exec_driver_sql("CREATE TABLE probe2 (id INTEGER)");  // commits the INSERT
  CHECK_FALSE(driver.in_transaction());
  tx.rollback();
  CHECK(conn.exec_driver_sql("SELECT COUNT(*) FROM probe").scalar_one<int>() == 1);
}

TEST_CASE("mysql statements the server cannot prepare run as text", "[mysql]") {
  auto db = MySQLDatabase::open();
  if (!db) return;
  auto engine = retort::create_engine(db->url());
  auto conn = engine.connect();
  // PREPARE / EXECUTE themselves are refused by the prepared-statement protocol (1295).
  conn.exec_driver_sql(
      "PREPARE s1 FROM 'SELECT 42 AS answer, 1.5e0 AS r, CAST(2.50 AS DECIMAL(4,2)) AS d, "
      "NULL AS nothing, _binary ''ab'' AS bytes, ''t'' AS txt'");
  auto row = conn.exec_driver_sql("EXECUTE s1").one();  // text-protocol result
  CHECK(row.get<int>("answer") == 42);
  CHECK(row.get<double>("r") == 1.5);
  CHECK(row.get<std::string>("d") == "2.50");
  CHECK(row["nothing"].is_null());
  CHECK(row.get<retort::Blob>("bytes") == retort::Blob{'a', 'b'});
  CHECK(row.get<std::string>("txt") == "t");
  // With parameters there is no fallback: the error says what to do.
  CHECK_THROWS_AS(conn.exec_driver_sql("EXECUTE s1 USING ?", {retort::Value(1)}), retort::NotSupportedError);
  conn.exec_driver_sql("DEALLOCATE PREPARE s1");
}
