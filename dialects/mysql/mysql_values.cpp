// Conversions between retort Values and MariaDB Connector/C binds and fields (see
// mysql_values.hpp).
#include <retort/dialects/mysql/mysql_values.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include <fmt/format.h>

namespace retort::dialects::mysql::detail {

using core::Value;

namespace {

constexpr unsigned kBinaryCharset = 63;

std::string fraction(unsigned long micro) { return micro ? fmt::format(".{:06}", micro) : std::string(); }

std::string format_time(const MYSQL_TIME& t, Conversion c) {
  switch (c) {
    case Conversion::Date: return fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
    case Conversion::Time:
      // A TIME is a duration (-838:59:59 .. 838:59:59); whole days may come in `day`.
      return fmt::format("{}{:02}:{:02}:{:02}{}", t.neg ? "-" : "", t.day * 24 + t.hour, t.minute, t.second,
                         fraction(t.second_part));
    default:
      return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}", t.year, t.month, t.day, t.hour, t.minute, t.second,
                         fraction(t.second_part));
  }
}

/// A FLOAT column holds a single-precision number: widen it through its shortest decimal
/// spelling, so that FLOAT 1.1 reads as 1.1 (as the text protocol gives it), not 1.100000023841858.
double widen(float f) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  if (ec != std::errc()) return static_cast<double>(f);
  double d = 0;
  std::from_chars(buf, end, d);
  return d;
}

std::int64_t bits_to_integer(const unsigned char* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return static_cast<std::int64_t>(v);
}

Value unsigned_value(std::uint64_t u) {
  // Value holds signed 64-bit integers; larger BIGINT UNSIGNED values keep their digits as text.
  if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return Value(std::to_string(u));
  return Value(static_cast<std::int64_t>(u));
}

}  // namespace

Conversion classify(const MYSQL_FIELD& f) {
  switch (f.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR: return Conversion::Integer;
    case MYSQL_TYPE_FLOAT: return Conversion::Float;
    case MYSQL_TYPE_DOUBLE: return Conversion::Double;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: return Conversion::Text;  // exact: keep the digits as written
    case MYSQL_TYPE_BIT: return Conversion::Bit;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: return Conversion::Date;
    case MYSQL_TYPE_TIME: return Conversion::Time;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP: return Conversion::DateTime;
    case MYSQL_TYPE_JSON: return Conversion::Text;  // MySQL 8 labels JSON with the binary charset
    case MYSQL_TYPE_NULL:
    case MYSQL_TYPE_ENUM:
    case MYSQL_TYPE_SET: return Conversion::Text;
    case MYSQL_TYPE_GEOMETRY: return Conversion::Blob;
    default:
      // CHAR/VARCHAR/TEXT/BLOB share wire types; the binary character set tells bytes from text.
      return f.charsetnr == kBinaryCharset ? Conversion::Blob : Conversion::Text;
  }
}

Value text_field(const char* p, unsigned long n, Conversion c, bool is_unsigned) {
  if (!p) return Value();
  std::string_view s(p, n);
  switch (c) {
    case Conversion::Integer: {
      if (is_unsigned) {
        std::uint64_t u = 0;
        if (std::from_chars(s.data(), s.data() + s.size(), u).ec == std::errc()) return unsigned_value(u);
      } else {
        std::int64_t i = 0;
        if (std::from_chars(s.data(), s.data() + s.size(), i).ec == std::errc()) return Value(i);
      }
      return Value(std::string(s));
    }
    case Conversion::Float:
    case Conversion::Double: {
      double d = 0;
      if (std::from_chars(s.data(), s.data() + s.size(), d).ec == std::errc()) return Value(d);
      return Value(std::string(s));
    }
    case Conversion::Bit: return Value(bits_to_integer(reinterpret_cast<const unsigned char*>(p), n));
    case Conversion::Blob: return Value(core::Blob(p, p + n));
    default: return Value(std::string(s));
  }
}

void prepare_result_column(const MYSQL_FIELD& f, ResultColumn& c, MYSQL_BIND& b) {
  c.conversion = classify(f);
  c.is_unsigned = (f.flags & UNSIGNED_FLAG) != 0;
  switch (c.conversion) {
    case Conversion::Integer:
      b.buffer_type = MYSQL_TYPE_LONGLONG;
      b.is_unsigned = c.is_unsigned;
      c.buffer.resize(sizeof(std::int64_t));
      break;
    case Conversion::Float:
      b.buffer_type = MYSQL_TYPE_FLOAT;
      c.buffer.resize(sizeof(float));
      break;
    case Conversion::Double:
      b.buffer_type = MYSQL_TYPE_DOUBLE;
      c.buffer.resize(sizeof(double));
      break;
    case Conversion::Date:
    case Conversion::Time:
    case Conversion::DateTime:
      b.buffer_type = f.type == MYSQL_TYPE_NEWDATE ? MYSQL_TYPE_DATE : f.type;
      c.buffer.resize(sizeof(MYSQL_TIME));
      break;
    case Conversion::Text:
    case Conversion::Blob:
    case Conversion::Bit:
      b.buffer_type = c.conversion == Conversion::Text ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
      // Start small; fetch() grows a buffer when a value does not fit.
      c.buffer.resize(std::clamp<unsigned long>(f.length, 16, 1024));
      break;
  }
}

Value column_value(const ResultColumn& c) {
  if (c.is_null) return Value();
  const unsigned char* p = c.buffer.data();
  switch (c.conversion) {
    case Conversion::Integer: {
      if (c.is_unsigned) {
        std::uint64_t u;
        std::memcpy(&u, p, sizeof u);
        return unsigned_value(u);
      }
      std::int64_t i;
      std::memcpy(&i, p, sizeof i);
      return Value(i);
    }
    case Conversion::Float: {
      float f;
      std::memcpy(&f, p, sizeof f);
      return Value(widen(f));
    }
    case Conversion::Double: {
      double d;
      std::memcpy(&d, p, sizeof d);
      return Value(d);
    }
    case Conversion::Date:
    case Conversion::Time:
    case Conversion::DateTime: {
      MYSQL_TIME t;
      std::memcpy(&t, p, sizeof t);
      return Value(format_time(t, c.conversion));
    }
    case Conversion::Text: return Value(std::string(reinterpret_cast<const char*>(p), c.length));
    case Conversion::Blob: return Value(core::Blob(p, p + c.length));
    case Conversion::Bit: return Value(bits_to_integer(p, c.length));
  }
  return Value();
}

void ParamBinds::bind(std::span<const Value* const> params) {
  binds_.assign(params.size(), MYSQL_BIND{});
  lengths_.assign(params.size(), 0);
  tiny_.assign(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    MYSQL_BIND& b = binds_[i];
    const Value& v = *params[i];
    // The client library only reads parameter buffers, so they point into the Values.
    switch (v.kind()) {
      case Value::Kind::Null: b.buffer_type = MYSQL_TYPE_NULL; break;
      case Value::Kind::Boolean:
        tiny_[i] = std::get<bool>(v.storage()) ? 1 : 0;
        b.buffer_type = MYSQL_TYPE_TINY;
        b.buffer = &tiny_[i];
        break;
      case Value::Kind::Integer:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = const_cast<std::int64_t*>(&std::get<std::int64_t>(v.storage()));
        break;
      case Value::Kind::Real:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = const_cast<double*>(&std::get<double>(v.storage()));
        break;
      case Value::Kind::Text: {
        const auto& s = std::get<std::string>(v.storage());
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = const_cast<char*>(s.data());
        b.buffer_length = lengths_[i] = s.size();
        b.length = &lengths_[i];
        break;
      }
      case Value::Kind::Binary: {
        const auto& bytes = std::get<core::Blob>(v.storage());
        b.buffer_type = MYSQL_TYPE_BLOB;
        b.buffer = const_cast<std::uint8_t*>(bytes.data());
        b.buffer_length = lengths_[i] = bytes.size();
        b.length = &lengths_[i];
        break;
      }
    }
  }
}

}  // namespace retort::dialects::mysql::detail
