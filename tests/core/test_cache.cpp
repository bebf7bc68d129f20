// The compiled-statement cache: keyed on statement structure, never on values; LRU-bounded.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <retort/core/sql/cache.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/retort.hpp>

namespace {

struct CacheSchema {
  retort::MetaData md;
  retort::Table& users = md.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                                  retort::Column("name", retort::String{50}), retort::Column("age", retort::Integer{}));
  retort::Table& pets = md.table("pets", retort::Column("id", retort::Integer{}).primary_key(),
                                 retort::Column("name", retort::String{50}));
};

template <class A, class B>
bool same_key(const A& a, const B& b) {
  return a.node()->structure_key() == b.node()->structure_key();
}

}  // namespace

TEST_CASE("structure keys ignore literal values", "[cache]") {
  CacheSchema s;
  auto& u = s.users;
  CHECK(same_key(retort::select(u.c("id")).where(u.c("id") == 1), retort::select(u.c("id")).where(u.c("id") == 2)));
  CHECK(same_key(retort::select(u.c("id")).where(u.c("name") == "a").limit(1).offset(2),
                 retort::select(u.c("id")).where(u.c("name") == "b").limit(10).offset(20)));
  CHECK(same_key(retort::insert(u).values({{"name", "a"}, {"age", 1}}),
                 retort::insert(u).values({{"name", "b"}, {"age", 2}})));
  CHECK(same_key(retort::update(u).values({{"age", 1}}).where(u.c("id") == 5),
                 retort::update(u).values({{"age", 9}}).where(u.c("id") == 6)));
  CHECK(same_key(retort::delete_(u).where(u.c("id") == 5), retort::delete_(u).where(u.c("id") == 7)));
  CHECK(same_key(u.c("id").in_(std::vector<retort::Value>{1, 2}), u.c("id").in_(std::vector<retort::Value>{3, 4})));
  CHECK(same_key(retort::text("SELECT :a", {{"a", 1}}), retort::text("SELECT :a", {{"a", 2}})));
  // Rebuilding the same statement from scratch gives the same key.
  CHECK(same_key(retort::select(u.c("name"), retort::func::count().label("n")).group_by({u.c("name")}),
                 retort::select(u.c("name"), retort::func::count().label("n")).group_by({u.c("name")})));
}

TEST_CASE("structure keys differ when the shape differs", "[cache]") {
  CacheSchema s;
  auto& u = s.users;
  auto base = retort::select(u.c("id")).where(u.c("id") == 1);
  CHECK_FALSE(same_key(base, retort::select(u.c("id")).where(u.c("age") == 1)));   // column
  CHECK_FALSE(same_key(base, retort::select(u.c("name")).where(u.c("id") == 1)));  // selected
  CHECK_FALSE(same_key(base, retort::select(u.c("id")).where(u.c("id") != 1)));    // operator
  CHECK_FALSE(same_key(base, retort::select(u.c("id")).where(u.c("id") < 1)));
  CHECK_FALSE(same_key(base, retort::select(s.pets.c("id")).where(s.pets.c("id") == 1)));  // table
  CHECK_FALSE(same_key(base, base.limit(1)));                                              // limit
  CHECK_FALSE(same_key(base.limit(1), base.offset(1)));
  CHECK_FALSE(same_key(base, base.distinct()));
  CHECK_FALSE(same_key(base, base.order_by({u.c("id")})));
  CHECK_FALSE(same_key(base.order_by({u.c("id").asc()}), base.order_by({u.c("id").desc()})));
  CHECK_FALSE(same_key(base, base.where(u.c("age") == 1)));
  CHECK_FALSE(same_key(base, retort::select(u.c("id")).where(u.c("id") == 1 || u.c("age") == 1)));
  CHECK_FALSE(same_key(u.c("id").in_(std::vector<retort::Value>{1, 2}),
                       u.c("id").in_(std::vector<retort::Value>{1, 2, 3})));  // IN length
  CHECK_FALSE(same_key(u.c("id").in_(std::vector<retort::Value>{1}), u.c("id").not_in(std::vector<retort::Value>{1})));
  CHECK_FALSE(same_key(u.c("name").label("a"), u.c("name").label("b")));
  CHECK_FALSE(same_key(u.c("name").like(retort::literal("a")), u.c("name").ilike(retort::literal("a"))));
  CHECK_FALSE(same_key(u.c("name").like(retort::literal("a"), "!"), u.c("name").like(retort::literal("a"), "#")));
  CHECK_FALSE(same_key(retort::func::min(u.c("age")), retort::func::max(u.c("age"))));
  CHECK_FALSE(same_key(retort::text("SELECT :a"), retort::text("SELECT :b")));
  CHECK_FALSE(same_key(retort::text("SELECT 1"), retort::text("SELECT 2")));
  CHECK_FALSE(same_key(u.c("id") == retort::bindparam("x"), u.c("id") == retort::bindparam("y")));
  CHECK_FALSE(same_key(retort::insert(u).values({{"name", "a"}}), retort::insert(u).values({{"age", 1}})));
  CHECK_FALSE(same_key(retort::insert(u).values(std::vector<retort::Params>{{{"age", 1}}}),
                       retort::insert(u).values(std::vector<retort::Params>{{{"age", 1}}, {{"age", 2}}})));
  CHECK_FALSE(same_key(retort::select(u.c("id")), retort::select(u.alias("x").c("id"))));
  CHECK_FALSE(same_key(retort::select(u.alias("x").c("id")), retort::select(u.alias("y").c("id"))));
  CHECK_FALSE(same_key(u.c("age").cast(retort::String{10}), u.c("age").cast(retort::String{20})));
  // Enum values decide the VARCHAR length a CAST renders.
  CHECK_FALSE(same_key(u.c("name").cast(retort::Enum{{"a"}}), u.c("name").cast(retort::Enum{{"abcdef"}})));
  // NULL is compared with IS NULL, which has no parameter: a different shape.
  CHECK_FALSE(same_key(u.c("name") == "x", u.c("name") == std::nullopt));
  CHECK_FALSE(same_key(retort::select(u.c("id")).select_from(u.join(s.pets, u.c("id") == s.pets.c("id"))),
                       retort::select(u.c("id")).select_from(u.outerjoin(s.pets, u.c("id") == s.pets.c("id")))));
}

TEST_CASE("an engine compiles one statement shape once", "[cache][sqlite]") {
  CacheSchema s;
  auto engine = retort::create_engine("sqlite://");
  s.md.create_all(engine);
  auto conn = engine.connect();
  conn.execute(retort::insert(s.users).values(std::vector<retort::Params>{
      {{"name", "one"}, {"age", 10}}, {{"name", "two"}, {"age", 20}}, {{"name", "three"}, {"age", 30}}}));

  auto& cache = engine.compiled_cache();
  cache.clear();
  const auto hits0 = cache.hits();
  const auto misses0 = cache.misses();
  auto by_id = [&](int id) {
    return conn.execute(retort::select(s.users.c("name")).where(s.users.c("id") == id)).scalars<std::string>();
  };
  CHECK(by_id(1) == std::vector<std::string>{"one"});
  CHECK(cache.misses() == misses0 + 1);
  CHECK(cache.hits() == hits0);
  CHECK(cache.size() == 1);

  // Same shape, another value: a hit, and the new value is used (not baked into the SQL).
  CHECK(by_id(2) == std::vector<std::string>{"two"});
  CHECK(cache.misses() == misses0 + 1);
  CHECK(cache.hits() == hits0 + 1);
  CHECK(cache.size() == 1);
  CHECK(by_id(3) == std::vector<std::string>{"three"});
  CHECK(by_id(4).empty());
  CHECK(cache.hits() == hits0 + 3);
  CHECK(cache.size() == 1);

  // The cached SQL has a placeholder, not the first value.
  auto compiled = engine.compile(*retort::select(s.users.c("name")).where(s.users.c("id") == 99).node());
  CHECK(compiled->sql == "SELECT users.name FROM users WHERE users.id = ?");
  CHECK(cache.hits() == hits0 + 4);

  // A different shape is a new entry.
  auto ages = conn.execute(retort::select(s.users.c("name")).where(s.users.c("age") > 15).order_by({s.users.c("age")}))
                  .scalars<std::string>();
  CHECK(ages == std::vector<std::string>{"two", "three"});
  CHECK(cache.size() == 2);
  CHECK(cache.misses() == misses0 + 2);
  CHECK(conn.execute(retort::select(s.users.c("name")).where(s.users.c("age") > 25).order_by({s.users.c("age")}))
            .scalars<std::string>() == std::vector<std::string>{"three"});
  CHECK(cache.size() == 2);
  CHECK(cache.misses() == misses0 + 2);

  // IN lists of different lengths are different shapes; equal lengths share an entry.
  auto in = [&](std::vector<retort::Value> ids) {
    return conn.execute(retort::select(s.users.c("id")).where(s.users.c("id").in_(ids)).order_by({s.users.c("id")}))
        .scalars<int>();
  };
  CHECK(in({1, 2}) == std::vector<int>{1, 2});
  CHECK(in({2, 3}) == std::vector<int>{2, 3});
  CHECK(cache.size() == 3);
  CHECK(in({1, 2, 3}) == std::vector<int>{1, 2, 3});
  CHECK(cache.size() == 4);

  // LIMIT values are parameters too.
  auto limited = [&](int n) {
    return conn.execute(retort::select(s.users.c("id")).order_by({s.users.c("id")}).limit(n)).scalars<int>();
  };
  CHECK(limited(1) == std::vector<int>{1});
  CHECK(limited(2) == std::vector<int>{1, 2});
  CHECK(cache.size() == 5);

  // NULL comparisons compile to IS NULL and do not reuse the "= ?" entry.
  CHECK(conn.execute(retort::select(s.users.c("name")).where(s.users.c("id") == std::nullopt))
            .scalars<std::string>()
            .empty());
  CHECK(by_id(1) == std::vector<std::string>{"one"});

  // Values inside a subquery reached only through its columns are parameters too.
  auto older = [&](int min_age) {
    auto sub = retort::select(s.users.c("id"), s.users.c("name")).where(s.users.c("age") > min_age).subquery("older");
    return conn.execute(retort::select(sub.c("name")).order_by({sub.c("id")})).scalars<std::string>();
  };
  CHECK(older(15) == std::vector<std::string>{"two", "three"});
  const auto hits_before = cache.hits();
  CHECK(older(25) == std::vector<std::string>{"three"});
  CHECK(cache.hits() == hits_before + 1);

  cache.clear();
  CHECK(cache.size() == 0);
}

TEST_CASE("the cache evicts the least recently used entry at capacity", "[cache][sqlite]") {
  CacheSchema s;
  auto engine = retort::create_engine("sqlite://", retort::EngineOptions{.compiled_cache_size = 2});
  s.md.create_all(engine);
  auto& cache = engine.compiled_cache();
  CHECK(cache.capacity() == 2);
  cache.clear();
  auto conn = engine.connect();
  auto q1 = [&] { return conn.execute(retort::select(s.users.c("id")).where(s.users.c("id") == 1)).all(); };
  auto q2 = [&] { return conn.execute(retort::select(s.users.c("name")).where(s.users.c("id") == 1)).all(); };
  auto q3 = [&] { return conn.execute(retort::select(s.users.c("age")).where(s.users.c("id") == 1)).all(); };
  auto misses = [&] { return cache.misses(); };

  q1();
  q2();
  CHECK(cache.size() == 2);
  auto m = misses();
  q1();  // hit: q1 is now the most recent, q2 the least
  CHECK(misses() == m);
  q3();  // evicts q2
  CHECK(cache.size() == 2);
  CHECK(misses() == m + 1);
  q1();
  CHECK(misses() == m + 1);
  q2();  // was evicted
  CHECK(misses() == m + 2);
  CHECK(cache.size() == 2);
}

TEST_CASE("compiled_cache_size 0 disables the cache", "[cache][sqlite]") {
  CacheSchema s;
  auto engine = retort::create_engine("sqlite://", retort::EngineOptions{.compiled_cache_size = 0});
  s.md.create_all(engine);
  auto conn = engine.connect();
  conn.execute(retort::insert(s.users).values({{"name", "a"}}));
  for (int i = 1; i <= 3; ++i)
    CHECK(conn.execute(retort::select(s.users.c("name")).where(s.users.c("id") == i)).all().size() ==
          (i == 1 ? 1u : 0u));
  CHECK(engine.compiled_cache().size() == 0);
  CHECK(engine.compiled_cache().hits() == 0);
  auto a = engine.compile(*retort::select(s.users.c("id")).node());
  auto b = engine.compile(*retort::select(s.users.c("id")).node());
  CHECK(a != b);  // compiled afresh each time
  CHECK(a->sql == b->sql);
}

TEST_CASE("CompiledCache on its own", "[cache]") {
  retort::CompiledCache cache(2);
  retort::StructureKey k1{1, 1}, k2{2, 2}, k3{3, 3};
  auto make = [](const std::string& sql) {
    auto c = std::make_shared<retort::Compiled>();
    c->sql = sql;
    return std::shared_ptr<const retort::Compiled>(c);
  };
  CHECK(cache.get(k1) == nullptr);
  CHECK(cache.misses() == 1);
  cache.put(k1, make("one"));
  cache.put(k2, make("two"));
  REQUIRE(cache.get(k1) != nullptr);
  CHECK(cache.get(k1)->sql == "one");
  CHECK(cache.hits() == 2);
  cache.put(k3, make("three"));  // k2 is least recently used
  CHECK(cache.get(k2) == nullptr);
  CHECK(cache.get(k3)->sql == "three");
  cache.put(k3, make("three again"));
  CHECK(cache.size() == 2);
  CHECK(cache.get(k3)->sql == "three again");

  retort::CompiledCache off(0);
  off.put(k1, make("x"));
  CHECK(off.size() == 0);
  CHECK(off.get(k1) == nullptr);
}
