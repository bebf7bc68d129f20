// Naming conventions for constraints and indexes, as SQLAlchemy's MetaData(naming_convention=):
// templates keyed "pk", "fk", "uq", "ck", "ix" with tokens such as %(table_name)s,
// %(column_0_name)s, %(column_0_label)s, %(column_0N_name)s, %(column_0_N_name)s,
// %(referred_table_name)s, %(referred_column_0_name)s and %(constraint_name)s.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace retort::core {

class NamingConvention {
 public:
  /// SQLAlchemy's default: only indexes get names, "ix_%(column_0_label)s".
  NamingConvention();
  explicit NamingConvention(std::map<std::string, std::string> templates);

  const std::map<std::string, std::string>& templates() const noexcept { return templates_; }

  /// Fills a name for a constraint of `kind` ("pk", "fk", "uq", "ck", "ix"); returns `given`
  /// untouched when no template applies. Throws ArgumentError for an unknown token.
  std::string apply(const std::string& kind, const std::string& given, const std::string& table,
                    const std::vector<std::string>& columns, const std::string& referred_table = {},
                    const std::vector<std::string>& referred_columns = {}) const;

 private:
  std::map<std::string, std::string> templates_;
};

/// The name batch mode knows an unnamed CHECK by, so that a migration can drop it:
/// "ck_<table>_<8 hex digits from its condition>", the same for the same condition.
std::string unnamed_check_name(const std::string& table, const std::string& condition);

}  // namespace retort::core
