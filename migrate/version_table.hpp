// The version table: one row per applied head (version_num VARCHAR(32) primary key), the same
// structure as Alembic's alembic_version, so a project can move over by pointing
// version_table at "alembic_version". Its statements are Core statements, executed (or written
// as SQL) by the MigrationContext like any other.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/dialect.hpp>
#include <retort/core/engine/connection.hpp>
#include <retort/core/schema/metadata.hpp>
#include <retort/core/sql/dml.hpp>
#include <retort/migrate/bookkeeping_table.hpp>

namespace retort::migrate {

class VersionTable : public BookkeepingTable {
 public:
  VersionTable(std::string name, std::optional<std::string> schema);

  core::DropTable drop() const;
  core::Insert insert(const std::string& revision) const;
  core::Delete remove(const std::string& revision) const;
  core::Update replace(const std::string& from, const std::string& to) const;
  core::Delete remove_all() const;

  /// The applied heads (empty when the table does not exist or is empty).
  std::vector<std::string> read(core::Connection& conn) const;
};

}  // namespace retort::migrate
