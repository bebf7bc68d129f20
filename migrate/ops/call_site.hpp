// Where in a revision an op was called (file and line), captured by a default argument, the way
// std::source_location::current() is. Our own because Debian's clang 14 has no
// std::source_location with libstdc++ 12; __builtin_FILE and __builtin_LINE work in GCC and clang.
#pragma once

namespace retort::migrate::ops {

class CallSite {
 public:
  static constexpr CallSite current(const char* file = __builtin_FILE(), unsigned line = __builtin_LINE()) noexcept {
    return CallSite(file, line);
  }
  constexpr const char* file_name() const noexcept { return file_; }
  constexpr unsigned line() const noexcept { return line_; }

 private:
  constexpr CallSite(const char* file, unsigned line) noexcept : file_(file), line_(line) {}
  const char* file_;
  unsigned line_;
};

}  // namespace retort::migrate::ops
