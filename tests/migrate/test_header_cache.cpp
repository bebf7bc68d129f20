// The revision header cache: used when files are unchanged, never stale after an edit.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>

#include <retort/migrate/script/header_cache.hpp>
#include <retort/migrate/script/script_directory.hpp>

#include "support/temp_database.hpp"

namespace fs = std::filesystem;
using namespace retort::migrate;

namespace {

/// The folder time the cache holds (its second line), 0 for none.
long long recorded_folder_time(const fs::path& versions) {
  std::ifstream in(versions / HeaderCache::kFileName);
  std::string magic, folder;
  std::getline(in, magic);
  std::getline(in, folder);
  REQUIRE(folder.rfind("folder ", 0) == 0);
  return std::stoll(folder.substr(7));
}

long long folder_time(const fs::path& dir) {
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

void set_folder_time(const fs::path& dir, long long ns) {
  timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)}};
  REQUIRE(::utimensat(AT_FDCWD, dir.c_str(), times, 0) == 0);
}

/// Sets the folder's modification time `seconds_ago` into the past, as if that long had passed.
void age_folder(const fs::path& dir, int seconds_ago) {
  fs::last_write_time(dir, fs::file_time_type::clock::now() - std::chrono::seconds(seconds_ago));
}

void write_revision(const fs::path& file, const std::string& id, const std::string& down, const std::string& message) {
  std::ofstream(file) << "-- retort:revision " << id << "\n-- retort:down_revision " << down << "\n-- retort:message "
                      << message << "\n\n-- retort:upgrade\nSELECT 1;\n";
}
/// A project in a private temporary folder with two revisions, a.sql (aaaa) and b.sql (bbbb).
struct Project {
  retort::testing::TempDatabase db;  // only for a private temporary folder next to it
  fs::path dir = db.path().string() + "-project";
  fs::path versions = dir / "migrations" / "versions";
  Config config;

  Project() {
    fs::remove_all(dir);
    fs::create_directories(versions);
    std::ofstream(dir / "retort.toml") << "[retort]\nscript_location = \"migrations\"\n";
    write_revision(versions / "a.sql", "aaaa", "", "first");
    write_revision(versions / "b.sql", "bbbb", "aaaa", "second");
    config = Config::load(dir / "retort.toml");
  }
  ~Project() { fs::remove_all(dir); }
};
}  // namespace

TEST_CASE("header cache: reused when unchanged, refreshed after an edit", "[migrate][sqlite]") {
  Project project;
  const auto& versions = project.versions;
  const auto& config = project.config;

  {
    ScriptDirectory scripts(config);
    CHECK(scripts.map().heads() == std::vector<std::string>{"bbbb"});
  }
  REQUIRE(fs::exists(versions / HeaderCache::kFileName));
  {
    ScriptDirectory scripts(config);  // from the cache
    CHECK(scripts.map().get("bbbb").message == "second");
    CHECK(scripts.map().get("bbbb").path == (versions / "b.sql").string());
  }
  // Same size, new content: the modification time tells.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_revision(versions / "b.sql", "bbbb", "aaaa", "SECOND");
  {
    ScriptDirectory scripts(config);
    CHECK(scripts.map().get("bbbb").message == "SECOND");
  }
  // A new branch from the base, and a deleted file.
  write_revision(versions / "c.sql", "cccc", "aaaa", "branch");
  fs::remove(versions / "b.sql");
  {
    ScriptDirectory scripts(config);
    CHECK(scripts.map().heads() == std::vector<std::string>{"cccc"});
    CHECK_FALSE(scripts.map().contains("bbbb"));
  }
  // A cache whose entries are out of name order is rebuilt too (the lookup walks names in order).
  {
    std::ifstream in(versions / HeaderCache::kFileName);
    std::string magic, folder, first, second;
    std::getline(in, magic);
    std::getline(in, folder);
    std::getline(in, first);
    std::getline(in, second);
    REQUIRE(first.rfind("a.sql\t", 0) == 0);
    REQUIRE(second.rfind("c.sql\t", 0) == 0);
    std::ofstream(versions / HeaderCache::kFileName) << magic << "\n"
                                                     << folder << "\n"
                                                     << second << "\n"
                                                     << first << "\n";
    ScriptDirectory scripts(config);
    CHECK(scripts.map().heads() == std::vector<std::string>{"cccc"});
    CHECK(scripts.map().get("aaaa").message == "first");
    std::ifstream rewritten(versions / HeaderCache::kFileName);
    std::string line;
    std::getline(rewritten, line);
    std::getline(rewritten, line);
    std::getline(rewritten, line);
    CHECK(line.rfind("a.sql\t", 0) == 0);  // written back in order
  }
  // A damaged cache is rebuilt, not trusted.
  std::ofstream(versions / HeaderCache::kFileName) << "retort-headers 2\nfolder 00000000000000000000\nc.sql\tgarbage\n";
  {
    ScriptDirectory scripts(config);
    CHECK(scripts.map().get("cccc").message == "branch");
  }
}

TEST_CASE("header cache: the folder's file list is reused while no file is added or removed", "[migrate][sqlite]") {
  Project project;
  const auto& versions = project.versions;
  const auto& config = project.config;
  auto heads = [&] { return ScriptDirectory(config).map().heads(); };

  CHECK(heads() == std::vector<std::string>{"bbbb"});  // writes the cache: the folder time is ours
  CHECK(recorded_folder_time(versions) == 0);
  // A folder time younger than the margin is not recorded: a change in the same tick could hide.
  CHECK(heads() == std::vector<std::string>{"bbbb"});
  CHECK(recorded_folder_time(versions) == 0);
  // Once it is old enough, the next run records it (in place: the folder time stays).
  age_folder(versions, 10);
  long long aged = folder_time(versions);
  CHECK(heads() == std::vector<std::string>{"bbbb"});
  CHECK(recorded_folder_time(versions) == aged);
  CHECK(folder_time(versions) == aged);

  // The list now comes from the cache. Proof: a file added with the folder time put back (what a
  // change within one clock tick would look like) goes unseen...
  write_revision(versions / "c.sql", "cccc", "bbbb", "third");
  set_folder_time(versions, aged);
  CHECK(heads() == std::vector<std::string>{"bbbb"});
  // ... while a file added as usual changes the folder time, and is seen.
  fs::remove(versions / "c.sql");
  write_revision(versions / "c.sql", "cccc", "bbbb", "third");
  CHECK(heads() == std::vector<std::string>{"cccc"});
  CHECK(recorded_folder_time(versions) == 0);  // rewritten, with no folder time yet

  // An edit in place leaves the folder time alone; the file's own stamp shows it.
  age_folder(versions, 10);
  CHECK(heads() == std::vector<std::string>{"cccc"});
  REQUIRE(recorded_folder_time(versions) == folder_time(versions));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_revision(versions / "b.sql", "bbbb", "aaaa", "SECOND");
  REQUIRE(recorded_folder_time(versions) == folder_time(versions));
  CHECK(ScriptDirectory(config).map().get("bbbb").message == "SECOND");
  // A removed file changes the folder time too.
  fs::remove(versions / "c.sql");
  CHECK(heads() == std::vector<std::string>{"bbbb"});
}
