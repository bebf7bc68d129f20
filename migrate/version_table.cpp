// Version table statements as Core statements: online they are compiled once per shape and run
// with bound values; offline the MigrationContext writes them with the values inline.
#include <retort/migrate/version_table.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>

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

DropTable VersionTable::drop() const { return DropTable(*table_); }

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
  std::vector<std::string> heads;
  for (const auto& row : conn.execute(select(table_->c("version_num"))).all()) {
    const Value& v = row[0];
    switch (v.kind()) {
      case Value::Kind::Text: heads.push_back(v.as<std::string>()); break;
      // A version_num column of another type (hand-made): the number as text, which the
      // revision lookup then reports if it names no revision (0123 reads back as 123).
      case Value::Kind::Integer: heads.push_back(v.as<std::string>()); break;
      default:
        throw CommandError(
            fmt::format("the version table {} holds a version_num that is {} ({}), not a revision id; "
                        "`retort stamp --purge REV` rewrites the table",
                        name_, v.is_null() ? "NULL" : "not text", v.repr()));
    }
  }
  return heads;
}

}  // namespace retort::migrate
