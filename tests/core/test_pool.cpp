// Connection pools through the engine: QueuePool limits, timeout, overflow, recycle and
// pre-ping; StaticPool for SQLite in-memory databases; NullPool.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include <retort/core/engine/pool.hpp>
#include <retort/core/reflection/normalize.hpp>
#include <retort/retort.hpp>

#include "support/temp_database.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// Counts connect/checkout/checkin events and the most connections lent at once.
struct PoolCounters {
  std::atomic<int> connects{0};
  std::atomic<int> checkouts{0};
  std::atomic<int> checkins{0};
  std::atomic<int> lent{0};
  std::atomic<int> max_lent{0};

  void attach(const retort::Engine& engine) {
    engine.events().on_connect([this](retort::DriverConnection&) { ++connects; });
    engine.events().on_checkout([this](retort::DriverConnection&) {
      ++checkouts;
      int now = ++lent;
      int seen = max_lent.load();
      while (now > seen && !max_lent.compare_exchange_weak(seen, now)) {
      }
    });
    engine.events().on_checkin([this](retort::DriverConnection&) {
      ++checkins;
      --lent;
    });
  }
};

retort::EngineOptions queue_options(std::size_t size, int overflow, double timeout = 30.0) {
  retort::EngineOptions o;
  o.pool_size = size;
  o.max_overflow = overflow;
  o.pool_timeout = timeout;
  return o;
}

}  // namespace

TEST_CASE("QueuePool under 16 threads stays within size + overflow and leaks nothing", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url(), queue_options(4, 2));
  REQUIRE(dynamic_cast<retort::QueuePool*>(&engine.pool()) != nullptr);
  PoolCounters counters;
  counters.attach(engine);
  std::atomic<std::size_t> max_checked_out{0};
  std::atomic<int> failures{0};
  std::atomic<int> wrong_answers{0};

  constexpr int kThreads = 16;
  constexpr int kCheckouts = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCheckouts; ++i) {
        try {
          auto conn = engine.connect();
          std::size_t out = engine.pool().checked_out();
          std::size_t seen = max_checked_out.load();
          while (out > seen && !max_checked_out.compare_exchange_weak(seen, out)) {
          }
          auto value = conn.exec_driver_sql("SELECT ?", {t * 1000 + i}).scalar_one<int>();
          if (value != t * 1000 + i) ++wrong_answers;
          // Hold the connection a little so that the 16 threads really compete for 6.
          std::this_thread::sleep_for(std::chrono::microseconds(50));
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();

  CHECK(failures == 0);
  CHECK(wrong_answers == 0);
  CHECK(engine.pool().checked_out() == 0);
  CHECK(counters.checkouts == kThreads * kCheckouts);
  CHECK(counters.checkins == kThreads * kCheckouts);
  CHECK(counters.lent == 0);
  CHECK(counters.max_lent <= 6);
  CHECK(counters.max_lent == 6);  // the overflow was used, up to its limit
  CHECK(max_checked_out <= 6);
  // Connections are reused: far fewer opened than checkouts.
  CHECK(counters.connects >= 1);
  CHECK(counters.connects < kThreads * kCheckouts / 4);
  // Only pool_size connections stay open once everything is back.
  CHECK_THAT(engine.pool().status(), Catch::Contains("checked_out=0"));
  CHECK_THAT(engine.pool().status(), Catch::Contains("idle=4") || Catch::Contains("idle=3") ||
                                         Catch::Contains("idle=2") || Catch::Contains("idle=1"));
}

TEST_CASE("QueuePool refuses a checkout beyond pool_size + max_overflow", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url(), queue_options(2, 1, 0.1));
  PoolCounters counters;
  counters.attach(engine);
  std::vector<retort::Connection> held;
  for (int i = 0; i < 3; ++i) held.push_back(engine.connect());
  CHECK(engine.pool().checked_out() == 3);
  CHECK(counters.connects == 3);
  CHECK_THROWS_AS(engine.connect(), retort::TimeoutError);
  CHECK(engine.pool().checked_out() == 3);
  held.pop_back();
  CHECK(engine.pool().checked_out() == 2);
  CHECK_NOTHROW(engine.connect());
  held.clear();
  CHECK(engine.pool().checked_out() == 0);
}

TEST_CASE("QueuePool with max_overflow -1 has no limit", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url(), queue_options(1, -1, 0.1));
  PoolCounters counters;
  counters.attach(engine);
  {
    std::vector<retort::Connection> held;
    for (int i = 0; i < 12; ++i) held.push_back(engine.connect());
    CHECK(engine.pool().checked_out() == 12);
    CHECK(counters.connects == 12);
  }
  CHECK(engine.pool().checked_out() == 0);
  CHECK_THAT(engine.pool().status(), Catch::Contains("open=1") && Catch::Contains("idle=1"));
}

TEST_CASE("QueuePool checkout times out after pool_timeout and recovers", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url(), queue_options(1, 0, 0.2));
  auto first = engine.connect();
  auto start = Clock::now();
  try {
    engine.connect();
    FAIL("a second connection was handed out by a pool of one");
  } catch (const retort::TimeoutError& e) {
    double waited = seconds_since(start);
    CHECK(waited >= 0.18);
    CHECK(waited < 1.5);
    CHECK_THAT(e.what(), Catch::Contains("timeout"));
  }
  first.close();
  auto second = engine.connect();
  CHECK(second.exec_driver_sql("SELECT 7").scalar_one<int>() == 7);
}

TEST_CASE("QueuePool hands a returned connection to a waiting thread", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url(), queue_options(1, 0, 5.0));
  PoolCounters counters;
  counters.attach(engine);
  std::optional<retort::Connection> first(engine.connect());
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    first.reset();
  });
  auto start = Clock::now();
  auto second = engine.connect();
  double waited = seconds_since(start);
  releaser.join();
  CHECK(waited >= 0.08);
  CHECK(waited < 4.0);
  CHECK(counters.connects == 1);  // the same connection, reused
  CHECK(second.exec_driver_sql("SELECT 1").scalar_one<int>() == 1);
}

TEST_CASE("QueuePool closes overflow connections at checkin", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url(), queue_options(1, 2, 0.1));
  PoolCounters counters;
  counters.attach(engine);
  {
    auto a = engine.connect();
    auto b = engine.connect();
    auto c = engine.connect();
    CHECK(counters.connects == 3);
    CHECK(engine.pool().checked_out() == 3);
  }
  CHECK(engine.pool().checked_out() == 0);
  CHECK_THAT(engine.pool().status(), Catch::Contains("open=1") && Catch::Contains("idle=1"));
  {
    auto a = engine.connect();
    auto b = engine.connect();
    auto c = engine.connect();
    // One kept from before; the two overflow connections had been closed.
    CHECK(counters.connects == 5);
  }
  engine.dispose();
  CHECK_THAT(engine.pool().status(), Catch::Contains("open=0"));
  auto d = engine.connect();
  CHECK(counters.connects == 6);
}

TEST_CASE("pool_recycle replaces connections older than the limit", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  SECTION("old connections are replaced") {
    auto options = queue_options(2, 0);
    options.pool_recycle = 0.05;
    auto engine = retort::create_engine(db.url(), options);
    PoolCounters counters;
    counters.attach(engine);
    engine.connect().exec_driver_sql("SELECT 1");
    CHECK(counters.connects == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    auto conn = engine.connect();
    CHECK(counters.connects == 2);
    CHECK(conn.exec_driver_sql("SELECT 2").scalar_one<int>() == 2);
    CHECK(engine.pool().checked_out() == 1);
  }
  SECTION("young connections are kept") {
    auto options = queue_options(2, 0);
    options.pool_recycle = 60;
    auto engine = retort::create_engine(db.url(), options);
    PoolCounters counters;
    counters.attach(engine);
    for (int i = 0; i < 5; ++i) engine.connect().exec_driver_sql("SELECT 1");
    CHECK(counters.connects == 1);
  }
}

TEST_CASE("pool_pre_ping replaces a dead connection at checkout", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  SECTION("with pre_ping") {
    auto options = queue_options(1, 0, 0.5);
    options.pool_pre_ping = true;
    auto engine = retort::create_engine(db.url(), options);
    PoolCounters counters;
    counters.attach(engine);
    {
      auto conn = engine.connect();
      conn.driver_connection().close();  // the connection dies while lent out
    }
    auto conn = engine.connect();
    CHECK(counters.connects == 2);
    CHECK(conn.exec_driver_sql("SELECT 3").scalar_one<int>() == 3);
  }
  SECTION("without pre_ping the dead connection comes back") {
    auto engine = retort::create_engine(db.url(), queue_options(1, 0, 0.5));
    PoolCounters counters;
    counters.attach(engine);
    {
      auto conn = engine.connect();
      conn.driver_connection().close();
    }
    auto conn = engine.connect();
    CHECK(counters.connects == 1);
    CHECK_THROWS_AS(conn.exec_driver_sql("SELECT 3"), retort::ResourceClosedError);
  }
}

TEST_CASE("an invalidated connection is discarded, not pooled", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  auto engine = retort::create_engine(db.url(), queue_options(2, 0));
  PoolCounters counters;
  counters.attach(engine);
  {
    auto conn = engine.connect();
    conn.invalidate();
  }
  CHECK_THAT(engine.pool().status(), Catch::Contains("open=0"));
  engine.connect();
  CHECK(counters.connects == 2);
}

TEST_CASE("StaticPool shares one in-memory database across connect() calls", "[sqlite][pool]") {
  for (const char* url : {"sqlite://", "sqlite:///:memory:"}) {
    INFO(url);
    auto engine = retort::create_engine(url);
    REQUIRE(dynamic_cast<retort::StaticPool*>(&engine.pool()) != nullptr);
    PoolCounters counters;
    counters.attach(engine);
    {
      auto conn = engine.connect();
      conn.exec_driver_sql("CREATE TABLE t (x INTEGER)");
      conn.exec_driver_sql("INSERT INTO t VALUES (41)");
      CHECK(engine.pool().checked_out() == 1);
    }
    CHECK(engine.pool().checked_out() == 0);
    {
      auto conn = engine.connect();
      CHECK(conn.exec_driver_sql("SELECT x + 1 FROM t").scalar_one<int>() == 42);
    }
    // A copy of the engine shares the pool and so the database.
    retort::Engine copy = engine;
    CHECK(copy.connect().exec_driver_sql("SELECT count(*) FROM t").scalar_one<int>() == 1);
    CHECK(counters.connects == 1);
    CHECK(counters.checkouts == 3);
  }
}

TEST_CASE("StaticPool lends its connection to one user at a time", "[sqlite][pool]") {
  retort::EngineOptions options;
  options.pool_timeout = 0.1;
  auto engine = retort::create_engine("sqlite://", options);
  auto first = engine.connect();
  CHECK_THROWS_AS(engine.connect(), retort::TimeoutError);
  first.close();
  CHECK_NOTHROW(engine.connect());
}

TEST_CASE("a file database defaults to QueuePool; separate in-memory engines are separate", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  CHECK(dynamic_cast<retort::QueuePool*>(&retort::create_engine(db.url()).pool()) != nullptr);
  auto a = retort::create_engine("sqlite://");
  auto b = retort::create_engine("sqlite://");
  a.connect().exec_driver_sql("CREATE TABLE only_in_a (x)");
  CHECK_THROWS_AS(b.connect().exec_driver_sql("SELECT * FROM only_in_a"), retort::ProgrammingError);
}

TEST_CASE("NullPool opens a connection per checkout", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  retort::EngineOptions options;
  options.poolclass = retort::PoolKind::Null;
  auto engine = retort::create_engine(db.url(), options);
  REQUIRE(dynamic_cast<retort::NullPool*>(&engine.pool()) != nullptr);
  PoolCounters counters;
  counters.attach(engine);
  engine.connect().exec_driver_sql("CREATE TABLE t (x)");
  for (int i = 0; i < 3; ++i) engine.connect().exec_driver_sql("INSERT INTO t VALUES (?)", {i});
  CHECK(counters.connects == 4);
  {
    auto a = engine.connect();
    auto b = engine.connect();
    CHECK(engine.pool().checked_out() == 2);
    CHECK(a.exec_driver_sql("SELECT count(*) FROM t").scalar_one<int>() == 3);
  }
  CHECK(engine.pool().checked_out() == 0);
  CHECK(counters.connects == 6);
}

TEST_CASE("pool_size 0 is refused for a queue pool", "[sqlite][pool]") {
  retort::testing::TempDatabase db;
  auto options = queue_options(0, 1);
  options.poolclass = retort::PoolKind::Queue;
  CHECK_THROWS_AS(retort::create_engine(db.url(), options), retort::ArgumentError);
}
