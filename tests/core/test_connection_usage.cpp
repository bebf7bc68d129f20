// Connections the way SQLAlchemy 2.0 users work with them, on every backend: commit-as-you-go
// (autobegin, conn.commit(), conn.rollback()), executemany spelled in place, and create_all,
// drop_all, reflect and the Inspector on the caller's connection or straight from an Engine.
#include <catch2/catch.hpp>

#include <string>

#include <retort/retort.hpp>

#include "support/backend.hpp"

namespace {

using retort::testing::Backend;
using retort::testing::BackendDatabase;

struct Notes {
  retort::MetaData metadata;
  retort::Table& notes = metadata.table("notes", retort::Column("id", retort::Integer{}).primary_key(),
                                        retort::Column("body", retort::String{40}));
};

int count_rows(const retort::Engine& engine, const retort::Table& table) {
  auto conn = engine.connect();
  return conn.execute(retort::select(retort::func::count()).select_from(table)).scalar_one<int>();
}

void commit_as_you_go(Backend backend) {
  auto db = BackendDatabase::open(retort::testing::backend_name(backend), {.autobegin = true});
  if (!db) return;
  const auto& engine = db->engine();
  Notes n;
  {
    auto conn = engine.connect();
    n.metadata.create_all(conn);  // inside the transaction the first statement opened
    conn.commit();
  }
  {
    auto conn = engine.connect();
    CHECK_FALSE(conn.in_transaction());
    conn.execute(retort::insert(n.notes), {{{"id", 1}, {"body", "a"}}, {{"id", 2}, {"body", "b"}}});
    CHECK(conn.in_transaction());
    CHECK(conn.execute(retort::select(retort::func::count()).select_from(n.notes)).scalar_one<int>() == 2);
    conn.rollback();
    CHECK_FALSE(conn.in_transaction());
    CHECK(count_rows(engine, n.notes) == 0);

    conn.execute(retort::insert(n.notes).values({{"id", 3}, {"body", "c"}}));
    conn.commit();
    CHECK(count_rows(engine, n.notes) == 1);
    conn.commit();  // nothing open: nothing to do
    conn.rollback();
    CHECK(count_rows(engine, n.notes) == 1);

    conn.execute(retort::insert(n.notes).values({{"id", 4}, {"body", "d"}}));
  }  // closed without commit: rolled back
  CHECK(count_rows(engine, n.notes) == 1);
  {
    // commit() ends a transaction that begin() opened too; its handle then does nothing, even
    // once a new transaction is open.
    auto conn = engine.connect();
    auto tx = conn.begin();
    conn.execute(retort::insert(n.notes).values({{"id", 5}, {"body", "e"}}));
    conn.commit();
    CHECK_FALSE(conn.in_transaction());
    conn.execute(retort::insert(n.notes).values({{"id", 6}, {"body", "f"}}));
    CHECK(conn.in_transaction());
    tx.rollback();
    CHECK_FALSE(tx.is_active());
    CHECK(conn.in_transaction());
    // A savepoint inside the autobegun transaction rolls back alone.
    {
      auto savepoint = conn.begin_nested();
      conn.execute(retort::insert(n.notes).values({{"id", 7}, {"body", "g"}}));
    }
    conn.commit();
  }
  CHECK(count_rows(engine, n.notes) == 3);
  if (db->features().supports_savepoints) {
    // A savepoint handle that conn.rollback() ended leaves a later savepoint alone.
    auto conn = engine.connect();
    auto stale = conn.begin_nested();
    conn.rollback();
    auto current = conn.begin_nested();
    stale.rollback();
    CHECK(current.is_active());
    conn.execute(retort::insert(n.notes).values({{"id", 9}, {"body", "i"}}));
    current.commit();
    conn.commit();
  }
  CHECK(count_rows(engine, n.notes) == 4);
  {
    // create_all and drop_all on the Engine finish their work under autobegin too.
    retort::MetaData more;
    more.table("extra", retort::Column("id", retort::Integer{}).primary_key());
    more.create_all(engine);
    CHECK(retort::Inspector(engine).has_table("extra"));
    more.drop_all(engine);
    CHECK_FALSE(retort::Inspector(engine).has_table("extra"));
  }

  // Without autobegin (the default) each statement outside begin() commits on its own, and
  // conn.rollback() has nothing to undo.
  auto plain = retort::create_engine(engine.url());
  auto conn = plain.connect();
  conn.execute(retort::insert(n.notes).values({{"id", 8}, {"body", "h"}}));
  CHECK_FALSE(conn.in_transaction());
  conn.rollback();
  CHECK(count_rows(engine, n.notes) == 5);
  conn.close();
  plain.dispose();
}
RETORT_BACKEND_TEST("commit-as-you-go: autobegin with conn.commit() and conn.rollback()", commit_as_you_go)

void schema_work_on_a_connection(BackendDatabase& db) {
  const auto& engine = db.engine();
  Notes n;
  auto conn = engine.connect();
  if (db.features().transactional_ddl) {
    // Inside the caller's transaction: the tables go with its rollback.
    auto tx = conn.begin();
    n.metadata.create_all(conn);
    CHECK(retort::Inspector(conn).has_table("notes"));
    retort::MetaData seen;
    seen.reflect(conn, std::nullopt, {"notes"});
    CHECK(seen.contains("notes"));
    tx.rollback();
    CHECK_FALSE(retort::Inspector(engine).has_table("notes"));
  }
  n.metadata.create_all(conn);
  retort::Inspector inspector(engine);  // a pooled connection of its own
  CHECK(inspector.has_table("notes"));
  CHECK(inspector.get_columns("notes").size() == 2);
  retort::MetaData reflected;
  reflected.reflect(conn);
  REQUIRE(reflected.contains("notes"));
  CHECK(reflected.get("notes").columns().size() == 2);
  n.metadata.drop_all(conn);
  CHECK_FALSE(retort::Inspector(engine).has_table("notes"));
  // An Inspector moved elsewhere still reads through its own connection.
  auto moved = std::move(inspector);
  moved.clear_cache();
  CHECK_FALSE(moved.has_table("notes"));
}
RETORT_BACKEND_TEST("create_all drop_all reflect and the Inspector on the caller's connection or an Engine",
                    schema_work_on_a_connection)

}  // namespace
