// Well-known SQL functions with their result types.
#include <retort/core/sql/functions.hpp>

namespace retort::core::func {

Expr call_typed(std::string name, std::vector<Expr> args, SqlType type) {
  std::vector<NodePtr> nodes;
  nodes.reserve(args.size());
  for (const auto& a : args) {
    if (!a.valid()) throw ArgumentError("empty expression passed to function " + name);
    nodes.push_back(a.node());
  }
  return Expr(std::make_shared<FunctionNode>(std::move(name), std::move(nodes), std::move(type)));
}

Expr count() { return call_typed("count", {star()}, BigInteger{}); }
Expr count(const Expr& e) { return call_typed("count", {e}, BigInteger{}); }
Expr sum(const Expr& e) { return call_typed("sum", {e}, e.type()); }
Expr min(const Expr& e) { return call_typed("min", {e}, e.type()); }
Expr max(const Expr& e) { return call_typed("max", {e}, e.type()); }
Expr avg(const Expr& e) {
  // An exact average of exact numbers (PostgreSQL and MySQL keep NUMERIC); of others, a double.
  if (e.type().kind == TypeKind::Numeric) return call_typed("avg", {e}, Numeric{});
  return call_typed("avg", {e}, Double{});
}
Expr lower(const Expr& e) { return call_typed("lower", {e}, e.type()); }
Expr upper(const Expr& e) { return call_typed("upper", {e}, e.type()); }
Expr length(const Expr& e) { return call_typed("length", {e}, Integer{}); }
Expr abs(const Expr& e) { return call_typed("abs", {e}, e.type()); }
Expr now() { return call_typed("now", {}, DateTime{}); }

}  // namespace retort::core::func
