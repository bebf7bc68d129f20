// Expansion of naming-convention templates.
#include <retort/core/schema/naming.hpp>

#include <cstdint>

#include <fmt/format.h>

#include <retort/core/errors.hpp>

namespace retort::core {

NamingConvention::NamingConvention() : templates_{{"ix", "ix_%(column_0_label)s"}} {}
NamingConvention::NamingConvention(std::map<std::string, std::string> templates) : templates_(std::move(templates)) {}

namespace {
std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}
}  // namespace

std::string NamingConvention::apply(const std::string& kind, const std::string& given, const std::string& table,
                                    const std::vector<std::string>& columns, const std::string& referred_table,
                                    const std::vector<std::string>& referred_columns) const {
  auto it = templates_.find(kind);
  if (it == templates_.end()) return given;
  const std::string& tmpl = it->second;
  // A given name is kept unless the template asks for it as %(constraint_name)s.
  bool wants_name = tmpl.find("%(constraint_name)s") != std::string::npos;
  if (!given.empty() && !wants_name) return given;
  if (given.empty() && wants_name) return given;
  std::string out;
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl.compare(i, 2, "%(") != 0) {
      out += tmpl[i++];
      continue;
    }
    auto close = tmpl.find(")s", i);
    if (close == std::string::npos) throw ArgumentError("naming convention '" + tmpl + "': unterminated %( token");
    std::string token = tmpl.substr(i + 2, close - i - 2);
    i = close + 2;
    auto first = [&](const std::vector<std::string>& v) { return v.empty() ? std::string() : v[0]; };
    if (token == "table_name")
      out += table;
    else if (token == "constraint_name")
      out += given;
    else if (token == "column_0_name")
      out += first(columns);
    else if (token == "column_0_label")
      out += table + "_" + first(columns);
    else if (token == "column_0N_name")
      out += join(columns, "");
    else if (token == "column_0_N_name")
      out += join(columns, "_");
    else if (token == "column_0N_label") {
      std::vector<std::string> labels;
      for (const auto& c : columns) labels.push_back(table + "_" + c);
      out += join(labels, "");
    } else if (token == "column_0_N_label") {
      std::vector<std::string> labels;
      for (const auto& c : columns) labels.push_back(table + "_" + c);
      out += join(labels, "_");
    } else if (token == "referred_table_name")
      out += referred_table;
    else if (token == "referred_column_0_name")
      out += first(referred_columns);
    else if (token == "referred_column_0N_name")
      out += join(referred_columns, "");
    else if (token == "referred_column_0_N_name")
      out += join(referred_columns, "_");
    else
      throw ArgumentError("naming convention '" + tmpl + "': unknown token %(" + token + ")s");
  }
  return out;
}

std::string unnamed_check_name(const std::string& table, const std::string& condition) {
  std::uint32_t hash = 2166136261u;  // FNV-1a: stable across runs and builds
  for (unsigned char c : condition) hash = (hash ^ c) * 16777619u;
  return fmt::format("ck_{}_{:08x}", table, hash);
}

}  // namespace retort::core
