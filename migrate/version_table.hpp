// The version table: one row per applied head (version_num VARCHAR(32) primary key), the same
// structure as Alembic's alembic_version, so a project can move over by pointing
// version_table at "alembic_version".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/connection.hpp>
#include <retort/core/schema/metadata.hpp>

namespace retort::migrate {

class VersionTable {
 public:
  VersionTable(const core::Dialect& dialect, std::string name, std::optional<std::string> schema);

  /// CREATE TABLE for the version table.
  std::string create_sql() const;
  std::string insert_sql(const std::string& revision) const;
  std::string delete_sql(const std::string& revision) const;
  std::string update_sql(const std::string& from, const std::string& to) const;
  std::string delete_all_sql() const;

  bool exists(core::Connection& conn) const;
  /// The applied heads (empty when the table does not exist or is empty).
  std::vector<std::string> read(core::Connection& conn) const;
  const std::string& name() const noexcept { return name_; }

 private:
  std::string compile(const core::Node& node) const;
  const core::Dialect& dialect_;
  std::string name_;
  std::optional<std::string> schema_;
  core::MetaData metadata_;
  const core::Table* table_;
};

/// The statements that move the version table from `before` to `after` heads: an UPDATE
/// when one head replaces another, else DELETEs and INSERTs (as Alembic's HeadMaintainer).
std::vector<std::string> version_changes(const VersionTable& table, const std::vector<std::string>& before,
                                         const std::vector<std::string>& after);

}  // namespace retort::migrate
