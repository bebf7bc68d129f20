#include <retort/migrate/script/x_substitution.hpp>

#include <optional>

#include <fmt/format.h>

#include <retort/core/dialect.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/identifier_preparer.hpp>
#include <retort/core/types.hpp>
#include <retort/core/value.hpp>
#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace {

enum class Form { Raw, Literal, Identifier };

/// The value as the reference's form asks for it.
std::string quoted(const std::string& value, Form form, const core::Dialect* dialect, const std::string& location,
                   const std::string& name) {
  if (form == Form::Raw) return value;
  if (!dialect) throw MigrationError(fmt::format("{}: ${{x.{}:...}} needs a dialect to quote for", location, name));
  if (form == Form::Identifier) return dialect->preparer().quote_always(value);
  return dialect->statement_compiler()->render_literal(core::Value(value), core::String{});
}

}  // namespace

std::string substitute_x_arguments(const std::string& sql, const std::map<std::string, std::string>& x_arguments,
                                   const std::string& location, const core::Dialect* dialect) {
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
    Form form = Form::Raw;
    if (auto colon = name.find(':'); colon != std::string::npos) {
      std::string word = name.substr(colon + 1);
      if (word == "literal")
        form = Form::Literal;
      else if (word == "identifier")
        form = Form::Identifier;
      else
        throw MigrationError(fmt::format(
            "{}: ${{x.{}}}: unknown form '{}' (known: ${{x.KEY}} verbatim, ${{x.KEY:literal}}, ${{x.KEY:identifier}})",
            location, name, word));
      name.resize(colon);
    }
    if (auto it = x_arguments.find(name); it != x_arguments.end())
      out += quoted(it->second, form, dialect, location, name);
    else if (fallback)
      out += quoted(*fallback, form, dialect, location, name);
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
