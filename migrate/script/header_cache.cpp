// The header cache file: one line per revision file, tab-separated, with \t \n \\ escaped.
#include <retort/migrate/script/header_cache.hpp>

#include <retort/migrate/script/revision_file.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "retort-headers 1";

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string unescape(std::string_view s) {
  if (s.find('\\') == std::string_view::npos) return std::string(s);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// Cuts `s` at the first `sep`: returns what precedes it and leaves the rest in `s` (all of `s`
/// and an empty rest when there is no `sep`).
std::string_view next_field(std::string_view& s, char sep) {
  auto p = s.find(sep);
  std::string_view field = s.substr(0, p);
  s = p == std::string_view::npos ? std::string_view{} : s.substr(p + 1);
  return field;
}

std::vector<std::string> list_of(std::string_view field) {
  std::vector<std::string> out;
  while (!field.empty()) out.push_back(unescape(next_field(field, ',')));
  return out;
}

/// Has the kernel fill in the pages of [data, data + bytes) in one call, before they are written
/// one by one: on our CI machines a page fault costs about 12 us, populating a page about 3 us.
/// Best effort (MADV_POPULATE_WRITE is Linux 5.14; older kernels refuse it and nothing changes).
void prefault(void* data, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  constexpr int kPopulateWrite = MADV_POPULATE_WRITE;
#else
  constexpr int kPopulateWrite = 23;
#endif
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  auto begin = (reinterpret_cast<std::uintptr_t>(data) + page - 1) & ~(page - 1);
  auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(page - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, kPopulateWrite);
}

bool parse_int64(std::string_view text, std::int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

std::string field_of(const std::vector<std::string>& items) {
  std::vector<std::string> escaped;
  for (const auto& i : items) escaped.push_back(escape(i));
  return fmt::format("{}", fmt::join(escaped, ","));
}

}  // namespace

HeaderCache::HeaderCache(fs::path directory) : directory_(std::move(directory)) {
  // Mapped, not read: the file's pages are the page cache's own, all mapped in one call
  // (MAP_POPULATE), where a read would copy its ~100 KB into fresh memory first; the keys point
  // into it. (The file is only ever replaced by a rename, never truncated in place, so the mapping
  // stays whole.)
  int fd = ::open((directory_ / kFileName).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  void* mapped = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && st.st_size > 0)
    mapped = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED) return;
  mapped_ = static_cast<const char*>(mapped);
  mapped_size_ = static_cast<std::size_t>(st.st_size);
  parse(std::string_view(mapped_, mapped_size_));
}

HeaderCache::~HeaderCache() {
  if (mapped_) ::munmap(const_cast<char*>(mapped_), mapped_size_);
}

void HeaderCache::parse(std::string_view text) {
  std::string_view rest(text);
  if (next_field(rest, '\n') != kMagic) return;
  auto lines = static_cast<std::size_t>(std::count(rest.begin(), rest.end(), '\n'));
  keys_.reserve(lines);
  revisions_.reserve(lines);
  prefault(revisions_.data(), lines * sizeof(Revision));  // ~200 KB about to be filled
  // The folder's path is built once; each entry's path is the folder plus its file name.
  std::string folder = directory_.string();
  if (!folder.empty() && folder.back() != '/') folder += '/';
  while (!rest.empty()) {
    std::string_view line = next_field(rest, '\n');
    if (line.empty()) continue;
    std::string_view f[10];
    std::size_t n = 0;
    while (n < 10 && !line.empty()) f[n++] = next_field(line, '\t');
    Key key;
    key.name = f[0].find('\\') == std::string_view::npos ? f[0] : unescaped_.emplace_back(unescape(f[0]));
    if (n != 10 || !line.empty() || !parse_int64(f[1], key.stamp.size) ||
        !parse_int64(f[2], key.stamp.mtime_ns) || (!keys_.empty() && !(keys_.back().name < key.name))) {
      keys_.clear();  // damaged (or not in name order): forget it all, it will be rebuilt
      revisions_.clear();
      return;
    }
    Revision& r = revisions_.emplace_back();
    r.id = unescape(f[3]);
    r.down_revisions = list_of(f[4]);
    r.branch_labels = list_of(f[5]);
    r.depends_on = list_of(f[6]);
    r.message = unescape(f[7]);
    r.create_date = unescape(f[8]);
    r.transactional = f[9] == "1";
    r.path.reserve(folder.size() + key.name.size());
    r.path.append(folder).append(key.name);
    keys_.push_back(std::move(key));
  }
}

std::vector<Revision> HeaderCache::revisions(int directory_fd, std::vector<std::string> listed) {
  names_ = std::move(listed);  // kept: the new keys point into it
  const auto& names = names_;
  std::vector<Stamp> stamps(names.size());
  std::vector<bool> present(names.size(), false);  // a regular file, stat-ed
  bool unchanged = names.size() == keys_.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    struct stat st {};
    if (::fstatat(directory_fd, names[i].c_str(), &st, 0) != 0 || !S_ISREG(st.st_mode)) {
      unchanged = false;
      continue;
    }
    present[i] = true;
    stamps[i] = Stamp{static_cast<std::int64_t>(st.st_size),
                      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
    unchanged = unchanged && keys_[i].name == names[i] && keys_[i].stamp == stamps[i];
  }
  // The usual case: nothing changed, the cached revisions are the answer as they stand.
  if (unchanged) return std::move(revisions_);

  std::vector<Key> keys;
  std::vector<Revision> out;
  keys.reserve(names.size());
  out.reserve(names.size());
  std::size_t c = 0;  // walks keys_: both lists are in name order
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!present[i]) continue;
    std::string_view name = names[i];
    while (c < keys_.size() && keys_[c].name < name) ++c;  // files that are gone
    if (c < keys_.size() && keys_[c].name == name && keys_[c].stamp == stamps[i])
      out.push_back(std::move(revisions_[c]));
    else
      out.push_back(read_sql_revision_header(directory_fd, names[i].c_str(), directory_ / names[i]));
    keys.push_back(Key{name, stamps[i]});
  }
  keys_ = std::move(keys);
  revisions_ = std::move(out);
  save();
  return std::move(revisions_);
}

void HeaderCache::save() const {
  std::string text(kMagic);
  text += '\n';
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const auto& [name, stamp] = keys_[i];
    const auto& r = revisions_[i];
    text += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", escape(name), stamp.size, stamp.mtime_ns,
                        escape(r.id), field_of(r.down_revisions), field_of(r.branch_labels),
                        field_of(r.depends_on), escape(r.message), escape(r.create_date),
                        r.transactional ? 1 : 0);
  }
  // Write beside, then rename: a concurrent reader sees the old or the new file, never half.
  fs::path tmp = directory_ / fmt::format("{}.{}.tmp", kFileName, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;  // read-only folder: run without a cache
    out << text;
    if (!out) return;
  }
  std::error_code ec;
  fs::rename(tmp, directory_ / kFileName, ec);
  if (ec) fs::remove(tmp, ec);
}

}  // namespace retort::migrate
