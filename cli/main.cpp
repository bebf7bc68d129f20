// The `retort` command line: parses arguments, calls the library, maps errors to exit codes
// (0 success, 1 failure, 2 usage error).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <retort/retort.hpp>

int main(int argc, char** argv) {
  CLI::App app{"retort: schema migrations and an embedded SQL toolkit for C++"};
  app.set_version_flag("--version", std::string("retort ") + retort::kVersion);
  app.require_subcommand(0);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (argc == 1) {
    fmt::print("{}", app.help());
    return 0;
  }
  return 0;
}
