// A revision as the graph sees it: its id, parents, labels and dependencies, read from a
// revision file's header (never by running it).
#pragma once

#include <string>
#include <vector>

namespace retort::migrate {

struct Revision {
  std::string id{};
  std::vector<std::string> down_revisions{};  // empty for a base; several for a merge
  std::vector<std::string> branch_labels{};
  std::vector<std::string> depends_on{};  // revisions (or labels) that must be applied first
  std::string message{};
  std::string create_date{};
  bool transactional = true;  // false: run outside a transaction
  // The file it was read from (empty if built in code). A string, not a filesystem::path: listing
  // commands build thousands of these, and a path splits itself into components on construction.
  std::string path{};

  bool operator==(const Revision&) const = default;
  bool is_base() const noexcept { return down_revisions.empty(); }
  bool is_merge() const noexcept { return down_revisions.size() > 1; }
};

}  // namespace retort::migrate
