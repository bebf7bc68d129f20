// Statement execution: compile through the cache, bind parameters in compiled order, run on
// the driver, and wrap the cursor; executemany batches INSERTs as multi-row VALUES.
#include <retort/core/engine/connection.hpp>

#include <cstdio>

#include <fmt/format.h>

#include <retort/core/engine/connection_state.hpp>
#include <retort/core/engine/engine_state.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/schema/table.hpp>

namespace retort::core {

// ---- ConnectionState -----------------------------------------------------------------------

ConnectionState::ConnectionState(std::shared_ptr<EngineState> e, PooledConnection p)
    : engine(std::move(e)), pooled(std::move(p)) {}

ConnectionState::~ConnectionState() {
  if (!pooled) return;
  // Never pool a connection with a transaction left open.
  try {
    if (!invalidated && pooled.connection->in_transaction()) pooled.connection->execute("ROLLBACK", {});
  } catch (...) {
    invalidated = true;
  }
  try {
    engine->events.fire_checkin(*pooled.connection);
  } catch (...) {
  }
  engine->pool->checkin(std::move(pooled), invalidated);
}

DriverConnection& ConnectionState::driver() {
  if (!pooled) throw ResourceClosedError("this connection is closed");
  return *pooled.connection;
}

void ConnectionState::run(const std::string& sql) {
  const auto& events = engine->events;
  StatementEvent event{sql, {}, false, -1};
  events.fire_before_execute(event);
  if (engine->options.echo) fmt::print(stderr, "[retort] {}\n", sql);
  try {
    driver().execute(sql, {});
  } catch (const DBAPIError& e) {
    if (dynamic_cast<const DisconnectionError*>(&e)) invalidated = true;
    events.fire_handle_error(e, sql);
    throw;
  }
  events.fire_after_execute(event);
}

// ---- helpers ---------------------------------------------------------------------------------

namespace {

/// Names of the named bind parameters in a statement (those a caller may fill).
std::vector<std::string> named_binds(const Node& node) {
  std::vector<const BindParamNode*> binds;
  node.collect_binds(binds);
  std::vector<std::string> names;
  for (const auto* b : binds)
    if (!b->name().empty()) names.push_back(b->name());
  return names;
}

/// An INSERT or UPDATE without values takes its columns from the parameter names.
NodePtr with_parameter_columns(const NodePtr& node, const Params& params) {
  if (params.empty()) return node;
  if (node->kind() == NodeKind::Insert) {
    Insert insert(node);
    if (insert.has_values()) return node;
    std::vector<std::string> names;
    for (const auto& [k, v] : params.items()) names.push_back(k);
    return insert.with_parameter_columns(names).node();
  }
  if (node->kind() == NodeKind::Update) {
    Update update(node);
    if (update.has_values()) return node;
    auto used = named_binds(*node);
    std::vector<std::string> names;
    for (const auto& [k, v] : params.items())
      if (std::find(used.begin(), used.end(), k) == used.end()) names.push_back(k);
    return update.with_parameter_columns(names).node();
  }
  return node;
}

/// Fills `out` with one pointer per compiled parameter slot.
void resolve_params(const Compiled& compiled, const std::vector<const BindParamNode*>& binds, const Params& params,
                    const std::vector<Value>& positional, std::vector<const Value*>& out) {
  std::size_t next_positional = 0;
  for (const auto& slot : compiled.params) {
    if (!slot.name.empty()) {
      if (const Value* v = params.find(slot.name)) {
        out.push_back(v);
        continue;
      }
    }
    if (slot.has_value && slot.ordinal >= 0) {
      out.push_back(&*binds[static_cast<std::size_t>(slot.ordinal)]->value());
      continue;
    }
    if (next_positional < positional.size()) {
      out.push_back(&positional[next_positional++]);
      continue;
    }
    throw ArgumentError(fmt::format("no value given for bind parameter '{}'\n[SQL: {}]",
                                    slot.name.empty() ? "?" : slot.name, compiled.sql));
  }
}

std::string describe_params(std::span<const Value* const> params) {
  std::string out = "(";
  for (std::size_t i = 0; i < params.size() && i < 20; ++i) out += (i ? ", " : "") + params[i]->repr();
  if (params.size() > 20) out += ", ...";
  return out + ")";
}

}  // namespace

// ---- Connection ------------------------------------------------------------------------------

ConnectionState& Connection::state() const {
  if (!state_) throw ResourceClosedError("this connection is closed");
  return *state_;
}

const Dialect& Connection::dialect() const { return *state().engine->dialect; }
DriverConnection& Connection::driver_connection() { return state().driver(); }

void Connection::close() { state_.reset(); }

void Connection::invalidate() { state().invalidated = true; }

bool Connection::in_transaction() const {
  state().sync_transaction_depth();
  return state().transaction_depth() > 0;
}

bool ConnectionState::autocommit() const {
  const auto& level = engine->options.isolation_level;
  return level && *level == "AUTOCOMMIT";
}

void ConnectionState::sync_transaction_depth() {
  // A COMMIT or ROLLBACK sent as plain SQL ends the transaction behind our back; in autocommit
  // mode there is no server-side transaction to compare with.
  if (!autocommit() && transaction_depth() > 0 && !driver().in_transaction()) close_from(1);
}

void ConnectionState::autobegin() {
  if (!engine->options.autobegin) return;
  sync_transaction_depth();
  if (transaction_depth() > 0) return;
  if (!autocommit() && !driver().in_transaction())
    for (const auto& sql : engine->dialect->begin_statements(engine->options.isolation_level)) run(sql);
  open_level();
}

bool Connection::autobegins() const { return state().engine->options.autobegin; }

void Connection::commit() {
  auto& st = state();
  st.sync_transaction_depth();
  if (st.transaction_depth() == 0) return;
  st.close_from(1);  // the Transaction handles of this transaction now do nothing
  if (!st.autocommit()) st.run("COMMIT");
}

void Connection::rollback() {
  auto& st = state();
  st.sync_transaction_depth();
  if (st.transaction_depth() == 0) return;
  st.close_from(1);
  if (!st.autocommit() && st.driver().in_transaction()) st.run("ROLLBACK");
}

Transaction Connection::begin() {
  auto& st = state();
  st.sync_transaction_depth();
  if (st.transaction_depth() > 0)
    throw InvalidRequestError(
        "a transaction is already open on this connection; use "
        "begin_nested() for a savepoint");
  if (!st.autocommit())
    for (const auto& sql : st.engine->dialect->begin_statements(st.engine->options.isolation_level)) st.run(sql);
  auto id = st.open_level();
  return Transaction(state_, {}, 1, id);
}

Transaction Connection::begin_nested() {
  auto& st = state();
  if (!st.engine->dialect->features().supports_savepoints)
    throw InvalidRequestError("the " + st.engine->dialect->name() + " dialect has no savepoints");
  st.sync_transaction_depth();
  if (st.transaction_depth() == 0) {
    // A savepoint needs an enclosing transaction: use the one begun as plain SQL (BEGIN
    // IMMEDIATE, say), or start one that the savepoint's commit leaves open (as SQLAlchemy's
    // begin_nested() autobegins). Under AUTOCOMMIT the SAVEPOINT itself opens it.
    if (!st.autocommit() && !st.driver().in_transaction())
      for (const auto& sql : st.engine->dialect->begin_statements(st.engine->options.isolation_level)) st.run(sql);
    st.open_level();
  }
  std::string name = fmt::format("sp_{}", ++st.savepoint_counter);
  st.run(st.engine->dialect->savepoint_sql(name));
  auto id = st.open_level();
  return Transaction(state_, name, st.transaction_depth(), id);
}

Result Connection::exec_driver_sql(std::string_view sql, const std::vector<Value>& params) {
  auto& st = state();
  st.autobegin();
  std::vector<const Value*> ptrs;
  for (const auto& v : params) ptrs.push_back(&v);
  StatementEvent event{sql, ptrs, false, -1};
  const auto& events = st.engine->events;
  events.fire_before_execute(event);
  if (st.engine->options.echo) fmt::print(stderr, "[retort] {} {}\n", sql, describe_params(ptrs));
  try {
    auto cursor = st.driver().execute(sql, ptrs);
    event.rowcount = cursor->rows_affected();
    events.fire_after_execute(event);
    return Result(std::move(cursor), state_);
  } catch (const DBAPIError& e) {
    if (dynamic_cast<const DisconnectionError*>(&e)) st.invalidated = true;
    events.fire_handle_error(e, sql);
    throw;
  }
}

void Connection::execute_script(std::string_view sql) {
  auto& st = state();
  st.autobegin();
  try {
    st.driver().execute_script(sql);
  } catch (const DBAPIError& e) {
    st.engine->events.fire_handle_error(e, sql);
    throw;
  }
}

Result Connection::execute_node(const NodePtr& given, const Params& params, const std::vector<Value>& positional) {
  auto& st = state();
  if (!given) throw ArgumentError("execute(): empty statement");
  st.autobegin();
  NodePtr node = with_parameter_columns(given, params);
  Engine engine(st.engine);
  auto compiled = engine.compile(*node);
  std::vector<const BindParamNode*> binds;
  node->collect_binds(binds);
  std::vector<const Value*> ptrs;
  ptrs.reserve(compiled->params.size());
  resolve_params(*compiled, binds, params, positional, ptrs);

  const auto& events = st.engine->events;
  StatementEvent event{compiled->sql, ptrs, false, -1};
  events.fire_before_execute(event);
  if (st.engine->options.echo) fmt::print(stderr, "[retort] {} {}\n", compiled->sql, describe_params(ptrs));
  try {
    for (const auto& before : compiled->pre_sql) st.driver().execute(before, {});
    auto cursor = st.driver().execute(compiled->sql, ptrs);
    for (const auto& extra : compiled->post_sql) st.driver().execute(extra, {});
    event.rowcount = cursor->rows_affected();
    events.fire_after_execute(event);
    return Result(std::move(cursor), state_, result_types_of(*node));
  } catch (const DBAPIError& e) {
    if (dynamic_cast<const DisconnectionError*>(&e)) st.invalidated = true;
    events.fire_handle_error(e, compiled->sql);
    throw;
  }
}

Result Connection::execute_many_node(const NodePtr& given, const std::vector<Params>& rows) {
  auto& st = state();
  if (!given) throw ArgumentError("execute(): empty statement");
  if (rows.empty()) throw ArgumentError("executemany: no parameter rows given");
  st.autobegin();
  NodePtr node = with_parameter_columns(given, rows.front());
  Engine engine(st.engine);
  auto compiled = engine.compile(*node);
  std::vector<const BindParamNode*> binds;
  node->collect_binds(binds);
  const std::size_t per_row = compiled->params.size();
  // Every row must bind every slot; each row resolves names on its own.
  std::vector<const Value*> ptrs;
  ptrs.reserve(per_row * rows.size());
  static const std::vector<Value> no_positional;
  for (const auto& row : rows) resolve_params(*compiled, binds, row, no_positional, ptrs);

  const auto& features = st.engine->dialect->features();
  const auto& events = st.engine->events;
  bool multivalues = false;
  std::size_t page = 1;
  if (node->kind() == NodeKind::Insert && features.supports_multivalues_insert && rows.size() > 1 && per_row > 0) {
    const auto& insert = node->cast<InsertNode>();
    // Batching repeats the VALUES tuple; parameters elsewhere (RETURNING, ON CONFLICT)
    // would be repeated wrongly, so such statements go row by row.
    bool binds_outside_values = (insert.extension && insert.extension->has_binds());
    for (const auto& r : insert.returning) binds_outside_values = binds_outside_values || r->has_binds();
    if (insert.rows.size() == 1 && !binds_outside_values) {
      page = std::min(features.insertmanyvalues_page_size,
                      std::max<std::size_t>(1, features.max_bind_parameters / per_row));
      multivalues = page > 1;
    }
  }

  StatementEvent event{compiled->sql, ptrs, true, 0};
  events.fire_before_execute(event);
  if (st.engine->options.echo) fmt::print(stderr, "[retort] {} [{} parameter sets]\n", compiled->sql, rows.size());
  std::string current_sql = compiled->sql;
  try {
    std::vector<std::vector<Value>> returned;
    std::vector<std::string> keys;
    std::int64_t total = 0;
    auto collect = [&](std::unique_ptr<DriverCursor> cursor) {
      if (keys.empty()) keys = cursor->column_names();
      std::vector<Value> row;
      while (cursor->fetch(row)) returned.push_back(row);
      auto n = cursor->rows_affected();
      if (n > 0) total += n;
    };
    if (multivalues) {
      const auto& insert = node->cast<InsertNode>();
      std::shared_ptr<const Compiled> full;
      std::size_t done = 0;
      while (done < rows.size()) {
        std::size_t n = std::min(page, rows.size() - done);
        std::shared_ptr<const Compiled> batch;
        if (n == 1) {
          batch = compiled;
        } else {
          if (n == page && full) {
            batch = full;
          } else {
            auto many = std::make_shared<InsertNode>(static_cast<const InsertParts&>(insert));
            many->rows.assign(n, insert.rows.front());
            batch = engine.compile(*many);
            if (n == page) full = batch;
          }
        }
        current_sql = batch->sql;
        collect(
            st.driver().execute(batch->sql, std::span<const Value* const>(ptrs).subspan(done * per_row, n * per_row)));
        done += n;
      }
    } else if (compiled->returns_rows || per_row == 0) {
      // Without parameters the driver cannot tell how many rows there are: run each here.
      for (std::size_t r = 0; r < rows.size(); ++r)
        collect(st.driver().execute(compiled->sql, std::span<const Value* const>(ptrs).subspan(r * per_row, per_row)));
    } else {
      total = st.driver().execute_many(compiled->sql, ptrs, per_row);
    }
    event.rowcount = total;
    events.fire_after_execute(event);
    return Result(std::move(keys), std::move(returned), total, result_types_of(*node));
  } catch (const DBAPIError& e) {
    if (dynamic_cast<const DisconnectionError*>(&e)) st.invalidated = true;
    events.fire_handle_error(e, current_sql);
    throw;
  }
}

}  // namespace retort::core
