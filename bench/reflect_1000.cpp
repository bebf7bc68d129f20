// reflect_1000: reflect a generated schema of 1,000 tables whole, on PostgreSQL and MariaDB.
// Each table has 10 columns of mixed types (two with server defaults), a primary key, one
// foreign key to the previous table, two indexes (one unique) and one check constraint. Ours is
// MetaData::reflect (one Inspector pass: a fixed number of catalog queries, printed); the
// references, in the same run and on the same database, are the server's own dump tool
// (pg_dump --schema-only / mysqldump --no-data: the physical limit for reading a catalogue) and
// SQLAlchemy's MetaData.reflect (Debian's python3-sqlalchemy with psycopg2 / pymysql).
//
// Servers: RETORT_TEST_POSTGRESQL_URL and RETORT_TEST_MYSQL_URL (bench/run starts them when
// unset). Each database gets a fresh bench database (retort_reflect_1000). RETORT_BENCH_TABLES
// and RETORT_BENCH_ROUNDS change the size and the number of rounds.
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <retort/core/reflection/inspector.hpp>
#include <retort/retort.hpp>

#include "bench_databases.hpp"
#include "bench_support.hpp"

namespace {

using retort::Column;
using retort::bench::env_int;
using retort::bench::run;
using retort::bench::shell_quote;
const char* kDatabase = "retort_reflect_1000";

void build_schema(retort::MetaData& m, int tables) {
  for (int i = 0; i < tables; ++i) {
    std::string name = fmt::format("t{:04}", i);
    std::string previous = fmt::format("t{:04}", i == 0 ? 0 : i - 1);
    m.table(name, Column("id", retort::Integer{}).primary_key(),
            Column("prev_id", retort::Integer{}).references(previous + ".id"),
            Column("name", retort::String{50}).not_null(), Column("code", retort::String{20}).not_null(),
            Column("amount", retort::Numeric{10, 2}).not_null().server_default(0), Column("qty", retort::Integer{}),
            Column("created", retort::DateTime{}).server_default(retort::func::now()),
            Column("flag", retort::Boolean{}), Column("note", retort::Text{}), Column("ratio", retort::Double{}),
            retort::CheckConstraint{"qty >= 0", "ck_" + name + "_qty"},
            retort::Index("ix_" + name + "_code", std::vector<std::string>{"code"}, true),
            retort::Index("ix_" + name + "_name", std::vector<std::string>{"name", "created"}));
  }
}

/// SQLAlchemy's MetaData.reflect `rounds` times in one interpreter; the median of its times.
std::optional<double> sqlalchemy_reflect(const std::string& url, int rounds) {
  std::string script = fmt::format(
      "import sys, time, statistics\n"
      "try:\n"
      "    import sqlalchemy as sa\n"
      "except ImportError:\n"
      "    print('missing'); sys.exit(0)\n"
      "e = sa.create_engine(sys.argv[1])\n"
      "times = []\n"
      "n = 0\n"
      "for i in range({} + 1):\n"
      "    m = sa.MetaData()\n"
      "    t = time.perf_counter()\n"
      "    m.reflect(e)\n"
      "    times.append(time.perf_counter() - t)\n"
      "    n = len(m.tables)\n"
      "print('sqlalchemy', sa.__version__, 'tables', n, 'rounds', ' '.join('%.6f' % x for x in times[1:]))\n"
      "print('median %.6f' % statistics.median(times[1:]))\n",
      rounds);
  std::string out = run("/usr/bin/python3 -c " + shell_quote(script) + " " + shell_quote(url) + " 2>&1");
  if (out.rfind("missing", 0) == 0) return std::nullopt;
  std::fputs(out.c_str(), stdout);
  auto pos = out.find("median ");
  if (pos == std::string::npos) return std::nullopt;
  return std::strtod(out.c_str() + pos + 7, nullptr);
}

/// Creates the schema through `engine`, then times ours against the dump tool and SQLAlchemy.
void measure(const std::string& label, const retort::Engine& engine, int tables, int rounds,
             const std::string& dump_command, const std::string& sqlalchemy_url) {
  std::printf("== %s: creating %d tables\n", label.c_str(), tables);
  std::fflush(stdout);
  {
    retort::MetaData m;
    build_schema(m, tables);
    double created = retort::bench::seconds_of([&] { m.create_all(engine); });
    std::printf("created in %.2f s\n", created);
  }

  std::size_t queries = 0, reflected_tables = 0;
  {
    auto conn = engine.connect();
    retort::Inspector inspector(conn);
    queries = inspector.reflect().queries;
  }
  std::vector<double> ours, dump;
  for (int i = 0; i <= rounds; ++i) {  // round 0 warms up
    double r = retort::bench::seconds_of([&] {
      retort::MetaData m;
      m.reflect(engine);
      reflected_tables = m.tables().size();
    });
    double d = retort::bench::seconds_of([&] { run(dump_command + " > /dev/null"); });
    if (i > 0) {
      ours.push_back(r);
      dump.push_back(d);
      std::printf("round %d: ours=%.6f dump=%.6f\n", i, r, d);
      std::fflush(stdout);
    }
  }
  if (reflected_tables != static_cast<std::size_t>(tables)) {
    std::fprintf(stderr, "%s: reflected %zu tables, expected %d\n", label.c_str(), reflected_tables, tables);
    std::exit(1);
  }
  double o = retort::bench::median(ours), p = retort::bench::median(dump);
  std::printf("%s: MetaData::reflect of %zu tables: %.6f s median, %zu catalog queries sent\n", label.c_str(),
              reflected_tables, o, queries);
  auto sa = sqlalchemy_reflect(sqlalchemy_url, rounds);
  if (!sa)
    std::printf("%s: SQLAlchemy is not installed (apt-get install python3-sqlalchemy): no sqlalchemy result\n",
                label.c_str());
  std::printf("RESULT name=reflect_1000_%s_%s ours=%.6f peer=%.6f ratio=%.3f\n", label.c_str(),
              label == "postgresql" ? "pg_dump" : "mysqldump", o, p, o / p);
  if (sa)
    std::printf("RESULT name=reflect_1000_%s_sqlalchemy ours=%.6f peer=%.6f ratio=%.3f\n", label.c_str(), o, *sa,
                o / *sa);
  std::fflush(stdout);
}

}  // namespace

int main() {
  const int tables = env_int("RETORT_BENCH_TABLES", 1000);
  const int rounds = env_int("RETORT_BENCH_ROUNDS", 3);
  const char* pg = std::getenv("RETORT_TEST_POSTGRESQL_URL");
  const char* my = std::getenv("RETORT_TEST_MYSQL_URL");
  if (!(pg && *pg)) {
    std::fprintf(stderr, "RETORT_TEST_POSTGRESQL_URL is not set (bench/run starts the servers)\n");
    return 1;
  }

  // MariaDB only where the MySQL dialect reflects; said first, so that a RESULT line ends the run.
  bool mysql = my && *my;
  if (!mysql) {
    std::printf("mysql: RETORT_TEST_MYSQL_URL is not set: MariaDB skipped\n");
  } else {
    auto engine = retort::create_engine(retort::URL::parse(my));
    auto conn = engine.connect();
    try {
      engine.dialect().reflect_schema(conn.driver_connection(), std::nullopt, {});
    } catch (const retort::NotSupportedError&) {
      std::printf("mysql: the MySQL dialect does not implement reflect_schema yet: MariaDB skipped\n");
      mysql = false;
    }
  }

  {
    auto url = retort::bench::fresh_database(retort::URL::parse(pg), kDatabase);
    auto engine = retort::create_engine(url);
    measure("postgresql", engine, tables, rounds, "pg_dump --schema-only -d " + shell_quote(url.render_with_password()),
            retort::bench::sqlalchemy_url(url));
    engine.dispose();
  }

  if (mysql) {
    auto base = retort::URL::parse(my);
    auto url = retort::bench::fresh_database(base, kDatabase);
    auto engine = retort::create_engine(url);
    measure("mysql", engine, tables, rounds,
            "mysqldump --no-data " + retort::bench::mysql_client_args(base) + " " + kDatabase,
            retort::bench::sqlalchemy_url(url));
    engine.dispose();
  }
  return 0;
}
