// Renders SqlType values as a dialect's column types. Generic kinds map to SQL-standard names;
// a dialect overrides the kinds it spells differently.
#pragma once

#include <string>

#include <retort/core/types.hpp>

namespace retort::core {

class TypeCompiler {
 public:
  virtual ~TypeCompiler() = default;
  /// The DDL spelling of `type`, e.g. VARCHAR(50). Throws CompileError for a type the
  /// dialect cannot store (a NamedType of another dialect).
  std::string process(const SqlType& type) const;

 protected:
  virtual std::string dialect_name() const { return ""; }
  virtual std::string visit_integer(const SqlType&) const { return "INTEGER"; }
  virtual std::string visit_small_integer(const SqlType&) const { return "SMALLINT"; }
  virtual std::string visit_big_integer(const SqlType&) const { return "BIGINT"; }
  virtual std::string visit_boolean(const SqlType&) const { return "BOOLEAN"; }
  virtual std::string visit_float(const SqlType& t) const;
  virtual std::string visit_double(const SqlType&) const { return "DOUBLE PRECISION"; }
  virtual std::string visit_numeric(const SqlType& t) const;
  virtual std::string visit_string(const SqlType& t) const;
  virtual std::string visit_text(const SqlType&) const { return "TEXT"; }
  virtual std::string visit_date(const SqlType&) const { return "DATE"; }
  virtual std::string visit_time(const SqlType& t) const;
  virtual std::string visit_datetime(const SqlType& t) const;
  virtual std::string visit_interval(const SqlType&) const { return "INTERVAL"; }
  virtual std::string visit_large_binary(const SqlType&) const { return "BLOB"; }
  virtual std::string visit_json(const SqlType&) const { return "JSON"; }
  virtual std::string visit_uuid(const SqlType&) const { return "UUID"; }
  virtual std::string visit_enum(const SqlType& t) const;
  virtual std::string visit_named(const SqlType& t) const;
};

}  // namespace retort::core
