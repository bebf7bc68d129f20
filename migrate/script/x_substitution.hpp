// `-x KEY=VALUE` arguments inside SQL revision files: `${x.KEY}` is replaced by the value given on
// the command line, `${x.KEY:-default}` falls back to `default`. Only the `${x.` prefix is read,
// so other `${...}` text (a template in a string, a shell snippet) passes through untouched.
// Applied online and offline alike, so `--sql` prints what would run.
#pragma once

#include <map>
#include <string>

namespace retort::migrate {

/// `sql` with its `${x.KEY}` references replaced. Throws MigrationError naming `location`
/// (file:line) for a key that was not given and has no default, or an unterminated reference.
std::string substitute_x_arguments(const std::string& sql, const std::map<std::string, std::string>& x_arguments,
                                   const std::string& location);

}  // namespace retort::migrate
