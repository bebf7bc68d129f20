// MetaData: the collection of declared tables, in declaration order, with a naming convention.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/schema/table.hpp>

namespace retort::core {

class Engine;

class MetaData {
 public:
  MetaData();
  explicit MetaData(NamingConvention naming);

  /// Declares a table: metadata.table("users", Column(...), UniqueConstraint{...}, ...).
  /// Throws ArgumentError if a table of that name (and schema) exists already.
  template <class... Elements>
  Table& table(std::string name, Elements&&... elements) {
    std::vector<TableElement> list;
    list.reserve(sizeof...(elements));
    (list.emplace_back(std::forward<Elements>(elements)), ...);
    return add_table(std::move(name), std::move(list));
  }
  Table& add_table(std::string name, std::vector<TableElement> elements);

  /// The table named `key` ("name" or "schema.name"). Throws NoSuchTableError.
  Table& get(const std::string& key) const;
  const Table* find(const std::string& key) const;
  bool contains(const std::string& key) const { return find(key) != nullptr; }
  void remove(const std::string& key);
  /// Tables in declaration order.
  std::vector<const Table*> tables() const;
  /// Tables ordered so that each comes after the tables it references. Foreign keys in a cycle
  /// are marked use_alter (created by ALTER TABLE afterwards) and the cycle is broken.
  std::vector<const Table*> sorted_tables() const;
  const NamingConvention& naming_convention() const { return *naming_; }

  /// CREATE TABLE / CREATE INDEX for every table, in dependency order. With `checkfirst`,
  /// tables that exist already are skipped.
  void create_all(const Engine& engine, bool checkfirst = true) const;
  /// DROP TABLE for every table, in reverse dependency order.
  void drop_all(const Engine& engine, bool checkfirst = true) const;

  /// Reads tables from the database into this MetaData in one batched reflection pass
  /// (core/reflection/reflect_metadata.cpp): columns with types, nullability, server defaults
  /// (as text()), primary, foreign and unique keys, checks, indexes (expressions, WHERE) and
  /// comments. `schema` empty: the default schema. `only` limits the tables (a missing name is a
  /// NoSuchTableError); `views` adds views as tables (columns without types). Tables already in
  /// this MetaData are kept as they are.
  void reflect(const Engine& engine, std::optional<std::string> schema = {}, std::vector<std::string> only = {},
               bool views = false);

 private:
  std::shared_ptr<const NamingConvention> naming_;
  std::vector<TablePtr> tables_;
  std::map<std::string, std::size_t> by_key_;
};

}  // namespace retort::core
