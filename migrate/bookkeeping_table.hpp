// A table retort keeps beside the user's own (the version table, its history, the statement
// progress): its Core definition, its CREATE TABLE, and whether the database has it yet.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/dialect.hpp>
#include <retort/core/engine/connection.hpp>
#include <retort/core/schema/metadata.hpp>

namespace retort::migrate {

class BookkeepingTable {
 public:
  BookkeepingTable(const BookkeepingTable&) = delete;
  BookkeepingTable& operator=(const BookkeepingTable&) = delete;

  core::CreateTable create() const { return core::CreateTable(*table_); }
  bool exists(core::Connection& conn) const {
    return conn.dialect().has_table(conn.driver_connection(), name_, schema_);
  }
  const std::string& name() const noexcept { return name_; }
  const std::optional<std::string>& schema() const noexcept { return schema_; }

 protected:
  /// Declares the table `name` (in `schema`) with `parts`: columns and constraints.
  template <class... Parts>
  BookkeepingTable(std::string name, std::optional<std::string> schema, Parts&&... parts)
      : name_(std::move(name)), schema_(std::move(schema)) {
    core::TableOptions options;
    options.schema = schema_;
    table_ = &metadata_.table(name_, std::forward<Parts>(parts)..., options);
  }
  ~BookkeepingTable() = default;

  const core::Table& table() const noexcept { return *table_; }

 private:
  std::string name_;
  std::optional<std::string> schema_;
  core::MetaData metadata_;
  const core::Table* table_;
};

}  // namespace retort::migrate
