// The revision header cache: used when files are unchanged, never stale after an edit, nor after
// a file is replaced by one of the same size and modification time (`cp -p`, `tar x`).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <retort/migrate/errors.hpp>

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

long long file_mtime(const fs::path& file) {
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

/// What one load through the cache gives, as a listing command sees it.
struct Loaded {
  std::vector<Revision> revisions;
  bool listed_folder = false;  // false: the file list recorded in the cache was used

  const Revision& get(const std::string& id) const {
    for (const auto& r : revisions)
      if (r.id == id) return r;
    FAIL("no revision " << id);
    return revisions.front();
  }
};

Loaded load(const fs::path& versions) {
  int fd = ::open(versions.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  HeaderCache cache(versions);
  Loaded loaded;
  try {
    loaded.revisions = cache.revisions(fd);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  loaded.listed_folder = cache.listed_folder();
  return loaded;
}

/// The cache's line for `file_name`, split at tabs (empty when it has none).
std::vector<std::string> cache_entry(const fs::path& versions, const std::string& file_name) {
  std::ifstream in(versions / HeaderCache::kFileName);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(file_name + "\t", 0) != 0) continue;
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (auto tab = line.find('\t'); tab != std::string::npos; start = tab + 1, tab = line.find('\t', start))
      fields.push_back(line.substr(start, tab - start));
    fields.push_back(line.substr(start));
    return fields;
  }
  return {};
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

  // The list now comes from the cache: the folder is not read.
  CHECK_FALSE(load(versions).listed_folder);
  // A file added with the folder's mtime put back, as `tar x` and `rsync -a` do, is seen all the
  // same: that changes the folder's ctime, which nothing can put back.
  write_revision(versions / "c.sql", "cccc", "bbbb", "third");
  set_folder_time(versions, aged);
  CHECK(heads() == std::vector<std::string>{"cccc"});
  CHECK(recorded_folder_time(versions) == 0);  // rewritten, with no folder time yet

  // An edit in place leaves the folder time alone; the file's own stamp shows it.
  age_folder(versions, 10);
  CHECK(heads() == std::vector<std::string>{"cccc"});
  REQUIRE(recorded_folder_time(versions) == folder_time(versions));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_revision(versions / "b.sql", "bbbb", "aaaa", "SECOND");
  REQUIRE(recorded_folder_time(versions) == folder_time(versions));
  auto loaded = load(versions);
  CHECK_FALSE(loaded.listed_folder);
  CHECK(loaded.get("bbbb").message == "SECOND");
  // A removed file changes the folder time too.
  fs::remove(versions / "c.sql");
  CHECK(heads() == std::vector<std::string>{"bbbb"});
}

TEST_CASE("header cache: a file replaced keeping its size and modification time is read again", "[migrate][sqlite]") {
  Project project;
  const auto& versions = project.versions;
  // `cp -p` of a file with other content of the same size: the size and mtime stay the same.
  auto copy_keeping_times = [&](const fs::path& file, const std::string& id, const std::string& down,
                                const std::string& message) {
    fs::path side = project.dir / "replacement";
    write_revision(side, id, down, message);
    REQUIRE(fs::file_size(side) == fs::file_size(file));
    const long long mtime = file_mtime(file);
    timespec times[2] = {{0, UTIME_OMIT},
                         {static_cast<time_t>(mtime / 1000000000), static_cast<long>(mtime % 1000000000)}};
    REQUIRE(::utimensat(AT_FDCWD, side.c_str(), times, 0) == 0);
    REQUIRE(std::system(("cp -p '" + side.string() + "' '" + file.string() + "'").c_str()) == 0);
    REQUIRE(file_mtime(file) == mtime);
  };
  CHECK(load(versions).get("bbbb").message == "second");  // now cached

  SECTION("just after the file was read: its entry is racy, and read again") {
    REQUIRE(cache_entry(versions, "b.sql").at(1) == "-1");
    copy_keeping_times(versions / "b.sql", "bbbb", "aaaa", "SECOND");
    CHECK(load(versions).get("bbbb").message == "SECOND");
  }
  SECTION("long after: the ctime or inode tells, also while the folder's list is reused") {
    // Past the margin within which a change could share the recorded ctime.
    std::this_thread::sleep_for(std::chrono::milliseconds(3200));
    CHECK(load(versions).get("bbbb").message == "second");
    REQUIRE(cache_entry(versions, "b.sql").at(1) != "-1");  // trusted now
    age_folder(versions, 10);
    CHECK(load(versions).listed_folder);  // records the folder's times
    REQUIRE_FALSE(load(versions).listed_folder);

    // Copied over in place: the same inode and mtime, a new ctime.
    copy_keeping_times(versions / "b.sql", "bbbb", "aaaa", "SECOND");
    auto loaded = load(versions);
    CHECK_FALSE(loaded.listed_folder);
    CHECK(loaded.get("bbbb").message == "SECOND");
    // Replaced by a rename, as `tar x` does: a new inode (and a folder changed).
    fs::path extracted = versions / ".a.sql.part";
    write_revision(extracted, "aaaa", "", "FIRST");
    REQUIRE(fs::file_size(extracted) == fs::file_size(versions / "a.sql"));
    const long long mtime = file_mtime(versions / "a.sql");
    timespec times[2] = {{0, UTIME_OMIT},
                         {static_cast<time_t>(mtime / 1000000000), static_cast<long>(mtime % 1000000000)}};
    REQUIRE(::utimensat(AT_FDCWD, extracted.c_str(), times, 0) == 0);
    fs::rename(extracted, versions / "a.sql");
    CHECK(load(versions).get("aaaa").message == "FIRST");
  }
}

TEST_CASE("header cache: a symbolic link to a missing revision file is an error naming it", "[migrate][sqlite]") {
  Project project;
  const auto& versions = project.versions;
  CHECK(load(versions).revisions.size() == 2);
  fs::create_symlink("nowhere.sql", versions / "c.sql");
  CHECK_THROWS_WITH(load(versions), Catch::Contains((versions / "c.sql").string() +
                                                    ": a symbolic link to nowhere.sql, which does not exist"));
  // Also when the folder's list comes from the cache: the link's target went away later.
  write_revision(project.dir / "c-target.sql", "cccc", "bbbb", "third");
  fs::remove(versions / "c.sql");
  fs::create_symlink(project.dir / "c-target.sql", versions / "c.sql");
  CHECK(load(versions).get("cccc").message == "third");  // a link to a file is read through
  age_folder(versions, 10);
  load(versions);
  REQUIRE_FALSE(load(versions).listed_folder);
  fs::remove(project.dir / "c-target.sql");
  CHECK_THROWS_AS(load(versions), ScriptError);
}
