// Text and JSON rendering of revisions.
#include "output.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace retort::cli {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string json_strings(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& s : v) q.push_back(json_string(s));
  return fmt::format("[{}]", fmt::join(q, ", "));
}

std::string json_revision(const migrate::RevisionInfo& r) {
  const auto& rev = r.revision;
  return fmt::format(
      "{{\"revision\": {}, \"down_revisions\": {}, \"branch_labels\": {}, \"depends_on\": {}, "
      "\"message\": {}, \"create_date\": {}, \"path\": {}, \"is_head\": {}, "
      "\"is_effective_head\": {}, \"is_branch_point\": {}, \"is_merge_point\": {}, \"is_current\": {}}}",
      json_string(rev.id), json_strings(rev.down_revisions), json_strings(rev.branch_labels),
      json_strings(rev.depends_on), json_string(rev.message), json_string(rev.create_date), json_string(rev.path),
      r.is_head, r.is_effective_head, r.is_branch_point, r.is_merge_point, r.is_current);
}

std::string json_revisions(const std::vector<migrate::RevisionInfo>& revs) {
  std::vector<std::string> items;
  for (const auto& r : revs) items.push_back(json_revision(r));
  return fmt::format("[{}]", fmt::join(items, ",\n "));
}

namespace {
/// " (head)", or " (effective head)" where another revision depends on the head, then
/// " (current)": Alembic's markers in its order.
std::string head_markers(const migrate::RevisionInfo& r) {
  std::string out;
  if (r.is_head) out += r.is_effective_head ? " (effective head)" : " (head)";
  if (r.is_current) out += " (current)";
  return out;
}
}  // namespace

std::string revision_line(const migrate::RevisionInfo& r, const LineParts& parts) {
  const auto& rev = r.revision;
  std::string out;
  if (parts.parents) {
    out = rev.down_revisions.empty() ? "<base>" : fmt::format("{}", fmt::join(rev.down_revisions, ", "));
    if (!rev.depends_on.empty()) out += fmt::format(" ({})", fmt::join(rev.depends_on, ", "));
    out += " -> ";
  }
  out += rev.id;
  if (parts.labels && !rev.branch_labels.empty()) out += fmt::format(" ({})", fmt::join(rev.branch_labels, ", "));
  out += head_markers(r);
  if (parts.tree) {
    if (r.is_branch_point) out += " (branchpoint)";
    if (r.is_merge_point) out += " (mergepoint)";
  }
  if (parts.message) out += ", " + rev.message;
  return out;
}

std::string revision_details(const migrate::RevisionInfo& r) {
  const auto& rev = r.revision;
  std::string out = fmt::format("Rev: {}{}{}{}\n", rev.id, head_markers(r), r.is_branch_point ? " (branchpoint)" : "",
                                r.is_merge_point ? " (mergepoint)" : "");
  if (rev.is_merge())
    out += fmt::format("Merges: {}\n", fmt::join(rev.down_revisions, ", "));
  else
    out += fmt::format("Parent: {}\n", rev.down_revisions.empty() ? "<base>" : rev.down_revisions.front());
  if (!r.children.empty())
    out += fmt::format("{}: {}\n", r.is_branch_point ? "Branches into" : "Child", fmt::join(r.children, ", "));
  if (!rev.branch_labels.empty()) out += fmt::format("Branch names: {}\n", fmt::join(rev.branch_labels, ", "));
  if (!rev.depends_on.empty()) out += fmt::format("Also depends on: {}\n", fmt::join(rev.depends_on, ", "));
  out += fmt::format("Path: {}\n\n    {}\n\n    Revision ID: {}\n    Revises: {}\n    Create Date: {}\n", rev.path,
                     rev.message, rev.id, fmt::join(rev.down_revisions, ", "), rev.create_date);
  return out;
}

}  // namespace retort::cli
