// Running revisions: a plan from the revision graph, then one step loop through the
// MigrationContext, the same online and offline. Online, each revision is one transaction where
// the database's DDL is transactional (SQLite: a savepoint inside the run's write-locked
// transaction), so a failure leaves the version table at the previous revision; on MySQL the
// version is stamped after each revision so that a rerun resumes there.
#include <retort/migrate/runtime/runner.hpp>

#include <algorithm>
#include <chrono>
#include <ostream>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/head_maintainer.hpp>
#include <retort/migrate/revision_checksum.hpp>
#include <retort/migrate/runtime/migration_context.hpp>

namespace retort::migrate {

namespace {

using Clock = std::chrono::steady_clock;

std::string arrow(const std::vector<std::string>& from, const std::vector<std::string>& to) {
  auto side = [](const std::vector<std::string>& v) {
    return v.empty() ? std::string("<base>") : fmt::format("{}", fmt::join(v, ", "));
  };
  return side(from) + " -> " + side(to);
}

/// "Running upgrade PARENTS -> REV, message" (downgrade: "REV -> PARENTS"), as Alembic prints
/// it: the revision's own edge, not the database's heads (which would show unrelated branches).
std::string step_line(const Revision& rev, bool upgrading) {
  std::string edge = upgrading ? arrow(rev.down_revisions, {rev.id}) : arrow({rev.id}, rev.down_revisions);
  return fmt::format("Running {} {}{}{}", upgrading ? "upgrade" : "downgrade", edge, rev.message.empty() ? "" : ", ",
                     rev.message);
}

}  // namespace

Runner::Runner(const ScriptDirectory& scripts, RunOptions options) : scripts_(scripts), options_(std::move(options)) {}

template <class F>
auto Runner::with_context(F&& body) {
  const auto& config = scripts_.config();
  MigrationContextOptions context_options{
      config.version_table, config.version_table_schema, config.transaction_per_migration,
      config.lock_timeout,  config.x_arguments,          options_.log};
  auto engine = [&] {
    core::EngineOptions engine_options;
    engine_options.read_only = options_.read_only;
    return options_.engine ? *options_.engine : core::create_engine(config.database_url(options_.url), engine_options);
  };
  if (options_.sql) {
    if (!options_.sql_out) throw CommandError("--sql needs an output stream");
    if (options_.connection) {
      MigrationContext context(options_.connection->dialect(), *options_.sql_out, std::move(context_options));
      return body(context);
    }
    auto offline_engine = engine();  // for its dialect: no connection is opened
    MigrationContext context(offline_engine.dialect(), *options_.sql_out, std::move(context_options));
    return body(context);
  }
  if (options_.connection) {
    MigrationContext context(*options_.connection, std::move(context_options));
    return body(context);
  }
  auto online_engine = engine();
  auto conn = online_engine.connect();
  MigrationContext context(conn, std::move(context_options));
  return body(context);
}

std::vector<std::string> Runner::upgrade(const std::string& target) { return run(target, true); }
std::vector<std::string> Runner::downgrade(const std::string& target) { return run(target, false); }

std::vector<std::string> Runner::current_heads() {
  RunOptions online = options_;
  online.sql = false;
  online.read_only = true;
  auto heads =
      Runner(scripts_, std::move(online)).with_context([](MigrationContext& context) { return context.read_heads(); });
  check_known(heads);
  return heads;
}

std::vector<RevisionProgress> Runner::partial_revisions() {
  RunOptions online = options_;
  online.sql = false;
  online.read_only = true;
  return Runner(scripts_, std::move(online)).with_context([](MigrationContext& context) {
    return context.read_progress();
  });
}

void Runner::ensure_version_table() {
  with_context([](MigrationContext& context) { context.ensure_version_table(); });
}

namespace {

/// Two rows on one line of down revisions: neither tool ever writes them (a hand edit, or a stamp
/// of several revisions on one line), and no plan from them can be right.
/// Two of `ids`, (low, high), where high descends from low through down revisions; none if no
/// two are on one line.
std::optional<std::pair<std::string, std::string>> pair_on_one_line(const RevisionMap& map, const Ids& ids) {
  for (const auto& high : ids)
    for (const auto& low : map.ancestors({high}, false))
      if (low != high && std::find(ids.begin(), ids.end(), low) != ids.end()) return std::pair{low, high};
  return std::nullopt;
}

void refuse_rows_on_one_line(const RevisionMap& map, const Ids& rows, const std::string& table) {
  if (auto pair = pair_on_one_line(map, rows))
    throw CommandError(
        fmt::format("the version table {} holds both {} and {}, but {} already descends from {}: one row per branch is "
                    "expected; `retort stamp --purge REV` rewrites the table",
                    table, pair->first, pair->second, pair->second, pair->first));
}

/// Rows that another row already implies through depends_on: older retort versions wrote them,
/// Alembic never does, and Alembic's plans refuse them.
Ids implied_rows(const RevisionMap& map, const Ids& rows) {
  std::set<std::string> below_rows;  // everything some row implies, the rows themselves aside
  for (const auto& row : rows)
    for (const auto& a : map.ancestors({row}))
      if (a != row) below_rows.insert(a);
  Ids implied;
  for (const auto& row : rows)
    if (below_rows.count(row)) implied.push_back(row);
  return implied;
}

}  // namespace

namespace {

/// Why a plan is empty, truthfully: at the target, or already past it (an upgrade to an
/// ancestor), or already below it (a downgrade to a descendant).
std::string nothing_to_do(const RevisionMap& map, const std::string& target, const Ids& heads, bool upgrading) {
  Ids named;
  try {
    named = map.get_revisions(target);
  } catch (const std::exception&) {  // relative targets name no fixed revision
    return "Nothing to do: the database is already at the requested revision.\n";
  }
  std::string at = heads.empty() ? "<base>" : fmt::format("{}", fmt::join(heads, ", "));
  auto is_row = [&](const std::string& id) { return std::find(heads.begin(), heads.end(), id) != heads.end(); };
  bool all_current = std::all_of(named.begin(), named.end(), is_row);
  if (all_current && (!named.empty() || heads.empty()))
    return fmt::format("Nothing to do: the database is already at {}.\n", at);
  if (upgrading)
    return fmt::format(
        "Nothing to do: {} is already applied; the database is at {}, above it (`retort downgrade {}` "
        "goes back to it).\n",
        target, at, target);
  return fmt::format(
      "Nothing to do: the database is at {}, which is not above {} (`retort upgrade {}` goes up to it).\n", at, target,
      target);
}

}  // namespace

namespace {

/// The applied revisions (those the rows imply) whose file no longer has the checksum recorded
/// when it ran.
std::vector<VerifyReport::Changed> edited_revisions(const RevisionMap& map, const Ids& rows,
                                                    const std::map<std::string, RecordedRevision>& history) {
  std::vector<VerifyReport::Changed> changed;
  if (history.empty()) return changed;
  for (const auto& id : map.ancestors(rows)) {
    auto it = history.find(id);
    if (it == history.end() || it->second.action == "downgrade" || it->second.checksum.empty()) continue;
    const auto& rev = map.get(id);
    auto now = revision_checksum(rev.path);
    if (now != it->second.checksum) changed.push_back({id, it->second.checksum, now, rev.path});
  }
  return changed;
}

}  // namespace

void Runner::warn_about_edited_revisions(MigrationContext& context, const RevisionMap& map, const Ids& heads) {
  auto changed = edited_revisions(map, heads, context.read_history());
  if (changed.empty()) return;
  std::vector<std::string> names;
  for (const auto& c : changed) names.push_back(fmt::format("{} ({})", c.revision, c.path));
  auto text = fmt::format("{} applied revision{} changed since {} ran: {}; `retort verify` lists them", changed.size(),
                          changed.size() == 1 ? "'s file has" : "s' files have", changed.size() == 1 ? "it" : "they",
                          fmt::join(names, ", "));
  if (options_.strict) throw CommandError(text + " (--strict stops here)");
  if (options_.log) *options_.log << "warning: " << text << "\n" << std::flush;
}

VerifyReport Runner::verify(bool record_missing) {
  const auto& map = scripts_.map();
  RunOptions online = options_;
  online.sql = false;
  online.read_only = !record_missing;
  return Runner(scripts_, std::move(online)).with_context([&](MigrationContext& context) {
    VerifyReport report;
    Ids rows = context.read_heads();
    Ids known;
    for (const auto& r : rows) (map.contains(r) ? known : report.disappeared).push_back(r);
    auto history = context.read_history();
    auto applied = map.ancestors(known);
    for (const auto& [id, entry] : history)
      if (!map.contains(id) && entry.action != "downgrade" &&
          std::find(report.disappeared.begin(), report.disappeared.end(), id) == report.disappeared.end())
        report.disappeared.push_back(id);
    report.changed = edited_revisions(map, known, history);
    for (const auto& id : applied) {
      auto it = history.find(id);
      if (it == history.end() || it->second.action == "downgrade") report.never_recorded.push_back(id);
    }
    if (record_missing && !report.never_recorded.empty()) {
      context.begin_run();
      try {
        context.begin_revision({}, true);
        for (const auto& id : report.never_recorded)
          context.record_history({id, "baseline", revision_checksum(map.get(id).path), 0});
        context.end_revision();
        context.end_run();
      } catch (...) {
        context.abort_revision();
        context.abort_run();
        throw;
      }
      report.recorded_now = std::move(report.never_recorded);
      report.never_recorded.clear();
    }
    return report;
  });
}

void Runner::check_known(const Ids& heads) const {
  for (const auto& h : heads)
    if (!scripts_.map().contains(h))
      throw CommandError(
          fmt::format("the database is at revision {}, which no revision file defines (wrong script_location, or a "
                      "file was deleted?); `retort stamp --purge REV` resets the version table",
                      h));
}

std::vector<std::string> Runner::run(const std::string& target_text, bool upgrading) {
  const auto& map = scripts_.map();
  auto log = [&](const std::string& line) {
    if (options_.log) *options_.log << line << std::flush;
  };
  // Offline, the range's start stands for the database's heads.
  std::string target = target_text;
  std::optional<std::string> start;
  if (auto colon = target_text.find(':'); colon != std::string::npos) {
    if (!options_.sql)
      throw CommandError(fmt::format("a range ({}) is only for --sql output; name one target", target_text));
    start = target_text.substr(0, colon);
    target = target_text.substr(colon + 1);
  } else if (options_.sql && !upgrading) {
    throw CommandError("downgrade --sql needs a START:END range, e.g. `downgrade --sql head:base`");
  }

  return with_context([&](MigrationContext& context) {
    std::vector<std::string> done;
    context.begin_run();
    try {
      Ids heads;
      if (context.as_sql()) {
        if (start && !start->empty() && *start != "base")
          for (const auto& s : Ids{*start})
            if (auto id = map.get_revision(s)) heads.push_back(*id);
      } else {
        heads = context.read_heads();  // none when the version table does not exist yet
        check_known(heads);
      }
      if (!context.as_sql()) {
        refuse_rows_on_one_line(map, heads, scripts_.config().version_table);
        warn_about_edited_revisions(context, map, heads);
      }
      Ids redundant = context.as_sql() ? Ids{} : implied_rows(map, heads);
      for (const auto& r : redundant) std::erase(heads, r);
      auto plan = upgrading ? map.upgrade_plan(target, heads) : map.downgrade_plan(target, heads);
      if (plan.empty() && context.as_sql())
        throw CommandError(fmt::format("{} --sql {} has no revision to write{}", upgrading ? "upgrade" : "downgrade",
                                       target_text,
                                       start ? fmt::format(" (a backwards range? `{} --sql {}` runs the other way)",
                                                           upgrading ? "downgrade" : "upgrade", target_text)
                                             : ""));
      if (plan.empty()) log(nothing_to_do(map, target, heads, upgrading));
      // Created only once the target has resolved: a bad target leaves the database untouched.
      // Offline, a script that starts from the base creates it.
      if (!context.as_sql() || (upgrading && heads.empty())) context.ensure_version_table();
      if (!redundant.empty()) {
        log(fmt::format("Removing version rows that other rows already imply: {}\n", fmt::join(redundant, ", ")));
        context.begin_revision({}, true);
        std::vector<VersionChange> removals;
        for (const auto& r : redundant) removals.push_back({VersionChange::Kind::Delete, r, {}});
        context.record(removals);
        context.end_revision();
      }

      // C++ revisions compile now, all together: a compile error stops the run before any
      // revision changes the database.
      {
        std::vector<std::string> ids;
        for (const auto& step : plan) ids.push_back(step.revision);
        scripts_.prepare(ids);
      }
      std::optional<HeadMaintainer> rows(std::in_place, map, heads);
      for (std::size_t next = 0; next < plan.size(); ++next) {
        const auto step = plan[next];
        const auto& rev = map.get(step.revision);
        if (context.as_sql())
          context.comment(step_line(rev, upgrading));
        else
          log(step_line(rev, upgrading) + " ...");
        auto started = Clock::now();
        context.begin_revision(step.revision, rev.transactional, upgrading);
        try {
          auto script = scripts_.script(step.revision);
          for (;;) {
            try {
              if (upgrading)
                script->upgrade(context);
              else
                script->downgrade(context);
              break;
            } catch (const ForeignKeysMustBeOff&) {
              // A table recreation needs enforcement off, which SQLite allows only between
              // transactions: the revision starts again from its first statement with it off.
              context.abort_revision();
              if (!context.pause_foreign_keys()) throw;
              // The lock was let go for a moment: another run may have migrated meanwhile.
              Ids now = context.read_heads();
              if (std::set<std::string>(now.begin(), now.end()) != rows->heads())
                throw CommandError(fmt::format(
                    "another run migrated the database while revision {} waited to run again (now at {}): run "
                    "the command again",
                    step.revision, now.empty() ? "<base>" : fmt::format("{}", fmt::join(now, ", "))));
              log(" (again with foreign key enforcement off, to recreate a table)");
              context.begin_revision(step.revision, rev.transactional, upgrading);
            }
          }
          context.record(rows->update_to_step(step));
          auto checksum = context.take_revision_checksum();
          if (!context.as_sql())
            context.record_history(
                {step.revision, upgrading ? "upgrade" : "downgrade",
                 checksum ? std::move(*checksum) : revision_checksum(rev.path),
                 std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()});
          context.end_revision();
        } catch (...) {
          context.abort_revision();
          if (!context.as_sql()) log(" failed\n");
          throw;
        }
        done.push_back(step.revision);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
        if (!context.as_sql()) log(fmt::format(" {} ms\n", ms));
        if (context.lock_was_released()) {
          // Another run may have taken the lock between two revisions and migrated: go on from
          // the rows it left, skipping what it applied (or removed).
          Ids now = context.read_heads();
          if (std::set<std::string>(now.begin(), now.end()) != rows->heads()) {
            log(fmt::format("Another run migrated the database meanwhile (now at {}); going on from there\n",
                            now.empty() ? "<base>" : fmt::format("{}", fmt::join(now, ", "))));
            check_known(now);
            auto applied = map.ancestors(now);
            std::vector<MigrationStep> rest;
            for (std::size_t k = next + 1; k < plan.size(); ++k)
              if (applied.count(plan[k].revision) != (upgrading ? 1u : 0u)) rest.push_back(plan[k]);
            plan = std::move(rest);
            next = static_cast<std::size_t>(-1);  // the loop's ++ starts the new plan at 0
            rows.emplace(map, now);
          }
        }
      }
      if (!upgrading && !done.empty() && rows->heads().empty()) context.drop_version_table_offline();
      context.end_run();
    } catch (...) {
      context.abort_run();
      throw;
    }
    return done;
  });
}

void Runner::stamp(const std::vector<std::string>& target_texts, bool purge) {
  const auto& map = scripts_.map();
  if (purge && options_.sql) throw CommandError("stamp --purge cannot be used with --sql");
  // Offline, START:DEST says where the database stands (one START for all targets), as Alembic's
  // stamp --sql reads it; online the version table says it.
  Ids destinations;
  std::optional<std::string> start;
  for (const auto& text : target_texts) {
    auto colon = text.find(':');
    if (colon == std::string::npos) {
      destinations.push_back(text);
      continue;
    }
    if (!options_.sql)
      throw CommandError(fmt::format("a range ({}) is only for stamp --sql; name the target revisions", text));
    auto from = text.substr(0, colon);
    if (start && *start != from)
      throw CommandError(
          fmt::format("stamp --sql takes one starting revision for all targets, not {} and {}", *start, from));
    start = from;
    destinations.push_back(text.substr(colon + 1));
  }
  // Targets on one line would leave two rows where one implies the other (Alembic writes them,
  // and its own test calls that a TODO): refused before anything is written.
  if (destinations.size() > 1)
    if (auto pair = pair_on_one_line(map, map.get_revisions(destinations)))
      throw CommandError(fmt::format("stamp targets {} and {} are on one line ({} descends from {}): name only {}",
                                     pair->first, pair->second, pair->second, pair->first, pair->second));
  with_context([&](MigrationContext& context) {
    context.begin_run();
    try {
      // One transaction for the whole stamp where DDL is transactional.
      context.begin_revision({}, true);
      Ids current = context.read_heads();  // none when the version table does not exist yet
      if (start && !start->empty() && *start != "base") current = map.get_revisions(Ids{*start});
      if (purge) {
        current.clear();
      } else {
        for (const auto& h : current)
          if (!map.contains(h))
            throw CommandError(fmt::format("the database is at unknown revision {}; use `stamp --purge`", h));
      }
      // The steps resolve before anything is written: a bad target leaves the database untouched.
      auto steps = map.stamp_plan(destinations, current);
      if (!context.as_sql() || current.empty()) context.ensure_version_table();
      if (purge) context.purge_heads();
      HeadMaintainer rows(map, current);
      for (const auto& step : steps) {
        context.record(rows.update_to_step(step));
        if (!step.upgrade) continue;
        for (const auto& id : step.to) context.record_history({id, "stamp", revision_checksum(map.get(id).path), 0});
      }
      context.end_revision();
      context.end_run();
      Ids after(rows.heads().begin(), rows.heads().end());
      if (options_.log && !context.as_sql()) *options_.log << "Stamped " << arrow(current, after) << "\n";
    } catch (...) {
      context.abort_revision();
      context.abort_run();
      throw;
    }
  });
}

}  // namespace retort::migrate
