// PostgreSQL errors: SQLSTATEs mapped to the DBAPIError hierarchy (raise_postgresql_error), and
// the message and SQLSTATE read from a failed libpq result or connection.
#include <retort/dialects/postgresql/postgresql_driver.hpp>
#include <retort/dialects/postgresql/postgresql_errors.hpp>

#include <retort/dialects/postgresql/libpq_api.hpp>

#include <cctype>
#include <cstddef>

#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>

namespace retort::dialects::postgresql {

namespace {

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

bool is_disconnect_state(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

}  // namespace

void raise_postgresql_error(const std::string& sqlstate, const std::string& message, const std::string& statement,
                            bool connection_lost) {
  std::string text = core::mask_password(message);
  // 55P04: a value added by ALTER TYPE ... ADD VALUE used in the transaction that added it.
  if (sqlstate == "55P04")
    text +=
        "\nHINT: a new enum value can be used only once the transaction that added it has committed: add it in "
        "an earlier revision, or mark this revision `transactional false`";
  // 25001: a statement that cannot run inside a transaction block (CREATE INDEX CONCURRENTLY).
  if (sqlstate == "25001")
    text +=
        "\nHINT: mark this revision `transactional false`: it then runs outside any transaction, statement by "
        "statement (a run stopped part-way resumes after the statements it ran)";
  if (connection_lost || is_disconnect_state(sqlstate)) throw core::DisconnectionError(text, statement, 0, sqlstate);
  std::string cls = sqlstate.substr(0, 2);
  // The classes follow psycopg2's mapping, as SQLAlchemy users know it.
  if (cls == "23") throw core::IntegrityError(text, statement, 0, sqlstate);
  if (cls == "22") throw core::DataError(text, statement, 0, sqlstate);
  if (cls == "42" || cls == "44" || cls == "20" || cls == "21" || cls == "26" || cls == "3D" || cls == "3F")
    throw core::ProgrammingError(text, statement, 0, sqlstate);
  if (cls == "0A") throw core::NotSupportedError(text, statement, 0, sqlstate);
  if (cls == "40" || cls == "53" || cls == "54" || cls == "55" || cls == "57" || cls == "58" || cls == "27" ||
      cls == "28" || cls == "34" || cls == "HV")
    throw core::OperationalError(text, statement, 0, sqlstate);
  if (cls == "XX" || cls == "24" || cls == "25" || cls == "2B" || cls == "2D" || cls == "2F" || cls == "38" ||
      cls == "39" || cls == "3B" || cls == "F0" || cls == "P0")
    throw core::InternalError(text, statement, 0, sqlstate);
  if (sqlstate.empty()) throw core::OperationalError(text, statement, 0, sqlstate);
  throw core::DatabaseError(text, statement, 0, sqlstate);
}

namespace detail {

std::string one_line(const std::string& text) {
  std::string out;
  bool blank = false;
  for (char c : trim(text)) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!blank) out += (c == '\n' ? "; " : " ");
      blank = true;
    } else {
      out += c;
      blank = false;
    }
  }
  return out;
}

std::pair<std::string, std::string> describe_error(const PGresult* res, PGconn* conn) {
  std::string sqlstate, message;
  if (res) {
    if (const char* s = libpq().PQresultErrorField(res, PG_DIAG_SQLSTATE)) sqlstate = s;
    if (const char* m = libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) message = m;
    if (const char* d = libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL))
      message += std::string("\nDETAIL: ") + d;
    if (const char* h = libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_HINT)) message += std::string("\nHINT: ") + h;
    if (message.empty()) message = trim(libpq().PQresultErrorMessage(res));
  }
  if (message.empty() && conn) message = trim(libpq().PQerrorMessage(conn));
  if (message.empty()) message = "unknown PostgreSQL error";
  return {sqlstate, message};
}

void raise_result_error(const PGresult* res, PGconn* conn, const std::string& sql) {
  auto [sqlstate, message] = describe_error(res, conn);
  bool lost = !conn || libpq().PQstatus(conn) == CONNECTION_BAD;
  raise_postgresql_error(sqlstate, message, sql, lost);
}

}  // namespace detail

}  // namespace retort::dialects::postgresql
