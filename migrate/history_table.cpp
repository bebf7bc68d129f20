#include <retort/migrate/history_table.hpp>

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

#include <retort/core/version.hpp>

namespace retort::migrate {

using namespace retort::core;

namespace {

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  auto seconds = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06}Z", text, micros);
}

/// The user running retort: $USER where set (CI runners name themselves there), else the
/// account's name. Looked up once per process: the account lookup reads /etc/passwd, a twentieth
/// of a 1,000-revision run when done for every revision.
const std::string& current_user() {
  static const std::string user = [] {
    if (const char* name = std::getenv("USER"); name && *name) return std::string(name);
    if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name) return std::string(pw->pw_name);
    return fmt::format("uid {}", ::geteuid());
  }();
  return user;
}

}  // namespace

HistoryTable::HistoryTable(const std::string& version_table, std::optional<std::string> schema)
    : BookkeepingTable(version_table + "_history", std::move(schema), Column("revision", String{32}).not_null(),
                       Column("action", String{16}).not_null(), Column("checksum", String{32}),
                       Column("applied_at", String{32}).not_null(), Column("duration_ms", Integer{}),
                       Column("applied_by", String{255}), Column("retort_version", String{32})) {}

Insert HistoryTable::insert(const HistoryEntry& entry) const {
  return core::insert(table()).values({{"revision", entry.revision},
                                       {"action", entry.action},
                                       {"checksum", entry.checksum},
                                       {"applied_at", utc_now()},
                                       {"duration_ms", entry.duration_ms},
                                       {"applied_by", current_user()},
                                       {"retort_version", std::string(kVersion)}});
}

std::map<std::string, RecordedRevision> HistoryTable::read_latest(Connection& conn) const {
  std::map<std::string, RecordedRevision> latest;
  if (!exists(conn)) return latest;
  auto rows =
      conn.execute(select(table().c("revision"), table().c("action"), table().c("checksum"), table().c("applied_at")))
          .all();
  for (const auto& row : rows) {
    RecordedRevision r{row.get<std::string>(1), row.get<std::optional<std::string>>(2).value_or(""),
                       row.get<std::string>(3)};
    auto [it, inserted] = latest.emplace(row.get<std::string>(0), r);
    if (!inserted && it->second.applied_at <= r.applied_at) it->second = r;
  }
  return latest;
}

}  // namespace retort::migrate
