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
  // Non-ASCII input is fuzzed too: Config::load refuses such characters outside strings before
  // toml++ 3.3.0 sees them (its __builtin_unreachable, corpus/config/toml_unreachable).
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
