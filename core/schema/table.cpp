// Table construction: column shortcuts expand into constraints; names come from conventions.
#include <retort/core/schema/table.hpp>

#include <retort/core/schema/owned_table.hpp>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/sql/selectable.hpp>

namespace retort::core {

Table::Table(std::string name, std::shared_ptr<const NamingConvention> naming)
    : Node(KIND), name_(std::move(name)), naming_(std::move(naming)) {
  if (name_.empty()) throw ArgumentError("a Table needs a name");
  if (!naming_) naming_ = std::make_shared<NamingConvention>();
}

std::string Table::fullname() const { return options_.schema ? *options_.schema + "." + name_ : name_; }

bool Table::has_column(std::string_view name) const {
  for (const auto& c : columns_)
    if (c.name() == name) return true;
  return false;
}

const Column& Table::column(std::string_view name) const {
  for (const auto& c : columns_)
    if (c.name() == name) return c;
  std::vector<std::string> names;
  for (const auto& c : columns_) names.push_back(c.name());
  throw NoSuchColumnError(
      fmt::format("table {} has no column '{}' (columns: {})", fullname(), name, fmt::join(names, ", ")));
}

Expr Table::c(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name() == name) {
      // The expression shares ownership of this table (an aliasing pointer to its column node),
      // so a statement built from it stays valid after the MetaData that declared the table is
      // gone. The table's own nodes point back with a plain pointer: no cycle, nothing leaks.
      if (auto self = weak_from_this().lock()) return Expr(NodePtr(std::move(self), column_nodes_[i].get()));
      return Expr(column_nodes_[i]);  // a table not owned by a shared_ptr lives as its owner says
    }
  column(name);  // throws with the list of columns
  return {};
}

bool Table::is_autoincrement(const Column& column) const {
  if (!column.is_primary_key() || primary_key_.columns.size() != 1) return false;
  if (column.autoincrement_setting() == Autoincrement::No) return false;
  auto k = column.type().kind;
  if (k != TypeKind::Integer && k != TypeKind::BigInteger && k != TypeKind::SmallInteger) return false;
  if (column.server_default_expr() || column.computed_options()) return false;
  for (const auto& fk : foreign_keys_)
    if (std::find(fk.columns.begin(), fk.columns.end(), column.name()) != fk.columns.end() &&
        column.autoincrement_setting() != Autoincrement::Yes)
      return false;
  return true;
}

void Table::hash_into(Hasher& h) const { h.add(name_).add(options_.schema ? *options_.schema : std::string("\x01")); }

void Table::append(TableElement element) {
  std::visit(
      [this](auto&& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, Column>) {
          append_column(std::move(e));
        } else if constexpr (std::is_same_v<T, PrimaryKeyConstraint>) {
          for (const auto& c : e.columns) column(c);
          primary_key_ = std::move(e);
          primary_key_.name = naming_->apply("pk", primary_key_.name, name_, primary_key_.columns);
        } else if constexpr (std::is_same_v<T, ForeignKeyConstraint>) {
          append_foreign_key(std::move(e));
        } else if constexpr (std::is_same_v<T, UniqueConstraint>) {
          for (const auto& c : e.columns) column(c);
          e.name = naming_->apply("uq", e.name, name_, e.columns);
          uniques_.push_back(std::move(e));
        } else if constexpr (std::is_same_v<T, CheckConstraint>) {
          e.name = naming_->apply("ck", e.name, name_, {});
          checks_.push_back(std::move(e));
        } else if constexpr (std::is_same_v<T, Index>) {
          for (const auto& c : e.column_names()) column(c);
          e.name = naming_->apply("ix", e.name, name_, e.column_names());
          if (e.name.empty())
            throw ArgumentError("index on table " + name_ + " needs a name (no 'ix' naming convention applies)");
          indexes_.push_back(std::move(e));
        } else if constexpr (std::is_same_v<T, TableOptions>) {
          if (e.schema) options_.schema = e.schema;
          if (e.comment) options_.comment = e.comment;
          for (auto& [k, v] : e.dialect_options) options_.dialect_options[k] = v;
          if (e.renamed_from) options_.renamed_from = e.renamed_from;
        }
      },
      std::move(element));
}

void Table::append_column(Column col) {
  if (has_column(col.name()))
    throw ArgumentError(fmt::format("table {} already has a column '{}'", fullname(), col.name()));
  columns_.push_back(col);
  column_nodes_.push_back(std::make_shared<ColumnNode>(col.name(), col.type(), this));
  if (col.is_primary_key()) {
    primary_key_.columns.push_back(col.name());
    primary_key_.name = naming_->apply("pk", {}, name_, primary_key_.columns);
  }
  if (col.is_unique() && !col.is_indexed()) append(UniqueConstraint{{col.name()}, {}});
  if (col.is_indexed()) append(Index({}, std::vector<std::string>{col.name()}, col.is_unique()));
  for (const auto& fk : col.foreign_keys()) {
    ForeignKeyConstraint c;
    c.columns = {col.name()};
    auto dot = fk.target.rfind('.');
    std::string table = fk.target.substr(0, dot);
    auto schema_dot = table.rfind('.');
    if (schema_dot != std::string::npos) {
      c.referred_schema = table.substr(0, schema_dot);
      table = table.substr(schema_dot + 1);
    }
    c.referred_table = table;
    c.referred_columns = {fk.target.substr(dot + 1)};
    c.name = fk.name;
    c.ondelete = fk.ondelete;
    c.onupdate = fk.onupdate;
    c.deferrable = fk.deferrable;
    c.initially = fk.initially;
    append_foreign_key(std::move(c));
  }
}

void Table::append_foreign_key(ForeignKeyConstraint fk) {
  if (fk.columns.empty() || fk.columns.size() != fk.referred_columns.size())
    throw ArgumentError(fmt::format("foreign key on table {}: {} local column(s) but {} referred column(s)", fullname(),
                                    fk.columns.size(), fk.referred_columns.size()));
  for (const auto& c : fk.columns) column(c);
  if (fk.referred_table.empty()) throw ArgumentError("foreign key on table " + fullname() + " names no referred table");
  fk.name = naming_->apply("fk", fk.name, name_, fk.columns, fk.referred_table, fk.referred_columns);
  foreign_keys_.push_back(std::move(fk));
}

void Table::set_use_alter(std::size_t i, bool value) { foreign_keys_.at(i).use_alter = value; }

From Table::alias(std::string name) const { return From(owned(*this)).alias(std::move(name)); }
From Table::join(const From& right, std::optional<Expr> on) const {
  return From(owned(*this)).join(right, std::move(on));
}
From Table::outerjoin(const From& right, std::optional<Expr> on) const {
  return From(owned(*this)).outerjoin(right, std::move(on));
}

std::shared_ptr<const Table> owned(const Table& table) {
  if (auto shared = table.weak_from_this().lock()) return shared;
  throw ArgumentError(
      fmt::format("table '{}' is not owned by a MetaData or a std::shared_ptr: statements keep their tables alive, "
                  "so declare it with MetaData::table (or std::make_shared<Table>)",
                  table.name()));
}

}  // namespace retort::core
