// What `retort verify` reports: applied revisions whose files no longer match the checksums the
// history table recorded when they ran.
#pragma once

#include <string>
#include <vector>

namespace retort::migrate {

struct VerifyReport {
  struct Changed {
    std::string revision{}, recorded{}, now{}, path{};
  };
  std::vector<Changed> changed{};             // the file was edited after it ran
  std::vector<std::string> disappeared{};     // applied, but no revision file defines it any more
  std::vector<std::string> never_recorded{};  // applied without a history row (Alembic, --sql, older retort)
  std::vector<std::string> recorded_now{};    // with record_missing: the rows just written
  bool clean() const { return changed.empty() && disappeared.empty() && never_recorded.empty(); }
};

}  // namespace retort::migrate
