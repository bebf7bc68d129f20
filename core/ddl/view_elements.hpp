// Views as DDL nodes: CREATE VIEW name AS select, DROP VIEW [IF EXISTS] name (the same on every
// dialect retort has).
#pragma once

#include <string>

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/core/ddl/ddl_elements.hpp>

namespace retort::core {

class CreateViewNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::CreateView;
  CreateViewNode(TableName view_in, std::string definition_in)
      : DdlNode(KIND), view(std::move(view_in)), definition(std::move(definition_in)) {}
  TableName view;
  std::string definition;
};

class DropViewNode final : public DdlNode {
 public:
  static constexpr NodeKind KIND = NodeKind::DropView;
  DropViewNode(TableName view_in, bool if_exists_in)
      : DdlNode(KIND), view(std::move(view_in)), if_exists(if_exists_in) {}
  TableName view;
  bool if_exists;
};

// Statement handles: conn.execute(CreateView({"active_users"}, "SELECT ...")).
struct CreateView : DdlStatement {
  CreateView(TableName view, std::string definition)
      : DdlStatement(std::make_shared<CreateViewNode>(std::move(view), std::move(definition))) {}
};
struct DropView : DdlStatement {
  explicit DropView(TableName view, bool if_exists = false)
      : DdlStatement(std::make_shared<DropViewNode>(std::move(view), if_exists)) {}
};

}  // namespace retort::core
