// Reading Alembic revision files without Python: a small scanner splits the file into Python's
// logical lines (brackets, strings and backslashes join physical lines; comments are dropped),
// and the few value forms Alembic's templates write are parsed from the module-level ones.
#include <retort/migrate/importers/alembic_revision_reader.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_id.hpp>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

/// One logical line of Python source.
struct LogicalLine {
  int line = 0;           // 1-based line of its first character
  bool indented = false;  // inside a block (not a module-level statement)
  std::string text;       // comments removed; the newlines inside brackets kept
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScriptError(fmt::format("{}: cannot read the file", file.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The logical lines of `source`. Throws ScriptError for an unterminated string.
std::vector<LogicalLine> logical_lines(const std::string& source, const fs::path& file) {
  std::vector<LogicalLine> lines;
  LogicalLine current;
  bool started = false;  // a logical line is open
  bool indent = false;   // whitespace seen since the physical line began
  int depth = 0;         // open brackets
  int line = 1;
  auto finish = [&] {
    if (current.text.find_first_not_of(" \t\r\n") != std::string::npos) lines.push_back(current);
    current = LogicalLine{};
    started = false;
    depth = 0;
  };
  std::size_t i = 0, n = source.size();
  while (i < n) {
    char c = source[i];
    if (!started) {
      if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
        indent = true;
        ++i;
        continue;
      }
      if (c == '\n') {
        ++line;
        indent = false;
        ++i;
        continue;
      }
      if (c == '#') {
        while (i < n && source[i] != '\n') ++i;
        continue;
      }
      started = true;
      current.line = line;
      current.indented = indent;
    }
    if (c == '#') {
      while (i < n && source[i] != '\n') ++i;
    } else if (c == '\\' && i + 1 < n && (source[i + 1] == '\n' || source[i + 1] == '\r')) {
      auto newline = source.find('\n', i);  // an explicit line join
      i = newline == std::string::npos ? n : newline + 1;
      ++line;
      current.text += ' ';
    } else if (c == '\'' || c == '"') {
      int start_line = line;
      bool triple = source.compare(i, 3, std::string(3, c)) == 0;
      std::size_t start = i;
      i += triple ? 3 : 1;
      while (true) {
        if (i >= n || (!triple && source[i] == '\n'))
          throw ScriptError(fmt::format("{}:{}: unterminated string", file.string(), start_line));
        if (source[i] == '\\') {
          if (i + 1 < n && source[i + 1] == '\n') ++line;
          i += 2;
        } else if (triple ? source.compare(i, 3, std::string(3, c)) == 0 : source[i] == c) {
          i += triple ? 3 : 1;
          break;
        } else {
          if (source[i] == '\n') ++line;
          ++i;
        }
      }
      current.text.append(source, start, i - start);
    } else if (c == '\n') {
      ++i;
      ++line;
      indent = false;
      if (depth == 0)
        finish();
      else
        current.text += '\n';
    } else if (c == ';' && depth == 0) {  // `a = 1; b = 2`: two statements on one line
      bool was_indented = current.indented;
      finish();
      started = true;
      current.line = line;
      current.indented = was_indented;
      ++i;
    } else {
      if (c == '(' || c == '[' || c == '{') ++depth;
      if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
      if (c != '\r') current.text += c;
      ++i;
    }
  }
  if (started) finish();
  return lines;
}

/// A token of an assignment's value.
struct Token {
  enum class Kind { string, none, open, close, comma, other };
  Kind kind;
  std::string text;  // the string's value for Kind::string; the bracket for open/close
};

/// The value of the Python string literal `literal` (prefix and quotes included), or nullopt for
/// a literal that is not a plain string (f-strings, bytes).
std::optional<std::string> string_value(std::string_view literal) {
  std::size_t quote = literal.find_first_of("'\"");
  std::string prefix;
  for (char ch : literal.substr(0, quote)) prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!(prefix.empty() || prefix == "r" || prefix == "u")) return std::nullopt;
  bool raw = prefix == "r";
  char q = literal[quote];
  std::size_t width = literal.compare(quote, 3, std::string(3, q)) == 0 && literal.size() >= quote + 6 ? 3 : 1;
  std::string_view body = literal.substr(quote + width, literal.size() - quote - 2 * width);
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && !raw && i + 1 < body.size()) {
      char next = body[++i];
      switch (next) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case '\n': break;  // a line continuation inside the string
        case '\\':
        case '\'':
        case '"': out += next; break;
        default: out += '\\'; out += next;
      }
    } else {
      out += body[i];
    }
  }
  return out;
}

/// Splits an assignment's value into tokens; anything that is not a literal, None, a bracket or
/// a comma is one Kind::other token (which makes the value malformed).
std::vector<Token> tokenize(std::string_view value) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < value.size()) {
    char c = value[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    std::size_t word_end = i;
    while (word_end < value.size() &&
           (std::isalnum(static_cast<unsigned char>(value[word_end])) || value[word_end] == '_'))
      ++word_end;
    bool literal = (c == '\'' || c == '"') || (word_end > i && word_end - i <= 2 && word_end < value.size() &&
                                               (value[word_end] == '\'' || value[word_end] == '"'));
    if (literal) {
      std::size_t quote = c == '\'' || c == '"' ? i : word_end;
      char q = value[quote];
      bool triple = value.compare(quote, 3, std::string(3, q)) == 0;
      std::size_t j = quote + (triple ? 3 : 1);
      while (j < value.size() && !(triple ? value.compare(j, 3, std::string(3, q)) == 0 : value[j] == q))
        j += value[j] == '\\' ? 2 : 1;
      j = std::min(value.size(), j + (triple ? 3 : 1));
      auto s = string_value(value.substr(i, j - i));
      tokens.push_back(s ? Token{Token::Kind::string, *s}
                         : Token{Token::Kind::other, std::string(value.substr(i, j - i))});
      i = j;
    } else if (value.substr(i, word_end - i) == "None") {
      tokens.push_back({Token::Kind::none, "None"});
      i = word_end;
    } else if (c == '(' || c == '[') {
      tokens.push_back({Token::Kind::open, std::string(1, c)});
      ++i;
    } else if (c == ')' || c == ']') {
      tokens.push_back({Token::Kind::close, std::string(1, c)});
      ++i;
    } else if (c == ',') {
      tokens.push_back({Token::Kind::comma, ","});
      ++i;
    } else {
      tokens.push_back({Token::Kind::other, std::string(value.substr(i, std::max<std::size_t>(word_end - i, 1)))});
      i = std::max(word_end, i + 1);
    }
  }
  return tokens;
}

/// Strings separated by commas, with an optional trailing comma; nullopt for anything else.
std::optional<std::vector<std::string>> string_items(const std::vector<Token>& tokens, std::size_t begin,
                                                     std::size_t end) {
  std::vector<std::string> items;
  bool expect_string = true;
  for (std::size_t i = begin; i < end; ++i) {
    if (expect_string && tokens[i].kind == Token::Kind::string)
      items.push_back(tokens[i].text);
    else if (!expect_string && tokens[i].kind == Token::Kind::comma)
      ;
    else
      return std::nullopt;
    expect_string = !expect_string;
  }
  return items;
}

/// An assignment's value: None (an empty list), 'x', ('x', 'y'), ['x', 'y'] or 'x', 'y'.
/// nullopt when it is none of these.
std::optional<std::vector<std::string>> parse_value(std::string_view value) {
  auto tokens = tokenize(value);
  if (tokens.size() == 1 && tokens[0].kind == Token::Kind::none) return std::vector<std::string>{};
  if (tokens.size() >= 2 && tokens.front().kind == Token::Kind::open && tokens.back().kind == Token::Kind::close &&
      (tokens.front().text == "(") == (tokens.back().text == ")"))
    return string_items(tokens, 1, tokens.size() - 1);
  if (tokens.empty()) return std::nullopt;
  return string_items(tokens, 0, tokens.size());
}

/// For `name = value` or `name: annotation = value`: the value's text after the `=`; nullopt
/// for other statements (`name == x`, `name += x`, a bare annotation).
std::optional<std::string_view> assigned_value(std::string_view statement, std::size_t after_name) {
  std::size_t i = after_name;
  while (i < statement.size() && (statement[i] == ' ' || statement[i] == '\t')) ++i;
  if (i < statement.size() && statement[i] == ':') {
    // Skip the annotation: the first `=` outside brackets and strings ends it.
    int depth = 0;
    for (++i; i < statement.size(); ++i) {
      char c = statement[i];
      if (c == '\'' || c == '"') {
        auto close = statement.find(c, i + 1);
        if (close == std::string_view::npos) return std::nullopt;
        i = close;
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        --depth;
      } else if (c == '=' && depth == 0) {
        break;
      }
    }
  }
  if (i >= statement.size() || statement[i] != '=' || (i + 1 < statement.size() && statement[i + 1] == '='))
    return std::nullopt;
  return statement.substr(i + 1);
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

/// The value's text on one line, for messages.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : trim(text)) {
    if (c == '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += ' ';
    } else if (!(c == ' ' && !out.empty() && out.back() == ' ')) {
      out += c;
    }
  }
  return out;
}

/// Alembic's message: the docstring's first paragraph (Script.doc), here on one line.
std::string docstring_message(const std::string& docstring) {
  std::string text = trim(docstring);
  auto paragraph_end = text.find("\n\n");
  return one_line(text.substr(0, paragraph_end));
}

std::string docstring_create_date(const std::string& docstring) {
  std::istringstream in(docstring);
  for (std::string line; std::getline(in, line);) {
    std::string t = trim(line);
    if (t.rfind("Create Date:", 0) == 0) return trim(std::string_view(t).substr(12));
  }
  return {};
}

constexpr std::string_view kValueForms = "None, a quoted string, or a tuple or list of quoted strings";

}  // namespace

std::optional<AlembicRevisionFile> read_alembic_revision(const fs::path& file) {
  const std::string source = read_text(file);
  const auto lines = logical_lines(source, file);
  AlembicRevisionFile result;
  result.revision.path = file.string();
  bool has_revision = false;

  if (!lines.empty() && !lines.front().indented) {
    auto tokens = tokenize(lines.front().text);
    if (tokens.size() == 1 && tokens[0].kind == Token::Kind::string) {
      result.revision.message = docstring_message(tokens[0].text);
      result.revision.create_date = docstring_create_date(tokens[0].text);
    }
  }

  static const std::map<std::string, std::vector<std::string> Revision::*> kLists = {
      {"down_revision", &Revision::down_revisions},
      {"branch_labels", &Revision::branch_labels},
      {"depends_on", &Revision::depends_on}};
  for (const auto& statement : lines) {
    if (statement.indented) continue;
    std::string_view text = statement.text;
    std::size_t name_end = 0;
    while (name_end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[name_end])) || text[name_end] == '_'))
      ++name_end;
    std::string name(text.substr(0, name_end));
    if (name != "revision" && !kLists.count(name)) continue;
    auto value_text = assigned_value(text, name_end);
    if (!value_text) continue;
    auto value = parse_value(*value_text);
    if (name == "revision") {
      if (!value || value->size() != 1 || (*value)[0].empty())
        throw ScriptError(fmt::format("{}:{}: revision must be one quoted, non-empty string, not `{}`", file.string(),
                                      statement.line, one_line(*value_text)));
      // Alembic takes any string; retort's targets would misread some (release-1 is "release
      // minus one"), so the import stops here rather than write a file retort then refuses.
      if (auto problem = revision_id_error((*value)[0]); !problem.empty())
        throw ScriptError(fmt::format("{}:{}: {}; retort cannot keep this id", file.string(), statement.line, problem));
      result.revision.id = (*value)[0];
      result.revision_line = statement.line;
      has_revision = true;
      continue;
    }
    if (!value)
      throw ScriptError(fmt::format("{}:{}: {} must be {}, not `{}`", file.string(), statement.line, name, kValueForms,
                                    one_line(*value_text)));
    if (std::find(value->begin(), value->end(), std::string()) != value->end())
      throw ScriptError(fmt::format("{}:{}: {} holds an empty string", file.string(), statement.line, name));
    for (const auto& item : *value) {
      auto problem = name == "down_revision" ? revision_id_error(item) : branch_label_error(item);
      if (!problem.empty())
        throw ScriptError(
            fmt::format("{}:{}: {}: {}; retort cannot keep it", file.string(), statement.line, name, problem));
    }
    result.revision.*kLists.at(name) = std::move(*value);
  }
  if (!has_revision) return std::nullopt;
  return result;
}

AlembicRevisionScan read_alembic_revisions(const std::vector<fs::path>& folders, bool recursive) {
  std::vector<fs::path> files;
  for (const auto& folder : folders) {
    if (!fs::is_directory(folder))
      throw CommandError(
          fmt::format("Alembic version folder {} does not exist (check script_location and "
                      "version_locations in the ini file)",
                      folder.string()));
    auto take = [&](const fs::directory_entry& entry) {
      std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && entry.path().extension() == ".py" && name != "__init__.py" &&
          name.rfind(".#", 0) != 0)
        files.push_back(entry.path());
    };
    if (recursive) {
      for (const auto& entry : fs::recursive_directory_iterator(folder)) take(entry);
    } else {
      for (const auto& entry : fs::directory_iterator(folder)) take(entry);
    }
  }
  std::sort(files.begin(), files.end());

  AlembicRevisionScan scan;
  std::vector<std::string> errors;
  std::map<std::string, const AlembicRevisionFile*> by_id;
  for (const auto& file : files) {
    try {
      auto revision = read_alembic_revision(file);
      if (revision)
        scan.revisions.push_back(std::move(*revision));
      else
        scan.skipped.push_back(fmt::format("{}: no module-level `revision = ...`; skipped", file.string()));
    } catch (const ScriptError& e) {
      errors.push_back(e.what());
    }
  }
  for (const auto& r : scan.revisions) {
    auto [it, inserted] = by_id.emplace(r.revision.id, &r);
    if (!inserted)
      errors.push_back(fmt::format("{}:{}: revision {} is also given by {}:{}", r.revision.path, r.revision_line,
                                   r.revision.id, it->second->revision.path, it->second->revision_line));
  }
  if (errors.size() == 1) throw ScriptError(errors.front());
  if (!errors.empty())
    throw ScriptError(
        fmt::format("{} Alembic revision files cannot be read:\n  {}", errors.size(), fmt::join(errors, "\n  ")));
  return scan;
}

}  // namespace retort::migrate
