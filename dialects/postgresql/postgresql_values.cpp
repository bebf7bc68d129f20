// Conversions between retort Values and libpq's parameter arrays and text-format fields (see
// postgresql_values.hpp).
#include <retort/dialects/postgresql/postgresql_values.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include <retort/dialects/postgresql/postgresql_handles.hpp>

namespace retort::dialects::postgresql::detail {

using core::Value;

Value convert(Oid type, const char* text, int length) {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: return Value(static_cast<std::int64_t>(std::strtoll(text, nullptr, 10)));
    case kFloat4Oid:
    case kFloat8Oid: return Value(std::strtod(text, nullptr));  // also reads NaN, Infinity
    case kBoolOid: return Value(text[0] == 't');
    case kByteaOid: {
      std::size_t n = 0;
      LibpqBytes bytes{libpq().PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n)};
      if (!bytes) throw std::bad_alloc();
      core::Blob blob(bytes.get(), bytes.get() + n);
      return Value(std::move(blob));
    }
    default: return Value(std::string(text, static_cast<std::size_t>(length)));
  }
}

Oid type_of(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Null: return kUnknownOid;
    case Value::Kind::Boolean: return kBoolOid;
    case Value::Kind::Integer: {
      auto i = std::get<std::int64_t>(v.storage());
      // int4 where it fits: functions such as substr(text, int) have no bigint variant.
      return i >= INT32_MIN && i <= INT32_MAX ? kInt4Oid : kInt8Oid;
    }
    case Value::Kind::Real: return kFloat8Oid;
    case Value::Kind::Text: return kUnknownOid;
    case Value::Kind::Binary: return kByteaOid;
  }
  return kUnknownOid;
}

void BoundParams::bind(std::span<const Value* const> params) {
  std::size_t n = params.size();
  text_.assign(n, {});
  values.assign(n, nullptr);
  lengths.assign(n, 0);
  formats.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = *params[i];
    switch (v.kind()) {
      case Value::Kind::Null: break;
      case Value::Kind::Boolean: values[i] = std::get<bool>(v.storage()) ? "true" : "false"; break;
      case Value::Kind::Integer:
        text_[i] = std::to_string(std::get<std::int64_t>(v.storage()));
        values[i] = text_[i].c_str();
        break;
      case Value::Kind::Real: {
        double d = std::get<double>(v.storage());
        if (std::isnan(d))
          text_[i] = "NaN";
        else if (std::isinf(d))
          text_[i] = d > 0 ? "Infinity" : "-Infinity";
        else
          text_[i] = fmt::format("{}", d);  // shortest text that reads back exactly
        values[i] = text_[i].c_str();
        break;
      }
      case Value::Kind::Text: values[i] = std::get<std::string>(v.storage()).c_str(); break;
      case Value::Kind::Binary: {
        const auto& b = std::get<core::Blob>(v.storage());
        static const char empty = 0;
        values[i] = b.empty() ? &empty : reinterpret_cast<const char*>(b.data());
        lengths[i] = static_cast<int>(b.size());
        formats[i] = 1;  // binary: the bytes as they are
        break;
      }
    }
  }
}

}  // namespace retort::dialects::postgresql::detail
