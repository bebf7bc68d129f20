// `retort inspect --url URL [--schema S] [--format text|json|sql]`: what a database holds, read by
// one batched reflection pass (core's Inspector), printed for people, for tools (JSON), or as
// CREATE statements in the database's own dialect. Needs no retort.toml.
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/engine/engine.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/reflect_metadata.hpp>
#include <retort/core/sql/type_compiler.hpp>
#include <retort/migrate/errors.hpp>

#include "global_options.hpp"
#include "output.hpp"

namespace retort::cli {

namespace {

using namespace retort::core;

std::string type_sql(const Dialect& dialect, const SqlType& type) {
  if (type.kind == TypeKind::Null) return "";
  try {
    return dialect.type_compiler().process(type);
  } catch (const CompileError&) {
    return type.to_string();
  }
}

std::string json_optional(const std::optional<std::string>& s) { return s ? json_string(*s) : "null"; }
std::string json_name(const std::string& s) { return s.empty() ? "null" : json_string(s); }
std::string json_integer(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "null"; }

std::string json_table(const ReflectedTable& t, const Dialect& dialect) {
  std::vector<std::string> columns, fks, indexes, uniques, checks;
  for (const auto& c : t.columns)
    columns.push_back(fmt::format(
        "{{\"name\": {}, \"type\": {}, \"nullable\": {}, \"default\": {}, \"autoincrement\": {}, \"comment\": {}}}",
        json_string(c.name), json_string(type_sql(dialect, c.type)), c.nullable, json_optional(c.default_sql),
        c.autoincrement, json_optional(c.comment)));
  for (const auto& fk : t.foreign_keys)
    fks.push_back(fmt::format(
        "{{\"name\": {}, \"columns\": {}, \"referred_schema\": {}, \"referred_table\": {}, \"referred_columns\": {}, "
        "\"ondelete\": {}, \"onupdate\": {}}}",
        json_name(fk.name), json_strings(fk.columns), json_optional(fk.referred_schema), json_string(fk.referred_table),
        json_strings(fk.referred_columns), json_name(fk.ondelete), json_name(fk.onupdate)));
  for (const auto& ix : t.indexes)
    indexes.push_back(fmt::format(
        "{{\"name\": {}, \"columns\": {}, \"unique\": {}, \"expressions\": {}, \"where\": {}}}", json_string(ix.name),
        json_strings(ix.columns), ix.unique, json_strings(ix.expressions), json_optional(ix.where)));
  for (const auto& uq : t.unique_constraints)
    uniques.push_back(fmt::format("{{\"name\": {}, \"columns\": {}}}", json_name(uq.name), json_strings(uq.columns)));
  for (const auto& ck : t.check_constraints)
    checks.push_back(fmt::format("{{\"name\": {}, \"sqltext\": {}}}", json_name(ck.name), json_string(ck.sqltext)));
  return fmt::format(
      "{{\"schema\": {}, \"name\": {}, \"comment\": {}, \"columns\": [{}], \"primary_key\": {{\"name\": {}, "
      "\"columns\": {}}}, \"foreign_keys\": [{}], \"indexes\": [{}], \"unique_constraints\": [{}], "
      "\"check_constraints\": [{}]}}",
      json_optional(t.schema), json_string(t.name), json_optional(t.comment), fmt::join(columns, ", "),
      json_name(t.primary_key.name), json_strings(t.primary_key.columns), fmt::join(fks, ", "),
      fmt::join(indexes, ", "), fmt::join(uniques, ", "), fmt::join(checks, ", "));
}

std::string render_json(const ReflectedSchema& s, const Dialect& dialect) {
  std::vector<std::string> tables, views, sequences, enums;
  for (const auto& t : s.tables) tables.push_back(json_table(t, dialect));
  for (const auto& v : s.views)
    views.push_back(fmt::format("{{\"schema\": {}, \"name\": {}, \"definition\": {}}}", json_optional(v.schema),
                                json_string(v.name), json_string(v.definition)));
  for (const auto& q : s.sequences)
    sequences.push_back(fmt::format("{{\"schema\": {}, \"name\": {}, \"start\": {}, \"increment\": {}}}",
                                    json_optional(q.schema), json_string(q.name), json_integer(q.start),
                                    json_integer(q.increment)));
  for (const auto& e : s.enums)
    enums.push_back(fmt::format("{{\"schema\": {}, \"name\": {}, \"values\": {}}}", json_optional(e.schema),
                                json_string(e.name), json_strings(e.values)));
  return fmt::format("{{\"dialect\": {}, \"tables\": [{}], \"views\": [{}], \"sequences\": [{}], \"enums\": [{}]}}\n",
                     json_string(dialect.name()), fmt::join(tables, ",\n  "), fmt::join(views, ", "),
                     fmt::join(sequences, ", "), fmt::join(enums, ", "));
}

std::string list(const std::vector<std::string>& v) { return fmt::format("({})", fmt::join(v, ", ")); }

std::string render_text(const ReflectedSchema& s, const Dialect& dialect) {
  std::string out = fmt::format("{} schema {}: {} table(s), {} view(s)\n", dialect.name(),
                                s.schema.value_or("(default)"), s.tables.size(), s.views.size());
  for (const auto& t : s.tables) {
    out += fmt::format("\ntable {}{}\n", t.schema ? *t.schema + "." : "", t.name);
    if (t.comment) out += fmt::format("  comment: {}\n", *t.comment);
    std::size_t width = 0;
    for (const auto& c : t.columns) width = std::max(width, c.name.size());
    for (const auto& c : t.columns) {
      std::string line = fmt::format("  {:<{}}  {}", c.name, width, type_sql(dialect, c.type));
      if (!c.nullable) line += " NOT NULL";
      if (c.default_sql) line += " DEFAULT " + *c.default_sql;
      if (c.computed) line += " GENERATED AS (" + c.computed->sqltext + ")";
      if (c.autoincrement) line += " (autoincrement)";
      if (c.comment) line += "  -- " + *c.comment;
      out += line + "\n";
    }
    if (!t.primary_key.columns.empty())
      out += fmt::format("  primary key {}{}\n", t.primary_key.name.empty() ? "" : t.primary_key.name + " ",
                         list(t.primary_key.columns));
    for (const auto& fk : t.foreign_keys) {
      out += fmt::format("  foreign key {}{} -> {} {}", fk.name.empty() ? "" : fk.name + " ", list(fk.columns),
                         fk.referred_table, list(fk.referred_columns));
      if (!fk.ondelete.empty()) out += " ON DELETE " + fk.ondelete;
      if (!fk.onupdate.empty()) out += " ON UPDATE " + fk.onupdate;
      out += "\n";
    }
    for (const auto& uq : t.unique_constraints)
      out += fmt::format("  unique {}{}\n", uq.name.empty() ? "" : uq.name + " ", list(uq.columns));
    for (const auto& ck : t.check_constraints)
      out += fmt::format("  check {}({})\n", ck.name.empty() ? "" : ck.name + " ", ck.sqltext);
    for (const auto& ix : t.indexes) {
      std::vector<std::string> elements = ix.columns;
      elements.insert(elements.end(), ix.expressions.begin(), ix.expressions.end());
      out += fmt::format("  {}index {} {}", ix.unique ? "unique " : "", ix.name, list(elements));
      if (ix.where) out += " WHERE " + *ix.where;
      out += "\n";
    }
  }
  for (const auto& v : s.views)
    out += fmt::format("\nview {}{}: {}\n", v.schema ? *v.schema + "." : "", v.name, v.definition);
  for (const auto& q : s.sequences) out += fmt::format("\nsequence {}\n", q.name);
  for (const auto& e : s.enums) out += fmt::format("\nenum {} {}\n", e.name, list(e.values));
  return out;
}

std::string render_sql(const Engine& engine, const std::optional<std::string>& schema, const ReflectedSchema& s) {
  MetaData metadata;
  metadata.reflect(engine, schema);
  const auto& dialect = engine.dialect();
  auto ddl = dialect.ddl_compiler();
  std::string out;
  auto emit = [&](const Compiled& c) {
    for (const auto& pre : c.pre_sql) out += pre + ";\n\n";
    out += c.sql + ";\n\n";
    for (const auto& post : c.post_sql) out += post + ";\n\n";
  };
  auto sorted = metadata.sorted_tables();
  for (const Table* t : sorted) {
    emit(ddl->compile(*CreateTable(*t).node()));
    for (const auto& ix : t->indexes()) emit(ddl->compile(*CreateIndex(*t, ix).node()));
  }
  if (dialect.features().supports_alter)
    for (const Table* t : sorted)
      for (const auto& fk : t->foreign_keys())
        if (fk.use_alter) emit(ddl->compile(*AddConstraint(*t, fk).node()));
  for (const auto& v : s.views)
    out += fmt::format("CREATE VIEW {} AS {};\n\n", dialect.preparer().format_table(v.name, v.schema), v.definition);
  return out;
}

/// One line, password masked: driver messages may span several lines.
std::string one_line(const std::string& message) {
  std::string out;
  for (char c : mask_password(message)) {
    if (c == '\n' || c == '\r') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (!out.empty() && out.back() != ';') out += "; ";
    } else {
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

}  // namespace

void add_inspect_command(CLI::App& app, GlobalOptions& global) {
  auto* inspect = app.add_subcommand("inspect", "show what a database holds (tables, keys, indexes, views)");
  auto schema = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  inspect->add_option("--schema", *schema, "schema to read (default: the connection's default schema)");
  inspect->add_option("--format", *format, "text, json or sql")->check(CLI::IsMember({"text", "json", "sql"}));
  inspect->callback([&global, schema, format] {
    std::string url = global.url;
    if (url.empty())
      if (const char* env = std::getenv("RETORT_DATABASE_URL"); env && *env) url = env;
    if (url.empty())
      throw migrate::CommandError("inspect needs a database: pass --url URL (or set RETORT_DATABASE_URL)");
    try {
      EngineOptions read_only;
      read_only.read_only = true;  // inspecting never creates a database
      auto engine = create_engine(url, read_only);
      auto conn = engine.connect();
      Inspector inspector(conn);
      std::optional<std::string> which;
      if (!schema->empty()) which = *schema;
      const auto& reflected = inspector.reflect(which);
      if (*format == "json")
        fmt::print("{}", render_json(reflected, engine.dialect()));
      else if (*format == "sql")
        fmt::print("{}", render_sql(engine, which, reflected));
      else
        fmt::print("{}", render_text(reflected, engine.dialect()));
    } catch (const Error& e) {
      throw migrate::CommandError(fmt::format("inspect {}: {}", mask_password(url), one_line(e.what())));
    }
  });
}

}  // namespace retort::cli
