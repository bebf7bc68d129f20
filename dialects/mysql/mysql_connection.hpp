// The MySQL DriverConnection: statements run prepared (through the statement cache) or as plain
// text, executemany, multi-statement scripts, and the transaction state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <retort/core/driver.hpp>
#include <retort/core/value.hpp>
#include <retort/dialects/mysql/mariadb_api.hpp>
#include <retort/dialects/mysql/mysql_handles.hpp>
#include <retort/dialects/mysql/mysql_statement_cache.hpp>
#include <retort/dialects/mysql/mysql_values.hpp>

namespace retort::dialects::mysql::detail {

class MySQLConnection final : public core::DriverConnection {
 public:
  MySQLConnection(ConnectionPtr db, std::size_t cache_size) : db_(std::move(db)), statements_(cache_size) {}
  ~MySQLConnection() override { close(); }

  std::unique_ptr<core::DriverCursor> execute(std::string_view sql,
                                              std::span<const core::Value* const> params) override;
  std::int64_t execute_many(std::string_view sql, std::span<const core::Value* const> params,
                            std::size_t params_per_row) override;
  void execute_script(std::string_view sql) override;
  bool ping() override { return db_ && mariadb().mysql_ping(db_.get()) == 0; }
  bool in_transaction() const override;
  void close() override;

  /// Takes a statement back: cached for reuse when worth it, else closed.
  void release(StatementPtr stmt, const std::string& sql);
  /// Raises the error recorded on `stmt`, after giving the statement back.
  [[noreturn]] void fail_statement(StatementPtr stmt, const std::string& sql);
  /// Raises the error recorded on the connection.
  [[noreturn]] void fail(const std::string& sql);

 private:
  /// Binds `params` to `stmt`; on failure gives the statement back (leaving `stmt` empty) and throws.
  void bind_params(StatementPtr& stmt, std::span<const core::Value* const> params, const std::string& sql);
  std::unique_ptr<core::DriverCursor> run_text(const std::string& sql);

  ConnectionPtr db_;
  StatementCache statements_;  // destroyed before db_: closes its statements first
  ParamBinds param_binds_;
};

}  // namespace retort::dialects::mysql::detail
