// A fresh SQLite file per test, deleted afterwards: TempDatabase db; create_engine(db.url()).
#pragma once

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace retort::testing {

class TempDatabase {
 public:
  TempDatabase() {
    static std::atomic<int> counter{0};
    const char* base = std::getenv("RETORT_TEST_TMPDIR");
    std::filesystem::path dir = base ? base : std::filesystem::temp_directory_path() / "retort-tests";
    std::filesystem::create_directories(dir);
    path_ = dir / ("test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db");
    remove_files();
  }
  ~TempDatabase() { remove_files(); }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// sqlite:////absolute/path.db plus any extra query string ("?foreign_keys=false").
  std::string url(const std::string& query = "") const { return "sqlite:///" + path_.string() + query; }

 private:
  void remove_files() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_.string() + suffix, ec);
  }
  std::filesystem::path path_;
};

}  // namespace retort::testing
