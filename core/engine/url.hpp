// Database URLs: dialect[+driver]://user:password@host:port/database?key=value
// SQLite: sqlite:///relative.db, sqlite:////absolute.db, sqlite:// or sqlite:///:memory:.
// The password never leaves this class in text form except through password() (and the query
// value of a password-like key, e.g. MySQL's ?password=, except through query()).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace retort::core {

class URL {
 public:
  /// Parses a URL. Throws ArgumentError (with the password masked) when malformed.
  static URL parse(const std::string& text);

  const std::string& dialect() const noexcept { return dialect_; }
  const std::optional<std::string>& driver() const noexcept { return driver_; }
  /// "dialect" or "dialect+driver": the registry key.
  std::string drivername() const;
  const std::optional<std::string>& username() const noexcept { return username_; }
  const std::optional<std::string>& password() const noexcept { return password_; }
  const std::optional<std::string>& host() const noexcept { return host_; }
  const std::optional<int>& port() const noexcept { return port_; }
  const std::optional<std::string>& database() const noexcept { return database_; }
  const std::map<std::string, std::string>& query() const noexcept { return query_; }
  std::optional<std::string> query_value(const std::string& key) const;

  URL with_database(std::optional<std::string> database) const;
  URL with_query(const std::string& key, const std::string& value) const;

  /// The URL with the password, and the value of any password-like query key (password,
  /// sslpassword, passwd, pwd), shown as *** (safe for logs and errors).
  std::string render() const { return render(true); }
  /// The URL with the password, percent-encoded, for handing to another program.
  std::string render_with_password() const { return render(false); }

  bool operator==(const URL&) const = default;

 private:
  std::string render(bool hide_password) const;
  std::string dialect_;
  std::optional<std::string> driver_;
  std::optional<std::string> username_;
  std::optional<std::string> password_;
  std::optional<std::string> host_;
  std::optional<int> port_;
  std::optional<std::string> database_;
  std::map<std::string, std::string> query_;
};

/// Replaces with *** the passwords in any text that contains URLs: user:PASSWORD@ and the value
/// of a password-like query key (?password=, &sslpassword=, ...), whatever the dialect.
std::string mask_password(const std::string& text);

}  // namespace retort::core
