// retort.toml: the [retort] table, named environments [env.NAME] overriding it, ${VAR} and
// ${VAR:-default} taken from the environment, and the URL precedence
// --url > RETORT_DATABASE_URL > config.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace retort::migrate {

struct Config {
  std::filesystem::path config_file{};  // the retort.toml read (empty when built in code)
  std::filesystem::path base_dir{};     // relative paths are relative to this (the file's folder)

  std::string script_location = "migrations";
  std::string url{};           // as written: ${VAR} is expanded when the URL is used, so that
                               // commands that need no database work without the variable
  std::string url_location{};  // file:line:column of the url value, for errors
  std::string version_table = "retort_version";
  std::optional<std::string> version_table_schema{};
  std::vector<std::string> version_locations{};  // a list (or one string); default <script_location>/versions
  std::string file_template = "{rev}_{slug}";
  int truncate_slug_length = 40;        // 1 to 255
  std::string timezone{};               // "" for local time, "UTC", or "+HH:MM"
  std::string revision_format = "sql";  // sql or cpp
  bool transaction_per_migration = true;
  double lock_timeout = 60.0;                   // seconds to wait for another run's lock, 0 to 86400
  std::vector<std::string> post_write_hooks{};  // commands run on each new revision file ({file})
  // C++ revisions: the compiler (empty: $CXX, else c++), extra flags split on blanks (e.g.
  // "-I include"), and the folder of compiled revisions (default <script_location>/.retort-cache).
  std::string cxx{};
  std::string cxxflags{};
  std::string cpp_cache_dir{};
  /// [autogenerate]: the declared schema as a SQL file of CREATE statements or a C++ metadata file
  /// (relative to the config's folder), and the scratch database (PostgreSQL, MySQL) a SQL file is
  /// applied to for reading.
  struct Autogenerate {
    std::string schema{};
    std::string metadata{};                         // a C++ file declaring it with RETORT_METADATA
    std::string dev_url{};                          // ${VAR} expanded when used, as url
    std::vector<std::string> include{}, exclude{};  // table-name globs compared (fnmatch)
    std::vector<std::string> schemas{};             // schemas compared besides the default one
  } autogenerate;
  /// Set in code by a program built with retort_add_migrations(): its revisions are the files
  /// built into it (EmbeddedRevisions), not the version folders.
  bool embedded = false;
  std::string environment{};                         // the [env.NAME] picked, if any
  std::map<std::string, std::string> x_arguments{};  // -x KEY=VALUE

  /// Reads `file`, applying [env.`environment`] when given. Throws ConfigError naming
  /// file:line:column and the key for syntax errors, unknown keys (in any environment), values of
  /// the wrong type or out of range, and environments that are not tables; and naming the file
  /// when it is missing or unreadable or the environment is not defined.
  static Config load(const std::filesystem::path& file, const std::string& environment = {});

  /// The URL to use: `override_url` when given, else RETORT_DATABASE_URL, else `url`.
  /// Throws ConfigError when none is set.
  std::string database_url(const std::optional<std::string>& override_url = std::nullopt) const;
  std::filesystem::path script_directory() const;
  /// The folders holding revision files, absolute.
  std::vector<std::filesystem::path> version_directories() const;
};

/// Replaces ${VAR} and ${VAR:-default} from the environment. Throws ConfigError (with `where`
/// as the location) for an unset variable without a default or an unterminated ${.
std::string interpolate_environment(const std::string& text, const std::string& where);

}  // namespace retort::migrate
