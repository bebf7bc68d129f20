// Quoting of identifiers: only where needed (reserved words, upper case, special characters,
// a leading digit), always correctly (embedded quote characters are doubled).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace retort::core {

class IdentifierPreparer {
 public:
  /// `reserved` holds lower-case reserved words.
  IdentifierPreparer(char initial_quote, char final_quote, std::unordered_set<std::string> reserved);

  /// The identifier, quoted when the database would otherwise misread it.
  std::string quote(std::string_view ident) const;
  /// The identifier, always quoted.
  std::string quote_always(std::string_view ident) const;
  bool requires_quotes(std::string_view ident) const;
  /// schema.name with each part quoted as needed.
  std::string format_table(std::string_view name, const std::optional<std::string>& schema) const;

 private:
  char initial_;
  char final_;
  std::unordered_set<std::string> reserved_;
};

/// The SQL:2016 reserved words plus those common to SQLite, PostgreSQL and MySQL.
const std::unordered_set<std::string>& common_reserved_words();

}  // namespace retort::core
