// Running another program (Alembic for import-alembic, post-write hooks) with its output
// captured: argv as a list, never through a shell, so paths and revision ids need no quoting.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace retort::migrate {

struct ProcessResult {
  int exit_code = -1;  // the exit status; 128+N when killed by signal N
  std::string standard_output{};
  std::string standard_error{};
};

/// Runs `arguments[0]` (looked up on PATH when it has no '/') with `arguments` in `directory`,
/// standard input empty, and waits for it. Throws CommandError when it cannot be started.
ProcessResult run_process(const std::vector<std::string>& arguments, const std::filesystem::path& directory);

/// The executable `name` would run as, found on PATH; nullopt when there is none.
std::optional<std::filesystem::path> find_program(const std::string& name);

/// `command` cut into words as a shell cuts a simple command, but with nothing expanded: blanks
/// separate words, '...' keeps its text as written, "..." too but for \" and \\, and a
/// backslash outside quotes keeps the next character. Throws CommandError for an open quote.
std::vector<std::string> split_command_line(const std::string& command);

}  // namespace retort::migrate
