// A column declaration: name, type and the options of SQLAlchemy's Column, set by chaining:
//   Column("id", Integer{}).primary_key()
#pragma once

#include <concepts>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <retort/core/sql/elements.hpp>
#include <retort/core/types.hpp>

namespace retort::core {

/// GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY (START WITH s INCREMENT BY i)
struct Identity {
  bool always = false;
  std::optional<std::int64_t> start{};  // {} so that designated initializers may leave them out
  std::optional<std::int64_t> increment{};
  bool operator==(const Identity&) const = default;
};

/// GENERATED ALWAYS AS (sqltext) [STORED]
struct Computed {
  std::string sqltext{};
  std::optional<bool> persisted{};  // STORED when true, VIRTUAL when false, dialect default if unset
  bool operator==(const Computed&) const = default;
};

/// A foreign key declared on one column: ForeignKey("users.id").
struct ForeignKey {
  std::string target{};  // "table.column" or "schema.table.column"
  std::string ondelete{};
  std::string onupdate{};
  std::string name{};
  std::optional<bool> deferrable{};
  std::string initially{};
};

enum class Autoincrement { Auto, Yes, No };

class Column {
 public:
  Column(std::string name, SqlType type);

  Column& primary_key(bool value = true);
  Column& not_null() { return nullable(false); }
  Column& nullable(bool value);
  Column& autoincrement(bool value);
  Column& identity(Identity value = {});
  /// Server default rendered as a literal: server_default("draft"), server_default(0).
  Column& server_default(Value value);
  /// Server default as SQL: server_default(text("CURRENT_TIMESTAMP")), server_default(func::now()).
  Column& server_default(Expr expression);
  Column& unique(bool value = true);
  Column& index(bool value = true);
  Column& references(ForeignKey key);
  /// references("users.id"). (A template, so that references({.target = ..., .ondelete = ...})
  /// can only mean a ForeignKey.)
  template <class Target>
  requires std::convertible_to<Target, std::string> Column& references(const Target& target) {
    ForeignKey key;
    key.target = std::string(target);
    return references(std::move(key));
  }
  Column& comment(std::string text);
  Column& computed(Computed value);
  /// A dialect-specific option, e.g. {"mysql_on_update", "CURRENT_TIMESTAMP"}.
  Column& dialect_option(std::string key, std::string value);
  /// The name the column had: autogenerate then renames it (data kept) instead of dropping it
  /// and adding this one, where the database still has the old name.
  Column& renamed_from(std::string old_name);

  const std::string& name() const noexcept { return name_; }
  const SqlType& type() const noexcept { return type_; }
  bool is_primary_key() const noexcept { return primary_key_; }
  /// Nullable unless declared NOT NULL or part of the primary key.
  bool is_nullable() const noexcept { return nullable_.value_or(!primary_key_); }
  Autoincrement autoincrement_setting() const noexcept { return autoincrement_; }
  const std::optional<Identity>& identity_options() const noexcept { return identity_; }
  const std::optional<Expr>& server_default_expr() const noexcept { return server_default_; }
  bool is_unique() const noexcept { return unique_; }
  bool is_indexed() const noexcept { return index_; }
  const std::vector<ForeignKey>& foreign_keys() const noexcept { return foreign_keys_; }
  const std::optional<std::string>& comment_text() const noexcept { return comment_; }
  const std::optional<Computed>& computed_options() const noexcept { return computed_; }
  const std::map<std::string, std::string>& dialect_options() const noexcept { return dialect_options_; }
  const std::optional<std::string>& renamed_from_name() const noexcept { return renamed_from_; }

 private:
  std::string name_;
  SqlType type_;
  bool primary_key_ = false;
  std::optional<bool> nullable_;
  Autoincrement autoincrement_ = Autoincrement::Auto;
  std::optional<Identity> identity_;
  std::optional<Expr> server_default_;
  bool unique_ = false;
  bool index_ = false;
  std::vector<ForeignKey> foreign_keys_;
  std::optional<std::string> comment_;
  std::optional<Computed> computed_;
  std::map<std::string, std::string> dialect_options_;
  std::optional<std::string> renamed_from_;
};

}  // namespace retort::core
