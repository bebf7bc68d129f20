// Engine events, as SQLAlchemy's event.listen(engine, ...): connect, checkout, checkin,
// before_execute, after_execute, handle_error. Register listeners before using the engine.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include <retort/core/driver.hpp>

namespace retort::core {

class DBAPIError;

/// What is about to run (before_execute) or has run (after_execute).
struct StatementEvent {
  std::string_view sql{};
  std::span<const Value* const> params{};  // all rows for executemany
  bool executemany = false;
  std::int64_t rowcount = -1;  // after_execute only
};

class Events {
 public:
  using ConnectionListener = std::function<void(DriverConnection&)>;
  using StatementListener = std::function<void(const StatementEvent&)>;
  using ErrorListener = std::function<void(const DBAPIError&, std::string_view sql)>;

  /// A new driver connection was opened (set pragmas, session variables, ...).
  void on_connect(ConnectionListener f) { add(connect_, std::move(f)); }
  /// A connection left the pool.
  void on_checkout(ConnectionListener f) { add(checkout_, std::move(f)); }
  /// A connection went back to the pool.
  void on_checkin(ConnectionListener f) { add(checkin_, std::move(f)); }
  void before_execute(StatementListener f) { add(before_, std::move(f)); }
  void after_execute(StatementListener f) { add(after_, std::move(f)); }
  /// A statement failed; the error is rethrown after the listeners ran.
  void handle_error(ErrorListener f) { add(error_, std::move(f)); }

  void fire_connect(DriverConnection& c) const { fire(connect_, c); }
  void fire_checkout(DriverConnection& c) const { fire(checkout_, c); }
  void fire_checkin(DriverConnection& c) const { fire(checkin_, c); }
  void fire_before_execute(const StatementEvent& e) const { fire(before_, e); }
  void fire_after_execute(const StatementEvent& e) const { fire(after_, e); }
  void fire_handle_error(const DBAPIError& e, std::string_view sql) const { fire(error_, e, sql); }
  bool has_statement_listeners() const { return !before_.empty() || !after_.empty(); }

 private:
  template <class L>
  void add(std::vector<L>& list, L f) {
    std::lock_guard lock(mutex_);
    list.push_back(std::move(f));
  }
  template <class L, class... A>
  void fire(const std::vector<L>& list, A&&... args) const {
    for (const auto& f : list) f(args...);
  }
  mutable std::mutex mutex_;
  std::vector<ConnectionListener> connect_, checkout_, checkin_;
  std::vector<StatementListener> before_, after_;
  std::vector<ErrorListener> error_;
};

}  // namespace retort::core
