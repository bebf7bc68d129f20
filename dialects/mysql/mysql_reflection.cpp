// MySQL/MariaDB reflection in one batched pass per schema (a database) over information_schema:
// the schema check, then one query per kind for every table at once (tables, columns, index
// statistics, foreign keys, checks, views), so that a schema of any size costs the same 7 queries.
// What the catalog stores differently from what was declared is mapped back here (COLUMN_TYPE to
// generic types, MariaDB's JSON-as-LONGTEXT with its json_valid CHECK, quoted defaults, the
// indexes InnoDB adds for foreign keys); the comparison rules that remain are in
// core/reflection/normalize.hpp. The CHECK_CONSTRAINTS query reads MariaDB's TABLE_NAME column
// (MySQL 8 names checks per schema and would join TABLE_CONSTRAINTS instead).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <utility>

#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/core/reflection/catalog_reader.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/text.hpp>
#include <retort/dialects/mysql/mysql_dialect.hpp>

namespace retort::dialects::mysql {

using namespace retort::core;

namespace {

std::string text_of(const Value& v) {
  if (v.is_null()) return {};
  if (v.kind() == Value::Kind::Binary) {
    auto b = v.as<Blob>();
    return std::string(b.begin(), b.end());
  }
  return v.as<std::string>();
}

std::int64_t integer_of(const Value& v) {
  if (v.is_null()) return 0;
  if (v.kind() == Value::Kind::Text || v.kind() == Value::Kind::Binary) return std::stoll(text_of(v));
  return v.as<std::int64_t>();
}

/// Backtick-quoted, as MariaDB writes identifiers inside CHECK and generation expressions.
std::string backticked(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

/// ON DELETE / ON UPDATE: RESTRICT (InnoDB's behaviour when none is given) and NO ACTION, which
/// InnoDB treats alike, both read as the default (empty).
std::string action(const std::string& rule) {
  std::string a = to_upper(rule);
  return a == "RESTRICT" || a == "NO ACTION" ? std::string() : a;
}

/// enum('a','b''c') -> {a, b'c}.
std::vector<std::string> enum_values(std::string_view inside) {
  std::vector<std::string> values;
  std::size_t i = 0;
  while (i < inside.size()) {
    if (inside[i] != '\'') {
      ++i;
      continue;
    }
    std::string value;
    ++i;
    while (i < inside.size()) {
      if (inside[i] == '\'' && i + 1 < inside.size() && inside[i + 1] == '\'') {
        value += '\'';
        i += 2;
      } else if (inside[i] == '\\' && i + 1 < inside.size()) {
        value += inside[i + 1];
        i += 2;
      } else if (inside[i] == '\'') {
        ++i;
        break;
      } else {
        value += inside[i++];
      }
    }
    values.push_back(std::move(value));
  }
  return values;
}

/// Whole-number arguments of "name(a,b)", or nullopt when they are not all numbers.
std::optional<std::vector<int>> numeric_args(std::string_view inside) {
  std::vector<int> args;
  std::size_t pos = 0;
  while (pos <= inside.size()) {
    auto comma = inside.find(',', pos);
    std::string part(inside.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    int number = 0;
    if (part.empty() || !std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c); }) ||
        std::from_chars(part.data(), part.data() + part.size(), number).ec != std::errc())
      return std::nullopt;
    args.push_back(number);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return args;
}

/// A MariaDB default as SQL text, or nothing. MariaDB (10.2.7+) shows string literals quoted
/// ('x'), numbers and expressions bare (0.00, current_timestamp()), and "no default" or DEFAULT
/// NULL as the bare word NULL (a literal 'NULL' string stays quoted).
std::optional<std::string> default_from_catalog(const Value& v) {
  if (v.is_null()) return std::nullopt;
  std::string d = text_of(v);
  if (d == "NULL") return std::nullopt;
  return d;
}

}  // namespace

SqlType mysql_type_from_column_type(std::string_view column_type) {
  std::string full(column_type);
  std::string text = to_lower(column_type);
  auto named = [&] { return SqlType(NamedType{full, "mysql"}); };
  std::string base = text, inside;
  std::string suffix;
  auto open = text.find('(');
  if (open != std::string::npos) {
    auto close = text.rfind(')');
    if (close == std::string::npos || close < open) return named();
    base = text.substr(0, open);
    inside = std::string(column_type.substr(open + 1, close - open - 1));
    suffix = text.substr(close + 1);
  } else {
    auto space = text.find(' ');
    if (space != std::string::npos) {
      base = text.substr(0, space);
      suffix = text.substr(space);
    }
  }
  suffix.erase(0, suffix.find_first_not_of(' '));
  if (base == "enum") {
    if (!suffix.empty()) return named();
    return Enum{enum_values(inside)};
  }
  // unsigned / zerofill integers and the like keep their full spelling.
  if (!suffix.empty()) return named();
  std::optional<std::vector<int>> args = std::vector<int>{};
  if (open != std::string::npos) args = numeric_args(inside);
  if (!args) return named();
  const auto& a = *args;
  // Integer display widths (int(11)) mean nothing since MySQL 8.0.19 and are left out there.
  if (base == "int" || base == "integer") return a.size() <= 1 ? SqlType(Integer{}) : named();
  if (base == "smallint") return a.size() <= 1 ? SqlType(SmallInteger{}) : named();
  if (base == "bigint") return a.size() <= 1 ? SqlType(BigInteger{}) : named();
  if (base == "tinyint" && a.size() == 1 && a[0] == 1) return Boolean{};  // BOOL
  if ((base == "decimal" || base == "numeric") && a.size() <= 2) {
    Numeric n;
    if (!a.empty()) n.precision = a[0];
    if (a.size() == 2) n.scale = a[1];
    return n;
  }
  if (base == "float" && a.empty()) return Float{};
  if (base == "double" && a.empty()) return Double{};
  if (base == "varchar" && a.size() == 1) return String{a[0]};
  // CHAR(n) reads back as String{n} (our UUID is CHAR(36)): normalize.hpp rule 2a.
  if (base == "char" && a.size() == 1) return String{a[0]};
  if (base == "text" && a.empty()) return Text{};
  if (base == "blob" && a.empty()) return LargeBinary{};
  if (base == "json" && a.empty()) return JSON{};  // MySQL; MariaDB's LONGTEXT is seen by its CHECK
  if (base == "date" && a.empty()) return Date{};
  if ((base == "time" || base == "datetime" || base == "timestamp") && a.size() <= 1) {
    SqlType t = base == "time" ? SqlType(Time{}) : SqlType(DateTime{base == "timestamp"});
    if (!a.empty()) t.precision = a[0];
    return t;
  }
  return named();
}

std::vector<std::string> MySQLDialect::schema_names(DriverConnection& conn) const {
  CatalogReader catalog(conn);
  std::vector<std::string> names;
  for (const auto& row : catalog.rows("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME"))
    names.push_back(text_of(row[0]));
  return names;
}

ReflectedSchema MySQLDialect::reflect_schema(DriverConnection& conn, const std::optional<std::string>& schema,
                                             const ReflectOptions& options) const {
  CatalogReader catalog(conn);
  ReflectedSchema out;

  // 0. The schema itself: the named database, or the connection's current one.
  {
    auto rows = catalog.rows(
        "SELECT DATABASE(), (SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
        "WHERE SCHEMA_NAME = COALESCE(?, DATABASE()))",
        {schema ? Value(*schema) : Value()});
    if (schema && (rows.empty() || rows[0][1].is_null()))
      throw ArgumentError(
          fmt::format("unknown schema '{}': no such database on this MySQL server (list them "
                      "with SHOW DATABASES)",
                      *schema));
    if (!schema && (rows.empty() || rows[0][0].is_null()))
      throw ArgumentError(
          "no default schema: the MySQL URL names no database (add /<database> to it, or "
          "pass a schema)");
    out.schema = schema ? *schema : text_of(rows[0][0]);
  }
  const std::string db = *out.schema;
  const Value db_value(db);
  const std::optional<std::string> table_schema = schema;  // tables of the default pass stay unqualified

  auto wanted = [&](const std::string& table) {
    return options.only.empty() || std::find(options.only.begin(), options.only.end(), table) != options.only.end();
  };

  // 1. Tables with their options and comments. The character set comes from a scalar subquery
  //    rather than a join: MariaDB materialises information_schema views before joining them,
  //    and the join cost three times the lookup.
  std::map<std::string, ReflectedTable> tables;
  for (const auto& row :
       catalog.rows("SELECT t.TABLE_NAME, t.ENGINE, t.TABLE_COLLATION, (SELECT c.CHARACTER_SET_NAME "
                    "FROM information_schema.COLLATIONS c WHERE c.COLLATION_NAME = t.TABLE_COLLATION), t.TABLE_COMMENT "
                    "FROM information_schema.TABLES t "
                    "WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY t.TABLE_NAME",
                    {db_value})) {
    std::string name = text_of(row[0]);
    if (!wanted(name)) continue;
    auto& t = tables[name];
    t.schema = table_schema;
    t.name = name;
    if (!row[1].is_null()) t.dialect_options["mysql_engine"] = text_of(row[1]);
    if (!row[3].is_null()) t.dialect_options["mysql_charset"] = text_of(row[3]);
    if (!row[2].is_null()) t.dialect_options["mysql_collate"] = text_of(row[2]);
    if (std::string comment = text_of(row[4]); !comment.empty()) t.comment = comment;
  }

  // 2. Columns of every table.
  for (const auto& row :
       catalog.rows("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
                    "GENERATION_EXPRESSION, IS_GENERATED, COLUMN_COMMENT FROM information_schema.COLUMNS "
                    "WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
                    {db_value})) {
    auto it = tables.find(text_of(row[0]));
    if (it == tables.end()) continue;  // a view's columns, or not wanted
    ReflectedColumn c;
    c.name = text_of(row[1]);
    c.type = mysql_type_from_column_type(text_of(row[2]));
    c.nullable = text_of(row[3]) == "YES";
    std::string extra = to_lower(text_of(row[5]));
    if (text_of(row[7]) == "ALWAYS") {
      Computed computed;
      computed.sqltext = text_of(row[6]);
      computed.persisted = extra.find("stored") != std::string::npos;
      c.computed = computed;
    } else {
      c.default_sql = default_from_catalog(row[4]);
    }
    if (extra.find("auto_increment") != std::string::npos) c.autoincrement = true;
    // "on update current_timestamp()" (with a precision where the column has one).
    if (auto at = extra.find("on update "); at != std::string::npos)
      c.dialect_options["mysql_on_update"] = text_of(row[5]).substr(at + 10);
    if (std::string comment = text_of(row[8]); !comment.empty()) c.comment = comment;
    it->second.columns.push_back(std::move(c));
  }

  // 3. Check constraints. MariaDB stores JSON as LONGTEXT plus a column-level CHECK named after
  //    the column, json_valid(`col`): that pair reads back as a JSON column, without the check.
  for (const auto& row :
       catalog.rows("SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                    "WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME",
                    {db_value})) {
    auto it = tables.find(text_of(row[0]));
    if (it == tables.end()) continue;
    std::string name = text_of(row[1]), level = text_of(row[2]), clause = text_of(row[3]);
    if (level == "Column") {
      auto column = std::find_if(it->second.columns.begin(), it->second.columns.end(),
                                 [&](const ReflectedColumn& c) { return c.name == name; });
      if (column != it->second.columns.end() && clause == "json_valid(" + backticked(name) + ")" &&
          column->type == SqlType(NamedType{"longtext", "mysql"})) {
        column->type = JSON{};
        continue;
      }
    }
    it->second.check_constraints.push_back({name, clause});
  }

  // 4. Foreign keys, their columns in key order. KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS
  //    are read in one statement as a UNION ALL and joined here: a join between the two views
  //    made MariaDB fill them at several times the cost of reading each once. 'r' rows carry a
  //    key's rules (DELETE_RULE, UPDATE_RULE in the fourth and fifth columns), 'k' rows its
  //    columns; a key column without its constraint row is left out, as the inner join did.
  std::map<std::string, std::map<std::string, ReflectedForeignKey>> keys;  // table -> name -> key
  std::map<std::string, std::vector<std::string>> key_order;
  {
    auto rows = catalog.rows(
        "SELECT 'k', TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, "
        "REFERENCED_COLUMN_NAME, ORDINAL_POSITION FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL "
        "UNION ALL SELECT 'r', TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE, NULL, NULL, NULL "
        "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? "
        "ORDER BY 1, 2, 3, 8",
        {db_value, db_value});
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> rules;
    for (const auto& row : rows)
      if (text_of(row[0]) == "r") rules[{text_of(row[1]), text_of(row[2])}] = {text_of(row[3]), text_of(row[4])};
    for (const auto& row : rows) {
      if (text_of(row[0]) != "k") continue;
      std::string table = text_of(row[1]), name = text_of(row[2]);
      if (!tables.count(table)) continue;
      auto rule = rules.find({table, name});
      if (rule == rules.end()) continue;
      auto& table_keys = keys[table];
      auto [it, added] = table_keys.try_emplace(name);
      auto& fk = it->second;
      if (added) {
        key_order[table].push_back(name);
        fk.name = name;
        std::string referred_schema = text_of(row[4]);
        fk.referred_schema = referred_schema == db ? table_schema : std::optional<std::string>(referred_schema);
        fk.referred_table = text_of(row[5]);
        fk.ondelete = action(rule->second.first);
        fk.onupdate = action(rule->second.second);
      }
      fk.columns.push_back(text_of(row[3]));
      fk.referred_columns.push_back(text_of(row[6]));
    }
  }
  for (auto& [table, names] : key_order)
    for (const auto& name : names) tables[table].foreign_keys.push_back(std::move(keys[table][name]));

  // 5. Index statistics: PRIMARY is the primary key (MySQL calls every one PRIMARY, whatever was
  //    declared, so it is reported unnamed), other unique keys are unique constraints (MySQL keeps
  //    UNIQUE constraints and unique indexes as one thing, the UNIQUE KEY), the rest indexes.
  struct Statistic {
    std::string name, type;
    bool unique = false;
    std::vector<std::string> columns;
    std::vector<std::string> lengths;  // prefix lengths, "col:n"
  };
  std::map<std::string, std::vector<Statistic>> statistics;
  for (const auto& row : catalog.rows("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE "
                                      "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? "
                                      "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                                      {db_value})) {
    std::string table = text_of(row[0]), name = text_of(row[1]);
    if (!tables.count(table)) continue;
    auto& list = statistics[table];
    if (list.empty() || list.back().name != name) {
      Statistic s;
      s.name = name;
      s.unique = integer_of(row[2]) == 0;
      s.type = text_of(row[5]);
      list.push_back(std::move(s));
    }
    std::string column = text_of(row[3]);
    list.back().columns.push_back(column);
    if (!row[4].is_null()) list.back().lengths.push_back(fmt::format("{}:{}", column, integer_of(row[4])));
  }
  for (auto& [table, list] : statistics) {
    auto& t = tables[table];
    for (auto& s : list) {
      if (s.name == "PRIMARY") {
        t.primary_key.columns = s.columns;
        continue;
      }
      if (s.unique && s.type != "FULLTEXT" && s.type != "SPATIAL") {
        t.unique_constraints.push_back({s.name, s.columns});
        continue;
      }
      // The index InnoDB creates for a foreign key that no other index serves is named after the
      // key's constraint (or, for an unnamed key, its first column): it belongs to the key and
      // is left out (normalize.hpp, rule 9).
      bool for_foreign_key =
          !s.unique && std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const ReflectedForeignKey& fk) {
            return fk.columns == s.columns && (s.name == fk.name || s.name == fk.columns.front());
          });
      if (for_foreign_key) continue;
      ReflectedIndex ix;
      ix.name = s.name;
      ix.columns = s.columns;
      ix.unique = s.unique;
      if (s.type == "FULLTEXT" || s.type == "SPATIAL")
        ix.dialect_options["mysql_prefix"] = s.type;
      else if (!s.type.empty() && s.type != "BTREE")
        ix.dialect_options["mysql_using"] = s.type;
      if (!s.lengths.empty()) {
        std::string lengths;
        for (const auto& l : s.lengths) lengths += (lengths.empty() ? "" : ",") + l;
        ix.dialect_options["mysql_length"] = lengths;
      }
      t.indexes.push_back(std::move(ix));
    }
  }

  for (auto& [name, t] : tables) out.tables.push_back(std::move(t));

  // 6. Views with their definitions. MariaDB qualifies every name with the database's; that
  //    qualifier is left out, so that the definition reads the same in any database (the
  //    scratch database a schema file is read in, the one it is compared with).
  if (options.views) {
    const std::string qualifier = "`" + db + "`.";
    for (const auto& row :
         catalog.rows("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? "
                      "ORDER BY TABLE_NAME",
                      {db_value})) {
      if (!wanted(text_of(row[0]))) continue;
      std::string definition = text_of(row[1]);
      for (auto at = definition.find(qualifier); at != std::string::npos; at = definition.find(qualifier, at))
        definition.erase(at, qualifier.size());
      out.views.push_back({table_schema, text_of(row[0]), std::move(definition)});
    }
  }
  out.queries = catalog.queries;
  return out;
}

}  // namespace retort::dialects::mysql
