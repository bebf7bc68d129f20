// Identifier quoting rules.
#include <retort/core/sql/identifier_preparer.hpp>

namespace retort::core {

IdentifierPreparer::IdentifierPreparer(char initial_quote, char final_quote, std::unordered_set<std::string> reserved)
    : initial_(initial_quote), final_(final_quote), reserved_(std::move(reserved)) {}

bool IdentifierPreparer::requires_quotes(std::string_view ident) const {
  if (ident.empty()) return true;
  char first = ident.front();
  if (!((first >= 'a' && first <= 'z') || first == '_')) return true;
  for (char c : ident) {
    bool legal = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    if (!legal) return true;  // upper case, spaces, quotes, non-ASCII
  }
  return reserved_.count(std::string(ident)) > 0;
}

std::string IdentifierPreparer::quote_always(std::string_view ident) const {
  std::string out;
  out.reserve(ident.size() + 2);
  out += initial_;
  for (char c : ident) {
    if (c == final_) out += final_;
    out += c;
  }
  out += final_;
  return out;
}

std::string IdentifierPreparer::quote(std::string_view ident) const {
  return requires_quotes(ident) ? quote_always(ident) : std::string(ident);
}

std::string IdentifierPreparer::format_table(std::string_view name, const std::optional<std::string>& schema) const {
  if (schema && !schema->empty()) return quote(*schema) + "." + quote(name);
  return quote(name);
}

const std::unordered_set<std::string>& common_reserved_words() {
  static const std::unordered_set<std::string> words = {"abort",
                                                        "action",
                                                        "add",
                                                        "after",
                                                        "all",
                                                        "alter",
                                                        "analyze",
                                                        "and",
                                                        "any",
                                                        "array",
                                                        "as",
                                                        "asc",
                                                        "asymmetric",
                                                        "attach",
                                                        "authorization",
                                                        "autoincrement",
                                                        "before",
                                                        "begin",
                                                        "between",
                                                        "binary",
                                                        "both",
                                                        "by",
                                                        "cascade",
                                                        "case",
                                                        "cast",
                                                        "check",
                                                        "collate",
                                                        "collation",
                                                        "column",
                                                        "commit",
                                                        "concurrently",
                                                        "conflict",
                                                        "constraint",
                                                        "create",
                                                        "cross",
                                                        "current",
                                                        "current_catalog",
                                                        "current_date",
                                                        "current_role",
                                                        "current_schema",
                                                        "current_time",
                                                        "current_timestamp",
                                                        "current_user",
                                                        "database",
                                                        "default",
                                                        "deferrable",
                                                        "deferred",
                                                        "delete",
                                                        "desc",
                                                        "detach",
                                                        "distinct",
                                                        "do",
                                                        "drop",
                                                        "each",
                                                        "else",
                                                        "end",
                                                        "escape",
                                                        "except",
                                                        "exclusive",
                                                        "exists",
                                                        "explain",
                                                        "fail",
                                                        "false",
                                                        "fetch",
                                                        "filter",
                                                        "for",
                                                        "foreign",
                                                        "freeze",
                                                        "from",
                                                        "full",
                                                        "glob",
                                                        "grant",
                                                        "group",
                                                        "having",
                                                        "if",
                                                        "ignore",
                                                        "ilike",
                                                        "immediate",
                                                        "in",
                                                        "index",
                                                        "indexed",
                                                        "initially",
                                                        "inner",
                                                        "insert",
                                                        "instead",
                                                        "intersect",
                                                        "into",
                                                        "is",
                                                        "isnull",
                                                        "join",
                                                        "key",
                                                        "lateral",
                                                        "leading",
                                                        "left",
                                                        "like",
                                                        "limit",
                                                        "localtime",
                                                        "localtimestamp",
                                                        "match",
                                                        "natural",
                                                        "no",
                                                        "not",
                                                        "notnull",
                                                        "null",
                                                        "of",
                                                        "offset",
                                                        "on",
                                                        "only",
                                                        "or",
                                                        "order",
                                                        "outer",
                                                        "over",
                                                        "overlaps",
                                                        "placing",
                                                        "plan",
                                                        "pragma",
                                                        "primary",
                                                        "query",
                                                        "raise",
                                                        "range",
                                                        "recursive",
                                                        "references",
                                                        "regexp",
                                                        "reindex",
                                                        "release",
                                                        "rename",
                                                        "replace",
                                                        "restrict",
                                                        "returning",
                                                        "right",
                                                        "rollback",
                                                        "row",
                                                        "rows",
                                                        "savepoint",
                                                        "select",
                                                        "session_user",
                                                        "set",
                                                        "similar",
                                                        "some",
                                                        "symmetric",
                                                        "table",
                                                        "temp",
                                                        "temporary",
                                                        "then",
                                                        "to",
                                                        "trailing",
                                                        "transaction",
                                                        "trigger",
                                                        "true",
                                                        "union",
                                                        "unique",
                                                        "update",
                                                        "user",
                                                        "using",
                                                        "vacuum",
                                                        "values",
                                                        "variadic",
                                                        "verbose",
                                                        "view",
                                                        "virtual",
                                                        "when",
                                                        "where",
                                                        "window",
                                                        "with",
                                                        "without"};
  return words;
}

}  // namespace retort::core
