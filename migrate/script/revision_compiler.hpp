// Compiles C++ revision files into shared objects and loads them, caching by content: a
// revision's key is a hash of its source, the compiler (its path, size and time), the flags, the
// retort version and the running retort program, so an edited file, another compiler or a rebuilt
// retort never loads an old object. What the cache lacks compiles in one go: the files are
// included into as many unity translation units as there are cores, compiled in parallel and
// linked into one shared object; if that fails (a compile error, or two revisions defining the same
// helper), each file compiles alone, which names the revisions at fault. The loaded object's
// RETORT_UPGRADE/RETORT_DOWNGRADE steps register in CompiledRevisions; the running program must
// export retort's symbols (the retort CLI is linked with -rdynamic).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <retort/migrate/config.hpp>
#include <retort/migrate/script/revision.hpp>

namespace retort::migrate {

struct RevisionCompilerOptions {
  std::string compiler{};             // a command line: "c++", "ccache g++"; empty: $CXX, else c++
  std::vector<std::string> flags{};   // added after retort's own
  std::filesystem::path cache_dir{};  // created when missing
  unsigned jobs = 0;                  // parallel compiles; 0: the number of cores
};

class RevisionCompiler {
 public:
  explicit RevisionCompiler(RevisionCompilerOptions options);
  /// The options retort.toml gives: cxx, cxxflags, cpp_cache_dir (default
  /// <script_location>/.retort-cache).
  static RevisionCompilerOptions options_for(const Config& config);

  /// Makes the steps of each revision available in CompiledRevisions: loads what the cache has,
  /// compiles and loads the rest. Returns each revision's key by id. Throws ScriptError naming
  /// each revision that does not compile with the compiler's message (file:line), or a
  /// CommandError when the compiler or retort's headers cannot be found.
  std::map<std::string, std::string> prepare(const std::vector<Revision>& revisions);

  /// The key of a source text under this compiler and these flags.
  std::string key_of(const std::string& source) const;

  /// Where retort's headers are: $RETORT_INCLUDE_DIR, else the include folder beside the installed
  /// program (<prefix>/bin/../include), else the build tree's. Throws CommandError when none has them.
  static std::filesystem::path include_dir();

 private:
  struct Pending {
    const Revision* revision{};
    std::string key{};
  };
  void compile(const std::vector<Pending>& pending);
  std::vector<std::string> compile_command(const std::filesystem::path& source,
                                           const std::filesystem::path& object) const;
  void load(const std::filesystem::path& shared_object) const;
  /// key -> shared object, from the cache's *.keys files.
  std::map<std::string, std::filesystem::path> cached_objects() const;

  RevisionCompilerOptions options_;
  std::vector<std::string> compiler_;  // the command, split
  std::string identity_;               // what keys hash besides the source
};

}  // namespace retort::migrate
