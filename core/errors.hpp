// The exception hierarchy shared by every layer (mirrors SQLAlchemy's exc module).
// Database errors carry the statement and the driver's native code, never a password.
#pragma once

#include <stdexcept>
#include <string>

namespace retort::core {

/// Root of every error retort raises.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A feature this dialect (or this build) does not implement, e.g. reflection on a dialect that
/// has none. Not a database error: nothing was sent.
class NotImplementedError : public Error {
  using Error::Error;
};

/// An invariant inside retort was broken: a bug in retort, never the user's input. The message
/// says what; please report it.
class InternalInvariantError : public Error {
  using Error::Error;
};

/// A function was called with arguments that cannot work (bad URL, unknown dialect, bad option).
class ArgumentError : public Error {
  using Error::Error;
};

/// A statement could not be compiled to SQL.
class CompileError : public Error {
  using Error::Error;
};

/// A construct is not supported by the dialect asked to compile it.
class UnsupportedCompilationError : public CompileError {
  using CompileError::CompileError;
};

/// A request that does not make sense in the current state.
class InvalidRequestError : public Error {
  using Error::Error;
};

class NoSuchTableError : public InvalidRequestError {
  using InvalidRequestError::InvalidRequestError;
};
class NoSuchColumnError : public InvalidRequestError {
  using InvalidRequestError::InvalidRequestError;
};
/// A result, connection or transaction was used after it was closed.
class ResourceClosedError : public InvalidRequestError {
  using InvalidRequestError::InvalidRequestError;
};
/// `one()` found no row.
class NoResultFound : public InvalidRequestError {
  using InvalidRequestError::InvalidRequestError;
};
/// `one()` / `one_or_none()` found more than one row.
class MultipleResultsFound : public InvalidRequestError {
  using InvalidRequestError::InvalidRequestError;
};
/// A fetched value could not be converted to the C++ type asked for.
class TypeConversionError : public InvalidRequestError {
  using InvalidRequestError::InvalidRequestError;
};
/// Foreign keys between tables form a cycle that cannot be ordered.
class CircularDependencyError : public InvalidRequestError {
  using InvalidRequestError::InvalidRequestError;
};

/// The pool had no connection to give within pool_timeout.
class TimeoutError : public Error {
  using Error::Error;
};

/// An error reported by the database driver. `statement` is the SQL being run (may be empty),
/// `native_code` the driver's numeric code, `sqlstate` the five-character SQLSTATE where known.
class DBAPIError : public Error {
 public:
  DBAPIError(const std::string& message, std::string statement = {}, int native_code = 0, std::string sqlstate = {});
  const std::string& statement() const noexcept { return statement_; }
  const std::string& driver_message() const noexcept { return driver_message_; }
  int native_code() const noexcept { return native_code_; }
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string driver_message_;
  std::string statement_;
  int native_code_;
  std::string sqlstate_;
};

class InterfaceError : public DBAPIError {
  using DBAPIError::DBAPIError;
};
class DatabaseError : public DBAPIError {
  using DBAPIError::DBAPIError;
};
class OperationalError : public DatabaseError {
  using DatabaseError::DatabaseError;
};
/// The connection was lost; the pool discards it.
class DisconnectionError : public OperationalError {
  using OperationalError::OperationalError;
};
class IntegrityError : public DatabaseError {
  using DatabaseError::DatabaseError;
};
class ProgrammingError : public DatabaseError {
  using DatabaseError::DatabaseError;
};
class DataError : public DatabaseError {
  using DatabaseError::DatabaseError;
};
class NotSupportedError : public DatabaseError {
  using DatabaseError::DatabaseError;
};
class InternalError : public DatabaseError {
  using DatabaseError::DatabaseError;
};

}  // namespace retort::core
