// Values across the MariaDB Connector/C protocols: retort Values bound as statement parameters,
// result columns bound to typed fetch buffers, and fetched fields converted back into Values.
#pragma once

#include <span>
#include <vector>

#include <retort/core/value.hpp>
#include <retort/dialects/mysql/mariadb_api.hpp>

namespace retort::dialects::mysql::detail {

/// How a result column becomes a Value.
enum class Conversion { Integer, Float, Double, Text, Blob, Bit, Date, Time, DateTime };

/// The conversion for a column of type `f`.
Conversion classify(const MYSQL_FIELD& f);

/// A text-protocol field as a Value (text-protocol results: fallback statements only).
core::Value text_field(const char* p, unsigned long n, Conversion c, bool is_unsigned);

/// The fetch buffer of one result column of a prepared statement.
struct ResultColumn {
  Conversion conversion{};
  bool is_unsigned{};
  std::vector<unsigned char> buffer{};
  unsigned long length = 0;
  my_bool is_null = 0;
  my_bool error = 0;
};

/// Sets up `c` and the type of `b` for a column of type `f`: the conversion, and a buffer of the
/// binary protocol's type (the caller points `b` at the buffer once every column is set up).
void prepare_result_column(const MYSQL_FIELD& f, ResultColumn& c, MYSQL_BIND& b);

/// The Value last fetched into `c`.
core::Value column_value(const ResultColumn& c);

/// Parameter bind storage, reused from statement to statement.
class ParamBinds {
 public:
  /// Fills the MYSQL_BIND array for `params`, which must outlive its use: the client library
  /// only reads parameter buffers, so they point into the Values.
  void bind(std::span<const core::Value* const> params);
  MYSQL_BIND* data() { return binds_.data(); }

 private:
  std::vector<MYSQL_BIND> binds_;
  std::vector<unsigned long> lengths_;
  std::vector<signed char> tiny_;
};

}  // namespace retort::dialects::mysql::detail
