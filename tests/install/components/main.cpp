// Core on SQLite through <retort/core.hpp> alone, then a PostgreSQL engine: with the SQLite
// component only, create_engine must refuse it and name the target to link; with every dialect
// (the shared library, when retort was built with PostgreSQL) it must be made (no connection is
// opened).
//   main refused|made      prints answer=42 and the PostgreSQL outcome; exit 0 when both are as
//                          expected
#include <retort/core.hpp>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
  const std::string expect = argc > 1 ? argv[1] : "";
  if (expect != "refused" && expect != "made") {
    std::fprintf(stderr, "usage: %s refused|made\n", argv[0]);
    return 2;
  }
  try {
    auto engine = retort::create_engine("sqlite://");
    auto conn = engine.connect();
    const auto answer = conn.execute(retort::select(retort::literal(40) + 2)).scalar_one<std::int64_t>();
    std::printf("answer=%lld\n", static_cast<long long>(answer));
    if (answer != 42) return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sqlite: %s\n", e.what());
    return 1;
  }
  try {
    auto postgresql = retort::create_engine("postgresql://someone@127.0.0.1/nowhere");
    std::printf("postgresql: engine made (%s)\n", postgresql.url().drivername().c_str());
    return expect == "made" ? 0 : 1;
  } catch (const retort::ArgumentError& e) {
    std::printf("postgresql: %s\n", e.what());
    const bool names_target = std::string(e.what()).find("retort::postgresql") != std::string::npos;
    return expect == "refused" && names_target ? 0 : 1;
  }
}
