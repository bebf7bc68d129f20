// The Core guide (docs/core-guide.md) as one program. Every snippet of the guide is a region of
// this file between `// [guide:NAME]` and `// [/guide]`; the tests check that the two agree and
// run the program on SQLite, PostgreSQL and MariaDB, comparing its output.
//   core_guide [URL]        (default: sqlite:///core_guide.db, replaced on each run)
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

// [guide:include]
#include <retort/retort.hpp>  // Core as retort::Name, the migration commands as retort::migrate::...
// [/guide]

namespace {

// [guide:tables]
struct Blog {
  retort::MetaData metadata;
  retort::Table& users = metadata.table(
      "users", retort::Column("id", retort::Integer{}).primary_key(),
      retort::Column("email", retort::String{120}).not_null().unique(), retort::Column("name", retort::String{80}),
      retort::Column("active", retort::Boolean{}).server_default(true), retort::Column("joined", retort::Date{}));
  retort::Table& posts = metadata.table(
      "posts", retort::Column("id", retort::Integer{}).primary_key(),
      retort::Column("user_id", retort::Integer{}).not_null().references({.target = "users.id", .ondelete = "CASCADE"}),
      retort::Column("title", retort::String{200}).not_null(), retort::Column("views", retort::Integer{}).index());
};
// [/guide]

void run(const std::string& url) {
  // [guide:engine]
  retort::Engine engine = retort::create_engine(url);  // no connection is opened yet
  // [/guide]
  Blog blog;
  auto& users = blog.users;
  auto& posts = blog.posts;
  blog.metadata.drop_all(engine);  // a rerun starts afresh

  // [guide:create_all]
  blog.metadata.create_all(engine);  // CREATE TABLE and CREATE INDEX, parents first
  // [/guide]

  // [guide:insert]
  auto conn = engine.connect();
  conn.execute(retort::insert(users).values(
      {{"id", 1}, {"email", "ann@example.org"}, {"name", "Ann"}, {"joined", retort::LocalDate{2024, 2, 29}}}));
  // Many rows: one execute, sent as multi-row INSERTs where the database has them.
  conn.execute(retort::insert(users), {{{"id", 2}, {"email", "bob@example.org"}, {"name", "Bob"}},
                                       {{"id", 3}, {"email", "cy@example.org"}, {"name", nullptr}}});
  std::vector<retort::Params> rows;
  for (int i = 1; i <= 6; ++i)
    rows.push_back({{"id", i}, {"user_id", i % 3 + 1}, {"title", fmt::format("Post {}", i)}, {"views", i * 10}});
  auto inserted = conn.execute(retort::insert(posts), rows);
  fmt::print("inserted {} posts\n", inserted.rowcount());
  // [/guide]

  // [guide:select]
  auto popular = retort::select(posts.c("title"), posts.c("views"))
                     .where(posts.c("views") >= 30 && posts.c("title").like("Post %"))
                     .order_by(posts.c("views").desc())
                     .limit(2);
  for (const retort::Row& row : conn.execute(popular))
    fmt::print("{} has {} views\n", row.get<std::string>("title"), row.get<int>("views"));
  // [/guide]

  // [guide:results]
  auto by_id = [&](int id) {
    return retort::select(users.c("name"), users.c("active"), users.c("joined")).where(users.c("id") == id);
  };
  retort::Row ann = conn.execute(by_id(1)).one();  // NoResultFound or MultipleResultsFound otherwise
  bool active = ann.get<bool>("active");           // a bool on every database (SQLite sends 1)
  retort::LocalDate joined = ann.get<retort::LocalDate>("joined");
  std::optional<std::string> no_name = conn.execute(by_id(3)).one().get<std::optional<std::string>>(0);
  std::optional<retort::Row> nobody = conn.execute(by_id(99)).first();  // std::nullopt: no row
  std::vector<std::string> names =
      conn.execute(retort::select(users.c("name")).where(users.c("name") != nullptr).order_by(users.c("id")))
          .scalars<std::string>();
  auto total = conn.execute(retort::select(retort::func::count()).select_from(posts)).scalar_one<int>();
  fmt::print("{} {} {} {} {} {} {}\n", ann.get<std::string>("name"), active, joined.str(), no_name.has_value(),
             nobody.has_value(), fmt::join(names, ","), total);
  // [/guide]

  // [guide:joins]
  auto author = retort::func::coalesce(users.c("name"), users.c("email")).label("author");
  auto per_author = retort::select(author, retort::func::count(posts.c("id")).label("posts"),
                                   retort::func::sum(posts.c("views")).label("views"))
                        .select_from(users.outerjoin(posts))  // ON from the foreign key
                        .group_by(users.c("id"))
                        .having(retort::func::count(posts.c("id")) > 0)
                        .order_by(users.c("id"));
  for (const auto& row : conn.execute(per_author))
    fmt::print("{}: {} posts, {} views\n", row.get<std::string>("author"), row.get<int>("posts"),
               row.get<int>("views"));

  // A subquery in FROM, a CTE, and EXISTS.
  auto busy = retort::select(posts.c("user_id")).where(posts.c("views") > 40).subquery("busy");
  auto busy_emails = retort::select(users.c("email"))
                         .select_from(users.join(busy, users.c("id") == busy.c("user_id")))
                         .order_by(users.c("id"));
  auto top = retort::select(posts.c("id"), posts.c("views")).where(posts.c("views") >= 50).cte("top");
  auto top_count = retort::select(retort::func::count()).select_from(top);
  auto writers = retort::select(users.c("id"))
                     .where(retort::exists(retort::select(posts.c("id")).where(posts.c("user_id") == users.c("id"))))
                     .order_by(users.c("id"));
  fmt::print("busy: {}; top posts: {}; writers: {}\n", fmt::join(conn.execute(busy_emails).scalars<std::string>(), ","),
             conn.execute(top_count).scalar_one<int>(), fmt::join(conn.execute(writers).scalars<int>(), ","));
  // [/guide]

  // [guide:update_delete]
  auto bumped =
      conn.execute(retort::update(posts).values({{"views", posts.c("views") + 1}}).where(posts.c("user_id") == 2));
  auto removed = conn.execute(retort::delete_(posts).where(posts.c("views") < 20));
  fmt::print("bumped {}, removed {}\n", bumped.rowcount(), removed.rowcount());
  if (engine.dialect().features().supports_returning) {
    auto renamed = conn.execute(retort::update(users)
                                    .values({{"name", "Cy"}})
                                    .where(users.c("id") == 3)
                                    .returning(users.c("id"), users.c("name")));
    fmt::print("renamed: {}\n", renamed.one().get<std::string>("name"));
  } else {
    conn.execute(retort::update(users).values({{"name", "Cy"}}).where(users.c("id") == 3));
    fmt::print("renamed: {}\n", "Cy");
  }
  // [/guide]

  // [guide:upsert]
  const auto& features = engine.dialect().features();
  auto row = retort::insert(users).values({{"id", 2}, {"email", "bob@example.org"}, {"name", "Robert"}});
  auto set = retort::Assignments{{"name", retort::excluded("name")}};
  if (features.supports_on_conflict)  // PostgreSQL, SQLite
    conn.execute(row.on_conflict_do_update({"email"}, set));
  else if (features.supports_on_duplicate_key_update)  // MySQL, MariaDB
    conn.execute(row.on_duplicate_key_update(set));
  fmt::print("user 2 is now {}\n", conn.execute(by_id(2)).one().get<std::string>("name"));
  // [/guide]

  // [guide:transactions]
  {
    auto tx = conn.begin();  // BEGIN
    conn.execute(retort::insert(posts).values({{"id", 10}, {"user_id", 1}, {"title", "Draft"}}));
    {
      auto savepoint = conn.begin_nested();  // SAVEPOINT
      conn.execute(retort::insert(posts).values({{"id", 11}, {"user_id", 1}, {"title", "Scrap"}}));
    }             // not committed: ROLLBACK TO SAVEPOINT
    tx.commit();  // COMMIT: Draft stays, Scrap does not
  }
  try {
    engine.transaction([&](retort::Connection& c) {
      c.execute(retort::insert(posts).values({{"id", 12}, {"user_id", 1}, {"title", "Lost"}}));
      c.execute(retort::insert(posts).values({{"id", 12}, {"user_id", 1}, {"title", "Duplicate"}}));
    });  // the IntegrityError rolls the whole function back
  } catch (const retort::IntegrityError&) {
  }
  // [/guide]

  // [guide:commit_as_you_go]
  auto as_you_go = retort::create_engine(url, {.autobegin = true});
  {
    auto c = as_you_go.connect();
    c.execute(retort::update(posts).values({{"title", "Final"}}).where(posts.c("id") == 10));  // BEGIN, UPDATE
    c.commit();                                                                                // COMMIT
    c.execute(retort::delete_(posts).where(posts.c("id") == 10));                              // BEGIN, DELETE
    c.rollback();                                                                              // ROLLBACK
  }
  auto titles = retort::select(posts.c("title")).where(posts.c("user_id") == 1).order_by(posts.c("id"));
  fmt::print("user 1 wrote: {}\n", fmt::join(conn.execute(titles).scalars<std::string>(), ", "));
  // [/guide]
  as_you_go.dispose();

  // [guide:text]
  auto counted = conn.execute(retort::text("SELECT count(*) FROM posts WHERE views > :least"), {{"least", 40}});
  fmt::print("more than 40 views: {}\n", counted.scalar_one<int>());
  // [/guide]

  // [guide:printing]
  auto query = retort::select(users.c("name")).where(users.c("id") == 5);
  std::cout << query << "\n";  // generic SQL, as str(stmt): ... WHERE users.id = :param_1
  retort::CompiledStatement compiled = query.compile(engine);  // in this database's spelling
  fmt::print("binds {} = {}\n", compiled.params.items().at(0).first, compiled.params.items().at(0).second.repr());
  fmt::print("{}\n", query.compile("postgresql", {.literal_binds = true}).sql);
  // [/guide]

  // [guide:reflection]
  retort::Inspector inspector(engine);
  std::vector<std::string> columns;
  for (const auto& column : inspector.get_columns("posts")) columns.push_back(column.name);
  fmt::print("posts: {}\n", fmt::join(columns, ", "));
  retort::MetaData reflected;
  reflected.reflect(engine);
  const retort::Table& found = reflected.get("users");
  fmt::print("reflected users has {} columns\n", found.columns().size());
  // [/guide]

  // [guide:events]
  int statements = 0;
  engine.events().before_execute([&](const retort::StatementEvent&) { ++statements; });
  conn.execute(by_id(1)).one();
  fmt::print("statements seen: {}\n", statements);
  // [/guide]

  // [guide:errors]
  try {
    conn.execute(retort::insert(users).values({{"id", 4}, {"email", "ann@example.org"}}));
  } catch (const retort::IntegrityError& e) {  // a DBAPIError: it names the statement
    fmt::print("refused: {}\n", e.statement().substr(0, 17));
  }
  try {
    retort::create_engine("postgresql://app:secret@localhost:port/db");
  } catch (const retort::Error& e) {  // every retort error; the password never appears
    fmt::print("bad URL: {}\n", std::string(e.what()).find("secret") == std::string::npos ? "masked" : "leaked");
  }
  // [/guide]

  conn.close();
  blog.metadata.drop_all(engine);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "sqlite:///core_guide.db";
  try {
    run(url);
  } catch (const retort::Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
