// A Connection: one pooled driver connection, executing statements (compiled through the
// engine's cache) with parameters, single or many, and managing transactions.
#pragma once

#include <concepts>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <vector>

#include <retort/core/engine/result.hpp>
#include <retort/core/engine/transaction.hpp>
#include <retort/core/sql/compiled_statement.hpp>
#include <retort/core/sql/params.hpp>

namespace retort::core {

class Dialect;
class DriverConnection;
struct ConnectionState;  // core/engine/connection_state.hpp, internal

class Connection {
 public:
  explicit Connection(std::shared_ptr<ConnectionState> state) : state_(std::move(state)) {}
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  ~Connection() = default;

  /// Executes a statement with named parameters.
  template <Executable S>
  Result execute(const S& statement, const Params& params = {}) {
    return execute_node(statement.node(), params, {});
  }
  /// Executes with positional values for the unnamed parameters, in order. (A template, so
  /// that braces never pick it: {{"name", 1}} is a Params, {1, "a"} the list below.)
  template <Executable S, class Values>
  requires std::same_as<Values, std::vector<Value>> Result execute(const S& statement, const Values& positional) {
    return execute_node(statement.node(), {}, positional);
  }
  /// The same spelled in place: execute(stmt, {1, "a"}).
  template <Executable S>
  Result execute(const S& statement, std::initializer_list<PositionalValue> positional) {
    std::vector<Value> values;
    values.reserve(positional.size());
    for (const auto& p : positional) values.push_back(p.value);
    return execute_node(statement.node(), {}, values);
  }
  /// executemany: once per parameter set. An INSERT of many rows is sent as multi-row VALUES
  /// batches where the dialect supports it (RETURNING rows come back in order).
  template <Executable S>
  Result execute(const S& statement, const std::vector<Params>& rows) {
    return execute_many_node(statement.node(), rows);
  }
  /// executemany spelled in place: execute(insert(t), {{{"id", 1}}, {{"id", 2}}}), one row too:
  /// {{{"id", 1}}}.
  template <Executable S>
  Result execute(const S& statement, std::initializer_list<Params> rows) {
    return execute_many_node(statement.node(), std::vector<Params>(rows));
  }
  /// Runs SQL as written (in the driver's paramstyle), bypassing the compiler.
  Result exec_driver_sql(std::string_view sql, const std::vector<Value>& params = {});
  /// Runs several ';'-separated statements without parameters.
  void execute_script(std::string_view sql);

  /// Begins a transaction; it rolls back unless committed. InvalidRequestError if one is open.
  Transaction begin();
  /// A savepoint inside the current transaction (starting one if none is open).
  Transaction begin_nested();
  /// Commits the transaction in progress, whether begin() or autobegin opened it (savepoints
  /// inside it included); its Transaction handle becomes inactive. Without one, does nothing.
  void commit();
  /// Rolls back the transaction in progress, as commit() commits it.
  void rollback();
  bool in_transaction() const;
  /// Whether statements outside begin() open a transaction (EngineOptions::autobegin).
  bool autobegins() const;
  /// Returns the connection to the pool (Results still open keep it until they finish).
  void close();
  bool closed() const noexcept { return state_ == nullptr; }
  /// Marks the connection broken: it is discarded instead of being pooled again.
  void invalidate();

  const Dialect& dialect() const;
  DriverConnection& driver_connection();

 private:
  Result execute_node(const NodePtr& node, const Params& params, const std::vector<Value>& positional);
  Result execute_many_node(const NodePtr& node, const std::vector<Params>& rows);
  ConnectionState& state() const;
  std::shared_ptr<ConnectionState> state_;
};

}  // namespace retort::core
