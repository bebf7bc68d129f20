// One way to write a behaviour once and run it on every backend (design.md section 6):
//
//   void creates_tables(retort::testing::BackendDatabase& db) { ... }   // a private database
//   void linear_chain(retort::testing::Backend backend) { ... }          // or just the backend's name
//   RETORT_BACKEND_TEST("create_all creates tables", creates_tables)
//
// makes one TEST_CASE per backend ("sqlite: ...", "postgresql: ...", "mysql: ..."), tagged with the
// backend and [backends]. A function taking a BackendDatabase& gets a fresh private database
// (skipped when the backend's server is not configured, a failure under CI=true); one taking a
// Backend sets up what it needs itself (the CLI tests' CliDatabase).
#pragma once

#include <string>
#include <type_traits>

#include <catch2/catch.hpp>

namespace retort::testing {

enum class Backend { sqlite, postgresql, mysql };

inline const char* backend_name(Backend b) {
  switch (b) {
    case Backend::sqlite: return "sqlite";
    case Backend::postgresql: return "postgresql";
    case Backend::mysql: return "mysql";
  }
  return "?";
}

class BackendDatabase;

/// Opens `backend`'s private database for `body` (support/backend.hpp, which the caller includes),
/// or hands `body` the backend itself when that is what it takes. `Database` is a parameter only so
/// that the CLI tests, which never open one, need not see BackendDatabase.
template <class F, class Database = BackendDatabase>
void run_on_backend(Backend backend, F&& body) {
  if constexpr (std::is_invocable_v<F, Backend>) {
    body(backend);
  } else {
    auto db = Database::open(backend_name(backend));
    if (!db) return;
    body(*db);
  }
}

}  // namespace retort::testing

#define RETORT_BACKEND_TEST(title, function)                                             \
  TEST_CASE("sqlite: " title, "[sqlite][backends]") {                                    \
    ::retort::testing::run_on_backend(::retort::testing::Backend::sqlite, function);     \
  }                                                                                      \
  TEST_CASE("postgresql: " title, "[postgresql][backends]") {                            \
    ::retort::testing::run_on_backend(::retort::testing::Backend::postgresql, function); \
  }                                                                                      \
  TEST_CASE("mysql: " title, "[mysql][backends]") {                                      \
    ::retort::testing::run_on_backend(::retort::testing::Backend::mysql, function);      \
  }
