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
      "file_template = \"${RETORT_TEST_CFG_SET:-ignored}\"\n"
      "url = \"${RETORT_TEST_CFG_UNSET}\"\n");
  auto config = Config::load(c.file());
  CHECK(config.version_table == "v_from_env");
  CHECK(config.script_location == "fallback/m");
  CHECK(config.file_template == "from_env");
  SECTION("the url is expanded only when used; an unset variable then names its location") {
    ScopedEnv no_url("RETORT_DATABASE_URL", std::nullopt);
    try {
      config.database_url();
      FAIL("no ConfigError");
    } catch (const ConfigError& e) {
      CHECK(contains(e.what(), "retort.toml:5:7: 'url'"));
      CHECK(contains(e.what(), "RETORT_TEST_CFG_UNSET is not set"));
    }
  }
  SECTION("an unset variable in another key fails at load, with its location") {
    auto msg = load_error("[retort]\nversion_table = \"${RETORT_TEST_CFG_UNSET}\"\n");
    CHECK(contains(msg, "retort.toml:2:17: 'version_table'"));
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

TEST_CASE("config: version_locations is a list, or one string", "[migrate][sqlite]") {
  TempConfig list("[retort]\nversion_locations = [\"a\", \"b c\"]\n[env.one]\nversion_locations = \"d\"\n");
  CHECK(Config::load(list.file()).version_directories() == std::vector<fs::path>{list.dir() / "a", list.dir() / "b c"});
  // One string is one folder (not split on blanks, as Alembic's ini would).
  CHECK(Config::load(list.file(), "one").version_directories() == std::vector<fs::path>{list.dir() / "d"});
  TempConfig none("[retort]\nversion_locations = []\n");
  CHECK(Config::load(none.file()).version_directories() ==
        std::vector<fs::path>{none.dir() / "migrations" / "versions"});
  auto msg = load_error("[retort]\nversion_locations = [\"a\", \"\"]\n");
  CHECK(contains(msg, "retort.toml:2:27: 'version_locations' must not hold an empty string"));
  CHECK(contains(load_error("[retort]\nversion_locations = 3\n"),
                 "retort.toml:2:21: 'version_locations' must be a list"));
}

TEST_CASE("config: numbers are range-checked, naming the key, the range and the line", "[migrate][sqlite]") {
  auto slug = [](const std::string& value) { return load_error("[retort]\ntruncate_slug_length = " + value + "\n"); };
  const std::string slug_range = "retort.toml:2:24: 'truncate_slug_length' must be a whole number from 1 to 255";
  CHECK(contains(slug("0"), slug_range + " (got 0)"));
  CHECK(contains(slug("256"), slug_range + " (got 256)"));
  CHECK(contains(slug("99999999999"), slug_range + " (got 99999999999)"));  // once cast to int unchecked
  CHECK(contains(slug("2.5"), slug_range + ", not a floating-point number"));
  CHECK(contains(slug("\"40\""), slug_range + ", not a string"));

  auto lock = [](const std::string& value) { return load_error("[retort]\nlock_timeout = " + value + "\n"); };
  const std::string lock_range = "retort.toml:2:16: 'lock_timeout' must be a number of seconds from 0 to 86400";
  CHECK(contains(lock("-1"), lock_range + " (got -1)"));
  CHECK(contains(lock("nan"), lock_range + " (got nan)"));
  CHECK(contains(lock("inf"), lock_range));
  CHECK(contains(lock("1e300"), lock_range));
  CHECK(contains(lock("\"soon\""), lock_range + ", not a string"));

  TempConfig edges("[retort]\ntruncate_slug_length = 255\nlock_timeout = 0\n[env.slow]\nlock_timeout = 86400.0\n");
  CHECK(Config::load(edges.file()).truncate_slug_length == 255);
  CHECK(Config::load(edges.file()).lock_timeout == 0);
  CHECK(Config::load(edges.file(), "slow").lock_timeout == Approx(86400));
  SECTION("in an environment too") {
    CHECK(contains(load_error("[retort]\n[env.ci]\ntruncate_slug_length = -3\n", "ci"),
                   "retort.toml:3:24: 'truncate_slug_length' must be a whole number from 1 to 255 (got -3)"));
  }
}

TEST_CASE("config: names that may not be empty, and the timezone", "[migrate][sqlite]") {
  CHECK(
      contains(load_error("[retort]\nversion_table = \"\"\n"), "retort.toml:2:17: 'version_table' must not be empty"));
  CHECK(contains(load_error("[retort]\nscript_location = \"\"\n"),
                 "retort.toml:2:19: 'script_location' must not be empty"));
  CHECK(
      contains(load_error("[retort]\nfile_template = \"\"\n"), "retort.toml:2:17: 'file_template' must not be empty"));
  {  // Also when it is a variable that expands to nothing.
    ScopedEnv unset("RETORT_TEST_CFG_UNSET", std::nullopt);
    CHECK(contains(load_error("[retort]\nversion_table = \"${RETORT_TEST_CFG_UNSET:-}\"\n"),
                   "retort.toml:2:17: 'version_table' must not be empty"));
  }
  // An empty schema or timezone is a choice: the default schema, local time.
  TempConfig choices("[retort]\nversion_table_schema = \"\"\ntimezone = \"\"\n");
  CHECK_FALSE(Config::load(choices.file()).version_table_schema);
  CHECK(
      contains(load_error("[retort]\ntimezone = \"Europe/Paris\"\n"), "retort.toml:2:12: 'timezone' must be \"UTC\""));
  CHECK(contains(load_error("[retort]\ntimezone = \"+25:00\"\n"), "retort.toml:2:12: 'timezone'"));
  TempConfig offset("[retort]\ntimezone = \"-05:30\"\n");
  CHECK(Config::load(offset.file()).timezone == "-05:30");
}

TEST_CASE("config: an environment must be a table", "[migrate][sqlite]") {
  const std::string not_table = "retort.toml:3:8: environment 'env.prod' must be a table (write [env.prod]";
  // Said whether or not -n picks it (not "no environment [env.prod] (defined: prod)").
  CHECK(contains(load_error("[retort]\n[env]\nprod = 5\n", "prod"), not_table));
  CHECK(contains(load_error("[retort]\n[env]\nprod = 5\n"), not_table + " and its keys below it), not an integer"));
  CHECK(contains(load_error("[retort]\n[[env.prod]]\nurl = \"sqlite://\"\n", "prod"), "'env.prod' must be a table"));
  CHECK(contains(load_error("[retort]\n[env]\nprod = \"sqlite://\"\n"), "not a string"));
  CHECK(contains(load_error("env = 3\n[retort]\n"), "retort.toml:1:7: 'env' must be a table of environments"));
  CHECK(contains(load_error("retort = 1\n"), "retort.toml:1:10: 'retort' must be a table"));
  SECTION("an unknown key is found in every environment, not only the one picked") {
    CHECK(contains(load_error("[retort]\n[env.a]\nurl = \"sqlite://\"\n[env.b]\nurll = \"x\"\n", "a"),
                   "retort.toml:5:1: unknown key 'urll', did you mean 'url'?"));
  }
}

TEST_CASE("config: a missing, unreadable or folder retort.toml names the file", "[migrate][sqlite]") {
  TempConfig c("[retort]\n");
  fs::create_directory(c.dir() / "folder.toml");
  try {
    Config::load(c.dir() / "folder.toml");
    FAIL("a folder was read as a configuration file");
  } catch (const ConfigError& e) {
    CHECK(contains(e.what(), "folder.toml: is a folder"));
  }
  try {
    Config::load(c.dir() / "none.toml");
    FAIL("no ConfigError");
  } catch (const ConfigError& e) {
    CHECK(contains(e.what(), "none.toml: no such file"));
  }
  if (::geteuid() != 0) {  // root reads any file
    fs::permissions(c.file(), fs::perms::none);
    try {
      Config::load(c.file());
      FAIL("an unreadable file was read");
    } catch (const ConfigError& e) {
      CHECK(contains(e.what(), "retort.toml: cannot read it"));
    }
    fs::permissions(c.file(), fs::perms::owner_all);
  }
  // Configuration errors are usage errors: the CLI exits with 2 for them.
  CHECK_THROWS_AS(Config::load(c.dir() / "none.toml"), retort::migrate::UsageError);
}

TEST_CASE("config: a non-ASCII character outside a string is refused before toml++ reads it", "[migrate][sqlite]") {
  // fuzz/fuzz_config: Debian's toml++ 3.3.0 reaches __builtin_unreachable on such input.
  CHECK(contains(load_error("[retort]\n\xc3\xa9 = 1\n"), "retort.toml:2:1: a non-ASCII character outside a string"));
  CHECK(contains(load_error("[retort]\nurl = \"sqlite://\" \xc3\xa9\n"), "retort.toml:2:19: a non-ASCII"));
  // A multi-line string ends at the last three quotes of a run of up to five (TOML): what follows
  // the run is outside it (found by fuzz/fuzz_config).
  CHECK(contains(load_error("a = \"\"\"x\"\"\"\"\" \xef\xbb\xa6\n"), "retort.toml:1:15: a non-ASCII"));
  CHECK(contains(load_error("a = '''x''''' \xef\xbb\xa6\n"), "retort.toml:1:15: a non-ASCII"));
  // A quote right after a bare token does not open a string for toml++: the character after it is
  // outside any string (found by fuzz/fuzz_config).
  CHECK(contains(load_error("[retort]\ntruncate_slug_length = 99\"\xce\x95\\b99\n"), "retort.toml:2:27: a non-ASCII"));
  CHECK(contains(load_error("[retort]\nmessage = x'\xc3\xa9'\n"), "retort.toml:2:13: a non-ASCII"));
  // After `=`, toml++ reads a bare value up to a blank, `,`, `]`, `}` or `#`: the quotes and the
  // bracket in it open nothing (found by fuzz/fuzz_config).
  CHECK(
      contains(load_error("[rtort]\nversios0=0r2ers\"\"\"[\"\xef\xba\xbfiversibe\""), "retort.toml:2:21: a non-ASCII"));
  // Nor after a backslash (and spaces) in a basic string: no TOML escape starts so.
  CHECK(contains(load_error("a = \"\"\"# \\\xef\xb3\xbf[rrs"), "retort.toml:1:10: an invalid escape"));
  CHECK(contains(load_error("a = \"x\\  \xc2\xa5\"\n"), "retort.toml:1:7: an invalid escape"));
  // A line-ending backslash trims line breaks too, up to the next character (found by
  // fuzz/fuzz_config).
  CHECK(contains(load_error("\"\"\"[retorct\\\n\n\n\xef\xba\xbf\n"), "retort.toml:1:12: a line-ending backslash"));
  // In strings (all four kinds) and comments it is ordinary text.
  TempConfig c(
      "# caf\xc3\xa9\n[retort]\nscript_location = 'migr\xc3\xa9'\nurl = \"sqlite:///caf\xc3\xa9 \\\" x.db\"\n"
      "file_template = \"\"\"{rev}_\xc3\xa9\"\"\"\ntimezone = '''UTC'''  # \xc3\xa9\n"
      "version_table = \"\"\"v_\xc3\xa9\"\"\"\"\"\n");
  auto config = Config::load(c.file());
  // Strings as keys and values of inline tables and arrays, after a bare value too.
  TempConfig inline_tables(
      "[retort]\nscript_location = 'm'\n[env.x]\nurl = 'sqlite:///x.db'\n[autogenerate]\n"
      "include = [\"caf\xc3\xa9\", 'b\xc3\xa9']\nexclude = [\"x\"]\n");
  CHECK(Config::load(inline_tables.file()).autogenerate.include ==
        std::vector<std::string>{"caf\xc3\xa9", "b\xc3\xa9"});
  // toml++ reads the whole inline table (the error is retort's, about the key):
  CHECK(contains(load_error("[retort]\nx = {a=\"\xc3\xa9\", b = 1, \"\xc3\xa9\" = 2, c.d='\xc3\xbc'}\n"),
                 "retort.toml:2:1: unknown key 'x'"));
  CHECK(config.file_template == "{rev}_\xc3\xa9");
  CHECK(config.url == "sqlite:///caf\xc3\xa9 \" x.db");
  CHECK(config.version_table == "v_\xc3\xa9\"\"");
}
