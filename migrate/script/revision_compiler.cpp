// The C++ revision compiler and its cache (see revision_compiler.hpp).
#include <retort/migrate/script/revision_compiler.hpp>

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/version.hpp>
#include <retort/migrate/child_process.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_checksum.hpp>

#ifndef RETORT_BUILD_INCLUDE_DIR
#define RETORT_BUILD_INCLUDE_DIR ""
#endif

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScriptError(fmt::format("{}: cannot read the revision file", file.string()));
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw CommandError(fmt::format("cannot write {}", file.string()));
}

/// "size:mtime" of a file, or "" when it cannot be read: enough to tell a rebuilt or replaced
/// program from the one that made a cache entry.
std::string file_identity(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return {};
  return fmt::format("{}:{}.{}", st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

std::string hex128(std::string_view text) {
  return fmt::format("{:016x}{:016x}", fnv1a64(text), fnv1a64(text, 0x84222325cbf29ce4ULL));
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:012x}", rng() & 0xffffffffffffULL);
}

/// At most `lines` lines of a compiler's message.
std::string first_lines(const std::string& text, int lines) {
  std::size_t pos = 0;
  for (int i = 0; i < lines; ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos) return text;
    ++pos;
  }
  return text.substr(0, pos) + "  [...]\n";
}

/// The lines of an #include of `file` under `key`, for a unity translation unit.
std::string include_block(const fs::path& file, const std::string& key) {
  auto path = file.string();
  if (path.find_first_of("\"\n") != std::string::npos)
    throw CommandError(fmt::format("cannot compile {}: its path holds a '\"' or a line break", path));
  return fmt::format("#undef RETORT_REVISION_KEY\n#define RETORT_REVISION_KEY \"{}\"\n#include \"{}\"\n", key, path);
}

/// Runs each command (argv) on up to `jobs` threads; returns the results in order.
std::vector<ProcessResult> run_all(const std::vector<std::vector<std::string>>& commands, unsigned jobs,
                                   const fs::path& directory) {
  std::vector<ProcessResult> results(commands.size());
  std::vector<std::exception_ptr> errors(commands.size());
  std::size_t next = 0;
  std::mutex mutex;
  auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::lock_guard lock(mutex);
        if (next == commands.size()) return;
        i = next++;
      }
      try {
        results[i] = run_process(commands[i], directory);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(commands.size()))); ++t)
    threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return results;
}

/// A scratch folder inside the cache, removed with its owner.
struct ScratchFolder {
  fs::path path;
  explicit ScratchFolder(const fs::path& cache) : path(cache / ("build-" + random_suffix())) {
    fs::create_directories(path);
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

RevisionCompilerOptions RevisionCompiler::options_for(const Config& config) {
  RevisionCompilerOptions o;
  o.compiler = config.cxx;
  o.flags = split_command_line(config.cxxflags);
  fs::path cache = config.cpp_cache_dir;
  if (cache.empty())
    cache = config.script_directory() / ".retort-cache";
  else if (cache.is_relative())
    cache = config.base_dir / cache;
  o.cache_dir = cache;
  return o;
}

RevisionCompiler::RevisionCompiler(RevisionCompilerOptions options) : options_(std::move(options)) {
  std::string command = options_.compiler;
  if (command.empty()) {
    const char* cxx = std::getenv("CXX");
    command = cxx && *cxx ? cxx : "c++";
  }
  compiler_ = split_command_line(command);
  if (compiler_.empty()) throw CommandError("cxx in retort.toml names no compiler");
  if (options_.jobs == 0) options_.jobs = std::max(1u, std::thread::hardware_concurrency());
  auto found =
      compiler_[0].find('/') == std::string::npos ? find_program(compiler_[0]) : std::optional<fs::path>(compiler_[0]);
  std::error_code ec;
  auto real = found ? fs::canonical(*found, ec) : fs::path();
  identity_ =
      fmt::format("compiler={}|{}|{}\nflags={}\nretort={}|{}\n", fmt::join(compiler_, " "), real.string(),
                  file_identity(real), fmt::join(options_.flags, " "), core::kVersion, file_identity("/proc/self/exe"));
}

std::string RevisionCompiler::key_of(const std::string& source) const { return hex128(identity_ + "source=" + source); }

fs::path RevisionCompiler::include_dir() {
  const fs::path marker = fs::path("retort") / "migrate" / "cpp_revision.hpp";
  if (const char* env = std::getenv("RETORT_INCLUDE_DIR"); env && *env) {
    if (!fs::exists(fs::path(env) / marker))
      throw CommandError(fmt::format("RETORT_INCLUDE_DIR={} does not hold {}", env, marker.string()));
    return env;
  }
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "include";
    if (fs::exists(installed / marker, ec)) return installed;
  }
  fs::path build = RETORT_BUILD_INCLUDE_DIR;
  if (!build.empty() && fs::exists(build / marker, ec)) return build;
  throw CommandError(
      "cannot find retort's headers to compile C++ revisions (looked beside the program and in the build tree): "
      "set RETORT_INCLUDE_DIR to the folder holding retort/migrate/cpp_revision.hpp");
}

std::vector<std::string> RevisionCompiler::compile_command(const fs::path& source, const fs::path& object) const {
  std::vector<std::string> argv = compiler_;
  // -O0 and no debug information: a revision runs once, and these keep a cold compile short.
  for (const char* flag : {"-std=c++20", "-fPIC", "-O0", "-g0", "-fdiagnostics-color=never"}) argv.emplace_back(flag);
  argv.push_back("-I" + include_dir().string());
  argv.insert(argv.end(), options_.flags.begin(), options_.flags.end());
  argv.insert(argv.end(), {"-c", source.string(), "-o", object.string()});
  return argv;
}

std::map<std::string, fs::path> RevisionCompiler::cached_objects() const {
  std::map<std::string, fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(options_.cache_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& p = it->path();
    if (p.extension() != ".keys") continue;
    auto object = fs::path(p).replace_extension(".so");
    if (!fs::exists(object)) continue;
    std::istringstream keys(read_text(p));
    for (std::string key; std::getline(keys, key);)
      if (!key.empty()) out.emplace(key, object);
  }
  return out;
}

void RevisionCompiler::load(const fs::path& shared_object) const {
  static std::mutex mutex;
  static std::set<std::string> loaded;
  std::lock_guard lock(mutex);
  if (!loaded.insert(shared_object.string()).second) return;
  // Never closed: the registered steps point into it.
  if (!::dlopen(shared_object.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    loaded.erase(shared_object.string());
    const char* why = ::dlerror();
    throw CommandError(fmt::format(
        "cannot load the compiled revisions {}: {} (a program that runs C++ revisions must export retort's symbols: "
        "link it with -rdynamic, or embed the revisions with retort_add_migrations())",
        shared_object.string(), why ? why : "unknown error"));
  }
}

std::map<std::string, std::string> RevisionCompiler::prepare(const std::vector<Revision>& revisions) {
  std::map<std::string, std::string> keys;
  if (revisions.empty()) return keys;
  std::error_code ec;
  fs::create_directories(options_.cache_dir, ec);
  if (ec)
    throw CommandError(
        fmt::format("cannot create the cache of compiled revisions {}: {}", options_.cache_dir.string(), ec.message()));
  // The cache is build output: keep it out of version control.
  if (!fs::exists(options_.cache_dir / ".gitignore")) write_text(options_.cache_dir / ".gitignore", "*\n");

  auto cached = cached_objects();
  std::set<fs::path> objects;
  std::vector<Pending> pending;
  for (const auto& rev : revisions) {
    auto key = key_of(read_text(rev.path));
    keys[rev.id] = key;
    if (auto it = cached.find(key); it != cached.end())
      objects.insert(it->second);
    else
      pending.push_back({&rev, key});
  }
  for (const auto& object : objects) load(object);
  if (!pending.empty()) compile(pending);
  return keys;
}

void RevisionCompiler::compile(const std::vector<Pending>& pending) {
  ScratchFolder scratch(options_.cache_dir);
  std::string batch = hex128([&] {
    std::string all;
    for (const auto& p : pending) all += p.key + "\n";
    return all;
  }());

  // Unity translation units, one per job, the revisions dealt out in turn.
  std::size_t units = std::min<std::size_t>(options_.jobs, pending.size());
  std::vector<std::string> unit_text(units, "#include <retort/migrate/cpp_revision.hpp>\n");
  for (std::size_t i = 0; i < pending.size(); ++i)
    unit_text[i % units] += include_block(fs::absolute(pending[i].revision->path), pending[i].key);
  std::vector<std::vector<std::string>> commands;
  std::vector<fs::path> unit_objects;
  for (std::size_t u = 0; u < units; ++u) {
    auto source = scratch.path / fmt::format("unit{}.cpp", u);
    write_text(source, unit_text[u]);
    unit_objects.push_back(scratch.path / fmt::format("unit{}.o", u));
    commands.push_back(compile_command(source, unit_objects.back()));
  }
  std::vector<ProcessResult> results;
  try {
    results = run_all(commands, options_.jobs, scratch.path);
  } catch (const CommandError& e) {
    throw CommandError(fmt::format("the C++ compiler `{}` (cxx in retort.toml, else $CXX, else c++) cannot be run: {}",
                                   compiler_[0], e.what()));
  }
  bool unity_ok = std::all_of(results.begin(), results.end(), [](const auto& r) { return r.exit_code == 0; });

  std::vector<fs::path> link_objects = unit_objects;
  if (!unity_ok) {
    // Each file alone: names the revisions that fail, and builds those that only clashed with
    // another revision of their unit.
    commands.clear();
    link_objects.clear();
    for (std::size_t i = 0; i < pending.size(); ++i) {
      auto source = scratch.path / fmt::format("revision{}.cpp", i);
      write_text(source, "#include <retort/migrate/cpp_revision.hpp>\n" +
                             include_block(fs::absolute(pending[i].revision->path), pending[i].key));
      link_objects.push_back(scratch.path / fmt::format("revision{}.o", i));
      commands.push_back(compile_command(source, link_objects.back()));
    }
    results = run_all(commands, options_.jobs, scratch.path);
    std::vector<std::string> failures;
    for (std::size_t i = 0; i < pending.size(); ++i)
      if (results[i].exit_code != 0)
        failures.push_back(fmt::format("revision {} ({}) does not compile:\n{}", pending[i].revision->id,
                                       pending[i].revision->path,
                                       first_lines(results[i].standard_error + results[i].standard_output, 40)));
    if (!failures.empty()) throw ScriptError(fmt::format("{}", fmt::join(failures, "\n")));
  }

  auto temporary = scratch.path / "revisions.so";
  std::vector<std::string> link = compiler_;
  link.insert(link.end(), {"-shared", "-o", temporary.string()});
  for (const auto& o : link_objects) link.push_back(o.string());
  auto linked = run_process(link, scratch.path);
  if (linked.exit_code != 0)
    throw ScriptError(fmt::format("linking the compiled revisions failed:\n{}",
                                  first_lines(linked.standard_error + linked.standard_output, 40)));
  // Into the cache: the object first, then its key list (a reader trusts a list only beside its
  // object); renames, so a concurrent run never sees half a file.
  auto object = options_.cache_dir / ("revisions-" + batch + ".so");
  fs::rename(temporary, object);
  std::string key_list;
  for (const auto& p : pending) key_list += p.key + "\n";
  auto list = scratch.path / "revisions.keys";
  write_text(list, key_list);
  fs::rename(list, fs::path(object).replace_extension(".keys"));
  load(object);
}

}  // namespace retort::migrate
