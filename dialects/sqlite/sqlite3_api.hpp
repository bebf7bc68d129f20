// The SQLite C functions the SQLite driver calls, loaded from libsqlite3.so.0 the first time the
// dialect opens a database (see core/shared_library.hpp). Commands that never open one (heads,
// history, revision, --version) then skip mapping and relocating the library and libm behind it,
// about 0.7 ms of every start. Each member is typed from sqlite3.h, so calls are checked as usual.
#pragma once

#include <sqlite3.h>

#include <retort/core/shared_library.hpp>

namespace retort::dialects::sqlite {

// clang-format off: one function a line, which clang-format would fold into a staircase
#define RETORT_SQLITE3_FUNCTIONS(X) \
  X(sqlite3_bind_blob64)            \
  X(sqlite3_bind_double)            \
  X(sqlite3_bind_int)               \
  X(sqlite3_bind_int64)             \
  X(sqlite3_bind_null)              \
  X(sqlite3_bind_parameter_count)   \
  X(sqlite3_bind_text64)            \
  X(sqlite3_bind_zeroblob)          \
  X(sqlite3_busy_timeout)           \
  X(sqlite3_changes64)              \
  X(sqlite3_clear_bindings)         \
  X(sqlite3_close_v2)               \
  X(sqlite3_column_blob)            \
  X(sqlite3_column_bytes)           \
  X(sqlite3_column_count)           \
  X(sqlite3_column_double)          \
  X(sqlite3_column_int64)           \
  X(sqlite3_column_name)            \
  X(sqlite3_column_text)            \
  X(sqlite3_column_type)            \
  X(sqlite3_errmsg)                 \
  X(sqlite3_errstr)                 \
  X(sqlite3_exec)                   \
  X(sqlite3_extended_errcode)       \
  X(sqlite3_extended_result_codes)  \
  X(sqlite3_finalize)               \
  X(sqlite3_free)                   \
  X(sqlite3_get_autocommit)         \
  X(sqlite3_last_insert_rowid)      \
  X(sqlite3_open_v2)                \
  X(sqlite3_prepare_v3)             \
  X(sqlite3_reset)                  \
  X(sqlite3_step)
// clang-format on

struct LibSqlite3 {
  RETORT_SQLITE3_FUNCTIONS(RETORT_FUNCTION_MEMBER)
};

/// The loaded functions; loads libsqlite3 on the first call (thread-safe). Throws InterfaceError
/// when it is not installed or too old (sqlite3_changes64 needs SQLite 3.37).
const LibSqlite3& libsqlite3();

}  // namespace retort::dialects::sqlite
