// The Inspector: reflection of a live database through its dialect, cached per schema, with
// SQLAlchemy's vocabulary (get_table_names, get_columns, get_pk_constraint, ...).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/engine/connection.hpp>
#include <retort/core/reflection/reflected.hpp>

namespace retort::core {

class Engine;

class Inspector {
 public:
  /// Reads through `connection` (kept for the Inspector's lifetime), inside its transaction.
  explicit Inspector(Connection& connection);
  /// Reads through a connection of its own from `engine`'s pool, held until the Inspector goes.
  explicit Inspector(const Engine& engine);
  Inspector(Inspector&& other) noexcept
      : owned_(std::move(other.owned_)),
        connection_(owned_ ? &*owned_ : other.connection_),
        cache_(std::move(other.cache_)) {}
  Inspector& operator=(Inspector&&) = delete;

  std::vector<std::string> get_schema_names();
  std::string default_schema_name();
  /// The whole schema in one batched pass (cached until clear_cache()).
  const ReflectedSchema& reflect(const std::optional<std::string>& schema = std::nullopt);

  std::vector<std::string> get_table_names(const std::optional<std::string>& schema = std::nullopt);
  std::vector<std::string> get_view_names(const std::optional<std::string>& schema = std::nullopt);
  std::string get_view_definition(const std::string& view, const std::optional<std::string>& schema = std::nullopt);
  bool has_table(const std::string& table, const std::optional<std::string>& schema = std::nullopt);
  /// Throws NoSuchTableError naming the table and schema.
  const ReflectedTable& get_table(const std::string& table, const std::optional<std::string>& schema = std::nullopt);
  const std::vector<ReflectedColumn>& get_columns(const std::string& table,
                                                  const std::optional<std::string>& schema = std::nullopt);
  const ReflectedPrimaryKey& get_pk_constraint(const std::string& table,
                                               const std::optional<std::string>& schema = std::nullopt);
  const std::vector<ReflectedForeignKey>& get_foreign_keys(const std::string& table,
                                                           const std::optional<std::string>& schema = std::nullopt);
  const std::vector<ReflectedIndex>& get_indexes(const std::string& table,
                                                 const std::optional<std::string>& schema = std::nullopt);
  const std::vector<ReflectedUniqueConstraint>& get_unique_constraints(
      const std::string& table, const std::optional<std::string>& schema = std::nullopt);
  const std::vector<ReflectedCheckConstraint>& get_check_constraints(
      const std::string& table, const std::optional<std::string>& schema = std::nullopt);
  std::optional<std::string> get_table_comment(const std::string& table,
                                               const std::optional<std::string>& schema = std::nullopt);
  std::vector<std::string> get_sequence_names(const std::optional<std::string>& schema = std::nullopt);
  std::vector<ReflectedEnum> get_enums(const std::optional<std::string>& schema = std::nullopt);

  void clear_cache() { cache_.clear(); }

 private:
  std::optional<Connection> owned_;  // the connection taken from an Engine
  Connection* connection_;
  std::map<std::string, ReflectedSchema> cache_;  // by schema name ("" = default)
};

}  // namespace retort::core
