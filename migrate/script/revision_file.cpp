// Parsing of SQL revision files. One line reader and one section-marker test serve both the
// header (listing) and the bodies (running), so `history` and `upgrade` always agree on a file.
#include <retort/migrate/script/revision_file.hpp>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>

#include <cstring>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_checksum.hpp>
#include <retort/migrate/revision_id.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "-- retort:";
constexpr std::string_view kCppPrefix = "// retort:";

/// How a format writes its header: SQL's `-- retort:` lines end at the `-- retort:upgrade`
/// marker; C++'s `// retort:` lines end at the first line that is not a `//` comment.
struct HeaderSyntax {
  std::string_view prefix;
  std::string_view comment;
  bool sections;  // SQL: the header ends at the upgrade marker, which must be there
};
constexpr HeaderSyntax kSqlHeader{kPrefix, "--", true};
constexpr HeaderSyntax kCppHeader{kCppPrefix, "//", false};
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// A file descriptor, closed with its owner (also when the owner's constructor throws).
struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

/// The lines of a revision file, read through a descriptor only as far as they are asked for:
/// listing reads thousands of headers and no bodies. A UTF-8 byte order mark is skipped.
class LineReader {
 public:
  LineReader(int directory_fd, const char* name, const fs::path& file)
      : file_(file), fd_{::openat(directory_fd, name, O_RDONLY | O_CLOEXEC)} {
    if (fd_.fd < 0) throw cannot_read();
    while (text_.size() < kUtf8Bom.size() && fill()) {
    }
    std::string_view start(text_);
    if (start.starts_with(kUtf8Bom)) pos_ = kUtf8Bom.size();
    if (start.starts_with("\xFF\xFE") || start.starts_with("\xFE\xFF"))
      throw ScriptError(fmt::format("{}:1: the file is UTF-16; save it as UTF-8", file_.string()));
  }
  /// Lines of a text already in memory (a revision embedded in a program); `file` names it.
  LineReader(std::string text, const fs::path& file) : file_(file), text_(std::move(text)) {
    std::string_view start(text_);
    if (start.starts_with(kUtf8Bom)) pos_ = kUtf8Bom.size();
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line without its '\n', valid until the next call; false after the last line.
  bool next(std::string_view& line) {
    std::size_t nl;
    while ((nl = text_.find('\n', pos_)) == std::string::npos && fill()) {
    }
    if (nl == std::string::npos && pos_ >= text_.size()) return false;
    std::size_t end = nl == std::string::npos ? text_.size() : nl;
    line = std::string_view(text_).substr(pos_, end - pos_);
    pos_ = nl == std::string::npos ? text_.size() : nl + 1;
    ++number_;
    return true;
  }
  int number() const noexcept { return number_; }       // of the line last returned
  std::size_t offset() const noexcept { return pos_; }  // in text(), where the next line starts
  const std::string& text() const noexcept { return text_; }

 private:
  /// Appends the next chunk of the file; false at its end.
  bool fill() {
    if (fd_.fd < 0) return false;
    std::size_t old = text_.size();
    std::size_t chunk = std::max<std::size_t>(4096, old);  // doubling: a long body costs few reads
    text_.resize(old + chunk);
    ssize_t n;
    do n = ::read(fd_.fd, text_.data() + old, chunk);
    while (n < 0 && errno == EINTR);
    if (n < 0) throw cannot_read();
    text_.resize(old + static_cast<std::size_t>(n));
    if (n > 0) return true;
    ::close(fd_.fd);  // read to its end
    fd_.fd = -1;
    return false;
  }
  ScriptError cannot_read() const {
    return ScriptError(fmt::format("{}: cannot read the revision file ({})", file_.string(), std::strerror(errno)));
  }

  const fs::path& file_;
  Descriptor fd_;
  std::string text_;
  std::size_t pos_ = 0;
  int number_ = 0;
};

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

/// `s` for a message: control bytes escaped, so that none can cut or garble it.
std::string shown(std::string_view s) { return shown_value(s); }

enum class Section { none, upgrade, downgrade };

/// What a trimmed line marks. A marker is `-- retort:upgrade` or `-- retort:downgrade`, alone or
/// followed by an ordinary `--` comment; `trailing_text` says something else follows it.
struct Marker {
  Section section = Section::none;
  bool trailing_text = false;
};

Marker section_marker(std::string_view line) {
  if (!line.starts_with(kPrefix)) return {};
  std::string_view rest = line.substr(kPrefix.size());
  Marker m;
  for (auto [word, section] : {std::pair{std::string_view("upgrade"), Section::upgrade},
                               std::pair{std::string_view("downgrade"), Section::downgrade}})
    if (rest.starts_with(word)) {
      rest.remove_prefix(word.size());
      m.section = section;
    }
  if (m.section == Section::none) return {};
  if (rest.empty()) return m;
  if (rest[0] != ' ' && rest[0] != '\t') return {};  // a longer key (`upgrades`): not a marker
  m.trailing_text = !trim(rest).starts_with("--");
  return m;
}

// Ids and labels follow the rules `revision` writes by (migrate/revision_id.hpp), checked again
// on read: a file written by hand or by an older retort may break them.

/// The comma-separated names of a header value, each checked by `problem`.
std::vector<std::string> name_list(std::string_view value, std::string (*problem)(std::string_view),
                                   std::string_view what, const fs::path& file, int line) {
  std::vector<std::string> out;
  while (!value.empty()) {
    auto comma = value.find(',');
    std::string_view item = trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    if (item.empty()) continue;
    if (auto why = problem(item); !why.empty())
      throw ScriptError(fmt::format("{}:{}: {}{}{}", file.string(), line, what, what.empty() ? "" : ": ", why));
    out.emplace_back(item);
  }
  return out;
}

/// Where a section's statements start: the offset in the file's text and its line number.
struct SectionStart {
  std::size_t offset = 0;
  int line = 1;
};

/// Reads the header lines up to and including the `-- retort:upgrade` marker; `upgrade` is set to
/// where that section starts.
Revision read_header(LineReader& lines, const fs::path& file, SectionStart& upgrade,
                     const HeaderSyntax& syntax = kSqlHeader) {
  Revision rev;
  rev.path = file.string();
  std::map<std::string, int, std::less<>> seen;
  bool found_upgrade = false;
  std::string_view raw;
  while (lines.next(raw)) {
    const int line = lines.number();
    // A NUL would cut the value wherever it is used as a C string.
    if (raw.find('\0') != std::string_view::npos)
      throw ScriptError(fmt::format("{}:{}: a NUL byte in the header (is this a text file?)", file.string(), line));
    std::string_view l = trim(raw);
    if (l.empty()) continue;
    if (!syntax.sections) {
      if (!l.starts_with(syntax.prefix)) {
        if (l.starts_with(syntax.comment)) continue;
        break;  // the code starts: the header is over
      }
    }
    Marker marker = syntax.sections ? section_marker(l) : Marker{};
    if (marker.trailing_text)
      throw ScriptError(fmt::format("{}:{}: only a `--` comment may follow `-- retort:{}` on its line", file.string(),
                                    line, marker.section == Section::upgrade ? "upgrade" : "downgrade"));
    if (marker.section == Section::upgrade) {
      upgrade = {lines.offset(), line + 1};
      found_upgrade = true;
      break;
    }
    if (marker.section == Section::downgrade)
      throw ScriptError(fmt::format("{}:{}: `-- retort:downgrade` before `-- retort:upgrade`", file.string(), line));
    if (!l.starts_with(syntax.prefix)) {
      if (l.starts_with("--")) continue;  // an ordinary comment in the header
      throw ScriptError(fmt::format("{}:{}: SQL before the `-- retort:upgrade` line", file.string(), line));
    }
    std::string_view rest = l.substr(syntax.prefix.size());
    auto space = rest.find_first_of(" \t");
    std::string key(rest.substr(0, space));
    std::string_view value = space == std::string_view::npos ? std::string_view{} : trim(rest.substr(space));
    const auto& keys = sql_revision_header_keys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      throw ScriptError(fmt::format("{}:{}: unknown header key '{}' (known: {})", file.string(), line, shown(key),
                                    fmt::join(keys, ", ")));
    if (auto first = seen.find(key); first != seen.end())
      throw ScriptError(fmt::format("{}:{}: header key '{}' given twice (first on line {})", file.string(), line, key,
                                    first->second));
    seen.emplace(key, line);
    if (key == "revision") {
      if (auto problem = revision_id_error(value); !problem.empty())
        throw ScriptError(fmt::format("{}:{}: {}", file.string(), line, problem));
      rev.id = value;
    } else if (key == "down_revision") {
      rev.down_revisions = name_list(value, revision_id_error, "down_revision", file, line);
    } else if (key == "branch_labels") {
      rev.branch_labels = name_list(value, branch_label_error, "", file, line);
    } else if (key == "depends_on") {
      rev.depends_on = name_list(value, branch_label_error, "depends_on", file, line);
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
            fmt::format("{}:{}: transactional must be true or false, not '{}'", file.string(), line, shown(value)));
    }
  }
  if (!seen.count("revision"))
    throw ScriptError(fmt::format("{}:1: missing `{}revision ID` header line", file.string(), syntax.prefix));
  if (!seen.count("down_revision"))
    throw ScriptError(
        fmt::format("{}:1: missing `{}down_revision` header line (leave the "
                    "value empty for a base revision)",
                    file.string(), syntax.prefix));
  if (syntax.sections && !found_upgrade)
    throw ScriptError(
        fmt::format("{}:{}: missing the `-- retort:upgrade` section", file.string(), std::max(lines.number(), 1)));
  return rev;
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
  LineReader lines(directory_fd, name, file);
  SectionStart upgrade;
  return read_header(lines, file, upgrade);
}

Revision read_cpp_revision_header(int directory_fd, const char* name, const fs::path& file) {
  LineReader lines(directory_fd, name, file);
  SectionStart unused;
  return read_header(lines, file, unused, kCppHeader);
}

namespace {
RevisionBody read_body(LineReader& lines, const fs::path& file, bool upgrade, bool backslash_escapes);
}  // namespace

RevisionBody read_sql_revision_body(const fs::path& file, bool upgrade, bool backslash_escapes) {
  LineReader lines(AT_FDCWD, file.c_str(), file);
  return read_body(lines, file, upgrade, backslash_escapes);
}

RevisionBody read_sql_revision_body_text(std::string text, const fs::path& file, bool upgrade, bool backslash_escapes) {
  LineReader lines(std::move(text), file);
  return read_body(lines, file, upgrade, backslash_escapes);
}

Revision read_sql_revision_header_text(std::string text, const fs::path& file) {
  LineReader lines(std::move(text), file);
  SectionStart upgrade;
  return read_header(lines, file, upgrade);
}

Revision read_cpp_revision_header_text(std::string text, const fs::path& file) {
  LineReader lines(std::move(text), file);
  SectionStart unused;
  return read_header(lines, file, unused, kCppHeader);
}

namespace {
RevisionBody read_body(LineReader& lines, const fs::path& file, bool upgrade, bool backslash_escapes) {
  SectionStart up;
  read_header(lines, file, up);
  // After the upgrade marker: at most one downgrade marker, and no other `-- retort:` line (a
  // misspelt marker would otherwise run the downgrade's statements as part of the upgrade).
  std::optional<SectionStart> down;
  std::size_t up_end = std::string::npos;
  std::size_t line_start = lines.offset();
  std::string_view raw;
  while (lines.next(raw)) {
    const int line = lines.number();
    if (raw.find('\0') != std::string_view::npos)
      throw ScriptError(fmt::format("{}:{}: a NUL byte in the SQL (is this a text file?)", file.string(), line));
    std::string_view l = trim(raw);
    if (l.starts_with(kPrefix)) {
      Marker marker = section_marker(l);
      if (marker.section == Section::downgrade && !marker.trailing_text && !down) {
        up_end = line_start;
        down = SectionStart{lines.offset(), line + 1};
      } else if (marker.section == Section::none) {
        throw ScriptError(
            fmt::format("{}:{}: '{}' after `-- retort:upgrade` (header lines go above it; only "
                        "`-- retort:downgrade` may follow)",
                        file.string(), line, shown(l)));
      } else if (marker.trailing_text) {
        throw ScriptError(fmt::format("{}:{}: only a `--` comment may follow `-- retort:{}` on its line", file.string(),
                                      line, marker.section == Section::upgrade ? "upgrade" : "downgrade"));
      } else {
        throw ScriptError(fmt::format("{}:{}: a second `-- retort:{}` line", file.string(), line,
                                      marker.section == Section::upgrade ? "upgrade" : "downgrade"));
      }
    }
    line_start = lines.offset();
  }
  std::string_view text(lines.text());
  RevisionBody body;
  body.checksum = revision_checksum_of_text(text);
  if (upgrade) {
    std::size_t end = std::min(up_end, text.size());
    body.statements = split_sql(text.substr(up.offset, end - up.offset), up.line, file.string(), backslash_escapes);
  } else if (down) {
    body.statements = split_sql(text.substr(down->offset), down->line, file.string(), backslash_escapes);
  } else {
    body.present = false;
  }
  return body;
}

}  // namespace

}  // namespace retort::migrate
