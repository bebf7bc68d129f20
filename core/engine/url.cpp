// URL parsing and rendering.
#include <retort/core/engine/url.hpp>

#include <cctype>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include <retort/core/errors.hpp>
#include <retort/core/text.hpp>

namespace retort::core {

namespace {

/// Whether a (decoded) query key holds a secret: the drivers' password options (MySQL's and
/// libpq's password, libpq's sslpassword, ODBC's PWD), in any case.
bool is_secret_key(const std::string& key) {
  std::string k = to_lower(key);
  return k.find("password") != std::string::npos || k == "passwd" || k == "pwd";
}

/// `s` with its valid %XX escapes decoded and bad ones left as they are (for reading keys in text).
std::string lenient_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// Whether `c` ends a URL written in running text.
bool ends_word(char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '"'; }

/// `text` with the value of every ?KEY=VALUE or &KEY=VALUE whose key is a secret shown as ***.
/// A value runs to the next '&', blank or quote (as the parser reads it, so a '#', ':' or '@' in
/// it stays hidden); one already shown as *** (then perhaps a sentence's ':' or ',') is kept.
std::string mask_query_secrets(const std::string& text) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '?' && text[i] != '&') continue;
    std::size_t eq = i + 1;
    while (eq < text.size() && text[eq] != '=' && text[eq] != '&' && text[eq] != '?' && !ends_word(text[eq])) ++eq;
    if (eq == text.size() || text[eq] != '=' ||
        !is_secret_key(lenient_decode(std::string_view(text).substr(i + 1, eq - i - 1))))
      continue;
    std::size_t end = eq + 1;
    while (end < text.size() && text[end] != '&' && !ends_word(text[end])) ++end;
    std::string_view value = std::string_view(text).substr(eq + 1, end - eq - 1);
    bool shown_masked = value.substr(0, 3) == "***" && value.find_first_not_of(".,:;)]}", 3) == std::string::npos;
    out.append(text, copied, eq + 1 - copied);
    out += shown_masked ? std::string(value) : std::string("***");
    copied = end;
    i = end - 1;
  }
  out.append(text, copied);
  return out;
}

[[noreturn]] void malformed(const std::string& text, const std::string& why) {
  std::string shown = mask_password(text);
  // Without "://" mask_password cannot tell where credentials are: hide all before the last '@'.
  auto at = shown.rfind('@');
  if (text.find("://") == std::string::npos && at != std::string::npos) shown = "***" + shown.substr(at);
  throw ArgumentError(fmt::format("malformed database URL '{}': {}", shown, why));
}

std::string percent_decode(const std::string& s, const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
        malformed(text, "bad percent-escape");
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string percent_encode(const std::string& s, const char* keep) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::strchr("-._~", c) || std::strchr(keep, c))
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

URL URL::parse(const std::string& text) {
  URL url;
  auto sep = text.find("://");
  if (sep == std::string::npos || sep == 0)
    malformed(text,
              "expected dialect[+driver]://..., e.g. sqlite:///app.db or "
              "postgresql://user:password@host/dbname");
  std::string scheme = text.substr(0, sep);
  for (char c : scheme)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '+' ||
          c == '_' || c == '-'))
      malformed(text, "the dialect name may hold only lower-case letters, digits, '_', '-' and '+'");
  auto plus = scheme.find('+');
  url.dialect_ = scheme.substr(0, plus);
  if (plus != std::string::npos) {
    url.driver_ = scheme.substr(plus + 1);
    if (url.driver_->empty()) malformed(text, "empty driver name after '+'");
  }
  if (url.dialect_.empty()) malformed(text, "empty dialect name");

  std::string rest = text.substr(sep + 3);
  std::string query_text;
  auto q = rest.find('?');
  if (q != std::string::npos) {
    query_text = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  // Authority (user:password@host:port) ends at the first '/' after the last '@'.
  auto at = rest.rfind('@');
  std::size_t authority_end = rest.find('/', at == std::string::npos ? 0 : at);
  std::string authority = rest.substr(0, authority_end);
  if (authority_end != std::string::npos) {
    std::string db = rest.substr(authority_end + 1);
    if (!db.empty()) url.database_ = percent_decode(db, text);
  }
  if (at != std::string::npos) {
    std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    url.username_ = percent_decode(userinfo.substr(0, colon), text);
    if (colon != std::string::npos) url.password_ = percent_decode(userinfo.substr(colon + 1), text);
  }
  if (!authority.empty()) {
    std::string host = authority;
    std::string port;
    if (authority.front() == '[') {  // [::1]:5432
      auto close = authority.find(']');
      if (close == std::string::npos) malformed(text, "unterminated '[' in the host");
      host = authority.substr(1, close - 1);
      if (close + 1 < authority.size()) {
        if (authority[close + 1] != ':') malformed(text, "unexpected text after ']'");
        port = authority.substr(close + 2);
      }
    } else {
      auto colon = authority.rfind(':');
      if (colon != std::string::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
      }
    }
    if (!host.empty()) url.host_ = percent_decode(host, text);
    if (!port.empty()) {
      for (char c : port)
        if (!std::isdigit(static_cast<unsigned char>(c))) malformed(text, "the port must be a number");
      if (port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535)
        malformed(text, "the port must be between 1 and 65535");
      url.port_ = std::stoi(port);
    }
  }
  std::size_t pos = 0;
  while (!query_text.empty() && pos <= query_text.size()) {
    auto amp = query_text.find('&', pos);
    std::string pair = query_text.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      if (eq == 0) malformed(text, "empty key in the query string");
      std::string key = percent_decode(pair.substr(0, eq), text);
      std::string value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1), text);
      url.query_[key] = value;
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return url;
}

std::string URL::drivername() const { return driver_ ? dialect_ + "+" + *driver_ : dialect_; }

std::optional<std::string> URL::query_value(const std::string& key) const {
  auto it = query_.find(key);
  if (it == query_.end()) return std::nullopt;
  return it->second;
}

URL URL::with_database(std::optional<std::string> database) const {
  URL u = *this;
  u.database_ = std::move(database);
  return u;
}

URL URL::with_query(const std::string& key, const std::string& value) const {
  URL u = *this;
  u.query_[key] = value;
  return u;
}

std::string URL::render(bool hide_password) const {
  std::string out = drivername() + "://";
  if (username_) {
    out += percent_encode(*username_, "");
    if (password_) {
      out += ':';
      out += hide_password ? std::string("***") : percent_encode(*password_, "");
    }
    out += "@";
  }
  if (host_) {
    bool ipv6 = host_->find(':') != std::string::npos;
    if (ipv6)
      out.append("[").append(percent_encode(*host_, ":")).append("]");  // "[a:b%40c]": an @ must not split it
    else
      out += percent_encode(*host_, "");
  }
  if (port_) out.append(":").append(std::to_string(*port_));
  if (database_) out.append("/").append(percent_encode(*database_, "/:"));
  char sep = '?';
  for (const auto& [k, v] : query_) {
    bool hide = hide_password && is_secret_key(k);  // ?password=, which MySQL's driver takes too
    out += sep + percent_encode(k, "") + "=" + (hide ? std::string("***") : percent_encode(v, "/:"));
    sep = '&';
  }
  return out;
}

std::string mask_password(const std::string& raw) {
  // Query secrets first: a '@' in such a value must not be taken for the end of the userinfo.
  const std::string text = mask_query_secrets(raw);
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto sep = text.find("://", pos);
    if (sep == std::string::npos) break;
    std::size_t start = sep + 3;
    // The authority ends at whitespace, a quote, '/', '?' or the end.
    std::size_t end = start;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '\'' &&
           text[end] != '"')
      ++end;
    std::string span = text.substr(start, end - start);
    auto at = span.rfind('@');
    out += text.substr(pos, start - pos);
    if (at != std::string::npos) {
      std::string userinfo = span.substr(0, at);
      auto colon = userinfo.find(':');
      if (colon != std::string::npos) {
        out += userinfo.substr(0, colon) + ":***" + span.substr(at);
      } else {
        out += span;
      }
    } else {
      out += span;
    }
    pos = end;
  }
  out += text.substr(pos);
  return out;
}

}  // namespace retort::core
