// The revision id grammar: the rules for new ids, labels and messages (migrate/revision_id.hpp),
// and the targets a command resolves on a small fixed graph (RevisionMap::get_revisions and the
// upgrade, downgrade and stamp plans: "LABEL@head", "-2", "abc+1", "heads", prefixes, ...).
// RevisionError and its kinds are the documented answer to a target that names nothing usable.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_id.hpp>
#include <retort/migrate/revision_map.hpp>

namespace migrate = retort::migrate;

namespace {

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

migrate::Revision rev(std::string id, std::vector<std::string> down, std::vector<std::string> labels = {},
                      std::vector<std::string> depends_on = {}) {
  migrate::Revision r;
  r.id = std::move(id);
  r.down_revisions = std::move(down);
  r.branch_labels = std::move(labels);
  r.depends_on = std::move(depends_on);
  return r;
}

/// A trunk with a branch point, a labelled feature branch, a merge, and a second base whose
/// head depends on the trunk.
const migrate::RevisionMap& graph() {
  static const migrate::RevisionMap map({
      rev("a1b2c3", {}, {"core"}),
      rev("a1b2d4", {"a1b2c3"}),
      rev("ae1000", {"a1b2d4"}),
      rev("f00001", {"a1b2c3"}, {"feature"}),
      rev("f00002", {"f00001"}),
      rev("m00001", {"ae1000", "f00002"}),
      rev("b00001", {}, {"other"}),
      rev("b00002", {"b00001"}, {}, {"a1b2d4"}),
  });
  return map;
}

void check_rules(std::string_view text) {
  if (migrate::revision_id_error(text).empty()) {
    if (text.size() > migrate::kMaxRevisionIdLength || migrate::is_reserved_revision_word(text)) std::abort();
    for (char c : text)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_') || static_cast<unsigned char>(c) >= 0x80)
        std::abort();
  }
  if (migrate::branch_label_error(text).empty())
    for (char c : text)
      if (c == ',' || c == '@' || c == ':' || c == '+' || c == ' ' || is_control(c)) std::abort();
  const std::string message = migrate::one_line_message(text);
  for (char c : message)
    if (c != '\t' && is_control(c)) std::abort();  // a message could break its header line
  if (!message.empty() && (message.front() == ' ' || message.back() == ' ')) std::abort();
  if (migrate::one_line_message(message) != message) std::abort();
  const std::string shown = migrate::shown_value(text);
  if (std::any_of(shown.begin(), shown.end(), is_control)) std::abort();
}

void resolve(const std::string& target) {
  const auto& map = graph();
  const migrate::Ids some_heads = {"ae1000", "b00001"};
  const migrate::Ids all_heads = {"m00001", "b00002"};
  auto guarded = [](auto&& call) {
    try {
      call();
    } catch (const migrate::RevisionError&) {
    }
  };
  guarded([&] { (void)map.get_revisions(target); });
  guarded([&] { (void)map.get_revision(target); });
  guarded([&] { (void)map.upgrade_plan(target, some_heads); });
  guarded([&] { (void)map.upgrade_plan(target, {}); });
  guarded([&] { (void)map.downgrade_plan(target, all_heads); });
  guarded([&] { (void)map.stamp_plan({target}, some_heads); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  check_rules(text);
  resolve(text);
  return 0;
}
