// The migration commands as library functions (Alembic's command.py): the CLI parses arguments
// and prints; an application can call the same functions, e.g. upgrade(config, "head") at
// start-up. Each takes the Config and options and returns data.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/engine/engine.hpp>
#include <retort/migrate/config.hpp>
#include <retort/migrate/revision_progress.hpp>
#include <retort/migrate/script/revision.hpp>
#include <retort/migrate/script/templates.hpp>
#include <retort/migrate/verify_report.hpp>

namespace retort::migrate {

/// Shared by the commands that touch the database or print progress.
struct CommandOptions {
  std::optional<std::string> url{};  // --url
  std::ostream* log = nullptr;       // progress lines; null for silence
  bool sql = false;                  // --sql: write SQL to sql_out instead of running it
  std::ostream* sql_out = nullptr;
  /// An application's own engine or connection, used instead of the URL. A connection already
  /// inside a transaction keeps the run inside it: the application commits.
  std::optional<core::Engine> engine{};
  core::Connection* connection = nullptr;
  /// upgrade/downgrade: stop when an applied revision's file changed since it ran (else warn).
  bool strict = false;
};

/// Creates DIR with retort.toml and the migrations folder from a template; never replaces a
/// file. Throws UsageError when DIR is empty (""), CommandError when it exists and is not an
/// empty directory, or the template is unknown.
void init(const std::filesystem::path& directory, const std::string& template_name = "sql");
std::vector<ProjectTemplate> list_templates();

struct RevisionOptions {
  std::string message{};
  std::vector<std::string> head = {"head"};  // --head: what the new revision follows
  bool splice = false;                       // allow following a non-head revision
  std::vector<std::string> branch_labels{};
  std::optional<std::string> version_path{};
  std::optional<std::string> rev_id{};
  std::vector<std::string> depends_on{};
  /// The bodies the template gets (autogenerate's); empty: the format's placeholders.
  std::string upgrades{};
  std::string downgrades{};
};
/// Writes a new revision file; returns its path. Every input is checked first (ids and labels
/// as in revision_id.hpp; the message is folded to one line), so a refused one writes nothing.
std::filesystem::path revision(const Config& config, const RevisionOptions& options);
/// Writes a revision merging `revisions` ("heads" for all heads); returns its path.
std::filesystem::path merge(const Config& config, const std::vector<std::string>& revisions, const std::string& message,
                            const std::optional<std::string>& rev_id = {});

/// Applies revisions up to `target`; returns those applied.
std::vector<std::string> upgrade(const Config& config, const std::string& target, const CommandOptions& options = {});
std::vector<std::string> downgrade(const Config& config, const std::string& target, const CommandOptions& options = {});
void stamp(const Config& config, const std::vector<std::string>& targets, bool purge,
           const CommandOptions& options = {});
/// The database's current heads.
std::vector<std::string> current(const Config& config, const CommandOptions& options = {});
void ensure_version(const Config& config, const CommandOptions& options = {});
/// Compares the applied revisions' files with the checksums recorded when they ran (the history
/// table beside the version table). With `record_missing`, applied revisions that have no
/// history row (applied by Alembic, an offline script or an older retort) are recorded as they
/// are now.
/// Revisions an earlier run left part-way: the statements of their upgrade (or downgrade) that
/// ran, after which the next run resumes.
std::vector<RevisionProgress> partial_revisions(const Config& config, const CommandOptions& options = {});
VerifyReport verify(const Config& config, bool record_missing = false, const CommandOptions& options = {});

/// One revision for listings, with its place in the graph.
struct RevisionInfo {
  Revision revision{};
  bool is_head = false;            // no revision names it as its down revision
  bool is_effective_head = false;  // a head that another revision depends on (depends_on)
  bool is_branch_point = false;
  bool is_merge_point = false;
  bool is_current = false;  // only when asked for (indicate_current)
  std::vector<std::string> children{};
};

/// Revisions newest first; `range` is "A:B" (either side optional, ids or head/base/current).
/// With indicate_current, the database is read to mark current heads.
std::vector<RevisionInfo> history(const Config& config, const std::string& range = {}, bool indicate_current = false,
                                  const CommandOptions& options = {});
/// The heads; with resolve_dependencies, heads that another head depends on are dropped.
std::vector<RevisionInfo> heads(const Config& config, bool resolve_dependencies = false);
std::vector<RevisionInfo> branches(const Config& config);
/// The revisions an identifier names.
std::vector<RevisionInfo> show(const Config& config, const std::string& identifier);
/// The file of a revision (for `edit`).
std::filesystem::path revision_file(const Config& config, const std::string& identifier);

/// The revision graph in Graphviz dot (branches and merges visible).
std::string history_dot(const std::vector<RevisionInfo>& revisions);

}  // namespace retort::migrate
