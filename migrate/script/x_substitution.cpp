#include <retort/migrate/script/x_substitution.hpp>

#include <optional>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

std::string substitute_x_arguments(const std::string& sql, const std::map<std::string, std::string>& x_arguments,
                                   const std::string& location) {
  constexpr std::string_view kOpen = "${x.";
  auto at = sql.find(kOpen);
  if (at == std::string::npos) return sql;  // the usual case: nothing to do
  std::string out;
  std::size_t from = 0;
  for (; at != std::string::npos; at = sql.find(kOpen, from)) {
    out.append(sql, from, at - from);
    auto close = sql.find('}', at);
    if (close == std::string::npos)
      throw MigrationError(fmt::format("{}: unterminated ${{x.… reference in the statement:\n  {}", location, sql));
    std::string name = sql.substr(at + kOpen.size(), close - at - kOpen.size());
    std::optional<std::string> fallback;
    if (auto dash = name.find(":-"); dash != std::string::npos) {
      fallback = name.substr(dash + 2);
      name.resize(dash);
    }
    if (auto it = x_arguments.find(name); it != x_arguments.end())
      out += it->second;
    else if (fallback)
      out += *fallback;
    else
      throw MigrationError(
          fmt::format("{}: the statement uses ${{x.{}}}, but no `-x {}=VALUE` was given "
                      "(or write ${{x.{}:-default}})",
                      location, name, name, name));
    from = close + 1;
  }
  out.append(sql, from);
  return out;
}

}  // namespace retort::migrate
