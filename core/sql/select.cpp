// Generative construction of SELECT statements.
#include <retort/core/sql/select.hpp>

#include <retort/core/schema/table.hpp>

namespace retort::core {

namespace {
NodePtr need(const Expr& e, const char* what) {
  if (!e.valid()) throw ArgumentError(std::string("empty expression passed to ") + what);
  return e.node();
}
NodePtr int_bind(std::int64_t n) { return literal(Value(n), SqlType(Integer{})).node(); }
}  // namespace

Select::Select() : node_(std::make_shared<SelectNode>()) {}
Select::Select(NodePtr node) : node_(std::move(node)) {
  if (!node_ || (node_->kind() != NodeKind::Select && node_->kind() != NodeKind::CompoundSelect))
    throw ArgumentError("Select handle needs a SELECT node");
}

std::shared_ptr<SelectNode> Select::copy_select() const {
  if (node_->kind() != NodeKind::Select)
    throw ArgumentError(
        "this method applies to a plain SELECT, not to a UNION; wrap it with "
        ".subquery(name) first");
  const auto& s = node_->cast<SelectNode>();
  return std::make_shared<SelectNode>(static_cast<const SelectParts&>(s));
}

Select Select::add_columns(std::vector<Expr> columns) const {
  auto s = copy_select();
  for (const auto& c : columns) s->columns.push_back(need(c, "select()"));
  return Select(s);
}

Select Select::select_from(const From& from) const {
  auto s = copy_select();
  s->froms.push_back(from.node());
  return Select(s);
}

Select Select::where(const Expr& condition) const {
  auto s = copy_select();
  s->where = s->where ? and_({Expr(s->where), condition}).node() : need(condition, "where()");
  return Select(s);
}

Select Select::group_by(std::vector<Expr> columns) const {
  auto s = copy_select();
  for (const auto& c : columns) s->group_by.push_back(need(c, "group_by()"));
  return Select(s);
}

Select Select::having(const Expr& condition) const {
  auto s = copy_select();
  s->having = s->having ? and_({Expr(s->having), condition}).node() : need(condition, "having()");
  return Select(s);
}

Select Select::order_by(std::vector<Expr> columns) const {
  if (node_->kind() == NodeKind::CompoundSelect) {
    const auto& c = node_->cast<CompoundSelectNode>();
    auto out = std::make_shared<CompoundSelectNode>(static_cast<const CompoundSelectParts&>(c));
    for (const auto& e : columns) out->order_by.push_back(need(e, "order_by()"));
    return Select(out);
  }
  auto s = copy_select();
  for (const auto& c : columns) s->order_by.push_back(need(c, "order_by()"));
  return Select(s);
}

Select Select::limit(std::int64_t n) const {
  if (n < 0) throw ArgumentError("limit() needs a non-negative count");
  if (node_->kind() == NodeKind::CompoundSelect) {
    const auto& c = node_->cast<CompoundSelectNode>();
    auto out = std::make_shared<CompoundSelectNode>(static_cast<const CompoundSelectParts&>(c));
    out->limit = int_bind(n);
    return Select(out);
  }
  auto s = copy_select();
  s->limit = int_bind(n);
  return Select(s);
}

Select Select::offset(std::int64_t n) const {
  if (n < 0) throw ArgumentError("offset() needs a non-negative count");
  if (node_->kind() == NodeKind::CompoundSelect) {
    const auto& c = node_->cast<CompoundSelectNode>();
    auto out = std::make_shared<CompoundSelectNode>(static_cast<const CompoundSelectParts&>(c));
    out->offset = int_bind(n);
    return Select(out);
  }
  auto s = copy_select();
  s->offset = int_bind(n);
  return Select(s);
}

Select Select::distinct(bool value) const {
  auto s = copy_select();
  s->distinct = value;
  return Select(s);
}

namespace {
/// The FROM element a join starts from: the explicit one, or the first column's table.
NodePtr join_base(const SelectNode& s) {
  if (!s.froms.empty()) return s.froms.back();
  for (const auto& c : s.columns) {
    if (c->kind() == NodeKind::Column) {
      const auto& col = c->cast<ColumnNode>();
      if (col.from()) {
        if (col.from()->kind() == NodeKind::Table) return col.from()->cast<Table>().shared_from_this();
        return NodePtr(c, col.from());
      }
    }
  }
  throw ArgumentError("join(): the SELECT has no FROM element to join onto; call select_from()");
}
}  // namespace

Select Select::join(const From& right, std::optional<Expr> on) const {
  auto s = copy_select();
  From base(join_base(*s));
  if (!s->froms.empty()) s->froms.pop_back();
  s->froms.push_back(base.join(right, std::move(on)).node());
  return Select(s);
}

Select Select::outerjoin(const From& right, std::optional<Expr> on) const {
  auto s = copy_select();
  From base(join_base(*s));
  if (!s->froms.empty()) s->froms.pop_back();
  s->froms.push_back(base.outerjoin(right, std::move(on)).node());
  return Select(s);
}

Select Select::compound(CompoundOperator op, const Select& other) const {
  auto out = std::make_shared<CompoundSelectNode>();
  out->op = op;
  // Flatten a chain of the same operator: a UNION b UNION c.
  if (node_->kind() == NodeKind::CompoundSelect && node_->cast<CompoundSelectNode>().op == op &&
      node_->cast<CompoundSelectNode>().order_by.empty() && !node_->cast<CompoundSelectNode>().limit)
    out->selects = node_->cast<CompoundSelectNode>().selects;
  else
    out->selects.push_back(node_);
  out->selects.push_back(other.node());
  return Select(out);
}

Select Select::union_(const Select& o) const { return compound(CompoundOperator::Union, o); }
Select Select::union_all(const Select& o) const { return compound(CompoundOperator::UnionAll, o); }
Select Select::intersect(const Select& o) const { return compound(CompoundOperator::Intersect, o); }
Select Select::except_(const Select& o) const { return compound(CompoundOperator::Except, o); }

From Select::subquery(std::string name) const {
  if (name.empty()) throw ArgumentError("subquery() needs a name");
  return From(std::make_shared<AliasNode>(node_, std::move(name)));
}

From Select::cte(std::string name, bool recursive) const {
  if (name.empty()) throw ArgumentError("cte() needs a name");
  return From(std::make_shared<CteNode>(node_, std::move(name), recursive, 0));
}

Expr Select::scalar_subquery() const {
  auto cols = output_columns();
  SqlType type = cols.types.size() == 1 ? cols.types[0] : SqlType{};
  return Expr(std::make_shared<ScalarSelectNode>(node_, type));
}

ColumnList Select::output_columns() const {
  const Node* n = node_.get();
  while (n->kind() == NodeKind::CompoundSelect) n = n->cast<CompoundSelectNode>().selects.front().get();
  ColumnList out;
  std::size_t anon = 0;
  for (const auto& c : n->cast<SelectNode>().columns) {
    const auto& e = static_cast<const ExpressionNode&>(*c);
    if (c->kind() == NodeKind::Column)
      out.names.push_back(c->cast<ColumnNode>().name());
    else if (c->kind() == NodeKind::Label)
      out.names.push_back(c->cast<LabelNode>().name());
    else
      out.names.push_back("anon_" + std::to_string(++anon));
    out.types.push_back(e.type());
  }
  return out;
}

Select select(std::vector<Expr> columns) { return Select().add_columns(std::move(columns)); }

namespace detail {
void append_selectable(std::vector<Expr>& out, const From& from) {
  auto cols = from.columns();
  if (from.node()->kind() == NodeKind::Join) {
    std::vector<NodePtr> sides;
    std::function<void(const NodePtr&)> walk = [&](const NodePtr& n) {
      if (n->kind() == NodeKind::Join) {
        walk(NodePtr(n, &n->cast<JoinNode>().left()));
        walk(NodePtr(n, &n->cast<JoinNode>().right()));
      } else {
        sides.push_back(n);
      }
    };
    walk(from.node());
    for (const auto& s : sides) append_selectable(out, From(s));
    return;
  }
  for (const auto& name : cols.names) out.push_back(from.c(name));
}
}  // namespace detail

}  // namespace retort::core
