// The PostgreSQL DriverConnection: statements prepared through the statement cache (or sent with
// their parameters once), executemany in one pipeline, scripts, and the transaction state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <retort/core/driver.hpp>
#include <retort/core/value.hpp>
#include <retort/dialects/postgresql/libpq_api.hpp>
#include <retort/dialects/postgresql/postgresql_handles.hpp>
#include <retort/dialects/postgresql/postgresql_statement_cache.hpp>

namespace retort::dialects::postgresql::detail {

class PgCursor;

class PgConnection final : public core::DriverConnection {
 public:
  PgConnection(ConnectionPtr conn, std::size_t cache_size) : conn_(std::move(conn)), statements_(cache_size) {}
  ~PgConnection() override { close(); }

  std::unique_ptr<core::DriverCursor> execute(std::string_view sql,
                                              std::span<const core::Value* const> params) override;
  std::int64_t execute_many(std::string_view sql, std::span<const core::Value* const> params,
                            std::size_t params_per_row) override;
  void execute_script(std::string_view sql) override;
  bool ping() override;
  bool in_transaction() const override;
  void close() override;

  PGconn* handle() const { return conn_.get(); }
  /// The statement streaming on this connection has ended (or was buffered).
  void release(PgCursor* cursor) {
    if (active_ == cursor) active_ = nullptr;
  }
  /// Reads the results of the current statement up to its end, keeping the first error.
  void drain(std::optional<std::pair<std::string, std::string>>& error);
  [[noreturn]] void fail(const PGresult* res, const std::string& sql);

 private:
  PGconn* live();
  /// Makes the connection free for a new statement: an open cursor buffers its rows.
  void settle();
  std::unique_ptr<core::DriverCursor> run(const std::string& sql, std::span<const core::Value* const> params,
                                          bool retry_stale_plan);
  void after_statement(const std::string& keyword);

  ConnectionPtr conn_;
  PgCursor* active_ = nullptr;
  bool in_transaction_while_active_ = false;  // libpq reports only "busy" while rows stream
  StatementCache statements_;
  bool schema_changed_in_transaction_ = false;
};

}  // namespace retort::dialects::postgresql::detail
