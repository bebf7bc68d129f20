// Named enum types as DDL nodes (PostgreSQL's CREATE TYPE ... AS ENUM, DROP TYPE, ALTER TYPE ...
// ADD VALUE). A dialect without named enum types refuses them with a message naming it (an Enum
// column there is a CHECK or the column's own ENUM type, made with its table).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/core/ddl/ddl_elements.hpp>

namespace retort::core {

class CreateEnumTypeNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::CreateEnumType;
  CreateEnumTypeNode(std::string name_in, std::optional<std::string> schema_in, std::vector<std::string> values_in,
                     bool if_not_exists_in)
      : DdlNode(KIND),
        name(std::move(name_in)),
        schema(std::move(schema_in)),
        values(std::move(values_in)),
        if_not_exists(if_not_exists_in) {}
  std::string name;
  std::optional<std::string> schema;
  std::vector<std::string> values;
  bool if_not_exists;
};

class DropEnumTypeNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::DropEnumType;
  DropEnumTypeNode(std::string name_in, std::optional<std::string> schema_in, bool if_exists_in)
      : DdlNode(KIND), name(std::move(name_in)), schema(std::move(schema_in)), if_exists(if_exists_in) {}
  std::string name;
  std::optional<std::string> schema;
  bool if_exists;
};

/// ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'value' [BEFORE 'x' | AFTER 'y'].
class AddEnumValueNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::AddEnumValue;
  AddEnumValueNode(std::string name_in, std::optional<std::string> schema_in, std::string value_in,
                   std::optional<std::string> before_in, std::optional<std::string> after_in, bool if_not_exists_in)
      : DdlNode(KIND),
        name(std::move(name_in)),
        schema(std::move(schema_in)),
        value(std::move(value_in)),
        before(std::move(before_in)),
        after(std::move(after_in)),
        if_not_exists(if_not_exists_in) {}
  std::string name;
  std::optional<std::string> schema;
  std::string value;
  std::optional<std::string> before, after;
  bool if_not_exists;
};

/// A column of an enum type that AlterEnumTypeNode changes: its values are cast to the new type,
/// its default (SQL as the database shows it, e.g. 'draft'::status) dropped first and set again.
struct EnumTypeColumn {
  TableName table{};
  std::string column{};
  std::optional<std::string> server_default{};
};

/// Gives an enum type new values. Where the existing values are known and all kept in order, the
/// new ones are added (ALTER TYPE ... ADD VALUE ... BEFORE/AFTER); otherwise the type is made
/// again and each of `columns` cast to it through its text (a row holding a removed value makes
/// the cast, and so the migration, fail).
class AlterEnumTypeNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::AlterEnumType;
  AlterEnumTypeNode(std::string name_in, std::optional<std::string> schema_in, std::vector<std::string> values_in,
                    std::optional<std::vector<std::string>> existing_values_in, std::vector<EnumTypeColumn> columns_in)
      : DdlNode(KIND),
        name(std::move(name_in)),
        schema(std::move(schema_in)),
        values(std::move(values_in)),
        existing_values(std::move(existing_values_in)),
        columns(std::move(columns_in)) {}
  std::string name;
  std::optional<std::string> schema;
  std::vector<std::string> values;
  std::optional<std::vector<std::string>> existing_values;
  std::vector<EnumTypeColumn> columns;
};

}  // namespace retort::core
