// SQLite reflection in one batched pass per schema: sqlite_master once (tables, views, indexes
// with their SQL), then the pragma table-valued functions joined against it, so that a schema of
// any size costs the same four queries (five with an explicit schema, which is checked first).
// What the pragmas omit (constraint names, CHECK text, DEFERRABLE, generated expressions, index
// expressions and WHERE) is read from the CREATE statements (sqlite_ddl_parser.hpp).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/errors.hpp>
#include <retort/core/reflection/catalog_reader.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/text.hpp>
#include <retort/dialects/sqlite/sqlite_ddl_parser.hpp>
#include <retort/dialects/sqlite/sqlite_dialect.hpp>

namespace retort::dialects::sqlite {

using namespace retort::core;

namespace {

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!iequals(a[i], b[i])) return false;
  return true;
}

std::string text_of(const Value& v) { return v.is_null() ? std::string() : v.as<std::string>(); }

/// The reflected column named `name` (SQLite names are case-insensitive), or nullptr.
const ReflectedColumn* find_column(const ReflectedTable& t, std::string_view name) {
  for (const auto& c : t.columns)
    if (iequals(c.name, name)) return &c;
  return nullptr;
}

/// Names as the table spells them (DDL may spell them in another case).
std::vector<std::string> canonical(const ReflectedTable* t, std::vector<std::string> names) {
  if (!t) return names;
  for (auto& n : names)
    if (const auto* c = find_column(*t, n)) n = c->name;
  return names;
}

std::string action(const std::string& pragma_value) {
  std::string a = to_upper(pragma_value);
  return a == "NO ACTION" || a == "NONE" ? std::string() : a;
}

}  // namespace

SqlType sqlite_type_from_declaration(std::string_view declared) {
  std::string decl = to_upper(declared);
  // Collapse runs of whitespace so that "DOUBLE  PRECISION" reads as one spelling.
  std::string flat;
  for (char c : decl) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!flat.empty() && flat.back() != ' ') flat += ' ';
    } else {
      flat += c;
    }
  }
  while (!flat.empty() && flat.back() == ' ') flat.pop_back();
  if (flat.empty()) return SqlType(TypeKind::Null);

  std::string base = flat;
  std::vector<int> args;
  auto open = flat.find('(');
  if (open != std::string::npos) {
    auto close = flat.find(')', open);
    if (close == std::string::npos || close + 1 != flat.size()) return NamedType{std::string(declared), "sqlite"};
    base = flat.substr(0, open);
    while (!base.empty() && base.back() == ' ') base.pop_back();
    std::string inside = flat.substr(open + 1, close - open - 1);
    std::size_t pos = 0;
    while (pos <= inside.size()) {
      auto comma = inside.find(',', pos);
      std::string part = inside.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      part.erase(0, part.find_first_not_of(' '));
      part.erase(part.find_last_not_of(' ') + 1);
      int number = 0;
      // SQLite keeps any declared text, VARCHAR(99999999999) included: a number that is not an
      // int leaves the type as declared.
      if (part.empty() || !std::all_of(part.begin(), part.end(), ::isdigit) ||
          std::from_chars(part.data(), part.data() + part.size(), number).ec != std::errc())
        return NamedType{std::string(declared), "sqlite"};
      args.push_back(number);
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  auto no_args = [&](TypeKind k) -> SqlType {
    return args.empty() ? SqlType(k) : SqlType(NamedType{std::string(declared), "sqlite"});
  };
  if (base == "INTEGER" || base == "INT") return no_args(TypeKind::Integer);
  if (base == "BIGINT") return no_args(TypeKind::BigInteger);
  if (base == "SMALLINT") return no_args(TypeKind::SmallInteger);
  if (base == "BOOLEAN") return no_args(TypeKind::Boolean);
  if (base == "REAL") return no_args(TypeKind::Float);
  if (base == "DOUBLE" || base == "DOUBLE PRECISION") return no_args(TypeKind::Double);
  if (base == "TEXT") return no_args(TypeKind::Text);
  if (base == "DATE") return no_args(TypeKind::Date);
  if (base == "TIME") return no_args(TypeKind::Time);
  if (base == "DATETIME" || base == "TIMESTAMP") return no_args(TypeKind::DateTime);
  if (base == "INTERVAL") return no_args(TypeKind::Interval);
  if (base == "BLOB") return no_args(TypeKind::LargeBinary);
  if (base == "JSON") return no_args(TypeKind::JSON);
  if (base == "UUID") return no_args(TypeKind::UUID);
  if (base == "FLOAT" && args.size() <= 1) return Float{args.empty() ? std::nullopt : std::optional<int>(args[0])};
  if ((base == "NUMERIC" || base == "DECIMAL") && args.size() <= 2) {
    Numeric n;
    if (!args.empty()) n.precision = args[0];
    if (args.size() == 2) n.scale = args[1];
    return n;
  }
  // CHAR(36) is what our UUID becomes on SQLite; it reads back as String{36} (see normalize.hpp).
  if ((base == "VARCHAR" || base == "CHAR" || base == "CHARACTER" || base == "CHARACTER VARYING") && args.size() <= 1)
    return String{args.empty() ? std::nullopt : std::optional<int>(args[0])};
  return NamedType{std::string(declared), "sqlite"};
}

std::vector<std::string> SQLiteDialect::schema_names(DriverConnection& conn) const {
  CatalogReader catalog(conn);
  std::vector<std::string> names;
  // "temp" always exists and holds only temporary objects; like SQLAlchemy, it is not listed.
  for (const auto& row : catalog.rows("SELECT name FROM pragma_database_list ORDER BY seq"))
    if (text_of(row[0]) != "temp") names.push_back(text_of(row[0]));
  return names;
}

ReflectedSchema SQLiteDialect::reflect_schema(DriverConnection& conn, const std::optional<std::string>& schema,
                                              const ReflectOptions& options) const {
  CatalogReader catalog(conn);
  ReflectedSchema out;
  std::string db = schema.value_or("main");
  out.schema = db;
  if (schema) {
    std::vector<std::string> known;
    for (const auto& row : catalog.rows("SELECT name FROM pragma_database_list ORDER BY seq"))
      known.push_back(text_of(row[0]));
    if (std::find(known.begin(), known.end(), *schema) == known.end())
      throw ArgumentError(
          fmt::format("unknown schema '{}': this SQLite database has {} (attach a file "
                      "with ATTACH DATABASE to add one)",
                      *schema, fmt::join(known, ", ")));
  }
  const std::optional<std::string> table_schema = schema;  // tables of the default pass stay unqualified
  const std::string master = preparer().quote(db) + ".sqlite_master";
  const std::string user_tables = " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
  const Value db_value(db);

  // 1. Every object with its CREATE statement.
  std::map<std::string, std::string> table_sql, index_sql;
  std::vector<std::pair<std::string, std::string>> views;
  for (const auto& row : catalog.rows("SELECT type, name, sql FROM " + master +
                                      " WHERE type IN ('table', 'view', 'index') ORDER BY name")) {
    std::string type = text_of(row[0]), name = text_of(row[1]), sql = text_of(row[2]);
    if (type == "table")
      table_sql[name] = sql;
    else if (type == "index")
      index_sql[name] = sql;
    else
      views.emplace_back(name, sql);
  }

  auto wanted = [&](const std::string& table) {
    if (table.rfind("sqlite_", 0) == 0) return false;
    return options.only.empty() || std::find(options.only.begin(), options.only.end(), table) != options.only.end();
  };
  std::map<std::string, ReflectedTable> tables;
  std::map<std::string, ParsedTable> parsed;
  for (const auto& [name, sql] : table_sql) {
    if (!wanted(name)) continue;
    auto& t = tables[name];
    t.schema = table_schema;
    t.name = name;
    parsed[name] = parse_create_table(sql);
  }

  // 2. Columns of every table (hidden: 1 virtual-table column, 2 generated virtual, 3 stored).
  std::map<std::string, std::vector<std::pair<int, std::string>>> pk_positions;
  std::map<std::string, std::map<std::string, std::string>> declared_types;
  for (const auto& row :
       catalog.rows("SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden FROM " + master +
                        " m JOIN pragma_table_xinfo(m.name, ?) p" + user_tables + " ORDER BY m.name, p.cid",
                    {db_value})) {
    auto it = tables.find(text_of(row[0]));
    if (it == tables.end()) continue;
    auto hidden = row[6].as<std::int64_t>();
    if (hidden == 1) continue;
    ReflectedColumn c;
    c.name = text_of(row[1]);
    std::string declared = text_of(row[2]);
    c.type = sqlite_type_from_declaration(declared);
    c.nullable = row[3].as<std::int64_t>() == 0;
    if (!row[4].is_null()) c.default_sql = text_of(row[4]);
    if (hidden == 2 || hidden == 3) {
      Computed computed;
      computed.persisted = hidden == 3;
      for (const auto& pc : parsed[it->first].columns)
        if (iequals(pc.name, c.name) && pc.generated) computed.sqltext = *pc.generated;
      c.computed = computed;
    }
    if (auto pk = row[5].as<std::int64_t>(); pk > 0) pk_positions[it->first].emplace_back(static_cast<int>(pk), c.name);
    declared_types[it->first][c.name] = to_upper(declared);
    it->second.columns.push_back(std::move(c));
  }
  for (auto& [name, t] : tables) {
    const auto& p = parsed[name];
    auto& positions = pk_positions[name];
    std::sort(positions.begin(), positions.end());
    for (const auto& [pos, column] : positions) t.primary_key.columns.push_back(column);
    t.primary_key.name = p.primary_key_name;
    // The rowid alias: a single-column primary key declared exactly INTEGER numbers new rows.
    if (t.primary_key.columns.size() == 1 && !p.without_rowid &&
        declared_types[name][t.primary_key.columns[0]] == "INTEGER")
      for (auto& c : t.columns)
        if (c.name == t.primary_key.columns[0]) c.autoincrement = true;
    if (p.autoincrement) t.dialect_options["sqlite_autoincrement"] = "true";
    if (p.without_rowid) t.dialect_options["sqlite_with_rowid"] = "false";
    for (const auto& ck : p.checks) t.check_constraints.push_back({ck.name, ck.sqltext});
  }

  // 3. Foreign keys (the pragma numbers them in reverse order of declaration: the parsed
  //    statement restores that order and adds names and DEFERRABLE).
  struct PragmaKey {
    std::string referred_table, onupdate, ondelete;
    std::vector<std::string> from, to;
  };
  std::map<std::string, std::map<std::int64_t, PragmaKey>> pragma_keys;
  for (const auto& row :
       catalog.rows("SELECT m.name, p.id, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete FROM " + master +
                        " m JOIN pragma_foreign_key_list(m.name, ?) p" + user_tables + " ORDER BY m.name, p.id, p.seq",
                    {db_value})) {
    if (!tables.count(text_of(row[0]))) continue;
    auto& k = pragma_keys[text_of(row[0])][row[1].as<std::int64_t>()];
    k.referred_table = text_of(row[2]);
    k.from.push_back(text_of(row[3]));
    k.to.push_back(text_of(row[4]));
    k.onupdate = action(text_of(row[5]));
    k.ondelete = action(text_of(row[6]));
  }
  for (auto& [name, keys] : pragma_keys) {
    auto& t = tables[name];
    const auto& p = parsed[name];
    std::vector<bool> used(p.foreign_keys.size(), false);
    std::vector<std::pair<std::size_t, ReflectedForeignKey>> ordered;
    for (auto& [id, k] : keys) {
      ReflectedForeignKey fk;
      const ReflectedTable* referred = nullptr;
      fk.referred_table = k.referred_table;
      for (const auto& [other, ot] : tables)
        if (iequals(other, k.referred_table)) {
          fk.referred_table = other;
          referred = &ot;
        }
      fk.columns = canonical(&t, k.from);
      fk.ondelete = k.ondelete;
      fk.onupdate = k.onupdate;
      if (schema) fk.referred_schema = schema;
      std::size_t position = p.foreign_keys.size() + static_cast<std::size_t>(id);
      for (std::size_t i = 0; i < p.foreign_keys.size(); ++i) {
        const auto& pk = p.foreign_keys[i];
        if (used[i] || !iequals(pk.referred_table, k.referred_table) || !same_names(pk.columns, k.from)) continue;
        used[i] = true;
        position = i;
        fk.name = pk.name;
        fk.deferrable = pk.deferrable;
        fk.initially = pk.initially;
        if (k.to.front().empty()) k.to = pk.referred_columns;
        break;
      }
      // REFERENCES parent with no column list means the parent's primary key.
      if ((k.to.empty() || k.to.front().empty()) && referred) k.to = referred->primary_key.columns;
      fk.referred_columns = canonical(referred, k.to);
      ordered.emplace_back(position, std::move(fk));
    }
    std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [pos, fk] : ordered) t.foreign_keys.push_back(std::move(fk));
  }

  // 4. Indexes with their key columns. Auto-indexes backing PRIMARY KEY are skipped; those
  //    backing UNIQUE become unique constraints, named from the CREATE TABLE text.
  struct PragmaIndex {
    std::string table, name, origin;
    bool unique = false, partial = false;
    std::vector<std::pair<std::int64_t, std::string>> elements;  // (cid, column name), in order
  };
  std::vector<PragmaIndex> pragma_indexes;
  for (const auto& row :
       catalog.rows("SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, ix.cid, ix.name FROM " + master +
                        " m JOIN pragma_index_list(m.name, ?) il JOIN pragma_index_xinfo(il.name, ?) ix" + user_tables +
                        " AND ix.key = 1 ORDER BY m.name, il.name, ix.seqno",
                    {db_value, db_value})) {
    std::string table = text_of(row[0]), index = text_of(row[1]);
    if (!tables.count(table)) continue;
    if (pragma_indexes.empty() || pragma_indexes.back().table != table || pragma_indexes.back().name != index) {
      PragmaIndex pi;
      pi.table = table;
      pi.name = index;
      pi.unique = row[2].as<std::int64_t>() != 0;
      pi.origin = text_of(row[3]);
      pi.partial = row[4].as<std::int64_t>() != 0;
      pragma_indexes.push_back(std::move(pi));
    }
    pragma_indexes.back().elements.emplace_back(row[5].as<std::int64_t>(), text_of(row[6]));
  }
  std::map<std::string, std::vector<bool>> unique_used;
  std::map<std::string, std::vector<std::pair<std::size_t, ReflectedUniqueConstraint>>> uniques;
  for (const auto& pi : pragma_indexes) {
    auto& t = tables[pi.table];
    if (pi.origin == "pk") continue;
    if (pi.origin == "u") {
      const auto& p = parsed[pi.table];
      auto& used = unique_used[pi.table];
      used.resize(p.uniques.size(), false);
      ReflectedUniqueConstraint uq;
      for (const auto& [cid, column] : pi.elements) uq.columns.push_back(column);
      std::size_t position = p.uniques.size() + uniques[pi.table].size();
      for (std::size_t i = 0; i < p.uniques.size(); ++i)
        if (!used[i] && same_names(p.uniques[i].columns, uq.columns)) {
          used[i] = true;
          uq.name = p.uniques[i].name;
          position = i;
          break;
        }
      uniques[pi.table].emplace_back(position, std::move(uq));
      continue;
    }
    ReflectedIndex ix;
    ix.name = pi.name;
    ix.unique = pi.unique;
    auto sql = index_sql.find(pi.name);
    ParsedIndex parsed_index = sql == index_sql.end() ? ParsedIndex{} : parse_create_index(sql->second);
    for (std::size_t i = 0; i < pi.elements.size(); ++i) {
      const auto& [cid, column] = pi.elements[i];
      if (cid >= 0) {
        ix.columns.push_back(column);
        ix.element_is_expression.push_back(false);
      } else if (cid == -2 && i < parsed_index.elements.size()) {
        ix.expressions.push_back(parsed_index.elements[i]);
        ix.element_is_expression.push_back(true);
      }
    }
    if (pi.partial) ix.where = parsed_index.where;
    t.indexes.push_back(std::move(ix));
  }
  for (auto& [name, list] : uniques) {
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [pos, uq] : list) tables[name].unique_constraints.push_back(std::move(uq));
  }

  for (auto& [name, t] : tables) out.tables.push_back(std::move(t));
  if (options.views)
    for (const auto& [name, sql] : views) out.views.push_back({table_schema, name, parse_view_definition(sql)});
  out.queries = catalog.queries;
  return out;
}

}  // namespace retort::dialects::sqlite
