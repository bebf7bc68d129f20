// Reflection in core, without a database: the Inspector's per-schema cache and its errors (over a
// fake dialect that counts reflect_schema calls), the normalisation helpers, and the rules of
// schema_differences on hand-written reflected records.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/normalize.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/retort.hpp>

namespace {

using Names = std::vector<std::string>;
std::atomic<int> reflect_calls{0};

class NoCursor final : public retort::DriverCursor {
 public:
  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<retort::Value>&) override { return false; }
  std::int64_t rows_affected() const override { return 0; }
  void close() override {}

 private:
  std::vector<std::string> names_;
};

class NoConnection final : public retort::DriverConnection {
 public:
  std::unique_ptr<retort::DriverCursor> execute(std::string_view, std::span<const retort::Value* const>) override {
    return std::make_unique<NoCursor>();
  }
  void execute_script(std::string_view) override {}
  bool ping() override { return true; }
  bool in_transaction() const override { return false; }
  void close() override {}
};

class TypeNames final : public retort::TypeCompiler {};

/// Holds two schemas: the default ("public": table a) and "sales" (table b).
class FakeDialect final : public retort::Dialect {
 public:
  FakeDialect() : preparer_('"', '"', retort::common_reserved_words()) {}
  std::string name() const override { return "fakereflect"; }
  std::string driver_name() const override { return "none"; }
  const retort::IdentifierPreparer& preparer() const override { return preparer_; }
  const retort::TypeCompiler& type_compiler() const override { return types_; }
  std::unique_ptr<retort::DriverConnection> connect(const retort::URL&) const override {
    return std::make_unique<NoConnection>();
  }
  bool has_table(retort::DriverConnection&, const std::string&, const std::optional<std::string>&) const override {
    return false;
  }
  std::vector<std::string> schema_names(retort::DriverConnection&) const override { return {"public", "sales"}; }
  retort::ReflectedSchema reflect_schema(retort::DriverConnection&, const std::optional<std::string>& schema,
                                         const retort::ReflectOptions&) const override {
    ++reflect_calls;
    if (schema && *schema != "sales") throw retort::ArgumentError("unknown schema '" + *schema + "'");
    retort::ReflectedSchema s;
    s.schema = schema.value_or("public");
    s.queries = 3;
    retort::ReflectedTable t;
    t.schema = schema;
    t.name = schema ? "b" : "a";
    t.comment = "the " + t.name;
    retort::ReflectedColumn id;
    id.name = "id";
    id.type = retort::Integer{};
    id.nullable = false;
    t.columns.push_back(id);
    t.primary_key = {"pk_" + t.name, {"id"}};
    s.tables.push_back(t);
    s.views.push_back({schema, "v", "SELECT 1"});
    s.sequences.push_back({schema, "seq", 1, 1});
    s.enums.push_back({schema, "mood", {"happy", "sad"}});
    return s;
  }

 private:
  retort::IdentifierPreparer preparer_;
  TypeNames types_;
};

retort::Engine fake_engine() {
  static bool registered = [] {
    retort::DialectRegistry::instance().add("fakereflect", [] { return std::make_unique<FakeDialect>(); });
    return true;
  }();
  (void)registered;
  return retort::create_engine("fakereflect://host/db");
}

retort::ReflectedColumn reflected_column(std::string name, retort::SqlType type, bool nullable = true,
                                         std::optional<std::string> default_sql = std::nullopt) {
  retort::ReflectedColumn c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.nullable = nullable;
  c.default_sql = std::move(default_sql);
  return c;
}

}  // namespace

TEST_CASE("the Inspector reflects each schema once and answers from its cache", "[reflection]") {
  auto engine = fake_engine();
  auto conn = engine.connect();
  retort::Inspector inspector(conn);
  int before = reflect_calls;

  CHECK(inspector.get_schema_names() == Names{"public", "sales"});
  CHECK(inspector.default_schema_name() == "public");
  CHECK(inspector.get_table_names() == Names{"a"});
  CHECK(inspector.get_columns("a").at(0).name == "id");
  CHECK(inspector.get_pk_constraint("a").name == "pk_a");
  CHECK(inspector.get_table_comment("a") == "the a");
  CHECK(inspector.get_view_names() == Names{"v"});
  CHECK(inspector.get_view_definition("v") == "SELECT 1");
  CHECK(inspector.get_sequence_names() == Names{"seq"});
  CHECK(inspector.get_enums().at(0).values == Names{"happy", "sad"});
  CHECK(inspector.has_table("a"));
  CHECK_FALSE(inspector.has_table("b"));
  CHECK(reflect_calls - before == 1);

  CHECK(inspector.get_table_names("sales") == Names{"b"});
  CHECK(inspector.get_foreign_keys("b", "sales").empty());
  CHECK(inspector.get_indexes("b", "sales").empty());
  CHECK(inspector.get_unique_constraints("b", "sales").empty());
  CHECK(inspector.get_check_constraints("b", "sales").empty());
  CHECK(reflect_calls - before == 2);

  CHECK_THROWS_AS(inspector.get_columns("b"), retort::NoSuchTableError);
  CHECK_THROWS_WITH(inspector.get_columns("b"), Catch::Contains("'b'") && Catch::Contains("'public'"));
  CHECK_THROWS_WITH(inspector.get_table("zz", "sales"), Catch::Contains("'zz'") && Catch::Contains("'sales'"));
  CHECK_THROWS_AS(inspector.get_view_definition("nope"), retort::NoSuchTableError);
  CHECK_THROWS_AS(inspector.reflect("elsewhere"), retort::ArgumentError);
  CHECK(reflect_calls - before == 3);

  inspector.clear_cache();
  inspector.get_table_names();
  CHECK(reflect_calls - before == 4);
}

TEST_CASE("MetaData::reflect builds tables from the records", "[reflection]") {
  auto engine = fake_engine();
  retort::MetaData metadata;
  metadata.reflect(engine, "sales");
  const auto& b = metadata.get("sales.b");
  CHECK(b.schema() == "sales");
  CHECK(b.comment() == "the b");
  CHECK(b.primary_key().columns == Names{"id"});
  CHECK(b.primary_key().name == "pk_b");
  CHECK_FALSE(b.column("id").is_nullable());
  CHECK_THROWS_AS(metadata.reflect(engine, std::nullopt, {"missing"}), retort::NoSuchTableError);
}

TEST_CASE("SQL text and defaults are normalised for comparison", "[reflection]") {
  CHECK(retort::normalize_sql("((a  >\n 0))") == "a > 0");
  CHECK(retort::normalize_sql("(a) + (b)") == "(a) + (b)");
  CHECK(retort::normalize_sql("lower( \"x  y\" )") == "lower(\"x  y\")");
  CHECK(retort::normalize_default("('draft')") == "draft");
  CHECK(retort::normalize_default("'it''s'") == "it's");
  CHECK(retort::normalize_default("'a' || 'b'") == "'a' || 'b'");
  CHECK(retort::normalize_default("(abs(-1))") == "abs(-1)");
  CHECK(retort::normalize_default("CURRENT_TIMESTAMP") == "CURRENT_TIMESTAMP");
}

TEST_CASE("schema_differences applies the round-trip rules", "[reflection]") {
  auto dialect = retort::make_default_dialect();
  retort::MetaData declared;
  retort::ForeignKey key;
  key.target = "users.id";
  key.ondelete = "NO ACTION";
  declared.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                 retort::Column("email", retort::String{100}).not_null().unique(),
                 retort::Column("state", retort::String{10}).server_default("new"),
                 retort::Column("boss", retort::Integer{}).references(key), retort::CheckConstraint{"id > 0", ""},
                 retort::Index("ix_state", Names{"state"}).where(retort::column("state") != "gone"));

  retort::ReflectedSchema reflected;
  reflected.schema = "public";
  retort::ReflectedTable users;
  users.name = "users";
  users.columns = {
      reflected_column("id", retort::Integer{}, false), reflected_column("email", retort::String{100}, false),
      reflected_column("state", retort::String{10}, true, "('new')"), reflected_column("boss", retort::Integer{})};
  users.columns[0].autoincrement = true;
  users.primary_key = {"users_pkey", {"id"}};  // named by the database: the declaration names none
  users.foreign_keys.push_back({"users_boss_fkey", {"boss"}, std::nullopt, "users", {"id"}, "", "", {}, ""});
  users.unique_constraints.push_back({"users_email_key", {"email"}});
  users.check_constraints.push_back({"users_id_check", "(id > 0)"});
  retort::ReflectedIndex ix;
  ix.name = "ix_state";
  ix.columns = {"state"};
  ix.where = "(state != 'gone')";
  users.indexes.push_back(ix);
  reflected.tables.push_back(users);

  auto differences = retort::schema_differences(declared, reflected, *dialect);
  INFO(fmt::format("{}", fmt::join(differences, "\n")));
  CHECK(differences.empty());

  SECTION("each kind of change is reported") {
    auto& t = reflected.tables[0];
    t.columns[1].type = retort::String{50};
    t.columns[2].nullable = false;
    t.columns[2].default_sql = "'old'";
    t.columns[0].autoincrement = false;
    t.columns.push_back(reflected_column("extra", retort::Text{}));
    t.foreign_keys[0].ondelete = "CASCADE";
    t.unique_constraints.clear();
    t.check_constraints[0].sqltext = "id > 1";
    t.indexes[0].where.reset();
    t.indexes[0].unique = true;
    retort::ReflectedTable other;
    other.name = "other";
    reflected.tables.push_back(other);
    auto changes = retort::schema_differences(declared, reflected, *dialect);
    INFO(fmt::format("{}", fmt::join(changes, "\n")));
    auto mentions = [&](const std::string& text) {
      return std::any_of(changes.begin(), changes.end(), [&](const retort::SchemaDifference& c) {
        return describe(c).find(text) != std::string::npos;
      });
    };
    CHECK(mentions("column email: type VARCHAR(100) declared, VARCHAR(50) reflected"));
    CHECK(mentions("column state: nullable NULL declared, NOT NULL reflected"));
    CHECK(mentions("column state: default 'new' declared, 'old' reflected"));
    CHECK(mentions("column id: autoincrement declared, not reflected"));
    CHECK(mentions("column extra reflected but not declared"));
    CHECK(mentions("ON DELETE"));
    CHECK(mentions("unique constraint (email) declared but not reflected"));
    CHECK(mentions("check constraint (id > 0) declared but not reflected"));
    CHECK(mentions("check constraint (id > 1) reflected but not declared"));
    CHECK(mentions("index ix_state: UNIQUE reflected"));
    CHECK(mentions("index ix_state: WHERE"));
    CHECK(mentions("table other: reflected but not declared"));
    CHECK(changes.size() == 12);
  }

  SECTION("declared names are compared, database-chosen ones are not") {
    retort::MetaData named;
    named.table("users", retort::Column("id", retort::Integer{}), retort::PrimaryKeyConstraint{{"id"}, "pk_users"});
    retort::ReflectedTable t;
    t.name = "users";
    t.columns = {reflected_column("id", retort::Integer{}, false)};
    t.columns[0].autoincrement = true;
    t.primary_key = {"users_pkey", {"id"}};
    auto changes = retort::table_differences(named.get("users"), t, *dialect);
    REQUIRE(changes.size() == 1);
    CHECK(describe(changes[0]) == "table users: primary key: name 'pk_users' declared, 'users_pkey' reflected");
    CHECK(changes[0].change == retort::SchemaChange::Changed);
    CHECK(changes[0].object == retort::SchemaObject::PrimaryKey);
    CHECK(changes[0].attribute == "name");
  }

  SECTION("types the dialect spells alike are equal; CHAR(n) reads back as String{n}") {
    retort::MetaData types;
    types.table("t", retort::Column("id", retort::BigInteger{}).primary_key(), retort::Column("u", retort::UUID{}),
                retort::Column("at", retort::DateTime{true}));
    retort::ReflectedTable t;
    t.name = "t";
    t.columns = {reflected_column("id", retort::Integer{}, false), reflected_column("u", retort::String{36}),
                 reflected_column("at", retort::DateTime{true})};
    t.columns[0].autoincrement = true;  // rule 2b
    t.primary_key.columns = {"id"};
    auto changes = retort::table_differences(types.get("t"), t, *dialect);
    // The generic dialect spells UUID as UUID, not CHAR(36): only rule 2b applies.
    REQUIRE(changes.size() == 1);
    CHECK(describe(changes[0]) == "table t: column u: type UUID declared, VARCHAR(36) reflected");
    CHECK(changes[0].object == retort::SchemaObject::Column);
    CHECK(changes[0].name == "u");
    CHECK(changes[0].declared == std::optional<std::string>("UUID"));
  }
}
