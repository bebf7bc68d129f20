// Loading retort.toml with toml++; locations in errors come from the parsed nodes' sources.
#include <retort/migrate/config.hpp>

#include <algorithm>
#include <cstdlib>
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

const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = {"script_location",      "url",
                                             "version_table",        "version_table_schema",
                                             "version_locations",    "file_template",
                                             "truncate_slug_length", "timezone",
                                             "revision_format",      "transaction_per_migration",
                                             "lock_timeout",         "post_write_hooks"};
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

std::string get_string(const fs::path& file, const std::string& key, const toml::node& node) {
  auto v = node.value<std::string>();
  if (!node.is_string() || !v) throw ConfigError(fmt::format("{}: '{}' must be a string", location(file, node), key));
  return interpolate_environment(*v, location(file, node));
}

std::vector<std::string> get_strings(const fs::path& file, const std::string& key, const toml::node& node) {
  std::vector<std::string> out;
  if (node.is_string()) {
    out.push_back(get_string(file, key, node));
    return out;
  }
  const auto* arr = node.as_array();
  if (!arr) throw ConfigError(fmt::format("{}: '{}' must be a list of strings", location(file, node), key));
  for (const auto& item : *arr) out.push_back(get_string(file, key, item));
  return out;
}

void apply_table(Config& c, const fs::path& file, const toml::table& table) {
  for (const auto& [k, node] : table) {
    std::string key(k.str());
    if (!known_keys().count(key)) {
      std::string known;
      for (const auto& n : known_keys()) known += (known.empty() ? "" : ", ") + n;
      std::string guess = closest_key(key);
      const auto& at = k.source().begin;  // the key's own position, not its value's
      throw ConfigError(fmt::format("{}:{}:{}: unknown key '{}'{} (known keys: {})", file.string(), at.line, at.column,
                                    key, guess.empty() ? "" : fmt::format(", did you mean '{}'?", guess), known));
    }
    if (key == "script_location")
      c.script_location = get_string(file, key, node);
    else if (key == "url") {
      auto v = node.value<std::string>();
      if (!node.is_string() || !v) throw ConfigError(fmt::format("{}: 'url' must be a string", location(file, node)));
      c.url = *v;
      c.url_location = location(file, node);
    } else if (key == "version_table")
      c.version_table = get_string(file, key, node);
    else if (key == "version_table_schema") {
      auto s = get_string(file, key, node);
      if (s.empty())
        c.version_table_schema.reset();
      else
        c.version_table_schema = s;
    } else if (key == "version_locations")
      c.version_locations = get_strings(file, key, node);
    else if (key == "file_template")
      c.file_template = get_string(file, key, node);
    else if (key == "truncate_slug_length") {
      auto v = node.value<std::int64_t>();
      if (!node.is_integer() || !v || *v < 1)
        throw ConfigError(fmt::format("{}: 'truncate_slug_length' must be a positive integer", location(file, node)));
      c.truncate_slug_length = static_cast<int>(*v);
    } else if (key == "timezone")
      c.timezone = get_string(file, key, node);
    else if (key == "revision_format") {
      c.revision_format = get_string(file, key, node);
      if (c.revision_format != "sql" && c.revision_format != "cpp")
        throw ConfigError(fmt::format("{}: 'revision_format' must be \"sql\" or \"cpp\"", location(file, node)));
    } else if (key == "transaction_per_migration") {
      auto v = node.value<bool>();
      if (!node.is_boolean() || !v)
        throw ConfigError(fmt::format("{}: 'transaction_per_migration' must be true or false", location(file, node)));
      c.transaction_per_migration = *v;
    } else if (key == "lock_timeout") {
      auto v = node.value<double>();
      if (!(node.is_integer() || node.is_floating_point()) || !v || *v < 0)
        throw ConfigError(fmt::format("{}: 'lock_timeout' must be a number of seconds", location(file, node)));
      c.lock_timeout = *v;
    } else if (key == "post_write_hooks")
      c.post_write_hooks = get_strings(file, key, node);
  }
}

}  // namespace

Config Config::load(const fs::path& file, const std::string& environment) {
  if (!fs::exists(file))
    throw ConfigError(
        fmt::format("{}: no such file (create one with `retort init DIR`, or pass -c "
                    "PATH)",
                    file.string()));
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw ConfigError(fmt::format("{}:{}:{}: {}", file.string(), src.begin.line, src.begin.column, e.description()));
  }
  Config c;
  c.config_file = fs::absolute(file);
  c.base_dir = c.config_file.parent_path();
  const auto* main = root.get_as<toml::table>("retort");
  if (!main) throw ConfigError(fmt::format("{}:1:1: no [retort] table (see `retort init`)", file.string()));
  for (const auto& [k, node] : root) {
    std::string key(k.str());
    if (key != "retort" && key != "env")
      throw ConfigError(
          fmt::format("{}: unknown table '{}' (expected [retort] and [env.NAME])", location(file, node), key));
  }
  apply_table(c, file, *main);
  if (!environment.empty()) {
    const auto* envs = root.get_as<toml::table>("env");
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
  if (!url.empty()) return interpolate_environment(url, url_location.empty() ? "url" : url_location);
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
