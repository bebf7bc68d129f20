// The table a batch recreates ("move and copy"), as a description: reflected online or taken from
// copy_from, then changed by each of the batch's ops, with a map from each new column to the old
// column it is copied from (renames followed, CAST where the type changes).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <retort/core/dialect.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/migrate/ops/batch_operations.hpp>

namespace retort::migrate {
class MigrationContext;
}

namespace retort::migrate::ops {

/// "schema.table", or "table".
std::string display(const TableName& t);

/// The table being recreated, as a description that the ops change, and where each of its
/// columns' values come from.
class RecreatedTable {
 public:
  RecreatedTable(core::ReflectedTable table, const core::Dialect& dialect);

  void apply(const Operation& op);

  const core::ReflectedTable& table() const noexcept { return table_; }
  /// Each new column copied from an old one, and that old column's name.
  std::map<std::string, std::string> old_column_names() const;

  /// Replaces reflected column declarations with the given ones (type, nullability, default,
  /// comment), before any op.
  void override_columns(const std::vector<core::Column>& columns);

  /// Names the unnamed primary key, unique and foreign key constraints by the convention.
  void name_constraints(const core::NamingConvention& naming);

  /// Moves `name` just before (or after) `anchor`.
  void place(const std::string& name, const ColumnPosition& position);

  /// Puts the listed columns in the listed order, in the places they held among themselves.
  void reorder(const std::vector<std::string>& order);

  /// INSERT INTO new (...) SELECT ... FROM old: the columns that come from old ones.
  /// `clause` goes between the column list and SELECT (PostgreSQL's OVERRIDING SYSTEM VALUE).
  std::string copy_statement(const std::string& new_name, const std::string& old_name,
                             const std::string& clause = {}) const;

 private:
  struct Source {
    std::string old_name{};
    std::optional<core::SqlType> new_type{};  // set when the type changes: the copy casts
  };

  core::ReflectedColumn& column(const std::string& name);

  std::string sql_of(const core::Expr& e) const;

  void add_column(const core::Column& c);

  void drop_column(const std::string& name);

  void alter_column(const std::string& name, const core::ColumnAlteration& change);

  template <class T>
  void erase_named(std::vector<T>& items, const std::string& name, const char* what) {
    auto before = items.size();
    std::erase_if(items, [&](const auto& i) { return i.name == name; });
    if (items.size() == before)
      throw core::ArgumentError(fmt::format("table {} has no {} named '{}'", table_.name, what, name));
  }

  void drop_constraint(const std::string& name, bool if_exists);

  core::ReflectedTable table_;
  const core::Dialect& dialect_;
  std::map<std::string, Source> source_;  // new column -> where its values come from
};

/// The table as a description: reflected online, or from copy_from (offline there is nothing to
/// reflect: CommandError without it).
core::ReflectedTable current_table(MigrationContext& context, const TableName& name, const BatchOptions& options);

/// The ops that give the new table what table_args lists.
std::vector<Operation> table_arg_ops(const TableName& name, const std::vector<core::TableElement>& args);

}  // namespace retort::migrate::ops
