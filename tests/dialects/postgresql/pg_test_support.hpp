// PostgreSQL test fixtures. The server comes from tests/servers/start.sh, which exports
// RETORT_TEST_POSTGRESQL_URL. Without it a test is skipped with a warning, or fails under CI=true.
// Each test works in a schema of its own (PgSchema), dropped at the end, so tests run in parallel.
#pragma once

#include <atomic>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include <unistd.h>

#include <catch2/catch.hpp>

#include <retort/retort.hpp>

namespace retort::testing {

/// The test server's URL; nullopt (after WARN, or FAIL under CI=true) when none is configured.
inline std::optional<std::string> postgresql_url() {
  const char* url = std::getenv("RETORT_TEST_POSTGRESQL_URL");
  if (url && *url) return std::string(url);
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true")
    FAIL(
        "RETORT_TEST_POSTGRESQL_URL is not set: under CI the PostgreSQL tests must run "
        "(start the server with tests/servers/start.sh)");
  WARN(
      "skipped: RETORT_TEST_POSTGRESQL_URL is not set (eval \"$(tests/servers/start.sh)\" to run "
      "the PostgreSQL tests)");
  return std::nullopt;
}

/// A fresh schema, dropped with everything in it at the end. `engine` has the schema first on
/// its search_path, so unqualified tables (and enum types) land in it.
class PgSchema {
 public:
  explicit PgSchema(const std::string& url, core::EngineOptions options = {})
      : name_(unique_name()), admin_(core::create_engine(url)) {
    if (std::getenv("RETORT_TEST_ECHO")) options.echo = true;  // print every statement
    admin_.connect().execute(core::text("CREATE SCHEMA " + name_));
    auto pinned = core::URL::parse(url).with_query("options", "-csearch_path=" + name_ + ",public");
    engine_.emplace(core::create_engine(pinned, options));
  }
  ~PgSchema() {
    try {
      engine_->dispose();
      admin_.connect().execute(core::text("DROP SCHEMA IF EXISTS " + name_ + " CASCADE"));
      admin_.dispose();
    } catch (...) {
    }
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  const std::string& name() const { return name_; }
  const core::Engine& engine() const { return *engine_; }
  /// An engine without the search_path setting (sees only public).
  const core::Engine& admin() const { return admin_; }

 private:
  static std::string unique_name() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    return "rt_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
  }
  std::string name_;
  core::Engine admin_;
  std::optional<core::Engine> engine_;
};

}  // namespace retort::testing

/// Declares `url` (std::string) or leaves the test when no server is configured.
#define RETORT_POSTGRESQL_URL_OR_SKIP(url)                   \
  auto url##_optional = ::retort::testing::postgresql_url(); \
  if (!url##_optional) return;                               \
  const std::string url = *url##_optional
