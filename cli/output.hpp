// Printing helpers for the CLI: JSON values and revision lines.
#pragma once

#include <string>
#include <vector>

#include <retort/migrate/commands.hpp>

namespace retort::cli {

/// A JSON string literal.
std::string json_string(const std::string& s);
/// A JSON array of strings.
std::string json_strings(const std::vector<std::string>& v);
/// One revision as a JSON object.
std::string json_revision(const migrate::RevisionInfo& r);
/// A list of revisions as a JSON array.
std::string json_revisions(const std::vector<migrate::RevisionInfo>& revs);
/// Alembic-style one-line description: "a, b -> c (head) (mergepoint), message".
std::string revision_line(const migrate::RevisionInfo& r);
/// The multi-line description used by --verbose and `show`.
std::string revision_details(const migrate::RevisionInfo& r);

}  // namespace retort::cli
