// The MariaDB Connector/C functions the MySQL driver calls, loaded from libmariadb.so.3 the first
// time the dialect connects (see core/shared_library.hpp for why it is not linked). Each is typed
// from mysql.h, so a call through the table is checked like a direct call.
#pragma once

#include <mysql.h>

#include <retort/core/shared_library.hpp>

namespace retort::dialects::mysql {

// mysql_library_init is a macro for mysql_server_init in mysql.h: the table holds the real name.
// clang-format off: one function a line, which clang-format would fold into a staircase
#define RETORT_MARIADB_FUNCTIONS(X) \
  X(mysql_affected_rows)            \
  X(mysql_autocommit)               \
  X(mysql_close)                    \
  X(mysql_errno)                    \
  X(mysql_error)                    \
  X(mysql_fetch_fields)             \
  X(mysql_fetch_lengths)            \
  X(mysql_fetch_row)                \
  X(mysql_field_count)              \
  X(mysql_free_result)              \
  X(mysql_init)                     \
  X(mysql_insert_id)                \
  X(mysql_server_init)              \
  X(mysql_more_results)             \
  X(mysql_next_result)              \
  X(mysql_num_fields)               \
  X(mysql_options)                  \
  X(mysql_ping)                     \
  X(mysql_real_connect)             \
  X(mysql_real_query)               \
  X(mysql_set_server_option)        \
  X(mysql_sqlstate)                 \
  X(mysql_stmt_affected_rows)       \
  X(mysql_stmt_bind_param)          \
  X(mysql_stmt_bind_result)         \
  X(mysql_stmt_close)               \
  X(mysql_stmt_errno)               \
  X(mysql_stmt_error)               \
  X(mysql_stmt_execute)             \
  X(mysql_stmt_fetch)               \
  X(mysql_stmt_fetch_column)        \
  X(mysql_stmt_field_count)         \
  X(mysql_stmt_free_result)         \
  X(mysql_stmt_init)                \
  X(mysql_stmt_insert_id)           \
  X(mysql_stmt_param_count)         \
  X(mysql_stmt_prepare)             \
  X(mysql_stmt_result_metadata)     \
  X(mysql_stmt_sqlstate)            \
  X(mysql_stmt_store_result)        \
  X(mysql_store_result)             \
  X(mariadb_get_infov)
// clang-format on

struct MariaDbClient {
  RETORT_MARIADB_FUNCTIONS(RETORT_FUNCTION_MEMBER)
};

/// The loaded functions; loads libmariadb on the first call (thread-safe). Throws InterfaceError
/// when the library is not installed or lacks a function.
const MariaDbClient& mariadb();

}  // namespace retort::dialects::mysql
