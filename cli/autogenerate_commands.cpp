// diff and check: the database compared with the declared schema, printed (diff) or as the CI
// drift gate (check: exit 1 when they differ). revision --autogenerate shares their options.
#include <fmt/format.h>

#include <retort/migrate/autogenerate/render_revision.hpp>
#include <retort/migrate/errors.hpp>

#include "global_options.hpp"
#include "output.hpp"

namespace retort::cli {

namespace {

const char* change_word(core::SchemaChange change) {
  switch (change) {
    case core::SchemaChange::Missing: return "missing";
    case core::SchemaChange::Extra: return "extra";
    case core::SchemaChange::Changed: return "changed";
  }
  return "";
}

const char* object_word(core::SchemaObject object) {
  switch (object) {
    case core::SchemaObject::Table: return "table";
    case core::SchemaObject::Column: return "column";
    case core::SchemaObject::PrimaryKey: return "primary_key";
    case core::SchemaObject::ForeignKey: return "foreign_key";
    case core::SchemaObject::UniqueConstraint: return "unique_constraint";
    case core::SchemaObject::CheckConstraint: return "check_constraint";
    case core::SchemaObject::Index: return "index";
    case core::SchemaObject::EnumType: return "enum_type";
    case core::SchemaObject::View: return "view";
  }
  return "";
}

/// {"change", "object", "table" (empty for an enum type or a view), "name", "attribute"
/// (a change's), "description"} per difference, and the warnings.
std::string plan_json(const migrate::autogenerate::MigrationPlan& plan) {
  std::vector<std::string> differences;
  for (const auto& d : plan.differences)
    differences.push_back(
        fmt::format(R"({{"change": {}, "object": {}, "table": {}, "name": {}, "attribute": {}, "description": {}}})",
                    json_string(change_word(d.change)), json_string(object_word(d.object)), json_string(d.table),
                    json_string(d.name), json_string(d.attribute), json_string(core::describe(d))));
  return fmt::format(R"({{"differences": [{}], "warnings": {}}})", fmt::join(differences, ", "),
                     json_strings(plan.warnings));
}

}  // namespace

migrate::autogenerate::DeclaredSchema DeclaredSchemaArguments::resolve(const GlobalOptions& global) const {
  migrate::autogenerate::DeclaredSchema declared;
  if (!schema_file.empty()) declared.schema_file = schema_file;
  if (!metadata_file.empty()) declared.metadata_file = metadata_file;
  if (!target_url.empty()) declared.target_url = target_url;
  if (!dev_url.empty()) declared.dev_url = dev_url;
  for (const auto& r : renames) {
    auto colon = r.find(':');
    auto from = r.substr(0, colon);
    auto dot = from.find('.');
    declared.renames.push_back({dot == std::string::npos ? from : from.substr(0, dot),
                                dot == std::string::npos ? std::string() : from.substr(dot + 1), r.substr(colon + 1)});
  }
  if (schema_file.empty() && metadata_file.empty() && target_url.empty()) declared.metadata = global.metadata;
  return declared;
}

void add_declared_schema_options(CLI::App* command, DeclaredSchemaArguments& arguments) {
  command->add_option("--schema", arguments.schema_file,
                      "the declared schema as a SQL file of CREATE statements (default: [autogenerate] schema)");
  command->add_option("--metadata", arguments.metadata_file,
                      "the declared schema as a C++ file with RETORT_METADATA (default: [autogenerate] metadata)");
  command->add_option("--target-url", arguments.target_url, "a database that has the declared schema");
  command
      ->add_option("--rename", arguments.renames, "a table (OLD:NEW) or column (TABLE.OLD:NEW) renamed, its data kept")
      ->type_name("OLD:NEW")
      ->check(CLI::Validator(
          [](std::string& v) {
            auto colon = v.find(':');
            return colon == std::string::npos || colon == 0 || colon + 1 == v.size() ||
                           v.find(':', colon + 1) != std::string::npos
                       ? std::string("expects OLD:NEW or TABLE.OLD:NEW, got '") + v + "'"
                       : std::string();
          },
          ""));
  command->add_option("--dev-url", arguments.dev_url,
                      "scratch server a schema file is applied to on PostgreSQL or MySQL (default: [autogenerate] "
                      "dev_url)");
}

void print_warnings(const migrate::autogenerate::MigrationPlan& plan) {
  for (const auto& w : plan.warnings) fmt::print(stderr, "warning: {}\n", w);
}

void add_autogenerate_commands(CLI::App& app, GlobalOptions& global) {
  auto* diff = app.add_subcommand("diff", "show what differs between the database and the declared schema");
  auto diff_args = std::make_shared<DeclaredSchemaArguments>();
  auto format = std::make_shared<std::string>("text");
  add_declared_schema_options(diff, *diff_args);
  diff->add_option("--format", *format, "text, cpp, sql or json")
      ->check(CLI::IsMember({"text", "cpp", "sql", "json"}))
      ->capture_default_str();
  diff->callback([&global, diff_args, format] {
    auto config = global.load_config();
    auto options = global.command_options();
    auto plan = migrate::autogenerate::plan(config, diff_args->resolve(global), options, false);
    if (*format == "json") {
      fmt::print("{}\n", plan_json(plan));
      return;
    }
    print_warnings(plan);
    if (*format == "text") {
      if (plan.empty()) fmt::print("No differences: the database matches the declared schema\n");
      for (const auto& d : plan.differences) fmt::print("{}\n", d);
    } else if (*format == "cpp") {
      fmt::print("{}\n", migrate::autogenerate::render_cpp_bodies(plan).upgrade);
    } else {
      auto engine = core::create_engine(config.database_url(options.url));
      fmt::print("{}\n", migrate::autogenerate::render_sql_bodies(plan, engine.dialect()).upgrade);
    }
  });

  auto* check = app.add_subcommand(
      "check", "exit 1 when the database (at head) differs from the declared schema, listing what differs");
  auto check_args = std::make_shared<DeclaredSchemaArguments>();
  add_declared_schema_options(check, *check_args);
  check->callback([&global, check_args] {
    auto config = global.load_config();
    auto plan = migrate::autogenerate::plan(config, check_args->resolve(global), global.command_options());
    if (plan.empty()) {
      fmt::print("No changes: the database matches the declared schema\n");
      return;
    }
    for (const auto& d : plan.differences) fmt::print("{}\n", d);
    throw migrate::CommandError(
        fmt::format("{} difference(s) between the database and the declared schema: "
                    "write them with `retort revision --autogenerate -m MESSAGE`",
                    plan.differences.size()));
  });
}

}  // namespace retort::cli
