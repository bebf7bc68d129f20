// Result values follow the column's declared SQL type on every backend (issue 13, item 5): the
// same Value, of the same kind, whichever database sent it; the driver's own value stays
// reachable as Row::raw().
#include <catch2/catch.hpp>

#include <string>

#include <retort/retort.hpp>

#include "support/backend.hpp"

namespace {

using retort::testing::BackendDatabase;
using Kind = retort::Value::Kind;

struct Ledger {
  retort::MetaData metadata;
  retort::Table& entries = metadata.table(
      "entries", retort::Column("id", retort::Integer{}).primary_key(), retort::Column("paid", retort::Boolean{}),
      retort::Column("amount", retort::Numeric{10, 2}), retort::Column("rate", retort::Double{}),
      retort::Column("day", retort::Date{}), retort::Column("at", retort::DateTime{}),
      retort::Column("opens", retort::Time{}), retort::Column("note", retort::String{20}));
};

void values_follow_declared_types(BackendDatabase& db) {
  Ledger l;
  l.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  auto& e = l.entries;
  conn.execute(retort::insert(e), {{{"id", 1},
                                    {"paid", true},
                                    {"amount", retort::Decimal("19.90")},
                                    {"rate", 2},
                                    {"day", retort::LocalDate{2024, 2, 29}},
                                    {"at", retort::LocalDateTime{{2024, 2, 29}, {13, 45, 7, 0}}},
                                    {"opens", retort::LocalTime{8, 30, 0, 0}},
                                    {"note", "a"}},
                                   {{"id", 2},
                                    {"paid", false},
                                    {"amount", 7.5},
                                    {"rate", 0.25},
                                    {"day", "1999-12-31"},
                                    {"at", "2000-01-01 00:00:00"},
                                    {"opens", "23:59:59"},
                                    {"note", nullptr}}});

  auto rows = conn.execute(retort::select(e.c("paid"), e.c("amount"), e.c("rate"), e.c("day"), e.c("at"), e.c("opens"),
                                          e.c("note"))
                               .order_by(e.c("id")))
                  .all();
  REQUIRE(rows.size() == 2);
  const auto& first = rows[0];
  CHECK(first["paid"] == retort::Value(true));
  CHECK(rows[1]["paid"] == retort::Value(false));
  CHECK(first["amount"] == retort::Value("19.90"));
  CHECK(rows[1]["amount"] == retort::Value("7.50"));  // the column's scale, whatever was sent
  CHECK(first.get<retort::Decimal>("amount") == retort::Decimal("19.9"));
  CHECK(first["rate"] == retort::Value(2.0));
  CHECK(first["rate"].kind() == Kind::Real);
  CHECK(first["day"] == retort::Value("2024-02-29"));
  CHECK(first.get<retort::LocalDate>("day") == retort::LocalDate{2024, 2, 29});
  CHECK(first["at"] == retort::Value("2024-02-29 13:45:07"));
  CHECK(rows[1].get<retort::LocalDateTime>("at") == retort::LocalDateTime{{2000, 1, 1}, {}});
  CHECK(first["opens"] == retort::Value("08:30:00"));
  CHECK(first.get<retort::LocalTime>("opens") == retort::LocalTime{8, 30, 0, 0});
  CHECK(first["note"] == retort::Value("a"));
  CHECK(rows[1]["note"].is_null());
  CHECK(rows[1].get<std::optional<retort::Decimal>>("note") == std::nullopt);

  // What the driver sent is still there: SQLite and MariaDB send a Boolean as 1.
  const auto& paid_raw = first.raw("paid");
  if (db.features().supports_native_boolean)
    CHECK(paid_raw == retort::Value(true));
  else
    CHECK(paid_raw == retort::Value(1));
  CHECK(first.raw("note") == first["note"]);

  // Aggregates keep their argument's type; RETURNING rows are typed as the SELECT's.
  auto total = conn.execute(retort::select(retort::func::sum(e.c("amount")).label("total"))).one();
  CHECK(total.get<retort::Decimal>("total") == retort::Decimal("27.40"));
  CHECK(total["total"].kind() == Kind::Text);
  if (db.features().supports_returning) {
    auto back = conn.execute(retort::update(e).values({{"paid", false}}).where(e.c("id") == 1).returning(e.c("paid")));
    CHECK(back.one()["paid"] == retort::Value(false));
  }
  // text() declares no types: its values come as the database sends them.
  auto raw = conn.execute(retort::text("SELECT amount FROM entries WHERE id = 2")).one();
  CHECK(raw[0].as<retort::Decimal>() == retort::Decimal("7.5"));
}
RETORT_BACKEND_TEST("result values follow the declared column types: bool decimal date time",
                    values_follow_declared_types)

void types_are_not_cached_with_the_statement(BackendDatabase& db) {
  // The same statement shape over two declarations of one table: the compiled-statement cache
  // shares the SQL, and each result still follows its own declaration.
  retort::MetaData as_integer;
  auto& counted = as_integer.table("flags", retort::Column("id", retort::Integer{}).primary_key(),
                                   retort::Column("flag", retort::Integer{}));
  retort::MetaData as_boolean;
  auto& flagged = as_boolean.table("flags", retort::Column("id", retort::Integer{}).primary_key(),
                                   retort::Column("flag", retort::Boolean{}));
  as_integer.create_all(db.engine());
  auto conn = db.engine().connect();
  conn.execute(retort::insert(counted).values({{"id", 1}, {"flag", 1}}));
  CHECK(conn.execute(retort::select(counted.c("flag"))).one()[0] == retort::Value(1));
  CHECK(conn.execute(retort::select(flagged.c("flag"))).one()[0] == retort::Value(true));
  CHECK(conn.execute(retort::select(counted.c("flag"))).one()[0] == retort::Value(1));
}
RETORT_BACKEND_TEST("result types come from each statement not from the compiled-statement cache",
                    types_are_not_cached_with_the_statement)

}  // namespace
