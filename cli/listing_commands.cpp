// history, heads, branches and show (text, json, or dot for history).
#include <fmt/format.h>

#include "global_options.hpp"
#include "output.hpp"

namespace retort::cli {

namespace {
void print_revisions(const std::vector<migrate::RevisionInfo>& revs, const std::string& format, bool verbose) {
  if (format == "json") {
    fmt::print("{}\n", json_revisions(revs));
  } else if (format == "dot") {
    fmt::print("{}", migrate::history_dot(revs));
  } else {
    for (const auto& r : revs) fmt::print("{}\n", verbose ? revision_details(r) : revision_line(r));
  }
}
}  // namespace

void add_listing_commands(CLI::App& app, GlobalOptions& global) {
  auto* history = app.add_subcommand("history", "list revisions, newest first");
  auto range = std::make_shared<std::string>();
  auto indicate = std::make_shared<bool>(false);
  auto hformat = std::make_shared<std::string>("text");
  history->add_option("-r,--rev-range", *range, "START:END (ids, head, base, current)");
  history->add_flag("-i,--indicate-current", *indicate, "mark the database's current revision(s)");
  history->add_option("--format", *hformat, "text, json or dot")->check(CLI::IsMember({"text", "json", "dot"}));
  history->callback([&global, range, indicate, hformat] {
    auto revs = migrate::history(global.load_config(), *range, *indicate, global.command_options());
    print_revisions(revs, *hformat, global.verbose);
  });

  auto* heads = app.add_subcommand("heads", "list the heads");
  auto resolve = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("text");
  heads->add_flag("--resolve-dependencies", *resolve, "drop heads that another head depends on");
  heads->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  heads->callback([&global, resolve, format] {
    print_revisions(migrate::heads(global.load_config(), *resolve), *format, global.verbose);
  });

  auto* branches = app.add_subcommand("branches", "list branch points");
  auto bformat = std::make_shared<std::string>("text");
  branches->add_option("--format", *bformat, "text or json")->check(CLI::IsMember({"text", "json"}));
  branches->callback([&global, bformat] {
    print_revisions(migrate::branches(global.load_config()), *bformat, global.verbose);
  });

  auto* show = app.add_subcommand("show", "show one revision");
  auto rev = std::make_shared<std::string>();
  auto sformat = std::make_shared<std::string>("text");
  show->add_option("revision", *rev, "revision")->required();
  show->add_option("--format", *sformat, "text or json")->check(CLI::IsMember({"text", "json"}));
  show->callback([&global, rev, sformat] {
    auto revs = migrate::show(global.load_config(), *rev);
    if (*sformat == "json") fmt::print("{}\n", json_revisions(revs));
    else
      for (const auto& r : revs) fmt::print("{}", revision_details(r));
  });
}

}  // namespace retort::cli
