// MetaData: the collection of declared tables, in declaration order, with a naming convention.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <retort/core/schema/table.hpp>
#include <retort/core/schema/view.hpp>

namespace retort::core {

class Engine;
class Connection;

class MetaData {
 public:
  MetaData();
  explicit MetaData(NamingConvention naming);

  /// Declares a table: metadata.table("users", Column(...), UniqueConstraint{...}, ...).
  /// Throws ArgumentError if a table of that name (and schema) exists already.
  template <class... Elements>
  Table& table(std::string name, Elements&&... elements) {
    // The list's type depends on Elements so that it is compiled where table() is called, not in
    // every translation unit that includes this header.
    std::vector<std::conditional_t<sizeof...(Elements) != 0, TableElement, TableElement>> list;
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

  /// Declares a view: metadata.view("active_users", "SELECT id, email FROM users WHERE active").
  /// Views are made after the tables, in declaration order (one may use an earlier one).
  /// Throws ArgumentError if a view of that name (and schema) exists already.
  const View& view(std::string name, std::string definition, std::optional<std::string> schema = std::nullopt);
  const std::vector<View>& views() const noexcept { return views_; }
  /// Whether this MetaData speaks for the database's views, so that autogenerate compares them:
  /// once a view is declared, or when it was read from a database or schema file (metadata_of).
  /// Otherwise the database's views are left alone, as Alembic does.
  bool declares_views() const noexcept { return declares_views_ || !views_.empty(); }
  void set_declares_views(bool value) noexcept { declares_views_ = value; }

  /// CREATE TABLE / CREATE INDEX for every table, in dependency order, then CREATE VIEW for every
  /// view. With `checkfirst`, tables and views that exist already are skipped.
  void create_all(const Engine& engine, bool checkfirst = true) const;
  /// The same on the caller's connection: inside its open transaction if there is one, or in
  /// the one its first statement opens under EngineOptions::autobegin (the caller commits
  /// either), else in a transaction of its own where DDL is transactional.
  void create_all(Connection& connection, bool checkfirst = true) const;
  /// DROP VIEW for every view (last first), then DROP TABLE for every table, in reverse
  /// dependency order.
  void drop_all(const Engine& engine, bool checkfirst = true) const;
  void drop_all(Connection& connection, bool checkfirst = true) const;

  /// Reads tables from the database into this MetaData in one batched reflection pass
  /// (core/reflection/reflect_metadata.cpp): columns with types, nullability, server defaults
  /// (as text()), primary, foreign and unique keys, checks, indexes (expressions, WHERE) and
  /// comments. `schema` empty: the default schema. `only` limits the tables (a missing name is a
  /// NoSuchTableError); `views` adds views as tables (columns without types). Tables already in
  /// this MetaData are kept as they are.
  void reflect(const Engine& engine, std::optional<std::string> schema = {}, std::vector<std::string> only = {},
               bool views = false);
  /// The same through the caller's connection (and inside its transaction).
  void reflect(Connection& connection, std::optional<std::string> schema = {}, std::vector<std::string> only = {},
               bool views = false);

 private:
  std::shared_ptr<const NamingConvention> naming_;
  std::vector<TablePtr> tables_;
  std::map<std::string, std::size_t> by_key_;
  std::vector<View> views_;
  bool declares_views_ = false;
};

}  // namespace retort::core
