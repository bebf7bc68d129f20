// Generative construction of INSERT, UPDATE and DELETE.
#include <retort/core/sql/dml.hpp>

#include <retort/core/schema/owned_table.hpp>

#include <fmt/format.h>

#include <retort/core/schema/table.hpp>

namespace retort::core {

Expr Assignable::to_expr(const SqlType& column_type) const {
  if (value_) return literal(*value_, column_type);
  return expr_;
}

namespace {
std::vector<NodePtr> nodes_of(const std::vector<Expr>& exprs, const char* what) {
  std::vector<NodePtr> out;
  for (const auto& e : exprs) {
    if (!e.valid()) throw ArgumentError(std::string("empty expression passed to ") + what);
    out.push_back(e.node());
  }
  return out;
}
NodePtr and_where(const NodePtr& existing, const Expr& condition) {
  if (!condition.valid()) throw ArgumentError("empty expression passed to where()");
  return existing ? and_({Expr(existing), condition}).node() : condition.node();
}
}  // namespace

// ---- Insert --------------------------------------------------------------------------------

Insert::Insert(const Table& table) {
  auto n = std::make_shared<InsertNode>();
  n->table = owned(table);
  node_ = n;
}

const Table& Insert::table() const { return node_->cast<InsertNode>().table->cast<Table>(); }

std::shared_ptr<InsertNode> Insert::copy() const {
  const auto& s = node_->cast<InsertNode>();
  return std::make_shared<InsertNode>(static_cast<const InsertParts&>(s));
}

Insert Insert::with_upsert(std::shared_ptr<OnConflictNode> upsert) const {
  auto n = copy();
  if (n->extension) throw ArgumentError("insert(): it already has an ON CONFLICT / ON DUPLICATE KEY clause");
  const auto& t = table();
  for (const auto& c : upsert->target) t.column(c);  // throws for a column the table lacks
  n->extension = std::move(upsert);
  return Insert(n);
}

namespace {
std::vector<std::pair<std::string, NodePtr>> upsert_set(const Table& t, const Assignments& set, const char* what) {
  if (set.empty()) throw ArgumentError(fmt::format("insert(): {} needs at least one column to set", what));
  std::vector<std::pair<std::string, NodePtr>> out;
  for (const auto& [name, v] : set) out.emplace_back(name, v.to_expr(t.column(name).type()).node());
  return out;
}

std::shared_ptr<OnConflictNode> do_update(const Table& t, std::vector<std::string> target, const Assignments& set) {
  if (target.empty())
    throw ArgumentError("insert(): on_conflict_do_update needs the columns of the unique constraint or index");
  auto upsert = std::make_shared<OnConflictNode>();
  upsert->target = std::move(target);
  upsert->set = upsert_set(t, set, "on_conflict_do_update");
  return upsert;
}
}  // namespace

Insert Insert::on_conflict_do_nothing(std::vector<std::string> target) const {
  auto upsert = std::make_shared<OnConflictNode>();
  upsert->target = std::move(target);
  return with_upsert(std::move(upsert));
}

Insert Insert::on_conflict_do_update(std::vector<std::string> target, const Assignments& set) const {
  return with_upsert(do_update(table(), std::move(target), set));
}

Insert Insert::on_conflict_do_update(std::vector<std::string> target, const Assignments& set, const Expr& where) const {
  if (!where.valid()) throw ArgumentError("insert(): on_conflict_do_update's where is empty");
  auto upsert = do_update(table(), std::move(target), set);
  upsert->where = where.node();
  return with_upsert(std::move(upsert));
}

Insert Insert::on_duplicate_key_update(const Assignments& set) const {
  auto upsert = std::make_shared<OnConflictNode>();
  upsert->duplicate_key = true;
  upsert->set = upsert_set(table(), set, "on_duplicate_key_update");
  return with_upsert(std::move(upsert));
}

bool Insert::has_values() const {
  const auto& s = node_->cast<InsertNode>();
  return !s.rows.empty() || s.from_select;
}

Insert Insert::values(const Assignments& row) const {
  auto n = copy();
  if (!n->rows.empty() || n->from_select) throw ArgumentError("insert(): values() was already given");
  const auto& t = table();
  std::vector<NodePtr> values;
  for (const auto& [name, v] : row) {
    n->columns.push_back(name);
    values.push_back(v.to_expr(t.column(name).type()).node());
  }
  n->rows.push_back(std::move(values));
  return Insert(n);
}

Insert Insert::values(const std::vector<Params>& rows) const {
  auto n = copy();
  if (!n->rows.empty() || n->from_select) throw ArgumentError("insert(): values() was already given");
  if (rows.empty()) throw ArgumentError("insert(): values() needs at least one row");
  const auto& t = table();
  for (const auto& [name, v] : rows.front().items()) n->columns.push_back(name);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != n->columns.size())
      throw ArgumentError(
          fmt::format("insert(): row {} has {} values, row 0 has {}", r, rows[r].size(), n->columns.size()));
    std::vector<NodePtr> values;
    for (const auto& name : n->columns) {
      const Value* v = rows[r].find(name);
      if (!v) throw ArgumentError(fmt::format("insert(): row {} has no value for '{}'", r, name));
      values.push_back(literal(*v, t.column(name).type()).node());
    }
    n->rows.push_back(std::move(values));
  }
  return Insert(n);
}

Insert Insert::from_select(std::vector<std::string> columns, const Select& select) const {
  auto n = copy();
  const auto& t = table();
  for (const auto& c : columns) t.column(c);
  n->columns = std::move(columns);
  n->rows.clear();
  n->from_select = select.node();
  return Insert(n);
}

Insert Insert::returning(std::vector<Expr> columns) const {
  auto n = copy();
  for (auto& c : nodes_of(columns, "returning()")) n->returning.push_back(c);
  return Insert(n);
}

Insert Insert::with_parameter_columns(const std::vector<std::string>& names) const {
  auto n = copy();
  const auto& t = table();
  std::vector<NodePtr> values;
  for (const auto& name : names) {
    n->columns.push_back(name);
    values.push_back(bindparam(name, std::nullopt, t.column(name).type()).node());
  }
  n->rows = {std::move(values)};
  return Insert(n);
}

// ---- Update --------------------------------------------------------------------------------

Update::Update(const Table& table) {
  auto n = std::make_shared<UpdateNode>();
  n->table = owned(table);
  node_ = n;
}

const Table& Update::table() const { return node_->cast<UpdateNode>().table->cast<Table>(); }

std::shared_ptr<UpdateNode> Update::copy() const {
  const auto& s = node_->cast<UpdateNode>();
  return std::make_shared<UpdateNode>(static_cast<const UpdateParts&>(s));
}

bool Update::has_values() const { return !node_->cast<UpdateNode>().set.empty(); }

Update Update::values(const Assignments& set) const {
  auto n = copy();
  const auto& t = table();
  for (const auto& [name, v] : set) n->set.emplace_back(name, v.to_expr(t.column(name).type()).node());
  return Update(n);
}

Update Update::where(const Expr& condition) const {
  auto n = copy();
  n->where = and_where(n->where, condition);
  return Update(n);
}

Update Update::returning(std::vector<Expr> columns) const {
  auto n = copy();
  for (auto& c : nodes_of(columns, "returning()")) n->returning.push_back(c);
  return Update(n);
}

Update Update::with_parameter_columns(const std::vector<std::string>& names) const {
  auto n = copy();
  const auto& t = table();
  for (const auto& name : names) n->set.emplace_back(name, bindparam(name, std::nullopt, t.column(name).type()).node());
  return Update(n);
}

// ---- Delete --------------------------------------------------------------------------------

Delete::Delete(const Table& table) {
  auto n = std::make_shared<DeleteNode>();
  n->table = owned(table);
  node_ = n;
}

std::shared_ptr<DeleteNode> Delete::copy() const {
  const auto& s = node_->cast<DeleteNode>();
  return std::make_shared<DeleteNode>(static_cast<const DeleteParts&>(s));
}

Delete Delete::where(const Expr& condition) const {
  auto n = copy();
  n->where = and_where(n->where, condition);
  return Delete(n);
}

Delete Delete::returning(std::vector<Expr> columns) const {
  auto n = copy();
  for (auto& c : nodes_of(columns, "returning()")) n->returning.push_back(c);
  return Delete(n);
}

}  // namespace retort::core
