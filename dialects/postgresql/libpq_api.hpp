// The libpq functions the PostgreSQL driver calls, loaded from libpq.so.5 the first time the
// dialect connects (see core/shared_library.hpp for why it is not linked). Each is typed from
// libpq-fe.h, so a call through the table is checked like a direct call.
#pragma once

#include <libpq-fe.h>

#include <retort/core/shared_library.hpp>

namespace retort::dialects::postgresql {

// clang-format off: one function a line, which clang-format would fold into a staircase
#define RETORT_LIBPQ_FUNCTIONS(X) \
  X(PQclear)                      \
  X(PQcmdStatus)                  \
  X(PQcmdTuples)                  \
  X(PQconnectdbParams)            \
  X(PQenterPipelineMode)          \
  X(PQerrorMessage)               \
  X(PQexec)                       \
  X(PQexitPipelineMode)           \
  X(PQfinish)                     \
  X(PQfname)                      \
  X(PQfreemem)                    \
  X(PQftype)                      \
  X(PQgetResult)                  \
  X(PQgetisnull)                  \
  X(PQgetlength)                  \
  X(PQgetvalue)                   \
  X(PQnfields)                    \
  X(PQntuples)                    \
  X(PQpipelineSync)               \
  X(PQprepare)                    \
  X(PQputCopyEnd)                 \
  X(PQresultErrorField)           \
  X(PQresultErrorMessage)         \
  X(PQresultStatus)               \
  X(PQsendQueryParams)            \
  X(PQsendQueryPrepared)          \
  X(PQsetNoticeProcessor)         \
  X(PQsetSingleRowMode)           \
  X(PQstatus)                     \
  X(PQtransactionStatus)          \
  X(PQunescapeBytea)
// clang-format on

struct LibPq {
  RETORT_LIBPQ_FUNCTIONS(RETORT_FUNCTION_MEMBER)
};

/// The loaded functions; loads libpq on the first call (thread-safe). Throws InterfaceError when
/// libpq is not installed or lacks a function (pipeline mode needs libpq 14).
const LibPq& libpq();

}  // namespace retort::dialects::postgresql
