// Transactions: RAII rollback, commit, savepoints, Engine::transaction, isolation levels
// (AUTOCOMMIT and SQLite's BEGIN modes), and connections returned to the pool clean.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include <retort/core/engine/pool.hpp>
#include <retort/retort.hpp>

#include "support/temp_database.hpp"

namespace {

struct Fixture {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  retort::Table& notes = metadata.table("notes", retort::Column("id", retort::Integer{}).primary_key(),
                                        retort::Column("body", retort::Text{}).not_null());
  retort::Engine engine;
  explicit Fixture(retort::EngineOptions options = {}, const std::string& query = "")
      : engine(retort::create_engine(db.url(query), options)) {
    metadata.create_all(engine);
  }

  void add(retort::Connection& conn, const std::string& body) {
    conn.execute(retort::insert(notes).values({{"body", body}}));
  }
  /// Bodies as a fresh connection sees them (committed data only).
  std::vector<std::string> committed() {
    auto conn = engine.connect();
    return conn.execute(retort::select(notes.c("body")).order_by({notes.c("id")})).scalars<std::string>();
  }
};

using Bodies = std::vector<std::string>;

}  // namespace

TEST_CASE("a transaction rolls back unless committed", "[sqlite][transaction]") {
  Fixture f;
  {
    auto conn = f.engine.connect();
    auto tx = conn.begin();
    CHECK(tx.is_active());
    CHECK_FALSE(tx.is_nested());
    CHECK(conn.in_transaction());
    CHECK(conn.driver_connection().in_transaction());
    f.add(conn, "lost");
    // Visible inside the transaction, not outside.
    CHECK(conn.execute(retort::select(retort::func::count()).select_from(f.notes)).scalar_one<int>() == 1);
  }
  CHECK(f.committed().empty());

  auto conn = f.engine.connect();
  {
    auto tx = conn.begin();
    f.add(conn, "also lost");
  }
  CHECK_FALSE(conn.in_transaction());
  CHECK_FALSE(conn.driver_connection().in_transaction());
  CHECK(f.committed().empty());

  auto tx = conn.begin();
  f.add(conn, "rolled back explicitly");
  tx.rollback();
  CHECK_FALSE(tx.is_active());
  CHECK_FALSE(conn.in_transaction());
  CHECK(f.committed().empty());
  CHECK_THROWS_AS(tx.rollback(), retort::InvalidRequestError);
  CHECK_THROWS_AS(tx.commit(), retort::InvalidRequestError);
}

TEST_CASE("commit makes the work visible", "[sqlite][transaction]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto tx = conn.begin();
  f.add(conn, "kept");
  f.add(conn, "kept too");
  tx.commit();
  CHECK_FALSE(tx.is_active());
  CHECK_FALSE(conn.in_transaction());
  CHECK_FALSE(conn.driver_connection().in_transaction());
  CHECK_THROWS_AS(tx.commit(), retort::InvalidRequestError);
  CHECK(f.committed() == Bodies{"kept", "kept too"});
  // A new transaction can start on the same connection.
  auto again = conn.begin();
  f.add(conn, "third");
  again.commit();
  CHECK(f.committed().size() == 3);
}

TEST_CASE("begin() twice raises InvalidRequestError", "[sqlite][transaction]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto tx = conn.begin();
  CHECK_THROWS_AS(conn.begin(), retort::InvalidRequestError);
  // The first transaction is unharmed.
  f.add(conn, "still fine");
  tx.commit();
  CHECK(f.committed() == Bodies{"still fine"});
}

TEST_CASE("a moved transaction keeps its work", "[sqlite][transaction]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto tx = conn.begin();
  f.add(conn, "moved");
  retort::Transaction moved(std::move(tx));
  CHECK_FALSE(tx.is_active());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  CHECK(moved.is_active());
  moved.commit();
  CHECK(f.committed() == Bodies{"moved"});
}

TEST_CASE("savepoints commit and roll back inside the outer transaction", "[sqlite][transaction]") {
  Fixture f;
  auto conn = f.engine.connect();

  SECTION("nested commit, outer commit") {
    auto outer = conn.begin();
    f.add(conn, "outer");
    auto inner = conn.begin_nested();
    CHECK(inner.is_nested());
    f.add(conn, "inner");
    inner.commit();
    CHECK(conn.in_transaction());
    outer.commit();
    CHECK(f.committed() == Bodies{"outer", "inner"});
  }
  SECTION("nested rollback, then outer commit keeps the outer work") {
    auto outer = conn.begin();
    f.add(conn, "before");
    auto inner = conn.begin_nested();
    f.add(conn, "discarded");
    inner.rollback();
    CHECK(conn.in_transaction());
    f.add(conn, "after");
    outer.commit();
    CHECK(f.committed() == Bodies{"before", "after"});
  }
  SECTION("a savepoint left uncommitted rolls back to itself") {
    auto outer = conn.begin();
    f.add(conn, "before");
    {
      auto inner = conn.begin_nested();
      f.add(conn, "discarded");
    }
    CHECK(conn.in_transaction());
    f.add(conn, "after");
    outer.commit();
    CHECK(f.committed() == Bodies{"before", "after"});
  }
  SECTION("outer rollback discards committed savepoints") {
    auto outer = conn.begin();
    f.add(conn, "a");
    auto inner = conn.begin_nested();
    f.add(conn, "b");
    inner.commit();
    outer.rollback();
    CHECK(f.committed().empty());
  }
  SECTION("savepoints nest") {
    auto outer = conn.begin();
    f.add(conn, "1");
    auto sp1 = conn.begin_nested();
    f.add(conn, "2");
    auto sp2 = conn.begin_nested();
    f.add(conn, "3");
    sp2.rollback();
    auto sp3 = conn.begin_nested();
    f.add(conn, "4");
    sp3.commit();
    sp1.commit();
    outer.commit();
    CHECK(f.committed() == Bodies{"1", "2", "4"});
  }
  SECTION("rolling back a savepoint ends the savepoints inside it") {
    auto outer = conn.begin();
    f.add(conn, "1");
    auto sp1 = conn.begin_nested();
    auto sp2 = conn.begin_nested();
    f.add(conn, "2");
    sp1.rollback();
    sp2.commit();  // already ended by sp1's rollback: nothing to do
    f.add(conn, "3");
    outer.commit();
    CHECK(f.committed() == Bodies{"1", "3"});
  }
  SECTION("an outer commit ends the open savepoints") {
    auto outer = conn.begin();
    auto sp = conn.begin_nested();
    f.add(conn, "kept by the outer commit");
    outer.commit();
    CHECK_FALSE(conn.in_transaction());
    CHECK_NOTHROW(sp.rollback());  // ended already; must not touch the database
    CHECK(f.committed() == Bodies{"kept by the outer commit"});
  }
}

TEST_CASE("Engine::transaction commits or rolls back", "[sqlite][transaction]") {
  Fixture f;
  f.engine.transaction([&](retort::Connection& conn) { f.add(conn, "committed"); });
  CHECK(f.committed() == Bodies{"committed"});

  int n = f.engine.transaction([&](retort::Connection& conn) {
    f.add(conn, "with result");
    return conn.execute(retort::select(retort::func::count()).select_from(f.notes)).scalar_one<int>();
  });
  CHECK(n == 2);

  CHECK_THROWS_WITH(f.engine.transaction([&](retort::Connection& conn) {
    f.add(conn, "rolled back");
    throw std::runtime_error("boom");
  }),
                    "boom");
  CHECK(f.committed() == Bodies{"committed", "with result"});

  // A database error inside also rolls back everything done before it.
  CHECK_THROWS_AS(f.engine.transaction([&](retort::Connection& conn) {
    f.add(conn, "rolled back too");
    conn.execute(retort::insert(f.notes).values({{"body", std::nullopt}}));
  }),
                  retort::IntegrityError);
  CHECK(f.committed().size() == 2);
  CHECK(f.engine.pool().checked_out() == 0);
}

TEST_CASE("isolation_level AUTOCOMMIT makes transactions no-ops", "[sqlite][transaction]") {
  retort::EngineOptions options;
  options.isolation_level = "AUTOCOMMIT";
  Fixture f(options);
  auto conn = f.engine.connect();
  {
    auto tx = conn.begin();
    f.add(conn, "autocommitted");
    CHECK_FALSE(conn.driver_connection().in_transaction());
  }  // not committed, but there was nothing to roll back
  CHECK(f.committed() == Bodies{"autocommitted"});
  auto tx = conn.begin();
  f.add(conn, "second");
  tx.commit();
  CHECK(f.committed().size() == 2);
}

TEST_CASE("savepoints work under AUTOCOMMIT", "[sqlite][transaction]") {
  retort::EngineOptions options;
  options.isolation_level = "AUTOCOMMIT";
  Fixture f(options);
  auto conn = f.engine.connect();
  {
    auto sp = conn.begin_nested();
    f.add(conn, "discarded");
  }
  {
    auto sp = conn.begin_nested();
    f.add(conn, "released");
    sp.commit();
  }
  conn.close();
  CHECK(f.committed() == Bodies{"released"});
}

TEST_CASE("isolation_level IMMEDIATE takes the write lock at BEGIN", "[sqlite][transaction]") {
  retort::EngineOptions options;
  options.isolation_level = "IMMEDIATE";
  Fixture f(options, "?busy_timeout=100");
  auto holder = f.engine.connect();
  auto tx = holder.begin();  // nothing written yet, but the lock is held

  auto other_engine = retort::create_engine(f.db.url("?busy_timeout=100"));
  auto other = other_engine.connect();
  CHECK_THROWS_AS(other.exec_driver_sql("INSERT INTO notes (body) VALUES ('blocked')"), retort::OperationalError);
  // Reading is still allowed.
  CHECK(other.exec_driver_sql("SELECT count(*) FROM notes").scalar_one<int>() == 0);

  tx.commit();
  CHECK_NOTHROW(other.exec_driver_sql("INSERT INTO notes (body) VALUES ('now fine')"));

  // "SERIALIZABLE" (plain BEGIN) does not take the lock until the first write.
  options.isolation_level = "SERIALIZABLE";
  auto deferred_engine = retort::create_engine(f.db.url("?busy_timeout=100"), options);
  auto deferred = deferred_engine.connect();
  auto deferred_tx = deferred.begin();
  CHECK_NOTHROW(other.exec_driver_sql("INSERT INTO notes (body) VALUES ('not blocked')"));
  deferred_tx.rollback();
}

TEST_CASE("an unsupported isolation level raises ArgumentError", "[sqlite][transaction]") {
  retort::testing::TempDatabase db;
  retort::EngineOptions options;
  options.isolation_level = "READ SOMETHING";
  CHECK_THROWS_AS(
      [&] {
        auto engine = retort::create_engine(db.url(), options);
        auto conn = engine.connect();
        auto tx = conn.begin();
      }(),
      retort::ArgumentError);
  for (const char* level : {"SERIALIZABLE", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"}) {
    INFO(level);
    options.isolation_level = level;
    auto engine = retort::create_engine(db.url(), options);
    auto conn = engine.connect();
    auto tx = conn.begin();
    CHECK(conn.driver_connection().in_transaction());
    tx.commit();
  }
}

TEST_CASE("a connection goes back to the pool with no open transaction", "[sqlite][transaction]") {
  retort::EngineOptions options;
  options.pool_size = 1;
  options.max_overflow = 0;
  Fixture f(options);
  SECTION("transaction opened with raw SQL") {
    {
      auto conn = f.engine.connect();
      conn.exec_driver_sql("BEGIN");
      f.add(conn, "never committed");
      CHECK(conn.driver_connection().in_transaction());
    }
    auto conn = f.engine.connect();  // the same pooled connection
    CHECK_FALSE(conn.driver_connection().in_transaction());
    CHECK(conn.execute(retort::select(retort::func::count()).select_from(f.notes)).scalar_one<int>() == 0);
    CHECK_NOTHROW(conn.begin().commit());
  }
  SECTION("transaction object outliving the connection handle") {
    {
      auto conn = f.engine.connect();
      auto tx = conn.begin();
      f.add(conn, "never committed");
      conn.close();
      CHECK(f.engine.pool().checked_out() == 1);  // the transaction still holds it
    }
    CHECK(f.engine.pool().checked_out() == 0);
    auto conn = f.engine.connect();
    CHECK_FALSE(conn.driver_connection().in_transaction());
    CHECK_FALSE(conn.in_transaction());
    CHECK(conn.execute(retort::select(retort::func::count()).select_from(f.notes)).scalar_one<int>() == 0);
  }
}
