// SQL revision files: a header of `-- retort:KEY VALUE` lines, then `-- retort:upgrade` and
// `-- retort:downgrade` sections. Listing reads the header only; running reads the sections.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <retort/migrate/script/revision.hpp>
#include <retort/migrate/script/sql_splitter.hpp>

namespace retort::migrate {

/// The SQL of one direction of a revision, split into statements with their file lines.
struct RevisionBody {
  std::vector<SqlStatement> statements{};
  /// False when the file has no marker for this section at all (only the downgrade one may be
  /// left out): unlike an empty section, that is not a deliberate no-op.
  bool present = true;
  /// The whole file's checksum (revision_checksum_of_text), of the text these statements came from.
  std::string checksum{};
};

/// Reads the header of a SQL revision file. Throws ScriptError naming file:line for a
/// missing or misspelt key, a duplicate key, a bad value (an id or label that is not 1 to 32
/// letters, digits or '_', or is head, heads or base), a NUL byte or a malformed section marker.
/// A UTF-8 byte order mark at the start is skipped.
Revision read_sql_revision_header(const std::filesystem::path& file);
/// The same, opening `name` relative to the open directory `directory_fd` (cheaper when
/// reading a whole folder); `file` is the path used in messages.
Revision read_sql_revision_header(int directory_fd, const char* name, const std::filesystem::path& file);

/// Reads the header of a C++ revision file: `// retort:KEY VALUE` lines with the same keys and
/// checks as a SQL file's, ending at the first line that is not a `//` comment.
Revision read_cpp_revision_header(int directory_fd, const char* name, const std::filesystem::path& file);

/// Reads and splits the upgrade (`upgrade` true) or downgrade section; `backslash_escapes` as
/// for split_sql (true for databases where '\'' escapes a quote). The header is read by the
/// same reader as read_sql_revision_header, so both agree on where the sections start; any
/// other `-- retort:` line after the upgrade marker is an error naming file:line.
RevisionBody read_sql_revision_body(const std::filesystem::path& file, bool upgrade, bool backslash_escapes = false);

/// The same readers on a text already in memory (a revision embedded in a program by
/// retort_add_migrations); `file` names it in messages.
Revision read_sql_revision_header_text(std::string text, const std::filesystem::path& file);
Revision read_cpp_revision_header_text(std::string text, const std::filesystem::path& file);
RevisionBody read_sql_revision_body_text(std::string text, const std::filesystem::path& file, bool upgrade,
                                         bool backslash_escapes = false);

/// The header keys a SQL revision file may hold.
const std::vector<std::string>& sql_revision_header_keys();

}  // namespace retort::migrate
