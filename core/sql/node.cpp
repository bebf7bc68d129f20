// Structural hashing and bind collection shared by every node.
#include <retort/core/sql/node.hpp>

#include <functional>

#include <retort/core/sql/elements.hpp>

namespace retort::core {

namespace {
inline std::uint64_t mix(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
}  // namespace

Hasher& Hasher::add(std::uint64_t v) noexcept {
  a_ = mix(a_ ^ (v + 0x9e3779b97f4a7c15ULL + (a_ << 6) + (a_ >> 2)));
  b_ = mix(b_ + v * 0x100000001b3ULL) ^ (b_ >> 29);
  return *this;
}

Hasher& Hasher::add(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return add(h).add(s.size());
}

Node::Memo Node::memoise() const {
  if (memo_state_.load(std::memory_order_acquire) == 2) return memo_;
  Hasher h;
  h.add(static_cast<std::uint64_t>(kind_));
  hash_into(h);
  Memo m;
  m.has_binds = kind_ == NodeKind::BindParam;
  for_each_child([&](const Node& child) {
    h.add(child.structure_key());
    m.has_binds = m.has_binds || child.has_binds();
  });
  m.key = h.finish();
  // The first thread to finish stores the memo; the others use their own identical copy.
  int expected = 0;
  if (memo_state_.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
    memo_ = m;
    memo_state_.store(2, std::memory_order_release);
  }
  return m;
}

StructureKey Node::structure_key() const { return memoise().key; }

bool Node::has_binds() const { return memoise().has_binds; }

void Node::collect_binds(std::vector<const BindParamNode*>& out) const {
  if (!has_binds()) return;
  if (kind_ == NodeKind::BindParam) {
    out.push_back(&cast<BindParamNode>());
    return;
  }
  for_each_child([&](const Node& child) { child.collect_binds(out); });
}

}  // namespace retort::core
