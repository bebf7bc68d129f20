// RAII transactions: a Transaction rolls back when destroyed without commit(). Savepoints
// (begin_nested) nest inside a transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace retort::core {

struct ConnectionState;

class Transaction {
 public:
  /// `level` is the connection's transaction depth this transaction opened (1 = outermost), and
  /// `id` the id the connection gave that level (ConnectionState::open_level).
  Transaction(std::shared_ptr<ConnectionState> state, std::string savepoint, int level, std::uint64_t id);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  /// COMMIT, or RELEASE SAVEPOINT for a nested transaction. Throws InvalidRequestError when
  /// no longer active.
  void commit();
  /// ROLLBACK, or ROLLBACK TO SAVEPOINT.
  void rollback();
  bool is_active() const noexcept { return active_; }
  bool is_nested() const noexcept { return !savepoint_.empty(); }

 private:
  std::shared_ptr<ConnectionState> state_;
  std::string savepoint_;
  int level_;
  std::uint64_t id_;
  bool active_ = true;
};

}  // namespace retort::core
