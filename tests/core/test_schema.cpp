// MetaData, Table and Column declarations: options, constraint shortcuts, naming conventions,
// errors and dependency order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <retort/core/ddl/sort_tables.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/retort.hpp>

namespace {

std::string sql_of(const retort::Expr& e) { return retort::to_sql_string(*e.node()); }

std::vector<std::string> names_of(const std::vector<const retort::Table*>& tables) {
  std::vector<std::string> out;
  for (const auto* t : tables) out.push_back(t->name());
  return out;
}

}  // namespace

TEST_CASE("column options: nullable, primary key, autoincrement, comment", "[schema]") {
  retort::MetaData md;
  auto& t = md.table("items", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("name", retort::String{40}).not_null(),
                     retort::Column("note", retort::Text{}).comment("free text"),
                     retort::Column("maybe", retort::Integer{}).nullable(true),
                     retort::Column("manual", retort::Integer{}).autoincrement(false),
                     retort::Column("opt", retort::String{}).dialect_option("mysql_charset", "utf8mb4"));
  CHECK(t.name() == "items");
  CHECK(t.fullname() == "items");
  REQUIRE(t.columns().size() == 6);
  CHECK(t.columns()[0].name() == "id");
  CHECK(t.columns()[5].name() == "opt");

  const auto& id = t.column("id");
  CHECK(id.is_primary_key());
  CHECK_FALSE(id.is_nullable());  // primary key columns are NOT NULL
  CHECK(id.type() == retort::SqlType(retort::Integer{}));
  CHECK(id.autoincrement_setting() == retort::Autoincrement::Auto);
  CHECK_FALSE(t.column("name").is_nullable());
  CHECK(t.column("name").type() == retort::SqlType(retort::String{40}));
  CHECK(t.column("note").is_nullable());
  CHECK(t.column("note").comment_text() == "free text");
  CHECK_FALSE(t.column("name").comment_text().has_value());
  CHECK(t.column("maybe").is_nullable());
  CHECK(t.column("manual").autoincrement_setting() == retort::Autoincrement::No);
  CHECK(t.column("opt").dialect_options().at("mysql_charset") == "utf8mb4");
  CHECK(t.primary_key().columns == std::vector<std::string>{"id"});
  CHECK(t.primary_key().name.empty());  // the default convention names only indexes
  CHECK(t.has_column("note"));
  CHECK_FALSE(t.has_column("Note"));
}

TEST_CASE("server_default as a literal value, text() and func::now()", "[schema]") {
  retort::MetaData md;
  auto& t = md.table("posts", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("status", retort::String{10}).server_default("dr'aft"),
                     retort::Column("views", retort::Integer{}).server_default(0),
                     retort::Column("created", retort::DateTime{}).server_default(retort::func::now()),
                     retort::Column("updated", retort::DateTime{}).server_default(retort::text("CURRENT_TIMESTAMP")),
                     retort::Column("plain", retort::Integer{}));
  REQUIRE(t.column("status").server_default_expr().has_value());
  CHECK(sql_of(*t.column("status").server_default_expr()) == "'dr''aft'");
  CHECK(sql_of(*t.column("views").server_default_expr()) == "0");
  CHECK(sql_of(*t.column("created").server_default_expr()) == "CURRENT_TIMESTAMP");
  CHECK(sql_of(*t.column("updated").server_default_expr()) == "CURRENT_TIMESTAMP");
  CHECK(t.column("updated").server_default_expr()->node()->kind() == retort::NodeKind::Text);
  CHECK_FALSE(t.column("plain").server_default_expr().has_value());
  CHECK_THROWS_AS(retort::Column("x", retort::Integer{}).server_default(retort::Expr()), retort::ArgumentError);
}

TEST_CASE("identity and computed column options", "[schema]") {
  retort::MetaData md;
  auto& t = md.table("t",
                     retort::Column("id", retort::BigInteger{})
                         .primary_key()
                         .identity(retort::Identity{.always = true, .start = 10, .increment = 5}),
                     retort::Column("a", retort::Integer{}),
                     retort::Column("twice", retort::Integer{}).computed({"a * 2", true}));
  REQUIRE(t.column("id").identity_options().has_value());
  CHECK(t.column("id").identity_options()->always);
  CHECK(t.column("id").identity_options()->start == 10);
  CHECK(t.column("id").identity_options()->increment == 5);
  REQUIRE(t.column("twice").computed_options().has_value());
  CHECK(t.column("twice").computed_options()->sqltext == "a * 2");
  CHECK(t.column("twice").computed_options()->persisted == true);
}

TEST_CASE("unique and index shortcuts become UniqueConstraint and Index", "[schema]") {
  retort::MetaData md;
  auto& t = md.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("email", retort::String{100}).unique(),
                     retort::Column("name", retort::String{50}).index(),
                     retort::Column("login", retort::String{50}).unique().index());
  REQUIRE(t.unique_constraints().size() == 1);
  CHECK(t.unique_constraints()[0].columns == std::vector<std::string>{"email"});
  CHECK(t.unique_constraints()[0].name.empty());
  REQUIRE(t.indexes().size() == 2);
  // SQLAlchemy's default convention names indexes ix_<table>_<column>.
  CHECK(t.indexes()[0].name == "ix_users_name");
  CHECK(t.indexes()[0].column_names() == std::vector<std::string>{"name"});
  CHECK_FALSE(t.indexes()[0].unique);
  // unique + index: one unique index, no separate constraint
  CHECK(t.indexes()[1].name == "ix_users_login");
  CHECK(t.indexes()[1].unique);
  CHECK(t.column("email").is_unique());
  CHECK(t.column("name").is_indexed());
}

TEST_CASE("references() becomes a ForeignKeyConstraint", "[schema]") {
  retort::MetaData md;
  md.table("users", retort::Column("id", retort::Integer{}).primary_key());
  retort::ForeignKey cascade;
  cascade.target = "users.id";
  cascade.ondelete = "CASCADE";
  cascade.onupdate = "SET NULL";
  cascade.name = "fk_author";
  cascade.deferrable = true;
  cascade.initially = "DEFERRED";
  auto& posts = md.table("posts", retort::Column("id", retort::Integer{}).primary_key(),
                         retort::Column("user_id", retort::Integer{}).references("users.id"),
                         retort::Column("author_id", retort::Integer{}).references(cascade),
                         retort::Column("account_id", retort::Integer{}).references("billing.accounts.id"));
  REQUIRE(posts.foreign_keys().size() == 3);
  const auto& fk = posts.foreign_keys()[0];
  CHECK(fk.columns == std::vector<std::string>{"user_id"});
  CHECK(fk.referred_table == "users");
  CHECK(fk.referred_columns == std::vector<std::string>{"id"});
  CHECK_FALSE(fk.referred_schema.has_value());
  CHECK(fk.name.empty());
  CHECK_FALSE(fk.use_alter);

  const auto& named = posts.foreign_keys()[1];
  CHECK(named.name == "fk_author");
  CHECK(named.ondelete == "CASCADE");
  CHECK(named.onupdate == "SET NULL");
  CHECK(named.deferrable == true);
  CHECK(named.initially == "DEFERRED");

  const auto& qualified = posts.foreign_keys()[2];
  CHECK(qualified.referred_schema == "billing");
  CHECK(qualified.referred_table == "accounts");
  CHECK(qualified.referred_columns == std::vector<std::string>{"id"});

  CHECK(posts.column("user_id").foreign_keys().size() == 1);
  CHECK_THROWS_AS(retort::Column("x", retort::Integer{}).references("users"), retort::ArgumentError);
}

TEST_CASE("composite primary and foreign keys", "[schema]") {
  retort::MetaData md;
  auto& parent = md.table("parent", retort::Column("a", retort::Integer{}).primary_key(),
                          retort::Column("b", retort::Integer{}).primary_key());
  CHECK(parent.primary_key().columns == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(parent.column("b").is_nullable());

  auto& pk_table = md.table("pk_table", retort::Column("x", retort::Integer{}), retort::Column("y", retort::Integer{}),
                            retort::PrimaryKeyConstraint{{"x", "y"}, "pk_xy"});
  CHECK(pk_table.primary_key().columns == std::vector<std::string>{"x", "y"});
  CHECK(pk_table.primary_key().name == "pk_xy");

  retort::ForeignKeyConstraint fk;
  fk.columns = {"pa", "pb"};
  fk.referred_table = "parent";
  fk.referred_columns = {"a", "b"};
  fk.ondelete = "CASCADE";
  auto& child = md.table("child", retort::Column("id", retort::Integer{}).primary_key(),
                         retort::Column("pa", retort::Integer{}), retort::Column("pb", retort::Integer{}), fk);
  REQUIRE(child.foreign_keys().size() == 1);
  CHECK(child.foreign_keys()[0].columns == std::vector<std::string>{"pa", "pb"});
  CHECK(child.foreign_keys()[0].referred_columns == std::vector<std::string>{"a", "b"});
  CHECK(child.foreign_keys()[0].ondelete == "CASCADE");

  retort::ForeignKeyConstraint mismatched;
  mismatched.columns = {"pa", "pb"};
  mismatched.referred_table = "parent";
  mismatched.referred_columns = {"a"};
  CHECK_THROWS_AS(
      md.table("bad", retort::Column("pa", retort::Integer{}), retort::Column("pb", retort::Integer{}), mismatched),
      retort::ArgumentError);
  retort::ForeignKeyConstraint no_table;
  no_table.columns = {"pa"};
  no_table.referred_columns = {"a"};
  CHECK_THROWS_AS(md.table("bad2", retort::Column("pa", retort::Integer{}), no_table), retort::ArgumentError);
  retort::ForeignKeyConstraint unknown_column;
  unknown_column.columns = {"nope"};
  unknown_column.referred_table = "parent";
  unknown_column.referred_columns = {"a"};
  CHECK_THROWS_AS(md.table("bad3", retort::Column("pa", retort::Integer{}), unknown_column), retort::NoSuchColumnError);
  CHECK_THROWS_AS(md.table("bad4", retort::Column("pa", retort::Integer{}), retort::PrimaryKeyConstraint{{"nope"}, ""}),
                  retort::NoSuchColumnError);
}

TEST_CASE("check constraints and indexes with expressions and where()", "[schema]") {
  retort::MetaData md;
  auto& t = md.table("accounts", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("email", retort::String{100}), retort::Column("balance", retort::Integer{}),
                     retort::Column("active", retort::Boolean{}), retort::CheckConstraint{"balance >= 0", "ck_balance"},
                     retort::CheckConstraint{"id > 0", ""},
                     retort::UniqueConstraint{{"email", "balance"}, "uq_email_balance"});
  REQUIRE(t.check_constraints().size() == 2);
  CHECK(t.check_constraints()[0].sqltext == "balance >= 0");
  CHECK(t.check_constraints()[0].name == "ck_balance");
  CHECK(t.check_constraints()[1].name.empty());
  REQUIRE(t.unique_constraints().size() == 1);
  CHECK(t.unique_constraints()[0].columns == std::vector<std::string>{"email", "balance"});

  retort::Index lower_email("ix_lower_email",
                            std::vector<retort::IndexElement>{{"", retort::func::lower(t.c("email"))}, {"balance", {}}},
                            true);
  lower_email.where(t.c("active") == true).dialect_option("postgresql_using", "btree");
  t.append(lower_email);
  REQUIRE(t.indexes().size() == 1);
  const auto& ix = t.indexes()[0];
  CHECK(ix.name == "ix_lower_email");
  CHECK(ix.unique);
  REQUIRE(ix.elements.size() == 2);
  REQUIRE(ix.elements[0].expression.has_value());
  CHECK(sql_of(*ix.elements[0].expression) == "lower(accounts.email)");
  CHECK(ix.column_names() == std::vector<std::string>{"balance"});
  REQUIRE(ix.where_clause.has_value());
  CHECK(sql_of(*ix.where_clause) == "accounts.active = TRUE");
  CHECK(ix.dialect_options.at("postgresql_using") == "btree");

  // An unnamed index takes the ix convention; an index on an unknown column is refused.
  t.append(retort::Index("", std::vector<std::string>{"balance"}));
  CHECK(t.indexes().back().name == "ix_accounts_balance");
  CHECK_THROWS_AS(t.append(retort::Index("ix_bad", std::vector<std::string>{"nope"})), retort::NoSuchColumnError);
  CHECK_THROWS_AS(retort::Index("ix_empty", std::vector<std::string>{}), retort::ArgumentError);
}

TEST_CASE("TableOptions: schema, comment and dialect options", "[schema]") {
  retort::MetaData md;
  auto& t =
      md.table("orders", retort::Column("id", retort::Integer{}).primary_key(),
               retort::TableOptions{
                   .schema = "sales", .comment = "orders placed", .dialect_options = {{"mysql_engine", "InnoDB"}}});
  CHECK(t.schema() == "sales");
  CHECK(t.fullname() == "sales.orders");
  CHECK(t.comment() == "orders placed");
  CHECK(t.dialect_options().at("mysql_engine") == "InnoDB");
  CHECK(md.contains("sales.orders"));
  CHECK_FALSE(md.contains("orders"));
  CHECK(&md.get("sales.orders") == &t);
  // The same name in another schema is another table.
  auto& plain = md.table("orders", retort::Column("id", retort::Integer{}).primary_key());
  CHECK(&md.get("orders") == &plain);
  CHECK(md.tables().size() == 2);
  CHECK(sql_of(t.c("id")) == "sales.orders.id");
}

TEST_CASE("naming conventions name pk, fk, uq, ck and ix constraints", "[schema]") {
  retort::NamingConvention conv({
      {"pk", "pk_%(table_name)s"},
      {"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"},
      {"uq", "uq_%(table_name)s_%(column_0_N_name)s"},
      {"ck", "ck_%(table_name)s_%(constraint_name)s"},
      {"ix", "ix_%(column_0_label)s"},
  });
  retort::MetaData md(conv);
  md.table("users", retort::Column("id", retort::Integer{}).primary_key());
  auto& t = md.table("orders", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("user_id", retort::Integer{}).references("users.id").index(),
                     retort::Column("code", retort::String{10}).unique(), retort::Column("region", retort::String{10}),
                     retort::UniqueConstraint{{"code", "region"}, ""}, retort::CheckConstraint{"id > 0", "positive_id"},
                     retort::CheckConstraint{"code <> ''", ""});
  CHECK(t.primary_key().name == "pk_orders");
  REQUIRE(t.foreign_keys().size() == 1);
  CHECK(t.foreign_keys()[0].name == "fk_orders_user_id_users");
  REQUIRE(t.unique_constraints().size() == 2);
  CHECK(t.unique_constraints()[0].name == "uq_orders_code");
  CHECK(t.unique_constraints()[1].name == "uq_orders_code_region");
  REQUIRE(t.check_constraints().size() == 2);
  CHECK(t.check_constraints()[0].name == "ck_orders_positive_id");
  // %(constraint_name)s needs a given name: an unnamed check stays unnamed.
  CHECK(t.check_constraints()[1].name.empty());
  REQUIRE(t.indexes().size() == 1);
  CHECK(t.indexes()[0].name == "ix_orders_user_id");
  CHECK(md.naming_convention().templates().at("pk") == "pk_%(table_name)s");

  SECTION("a name given explicitly wins over a template without %(constraint_name)s") {
    auto& u = md.table("named", retort::Column("id", retort::Integer{}), retort::PrimaryKeyConstraint{{"id"}, "my_pk"});
    CHECK(u.primary_key().name == "my_pk");
  }
}

TEST_CASE("naming convention tokens", "[schema]") {
  retort::NamingConvention conv(std::map<std::string, std::string>{{"uq", "x"}});
  auto apply = [](const std::string& tmpl, const std::string& kind = "fk", const std::string& given = "") {
    retort::NamingConvention c(std::map<std::string, std::string>{{kind, tmpl}});
    return c.apply(kind, given, "tbl", {"a", "b"}, "ref", {"ra", "rb"});
  };
  CHECK(apply("%(table_name)s") == "tbl");
  CHECK(apply("%(column_0_name)s") == "a");
  CHECK(apply("%(column_0_label)s") == "tbl_a");
  CHECK(apply("%(column_0N_name)s") == "ab");
  CHECK(apply("%(column_0_N_name)s") == "a_b");
  CHECK(apply("%(column_0N_label)s") == "tbl_atbl_b");
  CHECK(apply("%(column_0_N_label)s") == "tbl_a_tbl_b");
  CHECK(apply("%(referred_table_name)s") == "ref");
  CHECK(apply("%(referred_column_0_name)s") == "ra");
  CHECK(apply("%(referred_column_0N_name)s") == "rarb");
  CHECK(apply("%(referred_column_0_N_name)s") == "ra_rb");
  CHECK(apply("c_%(constraint_name)s", "ck", "given") == "c_given");
  CHECK(apply("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s") == "fk_tbl_a_ref");
  // No template for the kind: the given name is returned untouched.
  CHECK(conv.apply("pk", "keep", "t", {"a"}) == "keep");
  CHECK(conv.apply("pk", "", "t", {"a"}).empty());
  CHECK_THROWS_AS(apply("%(bogus)s"), retort::ArgumentError);
  CHECK_THROWS_WITH(apply("%(bogus)s"), Catch::Contains("bogus"));
  CHECK_THROWS_AS(apply("%(table_name"), retort::ArgumentError);

  retort::NamingConvention sqlalchemy_default;
  CHECK(sqlalchemy_default.templates() == std::map<std::string, std::string>{{"ix", "ix_%(column_0_label)s"}});
  CHECK(sqlalchemy_default.apply("ix", "", "users", {"email"}) == "ix_users_email");
  CHECK(sqlalchemy_default.apply("uq", "", "users", {"email"}).empty());
}

TEST_CASE("an index without a name and without an ix convention is refused", "[schema]") {
  retort::MetaData md(retort::NamingConvention(std::map<std::string, std::string>{}));
  CHECK_THROWS_AS(md.table("t", retort::Column("a", retort::Integer{}).index()), retort::ArgumentError);
}

TEST_CASE("duplicate tables and columns are refused", "[schema]") {
  retort::MetaData md;
  md.table("users", retort::Column("id", retort::Integer{}).primary_key());
  CHECK_THROWS_AS(md.table("users", retort::Column("id", retort::Integer{})), retort::ArgumentError);
  CHECK_THROWS_WITH(md.table("users", retort::Column("id", retort::Integer{})),
                    Catch::Contains("users") && Catch::Contains("already"));
  CHECK_THROWS_AS(md.table("dup", retort::Column("a", retort::Integer{}), retort::Column("a", retort::String{})),
                  retort::ArgumentError);
  CHECK_THROWS_WITH(md.table("dup", retort::Column("a", retort::Integer{}), retort::Column("a", retort::String{})),
                    Catch::Contains("dup") && Catch::Contains("'a'"));
  CHECK_FALSE(md.contains("dup"));  // a failed declaration leaves nothing behind
  CHECK_THROWS_AS(retort::Column("", retort::Integer{}), retort::ArgumentError);
  CHECK_THROWS_AS(md.table("", retort::Column("a", retort::Integer{})), retort::ArgumentError);
}

TEST_CASE("unknown columns and tables raise NoSuch*Error with helpful messages", "[schema]") {
  retort::MetaData md;
  auto& t = md.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("name", retort::String{}));
  CHECK_THROWS_AS(t.column("email"), retort::NoSuchColumnError);
  CHECK_THROWS_WITH(t.column("email"), "table users has no column 'email' (columns: id, name)");
  CHECK_THROWS_AS(t.c("email"), retort::NoSuchColumnError);
  CHECK_THROWS_AS(t.c("email"), retort::InvalidRequestError);
  CHECK_THROWS_AS(md.get("nope"), retort::NoSuchTableError);
  CHECK_THROWS_WITH(md.get("nope"), Catch::Contains("nope"));
  CHECK(md.find("nope") == nullptr);
  CHECK_THROWS_AS(md.remove("nope"), retort::NoSuchTableError);

  auto sub = retort::select(t.c("id")).subquery("s");
  CHECK_THROWS_AS(sub.c("name"), retort::NoSuchColumnError);
  CHECK_THROWS_WITH(sub.c("name"), Catch::Contains("s has no column 'name'"));
}

TEST_CASE("MetaData keeps declaration order and can remove tables", "[schema]") {
  retort::MetaData md;
  md.table("b", retort::Column("id", retort::Integer{}));
  md.table("a", retort::Column("id", retort::Integer{}));
  md.table("c", retort::Column("id", retort::Integer{}));
  CHECK(names_of(md.tables()) == std::vector<std::string>{"b", "a", "c"});
  md.remove("a");
  CHECK(names_of(md.tables()) == std::vector<std::string>{"b", "c"});
  CHECK(md.get("c").name() == "c");
  CHECK_FALSE(md.contains("a"));
}

TEST_CASE("sorted_tables puts referenced tables first", "[schema]") {
  retort::MetaData md;
  md.table("items", retort::Column("id", retort::Integer{}).primary_key(),
           retort::Column("order_id", retort::Integer{}).references("orders.id"),
           retort::Column("product_id", retort::Integer{}).references("products.id"));
  md.table("orders", retort::Column("id", retort::Integer{}).primary_key(),
           retort::Column("user_id", retort::Integer{}).references("users.id"));
  md.table("users", retort::Column("id", retort::Integer{}).primary_key(),
           retort::Column("manager_id", retort::Integer{}).references("users.id"));
  md.table("products", retort::Column("id", retort::Integer{}).primary_key());
  md.table("audit", retort::Column("id", retort::Integer{}).primary_key(),
           retort::Column("ext", retort::Integer{}).references("elsewhere.id"));
  auto sorted = names_of(md.sorted_tables());
  REQUIRE(sorted.size() == 5);
  auto pos = [&](const std::string& n) { return std::find(sorted.begin(), sorted.end(), n) - sorted.begin(); };
  CHECK(pos("users") < pos("orders"));
  CHECK(pos("orders") < pos("items"));
  CHECK(pos("products") < pos("items"));
  // Stable: with no dependency between them, declaration order is kept.
  CHECK(sorted == std::vector<std::string>{"users", "orders", "products", "items", "audit"});
  // A self-reference is no dependency and no cycle.
  auto result = retort::sort_tables_and_constraints(md.tables());
  CHECK(result.cyclic_foreign_keys.empty());
  for (const auto* t : md.tables())
    for (const auto& fk : t->foreign_keys()) CHECK_FALSE(fk.use_alter);
}

TEST_CASE("a foreign-key cycle is broken by marking one foreign key use_alter", "[schema]") {
  retort::MetaData md;
  auto& a = md.table("a", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("b_id", retort::Integer{}).references("b.id"));
  auto& b = md.table("b", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("a_id", retort::Integer{}).references("a.id"));

  auto reported = retort::sort_tables_and_constraints(md.tables());
  REQUIRE(reported.tables.size() == 2);
  REQUIRE(reported.cyclic_foreign_keys.size() == 1);
  const auto [table, index] = reported.cyclic_foreign_keys[0];
  CHECK((table == &a || table == &b));

  auto sorted = md.sorted_tables();
  REQUIRE(sorted.size() == 2);
  int marked = 0;
  for (const auto* t : {&a, &b})
    for (const auto& fk : t->foreign_keys()) marked += fk.use_alter ? 1 : 0;
  CHECK(marked == 1);
  CHECK(table->foreign_keys()[index].use_alter);
  // The table whose foreign key is deferred comes first; the other one follows it.
  CHECK(sorted[0] == table);

  // Sorting again reports the same foreign key (now marked) and keeps the order.
  auto again = retort::sort_tables_and_constraints(md.tables());
  REQUIRE(again.cyclic_foreign_keys.size() == 1);
  CHECK(again.cyclic_foreign_keys[0] == reported.cyclic_foreign_keys[0]);
  CHECK(again.tables == sorted);
}

TEST_CASE("only foreign keys inside a cycle are marked use_alter", "[schema]") {
  retort::MetaData md;
  // c depends on a but is not part of the a <-> b cycle; it is declared first.
  auto& c = md.table("c", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("a_id", retort::Integer{}).references("a.id"));
  md.table("a", retort::Column("id", retort::Integer{}).primary_key(),
           retort::Column("b_id", retort::Integer{}).references("b.id"));
  md.table("b", retort::Column("id", retort::Integer{}).primary_key(),
           retort::Column("a_id", retort::Integer{}).references("a.id"));
  auto reported = retort::sort_tables_and_constraints(md.tables());
  CHECK(reported.cyclic_foreign_keys.size() == 1);
  for (const auto& [table, index] : reported.cyclic_foreign_keys) CHECK(table != &c);
  auto sorted = names_of(md.sorted_tables());
  auto pos = [&](const std::string& n) { return std::find(sorted.begin(), sorted.end(), n) - sorted.begin(); };
  CHECK(pos("a") < pos("c"));
  CHECK_FALSE(c.foreign_keys()[0].use_alter);
}

TEST_CASE("a table is a FROM element with bound column expressions", "[schema]") {
  retort::MetaData md;
  auto& t = md.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("name", retort::String{20}));
  auto id = t.c("id");
  REQUIRE(id.node()->kind() == retort::NodeKind::Column);
  CHECK(id.type() == retort::SqlType(retort::Integer{}));
  CHECK(t.c("name").type() == retort::SqlType(retort::String{20}));
  CHECK(sql_of(id) == "users.id");
  // The same column twice is the same node.
  CHECK(t.c("id").node() == id.node());
  auto cols = retort::From(t).columns();
  CHECK(cols.names == std::vector<std::string>{"id", "name"});
}
