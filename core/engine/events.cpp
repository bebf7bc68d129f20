// The engine's listener lists: registration is locked, firing reads the lists as they are
// (listeners are registered before the engine is used).
#include <retort/core/engine/events.hpp>

#include <mutex>
#include <vector>

namespace retort::core {

struct Events::Listeners {
  std::mutex mutex;
  std::vector<ConnectionListener> connect, checkout, checkin;
  std::vector<StatementListener> before, after;
  std::vector<ErrorListener> error;

  template <class L>
  void add(std::vector<L>& list, L f) {
    std::lock_guard lock(mutex);
    list.push_back(std::move(f));
  }
};

namespace {
template <class L, class... A>
void fire(const std::vector<L>& list, A&&... args) {
  for (const auto& f : list) f(args...);
}
}  // namespace

Events::Events() : listeners_(std::make_unique<Listeners>()) {}
Events::~Events() = default;

void Events::on_connect(ConnectionListener f) { listeners_->add(listeners_->connect, std::move(f)); }
void Events::on_checkout(ConnectionListener f) { listeners_->add(listeners_->checkout, std::move(f)); }
void Events::on_checkin(ConnectionListener f) { listeners_->add(listeners_->checkin, std::move(f)); }
void Events::before_execute(StatementListener f) { listeners_->add(listeners_->before, std::move(f)); }
void Events::after_execute(StatementListener f) { listeners_->add(listeners_->after, std::move(f)); }
void Events::handle_error(ErrorListener f) { listeners_->add(listeners_->error, std::move(f)); }

void Events::fire_connect(DriverConnection& c) const { fire(listeners_->connect, c); }
void Events::fire_checkout(DriverConnection& c) const { fire(listeners_->checkout, c); }
void Events::fire_checkin(DriverConnection& c) const { fire(listeners_->checkin, c); }
void Events::fire_before_execute(const StatementEvent& e) const { fire(listeners_->before, e); }
void Events::fire_after_execute(const StatementEvent& e) const { fire(listeners_->after, e); }
void Events::fire_handle_error(const DBAPIError& e, std::string_view sql) const { fire(listeners_->error, e, sql); }
bool Events::has_statement_listeners() const { return !listeners_->before.empty() || !listeners_->after.empty(); }

}  // namespace retort::core
