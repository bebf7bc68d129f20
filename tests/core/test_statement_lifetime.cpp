// A statement keeps alive what it references: one built over a function's local MetaData stays
// valid after the function returns (issue 13 item 1; the sanitizer run reads freed memory when it
// does not), and the table goes once the last statement over it does.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include <retort/core/sql/compiler.hpp>
#include <retort/retort.hpp>

namespace {

struct Built {
  retort::Select statement;
  std::weak_ptr<const retort::Table> table;
};

/// The users/posts program's helper: declares its tables and returns a query over them.
Built posts_by(const std::string& author) {
  retort::MetaData metadata;
  auto& users = metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                               retort::Column("name", retort::String{40}).not_null());
  auto& posts = metadata.table("posts", retort::Column("id", retort::Integer{}).primary_key(),
                               retort::Column("user_id", retort::Integer{}).references("users.id"),
                               retort::Column("title", retort::String{80}));
  // No select_from: the FROM list comes from the columns alone, which are all that hold the tables.
  auto statement = retort::select(posts.c("title"))
                       .where(posts.c("user_id") == users.c("id"))
                       .where(users.c("name") == author)
                       .order_by({posts.c("id")});
  return {statement, users.shared_from_this()};
}

}  // namespace

TEST_CASE("a statement outlives the MetaData its tables came from", "[core][lifetime]") {
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  conn.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)");
  conn.exec_driver_sql(
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), title "
      "VARCHAR(80))");
  conn.exec_driver_sql("INSERT INTO users VALUES (1, 'ann'), (2, 'bob')");
  conn.exec_driver_sql("INSERT INTO posts VALUES (1, 1, 'first'), (2, 2, 'other'), (3, 1, 'second')");

  auto built = posts_by("ann");
  CHECK_FALSE(built.table.expired());  // the statement holds the table, not the gone MetaData
  auto titles = conn.execute(built.statement).scalars<std::string>();
  CHECK(titles == std::vector<std::string>{"first", "second"});
  CHECK(engine.dialect().statement_compiler()->compile(*built.statement.node(), {}).sql.find("FROM posts, users") !=
        std::string::npos);

  built.statement = retort::Select{};
  CHECK(built.table.expired());  // and nothing else does: no cycle keeps it
}

TEST_CASE("a Table that nothing owns is refused by statements with a retort error", "[core][lifetime]") {
  // Statements hold their tables; one constructed on its own cannot be held, and used to throw
  // std::bad_weak_ptr from shared_from_this().
  retort::Table loose("loose", nullptr);
  loose.append(retort::Column("id", retort::Integer{}).primary_key());
  CHECK_THROWS_AS(retort::insert(loose), retort::ArgumentError);
  CHECK_THROWS_WITH(retort::CreateTable(loose), Catch::Contains("MetaData::table"));
  CHECK_THROWS_AS(loose.alias("l"), retort::ArgumentError);
  auto owned = std::make_shared<retort::Table>("owned", nullptr);
  owned->append(retort::Column("id", retort::Integer{}).primary_key());
  CHECK(retort::insert(*owned).compile().sql.find("INSERT INTO owned") != std::string::npos);
}
