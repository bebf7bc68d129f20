// An application that carries its migrations (see CMakeLists.txt): at start-up it upgrades its
// database to the newest revision built into it, then prints where the database is.
//   embedded_migrations [DATABASE_URL]        (default sqlite:///app.db)
#include <cstdio>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/retort.hpp>

int main(int argc, char** argv) {
  try {
    retort::migrate::Config config;
    config.url = argc > 1 ? argv[1] : "sqlite:///app.db";
    config.embedded = true;  // the revisions built into this program, not a folder
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
