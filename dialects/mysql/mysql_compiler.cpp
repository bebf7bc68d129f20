// MySQL/MariaDB spellings: backtick quoting, CONCAT() for ||, lower() LIKE lower() for ILIKE,
// LIMIT with a huge count for an OFFSET alone, NULLS FIRST/LAST emulated with an IS NULL sort key,
// CAST target names, AUTO_INCREMENT, table options (ENGINE, CHARSET, COLLATE, COMMENT), column
// COMMENT and ON UPDATE, and the MySQL forms of DROP INDEX / DROP FOREIGN KEY.
#include <retort/dialects/mysql/mysql_compiler.hpp>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/errors.hpp>
#include <retort/core/schema/table.hpp>
#include <retort/core/text.hpp>

namespace retort::dialects::mysql {

using namespace retort::core;

const std::unordered_set<std::string>& reserved_words() {
  static const std::unordered_set<std::string> words = [] {
    // MySQL 8.0 reserved words, and those MariaDB adds (current_role, offset, returning, ...).
    std::unordered_set<std::string> w = {"accessible",
                                         "add",
                                         "all",
                                         "alter",
                                         "analyze",
                                         "and",
                                         "as",
                                         "asc",
                                         "asensitive",
                                         "before",
                                         "between",
                                         "bigint",
                                         "binary",
                                         "blob",
                                         "both",
                                         "by",
                                         "call",
                                         "cascade",
                                         "case",
                                         "change",
                                         "char",
                                         "character",
                                         "check",
                                         "collate",
                                         "column",
                                         "condition",
                                         "constraint",
                                         "continue",
                                         "convert",
                                         "create",
                                         "cross",
                                         "cube",
                                         "cume_dist",
                                         "current_date",
                                         "current_role",
                                         "current_time",
                                         "current_timestamp",
                                         "current_user",
                                         "cursor",
                                         "database",
                                         "databases",
                                         "day_hour",
                                         "day_microsecond",
                                         "day_minute",
                                         "day_second",
                                         "dec",
                                         "decimal",
                                         "declare",
                                         "default",
                                         "delayed",
                                         "delete",
                                         "delete_domain_id",
                                         "dense_rank",
                                         "desc",
                                         "describe",
                                         "deterministic",
                                         "distinct",
                                         "distinctrow",
                                         "div",
                                         "do_domain_ids",
                                         "double",
                                         "drop",
                                         "dual",
                                         "each",
                                         "else",
                                         "elseif",
                                         "empty",
                                         "enclosed",
                                         "escaped",
                                         "except",
                                         "exists",
                                         "exit",
                                         "explain",
                                         "false",
                                         "fetch",
                                         "first_value",
                                         "float",
                                         "float4",
                                         "float8",
                                         "for",
                                         "force",
                                         "foreign",
                                         "from",
                                         "fulltext",
                                         "function",
                                         "general",
                                         "generated",
                                         "get",
                                         "grant",
                                         "group",
                                         "grouping",
                                         "groups",
                                         "having",
                                         "high_priority",
                                         "hour_microsecond",
                                         "hour_minute",
                                         "hour_second",
                                         "if",
                                         "ignore",
                                         "ignore_domain_ids",
                                         "ignore_server_ids",
                                         "in",
                                         "index",
                                         "infile",
                                         "inner",
                                         "inout",
                                         "insensitive",
                                         "insert",
                                         "int",
                                         "int1",
                                         "int2",
                                         "int3",
                                         "int4",
                                         "int8",
                                         "integer",
                                         "intersect",
                                         "interval",
                                         "into",
                                         "io_after_gtids",
                                         "io_before_gtids",
                                         "is",
                                         "iterate",
                                         "join",
                                         "json_table",
                                         "key",
                                         "keys",
                                         "kill",
                                         "lag",
                                         "last_value",
                                         "lateral",
                                         "lead",
                                         "leading",
                                         "leave",
                                         "left",
                                         "like",
                                         "limit",
                                         "linear",
                                         "lines",
                                         "load",
                                         "localtime",
                                         "localtimestamp",
                                         "lock",
                                         "long",
                                         "longblob",
                                         "longtext",
                                         "loop",
                                         "low_priority",
                                         "master_bind",
                                         "master_heartbeat_period",
                                         "master_ssl_verify_server_cert",
                                         "match",
                                         "maxvalue",
                                         "mediumblob",
                                         "mediumint",
                                         "mediumtext",
                                         "middleint",
                                         "minute_microsecond",
                                         "minute_second",
                                         "mod",
                                         "modifies",
                                         "natural",
                                         "no_write_to_binlog",
                                         "not",
                                         "nth_value",
                                         "ntile",
                                         "null",
                                         "numeric",
                                         "of",
                                         "offset",
                                         "on",
                                         "optimize",
                                         "optimizer_costs",
                                         "option",
                                         "optionally",
                                         "or",
                                         "order",
                                         "out",
                                         "outer",
                                         "outfile",
                                         "over",
                                         "page_checksum",
                                         "parse_vcol_expr",
                                         "partition",
                                         "percent_rank",
                                         "position",
                                         "precision",
                                         "primary",
                                         "procedure",
                                         "purge",
                                         "range",
                                         "rank",
                                         "read",
                                         "read_write",
                                         "reads",
                                         "real",
                                         "recursive",
                                         "ref_system_id",
                                         "references",
                                         "regexp",
                                         "release",
                                         "rename",
                                         "repeat",
                                         "replace",
                                         "require",
                                         "resignal",
                                         "restrict",
                                         "return",
                                         "returning",
                                         "revoke",
                                         "right",
                                         "rlike",
                                         "row",
                                         "row_number",
                                         "rows",
                                         "schema",
                                         "schemas",
                                         "second_microsecond",
                                         "select",
                                         "sensitive",
                                         "separator",
                                         "set",
                                         "show",
                                         "signal",
                                         "slow",
                                         "smallint",
                                         "spatial",
                                         "specific",
                                         "sql",
                                         "sql_big_result",
                                         "sql_calc_found_rows",
                                         "sql_small_result",
                                         "sqlexception",
                                         "sqlstate",
                                         "sqlwarning",
                                         "ssl",
                                         "starting",
                                         "stats_auto_recalc",
                                         "stats_persistent",
                                         "stats_sample_pages",
                                         "stored",
                                         "straight_join",
                                         "system",
                                         "table",
                                         "terminated",
                                         "then",
                                         "tinyblob",
                                         "tinyint",
                                         "tinytext",
                                         "to",
                                         "trailing",
                                         "trigger",
                                         "true",
                                         "undo",
                                         "union",
                                         "unique",
                                         "unlock",
                                         "unsigned",
                                         "update",
                                         "usage",
                                         "use",
                                         "using",
                                         "utc_date",
                                         "utc_time",
                                         "utc_timestamp",
                                         "values",
                                         "varbinary",
                                         "varchar",
                                         "varcharacter",
                                         "varying",
                                         "virtual",
                                         "when",
                                         "where",
                                         "while",
                                         "window",
                                         "with",
                                         "write",
                                         "xor",
                                         "year_month",
                                         "zerofill"};
    const auto& common = common_reserved_words();
    w.insert(common.begin(), common.end());
    return w;
  }();
  return words;
}

std::string quote_string(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "''";
    else if (c == '\\')
      out += "\\\\";
    else if (c == '\0')
      out += "\\0";
    else
      out += c;
  }
  return out + "'";
}

// ---- statements ------------------------------------------------------------------------------

std::string MySQLCompiler::render_literal(const Value& v, const SqlType& type) const {
  if (v.kind() == Value::Kind::Text) return quote_string(std::get<std::string>(v.storage()));
  return SqlCompiler::render_literal(v, type);
}

namespace {

bool is_integer_typed(const Node& n) {
  const auto* e = dynamic_cast<const ExpressionNode*>(&n);
  return e && is_integer_kind(e->type().kind);
}

}  // namespace

std::string MySQLCompiler::binary_operator(const BinaryNode& n) const {
  auto op = n.op();
  // No ILIKE: the generic compiler lower()s both sides around plain LIKE.
  if (op == BinaryOperator::ILike) return " LIKE ";
  if (op == BinaryOperator::NotILike) return " NOT LIKE ";
  // MySQL's / always divides exactly (7 / 2 is 3.5000); the other backends divide two integers
  // as integers, and so does DIV (which binds as / does), keeping one answer on every backend.
  if (op == BinaryOperator::Div && is_integer_typed(n.left()) && is_integer_typed(n.right())) return " DIV ";
  return SqlCompiler::binary_operator(n);
}

void MySQLCompiler::visit_binary(const BinaryNode& n) {
  // || is logical OR in MySQL (unless sql_mode has PIPES_AS_CONCAT).
  if (n.op() == BinaryOperator::Concat) {
    write("CONCAT(");
    process(n.left());
    write(", ");
    process(n.right());
    write(")");
    return;
  }
  SqlCompiler::visit_binary(n);
}

void MySQLCompiler::visit_ordering(const OrderingNode& n) {
  // MySQL sorts NULLs first ascending and last descending, and has no NULLS FIRST/LAST:
  // where the request differs from that, sort by `x IS NULL` first.
  bool default_order = n.nulls() == NullsOrder::Default || (n.nulls() == NullsOrder::First) != n.descending();
  auto element = [&] {
    const Node& e = n.element();
    if (e.kind() == NodeKind::Label)
      write(quote(e.cast<LabelNode>().name()));
    else
      process(e);
  };
  if (!default_order) {
    bool simple = n.element().kind() == NodeKind::Column || n.element().kind() == NodeKind::Label;
    if (!simple) write("(");
    element();
    if (!simple) write(")");
    write(n.nulls() == NullsOrder::First ? " IS NULL DESC, " : " IS NULL ASC, ");
  }
  element();
  write(n.descending() ? " DESC" : " ASC");
}

void MySQLCompiler::visit_join(const JoinNode& n) {
  if (n.full())
    throw UnsupportedCompilationError(
        "MySQL and MariaDB have no FULL OUTER JOIN: write it as a LEFT OUTER JOIN UNION a RIGHT "
        "OUTER JOIN, or use the ORM/core on another database");
  SqlCompiler::visit_join(n);
}

void MySQLCompiler::visit_cast(const CastNode& n) {
  // CAST accepts only a few target names in MySQL (no VARCHAR, INTEGER or TEXT).
  const SqlType& t = n.type();
  std::string target;
  switch (t.kind) {
    case TypeKind::Integer:
    case TypeKind::SmallInteger:
    case TypeKind::BigInteger:
    case TypeKind::Boolean: target = "SIGNED"; break;
    case TypeKind::String:
    case TypeKind::Text:
    case TypeKind::Enum:
    case TypeKind::UUID: target = t.length ? fmt::format("CHAR({})", *t.length) : "CHAR"; break;
    case TypeKind::Numeric:
      target = t.precision ? fmt::format("DECIMAL({}, {})", *t.precision, t.scale.value_or(0)) : "DECIMAL";
      break;
    case TypeKind::Float:
    case TypeKind::Double: target = "DOUBLE"; break;
    case TypeKind::Date: target = "DATE"; break;
    case TypeKind::Time: target = "TIME"; break;
    case TypeKind::DateTime: target = "DATETIME"; break;
    case TypeKind::LargeBinary: target = "BINARY"; break;
    case TypeKind::JSON: target = "JSON"; break;
    case TypeKind::Named: target = dialect().type_compiler().process(t); break;
    default:
      // Nothing to convert to: the value goes through unchanged, as SQLAlchemy does.
      process(n.element());
      return;
  }
  write("CAST(");
  process(n.element());
  write(" AS " + target + ")");
}

void MySQLCompiler::render_limit_offset(const Node* limit, const Node* offset) {
  if (!limit && !offset) return;
  write(" LIMIT ");
  if (limit)
    process(*limit);
  else
    write("18446744073709551615");  // MySQL's documented "all rows" for an OFFSET alone
  if (offset) {
    write(" OFFSET ");
    process(*offset);
  }
}

void MySQLCompiler::render_insert_default_values(const InsertNode& n) {
  // No DEFAULT VALUES: an empty column list with an empty row means the same.
  if (n.columns.empty()) {
    write(" () VALUES ()");
    return;
  }
  write(" VALUES (");
  for (std::size_t i = 0; i < n.columns.size(); ++i) write(i ? ", DEFAULT" : "DEFAULT");
  write(")");
}

void MySQLCompiler::render_on_duplicate_key_update(const OnConflictNode& n) {
  write(" ON DUPLICATE KEY UPDATE ");
  render_assignments(n.set);
}

void MySQLCompiler::render_excluded(const ExcludedNode& n) { write("VALUES(" + quote(n.column) + ")"); }

// ---- DDL -------------------------------------------------------------------------------------

namespace {

/// The value of a dialect option spelled mysql_<name> (or mariadb_<name>).
std::optional<std::string> option(const std::map<std::string, std::string>& options, const std::string& name) {
  for (const char* prefix : {"mysql_", "mariadb_"}) {
    auto it = options.find(prefix + name);
    if (it != options.end()) return it->second;
  }
  return std::nullopt;
}

/// A table option value written bare (ENGINE=InnoDB): a word, nothing that could end the statement.
std::string option_word(const std::string& key, const std::string& value) {
  bool ok = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!ok)
    throw CompileError(
        fmt::format("table option {}='{}': expected a single word such as InnoDB or "
                    "utf8mb4",
                    key, value));
  return value;
}

}  // namespace

std::string MySQLDdlCompiler::column_specification(const Table& table, const Column& column) {
  std::string out = quote(column.name()) + " " + column_type(table, column);
  const SqlType& type = column.type();
  if (column.computed_options()) {
    out += computed_clause(*column.computed_options());
  }
  if (!column.is_nullable())
    out += " NOT NULL";
  else if (type.kind == TypeKind::DateTime && type.timezone)
    out += " NULL";  // TIMESTAMP: explicit
  if (!column.computed_options() && column.server_default_expr())
    out += " DEFAULT " + render_expression(*column.server_default_expr());
  // No identity columns: an identity (or an autoincrementing integer key) is AUTO_INCREMENT.
  if (column.identity_options() || table.is_autoincrement(column)) out += autoincrement_clause(table, column);
  if (auto on_update = option(column.dialect_options(), "on_update")) out += " ON UPDATE " + *on_update;
  if (column.comment_text()) out += " COMMENT " + quote_string(*column.comment_text());
  return out;
}

std::string MySQLDdlCompiler::foreign_key_clause(const ForeignKeyConstraint& fk) {
  // InnoDB checks foreign keys at once; DEFERRABLE / INITIALLY are not MySQL syntax.
  ForeignKeyConstraint plain = fk;
  plain.deferrable.reset();
  plain.initially.clear();
  return DdlCompiler::foreign_key_clause(plain);
}

std::string MySQLDdlCompiler::table_suffix(const Table& table) {
  const auto& options = table.dialect_options();
  std::string out;
  out += " ENGINE=" + option_word("mysql_engine", option(options, "engine").value_or("InnoDB"));
  out += " DEFAULT CHARSET=" + option_word("mysql_charset", option(options, "charset").value_or("utf8mb4"));
  if (auto collate = option(options, "collate")) out += " COLLATE=" + option_word("mysql_collate", *collate);
  // Other mysql_* options pass through by name: mysql_row_format -> ROW_FORMAT=...
  for (const auto& [key, value] : options) {
    std::string name;
    if (key.rfind("mysql_", 0) == 0)
      name = key.substr(6);
    else if (key.rfind("mariadb_", 0) == 0)
      name = key.substr(8);
    else
      continue;
    if (name == "engine" || name == "charset" || name == "collate") continue;
    out += " " + option_word(key, to_upper(name)) + "=" + option_word(key, value);
  }
  if (table.comment()) out += " COMMENT=" + quote_string(*table.comment());
  return out;
}

std::string MySQLDdlCompiler::visit_drop_index(const DropIndexNode& n) {
  if (n.table_name.empty())
    throw CompileError(
        fmt::format("MySQL drops an index with its table (DROP INDEX {} ON <table>): "
                    "give the table name",
                    n.name));
  return std::string("DROP INDEX ") + (n.if_exists ? "IF EXISTS " : "") + quote(n.name) + " ON " +
         dialect_.preparer().format_table(n.table_name, n.schema);
}

std::string MySQLDdlCompiler::visit_drop_constraint(const DropConstraintNode& n) {
  std::string out = "ALTER TABLE " + dialect_.preparer().format_table(n.table_name, n.schema);
  // IF EXISTS is MariaDB's (10.0+ for keys and indexes); MySQL refuses it.
  std::string if_exists = n.if_exists ? "IF EXISTS " : "";
  switch (n.type) {
    case ConstraintType::ForeignKey: return out + " DROP FOREIGN KEY " + if_exists + quote(n.name);
    case ConstraintType::Unique: return out + " DROP INDEX " + if_exists + quote(n.name);
    case ConstraintType::PrimaryKey:
      if (n.if_exists) throw UnsupportedCompilationError("MySQL has no DROP PRIMARY KEY IF EXISTS");
      return out + " DROP PRIMARY KEY";
    // MySQL 8.0.16 added DROP CHECK, which MariaDB lacks; DROP CONSTRAINT works on both
    // (MySQL >= 8.0.19, MariaDB >= 10.2).
    case ConstraintType::Check:
    case ConstraintType::Unknown: return out + " DROP CONSTRAINT " + if_exists + quote(n.name);
  }
  return out + " DROP CONSTRAINT " + if_exists + quote(n.name);
}

// ---- ALTER -------------------------------------------------------------------------------------

std::vector<std::string> MySQLDdlCompiler::visit_alter_column(const AlterColumnNode& n) {
  const auto& change = n.change;
  if (!change.changes_anything()) throw CompileError("alter_column of " + n.column + " changes nothing");
  std::string prefix = alter_table(n.table);
  bool only_default = change.server_default && !change.nullable && !change.type && !change.new_name &&
                      !change.comment && !change.autoincrement && !change.identity;
  if (only_default) {
    const auto& def = *change.server_default;
    return {prefix + " ALTER COLUMN " + quote(n.column) +
            (def ? " SET DEFAULT " + default_expression(*def) : std::string(" DROP DEFAULT"))};
  }
  const auto& type = change.type ? change.type : change.existing_type;
  if (!type)
    throw CompileError(
        fmt::format("MySQL re-specifies the whole column to alter it: give existing_type "
                    "for column {} of table {}",
                    n.column, n.table.name));
  std::string sql = prefix + (change.new_name ? " CHANGE COLUMN " + quote(n.column) + " " + quote(*change.new_name)
                                              : " MODIFY " + quote(n.column));
  sql += " " + dialect_.type_compiler().process(*type);
  sql += change.nullable.value_or(change.existing_nullable.value_or(true)) ? " NULL" : " NOT NULL";
  std::optional<Expr> def = change.server_default ? *change.server_default : change.existing_server_default;
  if (def) sql += " DEFAULT " + default_expression(*def);
  // No identity columns: an identity made or removed is AUTO_INCREMENT's.
  bool autoincrement =
      change.identity
          ? change.identity->has_value()
          : change.autoincrement.value_or(change.existing_autoincrement.value_or(change.existing_identity.has_value()));
  if (autoincrement) sql += " AUTO_INCREMENT";
  std::optional<std::string> comment = change.comment ? *change.comment : change.existing_comment;
  if (comment) sql += " COMMENT " + quote_string(*comment);
  return {sql};
}

std::vector<std::string> MySQLDdlCompiler::visit_rename_table(const RenameTableNode& n) {
  return {alter_table(n.table) + " RENAME TO " + dialect_.preparer().format_table(n.new_name, n.table.schema)};
}

std::vector<std::string> MySQLDdlCompiler::visit_set_table_comment(const SetTableCommentNode& n) {
  return {alter_table(n.table) + " COMMENT " + quote_string(n.comment.value_or(""))};
}

// ---- types -----------------------------------------------------------------------------------

std::string MySQLTypeCompiler::visit_numeric(const SqlType& t) const {
  if (t.precision && t.scale) return fmt::format("DECIMAL({}, {})", *t.precision, *t.scale);
  if (t.precision) return fmt::format("DECIMAL({})", *t.precision);
  return "DECIMAL";
}

std::string MySQLTypeCompiler::visit_string(const SqlType& t) const {
  if (!t.length)
    throw CompileError(
        "VARCHAR requires a length on MySQL: declare String{n} (up to 16383 "
        "characters in utf8mb4), or Text for unbounded text");
  return fmt::format("VARCHAR({})", *t.length);
}

std::string MySQLTypeCompiler::visit_time(const SqlType& t) const {
  return t.precision ? fmt::format("TIME({})", *t.precision) : "TIME";
}

std::string MySQLTypeCompiler::visit_datetime(const SqlType& t) const {
  // TIMESTAMP is stored in UTC and converted to the session time zone: the closest MySQL has
  // to a zone-aware date-time.
  std::string base = t.timezone ? "TIMESTAMP" : "DATETIME";
  return t.precision ? fmt::format("{}({})", base, *t.precision) : base;
}

std::string MySQLTypeCompiler::visit_interval(const SqlType&) const {
  throw CompileError(
      "MySQL has no INTERVAL column type: store a duration as TIME (under 839 "
      "hours) or as a BigInteger number of seconds");
}

std::string MySQLTypeCompiler::visit_large_binary(const SqlType& t) const {
  if (!t.length || *t.length <= 65535) return "BLOB";
  if (*t.length <= 16777215) return "MEDIUMBLOB";
  return "LONGBLOB";
}

std::string MySQLTypeCompiler::visit_enum(const SqlType& t) const {
  if (t.enum_values.empty()) throw CompileError("an ENUM needs at least one value");
  std::vector<std::string> values;
  for (const auto& v : t.enum_values) values.push_back(quote_string(v));
  return fmt::format("ENUM({})", fmt::join(values, ", "));
}

}  // namespace retort::dialects::mysql
