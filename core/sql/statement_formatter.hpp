// fmt::format("{}", stmt): a statement as generic SQL, as operator<< prints it. A header of its
// own so that programs which do not format statements with fmt never parse fmt's headers.
#pragma once

#include <string_view>

#include <fmt/core.h>

#include <retort/core/sql/compiled_statement.hpp>

template <retort::core::Executable S>
struct fmt::formatter<S, char> : fmt::formatter<std::string_view, char> {
  template <class Context>
  auto format(const S& statement, Context& ctx) const {
    return fmt::formatter<std::string_view, char>::format(retort::core::generic_sql(statement.node()), ctx);
  }
};
