// An Alembic project's alembic.ini, read as Alembic 1.8 reads it (ConfigParser with `here`):
// where its revision files are (script_location, version_locations) and the sqlalchemy.url that
// decides the dialect of its offline SQL. Nothing of the project is run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace retort::migrate {

class AlembicConfig {
 public:
  /// Reads `ini_file` (relative to `project_dir`, where Alembic runs and where its relative
  /// paths start) and its [alembic] section. Throws CommandError when the folder or the file
  /// does not exist, and ScriptError naming ini:line for a missing script_location, a package
  /// resource (`package:folder`) or a bad version_path_separator.
  static AlembicConfig load(const std::filesystem::path& project_dir, const std::filesystem::path& ini_file);

  const std::filesystem::path& project_dir() const noexcept { return project_dir_; }
  const std::filesystem::path& ini_file() const noexcept { return ini_file_; }
  /// The folders holding revision files, absolute: version_locations when set (as in Alembic,
  /// they replace script_location/versions), else script_location/versions.
  const std::vector<std::filesystem::path>& version_folders() const noexcept { return version_folders_; }
  /// recursive_version_locations = true (Alembic 1.10): sub-folders of the version folders too.
  bool recursive_version_locations() const noexcept { return recursive_; }
  /// sqlalchemy.url as written (interpolated); empty when absent.
  const std::string& sqlalchemy_url() const noexcept { return url_; }

  /// The ini's text with `key` of the [alembic] section set to `value` (replacing the key's
  /// line and its continuation lines, or added below the section header).
  std::string text_with_main_option(const std::string& key, const std::string& value) const;

 private:
  struct Entry {
    std::string section{};  // "alembic" or "DEFAULT"
    std::string key{};      // lower case, as ConfigParser stores it
    std::string value{};
    int first_line = 0;  // 1-based; continuation lines up to last_line
    int last_line = 0;
  };
  const Entry* find(const std::string& key) const;
  /// ConfigParser's basic interpolation: %(here)s, %(key)s of the section, %% for a percent.
  std::string interpolate(const Entry& entry, int depth = 0) const;

  std::filesystem::path project_dir_;
  std::filesystem::path ini_file_;
  std::vector<std::string> lines_;
  int section_line_ = 0;  // the [alembic] header; 0 when the file has none
  std::vector<Entry> entries_;
  std::vector<std::filesystem::path> version_folders_;
  bool recursive_ = false;
  std::string url_;
};

}  // namespace retort::migrate
