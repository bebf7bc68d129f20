// Owners of what libpq hands out (a PGconn connection, a PGresult, memory from PQunescapeBytea),
// each freed exactly once through the loaded function table.
#pragma once

#include <memory>

#include <retort/dialects/postgresql/libpq_api.hpp>

namespace retort::dialects::postgresql::detail {

struct ConnectionFinisher {
  void operator()(PGconn* conn) const noexcept { libpq().PQfinish(conn); }
};
using ConnectionPtr = std::unique_ptr<PGconn, ConnectionFinisher>;

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { libpq().PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

struct MemoryFreer {
  void operator()(unsigned char* p) const noexcept { libpq().PQfreemem(p); }
};
using LibpqBytes = std::unique_ptr<unsigned char, MemoryFreer>;

}  // namespace retort::dialects::postgresql::detail
