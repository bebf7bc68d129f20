// core_insert: insert 100,000 rows (integer id, text name, real value) with executemany in one
// transaction into a SQLite file, then select them all back into C++ values. The reference is
// the sqlite3 C API doing the same with one reused prepared statement.
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <retort/retort.hpp>

#include "bench_support.hpp"

namespace {

constexpr int kRows = 100000;

struct Item {
  std::int64_t id;
  std::string name;
  double value;
};

std::string name_of(int i) { return "name_" + std::to_string(i); }
double value_of(int i) { return i * 0.5; }

void check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) throw std::runtime_error(sqlite3_errmsg(db));
}

std::vector<Item> run_peer(const std::string& path) {
  std::filesystem::remove(path);
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db), db);
  check(sqlite3_exec(db, "CREATE TABLE items (id INTEGER NOT NULL, name VARCHAR(50), value FLOAT, PRIMARY KEY (id))",
                     nullptr, nullptr, nullptr),
        db);
  check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db);
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO items (id, name, value) VALUES (?, ?, ?)", -1, &insert, nullptr), db);
  for (int i = 0; i < kRows; ++i) {
    std::string name = name_of(i);
    sqlite3_bind_int64(insert, 1, i);
    sqlite3_bind_text(insert, 2, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    sqlite3_bind_double(insert, 3, value_of(i));
    check(sqlite3_step(insert), db);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
  std::vector<Item> out;
  sqlite3_stmt* select = nullptr;
  check(sqlite3_prepare_v2(db, "SELECT id, name, value FROM items", -1, &select, nullptr), db);
  while (sqlite3_step(select) == SQLITE_ROW) {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(select, 1));
    out.push_back({sqlite3_column_int64(select, 0),
                   std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(select, 1))),
                   sqlite3_column_double(select, 2)});
  }
  sqlite3_finalize(select);
  sqlite3_close(db);
  return out;
}

std::vector<Item> run_ours(const std::string& path) {
  std::filesystem::remove(path);
  retort::MetaData metadata;
  auto& items = metadata.table("items", retort::Column("id", retort::Integer{}).primary_key().autoincrement(false),
                               retort::Column("name", retort::String{50}), retort::Column("value", retort::Float{}));
  auto engine = retort::create_engine("sqlite:///" + path);
  metadata.create_all(engine, false);
  auto conn = engine.connect();
  {
    std::vector<retort::Params> rows;
    rows.reserve(kRows);
    for (int i = 0; i < kRows; ++i) rows.push_back({{"id", i}, {"name", name_of(i)}, {"value", value_of(i)}});
    auto tx = conn.begin();
    conn.execute(retort::insert(items), rows);
    tx.commit();
  }
  std::vector<Item> out;
  for (const auto& row : conn.execute(retort::select(items)))
    out.push_back({row.get<std::int64_t>(0), row.get<std::string>(1), row.get<double>(2)});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string();
  std::string ours_path = dir + "/retort_bench_core_insert_ours.db";
  std::string peer_path = dir + "/retort_bench_core_insert_peer.db";
  // Both sides must produce the same data.
  auto a = run_ours(ours_path), b = run_peer(peer_path);
  if (a.size() != static_cast<std::size_t>(kRows) || a.size() != b.size() || a.back().name != b.back().name ||
      a.back().value != b.back().value) {
    std::fprintf(stderr, "core_insert: ours and peer disagree\n");
    return 1;
  }
  std::printf("core_insert: %d rows, executemany in one transaction, then select all\n", kRows);
  retort::bench::compare(
      "core_insert", 7, [&] { run_ours(ours_path); }, [&] { run_peer(peer_path); });
  std::filesystem::remove(ours_path);
  std::filesystem::remove(peer_path);
  return 0;
}
