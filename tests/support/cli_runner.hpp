// Running command lines for the CLI tests: run_command("retort upgrade head", dir) runs it with
// bash in `dir` and returns its exit code and its standard output and error, merged.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace retort::testing {

struct CommandResult {
  int exit_code = -1;  // the process's exit status; 128+N when killed by signal N
  std::string output;  // standard output and standard error, interleaved
};

/// `text` quoted for /bin/sh as one word.
inline std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

/// Runs `command_line` with bash in `directory` (standard error joins standard output).
inline CommandResult run_command(const std::string& command_line, const std::filesystem::path& directory) {
  std::string full =
      "cd " + shell_quote(directory.string()) + " && exec bash -c " + shell_quote(command_line) + " 2>&1";
  CommandResult result;
  FILE* pipe = ::popen(full.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  int status = ::pclose(pipe);
  if (WIFEXITED(status))
    result.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    result.exit_code = 128 + WTERMSIG(status);
  return result;
}

/// The path of the retort binary under test, quoted for the shell.
inline std::string retort_binary() { return shell_quote(RETORT_CLI_PATH); }

}  // namespace retort::testing
