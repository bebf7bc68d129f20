// The revision header cache: used when files are unchanged, never stale after an edit.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <retort/migrate/script/header_cache.hpp>
#include <retort/migrate/script/script_directory.hpp>

#include "support/temp_database.hpp"

namespace fs = std::filesystem;
using namespace retort::migrate;

namespace {
void write_revision(const fs::path& file, const std::string& id, const std::string& down, const std::string& message) {
  std::ofstream(file) << "-- retort:revision " << id << "\n-- retort:down_revision " << down
                      << "\n-- retort:message " << message << "\n\n-- retort:upgrade\nSELECT 1;\n";
}
}  // namespace

TEST_CASE("header cache: reused when unchanged, refreshed after an edit", "[migrate][sqlite]") {
  retort::testing::TempDatabase db;  // only for a private temporary folder next to it
  fs::path dir = db.path().string() + "-project";
  fs::remove_all(dir);
  fs::create_directories(dir / "migrations" / "versions");
  std::ofstream(dir / "retort.toml") << "[retort]\nscript_location = \"migrations\"\n";
  auto versions = dir / "migrations" / "versions";
  write_revision(versions / "a.sql", "aaaa", "", "first");
  write_revision(versions / "b.sql", "bbbb", "aaaa", "second");
  auto config = Config::load(dir / "retort.toml");

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
    std::string magic, first, second;
    std::getline(in, magic);
    std::getline(in, first);
    std::getline(in, second);
    REQUIRE(first.rfind("a.sql\t", 0) == 0);
    REQUIRE(second.rfind("c.sql\t", 0) == 0);
    std::ofstream(versions / HeaderCache::kFileName) << magic << "\n" << second << "\n" << first << "\n";
    ScriptDirectory scripts(config);
    CHECK(scripts.map().heads() == std::vector<std::string>{"cccc"});
    CHECK(scripts.map().get("aaaa").message == "first");
    std::ifstream rewritten(versions / HeaderCache::kFileName);
    std::string line;
    std::getline(rewritten, line);
    std::getline(rewritten, line);
    CHECK(line.rfind("a.sql\t", 0) == 0);  // written back in order
  }
  // A damaged cache is rebuilt, not trusted.
  std::ofstream(versions / HeaderCache::kFileName) << "retort-headers 1\nc.sql\tgarbage\n";
  {
    ScriptDirectory scripts(config);
    CHECK(scripts.map().get("cccc").message == "branch");
  }
  fs::remove_all(dir);
}
