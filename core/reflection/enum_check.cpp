// Recognising an Enum column's CHECK in reflected SQL: a small scanner over identifiers, string
// literals and punctuation, enough for the conditions the DDL compilers write.
#include <retort/core/reflection/enum_check.hpp>

#include <cctype>

#include <retort/core/text.hpp>

namespace retort::core {

namespace {

struct Token {
  enum Kind { Identifier, Literal, Punct, Other } kind;
  std::string text;  // identifier unquoted, literal unescaped, punctuation as is
  bool quoted = false;
};

/// The tokens of `sql`, or none when a quote is left open.
std::optional<std::vector<Token>> tokens_of(std::string_view sql) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'') {
      std::string text;
      for (++i;; ++i) {
        if (i >= sql.size()) return std::nullopt;
        if (sql[i] == '\'') {
          if (i + 1 < sql.size() && sql[i + 1] == '\'') {
            text += '\'';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        text += sql[i];
      }
      out.push_back({Token::Literal, std::move(text)});
    } else if (c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      std::string text;
      for (++i;; ++i) {
        if (i >= sql.size()) return std::nullopt;
        if (sql[i] == close) {
          if (close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
            text += close;
            ++i;
            continue;
          }
          ++i;
          break;
        }
        text += sql[i];
      }
      out.push_back({Token::Identifier, std::move(text), true});
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80) {
      std::size_t start = i;
      while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' || sql[i] == '$' ||
                                static_cast<unsigned char>(sql[i]) >= 0x80))
        ++i;
      out.push_back({Token::Identifier, std::string(sql.substr(start, i - start))});
    } else {
      out.push_back({c == '(' || c == ')' || c == ',' ? Token::Punct : Token::Other, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

bool names(const Token& t, std::string_view column) {
  return t.kind == Token::Identifier && (t.quoted ? t.text == column : iequals(t.text, column));
}

}  // namespace

std::optional<std::vector<std::string>> enum_check_values(std::string_view condition, std::string_view column) {
  auto tokens = tokens_of(condition);
  if (!tokens) return std::nullopt;
  auto& t = *tokens;
  // Parentheses around the whole condition.
  std::size_t begin = 0, end = t.size();
  while (end - begin >= 2 && t[begin].text == "(" && t[begin].kind == Token::Punct && t[end - 1].text == ")") {
    ++begin;
    --end;
  }
  // column IN ( 'a' , 'b' ... )
  if (end - begin < 5 || !names(t[begin], column) || t[begin + 1].kind != Token::Identifier || t[begin + 1].quoted ||
      !iequals(t[begin + 1].text, "IN") || t[begin + 2].text != "(" || t[end - 1].text != ")")
    return std::nullopt;
  std::vector<std::string> values;
  for (std::size_t i = begin + 3; i < end - 1; ++i) {
    bool value_slot = (i - (begin + 3)) % 2 == 0;
    if (value_slot && t[i].kind == Token::Literal)
      values.push_back(t[i].text);
    else if (!value_slot && t[i].kind == Token::Punct && t[i].text == ",")
      continue;
    else
      return std::nullopt;
  }
  if (values.empty() || (end - 1 - (begin + 3)) % 2 == 0) return std::nullopt;  // none, or a trailing comma
  return values;
}

bool check_mentions(std::string_view condition, std::string_view column) {
  auto tokens = tokens_of(condition);
  if (!tokens) return true;  // cannot tell: treat it as naming the column
  for (const auto& t : *tokens)
    if (names(t, column)) return true;
  return false;
}

}  // namespace retort::core
