// MySQL/MariaDB server and client error numbers mapped to the DBAPIError hierarchy
// (raise_mysql_error), and the error recorded on a connection handle raised through that mapping.
#include <retort/dialects/mysql/mysql_driver.hpp>
#include <retort/dialects/mysql/mysql_errors.hpp>

#include <retort/dialects/mysql/mariadb_api.hpp>

#include <string>

#include <retort/core/errors.hpp>

namespace retort::dialects::mysql {

void raise_mysql_error(unsigned code, const std::string& message, const std::string& sqlstate, const std::string& sql) {
  const int n = static_cast<int>(code);
  switch (code) {
    // Constraint violations.
    case 1062:  // ER_DUP_ENTRY
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
    case 1451:  // ER_ROW_IS_REFERENCED_2 (delete a parent row)
    case 1452:  // ER_NO_REFERENCED_ROW_2 (insert a child without parent)
    case 1216:  // ER_NO_REFERENCED_ROW
    case 1217:  // ER_ROW_IS_REFERENCED
    case 1048:  // ER_BAD_NULL_ERROR
    case 1364:  // ER_NO_DEFAULT_FOR_FIELD (NOT NULL column left out, strict mode)
    case 3819:  // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8)
    case 4025:  // ER_CONSTRAINT_FAILED (MariaDB)
      throw core::IntegrityError(message, sql, n, sqlstate);
    // Mistakes in the statement or references to missing objects.
    case 1064:  // ER_PARSE_ERROR
    case 1149:  // ER_SYNTAX_ERROR
    case 1065:  // ER_EMPTY_QUERY
    case 1146:  // ER_NO_SUCH_TABLE
    case 1051:  // ER_BAD_TABLE_ERROR (DROP of a missing table)
    case 1054:  // ER_BAD_FIELD_ERROR
    case 1052:  // ER_NON_UNIQ_ERROR (ambiguous column)
    case 1050:  // ER_TABLE_EXISTS_ERROR
    case 1060:  // ER_DUP_FIELDNAME
    case 1061:  // ER_DUP_KEYNAME
    case 1091:  // ER_CANT_DROP_FIELD_OR_KEY
    case 1007:  // ER_DB_CREATE_EXISTS
    case 1008:  // ER_DB_DROP_EXISTS
    case 1059:  // ER_TOO_LONG_IDENT
    case 1102:  // ER_WRONG_DB_NAME
    case 1103:  // ER_WRONG_TABLE_NAME
    case 1166:  // ER_WRONG_COLUMN_NAME
    case 1110:  // ER_FIELD_SPECIFIED_TWICE
    case 1111:  // ER_INVALID_GROUP_FUNC_USE
    case 1113:  // ER_TABLE_MUST_HAVE_COLUMNS
    case 1142:  // ER_TABLEACCESS_DENIED_ERROR
    case 1143:  // ER_COLUMNACCESS_DENIED_ERROR
    case 1210:  // ER_WRONG_ARGUMENTS (e.g. wrong parameter count)
    case 1305:  // ER_SP_DOES_NOT_EXIST (unknown function or procedure)
    case 1630:  // ER_FUNC_INEXISTENT_NAME_COLLISION
    case 2014:  // CR_COMMANDS_OUT_OF_SYNC
    case 2031:  // CR_PARAMS_NOT_BOUND
    case 2034:  // CR_INVALID_PARAMETER_NO
      throw core::ProgrammingError(message, sql, n, sqlstate);
    // Values that do not fit their column.
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1406:  // ER_DATA_TOO_LONG
    case 1292:  // ER_TRUNCATED_WRONG_VALUE (bad date, bad number)
    case 1367:  // ER_ILLEGAL_VALUE_FOR_TYPE
    case 1365:  // ER_DIVISION_BY_ZERO
    case 1441:  // ER_DATETIME_FUNCTION_OVERFLOW
    case 1690:  // ER_DATA_OUT_OF_RANGE (arithmetic)
    case 3140:  // ER_INVALID_JSON_TEXT (MySQL 8)
    case 4038:  // ER_JSON_SYNTAX (MariaDB)
      throw core::DataError(message, sql, n, sqlstate);
    case 1235:  // ER_NOT_SUPPORTED_YET
    case 1286:  // ER_UNKNOWN_STORAGE_ENGINE
    case 1289:  // ER_FEATURE_DISABLED
    case 1295:  // ER_UNSUPPORTED_PS
      throw core::NotSupportedError(message, sql, n, sqlstate);
    // The connection is gone: the pool must discard it.
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
      throw core::DisconnectionError(message, sql, n, sqlstate);
    // 2002/2003 (cannot connect), 1045 (access denied), 1205 (lock wait timeout),
    // 1213 (deadlock) and the rest: the database could not do it now.
    default: throw core::OperationalError(message, sql, n, sqlstate);
  }
}

namespace detail {

void raise_connection_error(MYSQL* db, const std::string& sql) {
  raise_mysql_error(mariadb().mysql_errno(db), mariadb().mysql_error(db), mariadb().mysql_sqlstate(db), sql);
}

}  // namespace detail

}  // namespace retort::dialects::mysql
