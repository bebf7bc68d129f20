// A migration plan as revision bodies (render_revision.hpp).
#include <retort/migrate/autogenerate/render_revision.hpp>

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/migrate/errors.hpp>
#include <retort/migrate/impl/migration_impl.hpp>
#include <retort/migrate/ops/operations.hpp>
#include <retort/migrate/runtime/migration_context.hpp>

namespace retort::migrate::autogenerate {

namespace {

/// Each op's reverse, last first; an op without one leaves `why` in its place.
struct Reversed {
  std::vector<ops::Operation> ops;
  std::vector<std::string> missing;  // "cannot reverse op.x: why"
};

Reversed reversed(const MigrationPlan& plan) {
  Reversed out;
  for (auto it = plan.ops.rbegin(); it != plan.ops.rend(); ++it) {
    try {
      out.ops.push_back(ops::reverse(*it));
    } catch (const core::ArgumentError& e) {
      out.missing.push_back(e.what());
    }
  }
  return out;
}

/// Lines of `text` with `indent` before each.
std::string indented(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    auto line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    out += (line.empty() ? "" : indent + line) + "\n";
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  if (!out.empty()) out.pop_back();
  return out;
}

std::string comment_lines(const std::vector<std::string>& lines, const std::string& prefix, const std::string& marker) {
  std::string out;
  for (const auto& l : lines) out += prefix + marker + " " + l + "\n";
  return out;
}

/// The statements `list` becomes offline for `dialect`. A table recreation on SQLite starts with
/// turning foreign keys off (SQLite's procedure; the runner does it between transactions), so
/// that dropping the old table neither cascades nor fails on the rows that refer to it.
std::string sql_of(const std::vector<ops::Operation>& list, const core::Dialect& dialect) {
  std::ostringstream out;
  bool recreates = std::any_of(list.begin(), list.end(), [](const ops::Operation& o) {
    return std::holds_alternative<ops::BatchAlterTableOp>(o);
  });
  if (recreates && MigrationImpl::for_dialect(dialect)->can_pause_foreign_keys())
    out << "PRAGMA foreign_keys = OFF" << dialect.script_syntax().statement_terminator << "\n\n";
  MigrationContext context(dialect, out, {});
  ops::Operations op(context);
  for (const auto& o : list) op.run(o);
  auto text = out.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

RevisionBodies render_cpp_bodies(const MigrationPlan& plan) {
  RevisionBodies out;
  std::string up = comment_lines(plan.warnings, "", "// WARNING:");
  for (const auto& o : plan.ops) up += ops::render_cpp(o) + "\n";
  auto back = reversed(plan);
  std::string down = comment_lines(back.missing, "", "// NOT REVERSED:");
  for (const auto& o : back.ops) down += ops::render_cpp(o) + "\n";
  while (!up.empty() && up.back() == '\n') up.pop_back();
  while (!down.empty() && down.back() == '\n') down.pop_back();
  // The template indents the first line itself.
  out.upgrade = indented(up, "  ").substr(up.empty() ? 0 : 2);
  out.downgrade = indented(down, "  ").substr(down.empty() ? 0 : 2);
  return out;
}

RevisionBodies render_sql_bodies(const MigrationPlan& plan, const core::Dialect& dialect) {
  RevisionBodies out;
  out.upgrade = comment_lines(plan.warnings, "", "-- WARNING:") + sql_of(plan.ops, dialect);
  auto back = reversed(plan);
  out.downgrade = comment_lines(back.missing, "", "-- NOT REVERSED:") + sql_of(back.ops, dialect);
  return out;
}

}  // namespace retort::migrate::autogenerate
