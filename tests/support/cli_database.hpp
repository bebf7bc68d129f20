// A fresh database per CLI test, on SQLite (a file), PostgreSQL (a schema, picked through the
// URL's search_path) or MariaDB (a database), looked at through the command-line client
// (sqlite3, psql, mysql) so that the checks do not depend on retort's own dialects.
//
//   auto db = CliDatabase::create(Backend::postgresql, project.root());
//   if (!db) return;   // no server: a warning (a failure under CI=true)
//   project.set_url(db->url());  ...  CHECK(db->version_rows() == ...);
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "support/cli_runner.hpp"
#include "support/each_backend.hpp"

namespace retort::testing {

class CliDatabase {
 public:
  /// A fresh database; null (after WARN, or FAIL under CI=true) when the backend's server URL
  /// (RETORT_TEST_POSTGRESQL_URL / RETORT_TEST_MYSQL_URL) is not set. SQLite files go in `dir`.
  static std::unique_ptr<CliDatabase> create(Backend backend, const std::filesystem::path& dir) {
    static std::atomic<int> counter{0};
    std::string name = "rt_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    std::unique_ptr<CliDatabase> db(new CliDatabase(backend, dir, name));
    if (backend == Backend::sqlite) {
      db->url_ = "sqlite:///" + (dir / (name + ".db")).string();
      db->sqlite_file_ = dir / (name + ".db");
      return db;
    }
    const char* variable = backend == Backend::postgresql ? "RETORT_TEST_POSTGRESQL_URL" : "RETORT_TEST_MYSQL_URL";
    const char* server = std::getenv(variable);
    if (!server || !*server) {
      const char* ci = std::getenv("CI");
      if (ci && std::string(ci) == "true")
        FAIL(variable << " is not set, and under CI=true a missing server is a failure (start it with "
                         "eval \"$(tests/servers/start.sh)\")");
      WARN("skipped: " << variable << " is not set (eval \"$(tests/servers/start.sh)\" to run the "
                       << backend_name(backend) << " CLI tests)");
      return nullptr;
    }
    db->server_url_ = server;
    if (backend == Backend::postgresql) {
      db->admin("CREATE SCHEMA " + name);
      std::string sep = db->server_url_.find('?') == std::string::npos ? "?" : "&";
      db->url_ = db->server_url_ + sep + "options=-csearch_path%3D" + name;
    } else {
      db->admin("CREATE DATABASE " + name);
      db->url_ = with_database(db->server_url_, name);
    }
    db->created_ = true;
    return db;
  }

  ~CliDatabase() {
    if (!created_) return;
    if (backend_ == Backend::postgresql)
      admin("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    else if (backend_ == Backend::mysql)
      admin("DROP DATABASE IF EXISTS " + name_);
  }
  CliDatabase(const CliDatabase&) = delete;
  CliDatabase& operator=(const CliDatabase&) = delete;

  Backend backend() const { return backend_; }
  /// The URL retort uses (it holds the server's password).
  const std::string& url() const { return url_; }

  /// Runs `sql` with the database's client; rows one per line, columns separated by '|'.
  CommandResult query(const std::string& sql) const { return run_command(query_command(sql), dir_); }
  /// The shell command line that runs `sql` with the database's client (for a test's script).
  std::string query_command_line(const std::string& sql) const { return query_command(sql); }
  /// The client's command line, reading SQL from standard input.
  std::string client_command_line() const { return client_command(); }
  /// The rows of a query that must succeed.
  std::vector<std::string> rows(const std::string& sql) const {
    auto r = query(sql);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> out;
    std::istringstream in(r.output);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  /// Runs a SQL script file (offline SQL) with the client, stopping at the first error.
  CommandResult apply_file(const std::filesystem::path& file) const {
    return run_command(client_command() + " < " + shell_quote(file.string()), dir_);
  }

  /// The tables, sorted by name.
  std::vector<std::string> tables() const {
    switch (backend_) {
      case Backend::sqlite: return rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
      case Backend::postgresql:
        return rows("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + name_ +
                    "' ORDER BY table_name");
      case Backend::mysql:
        return rows("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + name_ +
                    "' ORDER BY table_name");
    }
    return {};
  }
  bool has_table(const std::string& table) const {
    auto t = tables();
    return std::find(t.begin(), t.end(), table) != t.end();
  }
  /// The version table's rows, sorted (empty when the table does not exist).
  std::vector<std::string> version_rows(const std::string& table = "retort_version") const {
    if (!has_table(table)) return {};
    return rows("SELECT version_num FROM " + table + " ORDER BY version_num");
  }
  /// Tables, columns, types and indexes, with the database's own name blanked out, so that two
  /// databases built by the same statements compare equal.
  std::string schema() const {
    std::vector<std::string> lines;
    switch (backend_) {
      case Backend::sqlite:
        lines = rows("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name");
        break;
      case Backend::postgresql:
        lines = rows(
            "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') "
            "FROM information_schema.columns WHERE table_schema = '" +
            name_ + "' ORDER BY table_name, ordinal_position");
        for (auto& l : rows("SELECT indexdef FROM pg_indexes WHERE schemaname = '" + name_ + "' ORDER BY indexname"))
          lines.push_back(l);
        break;
      case Backend::mysql:
        lines = rows(
            "SELECT table_name, column_name, column_type, is_nullable, coalesce(column_default, ''), "
            "column_key FROM information_schema.columns WHERE table_schema = '" +
            name_ + "' ORDER BY table_name, ordinal_position");
        for (auto& l : rows("SELECT table_name, index_name, column_name FROM information_schema.statistics "
                            "WHERE table_schema = '" +
                            name_ + "' ORDER BY table_name, index_name, seq_in_index"))
          lines.push_back(l);
        break;
    }
    std::string out;
    for (auto line : lines) {
      for (auto p = line.find(name_); p != std::string::npos; p = line.find(name_, p))
        line.replace(p, name_.size(), "<db>");
      out += line + "\n";
    }
    return out;
  }

 private:
  CliDatabase(Backend backend, std::filesystem::path dir, std::string name)
      : backend_(backend), dir_(std::move(dir)), name_(std::move(name)) {}

  /// mysql://user:pw@host:port/db?query with another database.
  static std::string with_database(const std::string& url, const std::string& database) {
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme + 3);
    auto query = url.find('?', scheme + 3);
    std::string base = url.substr(0, slash == std::string::npos ? query : slash);
    return base + "/" + database + (query == std::string::npos ? "" : url.substr(query));
  }

  /// The parts of mysql://user:password@host:port/database.
  struct MysqlParts {
    std::string user, password, host, port;
  };
  static MysqlParts mysql_parts(const std::string& url) {
    MysqlParts p;
    std::string rest = url.substr(url.find("://") + 3);
    rest = rest.substr(0, rest.find_first_of("/?"));
    if (auto at = rest.rfind('@'); at != std::string::npos) {
      std::string user = rest.substr(0, at);
      rest = rest.substr(at + 1);
      auto colon = user.find(':');
      p.user = user.substr(0, colon);
      if (colon != std::string::npos) p.password = user.substr(colon + 1);
    }
    auto colon = rest.rfind(':');
    p.host = rest.substr(0, colon);
    p.port = colon == std::string::npos ? "3306" : rest.substr(colon + 1);
    return p;
  }

  /// The client command for this database, reading SQL from standard input; rows come out one
  /// per line with columns separated by '|'.
  std::string client_command(bool own_database = true) const {
    switch (backend_) {
      case Backend::sqlite: return "sqlite3 -batch -bail " + shell_quote(sqlite_file_.string());
      case Backend::postgresql:
        return "psql -X -q -tA -F'|' -v ON_ERROR_STOP=1 " + shell_quote(own_database ? url_ : server_url_);
      case Backend::mysql: {
        auto p = mysql_parts(server_url_);
        // The client prints tabs between columns: turned into '|' like the other clients.
        return "( set -o pipefail; MYSQL_PWD=" + shell_quote(p.password) + " mysql --batch -N -h " +
               shell_quote(p.host) + " -P " + p.port + " -u " + shell_quote(p.user) +
               (own_database ? " " + name_ : std::string()) + " | tr '\\t' '|' )";
      }
    }
    return {};
  }
  std::string query_command(const std::string& sql, bool own_database = true) const {
    return "printf '%s;\\n' " + shell_quote(sql) + " | " + client_command(own_database);
  }
  void admin(const std::string& sql) const {
    auto r = run_command(query_command(sql, false), dir_);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }

  Backend backend_;
  std::filesystem::path dir_;
  std::string name_;
  std::string url_, server_url_;
  std::filesystem::path sqlite_file_;
  bool created_ = false;
};

}  // namespace retort::testing
