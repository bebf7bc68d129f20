// The smallest useful retort program, for bench/include_cost.sh: its stripped size is what every
// program that links the library starts from.
#include <retort/core.hpp>

#include <cstdio>

int main() {
  auto engine = retort::create_engine("sqlite://");
  auto conn = engine.connect();
  auto answer = conn.execute(retort::select(retort::literal(42))).scalar_one<std::int64_t>();
  std::printf("%lld\n", static_cast<long long>(answer));
  return 0;
}
