// Parsing of SQL revision files.
#include <retort/migrate/script/revision_file.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>

#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "-- retort:";

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScriptError(fmt::format("{}: cannot read the revision file", file.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The file up to and including the line `-- retort:upgrade` (or all of it): listing commands
/// read thousands of headers, so this avoids reading bodies and iostreams.
std::string read_header_text(int directory_fd, const char* name, const fs::path& file) {
  int fd = ::openat(directory_fd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ScriptError(fmt::format("{}: cannot read the revision file", file.string()));
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      ::close(fd);
      throw ScriptError(fmt::format("{}: cannot read the revision file", file.string()));
    }
    if (n == 0) break;
    std::size_t old = text.size();
    text.append(buf, static_cast<std::size_t>(n));
    // Stop once the upgrade marker's line is complete.
    auto marker = text.find("-- retort:upgrade", old > 20 ? old - 20 : 0);
    if (marker != std::string::npos && text.find('\n', marker) != std::string::npos) break;
  }
  ::close(fd);
  return text;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool is_hexish_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

const std::vector<std::string>& sql_revision_header_keys() {
  static const std::vector<std::string> keys = {"revision", "down_revision", "branch_labels", "depends_on",
                                                "message",  "create_date",   "transactional"};
  return keys;
}

Revision read_sql_revision_header(const fs::path& file) {
  return read_sql_revision_header(AT_FDCWD, file.c_str(), file);
}

Revision read_sql_revision_header(int directory_fd, const char* name, const fs::path& file) {
  std::string text = read_header_text(directory_fd, name, file);
  std::istringstream in(text);
  std::string raw;
  int line = 0;
  Revision rev;
  rev.path = file.string();
  std::map<std::string, int> seen;
  bool found_upgrade = false;
  while (std::getline(in, raw)) {
    ++line;
    std::string l = trim(raw);
    if (l.empty()) continue;
    if (l.rfind(kPrefix, 0) != 0) {
      if (l.rfind("--", 0) == 0) continue;  // an ordinary comment in the header
      throw ScriptError(fmt::format("{}:{}: SQL before the `-- retort:upgrade` line", file.string(), line));
    }
    std::string rest = l.substr(kPrefix.size());
    auto space = rest.find_first_of(" \t");
    std::string key = rest.substr(0, space);
    std::string value = space == std::string::npos ? "" : trim(rest.substr(space));
    if (key == "upgrade") {
      found_upgrade = true;
      break;
    }
    if (key == "downgrade")
      throw ScriptError(fmt::format("{}:{}: `-- retort:downgrade` before `-- retort:upgrade`", file.string(), line));
    const auto& keys = sql_revision_header_keys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      throw ScriptError(
          fmt::format("{}:{}: unknown header key '{}' (known: {})", file.string(), line, key, fmt::join(keys, ", ")));
    if (seen.count(key))
      throw ScriptError(
          fmt::format("{}:{}: header key '{}' given twice (first on line {})", file.string(), line, key, seen[key]));
    seen[key] = line;
    if (key == "revision") {
      if (!is_hexish_id(value))
        throw ScriptError(
            fmt::format("{}:{}: revision id '{}' must be 1 to 32 letters, digits, '_' "
                        "or '-'",
                        file.string(), line, value));
      rev.id = value;
    } else if (key == "down_revision") {
      rev.down_revisions = split_list(value);
    } else if (key == "branch_labels") {
      rev.branch_labels = split_list(value);
    } else if (key == "depends_on") {
      rev.depends_on = split_list(value);
    } else if (key == "message") {
      rev.message = value;
    } else if (key == "create_date") {
      rev.create_date = value;
    } else if (key == "transactional") {
      if (value == "true" || value.empty())
        rev.transactional = true;
      else if (value == "false")
        rev.transactional = false;
      else
        throw ScriptError(
            fmt::format("{}:{}: transactional must be true or false, not '{}'", file.string(), line, value));
    }
  }
  if (!seen.count("revision"))
    throw ScriptError(fmt::format("{}:1: missing `-- retort:revision ID` header line", file.string()));
  if (!seen.count("down_revision"))
    throw ScriptError(
        fmt::format("{}:1: missing `-- retort:down_revision` header line (leave the "
                    "value empty for a base revision)",
                    file.string()));
  if (!found_upgrade)
    throw ScriptError(fmt::format("{}:{}: missing the `-- retort:upgrade` section", file.string(), line));
  return rev;
}

RevisionBody read_sql_revision_body(const fs::path& file, bool upgrade, bool backslash_escapes) {
  std::string text = read_file(file);
  // Find the section markers on lines of their own.
  std::size_t pos = 0;
  int line = 1;
  std::size_t up_start = std::string::npos, down_start = std::string::npos;
  int up_line = 0, down_line = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    std::string l = trim(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    std::size_t next = nl == std::string::npos ? text.size() + 1 : nl + 1;
    if (l == "-- retort:upgrade" && up_start == std::string::npos) {
      up_start = next;
      up_line = line + 1;
    } else if (l == "-- retort:downgrade" && down_start == std::string::npos) {
      down_start = next;
      down_line = line + 1;
    }
    if (nl == std::string::npos) break;
    pos = next;
    ++line;
  }
  if (up_start == std::string::npos)
    throw ScriptError(fmt::format("{}: missing the `-- retort:upgrade` section", file.string()));
  RevisionBody body;
  auto clamp = [&](std::size_t p) { return std::min(p, text.size()); };
  if (upgrade) {
    std::size_t end = down_start == std::string::npos ? text.size() : text.rfind("-- retort:downgrade", down_start);
    body.statements = split_sql(std::string_view(text).substr(clamp(up_start), clamp(end) - clamp(up_start)), up_line,
                                file.string(), backslash_escapes);
  } else if (down_start != std::string::npos) {
    body.statements =
        split_sql(std::string_view(text).substr(clamp(down_start)), down_line, file.string(), backslash_escapes);
  }
  return body;
}

}  // namespace retort::migrate
