// PostgreSQL SQL and DDL: what the compilers write (no server needed), and create_all/drop_all
// with comments, native enums, identity columns, a foreign-key cycle, schemas and quoting.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <retort/dialects/postgresql/postgresql_dialect.hpp>
#include <retort/retort.hpp>

#include "pg_test_support.hpp"
#include "support/text.hpp"

namespace pg = retort::dialects::postgresql;
using retort::testing::PgSchema;

namespace {
retort::Compiled compile(const retort::NodePtr& node) {
  static pg::PostgreSQLDialect dialect;
  return dialect.statement_compiler()->compile(*node);
}
retort::ForeignKeyConstraint foreign_key(std::string column, std::string table, std::string name) {
  retort::ForeignKeyConstraint fk;
  fk.columns = {std::move(column)};
  fk.referred_table = std::move(table);
  fk.referred_columns = {"id"};
  fk.name = std::move(name);
  return fk;
}
retort::TableOptions table_options(std::optional<std::string> schema, std::optional<std::string> comment) {
  retort::TableOptions options;
  options.schema = std::move(schema);
  options.comment = std::move(comment);
  return options;
}
using retort::testing::contains;
}  // namespace

TEST_CASE("postgresql: statement compiler spellings", "[postgresql]") {
  retort::MetaData metadata;
  auto& t = metadata.table("t", retort::Column("id", retort::Integer{}).primary_key(),
                           retort::Column("name", retort::String{20}), retort::Column("ok", retort::Boolean{}));
  auto sel = compile(
      retort::select(t.c("id"))
          .where(retort::and_({t.c("name").ilike(retort::literal("a%")), t.c("ok") == retort::true_(), t.c("id") > 5}))
          .limit(3)
          .node());
  CHECK(sel.sql == "SELECT t.id FROM t WHERE t.name ILIKE $1 AND t.ok = TRUE AND t.id > $2 LIMIT $3");
  auto ins = compile(retort::insert(t).values({{"name", "x"}, {"ok", false}}).returning({t.c("id")}).node());
  CHECK(ins.sql == "INSERT INTO t (name, ok) VALUES ($1, $2) RETURNING id");
  CHECK(compile(retort::select(retort::func::now()).node()).sql == "SELECT now()");

  pg::PostgreSQLDialect dialect;
  auto compiler = dialect.statement_compiler();
  CHECK(compiler->render_literal(retort::Value(retort::Blob{0x00, 0xab}), retort::LargeBinary{}) == "'\\x00ab'::bytea");
  CHECK(compiler->render_literal(retort::Value(true), retort::Boolean{}) == "TRUE");
  CHECK(compiler->render_literal(retort::Value("it's"), retort::String{}) == "'it''s'");
}

TEST_CASE("postgresql: DDL compiler spellings", "[postgresql]") {
  pg::PostgreSQLDialect dialect;
  retort::MetaData metadata;
  auto& t = metadata.table("docs", retort::Column("id", retort::BigInteger{}).primary_key().comment("the key"),
                           retort::Column("f", retort::Float{}), retort::Column("d", retort::Double{}),
                           retort::Column("b", retort::LargeBinary{}), retort::Column("ts", retort::DateTime{true}),
                           retort::Column("j", retort::JSON{}), retort::Column("jb", pg::JSONB()),
                           retort::Column("u", retort::UUID{}), retort::Column("span", retort::Interval{}),
                           retort::Column("status", retort::Enum{{"new", "done"}, "doc_status"}).not_null(),
                           retort::Column("plain", retort::Enum{{"x", "yy"}, ""}),
                           retort::Column("total", retort::Integer{}).computed({"id * 2", std::nullopt}),
                           table_options("app", "all the docs"));
  auto ddl = dialect.ddl_compiler()->compile(*retort::CreateTable(t).node());
  INFO(ddl.sql);
  CHECK(contains(ddl.sql, "CREATE TABLE app.docs ("));
  CHECK(contains(ddl.sql, "id BIGSERIAL NOT NULL"));
  CHECK(contains(ddl.sql, "f REAL"));
  CHECK(contains(ddl.sql, "d DOUBLE PRECISION"));
  CHECK(contains(ddl.sql, "b BYTEA"));
  CHECK(contains(ddl.sql, "ts TIMESTAMP WITH TIME ZONE"));
  CHECK(contains(ddl.sql, "j JSON"));
  CHECK(contains(ddl.sql, "jb JSONB"));
  CHECK(contains(ddl.sql, "u UUID"));
  CHECK(contains(ddl.sql, "span INTERVAL"));
  CHECK(contains(ddl.sql, "status app.doc_status NOT NULL"));
  CHECK(contains(ddl.sql, "plain VARCHAR(2)"));
  CHECK(contains(ddl.sql, "CHECK (plain IN ('x', 'yy'))"));
  CHECK(contains(ddl.sql, "total INTEGER GENERATED ALWAYS AS (id * 2) STORED"));
  REQUIRE(ddl.pre_sql.size() == 1);
  CHECK(ddl.pre_sql[0] ==
        "DO $retort$ BEGIN CREATE TYPE app.doc_status AS ENUM ('new', 'done'); "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $retort$");
  REQUIRE(ddl.post_sql.size() == 2);
  CHECK(ddl.post_sql[0] == "COMMENT ON TABLE app.docs IS 'all the docs'");
  CHECK(ddl.post_sql[1] == "COMMENT ON COLUMN app.docs.id IS 'the key'");

  retort::MetaData m2;
  auto& ident = m2.table("ident", retort::Column("id", retort::Integer{}).primary_key().identity({false, 10, 5}),
                         retort::Column("small", retort::SmallInteger{}));
  auto ident_sql = dialect.ddl_compiler()->compile(*retort::CreateTable(ident).node()).sql;
  INFO(ident_sql);
  CHECK(contains(ident_sql, "id INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5)"));
  CHECK_FALSE(contains(ident_sql, "SERIAL"));
  auto& small = m2.table("small", retort::Column("id", retort::SmallInteger{}).primary_key());
  CHECK(contains(dialect.ddl_compiler()->compile(*retort::CreateTable(small).node()).sql, "id SMALLSERIAL"));
  auto& manual = m2.table("manual", retort::Column("id", retort::Integer{}).primary_key().autoincrement(false));
  CHECK(contains(dialect.ddl_compiler()->compile(*retort::CreateTable(manual).node()).sql, "id INTEGER NOT NULL"));

  auto gin = dialect.ddl_compiler()->compile(
      *retort::CreateIndex(
           t, retort::Index("ix_docs_jb", std::vector<std::string>{"jb"}).dialect_option("postgresql_using", "gin"))
           .node());
  CHECK(gin.sql == "CREATE INDEX ix_docs_jb ON app.docs USING gin (jb)");
  CHECK_THROWS_AS(
      dialect.ddl_compiler()->compile(*retort::CreateIndex(t, retort::Index("ix_bad", std::vector<std::string>{"jb"})
                                                                  .dialect_option("postgresql_using", "gin; DROP"))
                                           .node()),
      retort::CompileError);

  retort::MetaData m3;
  auto& virt = m3.table("virt", retort::Column("a", retort::Integer{}),
                        retort::Column("b", retort::Integer{}).computed({"a + 1", false}));
  CHECK_THROWS_AS(dialect.ddl_compiler()->compile(*retort::CreateTable(virt).node()),
                  retort::UnsupportedCompilationError);
}

TEST_CASE("postgresql: create_all/drop_all with comments, enums, identity and a foreign-key cycle", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  PgSchema schema(url);
  retort::MetaData metadata;
  auto& authors = metadata.table(
      "authors", retort::Column("id", retort::Integer{}).primary_key().comment("author's number"),
      retort::Column("name", retort::String{100}).not_null(),
      retort::Column("status", retort::Enum{{"active", "retired"}, "author_status"}).not_null(),
      retort::Column("best_book_id", retort::Integer{}), foreign_key("best_book_id", "books", "fk_authors_best_book"),
      retort::Index("ix_authors_lower_name",
                    std::vector<retort::IndexElement>{{"", retort::func::call("lower", retort::column("name"))}}),
      table_options(std::nullopt, "people who write"));
  auto& books = metadata.table("books", retort::Column("id", retort::Integer{}).primary_key().identity(),
                               retort::Column("author_id", retort::Integer{}).not_null(),
                               retort::Column("status", retort::Enum{{"active", "retired"}, "author_status"}),
                               foreign_key("author_id", "authors", "fk_books_author"),
                               retort::Index("ix_books_active", std::vector<std::string>{"author_id"})
                                   .where(retort::column("status") == retort::literal("active")));
  metadata.create_all(schema.engine());
  metadata.create_all(schema.engine());  // checkfirst: nothing to do the second time

  auto conn = schema.engine().connect();
  auto q = [&](const std::string& sql) {
    return conn.execute(retort::text(sql), retort::Params{{"s", schema.name()}});
  };
  CHECK(q("SELECT obj_description(c.oid, 'pg_class') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
          "WHERE n.nspname = :s AND c.relname = 'authors'")
            .scalar_one<std::string>() == "people who write");
  CHECK(q("SELECT col_description(c.oid, 1) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
          "WHERE n.nspname = :s AND c.relname = 'authors'")
            .scalar_one<std::string>() == "author's number");
  CHECK(q("SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t "
          "JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid "
          "WHERE n.nspname = :s AND t.typname = 'author_status'")
            .scalar_one<std::string>() == "active,retired");
  CHECK(q("SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint c JOIN pg_namespace n "
          "ON n.oid = c.connamespace WHERE n.nspname = :s AND contype = 'f'")
            .scalar_one<std::string>() == "fk_authors_best_book,fk_books_author");
  CHECK(q("SELECT count(*) FROM pg_indexes WHERE schemaname = :s AND indexname IN "
          "('ix_authors_lower_name', 'ix_books_active')")
            .scalar_one<int>() == 2);
  CHECK(q("SELECT is_identity FROM information_schema.columns WHERE table_schema = :s AND "
          "table_name = 'books' AND column_name = 'id'")
            .scalar_one<std::string>() == "YES");

  // The cycle works: author first, then the book, then the author's best book.
  auto author_id =
      conn.execute(retort::insert(authors).values({{"name", "Ann"}, {"status", "active"}}).returning({authors.c("id")}))
          .scalar_one<int>();
  auto book_id = conn.execute(retort::insert(books).values({{"author_id", author_id}}).returning({books.c("id")}))
                     .scalar_one<int>();
  conn.execute(retort::update(authors).where(authors.c("id") == author_id).values({{"best_book_id", book_id}}));
  CHECK_THROWS_AS(conn.execute(retort::update(authors).values({{"best_book_id", 999}})), retort::IntegrityError);
  conn.close();

  metadata.drop_all(schema.engine());
  auto check = schema.engine().connect();
  CHECK_FALSE(schema.engine().dialect().has_table(check.driver_connection(), "authors", std::nullopt));
  CHECK_FALSE(schema.engine().dialect().has_table(check.driver_connection(), "books", std::nullopt));
  // The enum type the two tables shared went with them, as SQLAlchemy's drop_all does.
  auto enum_types = [&] {
    return check
        .execute(retort::text("SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                              "WHERE n.nspname = :s AND t.typname = 'author_status'"),
                 retort::Params{{"s", schema.name()}})
        .scalar_one<int>();
  };
  CHECK(enum_types() == 0);
  metadata.create_all(schema.engine());
  CHECK(schema.engine().dialect().has_table(check.driver_connection(), "books", std::nullopt));
  CHECK(enum_types() == 1);
  // A type still used by a table outside the metadata stops drop_all, which then changes nothing.
  check.execute(retort::text("CREATE TABLE outsider (s author_status)"));
  CHECK_THROWS_AS(metadata.drop_all(schema.engine()), retort::DBAPIError);
  CHECK(schema.engine().dialect().has_table(check.driver_connection(), "books", std::nullopt));
  check.execute(retort::text("DROP TABLE outsider"));
  metadata.drop_all(schema.engine());
  CHECK(enum_types() == 0);
}

TEST_CASE("postgresql: schemas and the search_path", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  PgSchema schema(url);
  PgSchema other(url);
  const auto& dialect = schema.engine().dialect();

  // An explicit schema on the table, used from an engine whose search_path does not include it.
  retort::MetaData metadata;
  auto& remote = metadata.table("remote", retort::Column("id", retort::Integer{}).primary_key(),
                                retort::Column("mood", retort::Enum{{"up", "down"}, "remote_mood"}),
                                table_options(other.name(), std::nullopt));
  metadata.create_all(schema.admin());
  auto conn = schema.admin().connect();
  CHECK(dialect.has_table(conn.driver_connection(), "remote", other.name()));
  CHECK_FALSE(dialect.has_table(conn.driver_connection(), "remote", schema.name()));
  CHECK_FALSE(dialect.has_table(conn.driver_connection(), "remote", std::nullopt));  // not on the path
  conn.execute(retort::insert(remote).values({{"id", 1}, {"mood", "up"}}));
  CHECK(conn.execute(retort::select(remote.c("mood")).where(remote.c("id") == 1)).scalar_one<std::string>() == "up");
  // The enum type went into the table's schema.
  CHECK(conn.execute(retort::text("SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                                  "WHERE n.nspname = :s AND t.typname = 'remote_mood'"),
                     retort::Params{{"s", other.name()}})
            .scalar_one<int>() == 1);

  // Unqualified names follow the search_path: the pinned engine sees its own schema first.
  auto pinned = other.engine().connect();
  CHECK(dialect.has_table(pinned.driver_connection(), "remote", std::nullopt));
  CHECK(pinned.execute(retort::text("SELECT count(*) FROM remote")).scalar_one<int>() == 1);
  pinned.execute(retort::text("SET search_path TO " + schema.name()));
  CHECK_FALSE(dialect.has_table(pinned.driver_connection(), "remote", std::nullopt));
  CHECK_THROWS_AS(pinned.execute(retort::text("SELECT count(*) FROM remote")), retort::ProgrammingError);
  pinned.close();
  other.engine().dispose();  // that connection's search_path was changed
}

TEST_CASE("postgresql: identifiers that need quoting", "[postgresql]") {
  RETORT_POSTGRESQL_URL_OR_SKIP(url);
  PgSchema schema(url);
  retort::MetaData metadata;
  auto& t = metadata.table("User Accounts", retort::Column("Id", retort::Integer{}).primary_key(),
                           retort::Column("select", retort::String{30}), retort::Column("CamelCase", retort::Integer{}),
                           retort::Column("with\"quote", retort::Text{}).comment("odd \"name\""),
                           retort::Column("Kind", retort::Enum{{"a", "b"}, "Odd Kind"}),
                           retort::Index("ix Odd", std::vector<std::string>{"CamelCase"}));
  metadata.create_all(schema.engine());
  auto conn = schema.engine().connect();
  conn.execute(retort::insert(t),
               std::vector<retort::Params>{{{"select", "one"}, {"CamelCase", 1}, {"with\"quote", "q"}, {"Kind", "a"}},
                                           {{"select", "two"}, {"CamelCase", 2}, {"with\"quote", "r"}, {"Kind", "b"}}});
  auto rows =
      conn.execute(
              retort::select(t.c("Id"), t.c("select"), t.c("with\"quote"), t.c("Kind")).where(t.c("CamelCase") == 2))
          .all();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].get<std::string>("select") == "two");
  CHECK(rows[0].get<std::string>("with\"quote") == "r");
  CHECK(rows[0].get<std::string>("Kind") == "b");
  CHECK(schema.engine().dialect().has_table(conn.driver_connection(), "User Accounts", std::nullopt));
  CHECK(conn.execute(retort::text("SELECT count(*) FROM \"User Accounts\"")).scalar_one<int>() == 2);
  conn.close();
  metadata.drop_all(schema.engine());
  auto after = schema.engine().connect();
  CHECK_FALSE(schema.engine().dialect().has_table(after.driver_connection(), "User Accounts", std::nullopt));
}
