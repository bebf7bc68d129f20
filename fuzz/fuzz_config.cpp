// retort.toml (migrate/config.hpp): Config::load on any text, with and without an environment,
// then the derived values. ConfigError is the documented answer to a bad file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <retort/migrate/config.hpp>
#include <retort/migrate/errors.hpp>

#include "memory_file.hpp"

using retort::migrate::Config;
using retort::migrate::ConfigError;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // database_url() prefers this variable; without it the file's url (and its ${VAR}s) is read.
  ::unsetenv("RETORT_DATABASE_URL");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // toml++ 3.3.0 (Debian 12) reaches __builtin_unreachable on many non-ASCII characters outside
  // strings (`é = 1`; upstream marzer/tomlplusplus#295): undefined behaviour in the dependency,
  // reported, and left out here so the fuzzer can look for anything else. Remove this once
  // retort works around it (corpus/config/toml_unreachable is the reproducer).
  for (std::size_t i = 0; i < size; ++i)
    if (data[i] >= 0x80) return 0;
  static retort::fuzz::MemoryFile file;
  const std::string& path = file.write(data, size);
  for (const char* environment : {"", "prod"}) {
    try {
      Config config = Config::load(path, environment);
      (void)config.script_directory();
      (void)config.version_directories();
      (void)config.database_url();
    } catch (const ConfigError&) {
    }
  }
  return 0;
}
