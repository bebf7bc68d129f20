// Revision file formats. A format (SQL, C++) is registered once with what the rest of
// migrate/ needs of it: its file extension, a header reader (listing never runs a file), a loader
// for a runnable script, the revision template, and the body of a merge revision. The script
// directory, the header cache and `revision`/`merge` dispatch on it; a new format adds a
// registration and nothing else.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <retort/migrate/script/revision.hpp>

namespace retort::migrate {

class MigrationContext;
struct Config;

/// A runnable revision, whatever its file format.
class RevisionScript {
 public:
  virtual ~RevisionScript() = default;
  virtual void upgrade(MigrationContext& context) const = 0;
  virtual void downgrade(MigrationContext& context) const = 0;
};

struct RevisionFormat {
  std::string name{};       // as revision_format in retort.toml: "sql", "cpp"
  std::string extension{};  // with its dot: ".sql"
  /// Reads the header of the file `name` in the open folder `directory_fd`; `file` is its path
  /// for messages. Throws ScriptError naming file:line.
  std::function<Revision(int directory_fd, const char* name, const std::filesystem::path& file)> read_header;
  /// Reads the header of a file's text held in memory (a revision built into the program).
  std::function<Revision(std::string text, const std::filesystem::path& file)> read_header_text;
  /// A runnable script for a revision read from a file of this format.
  std::function<std::unique_ptr<RevisionScript>(const Revision& revision)> load;
  /// Optional: readies revisions of this format before a run loads them, all at once (C++
  /// revisions compile here, so a compile error stops the run before it changes anything).
  std::function<void(const std::vector<Revision>& revisions, const Config& config)> prepare;
  /// The built-in template's file name under templates/<project template>/, which a project may
  /// override with a file of the same name in its script folder (revision.sql.tmpl).
  std::string template_file{};
  /// The text of the upgrade and downgrade sections of a merge revision, and of a new revision
  /// whose sections the user fills in.
  std::string merge_body{};
  std::string empty_upgrade{};
  std::string empty_downgrade{};
};

/// The registered formats. The built-in ones register on first use.
class RevisionFormats {
 public:
  static RevisionFormats& instance();
  void add(RevisionFormat format);
  /// The format named `name`; nullptr when none is registered under it.
  const RevisionFormat* find(std::string_view name) const;
  /// The format whose extension ends `file_name`; nullptr for other files.
  const RevisionFormat* for_file(std::string_view file_name) const;
  const std::vector<RevisionFormat>& all() const noexcept { return formats_; }

 private:
  RevisionFormats() = default;
  std::vector<RevisionFormat> formats_;
};

/// The SQL format (sql_revision_format.cpp).
RevisionFormat sql_revision_format();
/// The C++ format (cpp_revision_format.cpp).
RevisionFormat cpp_revision_format();

}  // namespace retort::migrate
