// Runs a dialect's catalog queries for reflection and counts them, so that
// ReflectedSchema::queries shows that reflection stays batched (one query per kind).
#pragma once

#include <string>
#include <vector>

#include <retort/core/driver.hpp>

namespace retort::core {

class CatalogReader {
 public:
  explicit CatalogReader(DriverConnection& conn) : conn_(conn) {}

  /// All rows of `sql` (in the driver's paramstyle) with positional `params`.
  std::vector<std::vector<Value>> rows(const std::string& sql, const std::vector<Value>& params = {}) {
    std::vector<const Value*> ptrs;
    for (const auto& p : params) ptrs.push_back(&p);
    auto cursor = conn_.execute(sql, ptrs);
    ++queries;
    std::vector<std::vector<Value>> out;
    std::vector<Value> row;
    while (cursor->fetch(row)) out.push_back(row);
    cursor->close();
    return out;
  }

  std::size_t queries = 0;  // catalog queries sent so far

 private:
  DriverConnection& conn_;
};

}  // namespace retort::core
