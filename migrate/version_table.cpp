// Version table statements as Core statements: online they are compiled once per shape and run
// with bound values; offline the MigrationContext writes them with the values inline.
#include <retort/migrate/version_table.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

using namespace retort::core;

VersionTable::VersionTable(std::string name, std::optional<std::string> schema)
    : BookkeepingTable(name, std::move(schema), Column("version_num", String{32}).not_null(),
                       PrimaryKeyConstraint{{"version_num"}, name + "_pkc"}) {}

DropTable VersionTable::drop() const { return DropTable(table()); }

Insert VersionTable::insert(const std::string& revision) const {
  return core::insert(table()).values({{"version_num", revision}});
}

Delete VersionTable::remove(const std::string& revision) const {
  return delete_(table()).where(table().c("version_num") == revision);
}

Update VersionTable::replace(const std::string& from, const std::string& to) const {
  return update(table()).values({{"version_num", to}}).where(table().c("version_num") == from);
}

Delete VersionTable::remove_all() const { return delete_(table()); }

std::vector<std::string> VersionTable::read(Connection& conn) const {
  if (!exists(conn)) return {};
  std::vector<std::string> heads;
  for (const auto& row : conn.execute(select(table().c("version_num"))).all()) {
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
                        name(), v.is_null() ? "NULL" : "not text", v.repr()));
    }
  }
  return heads;
}

}  // namespace retort::migrate
