// Command implementations: thin, over ScriptDirectory, RevisionMap and Runner.
#include <retort/migrate/commands.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_id.hpp>
#include <retort/migrate/runtime/runner.hpp>
#include <retort/migrate/script/header_cache.hpp>
#include <retort/migrate/script/script_directory.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

/// Writes one file of a new project with "x" (O_EXCL): init never replaces a file, even one that
/// appeared after the folder was found empty.
void write_project_file(const fs::path& file, const std::string& text) {
  std::FILE* out = std::fopen(file.c_str(), "wx");
  if (!out)
    throw CommandError(errno == EEXIST ? fmt::format("{} already exists; init never replaces a file", file.string())
                                       : fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
  bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  if (std::fclose(out) != 0 || !written) throw CommandError(fmt::format("cannot write {}", file.string()));
}

}  // namespace

void init(const fs::path& directory, const std::string& template_name) {
  // An empty path would be the working folder: `retort init "$UNSET"` must not write there.
  if (directory.empty())
    throw UsageError("the directory to create is empty: name a new or empty directory (`.` for this one)");
  auto tmpl = project_template(template_name);
  std::error_code ec;
  auto status = fs::status(directory, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status))
      throw CommandError(
          fmt::format("{} exists and is not a directory; choose a new or empty directory", directory.string()));
    bool empty = fs::is_empty(directory, ec);
    if (ec) throw CommandError(fmt::format("cannot read {}: {}", directory.string(), ec.message()));
    if (!empty)
      throw CommandError(
          fmt::format("{} exists and is not empty; choose a new or empty directory", directory.string()));
  }
  fs::create_directories(directory / "migrations" / "versions");
  for (const auto& f : tmpl.files)
    write_project_file(f.path == "retort.toml" ? directory / "retort.toml" : directory / "migrations" / f.path,
                       f.content);
  // Extra version folders named by the template's config (multidb).
  auto config = Config::load(directory / "retort.toml");
  for (const auto& d : config.version_directories()) {
    fs::create_directories(d);
    // The header cache is local state, not part of the project.
    if (!fs::exists(d / ".gitignore")) write_project_file(d / ".gitignore", std::string(HeaderCache::kFileName) + "\n");
  }
}

std::vector<ProjectTemplate> list_templates() { return project_templates(); }

fs::path revision(const Config& config, const RevisionOptions& options) {
  // What can be checked without the revision files first (write_revision checks the values again
  // against the graph): nothing is written unless every input is valid.
  if (options.rev_id) check_revision_id(*options.rev_id);
  for (const auto& label : options.branch_labels) check_branch_label(label);
  for (const auto& h : options.head)
    if (h.empty()) throw UsageError("--head is empty: name a revision, a branch label, head or base");
  for (const auto& d : options.depends_on)
    if (d.empty()) throw UsageError("--depends-on is empty: name a revision or a branch label");
  std::vector<std::string> also;  // what --head base is given with
  std::copy_if(options.head.begin(), options.head.end(), std::back_inserter(also),
               [](const auto& h) { return h != "base"; });
  if (also.size() != options.head.size() && !also.empty())
    throw UsageError(fmt::format("--head base starts a new, independent branch: it cannot be combined with --head {}",
                                 fmt::join(also, ", ")));

  ScriptDirectory scripts(config);
  const auto& map = scripts.map();
  NewRevision spec;
  spec.message = options.message;
  spec.rev_id = options.rev_id;
  spec.upgrades = options.upgrades;
  spec.downgrades = options.downgrades;
  spec.branch_labels = options.branch_labels;
  if (options.version_path) spec.version_path = fs::path(*options.version_path);
  for (const auto& d : options.depends_on) {
    auto id = map.resolve_revision(d);
    if (std::find(spec.depends_on.begin(), spec.depends_on.end(), id) == spec.depends_on.end())
      spec.depends_on.push_back(id);
  }
  std::set<std::string> parents;
  for (const auto& h : options.head) {
    if (h == "base") continue;  // a new base: a new, independent branch
    std::vector<std::string> ids;
    if (h == "head" && map.heads().size() > 1)
      throw MultipleHeads(
          fmt::format("multiple heads are present ({}): pass --head REV or --head "
                      "LABEL@head, or merge them first with `retort merge heads`",
                      fmt::join(map.heads(), ", ")));
    ids = map.get_revisions(h);
    for (const auto& id : ids) {
      auto kids = map.children(id);
      if (!kids.empty() && !options.splice)
        throw CommandError(fmt::format("revision {} is not a head; pass --splice to branch from it", id));
      parents.insert(id);
    }
  }
  for (const auto& p : parents) spec.down_revisions.push_back(p);
  std::sort(spec.down_revisions.begin(), spec.down_revisions.end(),
            [&](const auto& a, const auto& b) { return map.position(a) < map.position(b); });
  if (spec.version_path) {
    bool known = false;
    for (const auto& d : config.version_directories()) {
      std::error_code ec;  // a folder that does not exist is simply not this one
      known = known || fs::equivalent(d, *spec.version_path, ec);
    }
    if (!known)
      throw CommandError(fmt::format("--version-path {} is not one of version_locations", spec.version_path->string()));
  }
  return scripts.write_revision(spec);
}

fs::path merge(const Config& config, const std::vector<std::string>& revisions, const std::string& message,
               const std::optional<std::string>& rev_id) {
  if (rev_id) check_revision_id(*rev_id);  // before the files are read, as in revision()
  ScriptDirectory scripts(config);
  const auto& map = scripts.map();
  std::set<std::string> ids;
  for (const auto& r : revisions)
    for (const auto& id : map.get_revisions(r)) ids.insert(id);
  if (ids.size() < 2)
    throw CommandError(fmt::format("nothing to merge: {} names {} revision(s); a merge needs two or more",
                                   fmt::join(revisions, " "), ids.size()));
  NewRevision spec;
  spec.message = message;  // folded to one line by write_revision, as revision's
  spec.rev_id = rev_id;
  spec.down_revisions.assign(ids.begin(), ids.end());
  std::sort(spec.down_revisions.begin(), spec.down_revisions.end(),
            [&](const auto& a, const auto& b) { return map.position(a) < map.position(b); });
  spec.merge = true;
  return scripts.write_revision(spec);
}

namespace {
RunOptions run_options(const CommandOptions& o) {
  RunOptions r{o.url, o.sql, o.sql_out, o.log, o.engine, o.connection};
  r.strict = o.strict;
  return r;
}
}  // namespace

std::vector<std::string> upgrade(const Config& config, const std::string& target, const CommandOptions& options) {
  ScriptDirectory scripts(config);
  return Runner(scripts, run_options(options)).upgrade(target);
}

std::vector<std::string> downgrade(const Config& config, const std::string& target, const CommandOptions& options) {
  ScriptDirectory scripts(config);
  return Runner(scripts, run_options(options)).downgrade(target);
}

void stamp(const Config& config, const std::vector<std::string>& targets, bool purge, const CommandOptions& options) {
  ScriptDirectory scripts(config);
  Runner(scripts, run_options(options)).stamp(targets, purge);
}

std::vector<std::string> current(const Config& config, const CommandOptions& options) {
  ScriptDirectory scripts(config);
  auto rows = Runner(scripts, run_options(options)).current_heads();
  const auto& map = scripts.map();
  // What the rows imply, branch by branch (a dependency's branch shows its own tip), as
  // Alembic's `current` prints it.
  return map.all_current(rows);
}

std::vector<RevisionProgress> partial_revisions(const Config& config, const CommandOptions& options) {
  ScriptDirectory scripts(config);
  return Runner(scripts, run_options(options)).partial_revisions();
}

VerifyReport verify(const Config& config, bool record_missing, const CommandOptions& options) {
  ScriptDirectory scripts(config);
  return Runner(scripts, run_options(options)).verify(record_missing);
}

void ensure_version(const Config& config, const CommandOptions& options) {
  ScriptDirectory scripts(config);
  Runner(scripts, run_options(options)).ensure_version_table();
}

namespace {

RevisionInfo info_of(const RevisionMap& map, const Revision& r, const std::set<std::string>& current) {
  RevisionInfo info;
  info.revision = r;
  // The labels its branch carries, not only its own: listed as Alembic lists them.
  const auto& labels = map.branch_labels(r.id);
  info.revision.branch_labels.assign(labels.begin(), labels.end());
  info.children = map.children(r.id);
  info.is_head = info.children.empty();
  info.is_effective_head = info.is_head && !map.dependents(r.id).empty();
  info.is_branch_point = info.children.size() > 1;
  info.is_merge_point = r.down_revisions.size() > 1;
  info.is_current = current.count(r.id) > 0;
  return info;
}

}  // namespace

std::vector<RevisionInfo> history(const Config& config, const std::string& range, bool indicate_current,
                                  const CommandOptions& options) {
  ScriptDirectory scripts(config);
  const auto& map = scripts.map();
  std::vector<std::string> db_heads;
  bool needs_db = indicate_current || range.find("current") != std::string::npos;
  if (needs_db) db_heads = Runner(scripts, run_options(options)).current_heads();
  // Marked only when asked for: `-r current:` reads the database without marking, as in Alembic.
  std::set<std::string> current;
  if (indicate_current) current.insert(db_heads.begin(), db_heads.end());

  // Alembic's walk_revisions: from the upper end down to (and including) the lower one.
  Ids upper{"heads"}, lower{"base"};
  if (!range.empty()) {
    auto colon = range.find(':');
    if (colon == std::string::npos || range.find(':', colon + 1) != std::string::npos)
      throw CommandError(fmt::format("history range '{}' must be START:END (either side may be empty)", range));
    std::string lo = range.substr(0, colon), hi = range.substr(colon + 1);
    if (hi == "current")
      upper = db_heads.empty() ? Ids{"heads"} : db_heads;
    else if (!hi.empty())
      upper = {hi};
    if (lo == "current" && hi != "current")
      lower = db_heads.empty() ? Ids{"base"} : db_heads;
    else if (!lo.empty())
      lower = {lo};
  }
  std::vector<RevisionInfo> out;
  for (const auto& id : map.iterate_revisions(upper, lower, {.inclusive = true, .assert_relative_length = false}))
    out.push_back(info_of(map, map.get(id), current));
  return out;
}

std::vector<RevisionInfo> heads(const Config& config, bool resolve_dependencies) {
  ScriptDirectory scripts(config);
  const auto& map = scripts.map();
  // --resolve-dependencies: only heads that nothing depends on (Alembic's "heads").
  auto ids = resolve_dependencies ? map.real_heads() : map.heads();
  std::vector<RevisionInfo> out;
  for (const auto& id : ids) out.push_back(info_of(map, map.get(id), {}));
  return out;
}

std::vector<RevisionInfo> branches(const Config& config) {
  ScriptDirectory scripts(config);
  const auto& map = scripts.map();
  std::vector<RevisionInfo> out;
  for (const auto& r : map.revisions())
    if (map.is_branch_point(r.id)) out.push_back(info_of(map, r, {}));
  return out;
}

std::vector<RevisionInfo> show(const Config& config, const std::string& identifier) {
  ScriptDirectory scripts(config);
  const auto& map = scripts.map();
  std::vector<RevisionInfo> out;
  for (const auto& id : map.get_revisions(identifier)) out.push_back(info_of(map, map.get(id), {}));
  if (out.empty()) throw CommandError(fmt::format("'{}' names no revision", identifier));
  return out;
}

fs::path revision_file(const Config& config, const std::string& identifier) {
  auto revs = show(config, identifier);
  if (revs.size() != 1) throw CommandError(fmt::format("'{}' names {} revisions; name one", identifier, revs.size()));
  return revs.front().revision.path;
}

std::string history_dot(const std::vector<RevisionInfo>& revisions) {
  std::string out = "digraph revisions {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n";
  for (const auto& r : revisions) {
    std::string label = r.revision.id;
    if (!r.revision.message.empty()) label += "\\n" + r.revision.message;
    std::string style;
    if (r.is_merge_point)
      style = ", style=filled, fillcolor=\"#ffe0b0\"";
    else if (r.is_branch_point)
      style = ", style=filled, fillcolor=\"#c8e6ff\"";
    if (r.is_head) style += ", penwidth=2";
    std::string escaped;
    for (char c : label) {
      if (c == '"') escaped += '\\';
      escaped += c;
    }
    out += fmt::format("  \"{}\" [label=\"{}\"{}];\n", r.revision.id, escaped, style);
    for (const auto& d : r.revision.down_revisions) out += fmt::format("  \"{}\" -> \"{}\";\n", r.revision.id, d);
    for (const auto& d : r.revision.depends_on)
      out += fmt::format("  \"{}\" -> \"{}\" [style=dashed];\n", r.revision.id, d);
  }
  return out + "}\n";
}

}  // namespace retort::migrate
