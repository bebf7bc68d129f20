// Loading retort.toml with toml++; locations in errors come from the parsed nodes' sources.
#include <retort/migrate/config.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

std::string interpolate_environment(const std::string& text, const std::string& where) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    auto close = text.find('}', i);
    if (close == std::string::npos) throw ConfigError(fmt::format("{}: unterminated ${{ in '{}'", where, text));
    std::string inner = text.substr(i + 2, close - i - 2);
    std::optional<std::string> fallback;
    if (auto dash = inner.find(":-"); dash != std::string::npos) {
      fallback = inner.substr(dash + 2);
      inner = inner.substr(0, dash);
    }
    const char* value = std::getenv(inner.c_str());
    if (value && *value)
      out += value;
    else if (fallback)
      out += *fallback;
    else
      throw ConfigError(
          fmt::format("{}: environment variable {} is not set (write ${{{}:-default}} "
                      "to give a default)",
                      where, inner, inner));
    i = close + 1;
  }
  return out;
}

namespace {

std::string location(const fs::path& file, const toml::node& node) {
  const auto& src = node.source();
  return fmt::format("{}:{}:{}", file.string(), src.begin.line, src.begin.column);
}

/// "'key' must ..." at the value's file:line:column.
[[noreturn]] void bad_value(const fs::path& file, const std::string& key, const toml::node& node,
                            const std::string& must) {
  throw ConfigError(fmt::format("{}: '{}' {}", location(file, node), key, must));
}

const char* type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
  }
}

const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = {"script_location",
                                             "url",
                                             "version_table",
                                             "version_table_schema",
                                             "version_locations",
                                             "file_template",
                                             "truncate_slug_length",
                                             "timezone",
                                             "revision_format",
                                             "transaction_per_migration",
                                             "lock_timeout",
                                             "post_write_hooks",
                                             "cxx",
                                             "cxxflags",
                                             "cpp_cache_dir"};
  return keys;
}

/// The known key nearest to a misspelt one (at most two edits away), or "".
std::string closest_key(const std::string& key) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& known : known_keys())
    if (auto d = distance(key, known); d < best_distance) {
      best = known;
      best_distance = d;
    }
  return best;
}

/// Throws for a key that is not one of known_keys(), at the key's own position.
void check_key(const fs::path& file, const toml::key& k) {
  std::string key(k.str());
  if (known_keys().count(key)) return;
  std::string known;
  for (const auto& n : known_keys()) known += (known.empty() ? "" : ", ") + n;
  std::string guess = closest_key(key);
  const auto& at = k.source().begin;  // the key's own position, not its value's
  throw ConfigError(fmt::format("{}:{}:{}: unknown key '{}'{} (known keys: {})", file.string(), at.line, at.column, key,
                                guess.empty() ? "" : fmt::format(", did you mean '{}'?", guess), known));
}

std::string get_string(const fs::path& file, const std::string& key, const toml::node& node) {
  auto v = node.value<std::string>();
  if (!node.is_string() || !v) bad_value(file, key, node, fmt::format("must be a string, not {}", type_name(node)));
  return interpolate_environment(*v, fmt::format("{}: '{}'", location(file, node), key));
}

/// A string that may not be empty (a folder, a table name, a file name pattern).
std::string get_name(const fs::path& file, const std::string& key, const toml::node& node) {
  auto s = get_string(file, key, node);
  if (s.empty()) bad_value(file, key, node, "must not be empty (leave the key out for the default)");
  return s;
}

/// A list of strings, or one string as a list of one (the list is the usual form). No item may be
/// empty: an empty folder or command is a slip, not a choice.
std::vector<std::string> get_strings(const fs::path& file, const std::string& key, const toml::node& node) {
  std::vector<std::string> out;
  auto add = [&](const toml::node& item) {
    out.push_back(get_string(file, key, item));
    if (out.back().empty()) bad_value(file, key, item, "must not hold an empty string");
  };
  if (node.is_string()) {
    add(node);
    return out;
  }
  const auto* arr = node.as_array();
  if (!arr) bad_value(file, key, node, fmt::format("must be a list of strings, not {}", type_name(node)));
  for (const auto& item : *arr) add(item);
  return out;
}

/// A whole number within [low, high]; the range is in the message either way.
int get_integer(const fs::path& file, const std::string& key, const toml::node& node, int low, int high) {
  std::string must = fmt::format("must be a whole number from {} to {}", low, high);
  auto v = node.value_exact<std::int64_t>();
  if (!node.is_integer() || !v) bad_value(file, key, node, fmt::format("{}, not {}", must, type_name(node)));
  if (*v < low || *v > high) bad_value(file, key, node, fmt::format("{} (got {})", must, *v));
  return static_cast<int>(*v);
}

/// A finite number (integer or not) within [low, high] of `unit`.
double get_number(const fs::path& file, const std::string& key, const toml::node& node, double low, double high,
                  const char* unit) {
  std::string must = fmt::format("must be a number of {} from {} to {}", unit, low, high);
  std::optional<double> v;
  if (auto i = node.value_exact<std::int64_t>())
    v = static_cast<double>(*i);
  else if (auto d = node.value_exact<double>())
    v = *d;
  else
    bad_value(file, key, node, fmt::format("{}, not {}", must, type_name(node)));
  if (!std::isfinite(*v) || *v < low || *v > high) bad_value(file, key, node, fmt::format("{} (got {})", must, *v));
  return *v;
}

/// "", "UTC" or an offset +HH:MM / -HH:MM.
bool valid_timezone(const std::string& tz) {
  if (tz.empty() || tz == "UTC" || tz == "utc") return true;
  auto digit = [&](std::size_t i) { return std::isdigit(static_cast<unsigned char>(tz[i])) != 0; };
  return tz.size() == 6 && (tz[0] == '+' || tz[0] == '-') && digit(1) && digit(2) && tz[3] == ':' && digit(4) &&
         digit(5) && std::stoi(tz.substr(1, 2)) <= 14 && std::stoi(tz.substr(4, 2)) <= 59;
}

void apply_table(Config& c, const fs::path& file, const toml::table& table) {
  for (const auto& [k, node] : table) {
    check_key(file, k);
    std::string key(k.str());
    if (key == "script_location")
      c.script_location = get_name(file, key, node);
    else if (key == "url") {
      auto v = node.value<std::string>();
      if (!node.is_string() || !v) bad_value(file, key, node, fmt::format("must be a string, not {}", type_name(node)));
      c.url = *v;
      c.url_location = location(file, node);
    } else if (key == "version_table")
      c.version_table = get_name(file, key, node);
    else if (key == "version_table_schema") {
      auto s = get_string(file, key, node);
      if (s.empty())
        c.version_table_schema.reset();
      else
        c.version_table_schema = s;
    } else if (key == "version_locations")
      c.version_locations = get_strings(file, key, node);
    else if (key == "file_template")
      c.file_template = get_name(file, key, node);
    else if (key == "truncate_slug_length")
      c.truncate_slug_length = get_integer(file, key, node, 1, 255);  // a file name holds 255 bytes at most
    else if (key == "timezone") {
      c.timezone = get_string(file, key, node);
      if (!valid_timezone(c.timezone))
        bad_value(file, key, node,
                  fmt::format("must be \"UTC\" or an offset such as \"+02:00\" (leave it out for local time), "
                              "not \"{}\"",
                              c.timezone));
    } else if (key == "revision_format") {
      c.revision_format = get_string(file, key, node);
      if (c.revision_format != "sql" && c.revision_format != "cpp")
        bad_value(file, key, node, fmt::format("must be \"sql\" or \"cpp\", not \"{}\"", c.revision_format));
    } else if (key == "transaction_per_migration") {
      auto v = node.value<bool>();
      if (!node.is_boolean() || !v)
        bad_value(file, key, node, fmt::format("must be true or false, not {}", type_name(node)));
      c.transaction_per_migration = *v;
    } else if (key == "lock_timeout")
      // A day at most: a longer wait is a hung run, and SQLite takes the wait in 32-bit milliseconds.
      c.lock_timeout = get_number(file, key, node, 0, 86400, "seconds");
    else if (key == "post_write_hooks")
      c.post_write_hooks = get_strings(file, key, node);
    else if (key == "cxx")
      c.cxx = get_string(file, key, node);
    else if (key == "cxxflags")
      c.cxxflags = get_string(file, key, node);
    else if (key == "cpp_cache_dir")
      c.cpp_cache_dir = get_string(file, key, node);
  }
}

/// The file's text. A missing, unreadable or non-regular file is a ConfigError (toml++ would read
/// a folder as an empty file).
std::string read_file(const fs::path& file) {
  std::error_code ec;
  auto status = fs::status(file, ec);
  if (status.type() == fs::file_type::not_found)
    throw ConfigError(
        fmt::format("{}: no such file (create one with `retort init DIR`, or pass -c PATH)", file.string()));
  if (ec) throw ConfigError(fmt::format("{}: cannot read it ({})", file.string(), ec.message()));
  if (fs::is_directory(status))
    throw ConfigError(fmt::format("{}: is a folder, not a file (pass -c FOLDER/retort.toml)", file.string()));
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), {}};
  if (!in.is_open() || in.bad())
    throw ConfigError(
        fmt::format("{}: cannot read it ({})", file.string(), errno ? std::strerror(errno) : "unknown error"));
  return text;
}

/// The [env] table: each entry must be a table of known keys (checked for every environment, so
/// that a typo in one is found before the day it is picked). Null when there is none.
const toml::table* environments(const fs::path& file, const toml::table& root) {
  const toml::node* node = root.get("env");
  if (!node) return nullptr;
  const auto* envs = node->as_table();
  if (!envs)
    throw ConfigError(fmt::format("{}: 'env' must be a table of environments, [env.NAME], not {}",
                                  location(file, *node), type_name(*node)));
  for (const auto& [name, env] : *envs) {
    const auto* table = env.as_table();
    if (!table)
      throw ConfigError(
          fmt::format("{}: environment 'env.{}' must be a table (write [env.{}] and its keys "
                      "below it), not {}",
                      location(file, env), name.str(), name.str(), type_name(env)));
    for (const auto& entry : *table) check_key(file, entry.first);
  }
  return envs;
}

/// Debian's toml++ (3.3.0) reaches __builtin_unreachable when it tests some non-ASCII characters
/// as whitespace (marzer/tomlplusplus#295): undefined behaviour, found by fuzz/fuzz_config. It
/// does so outside strings and after a backslash in one; such a character is never valid TOML
/// there, so it is refused first, naming its line and column.
void refuse_non_ascii_outside_strings(const std::string& text, const fs::path& file) {
  int line = 1, column = 1;
  std::size_t i = 0;
  auto advance = [&] {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // one column per character, not per UTF-8 byte
    }
    ++i;
  };
  auto skip_string = [&](std::string_view quote, bool escapes) {
    for (std::size_t k = 0; k < quote.size(); ++k) advance();
    while (i < text.size()) {
      if (escapes && text[i] == '\\' && i + 1 < text.size()) {
        // After a backslash toml++ looks for the spaces of a line-ending backslash, and tests a
        // non-ASCII character there as whitespace too (the same unreachable code). TOML has no
        // such escape, so it is refused here.
        // In a multi-line string a backslash at the end of a line trims the line breaks and
        // blanks after it, which toml++ tests the same way: a non-ASCII character first after
        // them (valid TOML, but undefined behaviour in toml++) is refused too.
        std::size_t k = i + 1;
        bool line_break = false;
        while (k < text.size() &&
               (text[k] == ' ' || text[k] == '\t' || (quote.size() == 3 && (text[k] == '\r' || text[k] == '\n')))) {
          line_break = line_break || text[k] == '\n';
          ++k;
        }
        if (k < text.size() && static_cast<unsigned char>(text[k]) >= 0x80) {
          if (line_break)
            throw ConfigError(
                fmt::format("{}:{}:{}: a line-ending backslash in a string before a non-ASCII character "
                            "(the TOML reader cannot take it; start the line with another character)",
                            file.string(), line, column));
          throw ConfigError(
              fmt::format("{}:{}:{}: an invalid escape in a string: a backslash before a non-ASCII character",
                          file.string(), line, column));
        }
        advance();
        advance();
        continue;
      }
      if (text.compare(i, quote.size(), quote) == 0) {
        for (std::size_t k = 0; k < quote.size(); ++k) advance();
        // TOML: up to two more quotes right before a multi-line string's closing delimiter
        // belong to its text (`""""" ` ends with two quotes inside), as toml++ reads them.
        for (int extra = 0; quote.size() == 3 && extra < 2 && i < text.size() && text[i] == quote[0]; ++extra)
          advance();
        return;
      }
      if (quote.size() == 1 && text[i] == '\n') return;  // unterminated: toml++ reports it
      advance();
    }
  };
  // In valid TOML a quote opens a string only at the start of a key or value. A quote right
  // after a bare token (`99"...`) is part of that token for toml++, which then classifies the
  // characters after it, so they are checked here as outside a string. After `=`, toml++ reads
  // a bare value up to whitespace, `,`, `]`, `}` or `#`: quotes and brackets inside it
  // (`0r2"""["...`) open nothing either.
  bool value_context = false;  // after `=` on this line
  bool bare_value = false;     // inside a bare (unquoted) value
  bool inline_key = false;     // at a key of an inline table (`{a = 1, b = 2}`)
  int braces = 0;              // open inline tables
  auto opens_string = [&] {
    return !bare_value && (i == 0 || std::string_view(" \t\r\n=[{,.").find(text[i - 1]) != std::string_view::npos);
  };
  auto track_bare_value = [&](char ch) {
    if (ch == '\n') {
      value_context = bare_value = inline_key = false;
      braces = 0;
      return;
    }
    if (bare_value) {
      if (std::string_view(" \t\r,]}#").find(ch) == std::string_view::npos) return;
      bare_value = false;  // and the terminator counts below
    }
    if (ch == '{') {
      ++braces;
      inline_key = true;
    } else if (ch == '}') {
      if (braces > 0) --braces;
    } else if (ch == ',') {
      inline_key = braces > 0;
    } else if (ch == '=') {
      value_context = true;
      inline_key = false;
    } else if (value_context && !inline_key && std::string_view(" \t\r[\"'#").find(ch) == std::string_view::npos) {
      bare_value = true;
    }
  };
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // a UTF-8 byte order mark
  while (i < text.size()) {
    char c = text[i];
    if ((c == '"' || c == '\'') && !opens_string()) {
      track_bare_value(c);
      advance();
    } else if (c == '#') {
      bare_value = false;
      while (i < text.size() && text[i] != '\n') advance();
    } else if (text.compare(i, 3, "\"\"\"") == 0) {
      skip_string("\"\"\"", true);
    } else if (text.compare(i, 3, "'''") == 0) {
      skip_string("'''", false);
    } else if (c == '"') {
      skip_string("\"", true);
    } else if (c == '\'') {
      skip_string("'", false);
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      throw ConfigError(fmt::format("{}:{}:{}: a non-ASCII character outside a string (put names and values in quotes)",
                                    file.string(), line, column));
    } else {
      track_bare_value(c);
      advance();
    }
  }
}

}  // namespace

Config Config::load(const fs::path& file, const std::string& environment) {
  std::string text = read_file(file);
  refuse_non_ascii_outside_strings(text, file);
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw ConfigError(fmt::format("{}:{}:{}: {}", file.string(), src.begin.line, src.begin.column, e.description()));
  }
  Config c;
  c.config_file = fs::absolute(file);
  c.base_dir = c.config_file.parent_path();
  const toml::node* main_node = root.get("retort");
  if (!main_node) throw ConfigError(fmt::format("{}:1:1: no [retort] table (see `retort init`)", file.string()));
  const auto* main = main_node->as_table();
  if (!main)
    throw ConfigError(fmt::format("{}: 'retort' must be a table, [retort], not {}", location(file, *main_node),
                                  type_name(*main_node)));
  for (const auto& [k, node] : root) {
    std::string key(k.str());
    if (key != "retort" && key != "env" && key != "autogenerate")
      throw ConfigError(fmt::format("{}: unknown table '{}' (expected [retort], [autogenerate] and [env.NAME])",
                                    location(file, node), key));
  }
  if (const toml::node* auto_node = root.get("autogenerate")) {
    const auto* table = auto_node->as_table();
    if (!table)
      throw ConfigError(fmt::format("{}: 'autogenerate' must be a table, [autogenerate], not {}",
                                    location(file, *auto_node), type_name(*auto_node)));
    for (const auto& [k, node] : *table) {
      std::string key(k.str());
      if (key == "schema")
        c.autogenerate.schema = get_string(file, key, node);
      else if (key == "dev_url")
        c.autogenerate.dev_url = get_string(file, key, node);
      else if (key == "metadata")
        c.autogenerate.metadata = get_string(file, key, node);
      else if (key == "include")
        c.autogenerate.include = get_strings(file, key, node);
      else if (key == "exclude")
        c.autogenerate.exclude = get_strings(file, key, node);
      else if (key == "schemas")
        c.autogenerate.schemas = get_strings(file, key, node);
      else
        throw ConfigError(fmt::format(
            "{}: unknown key '{}' in [autogenerate] (known keys: schema, metadata, dev_url, include, exclude, "
            "schemas)",
            location(file, node), key));
    }
  }
  const toml::table* envs = environments(file, root);
  apply_table(c, file, *main);
  if (!environment.empty()) {
    const toml::table* env = envs ? envs->get_as<toml::table>(environment) : nullptr;
    if (!env) {
      std::string known;
      if (envs)
        for (const auto& [k, v] : *envs) known += (known.empty() ? "" : ", ") + std::string(k.str());
      throw ConfigError(fmt::format("{}: no environment [env.{}] (defined: {})", file.string(), environment,
                                    known.empty() ? "none" : known));
    }
    apply_table(c, file, *env);
    c.environment = environment;
  }
  return c;
}

std::string Config::database_url(const std::optional<std::string>& override_url) const {
  if (override_url && !override_url->empty()) return *override_url;
  if (const char* env = std::getenv("RETORT_DATABASE_URL"); env && *env) return env;
  if (!url.empty()) return interpolate_environment(url, url_location.empty() ? "url" : url_location + ": 'url'");
  throw ConfigError(
      fmt::format("{}: no database URL: set url in [retort], RETORT_DATABASE_URL, or "
                  "pass --url",
                  config_file.empty() ? std::string("configuration") : config_file.string()));
}

fs::path Config::script_directory() const {
  fs::path p(script_location);
  return p.is_absolute() ? p : base_dir / p;
}

std::vector<fs::path> Config::version_directories() const {
  std::vector<fs::path> out;
  if (version_locations.empty()) {
    out.push_back(script_directory() / "versions");
    return out;
  }
  for (const auto& v : version_locations) {
    fs::path p(v);
    out.push_back(p.is_absolute() ? p : base_dir / p);
  }
  return out;
}

}  // namespace retort::migrate
