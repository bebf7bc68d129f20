// import-alembic: an Alembic project's revisions as retort SQL revisions. Sections that Alembic
// cannot render offline are written empty and reported as warnings; the command still exits 0,
// because failing would hide the revisions it did write (which the project now holds).
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include <retort/migrate/importers/import_alembic.hpp>

#include "global_options.hpp"

namespace retort::cli {

void add_import_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand(
      "import-alembic", "write an Alembic project's revisions (ids, graph, messages, SQL) as retort revisions");
  auto options = std::make_shared<migrate::ImportAlembicOptions>();
  auto alembic_dir = std::make_shared<std::string>();
  auto ini = std::make_shared<std::string>("alembic.ini");
  auto dialect = std::make_shared<std::string>();
  command->add_option("ALEMBIC_DIR", *alembic_dir, "the Alembic project's folder; Alembic runs there")->required();
  command->add_option("--config", *ini, "Alembic's ini file, relative to ALEMBIC_DIR")->capture_default_str();
  command->add_option("--dialect", *dialect,
                      "render the SQL for this dialect (sqlite, postgresql, mysql, ...) instead of sqlalchemy.url's");
  command->add_option("--version-table", options->version_table, "Alembic's version table, left out of the SQL")
      ->capture_default_str();
  command->callback([&global, options, alembic_dir, ini, dialect] {
    auto config = global.load_config();
    auto o = *options;
    o.alembic_dir = *alembic_dir;
    o.alembic_ini = *ini;
    if (!dialect->empty()) o.dialect = *dialect;
    if (!global.quiet) o.log = &std::cout;
    auto result = migrate::import_alembic(config, o);

    for (const auto& line : result.skipped) fmt::print(stderr, "warning: {}\n", line);
    if (result.written.empty()) {
      fmt::print("No Alembic revisions found in {}\n", o.alembic_dir.string());
      return;
    }
    for (const auto& r : result.written) fmt::print("Wrote {} (revision {})\n", r.file.string(), r.id);
    // Last, so that they are seen: the sections the user must write.
    for (const auto& u : result.unrendered)
      fmt::print(stderr,
                 "warning: revision {}: Alembic could not render its {} offline ({}); {} has an empty {} section: "
                 "write its SQL by hand\n",
                 u.revision, u.upgrade ? "upgrade" : "downgrade", u.reason, u.file.string(),
                 u.upgrade ? "upgrade" : "downgrade");
    fmt::print(
        "Imported {} revision(s) from Alembic{}\n", result.written.size(),
        result.unrendered.empty() ? "" : fmt::format("; {} section(s) to write by hand", result.unrendered.size()));
    if (!global.quiet && config.version_table != o.version_table)
      fmt::print("hint: to continue on a database that Alembic migrated, set version_table = \"{}\" in {}\n",
                 o.version_table, config.config_file.string());
  });
}

}  // namespace retort::cli
