// The benchmarks' scratch databases on the test servers (RETORT_TEST_POSTGRESQL_URL,
// RETORT_TEST_MYSQL_URL): dropped and made again through the servers' own clients, since
// CREATE DATABASE cannot run inside a transaction.
#pragma once

#include <string>

#include <fmt/format.h>

#include <retort/retort.hpp>

#include "bench_support.hpp"

namespace retort::bench {

/// -h -P -u -p arguments of the mysql client tools for `server`.
inline std::string mysql_client_args(const retort::URL& server) {
  return fmt::format("-h {} -P {} -u {} {}", server.host().value_or("127.0.0.1"), server.port().value_or(3306),
                     shell_quote(server.username().value_or("root")),
                     server.password() ? "-p" + shell_quote(*server.password()) : std::string());
}

/// An empty database `name` on the server of `server` (a PostgreSQL or MySQL URL); its URL.
inline retort::URL fresh_database(const retort::URL& server, const std::string& name) {
  if (server.dialect() == "postgresql")
    run("psql -X -q -d " + shell_quote(server.render_with_password()) + " -c " +
        shell_quote(fmt::format("DROP DATABASE IF EXISTS {}", name)) + " -c " +
        shell_quote(fmt::format("CREATE DATABASE {}", name)) + " 2>&1");
  else
    run("mysql " + mysql_client_args(server) + " -e " +
        shell_quote(fmt::format("DROP DATABASE IF EXISTS {0}; CREATE DATABASE {0}", name)) + " 2>&1");
  return server.with_database(name);
}

/// `url` for SQLAlchemy with the driver Debian packages (psycopg2, pymysql), password included.
inline std::string sqlalchemy_url(const retort::URL& url) {
  std::string out = url.render_with_password();
  if (url.dialect() == "postgresql")
    out.replace(0, out.find("://"), "postgresql+psycopg2");
  else if (url.dialect() == "mysql" || url.dialect() == "mariadb")
    out.replace(0, out.find("://"), "mysql+pymysql");
  return out;
}

}  // namespace retort::bench
