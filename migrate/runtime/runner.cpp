// Running revisions. Online, each revision is one transaction where the database's DDL is
// transactional (SQLite: a savepoint inside the run's write-locked transaction), so a failure
// leaves the version table at the previous revision; on MySQL the version is stamped after
// each revision so that a rerun resumes there. Offline, the same steps become SQL text.
#include <retort/migrate/runtime/runner.hpp>

#include <chrono>
#include <ostream>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/engine/engine.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/impl/migration_impl.hpp>
#include <retort/migrate/version_table.hpp>

namespace retort::migrate {

namespace {

using Clock = std::chrono::steady_clock;

class OnlineContext final : public MigrationContext {
 public:
  OnlineContext(core::Connection& conn, std::string revision, const std::map<std::string, std::string>& x_arguments)
      : conn_(conn), revision_(std::move(revision)), x_arguments_(x_arguments) {}
  void execute(const std::string& sql, const std::string& location) override {
    try {
      conn_.exec_driver_sql(sql);
    } catch (const core::DBAPIError& e) {
      throw MigrationError(fmt::format("{}: revision {}: statement failed: {}\n  {}", location, revision_,
                                       e.driver_message(), sql));
    }
  }
  bool offline() const override { return false; }
  bool backslash_escapes() const override { return conn_.dialect().features().backslash_escapes; }
  const std::map<std::string, std::string>& x_arguments() const override { return x_arguments_; }

 private:
  core::Connection& conn_;
  std::string revision_;
  const std::map<std::string, std::string>& x_arguments_;
};

class OfflineContext final : public MigrationContext {
 public:
  OfflineContext(std::ostream& out, bool backslash_escapes, const std::map<std::string, std::string>& x_arguments)
      : out_(out), backslash_escapes_(backslash_escapes), x_arguments_(x_arguments) {}
  void execute(const std::string& sql, const std::string&) override { out_ << sql << ";\n\n"; }
  bool offline() const override { return true; }
  bool backslash_escapes() const override { return backslash_escapes_; }
  const std::map<std::string, std::string>& x_arguments() const override { return x_arguments_; }

 private:
  std::ostream& out_;
  bool backslash_escapes_;
  const std::map<std::string, std::string>& x_arguments_;
};

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
  return fmt::format("Running {} {}{}{}", upgrading ? "upgrade" : "downgrade", edge,
                     rev.message.empty() ? "" : ", ", rev.message);
}

}  // namespace

Runner::Runner(const ScriptDirectory& scripts, RunOptions options)
    : scripts_(scripts), options_(std::move(options)) {}

std::vector<std::string> Runner::upgrade(const std::string& target) { return run(target, true); }
std::vector<std::string> Runner::downgrade(const std::string& target) { return run(target, false); }

std::vector<std::string> Runner::current_heads() {
  const auto& config = scripts_.config();
  auto engine = core::create_engine(config.database_url(options_.url));
  VersionTable vt(engine.dialect(), config.version_table, config.version_table_schema);
  auto conn = engine.connect();
  return vt.read(conn);
}

void Runner::ensure_version_table() {
  const auto& config = scripts_.config();
  auto engine = core::create_engine(config.database_url(options_.url));
  VersionTable vt(engine.dialect(), config.version_table, config.version_table_schema);
  if (options_.sql) {
    *options_.sql_out << vt.create_sql() << ";\n\n";
    return;
  }
  auto conn = engine.connect();
  if (!vt.exists(conn)) conn.exec_driver_sql(vt.create_sql());
}

std::vector<std::string> Runner::run(const std::string& target_text, bool upgrading) {
  const auto& config = scripts_.config();
  const auto& map = scripts_.map();
  auto log = [&](const std::string& line) {
    if (options_.log) *options_.log << line << std::flush;
  };
  auto engine = core::create_engine(config.database_url(options_.url));
  const auto& dialect = engine.dialect();
  VersionTable vt(dialect, config.version_table, config.version_table_schema);
  bool transactional_ddl = dialect.features().transactional_ddl;

  // ---- offline: the plan as SQL text ----
  if (options_.sql) {
    std::string start_text, target = target_text;
    if (auto colon = target_text.find(':'); colon != std::string::npos) {
      start_text = target_text.substr(0, colon);
      target = target_text.substr(colon + 1);
    } else if (!upgrading) {
      throw CommandError("downgrade --sql needs a START:END range, e.g. `downgrade --sql head:base`");
    }
    std::vector<std::string> heads = start_text.empty() || start_text == "base"
                                         ? std::vector<std::string>{}
                                         : map.resolve(start_text, {});
    std::ostream& out = *options_.sql_out;
    OfflineContext ctx(out, dialect.features().backslash_escapes, scripts_.config().x_arguments);
    if (upgrading && heads.empty()) out << vt.create_sql() << ";\n\n";
    std::optional<std::string> label;
    if (!upgrading && target.size() > 5 && target.ends_with("@base")) label = target.substr(0, target.size() - 5);
    auto targets = label ? std::vector<std::string>{} : map.resolve(target, heads);
    auto plan = upgrading ? map.upgrade_plan(heads, targets) : map.downgrade_plan(heads, targets, label);
    auto applied = map.ancestors(heads);
    auto current = map.heads_of(applied);
    for (const auto& id : plan) {
      const auto& rev = map.get(id);
      auto before = current;
      if (upgrading) applied.insert(id);
      else applied.erase(id);
      current = upgrading ? map.heads_after_upgrade(current, id) : map.heads_after_downgrade(current, id, applied);
      const auto& after = current;
      out << "-- " << step_line(rev, upgrading) << "\n\n";
      bool tx = transactional_ddl && rev.transactional;
      if (tx) out << "BEGIN;\n\n";
      auto script = scripts_.script(id);
      if (upgrading) script->upgrade(ctx);
      else script->downgrade(ctx);
      for (const auto& s : version_changes(vt, before, after)) out << s << ";\n\n";
      if (tx) out << "COMMIT;\n\n";
    }
    return plan;
  }

  // ---- online ----
  auto conn = engine.connect();
  auto impl = MigrationImpl::for_dialect(dialect);
  impl->acquire_lock(conn, config.lock_timeout, [&] {
    log(fmt::format("Waiting for the migration lock (another retort run is migrating this database; "
                    "lock_timeout {:.0f}s)...\n",
                    config.lock_timeout));
  });
  bool outer = impl->lock_is_transaction();  // the lock is an open transaction (SQLite)
  bool whole_run = !config.transaction_per_migration && transactional_ddl;
  bool run_tx_open = false;
  std::vector<std::string> done;
  try {
    if (whole_run && !outer) {
      conn.exec_driver_sql("BEGIN");
      run_tx_open = true;
    }
    auto heads = vt.read(conn);  // none when the version table does not exist yet
    for (const auto& h : heads)
      if (!map.contains(h))
        throw CommandError(fmt::format("the database is at revision {}, which no revision file defines "
                                       "(wrong script_location, or a file was deleted?); `retort stamp "
                                       "--purge REV` resets the version table",
                                       h));
    std::optional<std::string> label;
    if (!upgrading && target_text.size() > 5 && target_text.ends_with("@base"))
      label = target_text.substr(0, target_text.size() - 5);
    auto targets = label ? std::vector<std::string>{} : map.resolve(target_text, heads);
    auto plan = upgrading ? map.upgrade_plan(heads, targets) : map.downgrade_plan(heads, targets, label);
    // Created only once the target has resolved: a bad target leaves the database untouched.
    if (!vt.exists(conn)) conn.exec_driver_sql(vt.create_sql());
    auto applied = map.ancestors(heads);
    auto current = map.heads_of(applied);
    for (const auto& id : plan) {
      const auto& rev = map.get(id);
      const auto before = current;
      if (upgrading) applied.insert(id);
      else applied.erase(id);
      const auto after =
          upgrading ? map.heads_after_upgrade(current, id) : map.heads_after_downgrade(current, id, applied);
      log(step_line(rev, upgrading) + " ...");
      auto started = Clock::now();
      bool tx = transactional_ddl && rev.transactional && !whole_run;
      // Non-transactional revisions (e.g. CREATE INDEX CONCURRENTLY) run outside any
      // transaction: SQLite ends its lock transaction for them and takes it again after.
      bool leave_outer = outer && !rev.transactional;
      if (leave_outer) conn.exec_driver_sql("COMMIT");
      std::optional<core::Transaction> step;
      if (tx && !leave_outer) step.emplace(outer ? conn.begin_nested() : conn.begin());
      OnlineContext ctx(conn, id, scripts_.config().x_arguments);
      try {
        auto script = scripts_.script(id);
        if (upgrading) script->upgrade(ctx);
        else script->downgrade(ctx);
        for (const auto& s : version_changes(vt, before, after)) ctx.execute(s, vt.name());
        if (step) step->commit();
      } catch (...) {
        if (step && step->is_active()) step->rollback();
        if (leave_outer) impl->acquire_lock(conn, config.lock_timeout, [] {});
        log(" failed\n");
        throw;
      }
      if (leave_outer) impl->acquire_lock(conn, config.lock_timeout, [] {});
      current = after;
      done.push_back(id);
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
      log(fmt::format(" {} ms\n", ms));
    }
    if (run_tx_open) conn.exec_driver_sql("COMMIT");  // SQLite's lock transaction: release_lock
  } catch (...) {
    try {
      // Whole-run transactions roll back everything; per-revision ones already rolled back the
      // failing revision, and the lock transaction keeps (commits) the revisions before it.
      if (run_tx_open || (outer && whole_run)) conn.exec_driver_sql("ROLLBACK");
      impl->release_lock(conn);
    } catch (...) {
      conn.invalidate();
    }
    throw;
  }
  impl->release_lock(conn);
  if (done.empty()) log("Nothing to do: the database is already at the requested revision.\n");
  return done;
}

void Runner::stamp(const std::vector<std::string>& target_texts, bool purge) {
  const auto& config = scripts_.config();
  const auto& map = scripts_.map();
  auto engine = core::create_engine(config.database_url(options_.url));
  VersionTable vt(engine.dialect(), config.version_table, config.version_table_schema);

  auto new_heads = [&](const std::vector<std::string>& current) {
    std::set<std::string> targets;
    for (const auto& t : target_texts)
      for (const auto& id : map.resolve(t, current)) targets.insert(id);
    // `stamp base` empties the version table (as Alembic's does).
    if (targets.empty()) return std::vector<std::string>{};
    // Heads on branches the targets do not touch stay as they are.
    std::vector<std::string> out;
    auto target_line = map.ancestors({targets.begin(), targets.end()});
    for (const auto& h : current) {
      bool related = target_line.count(h) > 0;
      for (const auto& t : targets) related = related || map.ancestors({h}).count(t) > 0;
      if (!related && !purge && map.contains(h)) out.push_back(h);
    }
    for (const auto& h : map.heads_of(target_line)) out.push_back(h);
    return out;
  };

  if (options_.sql) {
    std::ostream& out = *options_.sql_out;
    std::vector<std::string> current;
    out << vt.create_sql() << ";\n\n";
    if (purge) out << vt.delete_all_sql() << ";\n\n";
    for (const auto& s : version_changes(vt, current, new_heads(current))) out << s << ";\n\n";
    return;
  }
  auto conn = engine.connect();
  auto impl = MigrationImpl::for_dialect(engine.dialect());
  impl->acquire_lock(conn, config.lock_timeout, [&] {
    if (options_.log) *options_.log << "Waiting for the migration lock...\n" << std::flush;
  });
  try {
    std::optional<core::Transaction> tx;
    if (!impl->lock_is_transaction() && engine.dialect().features().transactional_ddl) tx.emplace(conn.begin());
    auto current = vt.read(conn);  // none when the version table does not exist yet
    if (!purge)
      for (const auto& h : current)
        if (!map.contains(h))
          throw CommandError(fmt::format("the database is at unknown revision {}; use `stamp --purge`", h));
    if (purge) current.clear();
    // The targets resolve before anything is written: a bad one leaves the database untouched.
    auto after = new_heads(current);
    if (!vt.exists(conn)) conn.exec_driver_sql(vt.create_sql());
    if (purge) conn.exec_driver_sql(vt.delete_all_sql());
    for (const auto& s : version_changes(vt, current, after)) conn.exec_driver_sql(s);
    if (tx) tx->commit();
    if (options_.log) *options_.log << "Stamped " << arrow(current, after) << "\n";
  } catch (...) {
    try {
      if (impl->lock_is_transaction()) conn.exec_driver_sql("ROLLBACK");
      impl->release_lock(conn);
    } catch (...) {
      conn.invalidate();
    }
    throw;
  }
  impl->release_lock(conn);
}

}  // namespace retort::migrate
