// The generic statement compiler: SQL text for expressions, SELECT, DML and CTEs, identifier
// quoting, literal rendering, bind parameters and compile errors.
#include <catch2/catch.hpp>

#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/statement_formatter.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/retort.hpp>

#include "support/compile.hpp"

namespace {

namespace func = retort::func;
using retort::Expr;

struct Schema {
  retort::MetaData md;
  retort::Table& users;
  retort::Table& orders;
  retort::Table& items;
  Schema()
      : users(md.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                       retort::Column("name", retort::String{50}), retort::Column("age", retort::Integer{}),
                       retort::Column("active", retort::Boolean{}), retort::Column("data", retort::LargeBinary{}))),
        orders(md.table("orders", retort::Column("id", retort::Integer{}).primary_key(),
                        retort::Column("user_id", retort::Integer{}).references("users.id"),
                        retort::Column("amount", retort::Numeric{10, 2}),
                        retort::Column("status", retort::String{20}))),
        items(md.table("items", retort::Column("id", retort::Integer{}).primary_key(),
                       retort::Column("order_id", retort::Integer{}).references("orders.id"),
                       retort::Column("qty", retort::Integer{}))) {}
};

template <class S>
std::string sql(const S& statement) {
  return retort::to_sql_string(*statement.node());
}

const auto generic = retort::testing::Compiler::generic();

}  // namespace

TEST_CASE("comparison operators", "[compiler]") {
  Schema s;
  auto age = s.users.c("age");
  CHECK(sql(age == 1) == "users.age = 1");
  CHECK(sql(age != 1) == "users.age != 1");
  CHECK(sql(age < 1) == "users.age < 1");
  CHECK(sql(age > 1) == "users.age > 1");
  CHECK(sql(age <= 1) == "users.age <= 1");
  CHECK(sql(age >= 1) == "users.age >= 1");
  CHECK(sql(age == s.orders.c("user_id")) == "users.age = orders.user_id");
  CHECK(sql(s.users.c("name") == "bob") == "users.name = 'bob'");
  CHECK(sql(age.is_(retort::null())) == "users.age IS NULL");
  CHECK(sql(age.is_not(retort::null())) == "users.age IS NOT NULL");
}

TEST_CASE("a value on the left side of an operator", "[compiler]") {
  Schema s;
  auto age = s.users.c("age");
  CHECK(sql(5 == age) == "5 = users.age");
  CHECK(sql(5 < age) == "5 < users.age");
  CHECK(sql(5 - age) == "5 - users.age");
  CHECK(sql(10 / age) == "10 / users.age");
  CHECK(sql("x" != s.users.c("name")) == "'x' != users.name");
  // The value takes the column's type.
  CHECK((5 - age).type() == retort::SqlType(retort::Integer{}));
}

TEST_CASE("arithmetic operators and unary minus", "[compiler]") {
  Schema s;
  auto age = s.users.c("age");
  auto id = s.users.c("id");
  CHECK(sql(age + 1) == "users.age + 1");
  CHECK(sql(age - 1) == "users.age - 1");
  CHECK(sql(age * 2) == "users.age * 2");
  CHECK(sql(age / 2) == "users.age / 2");
  CHECK(sql(age % 2) == "users.age % 2");
  CHECK(sql(-age) == "-users.age");
  CHECK(sql(-(age + id)) == "-(users.age + users.id)");
  CHECK(sql(s.users.c("name").concat(retort::literal("!"))) == "users.name || '!'");
  CHECK((age + 1).type() == retort::SqlType(retort::Integer{}));
  CHECK((age > 1).type() == retort::SqlType(retort::Boolean{}));
}

TEST_CASE("precedence decides the parentheses", "[compiler]") {
  Schema s;
  auto a = s.users.c("age");
  auto b = s.users.c("id");
  CHECK(sql(a + b * 2) == "users.age + users.id * 2");
  CHECK(sql((a + b) * 2) == "(users.age + users.id) * 2");
  CHECK(sql(a - (b - 1)) == "users.age - (users.id - 1)");
  CHECK(sql((a - b) - 1) == "users.age - users.id - 1");
  CHECK(sql(a - (b + 1)) == "users.age - (users.id + 1)");
  CHECK(sql(a / (b * 2)) == "users.age / (users.id * 2)");
  CHECK(sql(a % (b % 2)) == "users.age % (users.id % 2)");
  CHECK(sql(a + (b + 1)) == "users.age + users.id + 1");
  CHECK(sql(a * 2 == b + 1) == "users.age * 2 = users.id + 1");

  auto x = a == 1;
  auto y = a == 2;
  auto z = b == 3;
  CHECK(sql(x && y) == "users.age = 1 AND users.age = 2");
  CHECK(sql(x || y) == "users.age = 1 OR users.age = 2");
  CHECK(sql((x || y) && z) == "(users.age = 1 OR users.age = 2) AND users.id = 3");
  CHECK(sql(z && (x || y)) == "users.id = 3 AND (users.age = 1 OR users.age = 2)");
  // AND binds tighter than OR already; the parentheses only make mixed lists easy to read.
  CHECK(sql(x || (y && z)) == "users.age = 1 OR (users.age = 2 AND users.id = 3)");
  CHECK(sql((x && y) || z) == "(users.age = 1 AND users.age = 2) OR users.id = 3");
  // Nested ANDs flatten.
  CHECK(sql((x && y) && z) == "users.age = 1 AND users.age = 2 AND users.id = 3");
  CHECK(sql(retort::and_({x, retort::and_({y, z})})) == "users.age = 1 AND users.age = 2 AND users.id = 3");

  CHECK(sql(!x) == "NOT users.age = 1");
  CHECK(sql(!(x && y)) == "NOT (users.age = 1 AND users.age = 2)");
  CHECK(sql(!(x || y) && z) == "NOT (users.age = 1 OR users.age = 2) AND users.id = 3");
  CHECK(sql(!!x) == "NOT (NOT users.age = 1)");
  CHECK(sql(!s.users.c("active")) == "NOT users.active");
  CHECK(sql((a + 1).is_null()) == "users.age + 1 IS NULL");
  CHECK(sql((x || y).is_null()) == "(users.age = 1 OR users.age = 2) IS NULL");
  // Comparisons are not associative: a comparison under a comparison gets parentheses.
  CHECK(sql((a == 1) == (b == 2)) == "(users.age = 1) = (users.id = 2)");
  CHECK(sql((a > b).is_(retort::true_())) == "(users.age > users.id) IS TRUE");
}

TEST_CASE("and_/or_ with no or one clause", "[compiler]") {
  Schema s;
  CHECK(sql(retort::and_({})) == "TRUE");
  CHECK(sql(retort::or_({})) == "FALSE");
  CHECK(sql(retort::and_({s.users.c("age") > 1})) == "users.age > 1");
  CHECK(sql(retort::or_({s.users.c("age") > 1, s.users.c("age") < 0, s.users.c("id") == 2})) ==
        "users.age > 1 OR users.age < 0 OR users.id = 2");
}

TEST_CASE("comparing with NULL becomes IS NULL / IS NOT NULL", "[compiler]") {
  Schema s;
  auto name = s.users.c("name");
  CHECK(sql(name.is_null()) == "users.name IS NULL");
  CHECK(sql(name.is_not_null()) == "users.name IS NOT NULL");
  CHECK(sql(name == std::nullopt) == "users.name IS NULL");
  CHECK(sql(name != std::nullopt) == "users.name IS NOT NULL");
  CHECK(sql(name == retort::Null{}) == "users.name IS NULL");
  CHECK(sql(name == retort::null()) == "users.name IS NULL");
  CHECK(sql(name != retort::null()) == "users.name IS NOT NULL");
  CHECK(sql(std::nullopt == name) == "users.name IS NULL");
  CHECK(sql(name == std::optional<std::string>{}) == "users.name IS NULL");
  CHECK(sql(name == std::optional<std::string>{"x"}) == "users.name = 'x'");
  // nullptr is NULL, as None is in SQLAlchemy, and so is a null char pointer.
  CHECK(sql(name == nullptr) == "users.name IS NULL");
  CHECK(sql(name != nullptr) == "users.name IS NOT NULL");
  const char* unset = nullptr;
  CHECK(retort::Value(unset).is_null());
  // The rewrite leaves no parameter behind.
  auto c = generic.compile(retort::select(s.users.c("id")).where(name == std::nullopt));
  CHECK(c.sql == "SELECT users.id FROM users WHERE users.name IS NULL");
  CHECK(c.params.empty());
}

TEST_CASE("like, ilike, not_like with escape", "[compiler]") {
  Schema s;
  auto name = s.users.c("name");
  CHECK(sql(name.like(retort::literal("a%"))) == "users.name LIKE 'a%'");
  CHECK(sql(name.not_like(retort::literal("a%"))) == "users.name NOT LIKE 'a%'");
  CHECK(sql(name.ilike(retort::literal("a%"))) == "users.name ILIKE 'a%'");
  CHECK(sql(name.not_ilike(retort::literal("a%"))) == "users.name NOT ILIKE 'a%'");
  CHECK(sql(name.like(retort::literal("10!%%"), "!")) == "users.name LIKE '10!%%' ESCAPE '!'");
  CHECK(sql(name.like(retort::literal("a\\_b"), "\\")) == "users.name LIKE 'a\\_b' ESCAPE '\\'");
  CHECK(sql(name.like(retort::literal("it's"), "'")) == "users.name LIKE 'it''s' ESCAPE ''''");
  CHECK(sql(name.like(retort::literal("a%")) && s.users.c("age") > 1) == "users.name LIKE 'a%' AND users.age > 1");
}

TEST_CASE("in_, not_in, between, empty IN", "[compiler]") {
  Schema s;
  auto id = s.users.c("id");
  CHECK(sql(id.in_(std::vector<retort::Value>{1, 2, 3})) == "users.id IN (1, 2, 3)");
  CHECK(sql(id.not_in(std::vector<retort::Value>{1, 2})) == "users.id NOT IN (1, 2)");
  CHECK(sql(id.in_(std::vector<Expr>{s.users.c("age"), retort::literal(4)})) == "users.id IN (users.age, 4)");
  CHECK(sql(s.users.c("name").in_(std::vector<retort::Value>{"a", "b"})) == "users.name IN ('a', 'b')");
  // An empty list matches nothing (NOT IN: everything), without invalid "IN ()".
  CHECK(sql(id.in_(std::vector<retort::Value>{})) == "1 != 1");
  CHECK(sql(id.not_in(std::vector<retort::Value>{})) == "1 = 1");
  CHECK(sql(id.in_(retort::select(s.orders.c("user_id")).where(s.orders.c("amount") > 10))) ==
        "users.id IN (SELECT orders.user_id FROM orders WHERE orders.amount > 10)");
  CHECK(sql(id.not_in(retort::select(s.orders.c("user_id")))) == "users.id NOT IN (SELECT orders.user_id FROM orders)");
  CHECK(sql((id + 1).in_(std::vector<retort::Value>{2})) == "users.id + 1 IN (2)");
  CHECK(sql(retort::tuple_({id, s.users.c("age")})
                .in_(std::vector<Expr>{retort::tuple_({retort::literal(1), retort::literal(2)})})) ==
        "(users.id, users.age) IN ((1, 2))");

  CHECK(sql(id.between(retort::literal(1), retort::literal(5))) == "users.id BETWEEN 1 AND 5");
  CHECK(sql(id.not_between(retort::literal(1), retort::literal(5))) == "users.id NOT BETWEEN 1 AND 5");
  CHECK(sql(id.between(retort::literal(1), retort::literal(5)) && s.users.c("age") > 2) ==
        "users.id BETWEEN 1 AND 5 AND users.age > 2");

  auto c = generic.compile(retort::select(id).where(id.in_(std::vector<retort::Value>{7, 8})));
  CHECK(c.sql == "SELECT users.id FROM users WHERE users.id IN (:param_1, :param_2)");
  REQUIRE(c.params.size() == 2);
}

TEST_CASE("label, cast, distinct, case_", "[compiler]") {
  Schema s;
  auto age = s.users.c("age");
  CHECK(sql(retort::select(age.label("years"))) == "SELECT users.age AS years FROM users");
  CHECK(sql(retort::select(age.label("Order"))) == "SELECT users.age AS \"Order\" FROM users");
  CHECK(sql(retort::cast(age, retort::String{10})) == "CAST(users.age AS VARCHAR(10))");
  CHECK(sql(age.cast(retort::Numeric{10, 2})) == "CAST(users.age AS NUMERIC(10, 2))");
  CHECK(retort::cast(age, retort::Text{}).type() == retort::SqlType(retort::Text{}));
  CHECK(sql(func::count(age.distinct())) == "count(DISTINCT users.age)");
  CHECK(sql(retort::select(age).distinct()) == "SELECT DISTINCT users.age FROM users");

  CHECK(sql(retort::case_({{age < 18, retort::literal("minor")}, {age < 65, retort::literal("adult")}},
                          retort::literal("senior"))) ==
        "CASE WHEN users.age < 18 THEN 'minor' WHEN users.age < 65 THEN 'adult' ELSE 'senior' END");
  CHECK(sql(retort::case_({{age.is_null(), retort::literal(0)}})) == "CASE WHEN users.age IS NULL THEN 0 END");
  CHECK(sql(retort::case_(s.users.c("name"),
                          {{retort::literal("a"), retort::literal(1)}, {retort::literal("b"), retort::literal(2)}},
                          retort::literal(0))) == "CASE users.name WHEN 'a' THEN 1 WHEN 'b' THEN 2 ELSE 0 END");
  CHECK_THROWS_AS(retort::case_(std::vector<std::pair<Expr, Expr>>{}), retort::ArgumentError);
}

TEST_CASE("a label outside the columns clause renders its expression", "[compiler]") {
  Schema s;
  auto n = func::count(s.orders.c("id")).label("n");
  auto stmt =
      retort::select(s.orders.c("user_id"), n).group_by({s.orders.c("user_id")}).having(n > 1).order_by({n.desc()});
  CHECK(sql(stmt) ==
        "SELECT orders.user_id, count(orders.id) AS n FROM orders GROUP BY orders.user_id "
        "HAVING count(orders.id) > 1 ORDER BY n DESC");
  // Inside a function argument, a label is its expression too.
  CHECK(sql(retort::select(func::coalesce(s.users.c("age").label("a"), 0).label("b"))) ==
        "SELECT coalesce(users.age, 0) AS b FROM users");
}

TEST_CASE("functions", "[compiler]") {
  Schema s;
  auto age = s.users.c("age");
  CHECK(sql(func::count()) == "count(*)");
  CHECK(sql(func::count(age)) == "count(users.age)");
  CHECK(sql(func::sum(age)) == "sum(users.age)");
  CHECK(sql(func::min(age)) == "min(users.age)");
  CHECK(sql(func::max(age)) == "max(users.age)");
  CHECK(sql(func::avg(age)) == "avg(users.age)");
  CHECK(sql(func::lower(s.users.c("name"))) == "lower(users.name)");
  CHECK(sql(func::upper(s.users.c("name"))) == "upper(users.name)");
  CHECK(sql(func::length(s.users.c("name"))) == "length(users.name)");
  CHECK(sql(func::abs(age)) == "abs(users.age)");
  CHECK(sql(func::coalesce(age, 0)) == "coalesce(users.age, 0)");
  CHECK(sql(func::coalesce(s.users.c("name"), s.users.c("name"), "none")) ==
        "coalesce(users.name, users.name, 'none')");
  CHECK(sql(func::now()) == "CURRENT_TIMESTAMP");
  CHECK(sql(func::call("any")) == "any()");
  CHECK(sql(func::call("json_extract", s.users.c("name"), "$.a")) == "json_extract(users.name, '$.a')");
  CHECK(sql(func::call("round", age / 3, 2)) == "round(users.age / 3, 2)");
  CHECK(func::count().type() == retort::SqlType(retort::BigInteger{}));
  CHECK(func::sum(age).type() == retort::SqlType(retort::Integer{}));
  CHECK(func::avg(age).type() == retort::SqlType(retort::Double{}));
  CHECK(func::now().type() == retort::SqlType(retort::DateTime{}));
  CHECK(sql(retort::select(func::count()).select_from(s.users)) == "SELECT count(*) FROM users");
}

TEST_CASE("bind parameters: anonymous, named, and the Compiled params", "[compiler]") {
  Schema s;
  auto stmt =
      retort::select(s.users.c("id")).where(s.users.c("name") == retort::bindparam("who")).where(s.users.c("age") > 18);
  auto c = generic.compile(stmt);
  CHECK(c.sql == "SELECT users.id FROM users WHERE users.name = :who AND users.age > :param_2");
  REQUIRE(c.params.size() == 2);
  CHECK(c.params[0].name == "who");
  CHECK_FALSE(c.params[0].has_value);
  CHECK(c.params[0].ordinal == 0);
  CHECK(c.params[1].name.empty());
  CHECK(c.params[1].has_value);
  CHECK(c.params[1].ordinal == 1);
  CHECK(c.kind == retort::StatementKind::Select);
  CHECK(c.returns_rows);
  CHECK(c.result_columns == std::vector<std::string>{"id"});

  // Inline rendering keeps an unfilled named parameter visible by name.
  CHECK(sql(stmt) == "SELECT users.id FROM users WHERE users.name = :who AND users.age > 18");
  CHECK(sql(s.users.c("name") == retort::bindparam("who", retort::Value("al"))) == "users.name = 'al'");
  CHECK_THROWS_AS(retort::bindparam(""), retort::ArgumentError);
}

TEST_CASE("text() with :params, :: casts and quoted colons", "[compiler]") {
  auto t = retort::text("SELECT * FROM t WHERE a = :a AND b = :b", {{"a", 1}});
  auto c = generic.compile(t);
  CHECK(c.sql == "SELECT * FROM t WHERE a = :a AND b = :b");
  REQUIRE(c.params.size() == 2);
  CHECK(c.params[0].name == "a");
  CHECK(c.params[0].has_value);
  CHECK(c.params[1].name == "b");
  CHECK_FALSE(c.params[1].has_value);
  CHECK(c.kind == retort::StatementKind::Text);

  CHECK(sql(retort::text("SELECT :x", {{"x", "it's"}})) == "SELECT 'it''s'");
  auto cast = generic.compile(retort::text("SELECT :v::int, '2020-01-01'::date"));
  CHECK(cast.sql == "SELECT :v::int, '2020-01-01'::date");
  REQUIRE(cast.params.size() == 1);
  CHECK(cast.params[0].name == "v");
  auto quoted = generic.compile(retort::text("SELECT ':x', \"col:y\", 'a''b:c' WHERE z = :z"));
  CHECK(quoted.sql == "SELECT ':x', \"col:y\", 'a''b:c' WHERE z = :z");
  REQUIRE(quoted.params.size() == 1);
  CHECK(quoted.params[0].name == "z");
  auto escaped = generic.compile(retort::text("SELECT '12' \\:not_a_param, 10:30, :_ok1"));
  CHECK(escaped.sql == "SELECT '12' :not_a_param, 10:30, :_ok1");
  REQUIRE(escaped.params.size() == 1);
  CHECK(escaped.params[0].name == "_ok1");
  // As an expression inside a statement.
  Schema s;
  CHECK(sql(retort::select(s.users.c("id")).where(retort::text("age > :min", {{"min", 3}}))) ==
        "SELECT users.id FROM users WHERE age > 3");
}

TEST_CASE("select_from, several where() calls, group_by, having, order_by, limit, offset", "[compiler]") {
  Schema s;
  auto& u = s.users;
  auto stmt = retort::select(u.c("name"), func::count().label("n"))
                  .select_from(u)
                  .where(u.c("age") > 18)
                  .where(u.c("active") == true)
                  .where(u.c("name") != "x" || u.c("id") < 3)
                  .group_by({u.c("name")})
                  .having(func::count() > 1)
                  .order_by({u.c("name").asc(), func::count().desc()})
                  .limit(10)
                  .offset(20);
  CHECK(sql(stmt) ==
        "SELECT users.name, count(*) AS n FROM users WHERE users.age > 18 AND users.active = TRUE "
        "AND (users.name != 'x' OR users.id < 3) GROUP BY users.name HAVING count(*) > 1 "
        "ORDER BY users.name ASC, count(*) DESC LIMIT 10 OFFSET 20");
  auto c = generic.compile(stmt);
  CHECK(c.sql ==
        "SELECT users.name, count(*) AS n FROM users WHERE users.age > :param_1 AND users.active = "
        ":param_2 AND (users.name != :param_3 OR users.id < :param_4) GROUP BY users.name HAVING "
        "count(*) > :param_5 ORDER BY users.name ASC, count(*) DESC LIMIT :param_6 OFFSET :param_7");
  CHECK(c.params.size() == 7);
  CHECK(c.result_columns == std::vector<std::string>{"name", "n"});

  CHECK(sql(retort::select(u.c("id")).order_by({u.c("age").desc().nulls_first()})) ==
        "SELECT users.id FROM users ORDER BY users.age DESC NULLS FIRST");
  CHECK(sql(retort::select(u.c("id")).order_by({u.c("age").nulls_last()})) ==
        "SELECT users.id FROM users ORDER BY users.age ASC NULLS LAST");
  CHECK(sql(retort::select(u.c("id")).order_by({retort::desc(u.c("age")), retort::asc(u.c("id"))})) ==
        "SELECT users.id FROM users ORDER BY users.age DESC, users.id ASC");
  CHECK(sql(retort::select(u.c("id")).offset(5)) == "SELECT users.id FROM users OFFSET 5");
  CHECK(sql(retort::select(u.c("id")).limit(0)) == "SELECT users.id FROM users LIMIT 0");
  CHECK(sql(retort::select(u.c("id"), s.orders.c("id"))) == "SELECT users.id, orders.id FROM users, orders");
  CHECK(sql(retort::select(retort::literal(1))) == "SELECT 1");
  CHECK(sql(retort::select(u)) == "SELECT users.id, users.name, users.age, users.active, users.data FROM users");
  CHECK(sql(retort::select(retort::star()).select_from(u)) == "SELECT * FROM users");
  CHECK(sql(retort::select(retort::literal_column("count(*)")).select_from(u)) == "SELECT count(*) FROM users");
  CHECK(sql(retort::select(retort::column("x"))) == "SELECT x");
  CHECK_THROWS_AS(retort::select(u.c("id")).limit(-1), retort::ArgumentError);
  CHECK_THROWS_AS(retort::select(u.c("id")).offset(-1), retort::ArgumentError);
}

TEST_CASE("joins: inferred ON, explicit ON, outer and full outer", "[compiler]") {
  Schema s;
  auto& u = s.users;
  auto& o = s.orders;
  CHECK(sql(retort::select(u.c("name"), o.c("amount")).select_from(u.join(o))) ==
        "SELECT users.name, orders.amount FROM users JOIN orders ON orders.user_id = users.id");
  // The other direction finds the same foreign key.
  CHECK(sql(retort::select(u.c("name")).select_from(o.join(u))) ==
        "SELECT users.name FROM orders JOIN users ON orders.user_id = users.id");
  CHECK(sql(retort::select(u.c("name")).select_from(u.join(o, o.c("user_id") == u.c("id") && o.c("amount") > 5))) ==
        "SELECT users.name FROM users JOIN orders ON orders.user_id = users.id AND orders.amount > 5");
  CHECK(sql(retort::select(u.c("name")).select_from(u.outerjoin(o))) ==
        "SELECT users.name FROM users LEFT OUTER JOIN orders ON orders.user_id = users.id");
  CHECK(sql(retort::select(u.c("name")).select_from(retort::From(u).full_outerjoin(o))) ==
        "SELECT users.name FROM users FULL OUTER JOIN orders ON orders.user_id = users.id");
  // Chains: items joins onto orders, found among the left side's tables.
  CHECK(sql(retort::select(u.c("name"), s.items.c("qty")).select_from(u.join(o).join(s.items))) ==
        "SELECT users.name, items.qty FROM users JOIN orders ON orders.user_id = users.id "
        "JOIN items ON items.order_id = orders.id");
  // Select.join() joins onto the first selected table.
  CHECK(sql(retort::select(u.c("name")).join(o).where(o.c("amount") > 1)) ==
        "SELECT users.name FROM users JOIN orders ON orders.user_id = users.id "
        "WHERE orders.amount > 1");
  CHECK(sql(retort::select(u.c("name")).outerjoin(o, o.c("user_id") == u.c("id"))) ==
        "SELECT users.name FROM users LEFT OUTER JOIN orders ON orders.user_id = users.id");
}

TEST_CASE("joins without a single foreign key need an explicit ON", "[compiler]") {
  Schema s;
  auto& pair = s.md.table("pairs", retort::Column("id", retort::Integer{}).primary_key(),
                          retort::Column("a_id", retort::Integer{}).references("users.id"),
                          retort::Column("b_id", retort::Integer{}).references("users.id"));
  CHECK_THROWS_AS(s.users.join(pair), retort::ArgumentError);
  CHECK_THROWS_WITH(s.users.join(pair), Catch::Contains("more than one foreign key"));
  CHECK_THROWS_AS(s.users.join(s.items), retort::ArgumentError);
  CHECK_THROWS_WITH(s.users.join(s.items), Catch::Contains("no foreign key"));
  CHECK(sql(retort::select(s.users.c("id")).select_from(s.users.join(pair, pair.c("a_id") == s.users.c("id")))) ==
        "SELECT users.id FROM users JOIN pairs ON pairs.a_id = users.id");
  CHECK_THROWS_AS(retort::select(retort::literal(1)).join(s.users), retort::ArgumentError);
}

TEST_CASE("aliases and self-joins", "[compiler]") {
  retort::MetaData md;
  auto& emp = md.table("employees", retort::Column("id", retort::Integer{}).primary_key(),
                       retort::Column("name", retort::String{}),
                       retort::Column("manager_id", retort::Integer{}).references("employees.id"));
  auto mgr = emp.alias("mgr");
  CHECK(sql(retort::select(mgr.c("name"))) == "SELECT mgr.name FROM employees AS mgr");
  CHECK(sql(retort::select(emp.c("name"), mgr.c("name").label("manager"))
                .select_from(emp.join(mgr, emp.c("manager_id") == mgr.c("id")))) ==
        "SELECT employees.name, mgr.name AS manager FROM employees JOIN employees AS mgr ON "
        "employees.manager_id = mgr.id");
  // The foreign key of the alias's table is found for a self-join too.
  CHECK(sql(retort::select(emp.c("name")).select_from(emp.join(mgr))) ==
        "SELECT employees.name FROM employees JOIN employees AS mgr ON mgr.manager_id = employees.id");
  auto a = emp.alias("a");
  auto b = emp.alias("b");
  CHECK(sql(retort::select(a.c("id"), b.c("id")).where(a.c("id") == b.c("manager_id"))) ==
        "SELECT a.id, b.id FROM employees AS a, employees AS b WHERE a.id = b.manager_id");
  // Re-aliasing an alias aliases the table underneath.
  CHECK(sql(retort::select(a.alias("c").c("id"))) == "SELECT c.id FROM employees AS c");
  CHECK_THROWS_AS(emp.alias(""), retort::ArgumentError);
  CHECK_THROWS_AS(a.c("nope"), retort::NoSuchColumnError);
}

TEST_CASE("subqueries in FROM", "[compiler]") {
  Schema s;
  auto totals = retort::select(s.orders.c("user_id"), func::sum(s.orders.c("amount")).label("total"))
                    .group_by({s.orders.c("user_id")})
                    .subquery("totals");
  CHECK(totals.columns().names == std::vector<std::string>{"user_id", "total"});
  CHECK(sql(retort::select(s.users.c("name"), totals.c("total"))
                .select_from(s.users.join(totals, totals.c("user_id") == s.users.c("id")))
                .where(totals.c("total") > 100)) ==
        "SELECT users.name, totals.total FROM users JOIN (SELECT orders.user_id, sum(orders.amount) "
        "AS total FROM orders GROUP BY orders.user_id) AS totals ON totals.user_id = users.id "
        "WHERE totals.total > 100");
  CHECK(sql(retort::select(totals.c("total"))) ==
        "SELECT totals.total FROM (SELECT orders.user_id, sum(orders.amount) AS total FROM orders "
        "GROUP BY orders.user_id) AS totals");
  // A FROM subquery is not correlated: its tables stay in its own FROM even when the
  // enclosing query selects from them too.
  auto named = retort::select(s.orders.c("id").label("order_id"), s.users.c("name"))
                   .where(s.orders.c("user_id") == s.users.c("id"))
                   .subquery("named");
  CHECK(sql(retort::select(s.users.c("id"), named.c("name"))
                .select_from(s.users.join(named, named.c("order_id") == s.users.c("id")))) ==
        "SELECT users.id, named.name FROM users JOIN (SELECT orders.id AS order_id, users.name "
        "FROM orders, users WHERE orders.user_id = users.id) AS named ON named.order_id = users.id");
}

TEST_CASE("correlated scalar subqueries and EXISTS", "[compiler]") {
  Schema s;
  auto count = retort::select(func::count())
                   .select_from(s.orders)
                   .where(s.orders.c("user_id") == s.users.c("id"))
                   .scalar_subquery();
  CHECK(sql(retort::select(s.users.c("name"), count.label("n"))) ==
        "SELECT users.name, (SELECT count(*) FROM orders WHERE orders.user_id = users.id) AS n "
        "FROM users");
  // Auto-correlation drops the outer table from the inner FROM.
  auto inner = retort::select(s.orders.c("id")).where(s.orders.c("user_id") == s.users.c("id"));
  CHECK(sql(retort::select(s.users.c("name")).where(retort::exists(inner))) ==
        "SELECT users.name FROM users WHERE EXISTS (SELECT orders.id FROM orders WHERE "
        "orders.user_id = users.id)");
  CHECK(sql(retort::select(s.users.c("name")).where(retort::not_exists(inner))) ==
        "SELECT users.name FROM users WHERE NOT EXISTS (SELECT orders.id FROM orders WHERE "
        "orders.user_id = users.id)");
  // On its own, the inner select keeps both tables.
  CHECK(sql(inner) == "SELECT orders.id FROM orders, users WHERE orders.user_id = users.id");
  // A subquery over only the outer table is not emptied.
  auto max_age = retort::select(func::max(s.users.c("age"))).scalar_subquery();
  CHECK(sql(retort::select(s.users.c("name")).where(s.users.c("age") == max_age)) ==
        "SELECT users.name FROM users WHERE users.age = (SELECT max(users.age) FROM users)");
  CHECK(max_age.type() == retort::SqlType(retort::Integer{}));
}

TEST_CASE("CTEs, plain and recursive", "[compiler]") {
  Schema s;
  auto big = retort::select(s.orders.c("user_id"), s.orders.c("amount")).where(s.orders.c("amount") > 100).cte("big");
  CHECK(sql(retort::select(s.users.c("name"), big.c("amount"))
                .select_from(s.users.join(big, big.c("user_id") == s.users.c("id")))) ==
        "WITH big AS (SELECT orders.user_id, orders.amount FROM orders WHERE orders.amount > 100) "
        "SELECT users.name, big.amount FROM users JOIN big ON big.user_id = users.id");

  auto base = retort::select(retort::literal(1).label("n")).cte("counter", true);
  auto counter = base.union_all(retort::select((base.c("n") + 1).label("n")).where(base.c("n") < 5));
  CHECK(sql(retort::select(counter.c("n"))) ==
        "WITH RECURSIVE counter(n) AS (SELECT 1 AS n UNION ALL SELECT counter.n + 1 AS n FROM "
        "counter WHERE counter.n < 5) SELECT counter.n FROM counter");

  // Tree walk over a self-referencing table.
  retort::MetaData md;
  auto& nodes = md.table("nodes", retort::Column("id", retort::Integer{}).primary_key(),
                         retort::Column("parent_id", retort::Integer{}).references("nodes.id"));
  auto tree0 = retort::select(nodes.c("id")).where(nodes.c("parent_id").is_null()).cte("tree", true);
  auto tree = tree0.union_all(retort::select(nodes.c("id"))
                                  .select_from(retort::From(nodes).join(tree0, nodes.c("parent_id") == tree0.c("id"))));
  CHECK(sql(retort::select(func::count()).select_from(tree)) ==
        "WITH RECURSIVE tree(id) AS (SELECT nodes.id FROM nodes WHERE nodes.parent_id IS NULL "
        "UNION ALL SELECT nodes.id FROM nodes JOIN tree ON nodes.parent_id = tree.id) "
        "SELECT count(*) FROM tree");
  CHECK_THROWS_AS(retort::From(s.users).union_all(retort::select(s.users.c("id"))), retort::ArgumentError);
}

TEST_CASE("compound selects", "[compiler]") {
  Schema s;
  auto a = retort::select(s.users.c("id")).where(s.users.c("age") > 1);
  auto b = retort::select(s.orders.c("user_id"));
  auto c = retort::select(s.items.c("order_id"));
  CHECK(sql(a.union_(b)) == "SELECT users.id FROM users WHERE users.age > 1 UNION SELECT orders.user_id FROM orders");
  CHECK(sql(a.union_all(b)) ==
        "SELECT users.id FROM users WHERE users.age > 1 UNION ALL SELECT orders.user_id FROM orders");
  CHECK(sql(a.intersect(b)) ==
        "SELECT users.id FROM users WHERE users.age > 1 INTERSECT SELECT orders.user_id FROM orders");
  CHECK(sql(a.except_(b)) == "SELECT users.id FROM users WHERE users.age > 1 EXCEPT SELECT orders.user_id FROM orders");
  CHECK(sql(a.union_(b).union_(c)) ==
        "SELECT users.id FROM users WHERE users.age > 1 UNION SELECT orders.user_id FROM orders "
        "UNION SELECT items.order_id FROM items");
  CHECK(sql(a.union_(b).except_(c)) ==
        "(SELECT users.id FROM users WHERE users.age > 1 UNION SELECT orders.user_id FROM orders) "
        "EXCEPT SELECT items.order_id FROM items");
  CHECK(sql(a.union_(b).order_by({s.users.c("id")}).limit(3)) ==
        "SELECT users.id FROM users WHERE users.age > 1 UNION SELECT orders.user_id FROM orders "
        "ORDER BY id LIMIT 3");
  CHECK_THROWS_AS(a.union_(b).where(s.users.c("id") > 1), retort::ArgumentError);
  auto sub = a.union_(b).subquery("u");
  CHECK(sql(retort::select(sub.c("id"))) ==
        "SELECT u.id FROM (SELECT users.id FROM users WHERE users.age > 1 UNION SELECT "
        "orders.user_id FROM orders) AS u");
}

TEST_CASE("insert: single row, multi-row, from_select, returning", "[compiler]") {
  Schema s;
  CHECK(sql(retort::insert(s.users).values({{"name", "Alice"}, {"age", 30}})) ==
        "INSERT INTO users (name, age) VALUES ('Alice', 30)");
  auto c = generic.compile(retort::insert(s.users).values({{"name", "Alice"}, {"age", 30}}));
  CHECK(c.sql == "INSERT INTO users (name, age) VALUES (:param_1, :param_2)");
  CHECK(c.kind == retort::StatementKind::Insert);
  CHECK_FALSE(c.returns_rows);
  CHECK(sql(retort::insert(s.users).values({{"name", func::lower(retort::literal("X"))}})) ==
        "INSERT INTO users (name) VALUES (lower('X'))");
  CHECK(sql(retort::insert(s.users)) == "INSERT INTO users DEFAULT VALUES");

  CHECK(sql(retort::insert(s.users).values(
            std::vector<retort::Params>{{{"name", "a"}, {"age", 1}}, {{"age", 2}, {"name", "b"}}})) ==
        "INSERT INTO users (name, age) VALUES ('a', 1), ('b', 2)");
  CHECK_THROWS_AS(
      retort::insert(s.users).values(std::vector<retort::Params>{{{"name", "a"}, {"age", 1}}, {{"name", "b"}}}),
      retort::ArgumentError);
  CHECK_THROWS_AS(retort::insert(s.users).values(std::vector<retort::Params>{{{"name", "a"}}, {{"age", 1}}}),
                  retort::ArgumentError);
  CHECK_THROWS_AS(retort::insert(s.users).values(std::vector<retort::Params>{}), retort::ArgumentError);
  CHECK_THROWS_AS(retort::insert(s.users).values({{"nope", 1}}), retort::NoSuchColumnError);
  CHECK_THROWS_AS(retort::insert(s.users).values({{"name", "a"}}).values({{"name", "b"}}), retort::ArgumentError);

  CHECK(sql(retort::insert(s.orders).from_select(
            {"user_id", "amount"},
            retort::select(s.users.c("id"), retort::literal(0)).where(s.users.c("active") == true))) ==
        "INSERT INTO orders (user_id, amount) SELECT users.id, 0 FROM users WHERE users.active = TRUE");

  auto r =
      generic.compile(retort::insert(s.users).values({{"name", "a"}}).returning({s.users.c("id"), s.users.c("name")}));
  CHECK(r.sql == "INSERT INTO users (name) VALUES (:param_1) RETURNING id, name");
  CHECK(r.returns_rows);
}

TEST_CASE("update and delete with where and returning", "[compiler]") {
  Schema s;
  auto& u = s.users;
  CHECK(sql(retort::update(u).values({{"name", "z"}, {"age", u.c("age") + 1}}).where(u.c("id") == 3)) ==
        "UPDATE users SET name = 'z', age = users.age + 1 WHERE users.id = 3");
  CHECK(sql(retort::update(u).values({{"active", false}})) == "UPDATE users SET active = FALSE");
  CHECK(sql(retort::update(u)
                .values({{"age", 0}})
                .where(u.c("age") < 0)
                .where(u.c("name").is_null())
                .returning({u.c("id")})) ==
        "UPDATE users SET age = 0 WHERE users.age < 0 AND users.name IS NULL RETURNING id");
  auto c = generic.compile(retort::update(u).values({{"age", 0}}).where(u.c("id") == 1).returning({u.c("id")}));
  CHECK(c.sql == "UPDATE users SET age = :param_1 WHERE users.id = :param_2 RETURNING id");
  CHECK(c.kind == retort::StatementKind::Update);
  CHECK(c.returns_rows);
  CHECK_THROWS_AS(generic.compile(retort::update(u)), retort::CompileError);

  CHECK(sql(retort::delete_(u)) == "DELETE FROM users");
  CHECK(sql(retort::delete_(u).where(u.c("id") == 1).where(u.c("age") > 2)) ==
        "DELETE FROM users WHERE users.id = 1 AND users.age > 2");
  CHECK(sql(retort::delete_(u).where(u.c("id") == 1).returning({u.c("name")})) ==
        "DELETE FROM users WHERE users.id = 1 RETURNING name");
  CHECK(generic.compile(retort::delete_(u)).kind == retort::StatementKind::Delete);
  // Correlated subquery inside a DELETE's WHERE.
  CHECK(sql(retort::delete_(s.orders).where(
            s.orders.c("user_id").in_(retort::select(u.c("id")).where(u.c("active") == false)))) ==
        "DELETE FROM orders WHERE orders.user_id IN (SELECT users.id FROM users WHERE "
        "users.active = FALSE)");
}

TEST_CASE("identifier quoting", "[compiler]") {
  retort::MetaData md;
  auto& t = md.table("order", retort::Column("select", retort::Integer{}), retort::Column("UserName", retort::String{}),
                     retort::Column("first name", retort::String{}), retort::Column("say \"hi\"", retort::String{}),
                     retort::Column("größe", retort::Integer{}), retort::Column("plain_name1", retort::Integer{}),
                     retort::Column("1abc", retort::Integer{}), retort::Column("_x$", retort::Integer{}),
                     retort::TableOptions{.schema = "Sales"});
  CHECK(sql(retort::select(t)) ==
        "SELECT \"Sales\".\"order\".\"select\", \"Sales\".\"order\".\"UserName\", "
        "\"Sales\".\"order\".\"first name\", \"Sales\".\"order\".\"say \"\"hi\"\"\", "
        "\"Sales\".\"order\".\"größe\", \"Sales\".\"order\".plain_name1, "
        "\"Sales\".\"order\".\"1abc\", \"Sales\".\"order\"._x$ FROM \"Sales\".\"order\"");
  auto dialect = retort::make_default_dialect();
  const auto& p = dialect->preparer();
  CHECK(p.quote("users") == "users");
  CHECK(p.quote("user_id2") == "user_id2");
  CHECK(p.quote("order") == "\"order\"");
  CHECK(p.quote("Users") == "\"Users\"");
  CHECK(p.quote("a-b") == "\"a-b\"");
  CHECK(p.quote("") == "\"\"");
  CHECK(p.quote_always("users") == "\"users\"");
  CHECK(p.format_table("t", std::string("s")) == "s.t");
  CHECK(p.format_table("t", std::nullopt) == "t");
  CHECK(sql(retort::select(t.alias("my alias").c("select"))) ==
        "SELECT \"my alias\".\"select\" FROM \"Sales\".\"order\" AS \"my alias\"");
  CHECK(sql(retort::insert(t).values({{"select", 1}})) == "INSERT INTO \"Sales\".\"order\" (\"select\") VALUES (1)");
}

TEST_CASE("literal rendering: quotes doubled, blobs, NULL, booleans, numbers", "[compiler]") {
  Schema s;
  auto name = s.users.c("name");
  CHECK(sql(name == "O'Brien") == "users.name = 'O''Brien'");
  CHECK(sql(name == "''") == "users.name = ''''''");
  CHECK(sql(name == "") == "users.name = ''");
  CHECK(sql(name == "back\\slash") == "users.name = 'back\\slash'");
  CHECK(sql(s.users.c("data") == retort::Blob{0x00, 0xAB, 0xff}) == "users.data = X'00ABFF'");
  CHECK(sql(s.users.c("data") == retort::Blob{}) == "users.data = X''");
  CHECK(sql(retort::select(retort::literal(retort::Null{}))) == "SELECT NULL");
  CHECK(sql(retort::select(retort::null())) == "SELECT NULL");
  CHECK(sql(retort::select(retort::literal(true), retort::false_())) == "SELECT TRUE, FALSE");
  CHECK(sql(retort::select(retort::literal(-42))) == "SELECT -42");
  CHECK(sql(retort::select(retort::literal(2.5))) == "SELECT 2.5");
  // A whole real keeps its decimal point, so that 1.0 / 2 is not integer division.
  CHECK(sql(retort::select(retort::literal(2.0))) == "SELECT 2.0");
  CHECK(sql(retort::select(retort::literal(1.0) / 2)) == "SELECT 1.0 / 2");
  CHECK(sql(retort::select(retort::literal(1e20))) == "SELECT 1e+20");
  auto dialect = retort::make_default_dialect();
  auto compiler = dialect->statement_compiler();
  CHECK(compiler->render_literal(retort::Value("a'b"), retort::String{}) == "'a''b'");
  CHECK(compiler->render_literal(retort::Value(), retort::Integer{}) == "NULL");
}

TEST_CASE("compile errors", "[compiler]") {
  Schema s;
  CHECK_THROWS_AS(retort::to_sql_string(*retort::Select().node()), retort::CompileError);
  CHECK_THROWS_WITH(retort::to_sql_string(*retort::Select().node()), Catch::Contains("no columns"));
  CHECK_THROWS_AS(sql(retort::select(retort::literal(std::numeric_limits<double>::infinity()))), retort::CompileError);
  // A DDL statement compiles through the dialect's DDL compiler.
  auto ddl = retort::CreateTable(s.users);
  CHECK(generic.compile(ddl).kind == retort::StatementKind::DDL);
  // The qmark-style SQLite compiler cannot inline a parameter without a value.
  CHECK_THROWS_AS(
      retort::testing::compile_sql("sqlite", s.users.c("id") == retort::bindparam("x"), retort::testing::literal),
      retort::CompileError);
  CHECK_THROWS_AS(retort::make_binary(retort::BinaryOperator::Eq, Expr(), s.users.c("id")), retort::ArgumentError);
  CHECK_THROWS_AS(s.users.c("id") == Expr(), retort::ArgumentError);
  CHECK_THROWS_AS(retort::select(Expr()), retort::ArgumentError);
  CHECK_THROWS_AS(retort::select(s.users.c("id")).where(Expr()), retort::ArgumentError);
  CHECK_THROWS_AS(retort::Select(retort::NodePtr()), retort::ArgumentError);
  CHECK_THROWS_AS(retort::select(s.users.c("id")).subquery(""), retort::ArgumentError);
  CHECK_THROWS_AS(retort::From(retort::NodePtr()), retort::ArgumentError);
  CHECK_THROWS_AS(retort::From(s.users.join(s.orders)).c("id"), retort::ArgumentError);
  CHECK_THROWS_AS(s.users.c("id").node()->cast<retort::BindParamNode>(), retort::InternalInvariantError);
  CHECK_THROWS_AS(retort::DialectRegistry::instance().create("nosuchdb"), retort::ArgumentError);
}

TEST_CASE("subqueries in UPDATE and DELETE correlate to the target table", "[compiler]") {
  Schema s;
  auto has_orders = retort::exists(retort::select(s.orders.c("id")).where(s.orders.c("user_id") == s.users.c("id")));
  CHECK(sql(retort::delete_(s.users).where(!has_orders)) ==
        "DELETE FROM users WHERE NOT EXISTS (SELECT orders.id FROM orders WHERE orders.user_id = "
        "users.id)");
  auto total =
      retort::select(func::sum(s.orders.c("amount"))).where(s.orders.c("user_id") == s.users.c("id")).scalar_subquery();
  CHECK(sql(retort::update(s.users).values({{"age", total}}).where(has_orders)) ==
        "UPDATE users SET age = (SELECT sum(orders.amount) FROM orders WHERE orders.user_id = "
        "users.id) WHERE EXISTS (SELECT orders.id FROM orders WHERE orders.user_id = users.id)");
}

namespace {

/// A dialect without RETURNING, multi-row VALUES or partial/expression indexes.
class LimitedDialect final : public retort::Dialect {
 public:
  LimitedDialect() : preparer_('"', '"', retort::common_reserved_words()) {
    features_.paramstyle = retort::ParamStyle::Format;
    features_.supports_returning = false;
    features_.supports_multivalues_insert = false;
    features_.supports_partial_indexes = false;
    features_.supports_expression_indexes = false;
    features_.supports_alter = false;
    features_.supports_native_boolean = false;
  }
  std::string name() const override { return "limited"; }
  std::string driver_name() const override { return "none"; }
  const retort::IdentifierPreparer& preparer() const override { return preparer_; }
  const retort::TypeCompiler& type_compiler() const override { return types_; }
  std::unique_ptr<retort::DriverConnection> connect(const retort::URL&) const override {
    throw retort::ArgumentError("cannot connect");
  }
  bool has_table(retort::DriverConnection&, const std::string&, const std::optional<std::string>&) const override {
    return false;
  }

 private:
  retort::IdentifierPreparer preparer_;
  retort::TypeCompiler types_;
};

/// A dialect-only construct that other dialects must refuse.
class FakeExtension final : public retort::Node {
 public:
  static constexpr retort::NodeKind KIND = retort::NodeKind::Extension;
  FakeExtension() : Node(KIND) {}
  void for_each_child(const std::function<void(const retort::Node&)>&) const override {}

 protected:
  void hash_into(retort::Hasher&) const override {}
};

}  // namespace

TEST_CASE("constructs a dialect lacks raise UnsupportedCompilationError", "[compiler]") {
  Schema s;
  LimitedDialect dialect;
  auto compiler = dialect.statement_compiler();
  auto c = compiler->compile(*retort::select(s.users.c("id")).where(s.users.c("active") == true).node());
  CHECK(c.sql == "SELECT users.id FROM users WHERE users.active = %s");
  CHECK(compiler->compile(*retort::select(retort::true_()).node()).sql == "SELECT TRUE");
  CHECK(compiler->compile(*retort::select(retort::literal(true)).node(), {.literal_binds = true}).sql == "SELECT 1");

  auto returning = retort::insert(s.users).values({{"name", "a"}}).returning({s.users.c("id")});
  CHECK_THROWS_AS(compiler->compile(*returning.node()), retort::UnsupportedCompilationError);
  CHECK_THROWS_WITH(compiler->compile(*returning.node()), Catch::Contains("limited") && Catch::Contains("RETURNING"));
  auto many = retort::insert(s.users).values(std::vector<retort::Params>{{{"age", 1}}, {{"age", 2}}});
  CHECK_THROWS_AS(compiler->compile(*many.node()), retort::UnsupportedCompilationError);
  CHECK_THROWS_AS(compiler->compile(*retort::delete_(s.users).returning({s.users.c("id")}).node()),
                  retort::UnsupportedCompilationError);
  FakeExtension extension;
  CHECK_THROWS_AS(compiler->compile(extension), retort::UnsupportedCompilationError);
  // UnsupportedCompilationError is a CompileError.
  CHECK_THROWS_AS(compiler->compile(extension), retort::CompileError);

  auto ddl = dialect.ddl_compiler();
  retort::Index partial("ix_partial", std::vector<std::string>{"age"});
  partial.where(s.users.c("age") > 1);
  CHECK_THROWS_AS(ddl->compile(*retort::CreateIndex(s.users, partial).node()), retort::UnsupportedCompilationError);
  retort::Index expression("ix_expr", std::vector<retort::IndexElement>{{"", retort::func::lower(s.users.c("name"))}});
  CHECK_THROWS_AS(ddl->compile(*retort::CreateIndex(s.users, expression).node()), retort::UnsupportedCompilationError);
  CHECK_THROWS_AS(ddl->compile(*retort::AddConstraint(s.users, retort::UniqueConstraint{{"name"}, "uq"}).node()),
                  retort::UnsupportedCompilationError);
  CHECK_THROWS_AS(ddl->compile(*retort::DropConstraint("uq", "users").node()), retort::UnsupportedCompilationError);
}

TEST_CASE("a named parameter holding NULL stays a parameter", "[compiler]") {
  Schema s;
  auto c = generic.compile(s.users.c("name") == retort::bindparam("who", retort::Value()));
  CHECK(c.sql == "users.name = :who");
  REQUIRE(c.params.size() == 1);
  CHECK(c.params[0].name == "who");
}

TEST_CASE("the natural spelling compiles: variadic lists and plain values where a value fits", "[compiler]") {
  Schema s;
  const retort::testing::Compiler postgresql{"postgresql"};
  auto name = s.users.c("name");
  auto age = s.users.c("age");
  // Lists without braces give the same statement as with them.
  CHECK(sql(retort::select(name).order_by(age.desc(), name)) == sql(retort::select(name).order_by({age.desc(), name})));
  CHECK(sql(retort::select(name, func::count()).group_by(name, age)) ==
        "SELECT users.name, count(*) FROM users GROUP BY users.name, users.age");
  CHECK(sql(retort::and_(age > 1, age < 9, name != "x")) == "users.age > 1 AND users.age < 9 AND users.name != 'x'");
  CHECK(sql(retort::or_(age == 1, age == 2)) == "users.age = 1 OR users.age = 2");
  CHECK(sql(retort::insert(s.users).values({{"name", "a"}}).returning(s.users.c("id"), name)) ==
        sql(retort::insert(s.users).values({{"name", "a"}}).returning({s.users.c("id"), name})));
  CHECK(postgresql.sql(retort::delete_(s.users).returning(s.users.c("id"), name)) ==
        "DELETE FROM users RETURNING id, name");
  // Plain values where == already took them.
  CHECK(sql(name.like("a%")) == "users.name LIKE 'a%'");
  CHECK(sql(name.not_ilike(std::string("A%"))) == "users.name NOT ILIKE 'A%'");
  CHECK(sql(age.between(18, 65)) == "users.age BETWEEN 18 AND 65");
  CHECK(sql(age.not_between(s.users.c("id"), 65)) == "users.age NOT BETWEEN users.id AND 65");
  CHECK(sql(name.in_({"a", "b"})) == "users.name IN ('a', 'b')");
  CHECK(sql(age.in_({1, 2, 3})) == "users.age IN (1, 2, 3)");
  CHECK(sql(age.in_({s.users.c("id"), age})) == "users.age IN (users.id, users.age)");
  CHECK(sql(name.not_in({"a"})) == "users.name NOT IN ('a')");
  // startswith/endswith/contains take the text literally: its wildcards are escaped.
  CHECK(sql(name.startswith("50%_/")) == "users.name LIKE '50/%/_//%' ESCAPE '/'");
  CHECK(sql(name.endswith("x")) == "users.name LIKE '%x' ESCAPE '/'");
  CHECK(sql(name.contains("a_b")) == "users.name LIKE '%a/_b%' ESCAPE '/'");
}

TEST_CASE("operators follow the operand types: + on text, integer division", "[compiler]") {
  Schema s;
  auto name = s.users.c("name");
  auto age = s.users.c("age");
  const retort::testing::Compiler mysql{"mysql"};
  const retort::testing::Compiler postgresql{"postgresql"};
  CHECK(sql(name + "!") == "users.name || '!'");
  CHECK(sql("<" + name) == "'<' || users.name");
  CHECK(mysql.sql(name + name) == "CONCAT(users.name, users.name)");
  CHECK(sql(age + 1) == "users.age + 1");
  CHECK(sql(age / 2) == "users.age / 2");
  CHECK(mysql.sql(age / 2, retort::testing::literal) == "users.age DIV 2");
  CHECK(mysql.sql((age + 1) / (s.users.c("id") - 1), retort::testing::literal) == "(users.age + 1) DIV (users.id - 1)");
  CHECK(mysql.sql(age / 2.5, retort::testing::literal) == "users.age / 2.5");
  CHECK(mysql.sql(s.orders.c("amount") / 2, retort::testing::literal) == "orders.amount / 2");
  CHECK(postgresql.sql(age / 2, retort::testing::literal) == "users.age / 2");
  // The cache tells integer division from the other kind on MySQL.
  CHECK((age / 2).node()->structure_key() != (age / 2.5).node()->structure_key());
}

TEST_CASE("a statement prints as generic SQL and compiles for a dialect with its values", "[compiler]") {
  Schema s;
  auto stmt = retort::select(s.users.c("name")).where(s.users.c("age") > 18 && s.users.c("name").like("a%"));
  std::ostringstream printed;
  printed << stmt;
  CHECK(printed.str() == "SELECT users.name FROM users WHERE users.age > :param_1 AND users.name LIKE :param_2");
  CHECK(fmt::format("{}", stmt) == printed.str());
  CHECK(fmt::format("{}", s.users.c("age") + 1) == "users.age + :param_1");

  auto pg = stmt.compile("postgresql");
  CHECK(pg.sql == "SELECT users.name FROM users WHERE users.age > $1 AND users.name LIKE $2");
  REQUIRE(pg.params.size() == 2);
  CHECK(pg.params.find("param_1")->as<int>() == 18);
  CHECK(pg.params.find("param_2")->as<std::string>() == "a%");
  CHECK(stmt.compile("mysql", {.literal_binds = true}).str() ==
        "SELECT users.name FROM users WHERE users.age > 18 AND users.name LIKE 'a%'");
  auto engine = retort::create_engine("sqlite://");
  CHECK(stmt.compile(engine).sql == "SELECT users.name FROM users WHERE users.age > ? AND users.name LIKE ?");
  CHECK(stmt.compile(engine.dialect()).sql == stmt.compile(engine).sql);

  // A named parameter keeps its name; one to be filled at execution is NULL until then.
  auto by_name = retort::text("SELECT * FROM users WHERE name = :name");
  auto named = by_name.compile("postgresql");
  CHECK(named.sql == "SELECT * FROM users WHERE name = $1");
  REQUIRE(named.params.find("name") != nullptr);
  CHECK(named.params.find("name")->is_null());
  CHECK_THROWS_AS(by_name.compile("sqlite", {.literal_binds = true}), retort::CompileError);

  // Inserts (several rows spelled in place), updates, deletes and DDL print too.
  auto rows = retort::insert(s.users).values({{{"id", 1}, {"name", "a"}}, {{"id", 2}, {"name", "b"}}});
  CHECK(rows.compile("sqlite", {.literal_binds = true}).sql ==
        "INSERT INTO users (id, name) VALUES (1, 'a'), (2, 'b')");
  CHECK(fmt::format("{}", retort::delete_(s.users).where(s.users.c("id") == 3)) ==
        "DELETE FROM users WHERE users.id = :param_1");
  CHECK(retort::core::CreateTable(s.items)
            .compile("postgresql")
            .sql.starts_with("CREATE TABLE items (\n\tid SERIAL NOT NULL,"));
  CHECK_THROWS_AS(stmt.compile("oracle"), retort::ArgumentError);
  CHECK_THROWS_AS(retort::Expr().compile(), retort::ArgumentError);
  CHECK_THROWS_AS(fmt::format("{}", retort::Expr()), retort::ArgumentError);
}
