// The SQL revision format: `-- retort:KEY VALUE` header lines, then `-- retort:upgrade` and
// `-- retort:downgrade` sections of statements, run through the MigrationContext with their
// file:line and -x substitution.
#include <regex>

#include <fmt/format.h>

#include <retort/core/text.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/impl/migration_impl.hpp>
#include <retort/migrate/runtime/migration_context.hpp>
#include <retort/migrate/script/embedded_revisions.hpp>
#include <retort/migrate/script/revision_file.hpp>
#include <retort/migrate/script/revision_format.hpp>
#include <retort/migrate/script/x_substitution.hpp>

namespace retort::migrate {

namespace {

/// `PRAGMA foreign_keys = OFF` (any case and spacing, OFF/0/FALSE/NO, after comments): SQLite's own
/// first step for recreating a table, which a revision's transaction would ignore.
bool turns_foreign_keys_off(const std::string& sql) {
  // The regex costs microseconds a statement: most statements are told apart by a plain search.
  if (core::to_lower(sql).find("foreign_keys") == std::string::npos) return false;
  static const std::regex pragma(
      R"(^(\s*--[^\n]*\n|\s*/\*[\s\S]*?\*/)*\s*PRAGMA\s+foreign_keys\s*=\s*['"]?(off|0|false|no)['"]?\s*$)",
      std::regex::icase);
  return std::regex_match(sql, pragma);
}

class SqlRevisionScript final : public RevisionScript {
 public:
  explicit SqlRevisionScript(const Revision& revision) : id_(revision.id), file_(revision.path) {}
  void upgrade(MigrationContext& context) const override { run(context, true); }
  void downgrade(MigrationContext& context) const override { run(context, false); }

 private:
  void run(MigrationContext& context, bool up) const {
    const auto* embedded = EmbeddedRevisions::instance().find_path(file_.string());
    auto body = embedded
                    ? read_sql_revision_body_text(std::string(embedded->text), file_, up, context.backslash_escapes())
                    : read_sql_revision_body(file_, up, context.backslash_escapes());
    // No downgrade marker at all is not an empty section (a deliberate no-op): running nothing
    // would report success and leave the upgrade's tables behind.
    if (!body.present)
      throw ScriptError(fmt::format(
          "revision {} cannot be downgraded: {} has no `-- retort:downgrade` section (add one; left empty, it "
          "does nothing)",
          id_, file_.string()));
    context.note_revision_checksum(body.checksum);
    for (const auto& s : body.statements) {
      std::string location = fmt::format("{}:{}", file_.string(), s.line);
      // Inside the revision's transaction the pragma would do nothing: the runner runs the
      // revision again with enforcement off (between transactions, where SQLite allows it), and
      // checks every foreign key before it commits.
      if (!context.as_sql() && turns_foreign_keys_off(s.text) && context.impl().can_pause_foreign_keys() &&
          context.impl().foreign_keys_enforced(context.connection()))
        throw ForeignKeysMustBeOff(
            fmt::format("{}: revision {} turns foreign keys off, which SQLite does only "
                        "outside a transaction",
                        location, id_));
      context.execute(substitute_x_arguments(s.text, context.x_arguments(), location, &context.dialect()), location);
    }
  }
  std::string id_;
  std::filesystem::path file_;
};

}  // namespace

RevisionFormat sql_revision_format() {
  RevisionFormat f;
  f.name = "sql";
  f.extension = ".sql";
  f.read_header = [](int directory_fd, const char* name, const std::filesystem::path& file) {
    return read_sql_revision_header(directory_fd, name, file);
  };
  f.read_header_text = [](std::string text, const std::filesystem::path& file) {
    return read_sql_revision_header_text(std::move(text), file);
  };
  f.load = [](const Revision& revision) -> std::unique_ptr<RevisionScript> {
    return std::make_unique<SqlRevisionScript>(revision);
  };
  f.template_file = "revision.sql.tmpl";
  f.merge_body = "-- a merge point: nothing to do";
  f.empty_upgrade = "-- write the upgrade statements here";
  f.empty_downgrade = "-- write the downgrade statements here";
  return f;
}

}  // namespace retort::migrate
