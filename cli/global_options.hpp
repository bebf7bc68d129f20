// Options shared by every command (-c, -n, --url, -x, -q, -v) and the config they select.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <retort/core/schema/metadata.hpp>
#include <retort/migrate/autogenerate/autogenerate.hpp>
#include <retort/migrate/commands.hpp>

namespace retort::cli {

struct GlobalOptions {
  std::optional<migrate::Config> given_config{};     // a program's own configuration (CommandLineOptions)
  std::shared_ptr<const core::MetaData> metadata{};  // a program's declared schema (CommandLineOptions)
  std::string config_path = "retort.toml";
  std::string environment{};
  std::string url{};
  std::vector<std::string> x_arguments{};  // KEY=VALUE
  bool quiet = false;
  bool verbose = false;

  /// The given configuration, else retort.toml (with -n), with -x applied. Throws ConfigError / CommandError.
  migrate::Config load_config() const;
  /// Command options: --url and the progress stream (stdout, or stderr when stdout carries SQL).
  migrate::CommandOptions command_options(bool sql = false) const;
};

/// --schema, --target-url and --dev-url on `command`: where autogenerate's declared schema comes
/// from (the program's MetaData, when it gave one, otherwise).
struct DeclaredSchemaArguments {
  std::string schema_file{}, metadata_file{}, target_url{}, dev_url{};
  std::vector<std::string> renames{};  // OLD:NEW or TABLE.OLD:NEW
  migrate::autogenerate::DeclaredSchema resolve(const GlobalOptions& global) const;
};
void add_declared_schema_options(CLI::App* command, DeclaredSchemaArguments& arguments);
/// Prints the plan's warnings on stderr, one "warning: ..." line each.
void print_warnings(const migrate::autogenerate::MigrationPlan& plan);

void add_project_commands(CLI::App& app, GlobalOptions& global);
void add_autogenerate_commands(CLI::App& app, GlobalOptions& global);
void add_revision_commands(CLI::App& app, GlobalOptions& global);
void add_migration_commands(CLI::App& app, GlobalOptions& global);
void add_listing_commands(CLI::App& app, GlobalOptions& global);
void add_import_command(CLI::App& app, GlobalOptions& global);
void add_inspect_command(CLI::App& app, GlobalOptions& global);

}  // namespace retort::cli
