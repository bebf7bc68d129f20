// The ALTER family of DDL nodes: add/drop/alter column, rename table, table comments. Each
// dialect's DdlCompiler renders them (or refuses with a message naming the dialect); migration
// operations and batch recreation are built from them. Alembic's ddl/base.py elements are the model.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <retort/core/ddl/ddl_elements.hpp>

namespace retort::core {

/// A change that can also remove what it changes: unset = leave alone; set to an empty optional
/// = remove it (DROP DEFAULT, comment removed); set to a value = set it.
template <class T>
using Removable = std::optional<std::optional<T>>;

/// Where an ALTER applies: the table's name and schema.
struct TableName {
  std::string name{};
  std::optional<std::string> schema{};
};

/// ALTER TABLE t ADD COLUMN spec. The column's foreign keys are added with it (inline REFERENCES,
/// or a separate ADD CONSTRAINT where the dialect ignores inline ones), its comment likewise.
class AddColumnNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::AddColumn;
  AddColumnNode(TableName table_in, Column column_in, bool if_not_exists_in)
      : DdlNode(KIND), table(std::move(table_in)), column(std::move(column_in)), if_not_exists(if_not_exists_in) {}
  TableName table;
  Column column;
  bool if_not_exists;
};

/// ALTER TABLE t DROP COLUMN c
class DropColumnNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::DropColumn;
  DropColumnNode(TableName table_in, std::string column_in, bool if_exists_in)
      : DdlNode(KIND), table(std::move(table_in)), column(std::move(column_in)), if_exists(if_exists_in) {}
  TableName table;
  std::string column;
  bool if_exists;
};

/// What an ALTER COLUMN changes. Unset fields are left alone. The `existing_*` fields describe
/// the column as it is: MySQL re-specifies the whole column (MODIFY/CHANGE) and needs them.
struct ColumnAlteration {
  std::optional<bool> nullable{};
  std::optional<SqlType> type{};
  Removable<Expr> server_default{};
  std::optional<std::string> new_name{};
  Removable<std::string> comment{};
  std::optional<bool> autoincrement{};
  std::optional<std::string> postgresql_using{};  // ALTER COLUMN ... TYPE t USING expr

  std::optional<SqlType> existing_type{};
  std::optional<bool> existing_nullable{};
  std::optional<Expr> existing_server_default{};
  std::optional<std::string> existing_comment{};
  std::optional<bool> existing_autoincrement{};
  /// GENERATED ... AS IDENTITY made, changed (ALWAYS/BY DEFAULT, START WITH, INCREMENT BY) or
  /// removed; where the dialect has identity columns (Alembic's alter_column with an Identity
  /// server_default). existing_identity says whether it is one now: ADD or SET.
  Removable<Identity> identity{};
  std::optional<Identity> existing_identity{};

  bool changes_anything() const noexcept {
    return nullable || type || server_default || new_name || comment || autoincrement || identity;
  }
};

class AlterColumnNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::AlterColumn;
  AlterColumnNode(TableName table_in, std::string column_in, ColumnAlteration change_in)
      : DdlNode(KIND), table(std::move(table_in)), column(std::move(column_in)), change(std::move(change_in)) {}
  TableName table;
  std::string column;
  ColumnAlteration change;
};

/// ALTER TABLE old RENAME TO new (the table stays in its schema).
class RenameTableNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::RenameTable;
  RenameTableNode(TableName table_in, std::string new_name_in)
      : DdlNode(KIND), table(std::move(table_in)), new_name(std::move(new_name_in)) {}
  TableName table;
  std::string new_name;
};

/// Sets (or, with no comment, removes) a table's comment.
class SetTableCommentNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::SetTableComment;
  SetTableCommentNode(TableName table_in, std::optional<std::string> comment_in)
      : DdlNode(KIND), table(std::move(table_in)), comment(std::move(comment_in)) {}
  TableName table;
  std::optional<std::string> comment;
};

// Statement handles: conn.execute(AddColumn({"users"}, Column("email", String{100}))).
struct AddColumn : DdlStatement {
  AddColumn(TableName table, Column column, bool if_not_exists = false)
      : DdlStatement(std::make_shared<AddColumnNode>(std::move(table), std::move(column), if_not_exists)) {}
};
struct DropColumn : DdlStatement {
  DropColumn(TableName table, std::string column, bool if_exists = false)
      : DdlStatement(std::make_shared<DropColumnNode>(std::move(table), std::move(column), if_exists)) {}
};
struct AlterColumn : DdlStatement {
  AlterColumn(TableName table, std::string column, ColumnAlteration change)
      : DdlStatement(std::make_shared<AlterColumnNode>(std::move(table), std::move(column), std::move(change))) {}
};
struct RenameTable : DdlStatement {
  RenameTable(TableName table, std::string new_name)
      : DdlStatement(std::make_shared<RenameTableNode>(std::move(table), std::move(new_name))) {}
};
struct SetTableComment : DdlStatement {
  SetTableComment(TableName table, std::string comment)
      : DdlStatement(std::make_shared<SetTableCommentNode>(std::move(table), std::move(comment))) {}
};
struct DropTableComment : DdlStatement {
  explicit DropTableComment(TableName table)
      : DdlStatement(std::make_shared<SetTableCommentNode>(std::move(table), std::nullopt)) {}
};

}  // namespace retort::core
