// Named enum types as DDL nodes (PostgreSQL's CREATE TYPE ... AS ENUM, DROP TYPE, ALTER TYPE ...
// ADD VALUE). A dialect without named enum types refuses them with a message naming it (an Enum
// column there is a CHECK or the column's own ENUM type, made with its table).
#pragma once

#include <optional>
#include <string>
#include <vector>

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

}  // namespace retort::core
