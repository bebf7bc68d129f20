// Tokenizer and the few CREATE-statement shapes reflection reads (see the header).
#include <retort/core/text.hpp>
#include <retort/dialects/sqlite/sqlite_ddl_parser.hpp>

#include <algorithm>
#include <cctype>
#include <utility>

namespace retort::dialects::sqlite {

namespace {

using core::iequals;
using core::to_lower;
using core::to_upper;

bool is_word_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;  // non-ASCII names need no quotes
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n;");
  if (e == std::string_view::npos || e < b) return {};
  return std::string(s.substr(b, e - b + 1));
}

/// Reads a quoted run starting at sql[i] (the opening quote); `close` ends it and a doubled
/// `close` stands for itself (except in [brackets]).
std::size_t read_quoted(std::string_view sql, std::size_t i, char close, bool doubling, std::string& value) {
  std::size_t j = i + 1;
  while (j < sql.size()) {
    if (sql[j] == close) {
      if (doubling && j + 1 < sql.size() && sql[j + 1] == close) {
        value += close;
        j += 2;
        continue;
      }
      return j + 1;
    }
    value += sql[j++];
  }
  return j;  // unterminated: take the rest
}

/// Index of the ')' matching the '(' at tokens[open] (tokens.size() if unbalanced).
std::size_t matching_paren(const std::vector<SqlToken>& tokens, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].is_punct('('))
      ++depth;
    else if (tokens[i].is_punct(')') && --depth == 0)
      return i;
  }
  return tokens.size();
}

/// Ranges [begin, end) of the comma-separated items in tokens[begin, end) at depth 0.
std::vector<std::pair<std::size_t, std::size_t>> split_items(const std::vector<SqlToken>& tokens, std::size_t begin,
                                                             std::size_t end) {
  std::vector<std::pair<std::size_t, std::size_t>> items;
  int depth = 0;
  std::size_t start = begin;
  for (std::size_t i = begin; i < end; ++i) {
    if (tokens[i].is_punct('('))
      ++depth;
    else if (tokens[i].is_punct(')'))
      --depth;
    else if (depth == 0 && tokens[i].is_punct(',')) {
      if (i > start) items.emplace_back(start, i);
      start = i + 1;
    }
  }
  if (end > start) items.emplace_back(start, end);
  return items;
}

class TableParser {
 public:
  TableParser(std::string_view sql, std::vector<SqlToken> tokens) : sql_(sql), t_(std::move(tokens)) {}

  ParsedTable run() {
    std::size_t open = 0;
    while (open < t_.size() && !t_[open].is_punct('(')) {
      if (t_[open].is("AS")) return out_;  // CREATE TABLE ... AS SELECT: nothing declared
      ++open;
    }
    if (open == t_.size()) return out_;
    std::size_t close = matching_paren(t_, open);
    for (std::size_t i = close; i + 1 < t_.size(); ++i)
      if (t_[i].is("WITHOUT") && t_[i + 1].is("ROWID")) out_.without_rowid = true;
    for (auto [b, e] : split_items(t_, open + 1, close)) {
      const auto& first = t_[b];
      if (first.kind == SqlToken::Kind::Word && (first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE") ||
                                                 first.is("CHECK") || first.is("FOREIGN"))) {
        constraints(b, e, nullptr);
        continue;
      }
      ParsedColumn column;
      column.name = first.value;
      std::size_t i = b + 1;
      std::size_t type_begin = i;
      while (i < e && !starts_column_constraint(t_[i])) {
        if (t_[i].is_punct('(')) i = matching_paren(t_, i);
        ++i;
      }
      if (i > type_begin) column.type = slice(type_begin, std::min(i, e));
      out_.columns.push_back(std::move(column));
      constraints(i, e, &out_.columns.back());
    }
    return std::move(out_);
  }

 private:
  static bool starts_column_constraint(const SqlToken& t) {
    for (const char* w : {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES",
                          "GENERATED", "AS"})
      if (t.is(w)) return true;
    return false;
  }

  std::string slice(std::size_t b, std::size_t e) const {
    if (b >= e || e > t_.size()) return {};
    return std::string(sql_.substr(t_[b].begin, t_[e - 1].end - t_[b].begin));
  }

  /// The names in a parenthesised list at t_[i] (first token of each element); i moves past it.
  std::vector<std::string> name_list(std::size_t& i) {
    std::vector<std::string> names;
    if (i >= t_.size() || !t_[i].is_punct('(')) return names;
    std::size_t close = matching_paren(t_, i);
    for (auto [b, e] : split_items(t_, i + 1, close)) names.push_back(t_[b].value);
    i = close + 1;
    return names;
  }

  void constraints(std::size_t i, std::size_t e, ParsedColumn* column) {
    std::string pending;  // CONSTRAINT name, waiting for its constraint
    while (i < e) {
      const auto& tok = t_[i];
      if (tok.is("CONSTRAINT") && i + 1 < e) {
        pending = t_[i + 1].value;
        i += 2;
      } else if (tok.is("PRIMARY")) {
        i += 2;  // PRIMARY KEY
        out_.primary_key_columns = column ? std::vector<std::string>{column->name} : name_list(i);
        out_.primary_key_name = std::exchange(pending, {});
      } else if (tok.is("AUTOINCREMENT")) {
        out_.autoincrement = true;
        ++i;
      } else if (tok.is("UNIQUE")) {
        ++i;
        auto cols = column ? std::vector<std::string>{column->name} : name_list(i);
        out_.uniques.push_back({std::exchange(pending, {}), std::move(cols)});
      } else if (tok.is("CHECK") && i + 1 < e && t_[i + 1].is_punct('(')) {
        std::size_t close = matching_paren(t_, i + 1);
        out_.checks.push_back({std::exchange(pending, {}), trim(slice(i + 2, close))});
        i = close + 1;
      } else if (tok.is("FOREIGN")) {
        i += 2;  // FOREIGN KEY
        auto cols = name_list(i);
        if (i < e && t_[i].is("REFERENCES")) references(i, e, std::move(cols), std::exchange(pending, {}));
      } else if (tok.is("REFERENCES") && column) {
        references(i, e, {column->name}, std::exchange(pending, {}));
      } else if ((tok.is("AS") || tok.is("GENERATED")) && column) {
        while (i < e && !t_[i].is_punct('(')) ++i;
        if (i >= e) break;
        std::size_t close = matching_paren(t_, i);
        column->generated = trim(slice(i + 1, close));
        i = close + 1;
        if (i < e && t_[i].is("STORED")) column->generated_stored = true;
        pending.clear();
      } else if (tok.is("DEFAULT")) {
        ++i;
        if (i < e && (t_[i].is_punct('-') || t_[i].is_punct('+'))) ++i;
        if (i < e && t_[i].is_punct('(')) i = matching_paren(t_, i);
        ++i;
        pending.clear();
      } else if (tok.is("COLLATE")) {
        i += 2;
        pending.clear();
      } else if (tok.is_punct('(')) {
        i = matching_paren(t_, i) + 1;
      } else {
        if (tok.is("NOT") || tok.is("NULL")) pending.clear();
        ++i;
      }
    }
  }

  void references(std::size_t& i, std::size_t e, std::vector<std::string> columns, std::string name) {
    ParsedForeignKey fk;
    fk.name = std::move(name);
    fk.columns = std::move(columns);
    ++i;  // REFERENCES
    if (i < e) fk.referred_table = t_[i++].value;
    if (i + 1 < e && t_[i].is_punct('.')) {  // schema.table: SQLite keeps only the table
      fk.referred_table = t_[i + 1].value;
      i += 2;
    }
    fk.referred_columns = name_list(i);
    while (i < e) {
      if (t_[i].is("ON") && i + 2 < e && (t_[i + 1].is("DELETE") || t_[i + 1].is("UPDATE"))) {
        bool del = t_[i + 1].is("DELETE");
        i += 2;
        std::string action = to_upper(t_[i].value);
        if ((t_[i].is("SET") || t_[i].is("NO")) && i + 1 < e) action += " " + to_upper(t_[++i].value);
        ++i;
        (del ? fk.ondelete : fk.onupdate) = action;
      } else if (t_[i].is("MATCH")) {
        i += 2;
      } else if (t_[i].is("NOT") && i + 1 < e && t_[i + 1].is("DEFERRABLE")) {
        fk.deferrable = false;
        i += 2;
      } else if (t_[i].is("DEFERRABLE")) {
        fk.deferrable = true;
        ++i;
      } else if (t_[i].is("INITIALLY") && i + 1 < e) {
        fk.initially = to_upper(t_[i + 1].value);
        i += 2;
      } else {
        break;
      }
    }
    out_.foreign_keys.push_back(std::move(fk));
  }

  std::string_view sql_;
  std::vector<SqlToken> t_;
  ParsedTable out_;
};

}  // namespace

bool SqlToken::is(std::string_view word) const { return kind == Kind::Word && core::iequals(value, word); }

std::vector<SqlToken> tokenize_sql(std::string_view sql) {
  std::vector<SqlToken> tokens;
  std::size_t i = 0;
  while (i < sql.size()) {
    unsigned char c = static_cast<unsigned char>(sql[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '"' || c == '`' || c == '[' || c == '\'') {
      SqlToken t{c == '\'' ? SqlToken::Kind::String : SqlToken::Kind::QuotedIdentifier, {}, i, 0};
      char close = c == '[' ? ']' : static_cast<char>(c);
      t.end = read_quoted(sql, i, close, c != '[', t.value);
      i = t.end;
      tokens.push_back(std::move(t));
    } else if (std::isdigit(c) ||
               (c == '.' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      std::size_t j = i;
      while (j < sql.size() && (is_word_char(static_cast<unsigned char>(sql[j])) || sql[j] == '.')) ++j;
      tokens.push_back({SqlToken::Kind::Number, std::string(sql.substr(i, j - i)), i, j});
      i = j;
    } else if (is_word_char(c)) {
      std::size_t j = i;
      while (j < sql.size() && is_word_char(static_cast<unsigned char>(sql[j]))) ++j;
      tokens.push_back({SqlToken::Kind::Word, std::string(sql.substr(i, j - i)), i, j});
      i = j;
    } else {
      tokens.push_back({SqlToken::Kind::Punct, std::string(1, static_cast<char>(c)), i, i + 1});
      ++i;
    }
  }
  return tokens;
}

ParsedTable parse_create_table(std::string_view sql) { return TableParser(sql, tokenize_sql(sql)).run(); }

ParsedIndex parse_create_index(std::string_view sql) {
  ParsedIndex out;
  auto t = tokenize_sql(sql);
  std::size_t i = 0;
  while (i < t.size() && !t[i].is("ON")) ++i;
  while (i < t.size() && !t[i].is_punct('(')) ++i;
  if (i >= t.size()) return out;
  std::size_t close = matching_paren(t, i);
  for (auto [b, e] : split_items(t, i + 1, close)) {
    // Drop trailing ASC/DESC and COLLATE name: they qualify the element, not its expression.
    while (e > b + 1) {
      if (t[e - 1].is("ASC") || t[e - 1].is("DESC"))
        --e;
      else if (e > b + 2 && t[e - 2].is("COLLATE"))
        e -= 2;
      else
        break;
    }
    out.elements.push_back(strip_outer_parentheses(sql.substr(t[b].begin, t[e - 1].end - t[b].begin)));
  }
  for (std::size_t j = close; j < t.size(); ++j)
    if (t[j].is("WHERE") && j + 1 < t.size()) {
      out.where = trim(sql.substr(t[j + 1].begin));
      break;
    }
  return out;
}

std::string parse_view_definition(std::string_view sql) {
  auto t = tokenize_sql(sql);
  int depth = 0;
  bool after_view = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].is("VIEW")) after_view = true;
    if (t[i].is_punct('('))
      ++depth;
    else if (t[i].is_punct(')'))
      --depth;
    else if (after_view && depth == 0 && t[i].is("AS") && i + 1 < t.size())
      return trim(sql.substr(t[i + 1].begin));
  }
  return trim(sql);
}

std::string strip_outer_parentheses(std::string_view text) {
  std::string s = trim(text);
  for (;;) {
    auto t = tokenize_sql(s);
    if (t.size() < 2 || !t.front().is_punct('(') || matching_paren(t, 0) != t.size() - 1) return s;
    s = trim(std::string_view(s).substr(1, t.back().begin - 1));
  }
}

}  // namespace retort::dialects::sqlite
