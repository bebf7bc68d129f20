// PostgreSQL reflection in one batched pass per schema over pg_catalog: the schema itself, its
// relations (tables and views with comments and view definitions), all their columns, all their
// constraints (primary, foreign, unique, check), all their indexes, its sequences and its enum
// types: seven queries whatever the number of tables. Everything is filtered by the namespace
// OID, never by table, so nothing is asked per table.
//
// Types are read with format_type() and mapped back to the generic types where they round-trip
// (postgresql_type_from_format below); the rest become NamedType{..., "postgresql"}: JSONB stays
// NamedType{"JSONB"} (what postgresql::JSONB() declares), arrays keep their element spelling with
// "[]" (INTEGER[], VARCHAR(10)[]), INET, CIDR, TSVECTOR, ... are upper-cased built-in names.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/core/reflection/catalog_reader.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/text.hpp>
#include <retort/dialects/postgresql/postgresql_dialect.hpp>

namespace retort::dialects::postgresql {

using namespace retort::core;

namespace {

std::string text_of(const Value& v) { return v.is_null() ? std::string() : v.as<std::string>(); }
std::int64_t int_of(const Value& v) { return v.is_null() ? 0 : v.as<std::int64_t>(); }
bool bool_of(const Value& v) { return !v.is_null() && v.as<bool>(); }
std::optional<std::string> optional_text(const Value& v) {
  return v.is_null() ? std::nullopt : std::optional<std::string>(v.as<std::string>());
}

/// confdeltype / confupdtype letters: a no action, r restrict, c cascade, n set null, d set default.
std::string action(const std::string& code) {
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  if (code == "r") return "RESTRICT";
  return {};  // NO ACTION, the default
}

/// "CHECK ((a > 0)) NOT VALID" -> "a > 0".
std::string check_condition(std::string def) {
  for (std::string_view suffix : {" NOT VALID", " NO INHERIT"})
    while (def.size() > suffix.size() && def.compare(def.size() - suffix.size(), suffix.size(), suffix) == 0)
      def.erase(def.size() - suffix.size());
  if (def.rfind("CHECK ", 0) == 0) def.erase(0, 6);
  // One pair of parentheses belongs to CHECK ( ... ); the condition keeps the rest.
  if (def.size() >= 2 && def.front() == '(' && def.back() == ')') def = def.substr(1, def.size() - 2);
  return def;
}

/// Integer arguments of "name(a,b)", or nullopt when they are not plain integers.
std::optional<std::vector<int>> arguments(const std::string& inside) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos <= inside.size()) {
    auto comma = inside.find(',', pos);
    std::string part = inside.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    int number = 0;
    if (part.empty() || !std::all_of(part.begin(), part.end(), ::isdigit) ||
        std::from_chars(part.data(), part.data() + part.size(), number).ec != std::errc())
      return std::nullopt;
    out.push_back(number);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

/// A format_type() spelling as a generic type where it round-trips, else a NamedType.
SqlType postgresql_type_from_format(const std::string& formatted, const TypeCompiler& types) {
  auto named = [&]() -> SqlType {
    // Built-in names come back lower-case (inet, bit(3), tsvector): upper-case them, as the
    // postgresql::INET() helpers spell them. Quoted user type names are kept exactly.
    return NamedType{formatted.find('"') == std::string::npos ? to_upper(formatted) : formatted, "postgresql"};
  };
  if (formatted.size() > 2 && formatted.compare(formatted.size() - 2, 2, "[]") == 0) {
    std::string element = formatted.substr(0, formatted.size() - 2);
    SqlType base = postgresql_type_from_format(element, types);
    std::string spelled = base.kind == TypeKind::Named ? base.name : types.process(base);
    return NamedType{spelled + "[]", "postgresql"};
  }
  std::string base = formatted;
  std::string suffix;  // " with time zone" / " without time zone" after time(p)
  std::vector<int> args;
  auto open = formatted.find('(');
  if (open != std::string::npos) {
    auto close = formatted.find(')', open);
    if (close == std::string::npos) return named();
    auto parsed = arguments(formatted.substr(open + 1, close - open - 1));
    if (!parsed) return named();
    args = *parsed;
    base = formatted.substr(0, open) + formatted.substr(close + 1);
  }
  if (!args.empty()) {
    if (base == "numeric") {
      Numeric n;
      n.precision = args[0];
      // numeric(p) is numeric(p,0): read back as Numeric{p}, as it is usually declared.
      if (args.size() == 2 && args[1] != 0) n.scale = args[1];
      return n;
    }
    if (base == "character varying" && args.size() == 1) return String{args[0]};
    if (base == "character" && args.size() == 1) return NamedType{fmt::format("CHAR({})", args[0]), "postgresql"};
    return named();  // time(3), timestamp(3) with time zone, bit(8), ...
  }
  if (base == "smallint") return SmallInteger{};
  if (base == "integer") return Integer{};
  if (base == "bigint") return BigInteger{};
  if (base == "boolean") return Boolean{};
  if (base == "real") return Float{};
  if (base == "double precision") return Double{};
  if (base == "numeric") return Numeric{};
  if (base == "character varying") return String{};
  if (base == "text") return Text{};
  if (base == "bytea") return LargeBinary{};
  if (base == "date") return Date{};
  if (base == "time without time zone") return Time{};
  if (base == "time with time zone") return Time{true};
  if (base == "timestamp without time zone") return DateTime{};
  if (base == "timestamp with time zone") return DateTime{true};
  if (base == "interval") return Interval{};
  if (base == "uuid") return UUID{};
  if (base == "json") return JSON{};
  return named();  // jsonb -> JSONB, inet -> INET, ...
}

std::vector<std::string> PostgreSQLDialect::schema_names(DriverConnection& conn) const {
  CatalogReader catalog(conn);
  std::vector<std::string> names;
  for (const auto& row : catalog.rows("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                                      "AND nspname <> 'information_schema' ORDER BY nspname"))
    names.push_back(text_of(row[0]));
  return names;
}

ReflectedSchema PostgreSQLDialect::reflect_schema(DriverConnection& conn, const std::optional<std::string>& schema,
                                                  const ReflectOptions& options) const {
  CatalogReader catalog(conn);
  ReflectedSchema out;

  // 1. The schema: the one named, or the first of the search_path (current_schema()).
  std::vector<Value> schema_param;
  std::string schema_sql = "SELECT oid, nspname FROM pg_catalog.pg_namespace WHERE nspname = ";
  if (schema) {
    schema_param.emplace_back(*schema);
    schema_sql += "$1";
  } else {
    schema_sql += "current_schema()";
  }
  auto found = catalog.rows(schema_sql, schema_param);
  if (found.empty()) {
    if (schema)
      throw ArgumentError(fmt::format("unknown schema '{}': no such schema in this PostgreSQL database", *schema));
    throw ArgumentError("no default schema: no schema of the search_path exists in this PostgreSQL database");
  }
  const std::int64_t oid = int_of(found[0][0]);
  out.schema = text_of(found[0][1]);
  const std::optional<std::string> table_schema = schema;  // tables of the default pass stay unqualified
  const std::string in_schema = fmt::format("c.relnamespace = {}", oid);

  auto wanted = [&](const std::string& table) {
    return options.only.empty() || std::find(options.only.begin(), options.only.end(), table) != options.only.end();
  };

  // 2. Relations: tables (with comments) and views (with definitions).
  std::map<std::int64_t, ReflectedTable> tables;  // by pg_class oid
  std::map<std::int64_t, bool> is_view;
  for (const auto& row :
       catalog.rows("SELECT c.oid, c.relname, c.relkind, d.description, "
                    "CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END "
                    "FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid "
                    "AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0 "
                    "WHERE " +
                    in_schema + " AND c.relkind IN ('r', 'p', 'f', 'v', 'm') ORDER BY c.relname")) {
    std::string name = text_of(row[1]), kind = text_of(row[2]);
    if (kind == "v" || kind == "m") {
      if (!options.views) continue;
      std::string def = text_of(row[4]);
      def.erase(0, def.find_first_not_of(" \n\t"));
      while (!def.empty() && (def.back() == ';' || std::isspace(static_cast<unsigned char>(def.back()))))
        def.pop_back();
      out.views.push_back({table_schema, name, def});
      continue;
    }
    if (!wanted(name)) continue;
    auto& t = tables[int_of(row[0])];
    t.schema = table_schema;
    t.name = name;
    t.comment = optional_text(row[3]);
  }

  // 3. Sequences (read before the columns: identity columns take their options from theirs).
  //    Sequences internal to identity columns (pg_depend deptype 'i') are not listed; those a
  //    SERIAL owns are (they are ordinary sequences the column's default calls).
  std::map<std::pair<std::int64_t, std::int64_t>, std::pair<std::int64_t, std::int64_t>> identity_options;
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> owned_sequences;  // (table, attnum) -> name
  for (const auto& row : catalog.rows(
           "SELECT c.relname, s.seqstart, s.seqincrement, d.refobjid, d.refobjsubid, d.deptype "
           "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid "
           "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid "
           "AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i') "
           "WHERE " +
           in_schema + " AND c.relkind = 'S' ORDER BY c.relname")) {
    if (text_of(row[5]) == "i") {
      identity_options[{int_of(row[3]), int_of(row[4])}] = {int_of(row[1]), int_of(row[2])};
      continue;
    }
    if (text_of(row[5]) == "a") owned_sequences[{int_of(row[3]), int_of(row[4])}] = text_of(row[0]);
    out.sequences.push_back({table_schema, text_of(row[0]), int_of(row[1]), int_of(row[2])});
  }

  // 4. Enum types of the schema, and those of other schemas its columns use.
  std::map<std::int64_t, std::vector<std::string>> enum_values;  // by pg_type oid
  for (const auto& row :
       catalog.rows("SELECT t.oid, t.typname, t.typnamespace, e.enumlabel FROM pg_catalog.pg_type t "
                    "JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = " +
                    std::to_string(oid) +
                    " OR t.oid IN (SELECT a.atttypid FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c "
                    "ON c.oid = a.attrelid WHERE " +
                    in_schema + ") ORDER BY t.typname, t.oid, e.enumsortorder")) {
    std::int64_t type = int_of(row[0]);
    auto& values = enum_values[type];
    values.push_back(text_of(row[3]));
    if (int_of(row[2]) != oid) continue;
    if (out.enums.empty() || out.enums.back().name != text_of(row[1]))
      out.enums.push_back({table_schema, text_of(row[1]), {}});
    out.enums.back().values.push_back(text_of(row[3]));
  }

  // Columns whose default draws from the sequence they own (what SERIAL makes).
  std::set<std::pair<std::int64_t, std::string>> serial_columns;

  // 5. Columns of every table, with defaults, identity, generation and comments.
  std::map<std::int64_t, std::map<std::int64_t, std::string>> attnames;  // table oid -> attnum -> name
  for (const auto& row :
       catalog.rows("SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
                    "a.attnotnull, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, "
                    "ds.description, t.typtype, t.typname, a.atttypid "
                    "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                    "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
                    "LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = a.attrelid "
                    "AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum "
                    "WHERE " +
                    in_schema +
                    " AND c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped "
                    "ORDER BY a.attrelid, a.attnum")) {
    std::int64_t table = int_of(row[0]);
    auto it = tables.find(table);
    if (it == tables.end()) continue;
    ReflectedColumn c;
    c.name = text_of(row[2]);
    attnames[table][int_of(row[1])] = c.name;
    if (text_of(row[9]) == "e") {
      Enum e;
      e.name = text_of(row[10]);
      e.values = enum_values[int_of(row[11])];
      c.type = e;
    } else {
      c.type = postgresql_type_from_format(text_of(row[3]), type_compiler());
    }
    c.nullable = !bool_of(row[4]);
    std::string identity = text_of(row[6]), generated = text_of(row[7]);
    if (generated == "s") {
      c.computed = Computed{text_of(row[5]), true};
    } else if (!row[5].is_null()) {
      c.default_sql = text_of(row[5]);
      if (c.default_sql->rfind("nextval(", 0) == 0) {
        c.autoincrement = true;  // SERIAL, or a default drawing from a sequence
        if (owned_sequences.count({table, int_of(row[1])})) serial_columns.insert({table, c.name});
      }
    }
    if (identity == "a" || identity == "d") {
      Identity id;
      id.always = identity == "a";
      auto opt = identity_options.find({table, int_of(row[1])});
      if (opt != identity_options.end()) {
        id.start = opt->second.first;
        id.increment = opt->second.second;
      }
      c.identity = id;
      c.autoincrement = true;
    }
    c.comment = optional_text(row[8]);
    it->second.columns.push_back(std::move(c));
  }

  // 6. Constraints: one row per key column, in conkey order (confkey pairs with it).
  struct Pending {
    std::string kind, name;
    ReflectedForeignKey fk;
    std::string check;
  };
  std::map<std::int64_t, std::vector<Pending>> constraints;
  for (const auto& row : catalog.rows(
           "SELECT con.conrelid, con.oid, con.conname, con.contype, a.attname, fc.relname, fn.nspname, "
           "fa.attname, con.confdeltype, con.confupdtype, con.condeferrable, con.condeferred, "
           "CASE WHEN con.contype = 'c' AND (k.ord IS NULL OR k.ord = 1) "
           "THEN pg_catalog.pg_get_constraintdef(con.oid, true) END, fc.relnamespace, con.confmatchtype "
           "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
           "LEFT JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, fattnum, ord) ON true "
           "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
           "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid "
           "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
           "LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum "
           "WHERE " +
           in_schema +
           " AND con.contype IN ('p', 'f', 'u', 'c') "
           "ORDER BY con.conrelid, con.contype, con.conname, con.oid, k.ord")) {
    std::int64_t table = int_of(row[0]);
    if (!tables.count(table)) continue;
    auto& list = constraints[table];
    std::string name = text_of(row[2]), kind = text_of(row[3]);
    if (list.empty() || list.back().name != name || list.back().kind != kind) {
      Pending p;
      p.kind = kind;
      p.name = name;
      if (kind == "f") {
        p.fk.name = name;
        p.fk.referred_table = text_of(row[5]);
        if (schema || int_of(row[13]) != oid) p.fk.referred_schema = text_of(row[6]);
        p.fk.ondelete = action(text_of(row[8]));
        p.fk.onupdate = action(text_of(row[9]));
        p.fk.deferrable = bool_of(row[10]);
        if (*p.fk.deferrable) p.fk.initially = bool_of(row[11]) ? "DEFERRED" : "IMMEDIATE";
        if (std::string match = text_of(row[14]); match == "f" || match == "p")
          p.fk.match = match == "f" ? "FULL" : "PARTIAL";
      }
      if (kind == "c") p.check = check_condition(text_of(row[12]));
      list.push_back(std::move(p));
    }
    auto& p = list.back();
    if (row[4].is_null()) continue;
    p.fk.columns.push_back(text_of(row[4]));
    if (!row[7].is_null()) p.fk.referred_columns.push_back(text_of(row[7]));
  }
  for (auto& [table, list] : constraints) {
    auto& t = tables[table];
    for (auto& p : list) {
      if (p.kind == "p")
        t.primary_key = {p.name, p.fk.columns};
      else if (p.kind == "u")
        t.unique_constraints.push_back({p.name, p.fk.columns});
      else if (p.kind == "c")
        t.check_constraints.push_back({p.name, p.check});
      else
        t.foreign_keys.push_back(std::move(p.fk));
    }
  }

  // A SERIAL primary key (a single-column key whose default draws from the sequence the column
  // owns) reads back as an autoincrement column without a default: declaring it so recreates
  // it (the DDL compiler writes SERIAL); the sequence is still listed. Other nextval defaults stay.
  for (auto& [table, t] : tables) {
    if (t.primary_key.columns.size() != 1) continue;
    for (auto& c : t.columns)
      if (c.name == t.primary_key.columns[0] && serial_columns.count({table, c.name})) c.default_sql.reset();
  }

  // 7. Indexes, one row per key element and covering (INCLUDE) column, leaving out those backing
  //    a constraint.
  std::int64_t last_index = -1;
  ReflectedIndex* current = nullptr;
  for (const auto& row : catalog.rows(
           "SELECT i.indrelid, i.indexrelid, ic.relname, i.indisunique, am.amname, "
           "pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), k.attnum, "
           "pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true), k.ord > i.indnkeyatts "
           "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
           "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
           "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
           "WHERE " +
           in_schema +
           " AND NOT EXISTS (SELECT 1 FROM "
           "pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
           "AND con.contype IN ('p', 'u', 'x')) "
           "ORDER BY i.indrelid, ic.relname, k.ord")) {
    std::int64_t table = int_of(row[0]);
    auto it = tables.find(table);
    if (it == tables.end()) continue;
    std::int64_t index = int_of(row[1]);
    if (index != last_index) {
      last_index = index;
      ReflectedIndex ix;
      ix.name = text_of(row[2]);
      ix.unique = bool_of(row[3]);
      if (std::string method = text_of(row[4]); method != "btree") ix.dialect_options["postgresql_using"] = method;
      ix.where = optional_text(row[5]);
      it->second.indexes.push_back(std::move(ix));
      current = &it->second.indexes.back();
    }
    std::int64_t attnum = int_of(row[6]);
    if (bool_of(row[8])) {  // a covering column: INCLUDE (a, b), as the compiler reads it
      auto& include = current->dialect_options["postgresql_include"];
      include += (include.empty() ? "" : ", ") + attnames[table][attnum];
      continue;
    }
    if (attnum > 0)
      current->columns.push_back(attnames[table][attnum]);
    else
      current->expressions.push_back(text_of(row[7]));
    current->element_is_expression.push_back(attnum <= 0);
  }

  for (auto& [table, t] : tables) out.tables.push_back(std::move(t));
  std::sort(out.tables.begin(), out.tables.end(),
            [](const ReflectedTable& a, const ReflectedTable& b) { return a.name < b.name; });
  out.queries = catalog.queries;
  return out;
}

}  // namespace retort::dialects::postgresql
