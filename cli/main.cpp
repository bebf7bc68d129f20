// The `retort` command line: parses arguments, calls the library's commands, prints, and maps
// errors to exit codes (0 success, 1 failure, 2 usage or configuration error). Passwords never
// reach the output.
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <retort/core/engine/url.hpp>
#include <retort/core/version.hpp>
#include <retort/migrate/errors.hpp>

#include "global_options.hpp"

namespace retort::cli {

namespace {

/// Why an -x argument is not KEY=VALUE, or "" when it is.
std::string x_argument_problem(const std::string& kv) {
  auto eq = kv.find('=');
  return eq == std::string::npos || eq == 0 ? fmt::format("expects KEY=VALUE, got '{}'", kv) : std::string();
}

}  // namespace

migrate::Config GlobalOptions::load_config() const {
  auto config = migrate::Config::load(config_path, environment);
  for (const auto& kv : x_arguments) {
    if (auto problem = x_argument_problem(kv); !problem.empty()) throw migrate::UsageError("-x " + problem);
    auto eq = kv.find('=');
    config.x_arguments[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return config;
}

migrate::CommandOptions GlobalOptions::command_options(bool sql) const {
  migrate::CommandOptions o;
  if (!url.empty()) o.url = url;
  o.log = quiet ? nullptr : (sql ? &std::cerr : &std::cout);
  o.sql = sql;
  o.sql_out = &std::cout;
  return o;
}

}  // namespace retort::cli

int main(int argc, char** argv) {
  using namespace retort;
  CLI::App app{"retort: schema migrations for C++ teams (Alembic's workflow, in C++)"};
  app.set_version_flag("--version", std::string("retort ") + core::kVersion);
  app.require_subcommand(1);
  app.fallthrough();
  // Before the subcommands are added: they copy it, so `retort CMD --help` shows it too.
  app.footer(
      "Exit status:\n"
      "  0  success\n"
      "  1  failure: a migration or the database\n"
      "  2  usage or configuration error: bad arguments, retort.toml, -n NAME\n");
  cli::GlobalOptions global;
  app.add_option("-c,--config", global.config_path, "configuration file")->capture_default_str();
  app.add_option("-n,--name", global.environment, "named environment [env.NAME] of the configuration");
  app.add_option("--url", global.url, "database URL (overrides RETORT_DATABASE_URL and the configuration)");
  app.add_option("-x", global.x_arguments, "passed to templates and scripts (repeatable)")
      ->type_name("KEY=VALUE")
      ->check(CLI::Validator([](std::string& kv) { return cli::x_argument_problem(kv); }, ""));
  app.add_flag("-q,--quiet", global.quiet, "print only results and errors");
  app.add_flag("-v,--verbose", global.verbose, "print more detail");

  cli::add_project_commands(app, global);
  cli::add_revision_commands(app, global);
  cli::add_migration_commands(app, global);
  cli::add_listing_commands(app, global);
  cli::add_inspect_command(app, global);
  cli::add_import_command(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const migrate::UsageError& e) {  // a bad retort.toml or argument: exit as CLI11 does
    fmt::print(stderr, "error: {}\n", core::mask_password(e.what()));
    return 2;
  } catch (const std::exception& e) {  // retort's errors and any other: one line, the password masked
    fmt::print(stderr, "error: {}\n", core::mask_password(e.what()));
    return 1;
  }
  return 0;
}
