// An application that carries its migrations (see CMakeLists.txt). By default it upgrades its
// database to the newest revision built into it at start-up, then prints where the database is;
// `migrate` hands the rest of the command line to retort's, served from the same revisions.
//   embedded_migrations [DATABASE_URL]              (default sqlite:///app.db)
//   embedded_migrations migrate COMMAND [ARGS...]   e.g. `migrate history`, `migrate downgrade -1`,
//                                                   `migrate check` (the database against the schema
//                                                   declared below); --url or RETORT_DATABASE_URL name
//                                                   the database
#include <cstdio>
#include <memory>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/cli/command_line.hpp>
#include <retort/retort.hpp>

/// The schema this program expects: what `migrate check` and `migrate diff` compare the database with.
std::shared_ptr<retort::MetaData> declared_schema() {
  auto metadata = std::make_shared<retort::MetaData>();
  metadata->table("accounts", retort::Column("id", retort::Integer{}).primary_key(),
                  retort::Column("owner", retort::String{100}).not_null());
  metadata->table("ledger", retort::Column("id", retort::Integer{}).primary_key(),
                  retort::Column("account_id", retort::Integer{}).not_null().references("accounts.id"),
                  retort::Column("amount", retort::BigInteger{}).not_null());
  return metadata;
}

int main(int argc, char** argv) {
  retort::migrate::Config config;
  config.url = "sqlite:///app.db";
  config.embedded = true;  // the revisions built into this program, not a folder
  if (argc > 1 && std::string_view(argv[1]) == "migrate")
    return retort::cli::run(
        argc - 1, argv + 1,
        {.config = config, .program_name = "embedded_migrations migrate", .metadata = declared_schema()});
  try {
    if (argc > 1) config.url = argv[1];
    auto applied = retort::migrate::upgrade(config, "head");
    fmt::print("applied: {}\n", fmt::join(applied, " "));
    fmt::print("current: {}\n", fmt::join(retort::migrate::current(config), " "));
    auto engine = retort::create_engine(config.url);
    auto conn = engine.connect();
    auto balance = conn.execute(retort::text("SELECT sum(amount) FROM ledger")).scalar_one<std::int64_t>();
    fmt::print("ledger total: {}\n", balance);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
