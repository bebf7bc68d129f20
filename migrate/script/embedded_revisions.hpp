// Revision files built into a program by retort_add_migrations() (cmake/retort_add_migrations.cmake):
// each file's name and text, registered at start-up, and read instead of the version folders when
// Config::embedded is set. Their C++ steps are compiled into the program too, registered under the
// key "embedded:<file name>".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace retort::migrate {

struct EmbeddedRevisionFile {
  std::string name{};  // the file's name, e.g. "1975ea83b712_add_users.sql"
  std::string_view text{};
};

class EmbeddedRevisions {
 public:
  static EmbeddedRevisions& instance();
  void add(const char* name, const char* text, std::size_t size);
  const std::vector<EmbeddedRevisionFile>& files() const noexcept { return files_; }
  /// The file a revision's path ("embedded:<name>") names, or nullptr.
  const EmbeddedRevisionFile* find_path(std::string_view path) const;

  /// The path given to an embedded file's revision, which messages show.
  static std::string path_of(const std::string& name) { return "embedded:" + name; }
  static bool is_embedded_path(std::string_view path) { return path.starts_with("embedded:"); }

 private:
  EmbeddedRevisions() = default;
  std::vector<EmbeddedRevisionFile> files_;
};

/// Registers one file at static initialisation (what retort_add_migrations generates).
struct EmbeddedRevisionRegistrar {
  EmbeddedRevisionRegistrar(const char* name, const char* text, std::size_t size) {
    EmbeddedRevisions::instance().add(name, text, size);
  }
};

}  // namespace retort::migrate
