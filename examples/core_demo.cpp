// The Core toolkit on an embedded SQLite file: declare tables, create them, insert rows,
// and query with a join and an aggregate.
//   core_demo [path/to/demo.db]
#include <cstdio>

#include <fmt/format.h>

#include <retort/core/sql/statement_formatter.hpp>  // fmt::print("{}", stmt)
#include <retort/retort.hpp>

int main(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : "retort_demo.db";
  std::remove(path.c_str());
  try {
    retort::MetaData metadata;
    auto& authors = metadata.table("authors", retort::Column("id", retort::Integer{}).primary_key(),
                                   retort::Column("name", retort::String{100}).not_null().unique());
    auto& books = metadata.table("books", retort::Column("id", retort::Integer{}).primary_key(),
                                 retort::Column("author_id", retort::Integer{}).not_null().references("authors.id"),
                                 retort::Column("title", retort::String{200}).not_null(),
                                 retort::Column("pages", retort::Integer{}).not_null().index());

    auto engine = retort::create_engine("sqlite:///" + path);
    metadata.create_all(engine);
    fmt::print("created {} in {}\n", "authors, books", path);

    auto conn = engine.connect();
    {
      auto tx = conn.begin();
      conn.execute(retort::insert(authors),
                   std::vector<retort::Params>{
                       {{"name", "Ursula K. Le Guin"}}, {{"name", "Stanisław Lem"}}, {{"name", "Octavia E. Butler"}}});
      auto id_of = [&](const char* name) {
        return conn.execute(retort::select(authors.c("id")).where(authors.c("name") == name))
            .scalar_one<std::int64_t>();
      };
      auto le_guin = id_of("Ursula K. Le Guin"), lem = id_of("Stanisław Lem"), butler = id_of("Octavia E. Butler");
      conn.execute(
          retort::insert(books),
          std::vector<retort::Params>{{{"author_id", le_guin}, {"title", "The Dispossessed"}, {"pages", 387}},
                                      {{"author_id", le_guin}, {"title", "The Left Hand of Darkness"}, {"pages", 304}},
                                      {{"author_id", lem}, {"title", "Solaris"}, {"pages", 204}},
                                      {{"author_id", lem}, {"title", "The Cyberiad"}, {"pages", 295}},
                                      {{"author_id", lem}, {"title", "His Master's Voice"}, {"pages", 199}},
                                      {{"author_id", butler}, {"title", "Kindred"}, {"pages", 264}}});
      tx.commit();
    }

    auto stmt = retort::select(authors.c("name"), retort::func::count(books.c("id")).label("books"),
                               retort::func::sum(books.c("pages")).label("pages"))
                    .select_from(authors.join(books))
                    .group_by(authors.c("name"))
                    .having(retort::func::count(books.c("id")) >= 1)
                    .order_by(retort::desc(retort::column("pages")), authors.c("name"));
    fmt::print("\n{}\n\n", stmt);  // generic SQL, as str(stmt) in SQLAlchemy
    fmt::print("{:<22} {:>5} {:>6}\n", "author", "books", "pages");
    for (const auto& row : conn.execute(stmt))
      fmt::print("{:<22} {:>5} {:>6}\n", row.get<std::string>("name"), row.get<int>("books"), row.get<int>("pages"));

    // Operators follow the column types: + on text concatenates, on integers adds.
    auto titled = retort::select(books.c("title") + " (" + authors.c("name") + ")")
                      .select_from(books.join(authors))
                      .where(retort::and_(books.c("title").startswith("The "), books.c("pages") / 100 == 3))
                      .order_by(books.c("title"));
    fmt::print("\nThe ... with 300-399 pages:\n");
    for (const auto& title : conn.execute(titled).scalars<std::string>()) fmt::print("  {}\n", title);
  } catch (const retort::Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
