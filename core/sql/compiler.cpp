// The generic SQL compiler. Dialects subclass it and override the visit_/render_ methods whose
// output differs; everything else (FROM inference, correlation, CTE hoisting, parameter order)
// lives here once.
#include <retort/core/sql/compiler.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/schema/table.hpp>
#include <retort/core/sql/type_compiler.hpp>

namespace retort::core {

namespace {

bool is_select(NodeKind k) { return k == NodeKind::Select || k == NodeKind::CompoundSelect; }

// Operator precedence, higher binds tighter; a child of lower precedence gets parentheses.
int precedence(const Node& n) {
  switch (n.kind()) {
    case NodeKind::ClauseList:
      switch (n.cast<ClauseListNode>().op()) {
        case ListOperator::Or: return 1;
        case ListOperator::And: return 2;
        case ListOperator::Comma: return 100;
      }
      return 100;
    case NodeKind::Unary:
      switch (n.cast<UnaryNode>().op()) {
        case UnaryOperator::Not: return 3;
        case UnaryOperator::IsNull:
        case UnaryOperator::IsNotNull: return 5;
        case UnaryOperator::Negate: return 9;
        case UnaryOperator::Distinct: return 100;
      }
      return 100;
    case NodeKind::Binary:
      switch (n.cast<BinaryNode>().op()) {
        case BinaryOperator::Add:
        case BinaryOperator::Sub: return 7;
        case BinaryOperator::Mul:
        case BinaryOperator::Div:
        case BinaryOperator::Mod: return 8;
        case BinaryOperator::Concat: return 6;
        default: return 5;
      }
    case NodeKind::In:
    case NodeKind::Between: return 5;
    default: return 100;
  }
}

/// Calls f for every node reachable from `n`, including the FROM elements of columns.
void walk(const Node& n, std::set<const Node*>& seen, const std::function<void(const Node&)>& f) {
  if (!seen.insert(&n).second) return;
  n.for_each_child([&](const Node& c) { walk(c, seen, f); });
  if (n.kind() == NodeKind::Column && n.cast<ColumnNode>().from()) walk(*n.cast<ColumnNode>().from(), seen, f);
  f(n);  // post-order: a CTE's dependencies are reported before it
}

/// The FROM elements that columns in `n` belong to, not looking inside nested selects.
void column_froms(const Node& n, std::vector<const Node*>& out) {
  switch (n.kind()) {
    case NodeKind::Column: {
      const Node* from = n.cast<ColumnNode>().from();
      if (from && std::find(out.begin(), out.end(), from) == out.end()) out.push_back(from);
      return;
    }
    case NodeKind::Select:
    case NodeKind::CompoundSelect:
    case NodeKind::Exists:
    case NodeKind::ScalarSelect: return;
    case NodeKind::In:
      column_froms(n.cast<InNode>().element(), out);
      for (const auto& i : n.cast<InNode>().items()) column_froms(*i, out);
      return;
    default: n.for_each_child([&](const Node& c) { column_froms(c, out); });
  }
}

/// The tables/aliases/CTEs inside a FROM element (a join's leaves, or the element itself).
void from_leaves(const Node& n, std::vector<const Node*>& out) {
  if (n.kind() == NodeKind::Join) {
    from_leaves(n.cast<JoinNode>().left(), out);
    from_leaves(n.cast<JoinNode>().right(), out);
  } else {
    out.push_back(&n);
  }
}

}  // namespace

std::vector<SqlType> result_types_of(const Node& root) {
  const std::vector<NodePtr>* columns = nullptr;
  switch (root.kind()) {
    case NodeKind::Select: columns = &root.cast<SelectNode>().columns; break;
    case NodeKind::CompoundSelect: {
      const auto& selects = root.cast<CompoundSelectNode>().selects;
      if (!selects.empty()) return result_types_of(*selects.front());
      break;
    }
    case NodeKind::Insert: columns = &root.cast<InsertNode>().returning; break;
    case NodeKind::Update: columns = &root.cast<UpdateNode>().returning; break;
    case NodeKind::Delete: columns = &root.cast<DeleteNode>().returning; break;
    default: break;
  }
  std::vector<SqlType> types;
  if (!columns) return types;
  for (const auto& c : *columns) {
    const auto* e = dynamic_cast<const ExpressionNode*>(c.get());
    types.push_back(e ? e->type() : SqlType{});
  }
  return types;
}

Compiled SqlCompiler::compile(const Node& root, CompileOptions options) {
  if (is_ddl_kind(root.kind())) return dialect_.ddl_compiler()->compile(root);
  options_ = options;
  out_.clear();
  params_.clear();
  ordinals_.clear();
  depth_ = 0;
  // A compile that threw may have left nesting state behind.
  enclosing_froms_.clear();
  in_with_clause_ = false;
  within_columns_clause_ = false;
  std::vector<const BindParamNode*> binds;
  root.collect_binds(binds);
  // One node may stand in several places; its k-th rendering takes its k-th collected
  // ordinal, so a same-shaped statement without that sharing still binds each place right.
  for (std::size_t i = 0; i < binds.size(); ++i) ordinals_[binds[i]].push_back(static_cast<int>(i));

  Compiled result;
  switch (root.kind()) {
    case NodeKind::Select:
    case NodeKind::CompoundSelect:
      result.kind = StatementKind::Select;
      result.returns_rows = true;
      break;
    case NodeKind::Insert:
      result.kind = StatementKind::Insert;
      result.returns_rows = !root.cast<InsertNode>().returning.empty();
      break;
    case NodeKind::Update:
      result.kind = StatementKind::Update;
      result.returns_rows = !root.cast<UpdateNode>().returning.empty();
      break;
    case NodeKind::Delete:
      result.kind = StatementKind::Delete;
      result.returns_rows = !root.cast<DeleteNode>().returning.empty();
      break;
    default: result.kind = StatementKind::Text; break;
  }
  if (is_select(root.kind()) || result.kind != StatementKind::Text) render_with_clause(root);
  process(root);

  if (root.kind() == NodeKind::Select) {
    for (const auto& c : root.cast<SelectNode>().columns) {
      if (c->kind() == NodeKind::Column)
        result.result_columns.push_back(c->cast<ColumnNode>().name());
      else if (c->kind() == NodeKind::Label)
        result.result_columns.push_back(c->cast<LabelNode>().name());
      else
        result.result_columns.emplace_back();
    }
  }
  result.sql = std::move(out_);
  result.params = std::move(params_);
  out_.clear();
  return result;
}

std::string SqlCompiler::render_ddl_expression(const Node& expression) {
  auto saved_out = std::move(out_);
  auto saved_options = options_;
  bool saved_qualify = qualify_columns_;
  out_.clear();
  options_.literal_binds = true;
  qualify_columns_ = false;
  process(expression);
  std::string result = std::move(out_);
  out_ = std::move(saved_out);
  options_ = saved_options;
  qualify_columns_ = saved_qualify;
  return result;
}

void SqlCompiler::process(const Node& n) {
  switch (n.kind()) {
    case NodeKind::Column: return visit_column(n.cast<ColumnNode>());
    case NodeKind::BindParam: return visit_bind_param(n.cast<BindParamNode>());
    case NodeKind::Keyword: return visit_keyword(n.cast<KeywordNode>());
    case NodeKind::Unary: return visit_unary(n.cast<UnaryNode>());
    case NodeKind::Binary: return visit_binary(n.cast<BinaryNode>());
    case NodeKind::ClauseList: return visit_clause_list(n.cast<ClauseListNode>());
    case NodeKind::Function: return visit_function(n.cast<FunctionNode>());
    case NodeKind::Label: return visit_label(n.cast<LabelNode>());
    case NodeKind::Cast: return visit_cast(n.cast<CastNode>());
    case NodeKind::Case: return visit_case(n.cast<CaseNode>());
    case NodeKind::In: return visit_in(n.cast<InNode>());
    case NodeKind::Between: return visit_between(n.cast<BetweenNode>());
    case NodeKind::Exists: return visit_exists(n.cast<ExistsNode>());
    case NodeKind::ScalarSelect: return visit_scalar_select(n.cast<ScalarSelectNode>());
    case NodeKind::Ordering: return visit_ordering(n.cast<OrderingNode>());
    case NodeKind::Text: return visit_text(n.cast<TextNode>());
    case NodeKind::Table: return visit_table(n.cast<Table>());
    case NodeKind::Alias: return visit_alias(n.cast<AliasNode>());
    case NodeKind::Join: return visit_join(n.cast<JoinNode>());
    case NodeKind::Cte: return visit_cte(n.cast<CteNode>());
    case NodeKind::Select: return visit_select(n.cast<SelectNode>());
    case NodeKind::CompoundSelect: return visit_compound_select(n.cast<CompoundSelectNode>());
    case NodeKind::Insert: return visit_insert(n.cast<InsertNode>());
    case NodeKind::Update: return visit_update(n.cast<UpdateNode>());
    case NodeKind::Delete: return visit_delete(n.cast<DeleteNode>());
    case NodeKind::Extension: return visit_extension(n);
    default:
      if (is_ddl_kind(n.kind())) throw CompileError("a DDL statement cannot be nested inside another statement");
  }
  throw CompileError("unknown SQL node kind");
}

void SqlCompiler::render_list(const std::vector<NodePtr>& items, std::string_view sep) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) write(sep);
    process(*items[i]);
  }
}

// ---- expressions ----------------------------------------------------------------------------

void SqlCompiler::visit_column(const ColumnNode& n) {
  if (n.literal()) {
    write(n.name());
    return;
  }
  const Node* from = n.from();
  if (qualify_columns_ && from) {
    if (from->kind() == NodeKind::Table) {
      const auto& t = from->cast<Table>();
      write(dialect_.preparer().format_table(t.name(), t.schema()));
      write(".");
    } else {
      std::string name = from_name(*from);
      if (!name.empty()) {
        write(quote(name));
        write(".");
      }
    }
  }
  write(quote(n.name()));
}

void SqlCompiler::render_bind(const BindParamNode& n) {
  if (options_.literal_binds) {
    if (!n.value() && dialect_.features().paramstyle == ParamStyle::Named) {
      write(":" + n.name());  // a placeholder still to be filled: show it by name
      return;
    }
    if (!n.value()) throw CompileError(fmt::format("bind parameter '{}' has no value to render inline", n.name()));
    write(render_literal(*n.value(), n.type()));
    return;
  }
  int ordinal = -1;
  if (auto it = ordinals_.find(&n); it != ordinals_.end()) {
    auto& queue = it->second;
    ordinal = queue.front();
    if (queue.size() > 1) queue.pop_front();  // the last one serves any further renderings
  }
  std::string name = n.name().empty() ? fmt::format("param_{}", params_.size() + 1) : n.name();
  write(placeholder(params_.size(), name));
  params_.push_back({ordinal, n.name(), n.value().has_value()});
}

void SqlCompiler::visit_bind_param(const BindParamNode& n) { render_bind(n); }

std::string SqlCompiler::placeholder(std::size_t position, const std::string& name) const {
  switch (dialect_.features().paramstyle) {
    case ParamStyle::Qmark: return "?";
    case ParamStyle::Numeric: return fmt::format("${}", position + 1);
    case ParamStyle::Format: return "%s";
    case ParamStyle::Named: return ":" + name;
  }
  return "?";
}

void SqlCompiler::render_boolean(bool value) { write(value ? "TRUE" : "FALSE"); }

void SqlCompiler::visit_keyword(const KeywordNode& n) {
  switch (n.keyword()) {
    case Keyword::Null: write("NULL"); return;
    case Keyword::True: render_boolean(true); return;
    case Keyword::False: render_boolean(false); return;
    case Keyword::Star: write("*"); return;
    case Keyword::Default: write("DEFAULT"); return;
    case Keyword::CurrentTimestamp: write("CURRENT_TIMESTAMP"); return;
    case Keyword::CurrentDate: write("CURRENT_DATE"); return;
    case Keyword::CurrentTime: write("CURRENT_TIME"); return;
  }
}

void SqlCompiler::visit_unary(const UnaryNode& n) {
  auto grouped = [&](int parent) {
    bool paren = precedence(n.operand()) < parent;
    if (paren) write("(");
    process(n.operand());
    if (paren) write(")");
  };
  switch (n.op()) {
    case UnaryOperator::Not:
      write("NOT ");
      grouped(4);
      return;
    case UnaryOperator::Negate:
      write("-");
      grouped(10);
      return;
    case UnaryOperator::IsNull:
      grouped(6);
      write(" IS NULL");
      return;
    case UnaryOperator::IsNotNull:
      grouped(6);
      write(" IS NOT NULL");
      return;
    case UnaryOperator::Distinct:
      write("DISTINCT ");
      process(n.operand());
      return;
  }
}

std::string SqlCompiler::binary_operator(const BinaryNode& n) const {
  switch (n.op()) {
    case BinaryOperator::Eq: return " = ";
    case BinaryOperator::Ne: return " != ";
    case BinaryOperator::Lt: return " < ";
    case BinaryOperator::Gt: return " > ";
    case BinaryOperator::Le: return " <= ";
    case BinaryOperator::Ge: return " >= ";
    case BinaryOperator::Add: return " + ";
    case BinaryOperator::Sub: return " - ";
    case BinaryOperator::Mul: return " * ";
    case BinaryOperator::Div: return " / ";
    case BinaryOperator::Mod: return " % ";
    case BinaryOperator::Concat: return " || ";
    case BinaryOperator::Like: return " LIKE ";
    case BinaryOperator::NotLike: return " NOT LIKE ";
    case BinaryOperator::ILike: return " ILIKE ";
    case BinaryOperator::NotILike: return " NOT ILIKE ";
    case BinaryOperator::Is: return " IS ";
    case BinaryOperator::IsNot: return " IS NOT ";
  }
  return " ? ";
}

void SqlCompiler::visit_binary(const BinaryNode& n) {
  int p = precedence(n);
  bool right_assoc_sensitive =
      n.op() == BinaryOperator::Sub || n.op() == BinaryOperator::Div || n.op() == BinaryOperator::Mod || p == 5;
  auto side = [&](const Node& child, bool right) {
    int cp = precedence(child);
    // Comparisons do not associate (PostgreSQL rejects a = b = c): group both sides.
    bool paren = cp < p || (cp == p && (p == 5 || (right && right_assoc_sensitive)));
    if (paren) write("(");
    process(child);
    if (paren) write(")");
  };
  bool ilike = n.op() == BinaryOperator::ILike || n.op() == BinaryOperator::NotILike;
  std::string op = binary_operator(n);
  if (ilike && op.find("ILIKE") == std::string::npos) {
    // No ILIKE here: compare lower-cased sides.
    write("lower(");
    process(n.left());
    write(")");
    write(op);
    write("lower(");
    process(n.right());
    write(")");
  } else {
    side(n.left(), false);
    write(op);
    side(n.right(), true);
  }
  if (n.escape()) {
    write(" ESCAPE ");
    write(render_literal(Value(*n.escape()), String{}));
  }
}

void SqlCompiler::visit_clause_list(const ClauseListNode& n) {
  if (n.op() == ListOperator::Comma) {
    write("(");
    render_list(n.items(), ", ");
    write(")");
    return;
  }
  int p = precedence(n);
  std::string_view sep = n.op() == ListOperator::And ? " AND " : " OR ";
  for (std::size_t i = 0; i < n.items().size(); ++i) {
    if (i) write(sep);
    const Node& item = *n.items()[i];
    bool paren =
        precedence(item) < p || (item.kind() == NodeKind::ClauseList && item.cast<ClauseListNode>().op() != n.op() &&
                                 item.cast<ClauseListNode>().op() != ListOperator::Comma);
    if (paren) write("(");
    process(item);
    if (paren) write(")");
  }
}

void SqlCompiler::render_function_name(const FunctionNode& n) {
  if (n.name() == "now" && n.args().empty()) {
    write("CURRENT_TIMESTAMP");
    return;
  }
  write(n.name());
  write("(");
  render_list(n.args(), ", ");
  write(")");
}

void SqlCompiler::visit_function(const FunctionNode& n) { render_function_name(n); }

void SqlCompiler::visit_label(const LabelNode& n) {
  // `expr AS name` only in a columns clause; elsewhere (WHERE, HAVING, function arguments) a
  // label stands for its expression.
  bool as_name = within_columns_clause_;
  within_columns_clause_ = false;
  process(n.element());
  within_columns_clause_ = as_name;
  if (!as_name) return;
  write(" AS ");
  write(quote(n.name()));
}

void SqlCompiler::render_columns(const std::vector<NodePtr>& columns) {
  bool saved = within_columns_clause_;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) write(", ");
    within_columns_clause_ = columns[i]->kind() == NodeKind::Label;
    process(*columns[i]);
  }
  within_columns_clause_ = saved;
}

void SqlCompiler::visit_cast(const CastNode& n) {
  write("CAST(");
  process(n.element());
  write(" AS ");
  write(dialect_.type_compiler().process(n.type()));
  write(")");
}

void SqlCompiler::visit_case(const CaseNode& n) {
  write("CASE");
  if (n.value()) {
    write(" ");
    process(*n.value());
  }
  for (const auto& [when, then] : n.whens()) {
    write(" WHEN ");
    process(*when);
    write(" THEN ");
    process(*then);
  }
  if (n.else_result()) {
    write(" ELSE ");
    process(*n.else_result());
  }
  write(" END");
}

void SqlCompiler::render_empty_in(bool negate) {
  // An empty IN list is false (NOT IN: true) for every row, NULLs included.
  write(negate ? "1 = 1" : "1 != 1");
}

void SqlCompiler::visit_in(const InNode& n) {
  if (!n.subquery() && n.items().empty()) {
    render_empty_in(n.negate());
    return;
  }
  bool paren = precedence(n.element()) <= 5;
  if (paren) write("(");
  process(n.element());
  if (paren) write(")");
  write(n.negate() ? " NOT IN (" : " IN (");
  if (n.subquery())
    process(*n.subquery());
  else
    render_list(n.items(), ", ");
  write(")");
}

void SqlCompiler::visit_between(const BetweenNode& n) {
  process(n.element());
  write(n.negate() ? " NOT BETWEEN " : " BETWEEN ");
  process(n.low());
  write(" AND ");
  process(n.high());
}

void SqlCompiler::visit_exists(const ExistsNode& n) {
  write("EXISTS (");
  process(n.select());
  write(")");
}

void SqlCompiler::visit_scalar_select(const ScalarSelectNode& n) {
  write("(");
  process(n.select());
  write(")");
}

void SqlCompiler::visit_ordering(const OrderingNode& n) {
  const Node& e = n.element();
  if (e.kind() == NodeKind::Label)
    write(quote(e.cast<LabelNode>().name()));
  else
    process(e);
  write(n.descending() ? " DESC" : " ASC");
  if (n.nulls() == NullsOrder::First) write(" NULLS FIRST");
  if (n.nulls() == NullsOrder::Last) write(" NULLS LAST");
}

void SqlCompiler::visit_text(const TextNode& n) {
  const auto& pieces = n.pieces();
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    write(pieces[i]);
    if (i < n.binds().size()) process(*n.binds()[i]);
  }
}

// ---- FROM elements --------------------------------------------------------------------------

void SqlCompiler::visit_table(const Table& n) { write(dialect_.preparer().format_table(n.name(), n.schema())); }

void SqlCompiler::visit_alias(const AliasNode& n) {
  const Node& e = n.element();
  if (is_select(e.kind())) {
    // A subquery in FROM does not see the enclosing query's tables (it is not LATERAL), so
    // nothing is correlated away from its own FROM.
    auto saved = std::move(enclosing_froms_);
    enclosing_froms_.clear();
    write("(");
    process(e);
    write(")");
    enclosing_froms_ = std::move(saved);
  } else {
    process(e);
  }
  write(" AS ");
  write(quote(n.name()));
}

void SqlCompiler::visit_join(const JoinNode& n) {
  process(n.left());
  if (n.full())
    write(" FULL OUTER JOIN ");
  else if (n.isouter())
    write(" LEFT OUTER JOIN ");
  else
    write(" JOIN ");
  bool paren = n.right().kind() == NodeKind::Join;
  if (paren) write("(");
  process(n.right());
  if (paren) write(")");
  write(" ON ");
  process(n.onclause());
}

void SqlCompiler::visit_cte(const CteNode& n) {
  if (!in_with_clause_) {
    write(quote(n.name()));
    return;
  }
  write(quote(n.name()));
  auto cols = Select(NodePtr(NodePtr{}, &n.select())).output_columns();
  if (n.recursive()) {
    // Recursive CTEs name their columns: WITH RECURSIVE t(a, b) AS (...)
    write("(");
    for (std::size_t i = 0; i < cols.names.size(); ++i) {
      if (i) write(", ");
      write(quote(cols.names[i]));
    }
    write(")");
  }
  write(" AS (");
  in_with_clause_ = false;
  process(n.select());
  in_with_clause_ = true;
  write(")");
}

void SqlCompiler::render_with_clause(const Node& root) {
  std::vector<const CteNode*> ctes;  // latest generation per name, dependencies first
  std::set<const Node*> seen;
  walk(root, seen, [&](const Node& n) {
    if (n.kind() != NodeKind::Cte) return;
    const auto& cte = n.cast<CteNode>();
    for (auto& existing : ctes) {
      if (existing->name() == cte.name()) {
        if (cte.generation() > existing->generation()) existing = &cte;
        return;
      }
    }
    ctes.push_back(&cte);
  });
  if (ctes.empty()) return;
  bool recursive = std::any_of(ctes.begin(), ctes.end(), [](auto* c) { return c->recursive(); });
  write(recursive ? "WITH RECURSIVE " : "WITH ");
  in_with_clause_ = true;
  for (std::size_t i = 0; i < ctes.size(); ++i) {
    if (i) write(", ");
    visit_cte(*ctes[i]);
  }
  in_with_clause_ = false;
  write(" ");
}

// ---- statements -----------------------------------------------------------------------------

std::vector<const Node*> SqlCompiler::infer_froms(const SelectNode& n) const {
  std::vector<const Node*> explicit_leaves;
  for (const auto& f : n.froms) from_leaves(*f, explicit_leaves);
  std::vector<const Node*> implicit;
  for (const auto& c : n.columns) column_froms(*c, implicit);
  if (n.where) column_froms(*n.where, implicit);
  if (n.having) column_froms(*n.having, implicit);
  for (const auto& g : n.group_by) column_froms(*g, implicit);
  for (const auto& o : n.order_by) column_froms(*o, implicit);

  std::vector<const Node*> result;
  for (const auto& f : n.froms) result.push_back(f.get());
  std::vector<const Node*> uncorrelated, candidates;
  for (const Node* f : implicit) {
    if (std::find(explicit_leaves.begin(), explicit_leaves.end(), f) != explicit_leaves.end()) continue;
    candidates.push_back(f);
    bool enclosing = false;
    for (const auto& level : enclosing_froms_)
      if (std::find(level.begin(), level.end(), f) != level.end()) enclosing = true;
    if (!enclosing) uncorrelated.push_back(f);
  }
  // Correlate with enclosing queries, unless that would leave the subquery without a FROM.
  if (result.empty() && uncorrelated.empty()) uncorrelated = candidates;
  result.insert(result.end(), uncorrelated.begin(), uncorrelated.end());
  return result;
}

void SqlCompiler::visit_select(const SelectNode& n) {
  auto froms = infer_froms(n);
  std::vector<const Node*> leaves;
  for (const Node* f : froms) from_leaves(*f, leaves);
  enclosing_froms_.push_back(leaves);
  ++depth_;
  bool saved_qualify = qualify_columns_;
  qualify_columns_ = true;

  write("SELECT ");
  if (n.distinct) write("DISTINCT ");
  if (n.columns.empty()) throw CompileError("SELECT has no columns");
  render_columns(n.columns);
  if (!froms.empty()) {
    write(" FROM ");
    for (std::size_t i = 0; i < froms.size(); ++i) {
      if (i) write(", ");
      process(*froms[i]);
    }
  }
  if (n.where) {
    write(" WHERE ");
    process(*n.where);
  }
  if (!n.group_by.empty()) {
    write(" GROUP BY ");
    for (std::size_t i = 0; i < n.group_by.size(); ++i) {
      if (i) write(", ");
      const Node& g = *n.group_by[i];
      if (g.kind() == NodeKind::Label)
        write(quote(g.cast<LabelNode>().name()));
      else
        process(g);
    }
  }
  if (n.having) {
    write(" HAVING ");
    process(*n.having);
  }
  if (!n.order_by.empty()) {
    write(" ORDER BY ");
    for (std::size_t i = 0; i < n.order_by.size(); ++i) {
      if (i) write(", ");
      const Node& o = *n.order_by[i];
      if (o.kind() == NodeKind::Label)
        write(quote(o.cast<LabelNode>().name()));
      else
        process(o);
    }
  }
  render_limit_offset(n.limit.get(), n.offset.get());

  qualify_columns_ = saved_qualify;
  --depth_;
  enclosing_froms_.pop_back();
}

void SqlCompiler::render_limit_offset(const Node* limit, const Node* offset) {
  if (limit) {
    write(" LIMIT ");
    process(*limit);
  }
  if (offset) {
    write(" OFFSET ");
    process(*offset);
  }
}

void SqlCompiler::visit_compound_select(const CompoundSelectNode& n) {
  std::string_view op;
  switch (n.op) {
    case CompoundOperator::Union: op = " UNION "; break;
    case CompoundOperator::UnionAll: op = " UNION ALL "; break;
    case CompoundOperator::Intersect: op = " INTERSECT "; break;
    case CompoundOperator::Except: op = " EXCEPT "; break;
  }
  for (std::size_t i = 0; i < n.selects.size(); ++i) {
    if (i) write(op);
    const Node& s = *n.selects[i];
    if (s.kind() == NodeKind::CompoundSelect)
      render_nested_compound_select(s.cast<CompoundSelectNode>());
    else
      process(s);
  }
  if (!n.order_by.empty()) {
    bool saved = qualify_columns_;
    qualify_columns_ = false;  // ORDER BY of a UNION names output columns
    write(" ORDER BY ");
    render_list(n.order_by, ", ");
    qualify_columns_ = saved;
  }
  render_limit_offset(n.limit.get(), n.offset.get());
}

void SqlCompiler::render_nested_compound_select(const CompoundSelectNode& n) {
  write("(");
  process(n);
  write(")");
}

void SqlCompiler::render_returning(const std::vector<NodePtr>& returning) {
  if (returning.empty()) return;
  if (!dialect_.features().supports_returning)
    throw UnsupportedCompilationError(fmt::format("the {} dialect does not support RETURNING", dialect_.name()));
  bool saved = qualify_columns_;
  qualify_columns_ = false;
  write(" RETURNING ");
  render_columns(returning);
  qualify_columns_ = saved;
}

void SqlCompiler::render_insert_default_values(const InsertNode&) { write(" DEFAULT VALUES"); }

void SqlCompiler::render_insert_from_select(const InsertNode& n) { process(*n.from_select); }

void SqlCompiler::visit_insert(const InsertNode& n) {
  const auto& t = n.table->cast<Table>();
  write("INSERT INTO ");
  visit_table(t);
  if (!n.columns.empty()) {
    write(" (");
    for (std::size_t i = 0; i < n.columns.size(); ++i) {
      if (i) write(", ");
      write(quote(n.columns[i]));
    }
    write(")");
  }
  if (n.from_select) {
    write(" ");
    render_insert_from_select(n);
  } else if (n.rows.empty() || n.columns.empty()) {
    render_insert_default_values(n);
  } else {
    if (n.rows.size() > 1 && !dialect_.features().supports_multivalues_insert)
      throw UnsupportedCompilationError(
          fmt::format("the {} dialect does not support multi-row INSERT ... VALUES", dialect_.name()));
    write(" VALUES ");
    for (std::size_t r = 0; r < n.rows.size(); ++r) {
      if (r) write(", ");
      write("(");
      render_list(n.rows[r], ", ");
      write(")");
    }
  }
  if (n.extension) process(*n.extension);
  render_returning(n.returning);
}

void SqlCompiler::render_assignments(const std::vector<std::pair<std::string, NodePtr>>& set) {
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (i) write(", ");
    write(quote(set[i].first));
    write(" = ");
    process(*set[i].second);
  }
}

void SqlCompiler::visit_update(const UpdateNode& n) {
  const auto& t = n.table->cast<Table>();
  if (n.set.empty()) throw CompileError(fmt::format("UPDATE of {} sets no columns: give values() or params", t.name()));
  write("UPDATE ");
  visit_table(t);
  write(" SET ");
  with_target_table(t, [&] {
    render_assignments(n.set);
    if (n.where) {
      write(" WHERE ");
      process(*n.where);
    }
  });
  render_returning(n.returning);
}

void SqlCompiler::visit_delete(const DeleteNode& n) {
  write("DELETE FROM ");
  visit_table(n.table->cast<Table>());
  if (n.where) {
    write(" WHERE ");
    with_target_table(*n.table, [&] { process(*n.where); });
  }
  render_returning(n.returning);
}

void SqlCompiler::with_target_table(const Node& table, const std::function<void()>& render) {
  // Subqueries in SET and WHERE refer to the row being changed, as in a correlated SELECT.
  enclosing_froms_.push_back({&table});
  render();
  enclosing_froms_.pop_back();
}

void SqlCompiler::visit_extension(const Node& n) {
  if (const auto* upsert = dynamic_cast<const OnConflictNode*>(&n)) {
    upsert_ = upsert;
    if (upsert->duplicate_key)
      render_on_duplicate_key_update(*upsert);
    else
      render_on_conflict(*upsert);
    upsert_ = nullptr;
    return;
  }
  if (const auto* excluded = dynamic_cast<const ExcludedNode*>(&n)) {
    if (!upsert_)
      throw CompileError(fmt::format("excluded(\"{}\") is only meaningful in an upsert's SET", excluded->column));
    return render_excluded(*excluded);
  }
  throw UnsupportedCompilationError(fmt::format("this construct is not supported by the {} dialect", dialect_.name()));
}

namespace {
[[noreturn]] void refuse_upsert(const Dialect& dialect, const char* form) {
  const auto& features = dialect.features();
  throw UnsupportedCompilationError(
      fmt::format("the {} dialect has no INSERT ... {}; use {}", dialect.name(), form,
                  features.supports_on_conflict               ? "on_conflict_do_update / on_conflict_do_nothing"
                  : features.supports_on_duplicate_key_update ? "on_duplicate_key_update"
                                                              : "a SELECT then an INSERT or UPDATE"));
}
}  // namespace

void SqlCompiler::render_on_conflict(const OnConflictNode&) { refuse_upsert(dialect_, "ON CONFLICT"); }

void SqlCompiler::render_on_duplicate_key_update(const OnConflictNode&) {
  refuse_upsert(dialect_, "ON DUPLICATE KEY UPDATE");
}

void SqlCompiler::render_excluded(const ExcludedNode& n) {
  throw UnsupportedCompilationError(
      fmt::format("excluded(\"{}\"): the {} dialect has no upsert", n.column, dialect_.name()));
}

// ---- literals -------------------------------------------------------------------------------

std::string SqlCompiler::render_literal(const Value& v, const SqlType&) const {
  switch (v.kind()) {
    case Value::Kind::Null: return "NULL";
    case Value::Kind::Boolean: {
      bool b = v.as<bool>();
      if (dialect_.features().supports_native_boolean) return b ? "TRUE" : "FALSE";
      return b ? "1" : "0";
    }
    case Value::Kind::Integer: return std::to_string(v.as<std::int64_t>());
    case Value::Kind::Real: {
      double d = v.as<double>();
      std::string s = fmt::format("{}", d);
      if (s == "inf" || s == "-inf" || s == "nan")
        throw CompileError("cannot render the floating-point value " + s + " as a SQL literal");
      // 2.0 prints as 2, which SQL reads as an integer (and 2 / 4 as integer division).
      if (s.find_first_of(".e") == std::string::npos) s += ".0";
      return s;
    }
    case Value::Kind::Text: {
      const auto& s = std::get<std::string>(v.storage());
      std::string out = "'";
      for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
      }
      return out + "'";
    }
    case Value::Kind::Binary: {
      const auto& b = std::get<Blob>(v.storage());
      std::string out = "X'";
      for (auto byte : b) out += fmt::format("{:02X}", byte);
      return out + "'";
    }
  }
  return "NULL";
}

std::string to_sql_string(const Node& statement) {
  // The generic dialect DialectSource shares with stmt.compile() and operator<<.
  return DialectSource().dialect().statement_compiler()->compile(statement, {.literal_binds = true}).sql;
}

}  // namespace retort::core
