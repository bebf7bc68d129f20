// Version table statements as Core statements: online they are compiled once per shape and run
// with bound values; offline the MigrationContext writes them with the values inline.
#include <retort/migrate/version_table.hpp>

#include <algorithm>

namespace retort::migrate {

using namespace retort::core;

VersionTable::VersionTable(std::string name, std::optional<std::string> schema)
    : name_(std::move(name)), schema_(std::move(schema)) {
  TableOptions options;
  options.schema = schema_;
  auto& t = metadata_.table(name_, Column("version_num", String{32}).not_null(),
                            PrimaryKeyConstraint{{"version_num"}, name_ + "_pkc"}, options);
  table_ = &t;
}

CreateTable VersionTable::create() const { return CreateTable(*table_); }

Insert VersionTable::insert(const std::string& revision) const {
  return core::insert(*table_).values({{"version_num", revision}});
}

Delete VersionTable::remove(const std::string& revision) const {
  return delete_(*table_).where(table_->c("version_num") == revision);
}

Update VersionTable::replace(const std::string& from, const std::string& to) const {
  return update(*table_).values({{"version_num", to}}).where(table_->c("version_num") == from);
}

Delete VersionTable::remove_all() const { return delete_(*table_); }

bool VersionTable::exists(Connection& conn) const {
  return conn.dialect().has_table(conn.driver_connection(), name_, schema_);
}

std::vector<std::string> VersionTable::read(Connection& conn) const {
  if (!exists(conn)) return {};
  return conn.execute(select(table_->c("version_num"))).scalars<std::string>();
}

std::vector<NodePtr> version_changes(const VersionTable& table, const std::vector<std::string>& before,
                                     const std::vector<std::string>& after) {
  std::vector<std::string> removed, added;
  std::vector<NodePtr> out;
  for (const auto& b : before)
    if (std::find(after.begin(), after.end(), b) == after.end()) removed.push_back(b);
  for (const auto& a : after)
    if (std::find(before.begin(), before.end(), a) == before.end()) added.push_back(a);
  // Pair removals with additions as UPDATEs; the rest are DELETEs or INSERTs.
  std::size_t pairs = std::min(removed.size(), added.size());
  for (std::size_t i = 0; i < pairs; ++i) out.push_back(table.replace(removed[i], added[i]).node());
  for (std::size_t i = pairs; i < removed.size(); ++i) out.push_back(table.remove(removed[i]).node());
  for (std::size_t i = pairs; i < added.size(); ++i) out.push_back(table.insert(added[i]).node());
  return out;
}

}  // namespace retort::migrate
