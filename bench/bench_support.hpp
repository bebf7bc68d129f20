// Timing helpers shared by the benchmarks: run both sides alternately, report medians.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace retort::bench {

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
