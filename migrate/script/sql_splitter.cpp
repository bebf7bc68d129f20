// A small SQL lexer: enough to find statement boundaries, not to parse SQL.
#include <retort/core/text.hpp>
#include <retort/migrate/script/sql_splitter.hpp>

#include <cctype>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string upper_word(std::string_view sql, std::size_t pos, std::size_t* end) {
  std::size_t e = pos;
  while (e < sql.size() && is_word_char(sql[e])) ++e;
  *end = e;
  return core::to_upper(sql.substr(pos, e - pos));
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

/// Whether a statement holds anything but whitespace and comments.
bool has_code(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (s.compare(i, 2, "--") == 0) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (s.compare(i, 2, "/*") == 0) {
      auto e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? s.size() : e + 2;
    } else {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<SqlStatement> split_sql(std::string_view sql, int first_line, const std::string& source,
                                    bool backslash_escapes) {
  std::vector<SqlStatement> out;
  std::size_t start = 0;
  int line = first_line;
  int start_line = first_line;
  // Trigger bodies: inside CREATE TRIGGER, semicolons end statements only after the END that
  // closes the BEGIN (CASE ... END inside the body nests too).
  bool in_trigger = false;
  int block_depth = 0;
  std::vector<std::string> words_seen;  // first words of the current statement
  auto flush = [&](std::size_t end) {
    std::string_view piece = sql.substr(start, end - start);
    if (has_code(piece)) {
      // The statement's line is that of its first non-blank character.
      std::size_t lead = 0;
      int l = start_line;
      while (lead < piece.size() && std::isspace(static_cast<unsigned char>(piece[lead]))) {
        if (piece[lead] == '\n') ++l;
        ++lead;
      }
      out.push_back({trim(piece), l});
    }
    start = end + 1;
    start_line = line;
    in_trigger = false;
    block_depth = 0;
    words_seen.clear();
  };

  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      int open_line = line;
      // E'...' (PostgreSQL escape strings): an E or e right before the quote, not ending a word.
      bool escape_string =
          c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !is_word_char(sql[i - 2]));
      bool backslashes = c == '\'' && (backslash_escapes || escape_string);
      std::size_t j = i + 1;
      while (true) {
        if (j >= sql.size()) throw ScriptError(fmt::format("{}:{}: unterminated {} quote", source, open_line, c));
        if (sql[j] == '\n') ++line;
        if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {  // doubled quote inside
            j += 2;
            continue;
          }
          break;
        }
        if (backslashes && sql[j] == '\\' && j + 1 < sql.size()) {
          // A backslash escape: skip the escaped character.
          if (sql[j + 1] == '\n') ++line;
          j += 2;
          continue;
        }
        ++j;
      }
      i = j + 1;
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      int open_line = line;
      auto e = sql.find("*/", i + 2);
      if (e == std::string_view::npos)
        throw ScriptError(fmt::format("{}:{}: unterminated /* comment", source, open_line));
      for (std::size_t k = i; k < e; ++k)
        if (sql[k] == '\n') ++line;
      i = e + 2;
      continue;
    }
    if (c == '$' && (i == 0 || !is_word_char(sql[i - 1]))) {
      // $tag$ ... $tag$ (tag may be empty); $1 parameters are not quotes.
      std::size_t j = i + 1;
      while (j < sql.size() && (is_word_char(sql[j])) && !std::isdigit(static_cast<unsigned char>(sql[i + 1]))) ++j;
      if (j < sql.size() && sql[j] == '$') {
        std::string tag(sql.substr(i, j - i + 1));
        int open_line = line;
        auto e = sql.find(tag, j + 1);
        if (e == std::string_view::npos)
          throw ScriptError(fmt::format("{}:{}: unterminated dollar-quoted string {}", source, open_line, tag));
        for (std::size_t k = i; k < e; ++k)
          if (sql[k] == '\n') ++line;
        i = e + tag.size();
        continue;
      }
    }
    if (is_word_char(c) && (i == 0 || !is_word_char(sql[i - 1]))) {
      std::size_t end;
      std::string w = upper_word(sql, i, &end);
      if (words_seen.size() < 4) {
        words_seen.push_back(w);
        // CREATE [TEMP|TEMPORARY] TRIGGER
        if (w == "TRIGGER" && words_seen.front() == "CREATE") in_trigger = true;
      }
      if (in_trigger) {
        if (w == "BEGIN" || w == "CASE")
          ++block_depth;
        else if (w == "END" && block_depth > 0)
          --block_depth;
      }
      i = end;
      continue;
    }
    if (c == ';' && !(in_trigger && block_depth > 0)) {
      flush(i);
      ++i;
      continue;
    }
    ++i;
  }
  if (start < sql.size()) flush(sql.size());
  return out;
}

}  // namespace retort::migrate
