// Construction of expression nodes and the Expr operators.
#include <retort/core/sql/elements.hpp>

#include <retort/core/sql/select.hpp>

namespace retort::core {

// ---- structural hashes -------------------------------------------------------------------

void ColumnNode::hash_into(Hasher& h) const {
  h.add(name_).add(literal_);
  // The FROM element's identity decides how the column is qualified: hash its shape.
  if (from_) h.add(from_->structure_key());
}

void BindParamNode::hash_into(Hasher& h) const {
  h.add(name_).add(static_cast<std::uint64_t>(type().kind));
  // A NULL value and a non-NULL value may render differently (booleans, types): the value's
  // kind is part of the shape.
  h.add(value_ ? static_cast<std::uint64_t>(value_->kind()) + 1 : 0);
}

KeywordNode::KeywordNode(Keyword keyword)
    : ExpressionNode(KIND, keyword == Keyword::True || keyword == Keyword::False ? SqlType(Boolean{})
                           : keyword == Keyword::CurrentTimestamp                ? SqlType(DateTime{})
                                                                                 : SqlType{}),
      keyword_(keyword) {}

void UnaryNode::hash_into(Hasher& h) const { h.add(static_cast<std::uint64_t>(op_)); }
void BinaryNode::hash_into(Hasher& h) const {
  h.add(static_cast<std::uint64_t>(op_)).add(escape_ ? *escape_ : std::string("\x01"));
  // The operand types can change the spelling (MySQL divides two integers with DIV), and the
  // node's type says whether they do.
  h.add(static_cast<std::uint64_t>(type().kind));
}
void ClauseListNode::hash_into(Hasher& h) const { h.add(static_cast<std::uint64_t>(op_)).add(items_.size()); }
void FunctionNode::hash_into(Hasher& h) const { h.add(name_).add(args_.size()); }
void CastNode::hash_into(Hasher& h) const {
  // Every field of the target type can change its spelling (an Enum's VARCHAR length, say).
  const SqlType& t = type();
  h.add(static_cast<std::uint64_t>(t.kind)).add(t.length.value_or(-1));
  h.add(t.precision.value_or(-1)).add(t.scale.value_or(-1)).add(t.timezone);
  h.add(t.name).add(t.dialect).add(t.enum_values.size());
  for (const auto& v : t.enum_values) h.add(v);
}
void CaseNode::hash_into(Hasher& h) const { h.add(value_ != nullptr).add(whens_.size()).add(else_ != nullptr); }
void CaseNode::for_each_child(const std::function<void(const Node&)>& f) const {
  if (value_) f(*value_);
  for (const auto& [when, then] : whens_) {
    f(*when);
    f(*then);
  }
  if (else_) f(*else_);
}
void InNode::hash_into(Hasher& h) const { h.add(items_.size()).add(subquery_ != nullptr).add(negate_); }
void InNode::for_each_child(const std::function<void(const Node&)>& f) const {
  f(*element_);
  for (const auto& i : items_) f(*i);
  if (subquery_) f(*subquery_);
}
void OrderingNode::hash_into(Hasher& h) const { h.add(descending_).add(static_cast<std::uint64_t>(nulls_)); }
void TextNode::hash_into(Hasher& h) const {
  for (const auto& p : pieces_) h.add(p);
}

// ---- Expr ---------------------------------------------------------------------------------

namespace {

const SqlType kNullType{};

SqlType type_of_value(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Boolean: return Boolean{};
    case Value::Kind::Integer: return Integer{};
    case Value::Kind::Real: return Double{};
    case Value::Kind::Text: return String{};
    case Value::Kind::Binary: return LargeBinary{};
    case Value::Kind::Null: return {};
  }
  return {};
}

const NodePtr& need(const Expr& e, const char* what) {
  if (!e.valid()) throw ArgumentError(std::string("empty expression passed to ") + what);
  return e.node();
}

/// A NULL keyword, or an anonymous bound NULL (a named parameter may be given a value later).
bool is_null_literal(const Node& n) {
  if (n.kind() == NodeKind::Keyword) return n.cast<KeywordNode>().keyword() == Keyword::Null;
  if (n.kind() == NodeKind::BindParam) {
    const auto& bind = n.cast<BindParamNode>();
    return bind.name().empty() && bind.value() && bind.value()->is_null();
  }
  return false;
}

bool is_comparison(BinaryOperator op) {
  switch (op) {
    case BinaryOperator::Add:
    case BinaryOperator::Sub:
    case BinaryOperator::Mul:
    case BinaryOperator::Div:
    case BinaryOperator::Mod:
    case BinaryOperator::Concat: return false;
    default: return true;
  }
}

bool is_text_kind(TypeKind k) { return k == TypeKind::String || k == TypeKind::Text; }

Expr list_of(ListOperator op, std::vector<Expr> clauses, const char* what) {
  std::vector<NodePtr> items;
  items.reserve(clauses.size());
  for (const auto& c : clauses) {
    const auto& n = need(c, what);
    // Flatten nested lists of the same operator: and_(and_(a, b), c) -> a AND b AND c.
    if (n->kind() == NodeKind::ClauseList && n->cast<ClauseListNode>().op() == op) {
      for (const auto& i : n->cast<ClauseListNode>().items()) items.push_back(i);
    } else {
      items.push_back(n);
    }
  }
  if (items.size() == 1) return Expr(items.front());
  SqlType type = op == ListOperator::Comma ? SqlType{} : SqlType(Boolean{});
  return Expr(std::make_shared<ClauseListNode>(op, std::move(items), type));
}

}  // namespace

const SqlType& Expr::type() const {
  if (!node_) return kNullType;
  switch (node_->kind()) {
    case NodeKind::Table:
    case NodeKind::Alias:
    case NodeKind::Join:
    case NodeKind::Cte:
    case NodeKind::Select:
    case NodeKind::CompoundSelect:
    case NodeKind::Insert:
    case NodeKind::Update:
    case NodeKind::Delete:
    case NodeKind::Extension: return kNullType;
    default:
      if (is_ddl_kind(node_->kind())) return kNullType;
      return static_cast<const ExpressionNode&>(*node_).type();
  }
}

Expr make_binary(BinaryOperator op, const Expr& l, const Expr& r) {
  NodePtr ln = need(l, "a binary operator");
  NodePtr rn = need(r, "a binary operator");
  // `x = NULL` is never true: comparing with NULL means IS NULL / IS NOT NULL (as SQLAlchemy).
  if (op == BinaryOperator::Eq || op == BinaryOperator::Ne) {
    BinaryOperator is_op = op == BinaryOperator::Eq ? BinaryOperator::Is : BinaryOperator::IsNot;
    if (is_null_literal(*ln)) std::swap(ln, rn);
    if (is_null_literal(*rn)) return Expr(std::make_shared<BinaryNode>(is_op, ln, null().node(), Boolean{}));
  }
  // The operand types pick the operation, as SQLAlchemy's typed comparators do: `+` on text is
  // concatenation (|| or MySQL's CONCAT), not the numeric addition that turns 's' + 'x' into 0.
  const SqlType& operand = l.type().kind != TypeKind::Null ? l.type() : r.type();
  if (op == BinaryOperator::Add && is_text_kind(operand.kind)) op = BinaryOperator::Concat;
  SqlType type;
  if (is_comparison(op))
    type = Boolean{};
  else if (op == BinaryOperator::Concat)
    type = is_text_kind(operand.kind) ? operand : SqlType(String{});
  else if (op == BinaryOperator::Div && is_integer_kind(l.type().kind) != is_integer_kind(r.type().kind))
    // Integer / integer stays an integer division on every backend (the dialect renders it so);
    // beside a fraction the quotient takes the fraction's type.
    type = is_integer_kind(l.type().kind) ? r.type() : l.type();
  else
    type = operand;
  return Expr(std::make_shared<BinaryNode>(op, ln, rn, std::move(type)));
}

Expr bind_like(const Expr& context, Value v) {
  SqlType type = context.type();
  // A fraction beside an integer column keeps its own type: typed Integer, 2.5 would be bound
  // (and divided) as an integer.
  if (type.kind == TypeKind::Null || type.kind == TypeKind::Boolean ||
      (is_integer_kind(type.kind) && v.kind() == Value::Kind::Real))
    type = type_of_value(v);
  return Expr(std::make_shared<BindParamNode>(std::string(), std::move(v), std::move(type)));
}

Expr Expr::label(std::string name) const {
  return Expr(std::make_shared<LabelNode>(std::move(name), need(*this, "label()"), type()));
}
Expr Expr::asc() const {
  return Expr(std::make_shared<OrderingNode>(need(*this, "asc()"), false, NullsOrder::Default));
}
Expr Expr::desc() const {
  return Expr(std::make_shared<OrderingNode>(need(*this, "desc()"), true, NullsOrder::Default));
}
Expr Expr::nulls_first() const {
  const auto& n = need(*this, "nulls_first()");
  if (n->kind() == NodeKind::Ordering) {
    const auto& o = n->cast<OrderingNode>();
    // Re-wrap the inner element, keeping the direction.
    return Expr(std::make_shared<OrderingNode>(std::shared_ptr<const Node>(n, &o.element()), o.descending(),
                                               NullsOrder::First));
  }
  return Expr(std::make_shared<OrderingNode>(n, false, NullsOrder::First));
}
Expr Expr::nulls_last() const {
  const auto& n = need(*this, "nulls_last()");
  if (n->kind() == NodeKind::Ordering) {
    const auto& o = n->cast<OrderingNode>();
    return Expr(
        std::make_shared<OrderingNode>(std::shared_ptr<const Node>(n, &o.element()), o.descending(), NullsOrder::Last));
  }
  return Expr(std::make_shared<OrderingNode>(n, false, NullsOrder::Last));
}

namespace {
Expr like_op(BinaryOperator op, const Expr& l, const Expr& pattern, std::optional<std::string> escape) {
  return Expr(
      std::make_shared<BinaryNode>(op, need(l, "like()"), need(pattern, "like()"), Boolean{}, std::move(escape)));
}
}  // namespace

Expr Expr::like(const Expr& p, std::optional<std::string> e) const {
  return like_op(BinaryOperator::Like, *this, p, std::move(e));
}
Expr Expr::not_like(const Expr& p, std::optional<std::string> e) const {
  return like_op(BinaryOperator::NotLike, *this, p, std::move(e));
}
Expr Expr::ilike(const Expr& p, std::optional<std::string> e) const {
  return like_op(BinaryOperator::ILike, *this, p, std::move(e));
}
Expr Expr::not_ilike(const Expr& p, std::optional<std::string> e) const {
  return like_op(BinaryOperator::NotILike, *this, p, std::move(e));
}

Expr Expr::bound(Value v) const { return bind_like(*this, std::move(v)); }

Expr Expr::like(std::string_view p, std::optional<std::string> e) const { return like(bound(p), std::move(e)); }
Expr Expr::not_like(std::string_view p, std::optional<std::string> e) const { return not_like(bound(p), std::move(e)); }
Expr Expr::ilike(std::string_view p, std::optional<std::string> e) const { return ilike(bound(p), std::move(e)); }
Expr Expr::not_ilike(std::string_view p, std::optional<std::string> e) const {
  return not_ilike(bound(p), std::move(e));
}

namespace {
/// `text` as a LIKE pattern that matches it literally, its wildcards escaped with '/' (not a
/// backslash, which MySQL's string literals would also read as an escape).
std::string literal_pattern(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '/') out += '/';
    out += c;
  }
  return out;
}
}  // namespace

Expr Expr::startswith(std::string_view prefix) const { return like(literal_pattern(prefix) + "%", "/"); }
Expr Expr::endswith(std::string_view suffix) const { return like("%" + literal_pattern(suffix), "/"); }
Expr Expr::contains(std::string_view text) const { return like("%" + literal_pattern(text) + "%", "/"); }

Expr Expr::in_(const std::vector<Value>& values) const {
  std::vector<NodePtr> items;
  items.reserve(values.size());
  for (const auto& v : values) items.push_back(bind_like(*this, v).node());
  return Expr(std::make_shared<InNode>(need(*this, "in_()"), std::move(items), nullptr, false));
}
Expr Expr::in_(std::initializer_list<Value> values) const { return in_(std::vector<Value>(values)); }
Expr Expr::in_(std::initializer_list<Expr> items) const { return in_(std::vector<Expr>(items)); }
Expr Expr::not_in(std::initializer_list<Value> values) const { return not_in(std::vector<Value>(values)); }

Expr Expr::in_(const std::vector<Expr>& exprs) const {
  std::vector<NodePtr> items;
  for (const auto& e : exprs) items.push_back(need(e, "in_()"));
  return Expr(std::make_shared<InNode>(need(*this, "in_()"), std::move(items), nullptr, false));
}
Expr Expr::in_(const Select& subquery) const {
  return Expr(std::make_shared<InNode>(need(*this, "in_()"), std::vector<NodePtr>{}, subquery.node(), false));
}
Expr Expr::not_in(const std::vector<Value>& values) const {
  std::vector<NodePtr> items;
  for (const auto& v : values) items.push_back(bind_like(*this, v).node());
  return Expr(std::make_shared<InNode>(need(*this, "not_in()"), std::move(items), nullptr, true));
}
Expr Expr::not_in(const Select& subquery) const {
  return Expr(std::make_shared<InNode>(need(*this, "not_in()"), std::vector<NodePtr>{}, subquery.node(), true));
}
Expr Expr::between(const Expr& low, const Expr& high) const {
  return Expr(
      std::make_shared<BetweenNode>(need(*this, "between()"), need(low, "between()"), need(high, "between()"), false));
}
Expr Expr::not_between(const Expr& low, const Expr& high) const {
  return Expr(std::make_shared<BetweenNode>(need(*this, "not_between()"), need(low, "not_between()"),
                                            need(high, "not_between()"), true));
}
Expr Expr::is_null() const {
  return Expr(std::make_shared<UnaryNode>(UnaryOperator::IsNull, need(*this, "is_null()"), Boolean{}));
}
Expr Expr::is_not_null() const {
  return Expr(std::make_shared<UnaryNode>(UnaryOperator::IsNotNull, need(*this, "is_not_null()"), Boolean{}));
}
Expr Expr::is_(const Expr& other) const { return make_binary(BinaryOperator::Is, *this, other); }
Expr Expr::is_not(const Expr& other) const { return make_binary(BinaryOperator::IsNot, *this, other); }
Expr Expr::concat(const Expr& other) const { return make_binary(BinaryOperator::Concat, *this, other); }
Expr Expr::cast(SqlType t) const { return core::cast(*this, std::move(t)); }
Expr Expr::distinct() const {
  return Expr(std::make_shared<UnaryNode>(UnaryOperator::Distinct, need(*this, "distinct()"), type()));
}

// ---- factories ----------------------------------------------------------------------------

Expr literal(Value v, std::optional<SqlType> type_hint) {
  SqlType type = type_hint ? *type_hint : type_of_value(v);
  return Expr(std::make_shared<BindParamNode>(std::string(), std::move(v), std::move(type)));
}
Expr bindparam(std::string name, std::optional<Value> value, SqlType type) {
  if (name.empty()) throw ArgumentError("bindparam() needs a name");
  if (type.kind == TypeKind::Null && value) type = type_of_value(*value);
  return Expr(std::make_shared<BindParamNode>(std::move(name), std::move(value), std::move(type)));
}
Expr column(std::string name, SqlType type) {
  return Expr(std::make_shared<ColumnNode>(std::move(name), std::move(type), nullptr));
}
Expr literal_column(std::string sql, SqlType type) {
  return Expr(std::make_shared<ColumnNode>(std::move(sql), std::move(type), nullptr, nullptr, true));
}

Expr text(std::string_view sql, std::initializer_list<std::pair<std::string, Value>> values) {
  std::vector<std::string> pieces;
  std::vector<NodePtr> binds;
  std::string current;
  char quote = 0;
  auto is_name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      current += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
      current += c;
      continue;
    }
    if (c == '\\' && i + 1 < sql.size() && sql[i + 1] == ':') {
      current += ':';
      ++i;
      continue;
    }
    if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {  // PostgreSQL cast
      current += "::";
      ++i;
      continue;
    }
    bool prev_is_name = i > 0 && (is_name_char(sql[i - 1]) || sql[i - 1] == ':');
    if (c == ':' && !prev_is_name && i + 1 < sql.size() && is_name_char(sql[i + 1]) &&
        !(sql[i + 1] >= '0' && sql[i + 1] <= '9')) {
      std::size_t j = i + 1;
      while (j < sql.size() && is_name_char(sql[j])) ++j;
      std::string name(sql.substr(i + 1, j - i - 1));
      std::optional<Value> value;
      for (const auto& [k, v] : values)
        if (k == name) value = v;
      pieces.push_back(std::move(current));
      current.clear();
      SqlType type;
      if (value) type = type_of_value(*value);
      binds.push_back(std::make_shared<BindParamNode>(std::move(name), std::move(value), type));
      i = j - 1;
      continue;
    }
    current += c;
  }
  pieces.push_back(std::move(current));
  return Expr(std::make_shared<TextNode>(std::move(pieces), std::move(binds)));
}

Expr null() { return Expr(std::make_shared<KeywordNode>(Keyword::Null)); }
Expr true_() { return Expr(std::make_shared<KeywordNode>(Keyword::True)); }
Expr false_() { return Expr(std::make_shared<KeywordNode>(Keyword::False)); }
Expr star() { return Expr(std::make_shared<KeywordNode>(Keyword::Star)); }
Expr and_(std::vector<Expr> clauses) {
  if (clauses.empty()) return true_();
  return list_of(ListOperator::And, std::move(clauses), "and_()");
}
Expr or_(std::vector<Expr> clauses) {
  if (clauses.empty()) return false_();
  return list_of(ListOperator::Or, std::move(clauses), "or_()");
}
Expr tuple_(std::vector<Expr> items) {
  std::vector<NodePtr> nodes;
  for (const auto& i : items) nodes.push_back(need(i, "tuple_()"));
  return Expr(std::make_shared<ClauseListNode>(ListOperator::Comma, std::move(nodes), SqlType{}));
}
Expr not_(const Expr& e) { return Expr(std::make_shared<UnaryNode>(UnaryOperator::Not, need(e, "not_()"), Boolean{})); }
Expr cast(const Expr& e, SqlType type) { return Expr(std::make_shared<CastNode>(need(e, "cast()"), std::move(type))); }
Expr exists(const Select& subquery) { return Expr(std::make_shared<ExistsNode>(subquery.node())); }
Expr not_exists(const Select& subquery) { return not_(exists(subquery)); }
Expr asc(const Expr& e) { return e.asc(); }
Expr desc(const Expr& e) { return e.desc(); }

Expr case_(std::vector<std::pair<Expr, Expr>> whens, std::optional<Expr> else_) {
  if (whens.empty()) throw ArgumentError("case_() needs at least one WHEN clause");
  std::vector<std::pair<NodePtr, NodePtr>> nodes;
  for (const auto& [w, t] : whens) nodes.emplace_back(need(w, "case_()"), need(t, "case_()"));
  SqlType type = whens.front().second.type();
  return Expr(std::make_shared<CaseNode>(nullptr, std::move(nodes), else_ ? need(*else_, "case_()") : nullptr, type));
}
Expr case_(const Expr& value, std::vector<std::pair<Expr, Expr>> whens, std::optional<Expr> else_) {
  if (whens.empty()) throw ArgumentError("case_() needs at least one WHEN clause");
  std::vector<std::pair<NodePtr, NodePtr>> nodes;
  for (const auto& [w, t] : whens) nodes.emplace_back(need(w, "case_()"), need(t, "case_()"));
  SqlType type = whens.front().second.type();
  return Expr(std::make_shared<CaseNode>(need(value, "case_()"), std::move(nodes),
                                         else_ ? need(*else_, "case_()") : nullptr, type));
}

Expr operator&&(const Expr& l, const Expr& r) { return and_({l, r}); }
Expr operator||(const Expr& l, const Expr& r) { return or_({l, r}); }
Expr operator!(const Expr& e) { return not_(e); }
Expr operator-(const Expr& e) {
  return Expr(std::make_shared<UnaryNode>(UnaryOperator::Negate, need(e, "unary minus"), e.type()));
}

}  // namespace retort::core
