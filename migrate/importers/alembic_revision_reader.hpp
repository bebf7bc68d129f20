// Alembic revision files (*.py) read as text, never run: the module-level assignments
// `revision`, `down_revision`, `branch_labels` and `depends_on` (None, a quoted string, or a
// tuple or list of them, with or without a type annotation), and the module docstring's first
// paragraph (the message) and `Create Date:` line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <retort/migrate/script/revision.hpp>

namespace retort::migrate {

struct AlembicRevisionFile {
  Revision revision{};    // path: the .py file
  int revision_line = 0;  // the line of `revision = ...`, for messages
};

/// Reads one revision file. Returns nullopt when it assigns no `revision` at module level.
/// Throws ScriptError naming file:line for an assignment whose value is not one of the forms
/// above (a computed value, an f-string, a missing quote, ...).
std::optional<AlembicRevisionFile> read_alembic_revision(const std::filesystem::path& file);

struct AlembicRevisionScan {
  std::vector<AlembicRevisionFile> revisions{};  // sorted by path
  std::vector<std::string> skipped{};            // one warning line per file without `revision =`
};

/// Reads every *.py file (not __init__.py) in `folders`, and in their sub-folders when
/// `recursive`. Throws CommandError for a missing folder, and one ScriptError listing every
/// malformed file:line, and every revision id that two files give, at once.
AlembicRevisionScan read_alembic_revisions(const std::vector<std::filesystem::path>& folders, bool recursive);

}  // namespace retort::migrate
