// upgrade, downgrade, stamp, current and ensure-version.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/engine/url.hpp>
#include <retort/migrate/errors.hpp>

#include "global_options.hpp"
#include "output.hpp"

namespace retort::cli {

void add_migration_commands(CLI::App& app, GlobalOptions& global) {
  for (bool up : {true, false}) {
    auto* cmd = app.add_subcommand(up ? "upgrade" : "downgrade",
                                   up ? "apply revisions up to a target" : "revert revisions down to a target");
    auto target = std::make_shared<std::string>();
    auto sql = std::make_shared<bool>(false);
    cmd->add_option("revision", *target,
                    up ? "target: head, heads, REV, +N, LABEL@head, START:END with --sql"
                       : "target: base, REV, -N, LABEL@base, START:END with --sql")
        ->required();
    cmd->add_flag("--sql", *sql, "write the SQL to standard output instead of running it");
    auto strict = std::make_shared<bool>(false);
    cmd->add_flag("--strict", *strict, "fail, not warn, when an applied revision's file changed since it ran");
    cmd->callback([&global, target, sql, strict, up] {
      auto config = global.load_config();
      auto options = global.command_options(*sql);
      options.strict = *strict;
      if (up)
        migrate::upgrade(config, *target, options);
      else
        migrate::downgrade(config, *target, options);
    });
  }

  auto* stamp = app.add_subcommand("stamp", "set the version table without running migrations");
  auto targets = std::make_shared<std::vector<std::string>>();
  auto purge = std::make_shared<bool>(false);
  auto stamp_sql = std::make_shared<bool>(false);
  stamp->add_option("revisions", *targets, "revision(s) to record, or base")->required();
  stamp->add_flag("--purge", *purge, "empty the version table first (also clears unknown revisions)");
  stamp->add_flag("--sql", *stamp_sql, "write the SQL instead of running it");
  stamp->callback([&global, targets, purge, stamp_sql] {
    migrate::stamp(global.load_config(), *targets, *purge, global.command_options(*stamp_sql));
  });

  auto* current = app.add_subcommand("current", "show the database's current revision(s)");
  auto format = std::make_shared<std::string>("text");
  current->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  current->callback([&global, format] {
    auto config = global.load_config();
    auto options = global.command_options();
    auto heads = migrate::current(config, options);
    if (*format == "json") {
      fmt::print("{}\n", json_strings(heads));
      return;
    }
    // As `alembic current --verbose` starts (the password masked).
    if (global.verbose)
      fmt::print("Current revision(s) for {}:\n", core::mask_password(config.database_url(options.url)));
    if (heads.empty()) {
      // Standard output stays empty, as Alembic's: scripts read "no rows" as "at base".
      fmt::print(stderr, "<base> (no revision applied)\n");
    } else {
      auto all = migrate::history(config);
      for (const auto& h : heads)
        for (const auto& r : all)
          if (r.revision.id == h)
            fmt::print("{}\n", global.verbose ? revision_details(r) : revision_line(r, kCurrentLine));
    }
    // Where DDL is not transactional a failed revision may have run some of its statements.
    for (const auto& p : migrate::partial_revisions(config, options))
      fmt::print(stderr, "{} stopped part-way: {} statement(s) of its {} ran; the next run resumes after them\n",
                 p.revision, p.statements_done, p.direction);
  });

  auto* verify =
      app.add_subcommand("verify", "check that applied revisions' files are unchanged since they ran (exit 1 if not)");
  auto record_missing = std::make_shared<bool>(false);
  verify->add_flag("--record-missing", *record_missing,
                   "record applied revisions that have no history row (applied by Alembic, an offline script or "
                   "an older retort) as they are now");
  verify->callback([&global, record_missing] {
    auto report = migrate::verify(global.load_config(), *record_missing, global.command_options());
    for (const auto& c : report.changed)
      fmt::print("changed: {} ({}): recorded {}, now {}\n", c.revision, c.path, c.recorded, c.now);
    for (const auto& id : report.disappeared)
      fmt::print("disappeared: {} (applied; no revision file defines it)\n", id);
    for (const auto& id : report.never_recorded)
      fmt::print("never recorded: {} (applied without a history row; `retort verify --record-missing` accepts it)\n",
                 id);
    for (const auto& id : report.recorded_now) fmt::print("recorded: {}\n", id);
    if (!report.clean()) throw migrate::CommandError("verify found applied revisions that do not match their files");
    if (!global.quiet) fmt::print("verified: every applied revision matches its file\n");
  });

  auto* ensure = app.add_subcommand("ensure-version", "create the version table if it does not exist");
  auto ensure_sql = std::make_shared<bool>(false);
  ensure->add_flag("--sql", *ensure_sql, "write the SQL instead of running it");
  ensure->callback(
      [&global, ensure_sql] { migrate::ensure_version(global.load_config(), global.command_options(*ensure_sql)); });
}

}  // namespace retort::cli
