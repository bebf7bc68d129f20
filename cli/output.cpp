// Text and JSON rendering of revisions.
#include "output.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace retort::cli {

namespace {
/// The length of the well-formed UTF-8 sequence starting at s[i], 0 when there is none there
/// (a stray byte, a cut sequence, an overlong form, a surrogate or a code point past U+10FFFF).
std::size_t utf8_length(const std::string& s, std::size_t i) {
  auto byte = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
  const unsigned lead = byte(i);
  // The sequence's length, and the range its second byte must be in (Unicode's table 3-7).
  std::size_t length = 0;
  unsigned low = 0x80, high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // past U+10FFFF
  } else {
    return 0;
  }
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  return length;
}
}  // namespace

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      // JSON text is UTF-8: a byte that is not part of a valid sequence (a Latin-1 file, a cut
      // message) becomes U+FFFD, as decoders do, rather than making the whole output invalid.
      std::size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\\ufffd";
      } else {
        out.append(s, i, n);
        i += n - 1;
      }
      continue;
    }
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
