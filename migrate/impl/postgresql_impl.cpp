// PostgreSQL's migration rules: a session advisory lock (released when the session ends, so a
// killed run never leaves it held), and what recreating a table must carry over: its views and
// triggers, its key constraints' names, its sequences.
#include <fmt/format.h>

#include <retort/core/sql/elements.hpp>
#include <retort/core/text.hpp>
#include <retort/migrate/impl/builtin_impls.hpp>

namespace retort::migrate {

namespace {

/// A string literal: 'text' with its quotes doubled.
std::string sql_string(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

class PostgreSQLImpl final : public MigrationImpl {
 public:
  using MigrationImpl::MigrationImpl;
  bool views_pin_their_columns() const override { return true; }
  // A fixed key: one migration at a time per database.
  static constexpr const char* kKey = "7362584213956721";

  void acquire_lock(core::Connection& conn, double timeout, const std::function<void()>& on_wait) override {
    poll_lock(conn, fmt::format("SELECT CAST(pg_try_advisory_lock({}) AS INTEGER)", kKey), timeout, on_wait);
  }
  void release_lock(core::Connection& conn) override {
    conn.exec_driver_sql(fmt::format("SELECT pg_advisory_unlock({})", kKey));
  }

  std::optional<ScratchSchema> scratch_schema(const std::string& name) const override {
    auto q = dialect().preparer().quote(name);
    return ScratchSchema{{"CREATE SCHEMA " + q, "SET search_path TO " + q}, "DROP SCHEMA " + q + " CASCADE"};
  }

  std::vector<DependentObject> dependent_objects(core::Connection& conn, const std::string& table) const override {
    const auto& q = dialect().preparer();
    std::vector<DependentObject> out;
    // Views (and materialized views) whose rules read the table: PostgreSQL refuses to drop a
    // table they depend on, so they are dropped first and made again from their definitions.
    auto views =
        conn.execute(core::text("SELECT DISTINCT v.oid, v.relname, v.relkind, pg_get_viewdef(v.oid) "
                                "FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid "
                                "JOIN pg_class v ON v.oid = r.ev_class "
                                "WHERE d.classid = 'pg_rewrite'::regclass AND v.oid <> d.refobjid "
                                "AND d.refobjid = to_regclass(quote_ident(:t)) ORDER BY v.oid",
                                {{"t", table}}));
    for (auto& row : views) {
      auto name = row.get<std::string>(1);
      bool materialized = row.get<std::string>(2) == "m";
      const char* kind = materialized ? "MATERIALIZED VIEW" : "VIEW";
      out.push_back({"view", name, fmt::format("CREATE {} {} AS {}", kind, q.quote(name), row.get<std::string>(3)),
                     fmt::format("DROP {} {}", kind, q.quote(name))});
    }
    // Triggers go with the table and are made again on the new one.
    auto triggers =
        conn.execute(core::text("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                                "WHERE tgrelid = to_regclass(quote_ident(:t)) AND NOT tgisinternal "
                                "ORDER BY oid",
                                {{"t", table}}));
    for (auto& row : triggers) out.push_back({"trigger", row.get<std::string>(0), row.get<std::string>(1), ""});
    return out;
  }

  TableRecreation table_recreation(core::Connection& conn, const core::ReflectedTable& old_table,
                                   core::ReflectedTable& new_table,
                                   const std::map<std::string, std::string>& old_column_of) const override {
    const auto& q = dialect().preparer();
    TableRecreation rules;
    rules.drop_referring_foreign_keys = true;
    std::string table = q.format_table(old_table.name, old_table.schema);
    std::string regclass = old_table.schema ? *old_table.schema + "." + old_table.name : old_table.name;
    // Key constraints are backed by indexes whose names are unique in the schema: the old
    // table's go first (its foreign keys before them, a self-reference depends on its key), so
    // that the new table takes the same names.
    for (const auto& fk : old_table.foreign_keys)
      if (!fk.name.empty())
        rules.before_create.push_back(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", table, q.quote(fk.name)));
    for (const auto& u : old_table.unique_constraints)
      if (!u.name.empty())
        rules.before_create.push_back(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", table, q.quote(u.name)));
    if (!old_table.primary_key.name.empty())
      rules.before_create.push_back(
          fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", table, q.quote(old_table.primary_key.name)));

    // A serial column's sequence belongs to the old table and would go with it: it is set free
    // before the drop and given to the new table's column that still draws from it (the new
    // column keeps DEFAULT nextval(...) instead of becoming a serial with a new sequence).
    auto owned =
        conn.execute(core::text("SELECT a.attname, s.oid::regclass::text FROM pg_depend d "
                                "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
                                "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                                "WHERE d.refobjid = to_regclass(:t) AND d.deptype = 'a'",
                                {{"t", regclass}}));
    for (auto& row : owned) {
      auto column = row.get<std::string>(0);
      auto sequence = row.get<std::string>(1);
      rules.before_drop.push_back(fmt::format("ALTER SEQUENCE {} OWNED BY NONE", sequence));
      std::string drawing;  // the new column copied from the serial one, if it is kept
      for (auto& c : new_table.columns) {
        auto source = old_column_of.find(c.name);
        if (source == old_column_of.end() || source->second != column) continue;
        c.autoincrement = false;
        c.default_sql = fmt::format("nextval({}::regclass)", sql_string(sequence));
        drawing = c.name;
      }
      rules.after_rename.push_back(
          drawing.empty() ? fmt::format("DROP SEQUENCE {}", sequence)
                          : fmt::format("ALTER SEQUENCE {} OWNED BY {}.{}", sequence, table, q.quote(drawing)));
    }
    // Identity columns get a new sequence with the new table: it continues where the old one was.
    bool identity = false;
    for (const auto& c : new_table.columns) {
      if (!c.identity) continue;
      identity = true;
      auto state = conn.execute(core::text("SELECT pg_get_serial_sequence(:t, :c)", {{"t", table}, {"c", c.name}}))
                       .scalar<std::string>();
      if (!state) continue;  // a new identity column: it starts afresh
      auto row = conn.exec_driver_sql(fmt::format("SELECT last_value, is_called FROM {}", *state)).one();
      rules.after_rename.push_back(fmt::format("SELECT setval(pg_get_serial_sequence({}, {}), {}, {})",
                                               sql_string(table), sql_string(c.name), row.get<std::int64_t>(0),
                                               row.get<bool>(1) ? "true" : "false"));
    }
    // Copying a GENERATED ALWAYS identity column's values needs the override; harmless otherwise.
    if (identity) rules.copy_clause = "OVERRIDING SYSTEM VALUE";
    return rules;
  }
};

}  // namespace

std::unique_ptr<MigrationImpl> make_postgresql_impl(const core::Dialect& dialect) {
  return std::make_unique<PostgreSQLImpl>(dialect);
}

}  // namespace retort::migrate
