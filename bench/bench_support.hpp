// Timing helpers shared by the benchmarks: run both sides alternately, report medians.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace retort::bench {

/// An integer from the environment (RETORT_BENCH_TABLES, ...), or `fallback` when unset.
inline int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Output of a shell command; exits the benchmark on failure, showing the command's output.
inline std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    std::fprintf(stderr, "cannot run: %s\n", command.c_str());
    std::exit(1);
  }
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int status = ::pclose(pipe);
  if (status != 0) {
    std::fprintf(stderr, "failed (status %d): %s\n%s\n", status, command.c_str(), out.c_str());
    std::exit(1);
  }
  return out;
}

inline double seconds_of(const std::function<void()>& f) {
  auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

/// Runs `ours` and `peer` alternately `rounds` times (after one warm-up each) and prints each
/// round, then the RESULT line. Returns the ratio of medians.
inline double compare(const std::string& name, int rounds, const std::function<void()>& ours,
                      const std::function<void()>& peer) {
  ours();
  peer();
  std::vector<double> a, b;
  for (int i = 0; i < rounds; ++i) {
    a.push_back(seconds_of(ours));
    b.push_back(seconds_of(peer));
    std::printf("round %d: ours=%.6f peer=%.6f\n", i + 1, a.back(), b.back());
  }
  double ma = median(a), mb = median(b);
  std::printf("RESULT name=%s ours=%.6f peer=%.6f ratio=%.3f\n", name.c_str(), ma, mb, ma / mb);
  return ma / mb;
}

}  // namespace retort::bench
