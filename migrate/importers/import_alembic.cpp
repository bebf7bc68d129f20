// import_alembic: read the Alembic revision files, check them against the retort project, render
// their SQL through Alembic, then write one SQL revision file per Alembic revision (named after
// the Alembic file) in the SQL revision format. Validation comes first so that a bad input leaves
// the project untouched.
#include <retort/migrate/importers/import_alembic.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/importers/alembic_config.hpp>
#include <retort/migrate/importers/alembic_offline_sql.hpp>
#include <retort/migrate/importers/alembic_revision_reader.hpp>
#include <retort/migrate/revision_map.hpp>
#include <retort/migrate/script/revision_file.hpp>
#include <retort/migrate/script/script_directory.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

/// Revision ids as the SQL revision format accepts them (and Alembic's VARCHAR(32) version column holds).
bool is_retort_revision_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; });
}

/// A header value that reads back as written: one line, and no commas inside a list item.
bool is_header_item(const std::string& item) {
  return !item.empty() && item.find_first_of(",\n\r") == std::string::npos && item.front() != ' ' && item.back() != ' ';
}

/// Checks the imported revisions against themselves and the retort project; throws on the first
/// problem, naming the Alembic file and line.
void check_revisions(const std::vector<AlembicRevisionFile>& imported, const RevisionMap& existing,
                     const std::map<std::string, fs::path>& targets) {
  std::set<std::string> existing_labels;
  for (const auto& r : existing.revisions()) existing_labels.insert(r.branch_labels.begin(), r.branch_labels.end());
  std::map<fs::path, const AlembicRevisionFile*> by_target;
  for (const auto& file : imported) {
    const Revision& r = file.revision;
    std::string where = fmt::format("{}:{}", r.path, file.revision_line);
    if (!is_retort_revision_id(r.id))
      throw ScriptError(
          fmt::format("{}: revision id '{}' cannot be kept: retort ids are 1 to 32 letters, digits, "
                      "'_' or '-'",
                      where, r.id));
    if (existing.contains(r.id))
      throw CommandError(fmt::format("revision {} ({}) already exists in this project: {}; nothing was written", r.id,
                                     where, existing.get(r.id).path));
    for (const auto* list : {&r.down_revisions, &r.branch_labels, &r.depends_on})
      for (const auto& item : *list)
        if (!is_header_item(item))
          throw ScriptError(
              fmt::format("{}: '{}' cannot be written in a retort header (a comma, a line break or "
                          "surrounding blanks)",
                          r.path, item));
    for (const auto& label : r.branch_labels)
      if (existing_labels.count(label))
        throw CommandError(
            fmt::format("branch label '{}' of revision {} ({}) is already used in this project; nothing was written",
                        label, r.id, where));
    const fs::path& target = targets.at(r.id);
    if (fs::exists(target))
      throw CommandError(fmt::format("{} already exists (it would hold revision {} from {}); nothing was written",
                                     target.string(), r.id, r.path));
    auto [other, inserted] = by_target.emplace(target, &file);
    if (!inserted)
      throw CommandError(fmt::format("{} and {} would both be written to {}; rename one of them", r.path,
                                     other->second->revision.path, target.string()));
  }
}

/// A section's text: the statements, a note that there are none, or (when Alembic failed) a
/// comment that asks for them.
std::string section_text(const OfflineRevisionSql& sql, bool upgrade) {
  const char* direction = upgrade ? "upgrade" : "downgrade";
  if (sql.error) {
    std::string text = fmt::format(
        "-- TODO (retort import-alembic): Alembic could not render this {} as offline SQL:\n"
        "--   {}\n"
        "-- It probably needs a live database connection (op.get_bind() and reading data). Write its\n"
        "-- statements here by hand; until then this section does nothing.",
        direction, *sql.error);
    if (!sql.partial_output.empty()) {
      text += "\n-- Alembic printed this for it before it failed:";
      std::istringstream in(sql.partial_output);
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) text += "\n--   " + line;
    }
    return text;
  }
  if (sql.statements.empty())
    return fmt::format("-- nothing to do: Alembic's offline {} emits no statements", direction);
  return fmt::format("{}", fmt::join(sql.statements, "\n\n"));
}

std::string header_line(const std::string& key, const std::string& value) {
  return value.empty() ? fmt::format("-- retort:{}\n", key) : fmt::format("-- retort:{} {}\n", key, value);
}

/// The SQL revision file of one imported revision (the keys sql_revision_header_keys() reads).
std::string revision_text(const AlembicRevisionFile& file, const OfflineRevisionSql& upgrade,
                          const OfflineRevisionSql& downgrade, const fs::path& alembic_dir) {
  const Revision& r = file.revision;
  std::string text;
  text += header_line("revision", r.id);
  text += header_line("down_revision", fmt::format("{}", fmt::join(r.down_revisions, ", ")));
  text += header_line("branch_labels", fmt::format("{}", fmt::join(r.branch_labels, ", ")));
  text += header_line("depends_on", fmt::format("{}", fmt::join(r.depends_on, ", ")));
  text += header_line("message", r.message);
  text += header_line("create_date", r.create_date);
  text += header_line("transactional", upgrade.transactional && downgrade.transactional ? "true" : "false");
  text += fmt::format("-- imported from Alembic's {} by retort import-alembic\n",
                      fs::path(r.path).lexically_relative(alembic_dir).string());
  text += "\n-- retort:upgrade\n" + section_text(upgrade, true) + "\n";
  text += "\n-- retort:downgrade\n" + section_text(downgrade, false) + "\n";
  return text;
}

}  // namespace

ImportAlembicResult import_alembic(const Config& config, const ImportAlembicOptions& options) {
  // 1. Read and check everything.
  ScriptDirectory scripts(config);
  const fs::path version_folder = config.version_directories().front();
  AlembicConfig alembic = AlembicConfig::load(options.alembic_dir, options.alembic_ini);
  AlembicRevisionScan scan = read_alembic_revisions(alembic.version_folders(), alembic.recursive_version_locations());
  ImportAlembicResult result;
  result.skipped = scan.skipped;
  if (scan.revisions.empty()) return result;

  std::map<std::string, fs::path> targets;
  std::map<std::string, const AlembicRevisionFile*> by_id;
  std::vector<Revision> imported;
  for (const auto& file : scan.revisions) {
    targets[file.revision.id] = version_folder / (fs::path(file.revision.path).stem().string() + ".sql");
    by_id[file.revision.id] = &file;
    imported.push_back(file.revision);
  }
  check_revisions(scan.revisions, scripts.map(), targets);
  // The graph the project will have: down revisions and dependencies must resolve, no cycle.
  std::vector<Revision> combined = scripts.map().revisions();
  combined.insert(combined.end(), imported.begin(), imported.end());
  const RevisionMap graph(std::move(combined));

  // 2. The SQL, from Alembic (it fails here, before anything is written, if it cannot run).
  AlembicOfflineOptions offline;
  offline.dialect = options.dialect;
  offline.version_table = options.version_table;
  offline.log = options.log;
  AlembicOfflineSql sql = render_alembic_offline_sql(alembic, imported, offline);
  result.alembic_runs = sql.alembic_runs;

  // 3. Write, parents first; a failure removes what this call wrote.
  std::vector<fs::path> written;
  try {
    for (const auto& revision : graph.revisions()) {
      auto found = by_id.find(revision.id);
      if (found == by_id.end()) continue;
      const AlembicRevisionFile& file = *found->second;
      const fs::path& target = targets.at(revision.id);
      const OfflineRevisionSql& up = sql.upgrades[revision.id];
      const OfflineRevisionSql& down = sql.downgrades[revision.id];
      {
        std::ofstream out(target, std::ios::binary);
        written.push_back(target);
        out << revision_text(file, up, down, alembic.project_dir());
        if (!out.flush()) throw CommandError(fmt::format("cannot write {}", target.string()));
      }
      read_sql_revision_header(target);  // what was written reads back
      result.written.push_back({revision.id, file.revision.path, target});
      if (up.error) result.unrendered.push_back({revision.id, true, *up.error, target});
      if (down.error) result.unrendered.push_back({revision.id, false, *down.error, target});
    }
  } catch (...) {
    std::error_code ignored;
    for (const auto& path : written) fs::remove(path, ignored);
    throw;
  }
  return result;
}

}  // namespace retort::migrate
