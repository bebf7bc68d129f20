// ASCII text helpers shared by the layers (SQL keywords and identifiers are ASCII): case changes
// and case-insensitive comparison that do not depend on the C locale.
#pragma once

#include <string>
#include <string_view>

namespace retort::core {

inline char ascii_upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
inline char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string to_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_upper(c);
  return out;
}

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

/// Whether `a` and `b` are equal ignoring ASCII case.
inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

/// The offset of the first character at or after `pos` that is neither blank nor inside a comment
/// (-- to the end of the line, /* ... */, and # to the end of the line where `hash_comments`, as
/// MySQL reads SQL).
inline std::size_t skip_blanks_and_comments(std::string_view sql, std::size_t pos = 0, bool hash_comments = false) {
  while (pos < sql.size()) {
    char c = sql[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++pos;
    } else if (sql.substr(pos, 2) == "--" || (hash_comments && c == '#')) {
      while (pos < sql.size() && sql[pos] != '\n') ++pos;
    } else if (sql.substr(pos, 2) == "/*") {
      auto end = sql.find("*/", pos + 2);
      pos = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  return pos;
}

/// The run of ASCII letters at `pos`, upper-cased ("" when none).
inline std::string leading_word(std::string_view sql, std::size_t pos) {
  std::string word;
  while (pos < sql.size() && ((sql[pos] >= 'a' && sql[pos] <= 'z') || (sql[pos] >= 'A' && sql[pos] <= 'Z')))
    word += ascii_upper(sql[pos++]);
  return word;
}

/// `s` as a C++ string literal, quoted and escaped (control characters as three-digit octal
/// escapes, which cannot run into a following digit the way \x escapes do): for generated source.
inline std::string cpp_string_literal(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += '\\';
      out += static_cast<char>('0' + ((u >> 6) & 7));
      out += static_cast<char>('0' + ((u >> 3) & 7));
      out += static_cast<char>('0' + (u & 7));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace retort::core
