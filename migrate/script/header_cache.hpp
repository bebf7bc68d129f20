// A cache of parsed revision headers per version folder (.retort-headers), keyed by each file's
// name, size and modification time (nanoseconds). Listing 1,000 revisions then costs one stat per
// file instead of an open and a read. A missing, stale or unreadable cache is simply rebuilt;
// failing to write it (a read-only checkout) is not an error.
//
// Kept as two sorted parallel vectors, not a map: a listing command's time is mostly page faults
// on fresh memory (about 12 us each on our CI machines), so when every file is unchanged the
// cached revisions are handed over as they are, without a copy.
#pragma once

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
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };

  /// Loads `directory`'s cache (empty when absent, damaged or of another format).
  explicit HeaderCache(std::filesystem::path directory);
  ~HeaderCache();
  HeaderCache(const HeaderCache&) = delete;
  HeaderCache& operator=(const HeaderCache&) = delete;

  /// The revisions of the files `names` (sorted, as found in the folder; `directory_fd` is the
  /// folder, open): cached headers whose stamp still matches, the others read from their file.
  /// Files that vanished or are not regular files are skipped. Writes the cache back when it
  /// changed. The cache is spent afterwards.
  std::vector<Revision> revisions(int directory_fd, std::vector<std::string> names);

 private:
  struct Key {
    std::string_view name;  // into the mapped cache file, names_ or unescaped_
    Stamp stamp;
  };
  void parse(std::string_view text);
  void save() const;

  std::filesystem::path directory_;
  const char* mapped_ = nullptr;     // the cache file, mapped while the cache lives
  std::size_t mapped_size_ = 0;
  std::deque<std::string> unescaped_;  // names that were escaped in the file (a deque: stable)
  std::vector<std::string> names_;     // the folder's files, once revisions() is given them
  std::vector<Key> keys_;            // sorted by name
  std::vector<Revision> revisions_;  // revisions_[i] is keys_[i]'s header
};

}  // namespace retort::migrate
