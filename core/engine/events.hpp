// Engine events, as SQLAlchemy's event.listen(engine, ...): connect, checkout, checkin,
// before_execute, after_execute, handle_error. Register listeners before using the engine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <retort/core/value.hpp>

namespace retort::core {

class DBAPIError;
class DriverConnection;

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

  Events();
  ~Events();
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;

  void on_connect(ConnectionListener f);
  void on_checkout(ConnectionListener f);
  void on_checkin(ConnectionListener f);
  void before_execute(StatementListener f);
  void after_execute(StatementListener f);
  void handle_error(ErrorListener f);

  void fire_connect(DriverConnection& c) const;
  void fire_checkout(DriverConnection& c) const;
  void fire_checkin(DriverConnection& c) const;
  void fire_before_execute(const StatementEvent& e) const;
  void fire_after_execute(const StatementEvent& e) const;
  void fire_handle_error(const DBAPIError& e, std::string_view sql) const;
  bool has_statement_listeners() const;

 private:
  struct Listeners;  // events.cpp: the lists and the lock that guards registration
  std::unique_ptr<Listeners> listeners_;
};

}  // namespace retort::core
