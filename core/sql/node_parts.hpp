// Statement nodes keep their fields in a plain "parts" struct (SelectParts, InsertParts, ...), so
// that copying a node copies every field, and one for_each_field(parts, f) per struct drives both
// the structural hash and the walk over children. for_each_field names the fields with a
// structured binding: a field added to the struct and not to for_each_field is a compile error,
// so copy, hash and children cannot drift apart.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <retort/core/sql/node.hpp>

namespace retort::core::parts {

// The structure a field adds to the hash: which optional parts are present, how many items the
// lists hold, names and flags. Never a child's own structure (the caller adds the children's
// keys) nor bound values.
inline void hash_field(Hasher& h, const NodePtr& n) { h.add(n != nullptr); }
inline void hash_field(Hasher& h, const std::vector<NodePtr>& v) { h.add(v.size()); }
inline void hash_field(Hasher& h, const std::vector<std::vector<NodePtr>>& rows) {
  h.add(rows.size());
  for (const auto& r : rows) h.add(r.size());
}
inline void hash_field(Hasher& h, const std::vector<std::string>& names) {
  h.add(names.size());
  for (const auto& s : names) h.add(s);
}
inline void hash_field(Hasher& h, const std::vector<std::pair<std::string, NodePtr>>& assignments) {
  h.add(assignments.size());
  for (const auto& [name, value] : assignments) h.add(name).add(value != nullptr);
}
inline void hash_field(Hasher& h, bool flag) { h.add(static_cast<std::uint64_t>(flag)); }
template <class E>
requires std::is_enum_v<E>
void hash_field(Hasher& h, E value) { h.add(static_cast<std::uint64_t>(value)); }

using ChildVisitor = std::function<void(const Node&)>;

// The children a field holds, in order (names and flags hold none).
inline void visit_field(const NodePtr& n, const ChildVisitor& f) {
  if (n) f(*n);
}
inline void visit_field(const std::vector<NodePtr>& v, const ChildVisitor& f) {
  for (const auto& n : v) f(*n);
}
inline void visit_field(const std::vector<std::vector<NodePtr>>& rows, const ChildVisitor& f) {
  for (const auto& r : rows)
    for (const auto& n : r) f(*n);
}
inline void visit_field(const std::vector<std::pair<std::string, NodePtr>>& assignments, const ChildVisitor& f) {
  for (const auto& [name, value] : assignments) f(*value);
}
inline void visit_field(const std::vector<std::string>&, const ChildVisitor&) {}
inline void visit_field(bool, const ChildVisitor&) {}
template <class E>
requires std::is_enum_v<E>
void visit_field(E, const ChildVisitor&) {}

/// The structural hash of a parts struct (found by for_each_field).
template <class Parts>
void hash_parts(Hasher& h, const Parts& p) {
  for_each_field(p, [&](const auto& field) { hash_field(h, field); });
}

/// The children of a parts struct, in field order: the order the compiler writes them, which is
/// the order bind parameters are numbered in.
template <class Parts>
void visit_children(const Parts& p, const ChildVisitor& f) {
  for_each_field(p, [&](const auto& field) { visit_field(field, f); });
}

}  // namespace retort::core::parts
