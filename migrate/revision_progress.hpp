// How far a revision that runs without a transaction got: what `partial_revisions` reports and
// the progress table (progress_table.hpp) stores.
#pragma once

#include <cstdint>
#include <string>

namespace retort::migrate {

struct RevisionProgress {
  std::string revision{};
  std::string direction{};  // upgrade or downgrade
  std::int64_t statements_done = 0;
  std::string checksum{};  // of the statements run, as their text was
};

}  // namespace retort::migrate
