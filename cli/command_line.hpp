// The whole `retort` command line as a function, for the `retort` program and for applications
// that carry their migrations (retort_add_migrations): such a program hands its argv, or the part
// after its own subcommand, to run() and serves upgrade, current, history... from the revisions
// built into it.
//
//   retort::migrate::Config config;
//   config.url = "sqlite:///app.db";
//   config.embedded = true;
//   return retort::cli::run(argc, argv, {.config = config, .program_name = "app migrate"});
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <retort/core/schema/metadata.hpp>
#include <retort/migrate/config.hpp>

namespace retort::cli {

struct CommandLineOptions {
  /// The configuration to use instead of reading retort.toml: `-c` and `-n` are then refused,
  /// while `--url`, RETORT_DATABASE_URL and `-x` still apply. With `config->embedded`, the
  /// commands that write revision files (init, revision, merge, edit, import) are left out.
  std::optional<migrate::Config> config{};
  /// The name --help and --version show.
  std::string program_name = "retort";
  /// The program's declared schema: what `revision --autogenerate`, `diff` and `check` compare
  /// the database with (unless --schema or --target-url names another).
  std::shared_ptr<const core::MetaData> metadata{};
};

/// Parses the arguments (argv[0] is the program and is skipped), runs the command and returns the
/// exit status: 0 success, 1 failure (a migration or the database), 2 usage or configuration
/// error. Results go to stdout, errors to stderr as one line each with passwords masked; nothing
/// is thrown.
int run(int argc, const char* const* argv, const CommandLineOptions& options = {});

}  // namespace retort::cli
