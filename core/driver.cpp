// Default executemany: one execute per row (drivers override with a faster path).
#include <retort/core/driver.hpp>

namespace retort::core {

std::int64_t DriverConnection::execute_many(std::string_view sql, std::span<const Value* const> params,
                                            std::size_t params_per_row) {
  std::int64_t total = 0;
  if (params_per_row == 0) return execute(sql, {})->rows_affected();
  for (std::size_t i = 0; i + params_per_row <= params.size(); i += params_per_row) {
    auto cursor = execute(sql, params.subspan(i, params_per_row));
    auto n = cursor->rows_affected();
    if (n > 0) total += n;
  }
  return total;
}

}  // namespace retort::core
