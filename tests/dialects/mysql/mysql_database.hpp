// A throwaway MySQL/MariaDB database per test: created on the server named by
// RETORT_TEST_MYSQL_URL and dropped afterwards, so that tests can run in parallel.
//
//   auto db = retort::testing::MySQLDatabase::open();
//   if (!db) return;                      // no server: skipped (a failure under CI=true)
//   auto engine = retort::create_engine(db->url());
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

class MySQLDatabase {
 public:
  /// The server's URL, or nothing (with a warning; a failure when CI=true) when none is set.
  static std::optional<std::string> server_url() {
    const char* url = std::getenv("RETORT_TEST_MYSQL_URL");
    if (url && *url) return std::string(url);
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
      FAIL(
          "RETORT_TEST_MYSQL_URL is not set, and under CI=true a missing MySQL server is a "
          "failure (start one with: eval \"$(tests/servers/start.sh)\")");
    WARN("RETORT_TEST_MYSQL_URL is not set: MySQL test skipped (eval \"$(tests/servers/start.sh)\")");
    return std::nullopt;
  }

  /// A fresh database on the test server, or nothing when there is no server.
  static std::optional<MySQLDatabase> open() {
    auto url = server_url();
    if (!url) return std::nullopt;
    return MySQLDatabase(*url);
  }

  MySQLDatabase(MySQLDatabase&& other) noexcept
      : admin_(std::move(other.admin_)), url_(std::move(other.url_)), name_(std::move(other.name_)) {
    other.name_.clear();
  }
  MySQLDatabase& operator=(MySQLDatabase&&) = delete;
  ~MySQLDatabase() {
    if (name_.empty()) return;
    try {
      admin_.connect().exec_driver_sql("DROP DATABASE IF EXISTS `" + name_ + "`");
      admin_.dispose();
    } catch (...) {
    }
  }

  /// The URL of this database (the server's URL with the database replaced), plus `query`.
  std::string url(const std::string& query = "") const { return url_ + query; }
  const std::string& name() const { return name_; }

 private:
  explicit MySQLDatabase(const std::string& server) : admin_(retort::create_engine(server)) {
    static std::atomic<int> counter{0};
    std::random_device rd;
    name_ = "retort_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(rd() % 1000000);
    admin_.connect().exec_driver_sql("CREATE DATABASE `" + name_ + "` CHARACTER SET utf8mb4");
    url_ = retort::URL::parse(server).with_database(name_).render_with_password();
  }

  retort::Engine admin_;
  std::string url_;
  std::string name_;
};

}  // namespace retort::testing
