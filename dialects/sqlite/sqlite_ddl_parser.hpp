// Reads what SQLite's pragmas leave out from the CREATE statements kept in sqlite_master:
// constraint names, CHECK text, DEFERRABLE, generated-column expressions, index expressions
// and WHERE clauses, view bodies. A small tokenizer that respects quotes ("x", [x], `x`, 'x'),
// comments and parentheses; not a full SQL parser, only the shapes CREATE TABLE/INDEX/VIEW take.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::dialects::sqlite {

struct SqlToken {
  enum class Kind { Word, QuotedIdentifier, String, Number, Punct };
  Kind kind{};
  std::string value{};  // identifiers and strings unquoted; words as written
  std::size_t begin{};  // offsets into the source text
  std::size_t end{};
  /// An unquoted word equal to `word` ignoring case.
  bool is(std::string_view word) const;
  bool is_punct(char c) const { return kind == Kind::Punct && value.size() == 1 && value[0] == c; }
  /// A name: a word or a quoted identifier (SQLite also takes 'x' as a name in DDL).
  bool is_name() const { return kind == Kind::Word || kind == Kind::QuotedIdentifier || kind == Kind::String; }
};

/// Splits SQL into tokens, dropping whitespace and comments.
std::vector<SqlToken> tokenize_sql(std::string_view sql);

struct ParsedForeignKey {
  std::string name{};
  std::vector<std::string> columns{};
  std::string referred_table{};
  std::vector<std::string> referred_columns{};
  std::string ondelete{};
  std::string onupdate{};
  std::optional<bool> deferrable{};
  std::string initially{};
};

struct ParsedUnique {
  std::string name{};
  std::vector<std::string> columns{};
};

struct ParsedCheck {
  std::string name{};
  std::string sqltext{};  // the condition inside CHECK ( ... ), as written
};

struct ParsedColumn {
  std::string name{};
  std::string type{};                      // the declared type as written
  std::optional<std::string> generated{};  // GENERATED ALWAYS AS (expr): the expression
  bool generated_stored = false;
};

struct ParsedTable {
  std::vector<ParsedColumn> columns{};
  std::string primary_key_name{};
  std::vector<std::string> primary_key_columns{};
  bool autoincrement = false;  // PRIMARY KEY AUTOINCREMENT
  bool without_rowid = false;
  std::vector<ParsedForeignKey> foreign_keys{};  // in declaration order, column-level included
  std::vector<ParsedUnique> uniques{};
  std::vector<ParsedCheck> checks{};
};

/// Parses CREATE TABLE text. Unknown shapes leave fields empty rather than throwing.
ParsedTable parse_create_table(std::string_view sql);

struct ParsedIndex {
  /// Each element as written, without COLLATE/ASC/DESC and without one pair of outer parentheses.
  std::vector<std::string> elements{};
  std::optional<std::string> where{};
};

ParsedIndex parse_create_index(std::string_view sql);

/// The SELECT of a CREATE VIEW statement (the text after its AS).
std::string parse_view_definition(std::string_view sql);

/// Removes enclosing parentheses that wrap the whole text, and surrounding whitespace.
std::string strip_outer_parentheses(std::string_view text);

}  // namespace retort::dialects::sqlite
