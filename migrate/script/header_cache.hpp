// A cache of parsed revision headers per version folder (.retort-headers), keyed by each file's
// name, size, inode, and modification and status-change times (nanoseconds). Listing 1,000
// revisions then costs one stat per file instead of an open and a read. A missing, stale or
// unreadable cache is simply rebuilt; failing to write it (a read-only checkout) is not an error.
//
// Size and modification time alone are not enough: `cp -p`, `tar x` or a restored CI cache
// replace a file keeping both. Nothing can set the status-change time (ctime) back, so a replaced
// file always shows a new one. The one gap left is a change within the file system's clock tick
// of the time recorded: an entry whose file changed shortly before it was read is "racy" (git's
// word) and kept with its size smudged to -1, so it is read again on each run until its file is
// old enough to be trusted.
//
// The cache also records the folder's own modification and status-change times once that is safe
// (see record_folder_stamp), so that while no file is added, removed or renamed the file list
// comes from the cache and the folder is not read at all: git's "untracked cache" does the same.
//
// Kept as two sorted parallel vectors, not a map: a listing command's time is mostly page faults
// on fresh memory (about 12 us each on our CI machines), so when every file is unchanged the
// cached revisions are handed over as they are, without a copy.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <retort/migrate/script/revision.hpp>

namespace retort::migrate {

class HeaderCache {
 public:
  static constexpr const char* kFileName = ".retort-headers";

  struct Stamp {
    std::int64_t size = 0;  // -1: racy, never matches a file
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;
    std::uint64_t inode = 0;
    bool operator==(const Stamp&) const = default;
  };

  /// Loads `directory`'s cache (empty when absent, damaged or of another format).
  explicit HeaderCache(std::filesystem::path directory);
  ~HeaderCache();
  HeaderCache(const HeaderCache&) = delete;
  HeaderCache& operator=(const HeaderCache&) = delete;

  /// The revisions of the folder's revision files (`directory_fd` is the folder, open): cached
  /// headers whose stamp still matches, the others read from their file. Writes the cache back
  /// when it changed. The cache is spent afterwards.
  std::vector<Revision> revisions(int directory_fd);
  /// Whether revisions() read the folder's file list (false: the recorded list was used).
  bool listed_folder() const noexcept { return listed_folder_; }

 private:
  struct Key {
    std::string_view name{};  // into the mapped cache file, names_ or unescaped_
    Stamp stamp{};
  };
  void parse(std::string_view text);
  /// The revisions of the files `names` (sorted), re-reading those whose stamp changed.
  std::vector<Revision> revisions_of(int directory_fd, std::vector<std::string> names);
  /// Writes the cache (beside, then renamed over the old one), with no folder stamp.
  void save();
  /// Smudges the entries whose file changed at or after `trusted_before` (ns); true if that
  /// smudged any.
  bool smudge_racy(std::int64_t trusted_before);
  /// The cache file's content.
  std::string text() const;
  /// Records the folder's modification time in the cache file, in place, when the listing just
  /// used is the folder's content at that time (nothing changed it during this run, and the time
  /// is old enough that no later change can have kept it).
  void record_folder_stamp(int directory_fd, const struct stat& before);

  std::filesystem::path directory_;
  std::int64_t trusted_before_ns_;  // a file changed since (the clock at start, less a margin) is racy
  int file_ = -1;                   // the cache file, open (read-write when allowed)
  const char* mapped_ = nullptr;    // its text, mapped while the cache lives
  std::size_t mapped_size_ = 0;
  std::int64_t folder_mtime_ns_ = 0;  // the folder stamp recorded in the file (0: none)
  std::int64_t folder_ctime_ns_ = 0;
  std::size_t folder_stamp_offset_ = 0;  // where the file holds it
  bool saved_ = false;                   // this run replaced the file
  bool listed_folder_ = false;
  std::deque<std::string> unescaped_;  // names that were escaped in the file (a deque: stable)
  std::vector<std::string> names_;     // the folder's files, when it was read
  std::vector<Key> keys_;              // sorted by name
  std::vector<Revision> revisions_;    // revisions_[i] is keys_[i]'s header
};

}  // namespace retort::migrate
