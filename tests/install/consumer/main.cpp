// Uses an installed retort: opens an in-memory SQLite database, runs one statement and prints the
// scalar result. Exits 0 only when the answer is 42.
#include <retort/retort.hpp>

#include <cstdint>
#include <cstdio>
#include <exception>

int main() {
  try {
    auto engine = retort::create_engine("sqlite://");
    auto conn = engine.connect();
    auto result = conn.execute(retort::text("SELECT 40 + 2"));
    const auto answer = result.scalar_one<std::int64_t>();
    std::printf("answer=%lld\n", static_cast<long long>(answer));
    return answer == 42 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 2;
  }
}
