// A table: columns, constraints and indexes, owned by a MetaData. A Table is also a FROM
// element of the SQL tree, so `users.c("id")` is a column expression bound to it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <retort/core/schema/column.hpp>
#include <retort/core/schema/constraints.hpp>
#include <retort/core/schema/naming.hpp>
#include <retort/core/sql/elements.hpp>

namespace retort::core {

/// Table-wide options: TableOptions{.schema = "sales", .comment = "orders placed"}.
struct TableOptions {
  std::optional<std::string> schema{};  // `{}`: designated initializers may skip fields
  std::optional<std::string> comment{};
  std::map<std::string, std::string> dialect_options{};  // e.g. {"mysql_engine", "InnoDB"}
  /// The name the table had: autogenerate then renames it (data kept) where the database still
  /// has the old name.
  std::optional<std::string> renamed_from{};
};

using TableElement = std::variant<Column, PrimaryKeyConstraint, ForeignKeyConstraint, UniqueConstraint, CheckConstraint,
                                  Index, TableOptions>;

class From;

class Table final : public Node, public std::enable_shared_from_this<Table> {
 public:
  static constexpr NodeKind KIND = NodeKind::Table;
  Table(std::string name, std::shared_ptr<const NamingConvention> naming);

  const std::string& name() const noexcept { return name_; }
  const std::optional<std::string>& schema() const noexcept { return options_.schema; }
  /// schema.name, or name.
  std::string fullname() const;
  const std::optional<std::string>& comment() const noexcept { return options_.comment; }
  const std::map<std::string, std::string>& dialect_options() const noexcept { return options_.dialect_options; }
  const std::optional<std::string>& renamed_from() const noexcept { return options_.renamed_from; }

  const std::vector<Column>& columns() const noexcept { return columns_; }
  bool has_column(std::string_view name) const;
  /// Throws NoSuchColumnError naming the table and its columns.
  const Column& column(std::string_view name) const;
  /// A column expression bound to this table. Throws NoSuchColumnError.
  Expr c(std::string_view name) const;

  /// The primary key (columns empty when the table has none).
  const PrimaryKeyConstraint& primary_key() const noexcept { return primary_key_; }
  const std::vector<ForeignKeyConstraint>& foreign_keys() const noexcept { return foreign_keys_; }
  const std::vector<UniqueConstraint>& unique_constraints() const noexcept { return uniques_; }
  const std::vector<CheckConstraint>& check_constraints() const noexcept { return checks_; }
  const std::vector<Index>& indexes() const noexcept { return indexes_; }

  /// Whether `column` autoincrements (SQLAlchemy's rule, the one the DDL compilers and reflection
  /// share): the single-column integer primary key, with no server default or computed value,
  /// and not a foreign key unless declared autoincrement(true); autoincrement(false) opts out.
  bool is_autoincrement(const Column& column) const;

  /// Adds an element: column shortcuts (primary_key, unique, index, references) become
  /// constraints, and unnamed constraints get names from the naming convention.
  void append(TableElement element);
  /// Marks a foreign key as created by ALTER TABLE (used to break dependency cycles).
  void set_use_alter(std::size_t foreign_key_index, bool value);

  From alias(std::string name) const;
  From join(const From& right, std::optional<Expr> on = std::nullopt) const;
  From outerjoin(const From& right, std::optional<Expr> on = std::nullopt) const;

 protected:
  void hash_into(Hasher& h) const override;
  void for_each_child(const std::function<void(const Node&)>&) const override {}

 private:
  void append_column(Column column);
  void append_foreign_key(ForeignKeyConstraint fk);

  std::string name_;
  std::shared_ptr<const NamingConvention> naming_;
  TableOptions options_;
  std::vector<Column> columns_;
  std::vector<std::shared_ptr<const ColumnNode>> column_nodes_;
  PrimaryKeyConstraint primary_key_;
  std::vector<ForeignKeyConstraint> foreign_keys_;
  std::vector<UniqueConstraint> uniques_;
  std::vector<CheckConstraint> checks_;
  std::vector<Index> indexes_;
};

using TablePtr = std::shared_ptr<Table>;

}  // namespace retort::core
