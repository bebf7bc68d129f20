// The base of the SQL statement tree: an immutable node with a kind tag, a memoised structural
// hash (the compiled-statement cache key: shape, never values) and a checked downcast.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <retort/core/errors.hpp>

namespace retort::core {

enum class NodeKind {
  // expressions
  Column,
  BindParam,
  Keyword,  // NULL, TRUE, FALSE, *, DEFAULT, CURRENT_TIMESTAMP
  Unary,
  Binary,
  ClauseList,
  Function,
  Label,
  Cast,
  Case,
  In,
  Between,
  Exists,
  ScalarSelect,
  Ordering,
  Text,
  // from clauses
  Table,
  Alias,
  Join,
  Cte,
  // statements
  Select,
  CompoundSelect,
  Insert,
  Update,
  Delete,
  // DDL
  CreateTable,
  DropTable,
  CreateIndex,
  DropIndex,
  AddConstraint,
  DropConstraint,
  AddColumn,
  DropColumn,
  AlterColumn,
  RenameTable,
  CreateEnumType,
  DropEnumType,
  AddEnumValue,
  AlterEnumType,
  CreateView,
  DropView,
  SetTableComment,
  // dialect-only constructs
  Extension,
};

/// Whether `kind` is a DDL statement (CREATE/DROP/ALTER): the DDL compiler renders it, and it is
/// never cached (DDL kinds are listed together in NodeKind, CreateTable first, SetTableComment last).
constexpr bool is_ddl_kind(NodeKind kind) noexcept {
  return kind >= NodeKind::CreateTable && kind <= NodeKind::SetTableComment;
}

/// The 128-bit structural hash of a node; collisions are astronomically unlikely.
struct StructureKey {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  bool operator==(const StructureKey&) const = default;
};

/// Accumulates a structural hash. Feed kinds, names and flags; never bound values.
class Hasher {
 public:
  Hasher& add(std::uint64_t v) noexcept;
  Hasher& add(std::string_view s) noexcept;
  Hasher& add(const StructureKey& k) noexcept { return add(k.a).add(k.b); }
  StructureKey finish() const noexcept { return {a_, b_}; }

 private:
  std::uint64_t a_ = 0x9e3779b97f4a7c15ULL;
  std::uint64_t b_ = 0xc2b2ae3d27d4eb4fULL;
};

class BindParamNode;
class Node;
using NodePtr = std::shared_ptr<const Node>;

class Node {
 public:
  explicit Node(NodeKind kind) : kind_(kind) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  NodeKind kind() const noexcept { return kind_; }

  /// Checked downcast: throws InternalInvariantError if this node is not a T.
  template <class T>
  const T& cast() const {
    if (kind_ != T::KIND) throw InternalInvariantError("SQL node kind mismatch in a checked cast");
    return static_cast<const T&>(*this);
  }

  /// Hash of this node's shape (kinds, names, operators, types), not of bound values.
  /// Computed once; nodes are immutable.
  StructureKey structure_key() const;
  /// Whether any bind parameter lies below this node (saves walking bind-free subtrees).
  bool has_binds() const;
  /// Appends every bind parameter below this node in the canonical order used by the cache.
  void collect_binds(std::vector<const BindParamNode*>& out) const;

  /// Calls `f` for every child node, in a fixed order.
  virtual void for_each_child(const std::function<void(const Node&)>& f) const = 0;

 protected:
  /// Feeds this node's own fields; the children's keys are added by the caller.
  virtual void hash_into(Hasher& h) const = 0;

 private:
  NodeKind kind_;
  struct Memo {
    StructureKey key{};
    bool has_binds = false;
  };
  mutable std::atomic<int> memo_state_{0};  // 0 unknown, 1 being stored, 2 stored
  mutable Memo memo_{};
  Memo memoise() const;
};

}  // namespace retort::core
