// An application that carries its migrations (see CMakeLists.txt). By default it upgrades its
// database to the newest revision built into it at start-up, then prints where the database is;
// `migrate` hands the rest of the command line to retort's, served from the same revisions.
//   embedded_migrations [DATABASE_URL]              (default sqlite:///app.db)
//   embedded_migrations migrate COMMAND [ARGS...]   e.g. `migrate history`, `migrate downgrade -1`
//                                                   (--url or RETORT_DATABASE_URL name the database)
#include <cstdio>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/cli/command_line.hpp>
#include <retort/retort.hpp>

int main(int argc, char** argv) {
  retort::migrate::Config config;
  config.url = "sqlite:///app.db";
  config.embedded = true;  // the revisions built into this program, not a folder
  if (argc > 1 && std::string_view(argv[1]) == "migrate")
    return retort::cli::run(argc - 1, argv + 1, {.config = config, .program_name = "embedded_migrations migrate"});
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
