// Version table statements, compiled by the dialect with values inline (they also serve
// offline SQL).
#include <retort/migrate/version_table.hpp>

#include <algorithm>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/sql/dml.hpp>

namespace retort::migrate {

using namespace retort::core;

VersionTable::VersionTable(const Dialect& dialect, std::string name, std::optional<std::string> schema)
    : dialect_(dialect), name_(std::move(name)), schema_(std::move(schema)) {
  TableOptions options;
  options.schema = schema_;
  auto& t = metadata_.table(name_, Column("version_num", String{32}).not_null(),
                            PrimaryKeyConstraint{{"version_num"}, name_ + "_pkc"}, options);
  table_ = &t;
}

std::string VersionTable::compile(const Node& node) const {
  return dialect_.statement_compiler()->compile(node, {.literal_binds = true}).sql;
}

std::string VersionTable::create_sql() const {
  return dialect_.ddl_compiler()->compile(*CreateTable(*table_).node()).sql;
}

std::string VersionTable::insert_sql(const std::string& revision) const {
  return compile(*insert(*table_).values({{"version_num", revision}}).node());
}

std::string VersionTable::delete_sql(const std::string& revision) const {
  return compile(*delete_(*table_).where(table_->c("version_num") == revision).node());
}

std::string VersionTable::update_sql(const std::string& from, const std::string& to) const {
  return compile(*update(*table_).values({{"version_num", to}}).where(table_->c("version_num") == from).node());
}

std::string VersionTable::delete_all_sql() const { return compile(*delete_(*table_).node()); }

bool VersionTable::exists(Connection& conn) const {
  return dialect_.has_table(conn.driver_connection(), name_, schema_);
}

std::vector<std::string> VersionTable::read(Connection& conn) const {
  if (!exists(conn)) return {};
  return conn.execute(select(table_->c("version_num"))).scalars<std::string>();
}

std::vector<std::string> version_changes(const VersionTable& table, const std::vector<std::string>& before,
                                         const std::vector<std::string>& after) {
  std::vector<std::string> removed, added, out;
  for (const auto& b : before)
    if (std::find(after.begin(), after.end(), b) == after.end()) removed.push_back(b);
  for (const auto& a : after)
    if (std::find(before.begin(), before.end(), a) == before.end()) added.push_back(a);
  // Pair removals with additions as UPDATEs; the rest are DELETEs or INSERTs.
  std::size_t pairs = std::min(removed.size(), added.size());
  for (std::size_t i = 0; i < pairs; ++i) out.push_back(table.update_sql(removed[i], added[i]));
  for (std::size_t i = pairs; i < removed.size(); ++i) out.push_back(table.delete_sql(removed[i]));
  for (std::size_t i = pairs; i < added.size(); ++i) out.push_back(table.insert_sql(added[i]));
  return out;
}

}  // namespace retort::migrate
