// `-x KEY=VALUE` arguments inside SQL revision files: `${x.KEY}` is replaced by the value given on
// the command line, verbatim; `${x.KEY:-default}` falls back to `default`. Where a value goes
// into SQL as data or as a name, `${x.KEY:literal}` writes it as a string literal and
// `${x.KEY:identifier}` as a quoted identifier, both quoted for the dialect, so a value cannot
// change the statement (either takes a default too: `${x.KEY:literal:-default}`). Only the `${x.`
// prefix is read, so other `${...}` text (a template in a string, a shell snippet) passes through
// untouched. Applied online and offline alike, so `--sql` prints what would run.
#pragma once

#include <map>
#include <string>

namespace retort::core {
class Dialect;
}

namespace retort::migrate {

/// `sql` with its `${x.KEY}` references replaced. Throws MigrationError naming `location`
/// (file:line) for a key that was not given and has no default, an unknown `:form`, or an
/// unterminated reference. `dialect` quotes the `:literal` and `:identifier` forms.
std::string substitute_x_arguments(const std::string& sql, const std::map<std::string, std::string>& x_arguments,
                                   const std::string& location, const core::Dialect* dialect = nullptr);

}  // namespace retort::migrate
