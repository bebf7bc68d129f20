// fmt::format("{}", stmt): a statement as generic SQL, as operator<< prints it. A header of its
// own so that programs which do not format statements with fmt never parse fmt's headers.
#pragma once

#include <string_view>

// format.h, not core.h: the base formatter's format() is defined there. With fmt linked as a
// library rather than header-only, core.h alone leaves it to libfmt.so, whose GCC-built symbol a
// clang-built program cannot name (the return type mangles differently).
#include <fmt/format.h>

#include <retort/core/sql/compiled_statement.hpp>

template <retort::core::Executable S>
struct fmt::formatter<S, char> : fmt::formatter<std::string_view, char> {
  template <class Context>
  auto format(const S& statement, Context& ctx) const {
    return fmt::formatter<std::string_view, char>::format(retort::core::generic_sql(statement.node()), ctx);
  }
};
