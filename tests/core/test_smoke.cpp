// End-to-end smoke test of the Core toolkit on a SQLite file.
#include <catch2/catch.hpp>

#include <retort/retort.hpp>

#include "support/temp_database.hpp"

TEST_CASE("create, insert, join and aggregate on a SQLite file", "[sqlite][core]") {
  retort::testing::TempDatabase db;
  retort::MetaData metadata;
  auto& users = metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                               retort::Column("name", retort::String{50}).not_null());
  auto& posts = metadata.table("posts", retort::Column("id", retort::Integer{}).primary_key(),
                               retort::Column("user_id", retort::Integer{}).references("users.id"),
                               retort::Column("title", retort::Text{}));
  auto engine = retort::create_engine(db.url());
  metadata.create_all(engine);
  auto conn = engine.connect();
  conn.execute(retort::insert(users).values({{"name", "alice"}}));
  conn.execute(retort::insert(users).values({{"name", "bob"}}));
  conn.execute(retort::insert(posts), std::vector<retort::Params>{{{"user_id", 1}, {"title", "a"}},
                                                                  {{"user_id", 1}, {"title", "b"}},
                                                                  {{"user_id", 2}, {"title", "c"}}});
  auto rows = conn.execute(retort::select(users.c("name"), retort::func::count(posts.c("id")).label("n"))
                               .select_from(users.join(posts))
                               .group_by({users.c("name")})
                               .order_by({users.c("name")}))
                  .all();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].get<std::string>("name") == "alice");
  CHECK(rows[0].get<int>("n") == 2);
  CHECK(rows[1].get<std::string>(0) == "bob");
  CHECK(rows[1].get<int>(1) == 1);
}
