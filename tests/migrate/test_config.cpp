// retort.toml: keys of [retort], [env.NAME] overrides, ${VAR} / ${VAR:-default}, the URL
// precedence (--url > RETORT_DATABASE_URL > config), and errors with file:line:column.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <unistd.h>

#include <retort/migrate/config.hpp>
#include <retort/migrate/errors.hpp>
#include "support/text.hpp"

namespace fs = std::filesystem;
using retort::migrate::Config;
using retort::migrate::ConfigError;

namespace {

/// A retort.toml in a fresh folder, removed afterwards.
class TempConfig {
 public:
  explicit TempConfig(const std::string& text) {
    static std::atomic<int> counter{0};
    const char* base = std::getenv("RETORT_TEST_TMPDIR");
    dir_ = fs::path(base ? base : fs::temp_directory_path().string()) /
           ("config-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "retort.toml") << text;
  }
  ~TempConfig() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path file() const { return dir_ / "retort.toml"; }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

/// Sets (or with nullopt unsets) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value)
      ::setenv(name_.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

std::string load_error(const std::string& text, const std::string& environment = {}) {
  TempConfig c(text);
  try {
    Config::load(c.file(), environment);
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("no ConfigError for\n" << text);
  return {};
}

using retort::testing::contains;

const char* kFull = R"([retort]
script_location = "db/migrations"
url = "sqlite:///app.db"
version_table = "alembic_version"
version_table_schema = "meta"
version_locations = ["db/a", "/abs/b"]
file_template = "{year}{month}{day}_{rev}_{slug}"
truncate_slug_length = 20
timezone = "UTC"
revision_format = "cpp"
transaction_per_migration = false
lock_timeout = 2.5
post_write_hooks = ["clang-format -i {file}"]

[env.production]
url = "postgresql://db.example/prod"
lock_timeout = 300

[env.staging]
version_table = "staging_version"
)";

}  // namespace

TEST_CASE("config: every [retort] key", "[migrate][sqlite]") {
  TempConfig c(kFull);
  auto config = Config::load(c.file());
  CHECK(config.config_file == fs::absolute(c.file()));
  CHECK(config.script_location == "db/migrations");
  CHECK(config.script_directory() == c.dir() / "db/migrations");
  CHECK(config.url == "sqlite:///app.db");
  CHECK(config.version_table == "alembic_version");
  CHECK(config.version_table_schema == std::optional<std::string>("meta"));
  CHECK(config.version_directories() == std::vector<fs::path>{c.dir() / "db/a", "/abs/b"});
  CHECK(config.file_template == "{year}{month}{day}_{rev}_{slug}");
  CHECK(config.truncate_slug_length == 20);
  CHECK(config.timezone == "UTC");
  CHECK(config.revision_format == "cpp");
  CHECK_FALSE(config.transaction_per_migration);
  CHECK(config.lock_timeout == Approx(2.5));
  CHECK(config.post_write_hooks == std::vector<std::string>{"clang-format -i {file}"});
  CHECK(config.environment.empty());
}

TEST_CASE("config: defaults", "[migrate][sqlite]") {
  TempConfig c("[retort]\n");
  auto config = Config::load(c.file());
  CHECK(config.script_location == "migrations");
  CHECK(config.version_table == "retort_version");
  CHECK_FALSE(config.version_table_schema);
  CHECK(config.version_directories() == std::vector<fs::path>{c.dir() / "migrations" / "versions"});
  CHECK(config.file_template == "{rev}_{slug}");
  CHECK(config.revision_format == "sql");
  CHECK(config.transaction_per_migration);
}

TEST_CASE("config: [env.NAME] overrides, picked by name", "[migrate][sqlite]") {
  TempConfig c(kFull);
  auto production = Config::load(c.file(), "production");
  CHECK(production.environment == "production");
  CHECK(production.url == "postgresql://db.example/prod");
  CHECK(production.lock_timeout == Approx(300));
  CHECK(production.version_table == "alembic_version");  // not overridden: from [retort]
  auto staging = Config::load(c.file(), "staging");
  CHECK(staging.version_table == "staging_version");
  CHECK(staging.url == "sqlite:///app.db");
  SECTION("an unknown environment lists the defined ones") {
    auto msg = load_error(kFull, "prod");
    CHECK(contains(msg, "[env.prod]"));
    CHECK(contains(msg, "production, staging"));
  }
}

TEST_CASE("config: ${VAR} and ${VAR:-default}", "[migrate][sqlite]") {
  ScopedEnv set("RETORT_TEST_CFG_SET", std::string("from_env"));
  ScopedEnv unset("RETORT_TEST_CFG_UNSET", std::nullopt);
  TempConfig c(
      "[retort]\n"
      "version_table = \"v_${RETORT_TEST_CFG_SET}\"\n"
      "script_location = \"${RETORT_TEST_CFG_UNSET:-fallback}/m\"\n"
      "timezone = \"${RETORT_TEST_CFG_SET:-ignored}\"\n"
      "url = \"${RETORT_TEST_CFG_UNSET}\"\n");
  auto config = Config::load(c.file());
  CHECK(config.version_table == "v_from_env");
  CHECK(config.script_location == "fallback/m");
  CHECK(config.timezone == "from_env");
  SECTION("the url is expanded only when used; an unset variable then names its location") {
    ScopedEnv no_url("RETORT_DATABASE_URL", std::nullopt);
    try {
      config.database_url();
      FAIL("no ConfigError");
    } catch (const ConfigError& e) {
      CHECK(contains(e.what(), "retort.toml:5:7"));
      CHECK(contains(e.what(), "RETORT_TEST_CFG_UNSET is not set"));
    }
  }
  SECTION("an unset variable in another key fails at load, with its location") {
    auto msg = load_error("[retort]\nversion_table = \"${RETORT_TEST_CFG_UNSET}\"\n");
    CHECK(contains(msg, "retort.toml:2:17"));
    CHECK(contains(msg, "RETORT_TEST_CFG_UNSET"));
  }
  CHECK(retort::migrate::interpolate_environment("a${RETORT_TEST_CFG_SET}b${RETORT_TEST_CFG_UNSET:-}c", "x") ==
        "afrom_envbc");
  CHECK_THROWS_AS(retort::migrate::interpolate_environment("${OPEN", "x"), ConfigError);
}

TEST_CASE("config: URL precedence --url > RETORT_DATABASE_URL > config", "[migrate][sqlite]") {
  TempConfig c("[retort]\nurl = \"sqlite:///from_config.db\"\n");
  auto config = Config::load(c.file());
  {
    ScopedEnv env("RETORT_DATABASE_URL", std::nullopt);
    CHECK(config.database_url() == "sqlite:///from_config.db");
    CHECK(config.database_url(std::string("sqlite:///from_flag.db")) == "sqlite:///from_flag.db");
  }
  {
    ScopedEnv env("RETORT_DATABASE_URL", std::string("sqlite:///from_env.db"));
    CHECK(config.database_url() == "sqlite:///from_env.db");
    CHECK(config.database_url(std::string("sqlite:///from_flag.db")) == "sqlite:///from_flag.db");
  }
  {
    ScopedEnv env("RETORT_DATABASE_URL", std::nullopt);
    TempConfig none("[retort]\n");
    auto no_url = Config::load(none.file());
    try {
      no_url.database_url();
      FAIL("no ConfigError");
    } catch (const ConfigError& e) {
      CHECK(contains(e.what(), "RETORT_DATABASE_URL"));
      CHECK(contains(e.what(), "--url"));
    }
  }
}

TEST_CASE("config: errors name file:line:column", "[migrate][sqlite]") {
  SECTION("broken TOML") {
    auto msg = load_error("[retort]\nscript_location = \"migrations\"\nurl = \"unterminated\n");
    CHECK(contains(msg, "retort.toml:3:"));
  }
  SECTION("an unknown key lists the known ones") {
    auto msg = load_error("[retort]\nscript_location = \"m\"\n  version_tabel = \"x\"\n");
    CHECK(contains(msg, "retort.toml:3:3: unknown key 'version_tabel', did you mean 'version_table'?"));
    CHECK(contains(msg, "version_table"));
  }
  SECTION("an unknown key in an environment") {
    auto msg = load_error("[retort]\n[env.ci]\nurll = \"x\"\n", "ci");
    CHECK(contains(msg, "retort.toml:3:1: unknown key 'urll', did you mean 'url'?"));
    // Nothing close: no guess.
    CHECK_FALSE(contains(load_error("[retort]\ncolour = \"x\"\n"), "did you mean"));
  }
  SECTION("a value of the wrong type") {
    CHECK(contains(load_error("[retort]\nlock_timeout = \"soon\"\n"), "retort.toml:2:16: 'lock_timeout'"));
    CHECK(contains(load_error("[retort]\ntransaction_per_migration = 1\n"), "retort.toml:2:29:"));
    CHECK(contains(load_error("[retort]\nversion_locations = [1]\n"), "retort.toml:2:22:"));
    CHECK(contains(load_error("[retort]\nrevision_format = \"yaml\"\n"), "retort.toml:2:19:"));
    CHECK(contains(load_error("[retort]\ntruncate_slug_length = 0\n"), "retort.toml:2:"));
  }
  SECTION("an unknown table, no [retort] table, no file") {
    CHECK(contains(load_error("[retort]\n[alembic]\nx = 1\n"), "unknown table 'alembic'"));
    CHECK(contains(load_error("[env.x]\n"), "no [retort] table"));
    CHECK_THROWS_AS(Config::load("/nonexistent/retort.toml"), ConfigError);
  }
}
