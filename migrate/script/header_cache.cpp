// The header cache file: a format line, the folder stamp line (`folder `, then the folder's mtime
// and ctime in 20 digits each, zeros for none, rewritten in place), then one line per revision
// file: tab-separated fields (name, size, mtime, ctime, inode, then the header's), with backslash,
// tab and newline escaped as \\, \t and \n.
#include <retort/migrate/script/header_cache.hpp>

#include <retort/migrate/script/revision_format.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "retort-headers 3";
constexpr std::string_view kFolderPrefix = "folder ";
constexpr std::string_view kNoFolderStamp = "00000000000000000000 00000000000000000000";  // the field's width
// A folder or file time younger than this may still be shared by a change not yet made: file
// systems keep times in clock ticks (milliseconds on ext4, 2 s on FAT), and a change within the
// tick of the recorded time would leave it unchanged.
constexpr std::int64_t kRacyMarginNs = 3'000'000'000;

std::int64_t nanoseconds(const timespec& t) { return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec; }

std::int64_t realtime_now() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return nanoseconds(now);
}

HeaderCache::Stamp stamp_of(const struct stat& st) {
  return {static_cast<std::int64_t>(st.st_size), nanoseconds(st.st_mtim), nanoseconds(st.st_ctim),
          static_cast<std::uint64_t>(st.st_ino)};
}

/// `stamp`, smudged when its file changed at or after `trusted_before`: a later change in the
/// same clock tick could keep every field. Any change sets ctime to the kernel's time, so ctime
/// alone says when (mtime may be set anywhere, even into the future).
HeaderCache::Stamp trusted(HeaderCache::Stamp stamp, std::int64_t trusted_before) {
  if (stamp.ctime_ns >= trusted_before) stamp.size = -1;
  return stamp;
}

/// Stats the revision file `name`: false when it is gone (removed since the folder was read) or
/// is not a regular file. A symbolic link that cannot be followed is an error: skipping it would
/// quietly drop a revision.
bool stat_revision_file(int directory_fd, const char* name, const fs::path& directory, struct stat& st) {
  if (::fstatat(directory_fd, name, &st, 0) == 0) return S_ISREG(st.st_mode);
  const int error = errno;
  struct stat link {};
  if (::fstatat(directory_fd, name, &link, AT_SYMLINK_NOFOLLOW) != 0) return false;
  const auto path = (directory / name).string();
  if (!S_ISLNK(link.st_mode))
    throw ScriptError(fmt::format("{}: cannot read the revision file ({})", path, std::strerror(error)));
  char target[PATH_MAX];
  ssize_t n = ::readlinkat(directory_fd, name, target, sizeof target);
  throw ScriptError(fmt::format("{}: a symbolic link to {}, which {}", path,
                                n < 0 ? std::string("?") : std::string(target, static_cast<std::size_t>(n)),
                                error == ENOENT ? "does not exist" : std::strerror(error)));
}

/// Writes all of `text` at the start of `fd`.
bool write_all(int fd, std::string_view text) {
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = ::pwrite(fd, text.data() + done, text.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

/// The names of the folder's revision files (a registered format's extension, not hidden), sorted.
std::vector<std::string> list_folder(int directory_fd, const fs::path& directory) {
  // A descriptor of its own: readdir moves the file offset, which a dup() would share.
  int fd = ::openat(directory_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* handle = fd < 0 ? nullptr : ::fdopendir(fd);
  if (!handle) {
    if (fd >= 0) ::close(fd);
    throw CommandError(fmt::format("cannot read the version folder {}", directory.string()));
  }
  const auto& formats = RevisionFormats::instance();
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(handle)) {
    std::string_view name(entry->d_name);
    if (name.front() != '.' && formats.for_file(name)) names.emplace_back(name);
  }
  ::closedir(handle);
  std::sort(names.begin(), names.end());
  return names;
}

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
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

template <typename Number>
bool parse_number(std::string_view text, Number& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

std::string field_of(const std::vector<std::string>& items) {
  std::vector<std::string> escaped;
  for (const auto& i : items) escaped.push_back(escape(i));
  return fmt::format("{}", fmt::join(escaped, ","));
}

}  // namespace

HeaderCache::HeaderCache(fs::path directory)
    : directory_(std::move(directory)), trusted_before_ns_(realtime_now() - kRacyMarginNs) {
  // Mapped, not read: the file's pages are the page cache's own, all mapped in one call
  // (MAP_POPULATE), where a read would copy its ~100 KB into fresh memory first; the keys point
  // into it. (The file is only ever replaced by a rename, never truncated in place, so the mapping
  // stays whole.)
  // Kept open, read-write where allowed, to record the folder stamp into this very file.
  auto file = directory_ / kFileName;
  file_ = ::open(file.c_str(), O_RDWR | O_CLOEXEC);
  if (file_ < 0) file_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (file_ < 0) return;
  struct stat st {};
  void* mapped = MAP_FAILED;
  if (::fstat(file_, &st) == 0 && st.st_size > 0)
    mapped = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, file_, 0);
  if (mapped == MAP_FAILED) return;
  mapped_ = static_cast<const char*>(mapped);
  mapped_size_ = static_cast<std::size_t>(st.st_size);
  parse(std::string_view(mapped_, mapped_size_));
}

HeaderCache::~HeaderCache() {
  if (mapped_) ::munmap(const_cast<char*>(mapped_), mapped_size_);
  if (file_ >= 0) ::close(file_);
}

void HeaderCache::parse(std::string_view text) {
  std::string_view rest(text);
  if (next_field(rest, '\n') != kMagic) return;
  std::string_view folder_line = next_field(rest, '\n');
  if (!folder_line.starts_with(kFolderPrefix)) return;
  std::string_view folder_stamp = folder_line.substr(kFolderPrefix.size());
  std::string_view times = folder_stamp;
  if (folder_stamp.size() != kNoFolderStamp.size() || !parse_number(next_field(times, ' '), folder_mtime_ns_) ||
      !parse_number(times, folder_ctime_ns_)) {
    folder_mtime_ns_ = 0;
    return;
  }
  folder_stamp_offset_ = static_cast<std::size_t>(folder_stamp.data() - text.data());
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
    std::string_view f[12];
    std::size_t n = 0;
    while (n < 12 && !line.empty()) f[n++] = next_field(line, '\t');
    Key key;
    key.name = f[0].find('\\') == std::string_view::npos ? f[0] : unescaped_.emplace_back(unescape(f[0]));
    if (n != 12 || !line.empty() || !parse_number(f[1], key.stamp.size) || !parse_number(f[2], key.stamp.mtime_ns) ||
        !parse_number(f[3], key.stamp.ctime_ns) || !parse_number(f[4], key.stamp.inode) ||
        (!keys_.empty() && !(keys_.back().name < key.name))) {
      keys_.clear();  // damaged (or not in name order): forget it all, it will be rebuilt
      revisions_.clear();
      folder_mtime_ns_ = 0;
      folder_stamp_offset_ = 0;
      return;
    }
    Revision& r = revisions_.emplace_back();
    r.id = unescape(f[5]);
    r.down_revisions = list_of(f[6]);
    r.branch_labels = list_of(f[7]);
    r.depends_on = list_of(f[8]);
    r.message = unescape(f[9]);
    r.create_date = unescape(f[10]);
    r.transactional = f[11] == "1";
    r.path.reserve(folder.size() + key.name.size());
    r.path.append(folder).append(key.name);
    keys_.push_back(std::move(key));
  }
}

std::vector<Revision> HeaderCache::revisions(int directory_fd) {
  struct stat folder {};
  if (::fstat(directory_fd, &folder) != 0) folder = {};
  listed_folder_ = false;
  // The folder's ctime too: `tar x` and `rsync -a` put its mtime back after adding files.
  if (folder_mtime_ns_ != 0 && nanoseconds(folder.st_mtim) == folder_mtime_ns_ &&
      nanoseconds(folder.st_ctim) == folder_ctime_ns_) {
    // No file was added, removed or renamed since the list was recorded: the list is the cache's,
    // and only each file's own stamp needs checking (an edit in place changes only that, and a
    // rewrite keeping size and mtime still changes its ctime).
    bool unchanged = true;
    char name[NAME_MAX + 1];
    for (std::size_t i = 0; unchanged && i < keys_.size(); ++i) {
      const auto& key = keys_[i];
      struct stat st {};
      unchanged = key.name.size() <= NAME_MAX;
      if (!unchanged) break;
      key.name.copy(name, key.name.size());
      name[key.name.size()] = '\0';
      unchanged = ::fstatat(directory_fd, name, &st, 0) == 0 && S_ISREG(st.st_mode) && stamp_of(st) == key.stamp;
    }
    if (unchanged) return std::move(revisions_);
    std::vector<std::string> names;
    names.reserve(keys_.size());
    for (const auto& key : keys_) names.emplace_back(key.name);
    return revisions_of(directory_fd, std::move(names));
  }
  listed_folder_ = true;
  auto revisions = revisions_of(directory_fd, list_folder(directory_fd, directory_));
  record_folder_stamp(directory_fd, folder);
  return revisions;
}

std::vector<Revision> HeaderCache::revisions_of(int directory_fd, std::vector<std::string> listed) {
  names_ = std::move(listed);  // kept: the new keys point into it
  const auto& names = names_;
  std::vector<Stamp> stamps(names.size());
  std::vector<bool> present(names.size(), false);  // a regular file, stat-ed
  bool unchanged = names.size() == keys_.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    struct stat st {};
    if (!stat_revision_file(directory_fd, names[i].c_str(), directory_, st)) {
      unchanged = false;
      continue;
    }
    present[i] = true;
    stamps[i] = stamp_of(st);
    unchanged = unchanged && keys_[i].name == names[i] && keys_[i].stamp == stamps[i];
  }
  // The usual case: nothing changed, the cached revisions are the answer as they stand.
  if (unchanged) return std::move(revisions_);

  std::vector<Key> keys;
  std::vector<Revision> out;
  keys.reserve(names.size());
  out.reserve(names.size());
  // Whether the file must be rewritten: not when only racy entries were read again and nothing
  // came out different (a rewrite would change the folder's time, and delay its shortcut).
  bool changed = false;
  std::size_t c = 0;  // walks keys_: both lists are in name order
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!present[i]) continue;
    std::string_view name = names[i];
    while (c < keys_.size() && keys_[c].name < name) ++c;  // files that are gone
    const bool cached = c < keys_.size() && keys_[c].name == name;
    Stamp stamp = stamps[i];
    if (cached && keys_[c].stamp == stamp) {
      out.push_back(std::move(revisions_[c]));
    } else {
      stamp = trusted(stamp, trusted_before_ns_);
      out.push_back(RevisionFormats::instance().for_file(name)->read_header(directory_fd, names[i].c_str(),
                                                                            directory_ / names[i]));
      changed = changed || !cached || !(keys_[c].stamp == stamp) || !(revisions_[c] == out.back());
    }
    keys.push_back(Key{name, stamp});
  }
  changed = changed || keys.size() != keys_.size();
  keys_ = std::move(keys);
  revisions_ = std::move(out);
  if (changed) save();
  return std::move(revisions_);
}

std::string HeaderCache::text() const {
  std::string text(kMagic);
  text += '\n';
  text.append(kFolderPrefix).append(kNoFolderStamp) += '\n';  // recorded by a later run (record_folder_stamp)
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const auto& [name, stamp] = keys_[i];
    const auto& r = revisions_[i];
    text +=
        fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", escape(name), stamp.size, stamp.mtime_ns,
                    stamp.ctime_ns, stamp.inode, escape(r.id), field_of(r.down_revisions), field_of(r.branch_labels),
                    field_of(r.depends_on), escape(r.message), escape(r.create_date), r.transactional ? 1 : 0);
  }
  return text;
}

bool HeaderCache::smudge_racy(std::int64_t trusted_before) {
  bool any = false;
  for (auto& key : keys_) {
    Stamp stamp = trusted(key.stamp, trusted_before);
    any = any || !(stamp == key.stamp);
    key.stamp = stamp;
  }
  return any;
}

void HeaderCache::save() {
  // Write beside, then rename: a concurrent reader sees the old or the new file, never half.
  fs::path tmp = directory_ / fmt::format("{}.{}.tmp", kFileName, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;  // read-only folder: run without a cache
  bool written = write_all(fd, text());
  // Racy entries were judged by our clock; the file system's (a file server's) may be behind it.
  // The file just written carries that clock's time: judged by it too, and rewritten if that
  // smudges more.
  struct stat st {};
  if (written && ::fstat(fd, &st) == 0 && smudge_racy(nanoseconds(st.st_mtim) - kRacyMarginNs)) {
    std::string again = text();
    written = ::ftruncate(fd, static_cast<off_t>(again.size())) == 0 && write_all(fd, again);
  }
  written = ::close(fd) == 0 && written;
  std::error_code ec;
  if (written) fs::rename(tmp, directory_ / kFileName, ec);
  if (!written || ec)
    fs::remove(tmp, ec);
  else
    saved_ = true;
}

void HeaderCache::record_folder_stamp(int directory_fd, const struct stat& before) {
  // After a rewrite the folder's time is that of our own rename, and a change made just before it
  // would hide behind it: a later run, finding the file list unchanged, records the time instead.
  if (saved_ || file_ < 0 || folder_stamp_offset_ == 0) return;
  struct stat after {};
  if (::fstat(directory_fd, &after) != 0) return;
  const std::int64_t mtime = nanoseconds(after.st_mtim), ctime = nanoseconds(after.st_ctim);
  if (mtime == folder_mtime_ns_ && ctime == folder_ctime_ns_) return;                        // recorded
  if (mtime != nanoseconds(before.st_mtim) || ctime != nanoseconds(before.st_ctim)) return;  // changed meanwhile
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  if (nanoseconds(now) - mtime < kRacyMarginNs) return;
  // In place, not by a rename (which would change the folder's time again); a reader racing with
  // the write sees a number that does not match the folder's time, and lists the folder.
  const auto offset = static_cast<off_t>(folder_stamp_offset_);
  std::string digits = fmt::format("{:020} {:020}", mtime, ctime);
  if (::pwrite(file_, digits.data(), digits.size(), offset) != static_cast<ssize_t>(digits.size())) return;
  // The write stamped the cache file with the file system's own clock (a file server's, which
  // may differ from ours): the folder time must be old by that clock too.
  struct stat written {};
  if (::fstat(file_, &written) != 0 || nanoseconds(written.st_mtim) - mtime < kRacyMarginNs) {
    if (::pwrite(file_, kNoFolderStamp.data(), kNoFolderStamp.size(), offset) < 0) return;
  }
}

}  // namespace retort::migrate
