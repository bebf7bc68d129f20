// DDL through the engine: MetaData.create_all / drop_all in foreign-key order (checked in
// sqlite_master and in the statements run), checkfirst, cycles, and CREATE/DROP statements.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <retort/core/engine/pool.hpp>
#include <retort/retort.hpp>

#include "support/temp_database.hpp"

namespace {

using Names = std::vector<std::string>;

/// Tables (or indexes) in the order SQLite recorded their creation.
Names master(const retort::Engine& engine, const std::string& type) {
  auto conn = engine.connect();
  return conn
      .exec_driver_sql("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
                       {type})
      .scalars<std::string>();
}

/// Declared children first, so that declaration order is not dependency order.
struct Blog {
  retort::MetaData metadata;
  retort::Table& comments =
      metadata.table("comments", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("post_id", retort::Integer{}).references("posts.id").not_null(),
                     retort::Column("author_id", retort::Integer{}).references("users.id"),
                     retort::Column("body", retort::Text{}), retort::Index("ix_comments_post", Names{"post_id"}));
  retort::Table& posts = metadata.table(
      "posts", retort::Column("id", retort::Integer{}).primary_key(),
      retort::Column("author_id", retort::Integer{}).references("users.id").not_null(),
      retort::Column("title", retort::String{100}), retort::Index("ix_posts_title", Names{"title"}, true));
  retort::Table& users = metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                                        retort::Column("name", retort::String{50}).not_null());
};

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("create_all creates tables and indexes in dependency order", "[sqlite][ddl]") {
  retort::testing::TempDatabase db;
  Blog blog;
  auto engine = retort::create_engine(db.url());
  Names statements;
  engine.events().before_execute([&](const retort::StatementEvent& e) { statements.emplace_back(e.sql); });

  blog.metadata.create_all(engine);
  Names created = statements;

  CHECK(master(engine, "table") == Names{"users", "posts", "comments"});
  auto indexes = master(engine, "index");
  CHECK(indexes == Names{"ix_posts_title", "ix_comments_post"});

  // Each index comes right after its table, inside one transaction.
  Names ddl;
  for (const auto& s : created)
    if (starts_with(s, "CREATE")) ddl.push_back(s.substr(0, s.find(" (")));
  CHECK(ddl == Names{"CREATE TABLE users", "CREATE TABLE posts", "CREATE UNIQUE INDEX ix_posts_title ON posts",
                     "CREATE TABLE comments", "CREATE INDEX ix_comments_post ON comments"});
  REQUIRE_FALSE(created.empty());
  CHECK(created.front() == "BEGIN");
  CHECK(created.back() == "COMMIT");

  // The tables work, foreign keys included.
  auto conn = engine.connect();
  conn.execute(retort::insert(blog.users).values({{"name", "ann"}}));
  conn.execute(retort::insert(blog.posts).values({{"author_id", 1}, {"title", "hello"}}));
  conn.execute(retort::insert(blog.comments).values({{"post_id", 1}, {"author_id", 1}, {"body", "hi"}}));
  CHECK_THROWS_AS(conn.execute(retort::insert(blog.comments).values({{"post_id", 99}})), retort::IntegrityError);
  CHECK_THROWS_AS(conn.execute(retort::insert(blog.posts).values({{"author_id", 1}, {"title", "hello"}})),
                  retort::IntegrityError);  // the unique index
  auto fks = conn.exec_driver_sql("SELECT \"table\" FROM pragma_foreign_key_list('comments') ORDER BY \"table\"")
                 .scalars<std::string>();
  CHECK(fks == Names{"posts", "users"});
}

TEST_CASE("create_all with checkfirst skips existing tables", "[sqlite][ddl]") {
  retort::testing::TempDatabase db;
  Blog blog;
  auto engine = retort::create_engine(db.url());
  {
    auto conn = engine.connect();
    conn.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, legacy TEXT)");
    conn.exec_driver_sql("INSERT INTO users (legacy) VALUES ('old data')");
  }
  blog.metadata.create_all(engine);  // checkfirst defaults to true
  CHECK(master(engine, "table") == Names{"users", "posts", "comments"});
  {
    auto conn = engine.connect();
    // The existing table was left alone, data and columns included.
    CHECK(conn.exec_driver_sql("SELECT legacy FROM users").scalar_one<std::string>() == "old data");
  }
  // Running it again is a no-op.
  CHECK_NOTHROW(blog.metadata.create_all(engine));
  CHECK(master(engine, "table").size() == 3);
  // Without checkfirst the existing tables are an error, and nothing is half-done.
  CHECK_THROWS_AS(blog.metadata.create_all(engine, false), retort::ProgrammingError);
  CHECK(master(engine, "table").size() == 3);
  CHECK(engine.pool().checked_out() == 0);
}

TEST_CASE("create_all is one transaction: a failure leaves no tables", "[sqlite][ddl]") {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  metadata.table("first_ok", retort::Column("id", retort::Integer{}).primary_key());
  metadata.table("broken", retort::Column("id", retort::Integer{}).primary_key(),
                 retort::CheckConstraint{"this is not sql (", "ck_broken"});
  auto engine = retort::create_engine(db.url());
  CHECK_THROWS_AS(metadata.create_all(engine), retort::DBAPIError);
  CHECK(master(engine, "table").empty());
}

TEST_CASE("drop_all drops in reverse dependency order", "[sqlite][ddl]") {
  retort::testing::TempDatabase db;
  Blog blog;
  auto engine = retort::create_engine(db.url());
  blog.metadata.create_all(engine);
  {
    // Data that would make a wrong order fail (SQLite checks foreign keys on DROP TABLE).
    auto conn = engine.connect();
    conn.execute(retort::insert(blog.users).values({{"name", "ann"}}));
    conn.execute(retort::insert(blog.posts).values({{"author_id", 1}, {"title", "t"}}));
    conn.execute(retort::insert(blog.comments).values({{"post_id", 1}, {"author_id", 1}}));
  }
  Names drops;
  engine.events().before_execute([&](const retort::StatementEvent& e) {
    if (starts_with(std::string(e.sql), "DROP")) drops.emplace_back(e.sql);
  });
  blog.metadata.drop_all(engine);
  CHECK(drops == Names{"DROP TABLE comments", "DROP TABLE posts", "DROP TABLE users"});
  CHECK(master(engine, "table").empty());
  CHECK(master(engine, "index").empty());
  // checkfirst: dropping again finds nothing to drop.
  drops.clear();
  CHECK_NOTHROW(blog.metadata.drop_all(engine));
  CHECK(drops.empty());
  CHECK_THROWS_AS(blog.metadata.drop_all(engine, false), retort::ProgrammingError);
}

TEST_CASE("drop_all with checkfirst drops only the tables present", "[sqlite][ddl]") {
  retort::testing::TempDatabase db;
  Blog blog;
  auto engine = retort::create_engine(db.url());
  engine.connect().exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY)");
  engine.connect().exec_driver_sql("CREATE TABLE unrelated (id INTEGER PRIMARY KEY)");
  blog.metadata.drop_all(engine);
  CHECK(master(engine, "table") == Names{"unrelated"});
}

TEST_CASE("create_all handles a foreign-key cycle on SQLite", "[sqlite][ddl]") {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  metadata.table("departments", retort::Column("id", retort::Integer{}).primary_key(),
                 retort::Column("manager_id", retort::Integer{}).references("employees.id"));
  metadata.table("employees", retort::Column("id", retort::Integer{}).primary_key(),
                 retort::Column("department_id", retort::Integer{}).references("departments.id"));
  auto engine = retort::create_engine(db.url());
  metadata.create_all(engine);
  auto tables = master(engine, "table");
  std::sort(tables.begin(), tables.end());
  CHECK(tables == Names{"departments", "employees"});
  {
    auto conn = engine.connect();
    // Both foreign keys exist (inline: SQLite cannot add them later).
    CHECK(conn.exec_driver_sql("SELECT \"table\" FROM pragma_foreign_key_list('departments')").scalars<std::string>() ==
          Names{"employees"});
    CHECK(conn.exec_driver_sql("SELECT \"table\" FROM pragma_foreign_key_list('employees')").scalars<std::string>() ==
          Names{"departments"});
    CHECK_THROWS_AS(conn.exec_driver_sql("INSERT INTO employees (department_id) VALUES (5)"), retort::IntegrityError);
    conn.exec_driver_sql("INSERT INTO departments (id) VALUES (1)");
    conn.exec_driver_sql("INSERT INTO employees (id, department_id) VALUES (10, 1)");
    conn.exec_driver_sql("UPDATE departments SET manager_id = 10 WHERE id = 1");
    conn.exec_driver_sql("UPDATE departments SET manager_id = NULL");
  }
  CHECK_NOTHROW(metadata.create_all(engine));
  metadata.drop_all(engine);
  CHECK(master(engine, "table").empty());
}

TEST_CASE("CREATE and DROP statements through conn.execute", "[sqlite][ddl]") {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  auto& t = metadata.table("gadgets", retort::Column("id", retort::Integer{}).primary_key(),
                           retort::Column("name", retort::String{40}).not_null(),
                           retort::Column("price", retort::Numeric{10, 2}).server_default(retort::Value(0)));
  auto engine = retort::create_engine(db.url());
  auto conn = engine.connect();

  auto created = conn.execute(retort::CreateTable(t));
  CHECK_FALSE(created.returns_rows());
  CHECK(master(engine, "table") == Names{"gadgets"});
  CHECK_THROWS_AS(conn.execute(retort::CreateTable(t)), retort::ProgrammingError);
  CHECK_NOTHROW(conn.execute(retort::CreateTable(t, /*if_not_exists=*/true)));

  conn.execute(retort::CreateIndex(t, retort::Index("ix_gadgets_name", Names{"name"}, true)));
  CHECK(master(engine, "index") == Names{"ix_gadgets_name"});
  conn.execute(retort::insert(t).values({{"name", "widget"}}));
  CHECK(conn.execute(retort::select(t.c("price"))).scalar_one<double>() == 0.0);
  CHECK_THROWS_AS(conn.execute(retort::insert(t).values({{"name", "widget"}})), retort::IntegrityError);

  conn.execute(retort::DropIndex("ix_gadgets_name", "gadgets"));
  CHECK(master(engine, "index").empty());
  CHECK_NOTHROW(conn.execute(retort::insert(t).values({{"name", "widget"}})));
  CHECK_THROWS_AS(conn.execute(retort::DropIndex("ix_gadgets_name", "gadgets")), retort::ProgrammingError);
  CHECK_NOTHROW(conn.execute(retort::DropIndex("ix_gadgets_name", "gadgets", std::nullopt, true)));

  conn.execute(retort::DropTable(t));
  CHECK(master(engine, "table").empty());
  CHECK_THROWS_AS(conn.execute(retort::DropTable(t)), retort::ProgrammingError);
  CHECK_NOTHROW(conn.execute(retort::DropTable(t, /*if_exists=*/true)));
  CHECK_NOTHROW(conn.execute(retort::DropTable("gadgets", std::nullopt, true)));

  // ALTER-based constraint DDL is refused by SQLite's compiler with a clear error.
  CHECK_THROWS_AS(conn.execute(retort::AddConstraint(t, retort::UniqueConstraint{{"name"}, "uq_name"})),
                  retort::UnsupportedCompilationError);
}

TEST_CASE("DDL inside a transaction rolls back on SQLite", "[sqlite][ddl]") {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  auto& t = metadata.table("temp_work", retort::Column("id", retort::Integer{}).primary_key());
  auto engine = retort::create_engine(db.url());
  auto conn = engine.connect();
  {
    auto tx = conn.begin();
    conn.execute(retort::CreateTable(t));
    CHECK(engine.dialect().has_table(conn.driver_connection(), "temp_work", std::nullopt));
  }
  CHECK_FALSE(engine.dialect().has_table(conn.driver_connection(), "temp_work", std::nullopt));
}
