// Reading alembic.ini: the subset of Python's ConfigParser that Alembic's [alembic] section uses
// (`key = value` or `key: value`, indented continuation lines, # and ; comment lines, keys in
// any case, basic %(name)s interpolation with `here`), and Alembic 1.8's rules for the version
// folders (ScriptDirectory.from_config).
#include <retort/migrate/importers/alembic_config.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSection = "alembic";

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Alembic's split of version_locations: by version_path_separator, or (no separator given) on
/// commas and spaces as its legacy regex `, *|(?: +)` does.
std::vector<std::string> split_locations(const std::string& value, const std::string& separator) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) out.push_back(current);
    current.clear();
  };
  for (char c : value) {
    bool split = separator.empty() ? (c == ',' || c == ' ') : c == separator[0];
    if (split)
      flush();
    else
      current += c;
  }
  flush();
  return out;
}

}  // namespace

AlembicConfig AlembicConfig::load(const fs::path& project_dir, const fs::path& ini_file) {
  AlembicConfig config;
  if (!fs::is_directory(project_dir))
    throw CommandError(fmt::format("Alembic project folder {} does not exist", project_dir.string()));
  config.project_dir_ = fs::absolute(project_dir).lexically_normal();
  config.ini_file_ = (config.project_dir_ / ini_file).lexically_normal();
  std::ifstream in(config.ini_file_);
  if (!fs::is_regular_file(config.ini_file_) || !in)
    throw CommandError(
        fmt::format("{} does not exist or cannot be read (pass the Alembic project's ini file with "
                    "--config, relative to {})",
                    config.ini_file_.string(), config.project_dir_.string()));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    config.lines_.push_back(line);
  }

  // Only the [alembic] section is kept; [DEFAULT] keys are visible to it as in ConfigParser.
  std::string section;
  constexpr std::size_t kNoEntry = static_cast<std::size_t>(-1);
  std::size_t open_entry = kNoEntry;  // the entry that an indented line continues
  for (std::size_t i = 0; i < config.lines_.size(); ++i) {
    const std::string& raw = config.lines_[i];
    int line = static_cast<int>(i) + 1;
    std::string text = trim(raw);
    bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
    if (text.empty() || text[0] == '#' || text[0] == ';') {
      open_entry = kNoEntry;
      continue;
    }
    if (indented && open_entry != kNoEntry) {
      auto& entry = config.entries_[open_entry];
      entry.value += "\n" + text;
      entry.last_line = line;
      continue;
    }
    open_entry = kNoEntry;
    if (text.front() == '[' && text.back() == ']') {
      section = trim(std::string_view(text).substr(1, text.size() - 2));
      if (section == kSection && config.section_line_ == 0) config.section_line_ = line;
      continue;
    }
    if (section != kSection && section != "DEFAULT") continue;
    auto delimiter = text.find_first_of("=:");
    if (delimiter == std::string::npos) continue;  // ConfigParser refuses it; Alembic will say so itself
    Entry entry{section, lower(trim(std::string_view(text).substr(0, delimiter))),
                trim(std::string_view(text).substr(delimiter + 1)), line, line};
    // A key given again in the same section replaces the earlier value.
    auto same = std::find_if(config.entries_.begin(), config.entries_.end(),
                             [&](const Entry& e) { return e.section == entry.section && e.key == entry.key; });
    if (same != config.entries_.end()) {
      *same = entry;
      open_entry = static_cast<std::size_t>(same - config.entries_.begin());
    } else {
      config.entries_.push_back(entry);
      open_entry = config.entries_.size() - 1;
    }
  }

  const std::string ini = config.ini_file_.string();
  const Entry* location = config.find("script_location");
  if (!location)
    throw ScriptError(
        fmt::format("{}:{}: no script_location in the [alembic] section", ini, std::max(config.section_line_, 1)));
  auto folder_of = [&](const Entry& entry, const std::string& value) {
    fs::path path(value);
    if (!path.is_absolute() && value.find(':') != std::string::npos)
      throw ScriptError(fmt::format("{}:{}: '{}' names a Python package resource; give the folder's path instead", ini,
                                    entry.first_line, value));
    return (config.project_dir_ / path).lexically_normal();
  };
  fs::path script_location = folder_of(*location, config.interpolate(*location));

  if (const Entry* versions = config.find("version_locations"); versions && !versions->value.empty()) {
    std::string separator;
    if (const Entry* s = config.find("version_path_separator")) {
      std::string name = config.interpolate(*s);
      if (name == "space")
        separator = " ";
      else if (name == "os" || name == ":")
        separator = ":";
      else if (name == ";")
        separator = ";";
      else
        throw ScriptError(fmt::format("{}:{}: '{}' is not a valid version_path_separator (space, os, ':' or ';')", ini,
                                      s->first_line, name));
    }
    for (const auto& part : split_locations(config.interpolate(*versions), separator))
      config.version_folders_.push_back(folder_of(*versions, part));
  } else {
    config.version_folders_.push_back(script_location / "versions");
  }
  if (const Entry* recursive = config.find("recursive_version_locations"))
    config.recursive_ = lower(config.interpolate(*recursive)) == "true";
  if (const Entry* url = config.find("sqlalchemy.url")) config.url_ = config.interpolate(*url);
  return config;
}

const AlembicConfig::Entry* AlembicConfig::find(const std::string& key) const {
  const Entry* from_defaults = nullptr;
  for (const auto& e : entries_) {
    if (e.key != key) continue;
    if (e.section == kSection) return &e;
    from_defaults = &e;
  }
  return from_defaults;
}

std::string AlembicConfig::interpolate(const Entry& entry, int depth) const {
  const std::string& value = entry.value;
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%' || i + 1 >= value.size()) {
      out += value[i];
      continue;
    }
    if (value[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    auto close = value.find(")s", i);
    if (value[i + 1] != '(' || close == std::string::npos)
      throw ScriptError(fmt::format("{}:{}: bad interpolation in '{}' (write %% for a percent sign)",
                                    ini_file_.string(), entry.first_line, value));
    std::string name = lower(value.substr(i + 2, close - i - 2));
    if (name == "here") {
      out += ini_file_.parent_path().string();
    } else if (const Entry* other = find(name); other && depth < 10) {
      out += interpolate(*other, depth + 1);
    } else {
      throw ScriptError(fmt::format("{}:{}: %({})s names no key of the [alembic] section", ini_file_.string(),
                                    entry.first_line, name));
    }
    i = close + 1;
  }
  return out;
}

std::string AlembicConfig::text_with_main_option(const std::string& key, const std::string& value) const {
  // The key's own line in [alembic] (a [DEFAULT] value stays: the new line overrides it).
  int first = 0, last = 0;
  if (const Entry* e = find(lower(key)); e && e->section == kSection) {
    first = e->first_line;
    last = e->last_line;
  }
  std::ostringstream out;
  if (section_line_ == 0) out << "[" << kSection << "]\n" << key << " = " << value << "\n";
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    int line = static_cast<int>(i) + 1;
    if (line == first) out << key << " = " << value << "\n";
    if (line >= first && line <= last && first > 0) continue;
    out << lines_[i] << "\n";
    if (line == section_line_ && first == 0) out << key << " = " << value << "\n";
  }
  return out.str();
}

}  // namespace retort::migrate
