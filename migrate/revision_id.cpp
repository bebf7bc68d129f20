// The rules for new revision ids, branch labels and header messages.
#include <retort/migrate/revision_id.hpp>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace {

// ASCII only, whatever the locale: an id is also a file name and a VARCHAR value.
bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

/// One character as an error message names it.
std::string describe(char c) {
  switch (c) {
    case ' ': return "a blank";
    case '\t': return "a tab";
    case '\n': return "a line break (\\n)";
    case '\r': return "a carriage return (\\r)";
    default: break;
  }
  auto u = static_cast<unsigned char>(c);
  if (is_control(c) || u >= 0x80) return fmt::format("the byte 0x{:02x}", u);
  return fmt::format("'{}'", c);
}

}  // namespace

bool is_reserved_revision_word(std::string_view word) {
  // `current` is read by history ranges (current:head), the others by every target.
  static constexpr std::array<std::string_view, 4> kReserved = {"head", "heads", "base", "current"};
  return std::find(kReserved.begin(), kReserved.end(), word) != kReserved.end();
}

std::string shown_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (is_control(c))
      out += fmt::format("\\x{:02x}", u);
    else
      out += c;
  }
  return out;
}

std::string revision_id_error(std::string_view id) {
  constexpr std::string_view kRule = "ids are 1 to 32 ASCII letters, digits or '_'";
  if (id.empty()) return fmt::format("the revision id is empty: {}", kRule);
  auto bad = std::find_if_not(id.begin(), id.end(), is_id_char);
  if (bad != id.end() && *bad == '-')
    return fmt::format(
        "revision id '{}' contains '-': {} (a '-' reads as a relative step: release-1 would mean "
        "\"release minus one\")",
        shown_value(id), kRule);
  if (bad != id.end()) return fmt::format("revision id '{}' contains {}: {}", shown_value(id), describe(*bad), kRule);
  // Length after the characters: a path given as an id is named for its '/', not its length.
  if (id.size() > kMaxRevisionIdLength)
    return fmt::format("revision id '{}' is {} characters long: {} (the version column is VARCHAR(32))",
                       shown_value(id), id.size(), kRule);
  if (is_reserved_revision_word(id))
    return fmt::format("revision id '{}' is a reserved word: head, heads, base and current name targets", id);
  return {};
}

std::string branch_label_error(std::string_view label) {
  if (label.empty()) return "a branch label is empty";
  for (std::size_t i = 0; i < label.size(); ++i) {
    char c = label[i];
    if (c == ' ' || c == '\t' || is_control(c) || c == ',' || c == '@' || c == ':' || c == '+')
      return fmt::format(
          "branch label '{}' contains {}: labels cannot hold blanks, line breaks, ',', '@', ':' or '+' (they "
          "separate header lists and targets such as LABEL@head)",
          shown_value(label), describe(c));
    if (c == '-' && i + 1 < label.size() && label[i + 1] >= '0' && label[i + 1] <= '9')
      return fmt::format(
          "branch label '{}' has a '-' before a digit: it would read as a relative step (LABEL-1 is \"one "
          "before LABEL\")",
          shown_value(label));
  }
  if (is_reserved_revision_word(label))
    return fmt::format("branch label '{}' is a reserved word: head, heads, base and current name targets", label);
  return {};
}

void check_revision_id(std::string_view id) {
  if (auto error = revision_id_error(id); !error.empty()) throw UsageError(error);
}

void check_branch_label(std::string_view label) {
  if (auto error = branch_label_error(label); !error.empty()) throw UsageError(error);
}

std::string one_line_message(std::string_view message) {
  // Alembic keeps a multi-line message in the docstring; our header holds one line. Folding
  // rather than refusing keeps a message pasted from a commit usable, and no value can start a
  // header line (or an injected `-- retort:upgrade` section).
  std::string out;
  bool line_break = false;
  for (char c : message) {
    if (c == '\n' || c == '\r') {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      line_break = true;
      continue;
    }
    if (line_break && (c == ' ' || c == '\t')) continue;
    if (line_break && !out.empty()) out += ' ';
    line_break = false;
    // Other control characters (vertical tab, form feed, NUL, ...): an editor may show them as
    // breaks, and the reader would keep them invisibly.
    out += c != '\t' && is_control(c) ? ' ' : c;
  }
  // The reader trims the value; trimming here makes what is written what is read.
  auto first = out.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(" \t") - first + 1);
}

}  // namespace retort::migrate
