// A cache of parsed revision headers per version folder (.retort-headers), keyed by each
// file's name, size and modification time (nanoseconds). Listing 1,000 revisions then costs one
// stat per file instead of an open and a read. A missing, stale or unreadable cache is simply
// rebuilt; failing to write it (a read-only checkout) is not an error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

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

  /// Loads `directory`'s cache (empty when absent or of another format).
  explicit HeaderCache(std::filesystem::path directory);
  /// The cached header of `name` if its stamp still matches.
  const Revision* find(const std::string& name, const Stamp& stamp) const;
  /// Records a freshly parsed header.
  void put(const std::string& name, const Stamp& stamp, const Revision& revision);
  /// Writes the cache back when it changed, keeping only the names in `present`.
  void save(const std::map<std::string, bool>& present);

 private:
  struct Entry {
    Stamp stamp;
    Revision revision;
  };
  std::filesystem::path directory_;
  std::map<std::string, Entry> entries_;
  bool dirty_ = false;
};

}  // namespace retort::migrate
