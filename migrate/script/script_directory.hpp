// The script directory: finds revision files in the version folders, reads their headers into
// a RevisionMap, hands out runnable scripts, and writes new revision files from the template,
// each through the revision format (revision_format.hpp) its file belongs to.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <retort/migrate/config.hpp>
#include <retort/migrate/revision_map.hpp>
#include <retort/migrate/script/revision_format.hpp>

namespace retort::migrate {

/// What `retort revision` asks for.
struct NewRevision {
  std::string message{};
  std::optional<std::string> rev_id{};        // default: 12 random hex digits
  std::vector<std::string> down_revisions{};  // resolved ids; empty for a base
  std::vector<std::string> branch_labels{};
  std::vector<std::string> depends_on{};
  std::optional<std::filesystem::path> version_path{};  // which version folder
  std::string upgrades{};                               // the sections' text (empty: the format's placeholder)
  std::string downgrades{};
  bool merge = false;  // sections: the format's merge body
};

class ScriptDirectory {
 public:
  /// Reads every revision header below the configured version folders. Throws ScriptError /
  /// RevisionError for a bad file or graph, CommandError when the folder is missing.
  explicit ScriptDirectory(const Config& config);

  const RevisionMap& map() const noexcept { return *map_; }
  const Config& config() const noexcept { return config_; }
  /// The script of a revision, loaded by the format its file's extension names.
  std::unique_ptr<RevisionScript> script(const std::string& id) const;
  /// Readies the revisions a run will load, all at once (C++ revisions are compiled here, so a
  /// compile error stops a run before it changes anything). script() readies one on its own.
  void prepare(const std::vector<std::string>& ids) const;
  /// Writes a new revision file in the project's revision_format (SQL where that format is not
  /// registered) and runs the post-write hooks; returns its path.
  std::filesystem::path write_revision(const NewRevision& spec) const;

  /// A new random revision id: 12 hex digits.
  static std::string new_revision_id();
  /// The message as a file-name slug, cut at a word boundary to `length`.
  static std::string slugify(const std::string& message, int length);

 private:
  Config config_;
  std::unique_ptr<RevisionMap> map_;
};

}  // namespace retort::migrate
