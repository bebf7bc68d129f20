// One fixture for the behaviour every backend shares (design.md section 6): given a backend name
// ("sqlite", "postgresql", "mysql"), an Engine on a fresh private database, dropped afterwards.
//
//   auto db = retort::testing::BackendDatabase::open("postgresql");
//   if (!db) return;                       // no server: WARN and skip, FAIL under CI=true
//   auto conn = db->engine().connect();
//
// SQLite: a temporary file. PostgreSQL: a fresh schema, first on the engine's search_path
// (?options=-csearch_path=<schema>,public). MySQL/MariaDB: a fresh database. The servers come
// from tests/servers/start.sh (RETORT_TEST_POSTGRESQL_URL, RETORT_TEST_MYSQL_URL).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include <retort/retort.hpp>

#include "dialects/mysql/mysql_database.hpp"
#include "dialects/postgresql/pg_test_support.hpp"
#include "support/each_backend.hpp"
#include "support/temp_database.hpp"

namespace retort::testing {

class BackendDatabase {
 public:
  /// The private database of `backend`, or nullptr when its server is not configured (after a
  /// WARN, or a FAIL under CI=true). An unknown backend name is a test failure.
  static std::unique_ptr<BackendDatabase> open(const std::string& backend, core::EngineOptions options = {}) {
    std::unique_ptr<BackendDatabase> db(new BackendDatabase());
    if (std::getenv("RETORT_TEST_ECHO")) options.echo = true;
    if (backend == "sqlite") {
      db->sqlite_.emplace();
      db->engine_.emplace(core::create_engine(db->sqlite_->url(), options));
    } else if (backend == "postgresql") {
      auto url = postgresql_url();
      if (!url) return nullptr;
      db->pg_ = std::make_unique<PgSchema>(*url, options);
    } else if (backend == "mysql") {
      auto mysql = MySQLDatabase::open();
      if (!mysql) return nullptr;
      db->mysql_.emplace(std::move(*mysql));
      db->engine_.emplace(core::create_engine(db->mysql_->url(), options));
    } else {
      FAIL("unknown backend: " << backend);
    }
    return db;
  }

  ~BackendDatabase() {
    // The engine's pooled connections go before the database is dropped.
    try {
      if (engine_) engine_->dispose();
    } catch (...) {
    }
    engine_.reset();
  }
  BackendDatabase(const BackendDatabase&) = delete;
  BackendDatabase& operator=(const BackendDatabase&) = delete;

  const core::Engine& engine() const { return pg_ ? pg_->engine() : *engine_; }
  const core::DialectFeatures& features() const { return engine().dialect().features(); }

 private:
  BackendDatabase() = default;
  // Declaration order: the owners of the databases outlive the engine (destroyed in reverse).
  std::optional<TempDatabase> sqlite_;
  std::optional<MySQLDatabase> mysql_;
  std::unique_ptr<PgSchema> pg_;
  std::optional<core::Engine> engine_;
};

}  // namespace retort::testing
