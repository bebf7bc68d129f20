// The MySQL/MariaDB driver over MariaDB Connector/C (the mysqlclient API, <mysql.h>):
// connections with an LRU cache of server-side prepared statements, buffered cursors that
// convert the binary protocol into Values, and server error numbers mapped to DBAPIError.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <retort/core/driver.hpp>

namespace retort::dialects::mysql {

/// What a connection needs; built from a URL by MySQLDialect::options_from_url.
struct MySQLOptions {
  std::optional<std::string> host{};  // none: localhost through the default socket
  unsigned port = 0;                  // 0: the client library's default (3306)
  std::optional<std::string> user{};
  std::optional<std::string> password{};
  std::optional<std::string> database{};
  std::optional<std::string> unix_socket{};
  std::string charset = "utf8mb4";
  std::optional<unsigned> connect_timeout{};  // seconds
  std::optional<unsigned> read_timeout{};
  std::optional<unsigned> write_timeout{};
  std::optional<std::string> ssl_ca{}, ssl_capath{}, ssl_cert{}, ssl_key{}, ssl_cipher{};
  std::optional<bool> ssl{};                     // require TLS
  std::optional<bool> ssl_verify_server_cert{};  // check the server certificate and host name
  std::optional<std::string> init_command{};     // SQL run after connecting
  bool autocommit = true;
  std::size_t statement_cache_size = 128;  // prepared statements kept per connection
  std::string display_url{};               // the URL with the password masked, for messages
};

/// Opens a connection. Throws OperationalError (never showing the password) when the server
/// cannot be reached or refuses the login.
std::unique_ptr<core::DriverConnection> open_mysql(const MySQLOptions& options);

/// Throws the DBAPIError subclass for a server or client error number.
[[noreturn]] void raise_mysql_error(unsigned error_number, const std::string& message, const std::string& sqlstate,
                                    const std::string& sql);

}  // namespace retort::dialects::mysql
