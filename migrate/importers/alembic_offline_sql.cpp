// Running Alembic in offline mode and cutting its output into revisions. Alembic runs with the
// project's folder as working directory (its relative paths start there), through `alembic` on
// PATH or else `python3 -m alembic`.
#include <retort/migrate/importers/alembic_offline_sql.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/text.hpp>
#include <retort/migrate/child_process.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/script/sql_splitter.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

/// The line of Alembic's standard error that says what went wrong: its own message (a
/// CommandError, printed as `FAILED: ...` or logged as `ERROR [alembic.util.messaging] ...`),
/// else the last line (a Python traceback ends with the exception).
std::string error_line(const ProcessResult& result) {
  constexpr std::string_view kLogged = "[alembic.util.messaging]";
  std::istringstream in(result.standard_error);
  std::string last;
  for (std::string line; std::getline(in, line);) {
    std::string t = trim(line);
    if (t.rfind("FAILED:", 0) == 0) return t;
    if (auto logged = t.find(kLogged); logged != std::string::npos) return trim(t.substr(logged + kLogged.size()));
    if (!t.empty()) last = t;
  }
  return last.empty() ? fmt::format("exit status {}", result.exit_code) : last;
}

/// The last component of the table name at `pos` (`t`, `s.t`, `"s"."t"`, `[t]`, `` `t` ``).
std::string table_name_at(std::string_view sql, std::size_t pos) {
  std::string name;
  pos = core::skip_blanks_and_comments(sql, pos);
  while (pos < sql.size()) {
    char c = sql[pos];
    if (c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      auto end = sql.find(close, pos + 1);
      if (end == std::string_view::npos) return name;
      name = std::string(sql.substr(pos + 1, end - pos - 1));
      pos = end + 1;
    } else {
      std::size_t end = pos;
      while (end < sql.size() &&
             (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_' || sql[end] == '$'))
        ++end;
      if (end == pos) return name;
      name = std::string(sql.substr(pos, end - pos));
      pos = end;
    }
    if (pos >= sql.size() || sql[pos] != '.') break;
    ++pos;
  }
  return name;
}

enum class StatementKind { kept, transaction, version_table };

StatementKind kind_of(std::string_view sql, const std::string& version_table) {
  std::size_t pos = 0;
  auto next_word = [&] {
    pos = core::skip_blanks_and_comments(sql, pos);
    std::string word = core::leading_word(sql, pos);
    pos += word.size();
    return word;
  };
  std::string first = next_word();
  if (first == "BEGIN" || first == "COMMIT" || first == "START") {
    // BEGIN, BEGIN TRANSACTION, COMMIT WORK, START TRANSACTION: nothing but those words.
    int more_words = 0;
    for (std::string word; !(word = next_word()).empty(); ++more_words)
      if (word != "TRANSACTION" && word != "WORK") return StatementKind::kept;
    bool alone = core::skip_blanks_and_comments(sql, pos) == sql.size();
    return alone && (first != "START" || more_words > 0) ? StatementKind::transaction : StatementKind::kept;
  }
  std::string second = (first == "UPDATE") ? std::string() : next_word();
  bool on_table = (first == "CREATE" && second == "TABLE") || (first == "DROP" && second == "TABLE") ||
                  (first == "INSERT" && second == "INTO") || (first == "DELETE" && second == "FROM") ||
                  first == "UPDATE";
  if (on_table && core::iequals(table_name_at(sql, pos), version_table)) return StatementKind::version_table;
  return StatementKind::kept;
}

/// The dialect Alembic renders for: `--dialect`, else sqlalchemy.url's (postgresql+psycopg2:// ->
/// postgresql).
std::string dialect_name(const AlembicConfig& config, const AlembicOfflineOptions& options) {
  std::string url = options.dialect ? *options.dialect : config.sqlalchemy_url();
  return core::to_lower(url.substr(0, url.find_first_of("+:")));
}

/// A copy of the ini beside the original (so that %(here)s and relative paths keep their
/// meaning) with sqlalchemy.url replaced; removed when done.
class IniWithDialect {
 public:
  IniWithDialect(const AlembicConfig& config, const std::string& dialect)
      : path_(config.ini_file().parent_path() / fmt::format(".retort-import-alembic-{}.ini", ::getpid())) {
    std::ofstream out(path_);
    out << config.text_with_main_option("sqlalchemy.url", dialect + "://");
    if (!out.flush())
      throw CommandError(fmt::format("cannot write {} (a copy of the ini with sqlalchemy.url = {}://, for --dialect)",
                                     path_.string(), dialect));
  }
  IniWithDialect(const IniWithDialect&) = delete;
  IniWithDialect& operator=(const IniWithDialect&) = delete;
  ~IniWithDialect() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  const fs::path& path() const noexcept { return path_; }

 private:
  fs::path path_;
};

/// The revisions no other revision names as a down revision, in file order.
std::vector<std::string> heads_of(const std::vector<Revision>& revisions) {
  std::set<std::string> below;
  for (const auto& r : revisions) below.insert(r.down_revisions.begin(), r.down_revisions.end());
  std::vector<std::string> heads;
  for (const auto& r : revisions)
    if (!below.count(r.id)) heads.push_back(r.id);
  return heads;
}

/// Runs Alembic's commands for one project and keeps what each direction produced.
class OfflineRenderer {
 public:
  OfflineRenderer(const AlembicConfig& config, const AlembicOfflineOptions& options, AlembicOfflineSql& result)
      : config_(config), options_(options), result_(result) {
    if (options.dialect) dialect_ini_.emplace(config, *options.dialect);
    ini_ = dialect_ini_ ? dialect_ini_->path() : config.ini_file();
    if (find_program("alembic"))
      program_ = {"alembic"};
    else if (find_program("python3"))
      program_ = {"python3", "-m", "alembic"};
    else
      throw CommandError(
          "Alembic is needed to render the SQL, but neither `alembic` nor `python3` is on PATH "
          "(Debian: apt-get install alembic)");
    std::string dialect = dialect_name(config, options);
    backslash_escapes_ = dialect == "mysql" || dialect == "mariadb";
  }

  void render(const std::vector<Revision>& revisions, bool upgrade) {
    auto& rendered = upgrade ? result_.upgrades : result_.downgrades;
    // Alembic upgrades all heads in one run, but takes one starting head per offline downgrade
    // ("heads:base" fails where there are several): one downgrade run per head.
    std::vector<std::vector<std::string>> whole_runs;
    if (upgrade)
      whole_runs.push_back({"upgrade", "heads", "--sql"});
    else
      for (const auto& head : heads_of(revisions)) whole_runs.push_back({"downgrade", head + ":base", "--sql"});
    for (const auto& whole : whole_runs) {
      auto run = this->run(whole);
      auto sections = split_offline_output(run.standard_output, upgrade, run.exit_code == 0);
      if (sections.empty()) refuse(whole, run);
      for (const auto& section : sections)
        if (section.complete && !rendered.count(section.revision)) rendered[section.revision] = clean(section, upgrade);
    }

    // What the whole run did not render (it stopped at a revision that needs a database): one
    // run per revision, from each of its down revisions in turn until one works.
    for (const auto& revision : revisions) {
      if (rendered.count(revision.id)) continue;
      std::vector<std::string> starts = revision.down_revisions;
      if (starts.empty()) starts.push_back("base");
      OfflineRevisionSql failed;
      for (const auto& start : starts) {
        std::string range = upgrade ? start + ":" + revision.id : revision.id + ":" + start;
        auto single = this->run({upgrade ? "upgrade" : "downgrade", range, "--sql"});
        auto parts = split_offline_output(single.standard_output, upgrade, single.exit_code == 0);
        auto own = std::find_if(parts.begin(), parts.end(), [&](const auto& s) { return s.revision == revision.id; });
        if (own != parts.end() && own->complete) {
          rendered[revision.id] = clean(*own, upgrade);
          break;
        }
        if (parts.empty() && single.exit_code != 0) refuse({upgrade ? "upgrade" : "downgrade", range, "--sql"}, single);
        failed.error = single.exit_code == 0 ? "Alembic printed no SQL for it" : error_line(single);
        if (own != parts.end())
          failed.partial_output = trim(own->text);
        else if (!parts.empty())  // it failed in a revision that this one needs first
          failed.error =
              fmt::format("{} (in revision {}, which Alembic runs before it)", *failed.error, parts.back().revision);
      }
      if (!rendered.count(revision.id)) rendered[revision.id] = failed;
    }
  }

 private:
  ProcessResult run(const std::vector<std::string>& command) {
    std::vector<std::string> arguments = program_;
    arguments.insert(arguments.end(), {"-c", ini_.string()});
    arguments.insert(arguments.end(), command.begin(), command.end());
    if (options_.log)
      *options_.log << fmt::format("Running {} {} (in {})\n", fmt::join(program_, " "), fmt::join(command, " "),
                                   config_.project_dir().string())
                    << std::flush;
    ++result_.alembic_runs;
    return run_process(arguments, config_.project_dir());
  }

  /// A run that failed before its first revision: Alembic itself cannot run here.
  [[noreturn]] void refuse(const std::vector<std::string>& command, const ProcessResult& run) const {
    std::string error = error_line(run);
    std::string what = run.exit_code == 0 ? "printed no `-- Running` lines (does env.py send its offline output "
                                            "elsewhere, or not support --sql?)"
                                          : "failed before its first revision: " + error;
    bool no_dialect = error.find("sqlalchemy.dialects") != std::string::npos;
    throw CommandError(
        fmt::format("`{} -c {} {}` in {} {}{}", fmt::join(program_, " "), ini_.string(), fmt::join(command, " "),
                    config_.project_dir().string(), what,
                    no_dialect ? " (sqlalchemy.url names no dialect that Alembic can load: pass --dialect)" : ""));
  }

  OfflineRevisionSql clean(const OfflineSection& section, bool upgrade) const {
    try {
      return clean_offline_section(section.text, options_.version_table, backslash_escapes_);
    } catch (const ScriptError& e) {
      throw ScriptError(
          fmt::format("revision {}: the SQL that Alembic renders for its {} cannot be split into "
                      "statements: {}",
                      section.revision, upgrade ? "upgrade" : "downgrade", e.what()));
    }
  }

  const AlembicConfig& config_;
  const AlembicOfflineOptions& options_;
  AlembicOfflineSql& result_;
  std::optional<IniWithDialect> dialect_ini_;
  fs::path ini_;
  std::vector<std::string> program_;
  bool backslash_escapes_ = false;
};

}  // namespace

std::vector<OfflineSection> split_offline_output(const std::string& output, bool upgrade, bool run_succeeded) {
  const std::string marker = upgrade ? "-- Running upgrade " : "-- Running downgrade ";
  std::vector<OfflineSection> sections;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(marker, 0) == 0) {
      // "-- Running upgrade A, B -> REV" / "-- Running downgrade REV -> A, B"
      std::string steps = line.substr(marker.size());
      auto arrow = upgrade ? steps.rfind("->") : steps.find("->");
      if (arrow != std::string::npos) {
        if (!sections.empty()) sections.back().complete = true;
        sections.push_back({trim(upgrade ? steps.substr(arrow + 2) : steps.substr(0, arrow)), "", false});
        continue;
      }
    }
    if (!sections.empty()) sections.back().text += line + "\n";
  }
  if (!sections.empty()) sections.back().complete = run_succeeded;
  return sections;
}

OfflineRevisionSql clean_offline_section(const std::string& text, const std::string& version_table,
                                         bool backslash_escapes) {
  auto statements = split_sql(text, 1, "<alembic --sql output>", backslash_escapes);
  std::vector<StatementKind> kinds;
  for (const auto& s : statements) kinds.push_back(kind_of(s.text, version_table));
  // The run's own transaction shows as a BEGIN before a section's statements and a COMMIT (and
  // the next migration's BEGIN) after them; a COMMIT between its statements is Alembic's
  // autocommit_block, which retort expresses as a non-transactional revision.
  std::size_t begin = 0, end = kinds.size();
  while (begin < end && kinds[begin] == StatementKind::transaction &&
         core::iequals(core::leading_word(statements[begin].text, 0), "BEGIN"))
    ++begin;
  while (end > begin && kinds[end - 1] != StatementKind::kept) --end;
  OfflineRevisionSql sql;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i] == StatementKind::kept)
      sql.statements.push_back(statements[i].text + ";");
    else if (kinds[i] == StatementKind::transaction && i >= begin && i < end)
      sql.transactional = false;
  }
  return sql;
}

AlembicOfflineSql render_alembic_offline_sql(const AlembicConfig& config, const std::vector<Revision>& revisions,
                                             const AlembicOfflineOptions& options) {
  AlembicOfflineSql result;
  if (revisions.empty()) return result;
  OfflineRenderer renderer(config, options, result);
  renderer.render(revisions, true);
  renderer.render(revisions, false);
  return result;
}

}  // namespace retort::migrate
