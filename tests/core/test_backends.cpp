// The Core behaviour every backend shares, written once and run on SQLite, PostgreSQL and
// MySQL/MariaDB (design.md section 6). Each behaviour is one function; RETORT_BACKEND_TEST makes one
// TEST_CASE per backend of it, tagged with the backend and [backends]. Where a database
// legitimately differs the test branches on a dialect capability (features()), never on its name.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/sql/cache.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/retort.hpp>

#include "support/backend.hpp"

namespace {

using retort::testing::BackendDatabase;
using Names = std::vector<std::string>;
namespace func = retort::func;

/// A small shop: users, their orders (FK, index), and a self-referencing tree.
struct Shop {
  retort::MetaData metadata;
  retort::Table& users =
      metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("name", retort::String{50}).not_null(), retort::Column("active", retort::Boolean{}),
                     retort::Column("score", retort::Double{}), retort::Column("avatar", retort::LargeBinary{}),
                     retort::Column("bio", retort::Text{}), retort::UniqueConstraint{{"name"}, "uq_users_name"},
                     retort::Index("ix_users_score", Names{"score"}));
  retort::Table& orders =
      metadata.table("orders", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("user_id", retort::Integer{}).references("users.id").not_null(),
                     retort::Column("amount", retort::Integer{}).not_null(), retort::Column("note", retort::String{40}),
                     retort::Index("ix_orders_user", Names{"user_id"}));
  retort::Table& nodes = metadata.table("nodes", retort::Column("id", retort::Integer{}).primary_key(),
                                        retort::Column("parent_id", retort::Integer{}).references("nodes.id"),
                                        retort::Column("label", retort::String{20}));
};

bool has_table(const BackendDatabase& db, retort::Connection& conn, const std::string& name) {
  return db.engine().dialect().has_table(conn.driver_connection(), name, std::nullopt);
}

/// Five users (ids 1..5) and 2,500 orders: order i (1-based id) has amount i-1 and belongs to
/// user (i-1) % 5 + 1. A sixth user has no orders.
void fill(Shop& s, retort::Connection& conn) {
  conn.execute(retort::insert(s.users).values({{"id", 1}, {"name", "ann"}, {"active", true}, {"score", 1.5}}));
  std::vector<retort::Params> people;
  for (int id = 2; id <= 6; ++id)
    people.push_back(
        {{"id", id}, {"name", "user" + std::to_string(id)}, {"active", id % 2 == 0}, {"score", id * 0.25}});
  conn.execute(retort::insert(s.users), people);
  std::vector<retort::Params> rows;
  for (int i = 0; i < 2500; ++i) rows.push_back({{"id", i + 1}, {"user_id", i % 5 + 1}, {"amount", i}});
  auto result = conn.execute(retort::insert(s.orders), rows);
  CHECK(result.rowcount() == 2500);
}

// ---------------------------------------------------------------------------------------------

void create_and_drop(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  for (const char* name : {"users", "orders", "nodes"}) CHECK(has_table(db, conn, name));
  // checkfirst: a second create_all leaves the tables alone.
  s.metadata.create_all(db.engine());
  // The foreign key holds: an order for a missing user is refused.
  conn.execute(retort::insert(s.users).values({{"id", 1}, {"name", "ann"}}));
  conn.execute(retort::insert(s.orders).values({{"id", 1}, {"user_id", 1}, {"amount", 5}}));
  CHECK_THROWS_AS(conn.execute(retort::insert(s.orders).values({{"id", 2}, {"user_id", 99}, {"amount", 5}})),
                  retort::IntegrityError);
  // The unique constraint holds.
  CHECK_THROWS_AS(conn.execute(retort::insert(s.users).values({{"id", 2}, {"name", "ann"}})), retort::IntegrityError);
  // The indexes exist (reflected back).
  retort::core::Inspector inspector(conn);
  std::set<std::string> indexes;
  for (const auto& ix : inspector.get_indexes("orders")) indexes.insert(ix.name);
  for (const auto& ix : inspector.get_indexes("users")) indexes.insert(ix.name);
  CHECK(indexes.count("ix_orders_user") == 1);
  CHECK(indexes.count("ix_users_score") == 1);
  conn.close();
  s.metadata.drop_all(db.engine());
  auto after = db.engine().connect();
  for (const char* name : {"users", "orders", "nodes"}) CHECK_FALSE(has_table(db, after, name));
}
RETORT_BACKEND_TEST("create_all and drop_all with foreign keys, indexes and a unique constraint", create_and_drop)

void inserts_and_selects(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();

  // executemany of 2,500 rows: one statement event, batched into multi-row INSERTs where the
  // dialect can (the page of rows and the last partial page are compiled once each).
  conn.execute(retort::insert(s.users).values({{"id", 1}, {"name", "ann"}}));
  int events = 0;
  db.engine().events().before_execute([&](const retort::StatementEvent&) { ++events; });
  auto& cache = db.engine().compiled_cache();
  const auto misses0 = cache.misses();
  std::vector<retort::Params> rows;
  for (int i = 0; i < 2500; ++i) rows.push_back({{"id", i + 1}, {"user_id", 1}, {"amount", i}});
  CHECK(conn.execute(retort::insert(s.orders), rows).rowcount() == 2500);
  CHECK(events == 1);
  const auto& f = db.features();
  std::size_t page = std::min(f.insertmanyvalues_page_size, std::max<std::size_t>(1, f.max_bind_parameters / 3));
  if (f.supports_multivalues_insert && page > 1) {
    std::set<std::size_t> sizes;
    for (std::size_t done = 0; done < rows.size(); done += page) sizes.insert(std::min(page, rows.size() - done));
    CHECK(cache.misses() - misses0 == 1 + sizes.size());  // the one-row statement + each batch size
  }
  CHECK(conn.execute(retort::select(func::count()).select_from(s.orders)).scalar_one<std::int64_t>() == 2500);
  CHECK(conn.execute(retort::select(func::sum(s.orders.c("amount")))).scalar_one<std::int64_t>() == 2499LL * 2500 / 2);
  conn.execute(retort::delete_(s.orders));
  conn.execute(retort::delete_(s.users));

  fill(s, conn);

  // Join, group_by, having, order_by.
  auto per_user = conn.execute(retort::select(s.users.c("name"), func::count(s.orders.c("id")).label("n"),
                                              func::max(s.orders.c("amount")).label("top"))
                                   .select_from(s.users.join(s.orders))
                                   .group_by({s.users.c("name")})
                                   .having(func::max(s.orders.c("amount")) > 2496)
                                   .order_by({s.users.c("name")}))
                      .all();
  REQUIRE(per_user.size() == 3);  // amounts 2497, 2498, 2499 belong to users 3, 4, 5
  CHECK(per_user[0].get<std::string>("name") == "user3");
  CHECK(per_user[0].get<int>("n") == 500);
  CHECK(per_user[0].get<int>("top") == 2497);
  CHECK(per_user[2].get<std::string>("name") == "user5");
  CHECK(per_user[2].get<int>("top") == 2499);

  // order_by / limit / offset.
  CHECK(conn.execute(
                retort::select(s.orders.c("amount")).order_by({retort::desc(s.orders.c("amount"))}).limit(3).offset(2))
            .scalars<int>() == std::vector<int>{2497, 2496, 2495});

  // DISTINCT.
  CHECK(
      conn.execute(retort::select(s.orders.c("user_id")).distinct().order_by({s.orders.c("user_id")})).scalars<int>() ==
      std::vector<int>{1, 2, 3, 4, 5});

  // A subquery in FROM.
  auto totals = retort::select(s.orders.c("user_id"), func::count().label("n"))
                    .where(s.orders.c("amount") < 10)
                    .group_by({s.orders.c("user_id")})
                    .subquery("totals");
  auto sub = conn.execute(retort::select(s.users.c("name"), totals.c("n"))
                              .select_from(s.users.join(totals, totals.c("user_id") == s.users.c("id")))
                              .order_by({s.users.c("id")}))
                 .all();
  REQUIRE(sub.size() == 5);
  CHECK(sub[0].get<std::string>(0) == "ann");
  CHECK(sub[0].get<int>(1) == 2);

  // A correlated scalar subquery and EXISTS / NOT EXISTS.
  auto big =
      retort::select(s.orders.c("id")).where(s.orders.c("user_id") == s.users.c("id") && s.orders.c("amount") > 2497);
  CHECK(conn.execute(retort::select(s.users.c("name")).where(retort::exists(big)).order_by({s.users.c("id")}))
            .scalars<std::string>() == Names{"user4", "user5"});
  auto any = retort::select(s.orders.c("id")).where(s.orders.c("user_id") == s.users.c("id"));
  CHECK(conn.execute(retort::select(s.users.c("name")).where(retort::not_exists(any))).scalars<std::string>() ==
        Names{"user6"});
  auto top = retort::select(func::max(s.orders.c("amount"))).scalar_subquery();
  CHECK(conn.execute(retort::select(s.orders.c("user_id")).where(s.orders.c("amount") == top)).scalar_one<int>() == 5);

  // A plain CTE.
  auto small = retort::select(s.orders.c("user_id"), s.orders.c("amount")).where(s.orders.c("amount") < 3).cte("small");
  CHECK(conn.execute(retort::select(s.users.c("name"))
                         .select_from(s.users.join(small, small.c("user_id") == s.users.c("id")))
                         .order_by({small.c("amount")}))
            .scalars<std::string>() == Names{"ann", "user2", "user3"});

  // Recursive CTEs: a counter, and a walk down a tree.
  auto base = retort::select(retort::literal(1).label("n")).cte("counter", true);
  auto counter = base.union_all(retort::select((base.c("n") + 1).label("n")).where(base.c("n") < 5));
  CHECK(conn.execute(retort::select(func::sum(counter.c("n")))).scalar_one<std::int64_t>() == 15);
  std::vector<retort::Params> tree;
  tree.push_back({{"id", 1}, {"parent_id", retort::Null{}}, {"label", "root"}});
  for (int id = 2; id <= 7; ++id)
    tree.push_back({{"id", id}, {"parent_id", id / 2}, {"label", "n" + std::to_string(id)}});
  tree.push_back({{"id", 8}, {"parent_id", retort::Null{}}, {"label", "other"}});
  conn.execute(retort::insert(s.nodes), tree);
  auto walk0 = retort::select(s.nodes.c("id")).where(s.nodes.c("id") == 2).cte("walk", true);
  auto walk =
      walk0.union_all(retort::select(s.nodes.c("id"))
                          .select_from(retort::From(s.nodes).join(walk0, s.nodes.c("parent_id") == walk0.c("id"))));
  CHECK(conn.execute(retort::select(walk.c("id")).order_by({walk.c("id")})).scalars<int>() ==
        std::vector<int>{2, 4, 5});

  // UNION and UNION ALL.
  auto a = retort::select(s.users.c("id")).where(s.users.c("id") <= 3);
  auto b = retort::select(s.orders.c("user_id")).where(s.orders.c("amount") < 5);
  CHECK(conn.execute(a.union_(b).order_by({s.users.c("id")})).scalars<int>() == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(conn.execute(a.union_all(b)).all().size() == 8);
  // A compound inside a compound: (A UNION B) EXCEPT C (SQLite has no parentheses for it; its
  // compiler writes the inner one as a subquery).
  auto c = retort::select(s.users.c("id")).where(s.users.c("id") == 2);
  CHECK(conn.execute(a.union_(b).except_(c).order_by({s.users.c("id")})).scalars<int>() ==
        std::vector<int>{1, 3, 4, 5});
}
RETORT_BACKEND_TEST("insert, executemany of 2,500 rows, and selects (join, aggregates, subqueries, CTEs, union)",
                    inserts_and_selects)

void updates_deletes_returning(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  fill(s, conn);

  // rowcount counts the matched rows, including those already holding the new value.
  conn.execute(retort::update(s.orders).where(s.orders.c("id") == 1).values({{"note", "x"}}));
  CHECK(conn.execute(retort::update(s.orders).where(s.orders.c("amount") < 10).values({{"note", "x"}})).rowcount() ==
        10);
  CHECK(conn.execute(retort::update(s.orders).where(s.orders.c("user_id") == 99).values({{"note", "y"}})).rowcount() ==
        0);
  CHECK(conn.execute(retort::delete_(s.orders).where(s.orders.c("amount") >= 2000)).rowcount() == 500);
  CHECK(conn.execute(retort::select(func::count()).select_from(s.orders)).scalar_one<int>() == 2000);

  // executemany UPDATE: the rowcounts add up.
  std::vector<retort::Params> renames;
  for (int id = 2; id <= 4; ++id) renames.push_back({{"key", id}, {"new_name", "renamed" + std::to_string(id)}});
  CHECK(conn.execute(retort::update(s.users)
                         .where(s.users.c("id") == retort::bindparam("key"))
                         .values({{"name", retort::bindparam("new_name")}}),
                     renames)
            .rowcount() == 3);

  auto ins =
      retort::insert(s.users).values({{"id", 10}, {"name", "ret"}}).returning({s.users.c("id"), s.users.c("name")});
  auto upd =
      retort::update(s.users).where(s.users.c("id") == 10).values({{"score", 2.5}}).returning({s.users.c("score")});
  auto del = retort::delete_(s.orders).where(s.orders.c("amount") == 7).returning({s.orders.c("user_id")});
  if (db.features().supports_returning) {
    auto row = conn.execute(ins).one();
    CHECK(row.get<int>("id") == 10);
    CHECK(row.get<std::string>("name") == "ret");
    CHECK(conn.execute(upd).scalar_one<double>() == 2.5);
    CHECK(conn.execute(del).scalar_one<int>() == 3);
  } else {
    CHECK_THROWS_AS(conn.execute(ins), retort::UnsupportedCompilationError);
    CHECK_THROWS_AS(conn.execute(upd), retort::UnsupportedCompilationError);
    CHECK_THROWS_AS(conn.execute(del), retort::UnsupportedCompilationError);
  }
}
RETORT_BACKEND_TEST("update and delete rowcounts, RETURNING where supported", updates_deletes_returning)

void upserts(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  const auto& features = db.engine().dialect().features();
  conn.execute(retort::insert(s.users).values({{"id", 1}, {"name", "ann"}, {"score", 1.0}}));
  auto score = [&](int id) {
    return conn.execute(retort::select(s.users.c("score")).where(s.users.c("id") == id)).scalar_one<double>();
  };
  auto again = [&](double value) {
    return retort::insert(s.users).values({{"id", 1}, {"name", "ann"}, {"score", value}});
  };
  if (features.supports_on_conflict) {
    conn.execute(again(5.0).on_conflict_do_nothing({"id"}));
    conn.execute(again(5.0).on_conflict_do_nothing());  // any constraint
    CHECK(score(1) == 1.0);
    // The existing row by the table's name, the proposed one through excluded().
    conn.execute(again(5.0).on_conflict_do_update({"id"}, {{"score", s.users.c("score") + retort::excluded("score")}}));
    CHECK(score(1) == 6.0);
    conn.execute(again(7.0).on_conflict_do_update({"id"}, {{"score", retort::excluded("score")}},
                                                  retort::excluded("score") > 100));
    CHECK(score(1) == 6.0);  // the WHERE said no
    // A new row goes in as a plain insert; the same statement shape runs from the cache.
    auto upsert = [&](int id, double value) {
      conn.execute(retort::insert(s.users)
                       .values({{"id", id}, {"name", "user" + std::to_string(id)}, {"score", value}})
                       .on_conflict_do_update({"id"}, {{"score", retort::excluded("score")}}));
    };
    upsert(2, 2.0);
    upsert(2, 3.0);
    CHECK(score(2) == 3.0);
    // INSERT ... SELECT with ON CONFLICT (SQLite needs the SELECT wrapped; its compiler does it).
    auto doubled = retort::select(s.users.c("id"), s.users.c("name"), (s.users.c("score") * 2).label("score"));
    conn.execute(retort::insert(s.users)
                     .from_select({"id", "name", "score"}, doubled)
                     .on_conflict_do_update({"id"}, {{"score", retort::excluded("score")}}));
    CHECK(score(1) == 12.0);
    CHECK(score(2) == 6.0);
    CHECK_THROWS_AS(conn.execute(again(1.0).on_duplicate_key_update({{"score", retort::excluded("score")}})),
                    retort::UnsupportedCompilationError);
  } else if (features.supports_on_duplicate_key_update) {
    conn.execute(again(5.0).on_duplicate_key_update({{"score", s.users.c("score") + retort::excluded("score")}}));
    CHECK(score(1) == 6.0);
    conn.execute(retort::insert(s.users)
                     .values({{"id", 2}, {"name", "bob"}, {"score", 2.0}})
                     .on_duplicate_key_update({{"score", retort::excluded("score")}}));
    CHECK(score(2) == 2.0);
    CHECK_THROWS_AS(conn.execute(again(1.0).on_conflict_do_nothing()), retort::UnsupportedCompilationError);
  } else {
    FAIL("the dialect has neither upsert form");
  }
  CHECK(conn.execute(retort::select(func::count()).select_from(s.users)).scalar_one<int>() == 2);
  // Mistakes are caught when the statement is built.
  CHECK_THROWS_AS(again(1.0).on_conflict_do_update({}, {{"score", 1.0}}), retort::ArgumentError);
  CHECK_THROWS_AS(again(1.0).on_conflict_do_nothing({"no_such_column"}), retort::NoSuchColumnError);
  CHECK_THROWS_AS(again(1.0).on_conflict_do_nothing().on_conflict_do_nothing(), retort::ArgumentError);
  CHECK_THROWS_AS(conn.execute(retort::update(s.users).values({{"score", retort::excluded("score")}})),
                  retort::CompileError);
}
RETORT_BACKEND_TEST("upserts: ON CONFLICT DO NOTHING / DO UPDATE, or ON DUPLICATE KEY UPDATE", upserts)

void index_element_order(BackendDatabase& db) {
  // An index whose columns and expressions interleave (columns only where the database has no
  // expression indexes) comes back from reflection in its own order: recreated, it is the same.
  const bool expressions = db.engine().dialect().features().supports_expression_indexes;
  retort::MetaData declared;
  std::vector<retort::IndexElement> elements{{"city", std::nullopt}};
  if (expressions) elements.push_back({"", func::lower(retort::column("name"))});
  elements.push_back({"id", std::nullopt});
  auto& people = declared.table("people", retort::Column("id", retort::Integer{}).primary_key(),
                                retort::Column("name", retort::Text{}),  // text: PostgreSQL adds no cast in lower()
                                retort::Column("city", retort::String{40}), retort::Index("ix_mixed", elements));
  declared.create_all(db.engine());

  retort::MetaData reflected;
  reflected.reflect(db.engine());
  const auto& index = reflected.get("people").indexes().at(0);
  REQUIRE(index.elements.size() == elements.size());
  CHECK(index.elements.front().column == "city");
  CHECK(index.elements.back().column == "id");
  if (expressions) CHECK(index.elements[1].expression.has_value());
  auto ddl = db.engine().dialect().ddl_compiler();
  CHECK(ddl->compile(*retort::CreateIndex(reflected.get("people"), index).node()).sql ==
        ddl->compile(*retort::CreateIndex(people, people.indexes().at(0)).node()).sql);
}
RETORT_BACKEND_TEST("an index's columns and expressions are reflected in their order", index_element_order)

void generated_keys_and_ddl(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  // An integer primary key without a value is generated: 1, 2, 3 on an empty table.
  conn.execute(retort::insert(s.nodes).values({{"label", "a"}}));
  conn.execute(retort::insert(s.nodes), std::vector<retort::Params>{{{"label", "b"}}, {{"label", "c"}}});
  CHECK(conn.execute(retort::select(s.nodes.c("id"), s.nodes.c("label")).order_by({s.nodes.c("id")})).mappings() ==
        std::vector<std::map<std::string, retort::Value>>{
            {{"id", 1}, {"label", "a"}}, {{"id", 2}, {"label", "b"}}, {{"id", 3}, {"label", "c"}}});
  if (db.features().supports_returning) {
    // executemany with RETURNING gives the rows back in order.
    auto back = conn.execute(retort::insert(s.nodes).returning({s.nodes.c("id"), s.nodes.c("label")}),
                             std::vector<retort::Params>{{{"label", "d"}}, {{"label", "e"}}})
                    .all();
    REQUIRE(back.size() == 2);
    CHECK(back[0].get<int>("id") == 4);
    CHECK(back[1].get<std::string>("label") == "e");
  }

  // DDL inside a rolled-back transaction is undone only where DDL is transactional.
  retort::MetaData extra;
  auto& scratch = extra.table("scratch", retort::Column("id", retort::Integer{}).primary_key());
  {
    auto tx = conn.begin();
    conn.execute(retort::CreateTable(scratch));
    tx.rollback();
  }
  CHECK(has_table(db, conn, "scratch") == !db.features().transactional_ddl);
}
RETORT_BACKEND_TEST("generated primary keys, executemany RETURNING, DDL in a transaction", generated_keys_and_ddl)

void text_and_types(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  retort::Blob bytes{0x00, 0x01, 0x27, 0x5c, 0x7f, 0x80, 0xff};
  conn.execute(retort::insert(s.users).values({{"id", 1},
                                               {"name", "ann 'quoted' \\ back"},
                                               {"active", true},
                                               {"score", 0.1},
                                               {"avatar", bytes},
                                               {"bio", "héllo\nworld"}}));
  conn.execute(retort::insert(s.users).values({{"id", 2}, {"name", "nulls"}, {"active", false}}));

  auto row = conn.execute(retort::select(retort::star()).select_from(s.users).where(s.users.c("id") == 1)).one();
  CHECK(row.get<int>("id") == 1);
  CHECK(row.get<std::int64_t>("id") == 1);
  CHECK(row.get<std::string>("name") == "ann 'quoted' \\ back");
  CHECK(row.get<bool>("active"));
  CHECK(row.get<double>("score") == 0.1);
  CHECK(row.get<retort::Blob>("avatar") == bytes);
  CHECK(row.get<std::string>("bio") == "héllo\nworld");
  CHECK(row.get<std::optional<double>>("score") == 0.1);

  auto empty = conn.execute(retort::select(retort::star()).select_from(s.users).where(s.users.c("id") == 2)).one();
  CHECK_FALSE(empty.get<bool>("active"));
  CHECK(empty["score"].is_null());
  CHECK(empty.get<std::optional<double>>("score") == std::nullopt);
  CHECK(empty.get<std::optional<retort::Blob>>("avatar") == std::nullopt);
  CHECK(empty.get<std::optional<std::string>>("bio") == std::nullopt);

  // text() with :params, the same name twice, and a NULL parameter.
  auto found =
      conn.execute(retort::text("SELECT id, name FROM users WHERE id = :id OR (score IS NULL AND id = :id + 1) "
                                "ORDER BY id"),
                   retort::Params{{"id", 1}})
          .all();
  REQUIRE(found.size() == 2);
  CHECK(found[1].get<std::string>("name") == "nulls");
  CHECK(conn.execute(retort::text("SELECT count(*) FROM users WHERE bio = :b OR name = :n"),
                     retort::Params{{"b", retort::Null{}}, {"n", "nulls"}})
            .scalar_one<int>() == 1);
  conn.execute(retort::text("INSERT INTO orders (id, user_id, amount, note) VALUES (:id, :uid, :amt, :note)"),
               retort::Params{{"id", 1}, {"uid", 1}, {"amt", 42}, {"note", "it's"}});
  CHECK(conn.execute(retort::text("SELECT note FROM orders WHERE amount = :a"), retort::Params{{"a", 42}})
            .scalar_one<std::string>() == "it's");
}
RETORT_BACKEND_TEST("typed values (integer, real, text, bool, NULL, blob) and text() with :params", text_and_types)

void typed_operators(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  conn.execute(retort::insert(s.users).values({{"id", 1}, {"name", "ann"}, {"score", 2.5}}));
  conn.execute(retort::insert(s.orders).values({{"id", 7}, {"user_id", 1}, {"amount", 7}, {"note", nullptr}}));
  auto one = [&](const retort::Expr& e, const retort::Table& from) {
    return conn.execute(retort::select(e).select_from(from)).one()[0];
  };
  // + on text concatenates, from either side and between columns (not 's' + 'x' = 0).
  CHECK(one(s.users.c("name") + "!", s.users).as<std::string>() == "ann!");
  CHECK(one("<" + s.users.c("name"), s.users).as<std::string>() == "<ann");
  CHECK(one(s.users.c("name") + s.users.c("name"), s.users).as<std::string>() == "annann");
  // Integer / integer divides as integers on every backend (MariaDB's / alone gives 3.5000);
  // beside a fraction the quotient keeps the fraction.
  CHECK(one(s.orders.c("amount") / 2, s.orders).as<std::int64_t>() == 3);
  CHECK(one(s.orders.c("amount") / s.orders.c("user_id"), s.orders).as<std::int64_t>() == 7);
  CHECK(one((s.orders.c("amount") + 1) / (s.orders.c("user_id") + 1), s.orders).as<std::int64_t>() == 4);
  CHECK(one(s.orders.c("amount") / 2.0, s.orders).as<double>() == 3.5);
  CHECK(one(s.users.c("score") / 2, s.users).as<double>() == 1.25);
  CHECK(one(s.orders.c("amount") + 0.5, s.orders).as<double>() == 7.5);
  // Comparing with nullptr (or std::nullopt) is IS NULL, as SQLAlchemy's == None.
  CHECK(conn.execute(retort::select(func::count()).select_from(s.orders).where(s.orders.c("note") == nullptr))
            .scalar_one<int>() == 1);
  CHECK(conn.execute(retort::select(func::count()).select_from(s.orders).where(s.orders.c("note") != std::nullopt))
            .scalar_one<int>() == 0);
}
RETORT_BACKEND_TEST("operators follow their operand types: + on text concatenates, integer division, == nullptr",
                    typed_operators)

void transactions(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  auto count = [&] { return conn.execute(retort::select(func::count()).select_from(s.users)).scalar_one<int>(); };
  {
    auto tx = conn.begin();
    conn.execute(retort::insert(s.users).values({{"id", 1}, {"name", "kept"}}));
    tx.commit();
  }
  {
    auto tx = conn.begin();
    conn.execute(retort::insert(s.users).values({{"id", 2}, {"name", "dropped"}}));
    CHECK(count() == 2);
  }  // RAII: rolled back
  CHECK(count() == 1);
  CHECK_FALSE(conn.in_transaction());
  {
    auto tx = conn.begin();
    conn.execute(retort::insert(s.users).values({{"id", 3}, {"name", "explicit"}}));
    tx.rollback();
  }
  CHECK(count() == 1);
  // Another connection sees only committed rows.
  {
    auto tx = conn.begin();
    conn.execute(retort::insert(s.users).values({{"id", 4}, {"name", "pending"}}));
    auto other = db.engine().connect();
    CHECK(other.execute(retort::select(func::count()).select_from(s.users)).scalar_one<int>() == 1);
    other.close();
    tx.commit();
  }
  CHECK(count() == 2);

  if (db.features().supports_savepoints) {
    auto tx = conn.begin();
    conn.execute(retort::insert(s.users).values({{"id", 5}, {"name", "outer"}}));
    {
      auto sp = conn.begin_nested();
      conn.execute(retort::insert(s.users).values({{"id", 6}, {"name", "inner rolled back"}}));
      sp.rollback();
    }
    {
      auto sp = conn.begin_nested();
      conn.execute(retort::insert(s.users).values({{"id", 7}, {"name", "inner kept"}}));
      sp.commit();
    }
    {
      auto sp = conn.begin_nested();
      conn.execute(retort::insert(s.users).values({{"id", 8}, {"name", "raii"}}));
    }  // RAII: back to the savepoint
    {
      // An error inside a savepoint leaves the outer transaction usable.
      auto sp = conn.begin_nested();
      CHECK_THROWS_AS(conn.execute(retort::insert(s.users).values({{"id", 9}, {"name", "outer"}})),
                      retort::IntegrityError);
      sp.rollback();
    }
    tx.commit();
    CHECK(conn.execute(retort::select(s.users.c("id")).order_by({s.users.c("id")})).scalars<int>() ==
          std::vector<int>{1, 4, 5, 7});
  }
}
RETORT_BACKEND_TEST("transactions: commit, RAII rollback, savepoints", transactions)

void errors_results_cache(BackendDatabase& db) {
  Shop s;
  s.metadata.create_all(db.engine());
  auto conn = db.engine().connect();
  fill(s, conn);

  // A unique violation is an IntegrityError carrying the statement.
  try {
    conn.execute(retort::insert(s.users).values({{"id", 100}, {"name", "ann"}}));
    FAIL("duplicate name accepted");
  } catch (const retort::IntegrityError& e) {
    CHECK(e.statement().find("INSERT INTO") != std::string::npos);
    CHECK(e.statement().find("users") != std::string::npos);
  }
  // The connection is still usable.
  CHECK(conn.execute(retort::select(func::count()).select_from(s.users)).scalar_one<int>() == 6);

  // Result API.
  auto by_id = [&](int id) { return retort::select(s.users.c("id"), s.users.c("name")).where(s.users.c("id") == id); };
  auto ordered = retort::select(s.users.c("id"), s.users.c("name")).order_by({s.users.c("id")});
  CHECK(conn.execute(by_id(1)).one().get<std::string>("name") == "ann");
  CHECK_THROWS_AS(conn.execute(by_id(99)).one(), retort::NoResultFound);
  CHECK_THROWS_AS(conn.execute(ordered).one(), retort::MultipleResultsFound);
  CHECK(conn.execute(by_id(2)).one_or_none()->get<std::string>(1) == "user2");
  CHECK_FALSE(conn.execute(by_id(99)).one_or_none().has_value());
  CHECK_THROWS_AS(conn.execute(ordered).one_or_none(), retort::MultipleResultsFound);
  CHECK(conn.execute(ordered).first()->get<int>("id") == 1);
  CHECK_FALSE(conn.execute(by_id(99)).first().has_value());
  CHECK(conn.execute(retort::select(s.users.c("name")).order_by({s.users.c("id")})).scalars<std::string>() ==
        Names{"ann", "user2", "user3", "user4", "user5", "user6"});
  auto maps = conn.execute(ordered).mappings();
  REQUIRE(maps.size() == 6);
  CHECK(maps[0].at("name") == retort::Value("ann"));
  CHECK(maps[5].at("id").as<int>() == 6);
  auto r = conn.execute(ordered);
  CHECK(r.keys() == Names{"id", "name"});
  CHECK(r.fetchmany(4).size() == 4);
  CHECK(r.all().size() == 2);

  // The compiled-statement cache: the second execution of a shape hits.
  auto& cache = db.engine().compiled_cache();
  auto query = [&](int amount) {
    return conn.execute(retort::select(s.orders.c("id")).where(s.orders.c("amount") == amount)).scalar_one<int>();
  };
  const auto hits0 = cache.hits();
  const auto misses0 = cache.misses();
  CHECK(query(10) == 11);
  CHECK(cache.misses() == misses0 + 1);
  CHECK(cache.hits() == hits0);
  CHECK(query(20) == 21);
  CHECK(cache.misses() == misses0 + 1);
  CHECK(cache.hits() == hits0 + 1);
}
RETORT_BACKEND_TEST("IntegrityError with its statement, the Result API, the compiled-statement cache",
                    errors_results_cache)

}  // namespace
