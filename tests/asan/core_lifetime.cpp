// Core's lifetime rules under AddressSanitizer (issue 13 item 1), in CI: this program and the core
// and SQLite sources it is built from are instrumented (tests/asan/CMakeLists.txt), so a statement
// that reads a freed Table, Column or MetaData stops it with a report and a non-zero exit.
//   core_lifetime            the checks below; prints "lifetime ok" and exits 0
//   core_lifetime --control  reads freed memory on purpose: ASan must stop it (the control test)
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <retort/core.hpp>

namespace {

int failures = 0;
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

// The case: a helper declares its tables in a local MetaData and returns statements over
// them; the MetaData, and every Table reference the caller might have kept, are gone at return.
struct Statements {
  retort::Select by_author;
  retort::Insert add_post;
  retort::Update retitle;
  retort::Delete remove;
};

Statements statements() {
  retort::MetaData metadata;
  auto& users = metadata.table("users", retort::Column("id", retort::Integer{}).primary_key(),
                               retort::Column("name", retort::String{40}).not_null());
  auto& posts =
      metadata.table("posts", retort::Column("id", retort::Integer{}).primary_key(),
                     retort::Column("user_id", retort::Integer{}).references("users.id"),
                     retort::Column("title", retort::String{80}), retort::Column("price", retort::Numeric{8, 2}));
  return {retort::select(posts.c("title"), posts.c("price"))
              .where(posts.c("user_id") == users.c("id"))
              .where(users.c("name") == retort::bindparam("author"))
              .order_by(posts.c("id")),
          retort::insert(posts), retort::update(posts).values({{"title", "edited"}}).where(posts.c("id") == 1),
          retort::delete_(posts).where(posts.c("title") == nullptr)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--control") == 0) {
    auto* freed = new std::string("freed");
    delete freed;
    return static_cast<int>(freed->size());  // a heap use after free: ASan must stop here
  }
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  conn.execute_script(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), title VARCHAR(80), "
      "price NUMERIC(8, 2));"
      "INSERT INTO users VALUES (1, 'ann'), (2, 'bob')");

  auto made = std::make_unique<Statements>(statements());  // compiled and run only now, after
                                                           // their MetaData is gone
  conn.execute(made->add_post, {{{"id", 1}, {"user_id", 1}, {"title", "first"}, {"price", 2.5}},
                                {{"id", 2}, {"user_id", 2}, {"title", "other"}, {"price", nullptr}},
                                {{"id", 3}, {"user_id", 1}, {"title", nullptr}, {"price", 4}}});
  auto rows = conn.execute(made->by_author, {{"author", "ann"}}).all();
  check(rows.size() == 2, "two posts by ann");
  check(rows.size() == 2 && rows[0].get<retort::Decimal>("price") == retort::Decimal("2.50"), "price 2.50");
  check(conn.execute(made->retitle).rowcount() == 1, "one post retitled");
  check(conn.execute(made->remove).rowcount() == 1, "the untitled post removed");
  std::string printed = made->by_author.compile(engine).sql;
  check(printed.find("FROM posts, users") != std::string::npos, "the FROM list comes from the columns");

  // A copy outlives the original; resetting every handle frees the tables (nothing leaks: the
  // leak checker runs at exit).
  retort::Select kept = made->by_author;
  made.reset();
  check(conn.execute(kept, {{"author", "ann"}}).all().size() == 1, "the copy still runs");
  if (failures != 0) return 1;
  std::printf("lifetime ok\n");
  return 0;
}
