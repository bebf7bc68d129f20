// Scanning version folders and writing revision files.
#include <retort/migrate/script/script_directory.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <random>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>
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
  return format->load(rev);
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

fs::path ScriptDirectory::write_revision(const NewRevision& spec) const {
  std::string id = spec.rev_id ? *spec.rev_id : new_revision_id();
  if (map_->contains(id)) throw CommandError(fmt::format("revision id {} already exists", id));
  for (const auto& label : spec.branch_labels) {
    bool used = false;
    for (const auto& r : map_->revisions())
      used = used || std::find(r.branch_labels.begin(), r.branch_labels.end(), label) != r.branch_labels.end();
    if (used) throw CommandError(fmt::format("branch label '{}' is already used", label));
  }
  fs::path dir = spec.version_path ? *spec.version_path : config_.version_directories().front();
  if (!fs::is_directory(dir)) throw CommandError(fmt::format("version folder {} does not exist", dir.string()));

  std::string date = now_text(config_.timezone);
  std::string name = config_.file_template;
  std::map<std::string, std::string> tokens = {{"{rev}", id},
                                               {"{slug}", slugify(spec.message, config_.truncate_slug_length)},
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
    for (const auto& f : project_template("sql").files)
      if (f.path == format->template_file) tmpl = f.content;
  }
  std::map<std::string, std::string> vars = {{"revision", id},
                                             {"down_revision", fmt::format("{}", fmt::join(spec.down_revisions, ", "))},
                                             {"branch_labels", fmt::format("{}", fmt::join(spec.branch_labels, ", "))},
                                             {"depends_on", fmt::format("{}", fmt::join(spec.depends_on, ", "))},
                                             {"message", spec.message},
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
  {
    std::ofstream out(file);
    if (!out) throw CommandError(fmt::format("cannot write {}", file.string()));
    out << cleaned;
  }
  // Check that what we wrote reads back (a template edited into something unreadable fails here).
  format->read_header(AT_FDCWD, file.c_str(), file);
  for (const auto& hook : config_.post_write_hooks) {
    std::string cmd = hook;
    auto p = cmd.find("{file}");
    std::string quoted = "'" + file.string() + "'";
    if (p != std::string::npos)
      cmd.replace(p, 6, quoted);
    else
      cmd += " " + quoted;
    int rc = std::system(cmd.c_str());
    if (rc != 0) throw CommandError(fmt::format("post-write hook failed (exit {}): {}", rc, cmd));
  }
  return file;
}

}  // namespace retort::migrate
