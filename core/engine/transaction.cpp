// Transaction and savepoint control.
#include <retort/core/engine/transaction.hpp>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/connection.hpp>
#include <retort/core/engine/connection_state.hpp>
#include <retort/core/engine/engine_state.hpp>
#include <retort/core/errors.hpp>

namespace retort::core {

Transaction::Transaction(std::shared_ptr<ConnectionState> state, std::string savepoint, int level, std::uint64_t id)
    : state_(std::move(state)), savepoint_(std::move(savepoint)), level_(level), id_(id) {}

Transaction::Transaction(Transaction&& other) noexcept
    : state_(std::move(other.state_)),
      savepoint_(std::move(other.savepoint_)),
      level_(other.level_),
      id_(other.id_),
      active_(other.active_) {
  other.active_ = false;
}

Transaction::~Transaction() {
  if (!active_) return;
  try {
    rollback();
  } catch (...) {
    // A failed rollback leaves the connection unusable: discard it rather than throw here.
    if (state_) state_->invalidated = true;
  }
}

void Transaction::commit() {
  if (!active_) throw InvalidRequestError("this transaction is no longer active");
  active_ = false;
  // Ended already: by an enclosing transaction's commit or rollback, or by conn.commit().
  if (!state_->is_open(level_, id_)) return;
  state_->close_from(level_);
  if (savepoint_.empty()) {
    if (!state_->autocommit()) state_->run("COMMIT");
  } else {
    state_->run(state_->engine->dialect->release_savepoint_sql(savepoint_));
  }
}

void Transaction::rollback() {
  if (!active_) throw InvalidRequestError("this transaction is no longer active");
  active_ = false;
  if (!state_->is_open(level_, id_)) return;
  state_->close_from(level_);
  if (savepoint_.empty()) {
    if (!state_->autocommit() && state_->driver().in_transaction()) state_->run("ROLLBACK");
  } else {
    const auto& dialect = *state_->engine->dialect;
    state_->run(dialect.rollback_to_savepoint_sql(savepoint_));
    state_->run(dialect.release_savepoint_sql(savepoint_));
  }
}

}  // namespace retort::core
