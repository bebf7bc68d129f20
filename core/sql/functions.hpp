// SQL functions: func::count(), func::sum(x), ..., and func::call("any_name", args...).
#pragma once

#include <string>
#include <vector>

#include <retort/core/sql/elements.hpp>

namespace retort::core::func {

namespace detail {
inline Expr arg(const Expr& e) { return e; }
template <Bindable T>
Expr arg(T&& v) {
  return literal(Value(std::forward<T>(v)));
}
}  // namespace detail

/// name(args...) with the given result type.
Expr call_typed(std::string name, std::vector<Expr> args, SqlType type);

/// Any named function: func::call("json_extract", col, "$.a").
template <class... Args>
Expr call(std::string name, Args&&... args) {
  return call_typed(std::move(name), {detail::arg(std::forward<Args>(args))...}, SqlType{});
}

/// count(*)
Expr count();
/// count(expr); count(expr.distinct()) for COUNT(DISTINCT expr).
Expr count(const Expr& e);
Expr sum(const Expr& e);
Expr min(const Expr& e);
Expr max(const Expr& e);
Expr avg(const Expr& e);
Expr lower(const Expr& e);
Expr upper(const Expr& e);
Expr length(const Expr& e);
Expr abs(const Expr& e);
/// The current timestamp (CURRENT_TIMESTAMP, now(), ... per dialect).
Expr now();

template <class... Args>
Expr coalesce(const Expr& first, Args&&... rest) {
  return call_typed("coalesce", {first, detail::arg(std::forward<Args>(rest))...}, first.type());
}

}  // namespace retort::core::func
