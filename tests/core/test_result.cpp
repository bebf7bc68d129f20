// Results: streaming iteration, typed access by index and name, NULL handling, conversion
// errors, scalar/one/first/fetchmany/all/mappings/keys, and lifetime against the connection.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/engine/pool.hpp>
#include <retort/retort.hpp>

#include "support/temp_database.hpp"

namespace {

struct Fixture {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  retort::Table& items =
      metadata.table("items", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("name", retort::String{50}).not_null(), retort::Column("price", retort::Double{}),
                     retort::Column("note", retort::Text{}));
  retort::Engine engine = retort::create_engine(db.url());
  Fixture() {
    metadata.create_all(engine);
    engine.connect().execute(retort::insert(items), std::vector<retort::Params>{
                                                        {{"name", "apple"}, {"price", 1.5}, {"note", "red"}},
                                                        {{"name", "banana"}, {"price", 0.25}, {"note", std::nullopt}},
                                                        {{"name", "cherry"}, {"price", std::nullopt}, {"note", "42"}},
                                                    });
  }
  retort::Select ordered() const {
    return retort::select(items.c("id"), items.c("name"), items.c("price"), items.c("note")).order_by({items.c("id")});
  }
};

const char* kCountTo = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < :n) SELECT x FROM c";

}  // namespace

TEST_CASE("iterating a result streams rows", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  std::int64_t count = 0, sum = 0;
  for (const auto& row : conn.execute(retort::text(kCountTo), retort::Params{{"n", 10000}})) {
    ++count;
    sum += row.get<std::int64_t>(0);
  }
  CHECK(count == 10000);
  CHECK(sum == 10000LL * 10001 / 2);

  // A result far too large to load: reading the first rows must not read the rest.
  auto start = std::chrono::steady_clock::now();
  {
    auto huge = conn.execute(retort::text(kCountTo), retort::Params{{"n", 2000000000}});
    std::int64_t seen = 0;
    for (const auto& row : huge) {
      CHECK(row.get<std::int64_t>(0) == seen + 1);
      if (++seen == 10000) break;
    }
    CHECK(seen == 10000);
    auto next = huge.fetchmany(3);
    REQUIRE(next.size() == 3);
    CHECK(next[0].get<int>(0) == 10001);
    CHECK(next[2].get<int>(0) == 10003);
  }
  {
    auto huge = conn.execute(retort::text(kCountTo), retort::Params{{"n", 2000000000}});
    CHECK(huge.first()->get<int>(0) == 1);
    CHECK(conn.execute(retort::text(kCountTo), retort::Params{{"n", 2000000000}}).scalar<int>() == 1);
  }
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(elapsed < 5.0);
  // The connection is free for more work once those results are gone.
  CHECK(conn.execute(retort::text("SELECT 5")).scalar_one<int>() == 5);
}

TEST_CASE("row values by index and by name", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto rows = conn.execute(f.ordered()).all();
  REQUIRE(rows.size() == 3);
  const auto& apple = rows[0];
  CHECK(apple.size() == 4);
  CHECK(apple.keys() == std::vector<std::string>{"id", "name", "price", "note"});
  CHECK(apple.get<int>(0) == 1);
  CHECK(apple.get<std::int64_t>("id") == 1);
  CHECK(apple.get<std::string>(1) == "apple");
  CHECK(apple.get<std::string>("name") == "apple");
  CHECK(apple.get<double>("price") == 1.5);
  CHECK(apple.get<float>(2) == 1.5f);
  CHECK(apple["name"] == retort::Value("apple"));
  CHECK(apple[3] == retort::Value("red"));
  CHECK(apple.values().size() == 4);
  // Text that holds a number converts; a number converts to text.
  CHECK(rows[2].get<int>("note") == 42);
  CHECK(apple.get<std::string>("id") == "1");
  CHECK_THROWS_AS(apple[7], retort::InvalidRequestError);
  CHECK_THROWS_AS(apple.get<int>(7), retort::InvalidRequestError);
  try {
    apple.get<int>("no_such_column");
    FAIL("no error for an unknown column");
  } catch (const retort::NoSuchColumnError& e) {
    CHECK_THAT(e.what(), Catch::Contains("no_such_column") && Catch::Contains("price"));
  }
}

TEST_CASE("NULL reads as std::optional and refuses a plain type", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto rows = conn.execute(f.ordered()).all();
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].get<std::optional<std::string>>("note") == std::nullopt);
  CHECK(rows[0].get<std::optional<std::string>>("note") == std::optional<std::string>("red"));
  CHECK(rows[2].get<std::optional<double>>("price") == std::nullopt);
  CHECK(rows[0].get<std::optional<double>>(2) == std::optional<double>(1.5));
  CHECK(rows[1]["note"].is_null());
  try {
    rows[1].get<std::string>("note");
    FAIL("NULL converted to a plain std::string");
  } catch (const retort::TypeConversionError& e) {
    CHECK_THAT(e.what(), Catch::Contains("note") && Catch::Contains("NULL"));
  }
  try {
    rows[2].get<double>(2);
    FAIL("NULL converted to a plain double");
  } catch (const retort::TypeConversionError& e) {
    CHECK_THAT(e.what(), Catch::Contains("price"));
  }
}

TEST_CASE("nullptr as a parameter value stores NULL", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  conn.execute(retort::insert(f.items), retort::Params{{"name", "date"}, {"price", nullptr}, {"note", nullptr}});
  auto row =
      conn.execute(retort::select(f.items.c("price"), f.items.c("note")).where(f.items.c("name") == "date")).one();
  CHECK_FALSE(row.get<std::optional<double>>(0).has_value());
  CHECK_FALSE(row.get<std::optional<std::string>>(1).has_value());
  CHECK(conn.execute(retort::select(retort::func::count()).select_from(f.items).where(f.items.c("note") == nullptr))
            .scalar_one<std::int64_t>() == 2);
}

TEST_CASE("impossible conversions raise TypeConversionError naming the column", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto row = conn.execute(retort::text("SELECT 'abc' AS word, 2.5 AS half, X'0102' AS bytes, 7 AS seven, "
                                       "5000000000 AS big"))
                 .one();
  auto expect_error = [&](auto get, const char* column) {
    try {
      get();
      FAIL("conversion of " << column << " succeeded");
    } catch (const retort::TypeConversionError& e) {
      CHECK_THAT(e.what(), Catch::Contains(std::string("'") + column + "'"));
    }
  };
  expect_error([&] { return row.get<int>("word"); }, "word");
  expect_error([&] { return row.get<double>("word"); }, "word");
  expect_error([&] { return row.get<std::int64_t>("half"); }, "half");
  expect_error([&] { return row.get<int>("bytes"); }, "bytes");
  expect_error([&] { return row.get<retort::Blob>("seven"); }, "seven");
  // Narrowing that would change the value is refused too.
  expect_error([&] { return row.get<std::int32_t>("big"); }, "big");
  expect_error([&] { return row.get<std::uint8_t>("big"); }, "big");
  CHECK(row.get<std::int64_t>("big") == 5000000000LL);
  CHECK(row.get<retort::Blob>("bytes") == retort::Blob{1, 2});
  CHECK(row.get<double>("seven") == 7.0);
  CHECK(row.get<bool>("seven"));
}

TEST_CASE("scalar, scalar_one and scalars", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto names = retort::select(f.items.c("name")).order_by({f.items.c("name")});
  CHECK(conn.execute(names).scalar<std::string>() == std::optional<std::string>("apple"));
  CHECK(conn.execute(names).scalars<std::string>() == std::vector<std::string>{"apple", "banana", "cherry"});
  CHECK(conn.execute(names.where(f.items.c("id") > 100)).scalar<std::string>() == std::nullopt);
  CHECK(conn.execute(names.where(f.items.c("id") == 2)).scalar_one<std::string>() == "banana");
  CHECK_THROWS_AS(conn.execute(names).scalar_one<std::string>(), retort::MultipleResultsFound);
  CHECK_THROWS_AS(conn.execute(names.where(f.items.c("id") > 100)).scalar_one<std::string>(), retort::NoResultFound);
  CHECK(conn.execute(retort::select(f.items.c("price")).order_by({f.items.c("id")})).scalars<std::optional<double>>() ==
        std::vector<std::optional<double>>{1.5, 0.25, std::nullopt});
}

TEST_CASE("one, one_or_none and first", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto by_id = [&](int id) { return f.ordered().where(f.items.c("id") == id); };
  CHECK(conn.execute(by_id(1)).one().get<std::string>("name") == "apple");
  CHECK_THROWS_AS(conn.execute(by_id(9)).one(), retort::NoResultFound);
  CHECK_THROWS_AS(conn.execute(f.ordered()).one(), retort::MultipleResultsFound);
  CHECK(conn.execute(by_id(2)).one_or_none()->get<std::string>("name") == "banana");
  CHECK_FALSE(conn.execute(by_id(9)).one_or_none().has_value());
  CHECK_THROWS_AS(conn.execute(f.ordered()).one_or_none(), retort::MultipleResultsFound);
  CHECK(conn.execute(f.ordered()).first()->get<std::string>("name") == "apple");
  CHECK_FALSE(conn.execute(by_id(9)).first().has_value());
  // first() discards the rest: the result is finished afterwards.
  auto r = conn.execute(f.ordered());
  CHECK(r.first().has_value());
  CHECK_FALSE(r.fetchone().has_value());
}

TEST_CASE("fetchone, fetchmany, all, mappings and keys", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto r = conn.execute(f.ordered());
  CHECK(r.returns_rows());
  CHECK(r.keys() == std::vector<std::string>{"id", "name", "price", "note"});
  auto one = r.fetchone();
  REQUIRE(one.has_value());
  CHECK(one->get<std::string>(1) == "apple");
  auto two = r.fetchmany(5);
  REQUIRE(two.size() == 2);
  CHECK(two[0].get<std::string>(1) == "banana");
  CHECK(two[1].get<std::string>(1) == "cherry");
  CHECK(r.fetchmany(5).empty());
  CHECK_FALSE(r.fetchone().has_value());
  CHECK(r.all().empty());

  auto batches = conn.execute(f.ordered());
  CHECK(batches.fetchmany(2).size() == 2);
  CHECK(batches.fetchmany(2).size() == 1);
  CHECK(batches.fetchmany(0).empty());

  auto maps = conn.execute(f.ordered()).mappings();
  REQUIRE(maps.size() == 3);
  CHECK(maps[0].at("name") == retort::Value("apple"));
  CHECK(maps[1].at("note").is_null());
  CHECK(maps[2].size() == 4);

  // Rows copied out of iteration stay valid.
  std::vector<retort::Row> kept;
  for (const auto& row : conn.execute(f.ordered())) kept.push_back(row);
  REQUIRE(kept.size() == 3);
  CHECK(kept[0].get<std::string>("name") == "apple");
  CHECK(kept[2].get<std::string>("name") == "cherry");
  CHECK(kept[1].mapping().at("price") == retort::Value(0.25));

  // Labels name the columns.
  auto labelled = conn.execute(retort::select(f.items.c("name").label("label_name"), retort::func::count().label("n"))
                                   .group_by({f.items.c("name")})
                                   .order_by({f.items.c("name")}));
  CHECK(labelled.keys() == std::vector<std::string>{"label_name", "n"});
  CHECK(labelled.first()->get<int>("n") == 1);
}

TEST_CASE("a result outlives its connection and then returns it to the pool", "[sqlite][result]") {
  Fixture f;
  retort::Result result;
  {
    auto conn = f.engine.connect();
    result = conn.execute(f.ordered());
  }
  CHECK(f.engine.pool().checked_out() == 1);
  auto first = result.fetchone();
  REQUIRE(first.has_value());
  CHECK(first->get<std::string>("name") == "apple");
  CHECK(result.all().size() == 2);
  CHECK(f.engine.pool().checked_out() == 0);

  // Closing the connection explicitly behaves the same; close() on the result releases it.
  auto conn = f.engine.connect();
  auto r = conn.execute(f.ordered());
  conn.close();
  CHECK(f.engine.pool().checked_out() == 1);
  r.close();
  CHECK(f.engine.pool().checked_out() == 0);
  CHECK_FALSE(r.fetchone().has_value());
}

TEST_CASE("a statement without rows raises ResourceClosedError on fetch", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto r = conn.execute(retort::update(f.items).values({{"note", "x"}}));
  CHECK_FALSE(r.returns_rows());
  CHECK(r.keys().empty());
  CHECK(r.rowcount() == 3);
  CHECK_THROWS_AS(r.fetchone(), retort::ResourceClosedError);
  CHECK_THROWS_AS(r.all(), retort::ResourceClosedError);
  CHECK_THROWS_AS(r.fetchmany(2), retort::ResourceClosedError);
  CHECK_THROWS_AS(r.one(), retort::ResourceClosedError);
  CHECK_THROWS_AS(r.first(), retort::ResourceClosedError);
  CHECK_THROWS_AS(r.scalar<int>(), retort::ResourceClosedError);
  CHECK_THROWS_AS(r.scalars<int>(), retort::ResourceClosedError);
  CHECK_THROWS_AS(r.mappings(), retort::ResourceClosedError);
  // A result without rows does not hold the connection.
  conn.close();
  CHECK(f.engine.pool().checked_out() == 0);
  retort::Result empty;
  CHECK_THROWS_AS(empty.fetchone(), retort::ResourceClosedError);
}

TEST_CASE("executemany with RETURNING gives a buffered result", "[sqlite][result]") {
  Fixture f;
  auto conn = f.engine.connect();
  auto r = conn.execute(retort::insert(f.items).returning({f.items.c("id"), f.items.c("name")}),
                        std::vector<retort::Params>{{{"name", "d"}}, {{"name", "e"}}});
  CHECK(r.keys() == std::vector<std::string>{"id", "name"});
  auto first = r.fetchone();
  REQUIRE(first.has_value());
  CHECK(first->get<int>("id") == 4);
  auto rest = r.fetchmany(10);
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].get<std::string>("name") == "e");
  CHECK_FALSE(r.fetchone().has_value());

  // first() and close() discard the remaining buffered rows, as for a streaming result.
  auto insert_returning = retort::insert(f.items).returning({f.items.c("name")});
  auto three = std::vector<retort::Params>{{{"name", "f"}}, {{"name", "g"}}, {{"name", "h"}}};
  auto again = conn.execute(insert_returning, three);
  CHECK(again.first()->get<std::string>(0) == "f");
  CHECK_FALSE(again.fetchone().has_value());
  CHECK(again.all().empty());
  auto closed = conn.execute(insert_returning, three);
  closed.close();
  CHECK_FALSE(closed.fetchone().has_value());
  auto all = conn.execute(insert_returning, three).scalars<std::string>();
  CHECK(all == std::vector<std::string>{"f", "g", "h"});
}
