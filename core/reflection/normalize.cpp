// The round-trip rules of normalize.hpp, in the order they are listed there.
#include <retort/core/reflection/normalize.hpp>
#include <retort/core/text.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/dialect.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/type_compiler.hpp>

namespace retort::core {

namespace {

/// Collapses whitespace outside quotes and drops it next to parentheses and commas.
std::string collapse(std::string_view sql) {
  std::string out;
  char quote = 0;
  bool pending_space = false;
  for (char c : sql) {
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space && c != ')' && c != ',' && !out.empty() && out.back() != '(') out += ' ';
    pending_space = false;
    if (c == '\'' || c == '"' || c == '`') quote = c;
    if (c == '[') quote = ']';
    out += c;
  }
  return out;
}

/// Whether text[0] == '(' closes at the very end (quote-aware).
bool wrapped_in_parentheses(std::string_view s) {
  if (s.size() < 2 || s.front() != '(' || s.back() != ')') return false;
  int depth = 0;
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`')
      quote = c;
    else if (c == '[')
      quote = ']';
    else if (c == '(')
      ++depth;
    else if (c == ')' && --depth == 0 && i + 1 != s.size())
      return false;
  }
  return true;
}

std::string spelling(const Dialect& dialect, const SqlType& type) {
  if (type.kind == TypeKind::Null) return "";
  try {
    return collapse(to_upper(dialect.type_compiler().process(type)));
  } catch (const CompileError&) {
    return collapse(to_upper(type.to_string()));  // a type of another dialect: its own spelling
  }
}

/// "ALWAYS (START WITH 5)", "BY DEFAULT", or "none" for a column that is not an identity.
std::string identity_text(const std::optional<Identity>& identity) {
  if (!identity) return "none";
  std::vector<std::string> options;
  if (identity->start) options.push_back(fmt::format("START WITH {}", *identity->start));
  if (identity->increment) options.push_back(fmt::format("INCREMENT BY {}", *identity->increment));
  std::string out = identity->always ? "ALWAYS" : "BY DEFAULT";
  if (!options.empty()) out += fmt::format(" ({})", fmt::join(options, " "));
  return out;
}

std::string action(std::string_view a) {
  std::string u = collapse(to_upper(a));
  return u == "NO ACTION" ? std::string() : u;
}

std::string names(const std::vector<std::string>& v) { return fmt::format("({})", fmt::join(v, ", ")); }

/// A foreign key's MATCH as compared: SIMPLE is the default, written or not.
std::string match_type(const std::string& match) {
  std::string m = to_upper(match);
  return m == "SIMPLE" ? std::string() : m;
}

/// A CHECK condition as databases rewrite it, for comparison: type casts dropped (PostgreSQL
/// writes note::text <> ''::text), a number in quotes unquoted ('-100'::integer), identifier
/// quotes and parentheses dropped (MySQL writes `balance`, PostgreSQL wraps every comparison),
/// spacing collapsed and everything outside string literals in lower case.
std::string condition_text(std::string_view sql) {
  static const std::regex casts(
      R"(::(?:"[^"]+"|character varying|double precision|(?:timestamp|time) with(?:out)? time zone|[A-Za-z_][A-Za-z0-9_]*)(?:\([0-9, ]+\))?(?:\[\])*)",
      std::regex::icase);
  static const std::regex quoted_number(R"('([-+]?[0-9]+(?:\.[0-9]+)?)')");
  std::string s = std::regex_replace(std::string(sql), casts, "");
  s = std::regex_replace(s, quoted_number, "$1");
  std::string out;
  bool in_string = false, space = false;
  for (char ch : s) {
    if (ch == '\'') in_string = !in_string;
    if (!in_string && (ch == '"' || ch == '`' || ch == '(' || ch == ')')) continue;
    if (!in_string && std::isspace(static_cast<unsigned char>(ch))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += in_string ? ch : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

/// Whether two CHECK conditions say the same (rule 8).
bool same_condition(std::string_view a, std::string_view b) {
  return normalize_sql(a) == normalize_sql(b) || condition_text(a) == condition_text(b);
}

class TableComparer {
 public:
  TableComparer(const Table& declared, const ReflectedTable& reflected, const Dialect& dialect)
      : d_(declared), r_(reflected), dialect_(dialect), compiler_(dialect.statement_compiler()) {}

  std::vector<SchemaDifference> run() {
    columns();
    primary_key();
    foreign_keys();
    uniques();
    checks();
    indexes();
    at(std::nullopt, std::nullopt);
    if (dialect_.features().supports_comments && d_.comment() != r_.comment)
      changed(SchemaObject::Table, "", "comment", show(d_.comment()), show(r_.comment));
    return std::move(out_);
  }

 private:
  static std::string show(const std::optional<std::string>& s) { return s ? "'" + *s + "'" : "none"; }
  // The positions of the objects being compared (SchemaDifference::declared_position), set by
  // each comparison before it reports.
  std::optional<std::size_t> here_declared_, here_reflected_;
  void at(std::optional<std::size_t> declared, std::optional<std::size_t> reflected) {
    here_declared_ = declared;
    here_reflected_ = reflected;
  }
  void add(SchemaChange change, SchemaObject object, std::string name, std::string attribute = {},
           std::optional<std::string> declared = {}, std::optional<std::string> reflected = {}, std::string note = {}) {
    out_.push_back({change, object, d_.fullname(), std::move(name), std::move(attribute), std::move(declared),
                    std::move(reflected), std::move(note), here_declared_, here_reflected_});
  }
  void missing(SchemaObject object, std::string name, std::size_t declared) {
    at(declared, std::nullopt);
    add(SchemaChange::Missing, object, std::move(name));
  }
  void extra(SchemaObject object, std::string name, std::size_t reflected) {
    at(std::nullopt, reflected);
    add(SchemaChange::Extra, object, std::move(name));
  }
  void changed(SchemaObject object, std::string name, std::string attribute, std::string declared,
               std::string reflected) {
    add(SchemaChange::Changed, object, std::move(name), std::move(attribute), std::move(declared),
        std::move(reflected));
  }
  void noted(SchemaObject object, std::string name, std::string note) {
    add(SchemaChange::Changed, object, std::move(name), {}, {}, {}, std::move(note));
  }
  std::string rendered(const Expr& e) { return compiler_->render_ddl_expression(*e.node()); }

  void columns() {
    for (std::size_t p = 0; p < d_.columns().size(); ++p) {
      const auto& c = d_.columns()[p];
      auto it = std::find_if(r_.columns.begin(), r_.columns.end(),
                             [&](const ReflectedColumn& rc) { return rc.name == c.name(); });
      if (it == r_.columns.end()) {
        missing(SchemaObject::Column, c.name(), p);
        continue;
      }
      at(p, static_cast<std::size_t>(it - r_.columns.begin()));
      column(c, *it);
    }
    for (std::size_t p = 0; p < r_.columns.size(); ++p)
      if (!d_.has_column(r_.columns[p].name)) extra(SchemaObject::Column, r_.columns[p].name, p);
  }

  void column(const Column& c, const ReflectedColumn& rc) {
    auto about = [&](std::string attribute, std::string declared, std::string reflected) {
      changed(SchemaObject::Column, c.name(), std::move(attribute), std::move(declared), std::move(reflected));
    };
    auto note = [&](std::string text) { noted(SchemaObject::Column, c.name(), std::move(text)); };
    if (!types_equivalent(d_, c, rc, dialect_))
      about("type", spelling(dialect_, c.type()), spelling(dialect_, rc.type));
    bool identity = c.identity_options().has_value();
    const auto& pk = d_.primary_key().columns;
    bool in_primary_key = std::find(pk.begin(), pk.end(), c.name()) != pk.end();
    const auto& reflected_pk = r_.primary_key.columns;
    bool in_both_keys =
        in_primary_key && std::find(reflected_pk.begin(), reflected_pk.end(), c.name()) != reflected_pk.end();
    if (!identity && c.is_nullable() != rc.nullable && !(in_primary_key && !rc.nullable) && !in_both_keys)
      about("nullable", c.is_nullable() ? "NULL" : "NOT NULL", rc.nullable ? "NULL" : "NOT NULL");
    if (!c.computed_options()) {
      std::optional<std::string> declared_default;
      if (c.server_default_expr()) declared_default = normalize_default(rendered(*c.server_default_expr()));
      std::optional<std::string> reflected_default;
      if (rc.default_sql && !(rc.autoincrement && !declared_default && !identity))
        reflected_default = normalize_default(*rc.default_sql);
      if (identity) reflected_default = declared_default;  // identity columns report their generator
      if (declared_default != reflected_default) about("default", show(declared_default), show(reflected_default));
    }
    if (d_.is_autoincrement(c) && !rc.autoincrement && !identity) note("autoincrement declared, not reflected");
    // "computed as": its expression, or "none" for a plain column on one side.
    auto computed_as = [](const std::optional<Computed>& computed) {
      return computed ? "(" + computed->sqltext + ")" : std::string("none");
    };
    if (c.computed_options().has_value() != rc.computed.has_value()) {
      about("computed as", computed_as(c.computed_options()), computed_as(rc.computed));
    } else if (c.computed_options()) {
      const auto& dc = *c.computed_options();
      if (!same_condition(dc.sqltext, rc.computed->sqltext))  // MySQL quotes its names: `w` * `h`
        about("computed as", computed_as(dc), computed_as(rc.computed));
      if (dc.persisted && rc.computed->persisted && *dc.persisted != *rc.computed->persisted)
        about("computed", *dc.persisted ? "STORED" : "VIRTUAL", *rc.computed->persisted ? "STORED" : "VIRTUAL");
    }
    if (dialect_.features().supports_identity_columns) {
      // An unset START WITH or INCREMENT BY in the declaration accepts what the database has.
      const auto& di = c.identity_options();
      const auto& ri = rc.identity;
      bool differs = di.has_value() != ri.has_value() ||
                     (di && (di->always != ri->always || (di->start && di->start != ri->start) ||
                             (di->increment && di->increment != ri->increment)));
      if (differs) about("identity", identity_text(di), identity_text(ri));
    }
    if (dialect_.features().supports_comments && c.comment_text() != rc.comment)
      about("comment", show(c.comment_text()), show(rc.comment));
  }

  void primary_key() {
    const auto& pk = d_.primary_key();
    at(0, 0);
    if (pk.columns != r_.primary_key.columns)
      changed(SchemaObject::PrimaryKey, "", "columns", names(pk.columns), names(r_.primary_key.columns));
    else if (!pk.name.empty() && !r_.primary_key.name.empty() && pk.name != r_.primary_key.name)
      changed(SchemaObject::PrimaryKey, "", "name", "'" + pk.name + "'", "'" + r_.primary_key.name + "'");
  }

  std::string referred_schema(const std::optional<std::string>& s) const { return s.value_or(r_.schema.value_or("")); }

  void foreign_keys() {
    std::vector<bool> used(r_.foreign_keys.size(), false);
    for (std::size_t p = 0; p < d_.foreign_keys().size(); ++p) {
      const auto& fk = d_.foreign_keys()[p];
      std::string what = fmt::format("{} -> {}{}", names(fk.columns), fk.referred_table, names(fk.referred_columns));
      auto about = [&](std::string attribute, std::string declared, std::string reflected) {
        changed(SchemaObject::ForeignKey, what, std::move(attribute), std::move(declared), std::move(reflected));
      };
      auto note = [&](std::string text) { noted(SchemaObject::ForeignKey, what, std::move(text)); };
      std::size_t i = 0;
      for (; i < r_.foreign_keys.size(); ++i) {
        const auto& rf = r_.foreign_keys[i];
        if (!used[i] && rf.columns == fk.columns && rf.referred_table == fk.referred_table &&
            rf.referred_columns == fk.referred_columns)
          break;
      }
      if (i == r_.foreign_keys.size()) {
        missing(SchemaObject::ForeignKey, what, p);
        continue;
      }
      used[i] = true;
      at(p, i);
      const auto& rf = r_.foreign_keys[i];
      if (!fk.name.empty() && fk.name != rf.name) about("name", "'" + fk.name + "'", "'" + rf.name + "'");
      if (fk.referred_schema && referred_schema(fk.referred_schema) != referred_schema(rf.referred_schema))
        note("referred schema differs");
      if (action(fk.ondelete) != action(rf.ondelete))
        about("ON DELETE", "'" + fk.ondelete + "'", "'" + rf.ondelete + "'");
      if (action(fk.onupdate) != action(rf.onupdate))
        about("ON UPDATE", "'" + fk.onupdate + "'", "'" + rf.onupdate + "'");
      if (fk.deferrable && fk.deferrable != rf.deferrable) note("DEFERRABLE differs");
      if (!fk.initially.empty() && to_upper(fk.initially) != to_upper(rf.initially)) note("INITIALLY differs");
      if (dialect_.features().reflects_foreign_key_match && match_type(fk.match) != match_type(rf.match))
        about("MATCH", "'" + match_type(fk.match) + "'", "'" + match_type(rf.match) + "'");
    }
    for (std::size_t i = 0; i < used.size(); ++i)
      if (!used[i])
        extra(SchemaObject::ForeignKey,
              fmt::format("{} -> {}{}", names(r_.foreign_keys[i].columns), r_.foreign_keys[i].referred_table,
                          names(r_.foreign_keys[i].referred_columns)),
              i);
  }

  void uniques() {
    std::vector<bool> used(r_.unique_constraints.size(), false);
    // Rule 9: a declared unique index the database reflects as a unique constraint.
    for (const auto& ix : d_.indexes()) {
      if (!ix.unique || reflected_index(ix.name)) continue;
      for (std::size_t i = 0; i < used.size(); ++i)
        if (!used[i] && r_.unique_constraints[i].name == ix.name &&
            r_.unique_constraints[i].columns == ix.column_names()) {
          used[i] = true;
          unique_index_as_constraint_.push_back(ix.name);
          break;
        }
    }
    for (std::size_t p = 0; p < d_.unique_constraints().size(); ++p) {
      const auto& uq = d_.unique_constraints()[p];
      std::size_t i = 0;
      while (i < used.size() && (used[i] || r_.unique_constraints[i].columns != uq.columns)) ++i;
      if (i == used.size()) {
        missing(SchemaObject::UniqueConstraint, names(uq.columns), p);
        continue;
      }
      used[i] = true;
      at(p, i);
      if (!uq.name.empty() && uq.name != r_.unique_constraints[i].name)
        changed(SchemaObject::UniqueConstraint, names(uq.columns), "name", "'" + uq.name + "'",
                "'" + r_.unique_constraints[i].name + "'");
    }
    for (std::size_t i = 0; i < used.size(); ++i)
      if (!used[i]) extra(SchemaObject::UniqueConstraint, names(r_.unique_constraints[i].columns), i);
  }

  void checks() {
    std::vector<CheckConstraint> expected = d_.check_constraints();
    for (const auto& c : d_.columns()) {
      if (c.type().kind != TypeKind::Enum || c.type().enum_values.empty()) continue;
      if (to_upper(dialect_.type_compiler().process(c.type())).rfind("VARCHAR", 0) != 0) continue;
      std::vector<std::string> values;
      for (const auto& v : c.type().enum_values) values.push_back(compiler_->render_literal(Value(v), String{}));
      expected.push_back({fmt::format("{} IN ({})", dialect_.preparer().quote(c.name()), fmt::join(values, ", ")), {}});
    }
    std::vector<bool> used(r_.check_constraints.size(), false);
    // Positions past check_constraints() are the CHECKs an Enum column brings (no declared object).
    for (std::size_t p = 0; p < expected.size(); ++p) {
      const auto& ck = expected[p];
      std::size_t i = 0;
      for (; i < used.size(); ++i) {
        const auto& rc = r_.check_constraints[i];
        if (used[i]) continue;
        if (!ck.name.empty() ? rc.name == ck.name : same_condition(rc.sqltext, ck.sqltext)) break;
      }
      if (i == used.size()) {
        missing(SchemaObject::CheckConstraint, (ck.name.empty() ? "" : ck.name + " ") + "(" + ck.sqltext + ")", p);
        continue;
      }
      used[i] = true;
      at(p, i);
      if (!same_condition(r_.check_constraints[i].sqltext, ck.sqltext))
        changed(SchemaObject::CheckConstraint, ck.name, "condition", "(" + ck.sqltext + ")",
                "(" + r_.check_constraints[i].sqltext + ")");
    }
    for (std::size_t i = 0; i < used.size(); ++i)
      if (!used[i]) extra(SchemaObject::CheckConstraint, "(" + r_.check_constraints[i].sqltext + ")", i);
  }

  const ReflectedIndex* reflected_index(const std::string& name) const {
    auto it =
        std::find_if(r_.indexes.begin(), r_.indexes.end(), [&](const ReflectedIndex& ri) { return ri.name == name; });
    return it == r_.indexes.end() ? nullptr : &*it;
  }

  void indexes() {
    for (std::size_t p = 0; p < d_.indexes().size(); ++p) {
      const auto& ix = d_.indexes()[p];
      if (std::find(unique_index_as_constraint_.begin(), unique_index_as_constraint_.end(), ix.name) !=
          unique_index_as_constraint_.end())
        continue;
      auto it = std::find_if(r_.indexes.begin(), r_.indexes.end(),
                             [&](const ReflectedIndex& ri) { return ri.name == ix.name; });
      if (it == r_.indexes.end()) {
        missing(SchemaObject::Index, ix.name, p);
        continue;
      }
      at(p, static_cast<std::size_t>(it - r_.indexes.begin()));
      auto about = [&](std::string attribute, std::string declared, std::string reflected) {
        changed(SchemaObject::Index, ix.name, std::move(attribute), std::move(declared), std::move(reflected));
      };
      if (ix.unique != it->unique)
        noted(SchemaObject::Index, ix.name,
              ix.unique ? "UNIQUE declared, not reflected" : "UNIQUE reflected, not declared");
      if (ix.column_names() != it->columns) about("columns", names(ix.column_names()), names(it->columns));
      std::vector<std::string> declared_expressions, reflected_expressions;
      for (const auto& e : ix.elements)
        if (e.expression) declared_expressions.push_back(normalize_sql(rendered(*e.expression)));
      for (const auto& e : it->expressions) reflected_expressions.push_back(normalize_sql(e));
      if (declared_expressions != reflected_expressions)
        about("expressions", names(declared_expressions), names(reflected_expressions));
      std::optional<std::string> where, reflected_where;
      if (ix.where_clause) where = normalize_sql(rendered(*ix.where_clause));
      if (it->where) reflected_where = normalize_sql(*it->where);
      if (where != reflected_where) about("WHERE", show(where), show(reflected_where));
      auto include = [](const std::map<std::string, std::string>& options) {
        auto found = options.find("postgresql_include");
        return found == options.end() ? std::string() : normalize_sql(found->second);
      };
      if (dialect_.features().supports_index_include && include(ix.dialect_options) != include(it->dialect_options))
        about("INCLUDE", "(" + include(ix.dialect_options) + ")", "(" + include(it->dialect_options) + ")");
    }
    for (std::size_t p = 0; p < r_.indexes.size(); ++p) {
      const auto& ri = r_.indexes[p];
      bool declared =
          std::any_of(d_.indexes().begin(), d_.indexes().end(), [&](const Index& ix) { return ix.name == ri.name; });
      if (!declared) extra(SchemaObject::Index, ri.name, p);
    }
  }

  const Table& d_;
  const ReflectedTable& r_;
  const Dialect& dialect_;
  std::unique_ptr<SqlCompiler> compiler_;
  std::vector<std::string> unique_index_as_constraint_;  // rule 9: declared indexes found as constraints
  std::vector<SchemaDifference> out_;
};

}  // namespace

namespace {

/// Rule 4: 'x'::character varying -> 'x', '-1'::integer -> '-1', true -> TRUE.
std::string literal_without_casts(std::string s) {
  static const std::regex cast_literal(
      R"(^('(?:[^']|'')*'|[-+]?[0-9]+(?:\.[0-9]+)?)(?:::(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_ .]*)(?:\([0-9, ]+\))?(?:\[\])*)+$)");
  std::smatch m;
  if (std::regex_match(s, m, cast_literal)) return m[1].str();
  std::string u = to_upper(s);
  if (u == "TRUE" || u == "FALSE" || u == "NULL") return u;
  return s;
}

}  // namespace

std::string normalize_sql(std::string_view sql) {
  std::string s = collapse(sql);
  while (wrapped_in_parentheses(s)) s = collapse(std::string_view(s).substr(1, s.size() - 2));
  return s;
}

namespace {

/// Rule 4: 0.00 -> 0, 1.50 -> 1.5, -2.0 -> -2 (plain decimals only; anything else unchanged).
std::string plain_number(std::string s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  std::size_t digits = 0, point = std::string::npos;
  for (std::size_t j = i; j < s.size(); ++j) {
    if (std::isdigit(static_cast<unsigned char>(s[j])))
      ++digits;
    else if (s[j] == '.' && point == std::string::npos)
      point = j;
    else
      return s;
  }
  if (digits == 0 || point == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s.empty() || s == "-" || s == "+") return "0";  // .0 -> 0
  return s;
}

/// Rule 4: the niladic date-time functions in one spelling.
std::string datetime_function(const std::string& s) {
  std::string u = to_upper(s);
  if (u.size() > 2 && u.compare(u.size() - 2, 2, "()") == 0) u.resize(u.size() - 2);
  if (u == "NOW") return "CURRENT_TIMESTAMP";
  for (const char* f : {"CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME"})
    if (u == f) return u;
  return s;
}

}  // namespace

std::string normalize_default(std::string_view sql) {
  std::string s = datetime_function(plain_number(literal_without_casts(normalize_sql(sql))));
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') {
    std::string inner;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '\'') {
        if (s[i + 1] != '\'' || i + 2 >= s.size()) return s;  // two literals ('a' || 'b'): keep
        ++i;
      }
      inner += s[i];
    }
    return plain_number(inner);
  }
  return s;
}

std::string view_text(std::string_view sql) {
  // Tokens: string literals as written, identifiers unquoted in lower case, runs of operator
  // characters, single punctuation.
  std::vector<std::string> tokens;
  std::vector<bool> identifier;
  std::size_t i = 0;
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'') {
      std::size_t start = i++;
      while (i < sql.size() && !(sql[i] == '\'' && (i + 1 >= sql.size() || sql[i + 1] != '\'')))
        i += sql[i] == '\'' ? 2 : 1;
      ++i;
      tokens.emplace_back(sql.substr(start, std::min(i, sql.size()) - start));
      identifier.push_back(false);
    } else if (c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      std::size_t start = ++i;
      while (i < sql.size() && sql[i] != close) ++i;
      tokens.push_back(to_lower(sql.substr(start, i - start)));
      identifier.push_back(true);
      ++i;
    } else if (is_word(c)) {
      std::size_t start = i;
      while (i < sql.size() && is_word(sql[i])) ++i;
      tokens.push_back(to_lower(sql.substr(start, i - start)));
      identifier.push_back(!std::isdigit(static_cast<unsigned char>(c)));
    } else if (std::string_view("<>=!:|&+-*/%~^").find(c) != std::string_view::npos) {
      std::size_t start = i;
      while (i < sql.size() && std::string_view("<>=!:|&+-*/%~^").find(sql[i]) != std::string_view::npos) ++i;
      tokens.emplace_back(sql.substr(start, i - start));
      identifier.push_back(false);
    } else {
      tokens.emplace_back(1, c);
      identifier.push_back(false);
      ++i;
    }
  }
  std::vector<std::string> kept;
  std::string last_identifier;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const auto& t = tokens[k];
    if (t == "(" || t == ")" || t == ";") continue;
    if (identifier[k] && k + 1 < tokens.size() && tokens[k + 1] == ".") {  // a qualifier
      ++k;
      continue;
    }
    if (t == "::" && k + 1 < tokens.size() && identifier[k + 1]) {  // a cast
      ++k;
      continue;
    }
    if (t == "as" && k + 1 < tokens.size() && identifier[k + 1] && tokens[k + 1] == last_identifier) {
      ++k;  // `id` AS `id`
      continue;
    }
    last_identifier = identifier[k] ? t : std::string();
    kept.push_back(t);
  }
  return fmt::format("{}", fmt::join(kept, " "));
}

bool types_equivalent(const Table& table, const Column& declared, const ReflectedColumn& reflected,
                      const Dialect& dialect) {
  std::string d = spelling(dialect, declared.type());
  std::string r = spelling(dialect, reflected.type);
  if (d == r) return true;
  // 2a: CHAR(n) reads back as String{n}.
  if (reflected.type.kind == TypeKind::String && reflected.type.length &&
      d == fmt::format("CHAR({})", *reflected.type.length))
    return true;
  // 2b: an autoincrement integer key may come back as the dialect's plain INTEGER.
  if (reflected.autoincrement && reflected.type.kind == TypeKind::Integer && table.is_autoincrement(declared))
    return true;
  return false;
}

std::vector<SchemaDifference> table_differences(const Table& declared, const ReflectedTable& reflected,
                                                const Dialect& dialect) {
  return TableComparer(declared, reflected, dialect).run();
}

namespace {

std::string values_text(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const auto& v : values) quoted.push_back("'" + v + "'");
  return fmt::format("({})", fmt::join(quoted, ", "));
}

/// Views, where the declaration speaks for them (MetaData::declares_views): one declared and not
/// in the database, one there and not declared, and one whose SELECT differs (view_text).
void view_differences(const MetaData& declared, const ReflectedSchema& reflected, const std::string& scope,
                      std::vector<SchemaDifference>& out) {
  if (!declared.declares_views()) return;
  auto in_scope = [&](const std::optional<std::string>& s) { return s.value_or(scope) == scope; };
  std::set<std::string> names;
  for (const auto& v : declared.views()) {
    if (!in_scope(v.schema)) continue;
    names.insert(v.name);
    auto it = std::find_if(reflected.views.begin(), reflected.views.end(),
                           [&](const ReflectedView& r) { return r.name == v.name && in_scope(r.schema); });
    if (it == reflected.views.end()) {
      out.push_back({SchemaChange::Missing, SchemaObject::View, "", v.name});
      continue;
    }
    if (view_text(v.definition) == view_text(it->definition)) continue;
    SchemaDifference d{SchemaChange::Changed,       SchemaObject::View,           "", v.name, "definition",
                       normalize_sql(v.definition), normalize_sql(it->definition)};
    d.reflected_position = static_cast<std::size_t>(it - reflected.views.begin());
    out.push_back(std::move(d));
  }
  for (std::size_t p = 0; p < reflected.views.size(); ++p) {
    const auto& r = reflected.views[p];
    if (!in_scope(r.schema) || names.count(r.name)) continue;
    SchemaDifference d{SchemaChange::Extra, SchemaObject::View, "", r.name};
    d.reflected_position = p;
    out.push_back(std::move(d));
  }
}

/// Named enum types, through the columns that use them: a declared column's type missing from
/// the database or with other values (in order), and a type the database's columns use that no
/// declared column does. Types no column uses are left alone (functions may use them).
void enum_type_differences(const MetaData& declared, const ReflectedSchema& reflected, const std::string& scope,
                           std::vector<SchemaDifference>& out) {
  auto in_scope = [&](const std::optional<std::string>& s) { return s.value_or(scope) == scope; };
  std::vector<std::pair<std::string, const std::vector<std::string>*>> types;  // declared, in order of use
  std::set<std::string> declared_names;
  for (const Table* t : declared.tables()) {
    if (!in_scope(t->schema())) continue;
    for (const auto& c : t->columns())
      if (c.type().kind == TypeKind::Enum && !c.type().name.empty() && declared_names.insert(c.type().name).second)
        types.emplace_back(c.type().name, &c.type().enum_values);
  }
  auto position = [&](const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t p = 0; p < reflected.enums.size(); ++p)
      if (reflected.enums[p].name == name && in_scope(reflected.enums[p].schema)) return p;
    return std::nullopt;
  };
  for (const auto& [name, values] : types) {
    auto p = position(name);
    if (!p) {
      out.push_back({SchemaChange::Missing, SchemaObject::EnumType, "", name});
      continue;
    }
    if (reflected.enums[*p].values == *values) continue;
    SchemaDifference d{SchemaChange::Changed,
                       SchemaObject::EnumType,
                       "",
                       name,
                       "values",
                       values_text(*values),
                       values_text(reflected.enums[*p].values)};
    d.reflected_position = p;
    out.push_back(std::move(d));
  }
  std::set<std::string> used;
  for (const auto& t : reflected.tables)
    for (const auto& c : t.columns)
      if (c.type.kind == TypeKind::Enum && !c.type.name.empty()) used.insert(c.type.name);
  for (std::size_t p = 0; p < reflected.enums.size(); ++p) {
    const auto& e = reflected.enums[p];
    if (!in_scope(e.schema) || !used.count(e.name) || declared_names.count(e.name)) continue;
    SchemaDifference d{SchemaChange::Extra, SchemaObject::EnumType, "", e.name};
    d.reflected_position = p;
    out.push_back(std::move(d));
  }
}

}  // namespace

std::vector<SchemaDifference> schema_differences(const MetaData& declared, const ReflectedSchema& reflected,
                                                 const Dialect& dialect) {
  std::vector<SchemaDifference> out;
  const std::string scope = reflected.schema.value_or("");
  auto schema_of = [&](const std::optional<std::string>& s) { return s.value_or(scope); };
  std::set<std::string> scopes(reflected.other_schemas.begin(), reflected.other_schemas.end());
  scopes.insert(scope);
  // Tables matched by schema and name through maps: a schema has thousands of tables.
  auto key = [&](const std::optional<std::string>& schema, const std::string& name) {
    return schema_of(schema) + '\0' + name;
  };
  std::unordered_map<std::string, const ReflectedTable*> reflected_by_name;
  for (const auto& rt : reflected.tables)
    if (scopes.count(schema_of(rt.schema))) reflected_by_name.emplace(key(rt.schema, rt.name), &rt);  // the first
  std::unordered_set<std::string> declared_names;
  const auto& tables = declared.tables();
  for (std::size_t p = 0; p < tables.size(); ++p) {
    const Table* t = tables[p];
    if (!scopes.count(schema_of(t->schema()))) continue;
    declared_names.insert(key(t->schema(), t->name()));
    auto it = reflected_by_name.find(key(t->schema(), t->name()));
    if (it == reflected_by_name.end()) {
      SchemaDifference d{SchemaChange::Missing, SchemaObject::Table, t->fullname()};
      d.declared_position = p;
      out.push_back(std::move(d));
      continue;
    }
    auto more = table_differences(*t, *it->second, dialect);
    out.insert(out.end(), more.begin(), more.end());
  }
  for (std::size_t p = 0; p < reflected.tables.size(); ++p) {
    const auto& rt = reflected.tables[p];
    if (scopes.count(schema_of(rt.schema)) && !declared_names.count(key(rt.schema, rt.name))) {
      SchemaDifference d{SchemaChange::Extra, SchemaObject::Table, rt.schema ? *rt.schema + "." + rt.name : rt.name};
      d.reflected_position = p;
      out.push_back(std::move(d));
    }
  }
  view_differences(declared, reflected, scope, out);
  if (dialect.features().supports_named_enum_types) enum_type_differences(declared, reflected, scope, out);
  return out;
}

namespace {
const char* object_word(SchemaObject object) {
  switch (object) {
    case SchemaObject::Table: return "";
    case SchemaObject::Column: return "column";
    case SchemaObject::PrimaryKey: return "primary key";
    case SchemaObject::ForeignKey: return "foreign key";
    case SchemaObject::UniqueConstraint: return "unique constraint";
    case SchemaObject::CheckConstraint: return "check constraint";
    case SchemaObject::Index: return "index";
    case SchemaObject::EnumType: return "enum type";
    case SchemaObject::View: return "view";
  }
  return "";
}
}  // namespace

std::string describe(const SchemaDifference& d) {
  std::string subject = object_word(d.object);
  if (!d.name.empty()) subject += (subject.empty() ? "" : " ") + d.name;
  std::string out = d.table.empty() ? std::string() : "table " + d.table + ": ";
  switch (d.change) {
    case SchemaChange::Missing: return out + subject + (subject.empty() ? "" : " ") + "declared but not reflected";
    case SchemaChange::Extra: return out + subject + (subject.empty() ? "" : " ") + "reflected but not declared";
    case SchemaChange::Changed: break;
  }
  if (!subject.empty()) out += subject + ": ";
  if (!d.note.empty()) return out + d.note;
  return out + fmt::format("{}{}{} declared, {} reflected", d.attribute, d.attribute.empty() ? "" : " ",
                           d.declared.value_or("none"), d.reflected.value_or("none"));
}

}  // namespace retort::core
