// Scanning version folders and writing revision files.
#include <retort/migrate/script/script_directory.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/child_process.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_id.hpp>
#include <retort/migrate/script/embedded_revisions.hpp>
#include <retort/migrate/script/header_cache.hpp>
#include <retort/migrate/script/revision_file.hpp>
#include <retort/migrate/script/templates.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

std::string now_text(const std::string& timezone) {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  if (timezone == "UTC" || timezone == "utc")
    gmtime_r(&t, &tm);
  else
    localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace

ScriptDirectory::ScriptDirectory(const Config& config) : config_(config) {
  std::vector<Revision> revisions;
  if (config_.embedded) {
    for (const auto& file : EmbeddedRevisions::instance().files()) {
      const RevisionFormat* format = RevisionFormats::instance().for_file(file.name);
      if (!format) continue;
      revisions.push_back(format->read_header_text(std::string(file.text), EmbeddedRevisions::path_of(file.name)));
    }
    map_ = std::make_unique<RevisionMap>(std::move(revisions));
    return;
  }
  for (const auto& dir : config_.version_directories()) {
    if (!fs::is_directory(dir))
      throw CommandError(
          fmt::format("version folder {} does not exist (run `retort init`, or fix "
                      "script_location / version_locations in {})",
                      dir.string(), config_.config_file.string()));
    // The folder, open: the cache lists it (or reads it) and stats its files relative to it.
    int folder = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) throw CommandError(fmt::format("cannot read the version folder {}", dir.string()));
    std::vector<Revision> found;
    try {
      found = HeaderCache(dir).revisions(folder);
    } catch (...) {
      ::close(folder);
      throw;
    }
    ::close(folder);
    if (revisions.empty())
      revisions = std::move(found);
    else
      std::move(found.begin(), found.end(), std::back_inserter(revisions));
  }
  map_ = std::make_unique<RevisionMap>(std::move(revisions));
}

std::unique_ptr<RevisionScript> ScriptDirectory::script(const std::string& id) const {
  const auto& rev = map_->get(id);
  const RevisionFormat* format = RevisionFormats::instance().for_file(rev.path);
  if (!format) throw CommandError(fmt::format("revision {}: no revision format reads {}", id, rev.path));
  if (format->prepare) format->prepare({rev}, config_);
  return format->load(rev);
}

void ScriptDirectory::prepare(const std::vector<std::string>& ids) const {
  for (const auto& format : RevisionFormats::instance().all()) {
    if (!format.prepare) continue;
    std::vector<Revision> mine;
    for (const auto& id : ids) {
      const auto& rev = map_->get(id);
      if (RevisionFormats::instance().for_file(rev.path) == &format) mine.push_back(rev);
    }
    if (!mine.empty()) format.prepare(mine, config_);
  }
}

std::string ScriptDirectory::new_revision_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:012x}", rng() & 0xffffffffffffULL);
}

std::string ScriptDirectory::slugify(const std::string& message, int length) {
  std::string slug;
  for (char c : message) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u))
      slug += static_cast<char>(std::tolower(u));
    else if (!slug.empty() && slug.back() != '_')
      slug += '_';
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  if (static_cast<int>(slug.size()) > length) {
    auto cut = slug.rfind('_', static_cast<std::size_t>(length));
    slug = slug.substr(0, cut == std::string::npos || cut == 0 ? static_cast<std::size_t>(length) : cut);
  }
  return slug;
}

namespace {

/// Refuses every value that would make the new file unreadable or its graph invalid, before
/// anything is written: a failed `revision` or `merge` leaves no file behind.
void check_new_revision(const NewRevision& spec, const std::string& id, const RevisionMap& map) {
  check_revision_id(id);
  if (map.contains(id)) throw CommandError(fmt::format("revision id {} already exists", id));
  std::set<std::string> used;
  for (const auto& r : map.revisions()) used.insert(r.branch_labels.begin(), r.branch_labels.end());
  if (used.count(id)) throw CommandError(fmt::format("revision id {} is already a branch label", id));
  std::set<std::string> own;
  for (const auto& label : spec.branch_labels) {
    check_branch_label(label);
    if (used.count(label)) throw CommandError(fmt::format("branch label '{}' is already used", label));
    if (label == id || map.contains(label))
      throw CommandError(fmt::format("branch label '{}' is also a revision id", label));
    if (!own.insert(label).second) throw CommandError(fmt::format("branch label '{}' is given twice", label));
  }
  // The commands pass resolved ids; a library caller's text must be ids too.
  for (const auto* ids : {&spec.down_revisions, &spec.depends_on})
    for (const auto& r : *ids)
      if (!map.contains(r))
        throw CommandError(fmt::format("'{}' is not a revision id of this project", shown_value(r)));
}

/// Writes a new file: never over an existing one ("x": O_EXCL, whatever raced the check), and
/// nothing is left behind when the write fails part-way (a full disk).
void write_new_file(const fs::path& file, const std::string& text) {
  std::FILE* out = std::fopen(file.c_str(), "wx");
  if (!out) {
    if (errno == EEXIST) throw CommandError(fmt::format("{} already exists", file.string()));
    throw CommandError(fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
  }
  bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  int error = errno;
  if (std::fclose(out) != 0 && written) {
    written = false;
    error = errno;
  }
  if (!written) {
    std::error_code ignored;
    fs::remove(file, ignored);
    throw CommandError(fmt::format("cannot write {}: {}", file.string(), std::strerror(error)));
  }
}

/// The first line of a program's output, for a one-line error message.
std::string first_line(const std::string& output) {
  auto begin = output.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  std::string line = output.substr(begin, output.find_first_of("\r\n", begin) - begin);
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

/// Runs one post_write_hooks entry on the new file without a shell, so that no quote or $(...)
/// in the project's path can run anything: the hook is cut into words (split_command_line) and
/// each {file} is replaced inside its word, so that the path stays within one argument (with no
/// {file}, the path is the last argument). It runs in the working folder, as it did through the
/// shell; its output is shown only when it fails.
void run_post_write_hook(const std::string& hook, const fs::path& file) {
  auto words = split_command_line(hook);
  if (words.empty()) throw CommandError("post_write_hooks holds an empty hook");
  const std::string path = file.string();
  bool placed = false;
  for (auto& word : words)
    for (auto p = word.find("{file}"); p != std::string::npos; p = word.find("{file}", p + path.size())) {
      word.replace(p, 6, path);
      placed = true;
    }
  if (!placed) words.push_back(path);
  // Named when missing, rather than left to a spawn error or the shell's exit 127.
  const std::string& program = words.front();
  bool on_path = program.find('/') == std::string::npos;
  if (on_path ? !find_program(program) : ::access(program.c_str(), X_OK) != 0)
    throw CommandError(fmt::format("post-write hook program '{}' not found{} (hook `{}`); {} was written", program,
                                   on_path ? " on PATH" : "", hook, path));
  auto result = run_process(words, fs::current_path());
  if (result.exit_code != 0) {
    auto said = first_line(result.standard_error.empty() ? result.standard_output : result.standard_error);
    throw CommandError(fmt::format("post-write hook `{}` failed with exit status {}{}; {} was written", hook,
                                   result.exit_code, said.empty() ? "" : ": " + said, path));
  }
}

}  // namespace

fs::path ScriptDirectory::write_revision(const NewRevision& spec) const {
  if (config_.embedded)
    throw CommandError("the revisions are built into this program: write new ones in its source tree and rebuild");
  std::string id = spec.rev_id ? *spec.rev_id : new_revision_id();
  check_new_revision(spec, id, *map_);
  // One header line: no message can start another (see one_line_message).
  const std::string message = one_line_message(spec.message);
  fs::path dir = spec.version_path ? *spec.version_path : config_.version_directories().front();
  if (!fs::is_directory(dir)) throw CommandError(fmt::format("version folder {} does not exist", dir.string()));

  std::string date = now_text(config_.timezone);
  std::string name = config_.file_template;
  std::map<std::string, std::string> tokens = {{"{rev}", id},
                                               {"{slug}", slugify(message, config_.truncate_slug_length)},
                                               {"{year}", date.substr(0, 4)},
                                               {"{month}", date.substr(5, 2)},
                                               {"{day}", date.substr(8, 2)},
                                               {"{hour}", date.substr(11, 2)},
                                               {"{minute}", date.substr(14, 2)},
                                               {"{second}", date.substr(17, 2)}};
  for (const auto& [token, value] : tokens)
    for (auto p = name.find(token); p != std::string::npos; p = name.find(token, p + value.size()))
      name.replace(p, token.size(), value);
  while (!name.empty() && (name.back() == '_' || name.back() == '-')) name.pop_back();
  const RevisionFormat* format = RevisionFormats::instance().find(config_.revision_format);
  if (!format) format = RevisionFormats::instance().find("sql");
  fs::path file = dir / (name + format->extension);
  if (fs::exists(file)) throw CommandError(fmt::format("{} already exists", file.string()));

  // The revision template: the project's own copy if it has one, else the built-in one.
  std::string tmpl;
  fs::path local = config_.script_directory() / format->template_file;
  if (fs::exists(local)) {
    std::ifstream in(local);
    tmpl.assign(std::istreambuf_iterator<char>(in), {});
  } else {
    for (const auto& t : project_templates())
      for (const auto& f : t.files)
        if (tmpl.empty() && f.path == format->template_file) tmpl = f.content;
  }
  std::map<std::string, std::string> vars = {{"revision", id},
                                             {"down_revision", fmt::format("{}", fmt::join(spec.down_revisions, ", "))},
                                             {"branch_labels", fmt::format("{}", fmt::join(spec.branch_labels, ", "))},
                                             {"depends_on", fmt::format("{}", fmt::join(spec.depends_on, ", "))},
                                             {"message", message},
                                             {"create_date", date},
                                             {"upgrades", spec.merge              ? format->merge_body
                                                          : spec.upgrades.empty() ? format->empty_upgrade
                                                                                  : spec.upgrades},
                                             {"downgrades", spec.merge                ? format->merge_body
                                                            : spec.downgrades.empty() ? format->empty_downgrade
                                                                                      : spec.downgrades}};
  for (const auto& [k, v] : config_.x_arguments) vars["x." + k] = v;
  std::string text = render_template(tmpl, vars);
  // Header lines with an empty value keep no trailing blank.
  std::string cleaned;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    cleaned += line;
    if (nl == std::string::npos) break;
    cleaned += '\n';
    pos = nl + 1;
  }
  write_new_file(file, cleaned);
  // What was written must read back as asked (a template edited into something unreadable, or
  // without a header line, fails here), or it is not kept.
  try {
    Revision written = format->read_header(AT_FDCWD, file.c_str(), file);
    if (written.id != id || written.branch_labels != spec.branch_labels)
      throw ScriptError(fmt::format("{}: the header does not read back as revision {}{}", file.string(), id,
                                    spec.branch_labels.empty() ? "" : " with its branch labels"));
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(file, ignored);
    throw ScriptError(fmt::format("{} (the file was not kept: check the revision template)", e.what()));
  }
  for (const auto& hook : config_.post_write_hooks) run_post_write_hook(hook, file);
  return file;
}

}  // namespace retort::migrate
