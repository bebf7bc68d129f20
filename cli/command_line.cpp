// The `retort` command line (command_line.hpp): parses arguments, calls the library's commands,
// prints, and maps errors to exit codes (0 success, 1 failure, 2 usage or configuration error).
// Passwords never reach the output.
#include <retort/cli/command_line.hpp>

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
  auto config = given_config ? *given_config : migrate::Config::load(config_path, environment);
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

int run(int argc, const char* const* argv, const CommandLineOptions& options) {
  CLI::App app{
      options.program_name == "retort"
          ? std::string("retort: schema migrations for C++ teams (Alembic's workflow, in C++)")
          : fmt::format("{}: this program's schema migrations (retort {})", options.program_name, core::kVersion),
      options.program_name};
  app.set_version_flag("--version", fmt::format("{} (retort {})", options.program_name, core::kVersion));
  app.require_subcommand(1);
  app.fallthrough();
  // Before the subcommands are added: they copy it, so `retort CMD --help` shows it too.
  app.footer(
      "Exit status:\n"
      "  0  success\n"
      "  1  failure: a migration or the database\n"
      "  2  usage or configuration error: bad arguments, retort.toml, -n NAME\n");
  GlobalOptions global;
  global.given_config = options.config;
  global.metadata = options.metadata;
  if (!options.config) {  // a program that gives its configuration has no file to name
    app.add_option("-c,--config", global.config_path, "configuration file")->capture_default_str();
    app.add_option("-n,--name", global.environment, "named environment [env.NAME] of the configuration");
  }
  app.add_option("--url", global.url, "database URL (overrides RETORT_DATABASE_URL and the configuration)");
  app.add_option("-x", global.x_arguments, "passed to templates and scripts (repeatable)")
      ->type_name("KEY=VALUE")
      ->check(CLI::Validator([](std::string& kv) { return x_argument_problem(kv); }, ""));
  app.add_flag("-q,--quiet", global.quiet, "print only results and errors");
  app.add_flag("-v,--verbose", global.verbose, "print more detail");

  // Revisions built into a program cannot be written to: no command that creates files.
  bool writes_files = !(options.config && options.config->embedded);
  if (writes_files) {
    add_project_commands(app, global);
    add_revision_commands(app, global);
  }
  add_migration_commands(app, global);
  add_autogenerate_commands(app, global);
  add_listing_commands(app, global);
  add_inspect_command(app, global);
  if (writes_files) add_import_command(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports a word that is no command as "A subcommand is required": name the word.
    if (app.get_subcommands().empty() && dynamic_cast<const CLI::RequiredError*>(&e)) {
      for (const auto& word : app.remaining()) {
        if (word.starts_with("-")) continue;
        fmt::print(stderr, "error: '{}' is not a command{} (see {} --help)\n", word,
                   writes_files ? "" : " of this program, whose revisions are built into it", options.program_name);
        return 2;
      }
    }
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

}  // namespace retort::cli
