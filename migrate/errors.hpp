// Errors of the migration layer (mirroring Alembic's): CommandError for anything a command
// cannot do, RevisionError and its kinds for problems in the revision graph, UsageError for a
// request that cannot be meant (ConfigError: retort.toml). Every message says what, where
// (file:line / revision) and what to do.
#pragma once

#include <exception>

#include <retort/core/errors.hpp>

namespace retort::migrate {

/// What was asked cannot be meant: a bad argument or configuration, found before any work is
/// done. The CLI exits with 2 for these (as for its own usage errors), with 1 for other failures.
class UsageError : public core::Error {
  using core::Error::Error;
};

/// retort.toml could not be read or holds a bad value; the message starts with file:line:column.
class ConfigError : public UsageError {
  using UsageError::UsageError;
};

/// A revision file could not be parsed; the message starts with file:line.
class ScriptError : public core::Error {
  using core::Error::Error;
};

class RevisionError : public core::Error {
  using core::Error::Error;
};
/// "head" was asked for but there are several heads.
class MultipleHeads : public RevisionError {
  using RevisionError::RevisionError;
};
/// An identifier matches no revision, or several (ambiguous prefix).
class ResolutionError : public RevisionError {
  using RevisionError::RevisionError;
};
/// A downgrade/upgrade range whose ends are not ancestor and descendant.
class RangeNotAncestorError : public RevisionError {
  using RevisionError::RevisionError;
};
/// The revision graph loops.
class CycleDetected : public RevisionError {
  using RevisionError::RevisionError;
};

/// A command failed for a reason the user can act on (bad arguments, missing files, ...).
class CommandError : public core::Error {
  using core::Error::Error;
};

/// A migration statement failed; the message names the file, line, revision and statement.
/// Thrown while the database's error is being handled, it keeps that error as its nested
/// exception: `std::rethrow_if_nested(e)` rethrows the core::IntegrityError (or other DBAPIError).
class MigrationError : public core::Error, public std::nested_exception {
 public:
  using core::Error::Error;
};

/// A batch recreation found foreign key enforcement on, and the table it recreates is referenced:
/// dropping the old table would cascade. The runner catches it, turns enforcement off (SQLite
/// allows that only outside a transaction) and runs the revision again; where it cannot (the run
/// is one transaction), the message says what to change.
class ForeignKeysMustBeOff : public CommandError {
 public:
  using CommandError::CommandError;
};

}  // namespace retort::migrate
