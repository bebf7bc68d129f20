// Options shared by every command (-c, -n, --url, -x, -q, -v) and the config they select.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <retort/migrate/commands.hpp>

namespace retort::cli {

struct GlobalOptions {
  std::optional<migrate::Config> given_config;  // a program's own configuration (CommandLineOptions)
  std::string config_path = "retort.toml";
  std::string environment;
  std::string url;
  std::vector<std::string> x_arguments;  // KEY=VALUE
  bool quiet = false;
  bool verbose = false;

  /// The given configuration, else retort.toml (with -n), with -x applied. Throws ConfigError / CommandError.
  migrate::Config load_config() const;
  /// Command options: --url and the progress stream (stdout, or stderr when stdout carries SQL).
  migrate::CommandOptions command_options(bool sql = false) const;
};

void add_project_commands(CLI::App& app, GlobalOptions& global);
void add_revision_commands(CLI::App& app, GlobalOptions& global);
void add_migration_commands(CLI::App& app, GlobalOptions& global);
void add_listing_commands(CLI::App& app, GlobalOptions& global);
void add_import_command(CLI::App& app, GlobalOptions& global);
void add_inspect_command(CLI::App& app, GlobalOptions& global);

}  // namespace retort::cli
