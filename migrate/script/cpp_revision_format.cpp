// The C++ revision format: `// retort:KEY VALUE` header lines (read without compiling), then
// RETORT_UPGRADE(op) and RETORT_DOWNGRADE(op) steps that call the operations API. Before a run,
// prepare() compiles (or finds in the cache) the revisions it needs; load() finds the compiled
// steps by the key of the file's current source, so an edited file never runs old code.
#include <sys/stat.h>

#include <map>
#include <mutex>

#include <fmt/format.h>

#include <retort/migrate/child_process.hpp>
#include <retort/migrate/config.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/runtime/migration_context.hpp>
#include <retort/migrate/script/compiled_revisions.hpp>
#include <retort/migrate/script/embedded_revisions.hpp>
#include <retort/migrate/script/revision_compiler.hpp>
#include <retort/migrate/script/revision_file.hpp>
#include <retort/migrate/script/revision_format.hpp>

namespace retort::migrate {

namespace {

/// Keys of the revisions prepared in this process, by file path.
struct PreparedKeys {
  std::mutex mutex;
  std::map<std::string, std::string> by_path;
  std::map<std::string, std::string> identity;  // size and time of the file when its key was taken
};

/// Size and modification time: whether a file may have changed since its key was taken.
std::string identity_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return fmt::format("{}:{}.{}:{}", st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ino);
}
PreparedKeys& prepared() {
  static auto* keys = new PreparedKeys();
  return *keys;
}

class CppRevisionScript final : public RevisionScript {
 public:
  explicit CppRevisionScript(const Revision& revision) : revision_(revision) {}
  void upgrade(MigrationContext& context) const override { run(context, true); }
  void downgrade(MigrationContext& context) const override { run(context, false); }

 private:
  void run(MigrationContext& context, bool up) const {
    std::string key;
    {
      auto& p = prepared();
      std::lock_guard lock(p.mutex);
      auto it = p.by_path.find(revision_.path);
      if (it == p.by_path.end())
        throw ScriptError(fmt::format("revision {} ({}) was not compiled: prepare it first (ScriptDirectory::prepare)",
                                      revision_.id, revision_.path));
      key = it->second;
    }
    const CompiledRevision* compiled = CompiledRevisions::instance().find(key);
    if (!compiled)
      throw ScriptError(
          fmt::format("revision {} ({}) defines no RETORT_UPGRADE or RETORT_DOWNGRADE step (does it include "
                      "<retort/migrate/cpp_revision.hpp>?)",
                      revision_.id, revision_.path));
    RevisionStep step = up ? compiled->upgrade : compiled->downgrade;
    if (!step)
      throw ScriptError(
          fmt::format("revision {} cannot be {}: {} has no RETORT_{}(op) step (add one; left empty, "
                      "it does nothing)",
                      revision_.id, up ? "upgraded" : "downgraded", revision_.path, up ? "UPGRADE" : "DOWNGRADE"));
    Operations op(context);
    step(op);
  }
  Revision revision_;
};

}  // namespace

RevisionFormat cpp_revision_format() {
  RevisionFormat f;
  f.name = "cpp";
  f.extension = ".cpp";
  f.read_header = [](int directory_fd, const char* name, const std::filesystem::path& file) {
    return read_cpp_revision_header(directory_fd, name, file);
  };
  f.read_header_text = [](std::string text, const std::filesystem::path& file) {
    return read_cpp_revision_header_text(std::move(text), file);
  };
  f.load = [](const Revision& revision) -> std::unique_ptr<RevisionScript> {
    return std::make_unique<CppRevisionScript>(revision);
  };
  f.prepare = [](const std::vector<Revision>& revisions, const Config& config) {
    auto& p = prepared();
    std::vector<Revision> needed;
    {
      std::lock_guard lock(p.mutex);
      for (const auto& rev : revisions) {
        // Built into the program: its steps are registered under the file's name, nothing to compile.
        if (EmbeddedRevisions::is_embedded_path(rev.path)) {
          p.by_path[rev.path] = rev.path;
          continue;
        }
        auto it = p.identity.find(rev.path);
        if (it == p.identity.end() || it->second != identity_of(rev.path)) needed.push_back(rev);
      }
    }
    if (needed.empty()) return;
    RevisionCompiler compiler(RevisionCompiler::options_for(config));
    auto keys = compiler.prepare(needed);
    std::lock_guard lock(p.mutex);
    for (const auto& rev : needed) {
      p.by_path[rev.path] = keys.at(rev.id);
      p.identity[rev.path] = identity_of(rev.path);
    }
  };
  f.template_file = "revision.cpp.tmpl";
  f.merge_body = "// a merge point: nothing to do";
  f.empty_upgrade = "// the upgrade, e.g. op.add_column(\"users\", retort::Column(\"email\", retort::String{100}));";
  f.empty_downgrade = "// the downgrade, e.g. op.drop_column(\"users\", \"email\");";
  return f;
}

}  // namespace retort::migrate
