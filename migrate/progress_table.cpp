#include <retort/migrate/progress_table.hpp>

namespace retort::migrate {

using namespace retort::core;

ProgressTable::ProgressTable(const std::string& version_table, std::optional<std::string> schema)
    : BookkeepingTable(version_table + "_progress", std::move(schema), Column("revision", String{32}).not_null(),
                       Column("direction", String{16}).not_null(), Column("statements_done", Integer{}).not_null(),
                       Column("checksum", String{32})) {}

Insert ProgressTable::insert(const RevisionProgress& p) const {
  return core::insert(table()).values({{"revision", p.revision},
                                       {"direction", p.direction},
                                       {"statements_done", p.statements_done},
                                       {"checksum", p.checksum}});
}

Delete ProgressTable::remove(const std::string& revision) const {
  return delete_(table()).where(table().c("revision") == revision);
}

std::vector<RevisionProgress> ProgressTable::read(Connection& conn) const {
  std::vector<RevisionProgress> out;
  if (!exists(conn)) return out;
  for (const auto& row : conn.execute(select(table().c("revision"), table().c("direction"),
                                             table().c("statements_done"), table().c("checksum")))
                             .all())
    out.push_back({row.get<std::string>(0), row.get<std::string>(1), row.get<std::int64_t>(2),
                   row.get<std::optional<std::string>>(3).value_or("")});
  return out;
}

}  // namespace retort::migrate
