// history, heads, branches and show (text, json, or dot for history).
#include <map>

#include <fmt/format.h>

#include "global_options.hpp"
#include "output.hpp"

namespace retort::cli {

namespace {
void print_revisions(const std::vector<migrate::RevisionInfo>& revs, const std::string& format, bool verbose,
                     const LineParts& line = kHistoryLine) {
  if (format == "json") {
    fmt::print("{}\n", json_revisions(revs));
  } else if (format == "dot") {
    fmt::print("{}", migrate::history_dot(revs));
  } else {
    for (const auto& r : revs) fmt::print("{}\n", verbose ? revision_details(r) : revision_line(r, line));
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
    print_revisions(migrate::heads(global.load_config(), *resolve), *format, global.verbose, kHeadsLine);
  });

  auto* branches = app.add_subcommand("branches", "list branch points");
  auto bformat = std::make_shared<std::string>("text");
  branches->add_option("--format", *bformat, "text or json")->check(CLI::IsMember({"text", "json"}));
  branches->callback([&global, bformat] {
    auto config = global.load_config();
    auto points = migrate::branches(config);
    if (*bformat != "text" || global.verbose) {
      print_revisions(points, *bformat, global.verbose);
      return;
    }
    // As Alembic prints it: the branch point, then an arrow to each revision that follows it.
    std::map<std::string, migrate::RevisionInfo> by_id;
    for (auto& r : migrate::history(config)) by_id.emplace(r.revision.id, std::move(r));
    for (const auto& point : points) {
      fmt::print("{}\n", revision_line(point, kBranchPointLine));
      for (const auto& child : point.children)
        fmt::print("{} -> {}\n", std::string(point.revision.id.size(), ' '),
                   revision_line(by_id.at(child), kBranchPointLine));
      fmt::print("\n");
    }
  });

  auto* show = app.add_subcommand("show", "show one revision");
  auto rev = std::make_shared<std::string>();
  auto sformat = std::make_shared<std::string>("text");
  show->add_option("revision", *rev, "revision")->required();
  show->add_option("--format", *sformat, "text or json")->check(CLI::IsMember({"text", "json"}));
  show->callback([&global, rev, sformat] {
    auto revs = migrate::show(global.load_config(), *rev);
    if (*sformat == "json")
      fmt::print("{}\n", json_revisions(revs));
    else
      for (const auto& r : revs) fmt::print("{}", revision_details(r));
  });
}

}  // namespace retort::cli
