// compile_cache: compile a SELECT with 5 joins, a WHERE clause and an ORDER BY 100,000 times,
// with the compiled-statement cache (ours) and without it (peer: a fresh compile each time).
// Every iteration compiles a freshly built statement object (different values, same shape), as
// application code does; building the statements is done beforehand, in batches, untimed.
// A second measurement includes the building, to show what a caller sees end to end.
#include <cstdio>

#include <retort/core/sql/compiler.hpp>
#include <retort/retort.hpp>

#include "bench_support.hpp"

namespace {

constexpr int kIterations = 100000;

retort::Select build(const retort::MetaData& m, int i) {
  const auto& a = m.get("a");
  const auto& b = m.get("b");
  const auto& c = m.get("c");
  const auto& d = m.get("d");
  const auto& e = m.get("e");
  const auto& f = m.get("f");
  return retort::select(a.c("id"), b.c("name"), c.c("name"), d.c("name"), e.c("name"), f.c("name"))
      .select_from(a.join(b).join(c).join(d).join(e).join(f))
      .where(a.c("name") == "x" + std::to_string(i % 10) && f.c("id") > i)
      .order_by({a.c("name"), f.c("id").desc()});
}

}  // namespace

int main() {
  retort::MetaData m;
  const char* names[] = {"a", "b", "c", "d", "e", "f"};
  for (int t = 0; t < 6; ++t) {
    if (t == 0) {
      m.table(names[t], retort::Column("id", retort::Integer{}).primary_key(),
              retort::Column("name", retort::String{50}));
    } else {
      m.table(names[t], retort::Column("id", retort::Integer{}).primary_key(),
              retort::Column("name", retort::String{50}),
              retort::Column("parent_id", retort::Integer{}).references(std::string(names[t - 1]) + ".id"));
    }
  }
  auto cached = retort::create_engine("sqlite://");
  auto uncached = retort::create_engine("sqlite://", {.compiled_cache_size = 0});
  std::size_t sink = 0;
  std::printf("%s\n", retort::to_sql_string(*build(m, 1).node()).c_str());
  constexpr int kBatch = 10000;
  // Times only the compile calls over kIterations freshly built statements.
  auto compile_only = [&](const retort::Engine& engine) {
    double total = 0;
    std::vector<retort::Select> batch;
    for (int done = 0; done < kIterations; done += kBatch) {
      batch.clear();
      for (int i = 0; i < kBatch; ++i) batch.push_back(build(m, done + i));
      total += retort::bench::seconds_of([&] {
        for (const auto& s : batch) sink += engine.compile(*s.node())->sql.size();
      });
    }
    return total;
  };
  std::vector<double> with_cache, without_cache;
  compile_only(cached);
  compile_only(uncached);
  for (int round = 0; round < 5; ++round) {
    with_cache.push_back(compile_only(cached));
    without_cache.push_back(compile_only(uncached));
    std::printf("round %d (compile only): cache=%.6f no-cache=%.6f\n", round + 1, with_cache.back(),
                without_cache.back());
  }
  std::printf("build+compile, end to end:\n");
  retort::bench::compare(
      "compile_cache_with_build", 3,
      [&] {
        for (int i = 0; i < kIterations; ++i) sink += cached.compile(*build(m, i).node())->sql.size();
      },
      [&] {
        for (int i = 0; i < kIterations; ++i) sink += uncached.compile(*build(m, i).node())->sql.size();
      });
  double a = retort::bench::median(with_cache), b = retort::bench::median(without_cache);
  std::printf("RESULT name=compile_cache ours=%.6f peer=%.6f ratio=%.3f\n", a, b, a / b);
  return sink == 0;
}
