// Helpers shared by the reflection tests of every dialect: find a reflected table or column
// (failing the test when it is missing) and run a shell command for its output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include <retort/core/reflection/reflected.hpp>
#include <retort/core/schema/constraints.hpp>

#include "support/cli_runner.hpp"

namespace retort::testing {

/// The rich schemas' self-referential key: naïve_tëst.parent -> naïve_tëst.id, ON DELETE CASCADE.
inline retort::core::ForeignKey self_key() {
  retort::core::ForeignKey key;
  key.target = "naïve_tëst.id";
  key.ondelete = "CASCADE";
  key.name = "fk_self";
  return key;
}

/// The rich schemas' composite key to "MixedCase"; `deferrable` where the database has it.
inline retort::core::ForeignKeyConstraint composite_key(bool deferrable) {
  retort::core::ForeignKeyConstraint fk;
  fk.columns = {"ref_b", "ref_a"};
  fk.referred_table = "MixedCase";
  fk.referred_columns = {"b", "A"};
  fk.name = "fk mixed";
  fk.ondelete = "CASCADE";
  fk.onupdate = "SET NULL";
  if (deferrable) {
    fk.deferrable = true;
    fk.initially = "DEFERRED";
  }
  return fk;
}

inline const retort::core::ReflectedTable& table(const retort::core::ReflectedSchema& s, const std::string& name) {
  for (const auto& t : s.tables)
    if (t.name == name) return t;
  FAIL("no reflected table " << name);
  throw std::logic_error("unreachable");
}

inline const retort::core::ReflectedColumn& column(const retort::core::ReflectedTable& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return c;
  FAIL("no reflected column " << name << " in " << t.name);
  throw std::logic_error("unreachable");
}

/// Output and exit status of a shell command.
inline std::pair<std::string, int> run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  int status = ::pclose(pipe);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace retort::testing
