// init and list-templates.
#include <fmt/format.h>

#include "global_options.hpp"

namespace retort::cli {

void add_project_commands(CLI::App& app, GlobalOptions&) {
  auto* init = app.add_subcommand("init", "create a migration project in DIR");
  auto dir = std::make_shared<std::string>();
  auto tmpl = std::make_shared<std::string>("sql");
  // An empty DIR (an unset variable in a script) is a usage error, not the working folder.
  init->add_option("directory", *dir, "directory to create (must be new or empty)")
      ->required()
      ->check(CLI::Validator(
          [](std::string& value) {
            return value.empty()
                       ? std::string("the directory is empty: name a new or empty directory (`.` for this one)")
                       : std::string();
          },
          ""));
  init->add_option("-t,--template", *tmpl, "project template (see list-templates)")->capture_default_str();
  init->callback([dir, tmpl] {
    migrate::init(*dir, *tmpl);
    fmt::print(
        "Created {} from the '{}' template: edit {}/retort.toml, then `retort revision -m "
        "\"first\"`\n",
        *dir, *tmpl, *dir);
  });

  auto* list = app.add_subcommand("list-templates", "list the project templates");
  list->callback([] {
    for (const auto& t : migrate::list_templates()) fmt::print("{:<10} {}\n", t.name, t.description);
  });
}

}  // namespace retort::cli
