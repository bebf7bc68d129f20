// Formatting of database errors: the driver's message, then the statement that failed.
#include <retort/core/errors.hpp>

namespace retort::core {

namespace {
std::string describe(const std::string& message, const std::string& statement, int code, const std::string& sqlstate) {
  std::string out = message;
  if (code != 0 || !sqlstate.empty()) {
    out += " (";
    if (code != 0) out += "code " + std::to_string(code);
    if (code != 0 && !sqlstate.empty()) out += ", ";
    if (!sqlstate.empty()) out += "SQLSTATE " + sqlstate;
    out += ")";
  }
  if (!statement.empty()) out += "\n[SQL: " + statement + "]";
  return out;
}
}  // namespace

DBAPIError::DBAPIError(const std::string& message, std::string statement, int native_code, std::string sqlstate)
    : Error(describe(message, statement, native_code, sqlstate)),
      driver_message_(message),
      statement_(std::move(statement)),
      native_code_(native_code),
      sqlstate_(std::move(sqlstate)) {}

}  // namespace retort::core
