// The rich schema every backend's reflection must round-trip (create_all -> reflect ->
// schema_differences empty): every generic type, composite keys, a self-referential key, ON
// DELETE CASCADE, uniques, checks, indexes, server defaults, computed columns, and names that need
// quoting (spaces, quotes, reserved words, mixed case, non-ASCII). Each backend adds what only it
// has (PostgreSQL's arrays, network types and identity columns; MySQL's table options and ON
// UPDATE) and leaves out what it lacks (MySQL has no partial or expression indexes and no
// deferrable keys; PostgreSQL has no virtual computed columns). CHECK and computed expressions
// are written as each database prints them back.
#pragma once

#include <string>
#include <vector>

#include <retort/dialects/postgresql/postgresql_dialect.hpp>
#include <retort/retort.hpp>

#include "support/each_backend.hpp"
#include "support/reflection_helpers.hpp"

namespace retort::testing {

/// Declares the tables "parent co", "MixedCase", "naïve_tëst" and "order" (and PostgreSQL's
/// "Ident") in `metadata`, as `backend` can store them.
inline void declare_rich_schema(core::MetaData& metadata, Backend backend) {
  using core::Column;
  using Names = std::vector<std::string>;
  namespace pg = dialects::postgresql;
  const bool is_pg = backend == Backend::postgresql, is_mysql = backend == Backend::mysql;
  // The quote each database prints identifiers back with inside expressions.
  auto quoted = [&](const std::string& name) { return is_mysql ? "`" + name + "`" : "\"" + name + "\""; };

  std::vector<core::TableElement> parent{
      Column("id", core::BigInteger{}).primary_key(),  // BIGSERIAL, AUTO_INCREMENT, the rowid
      Column("Name", core::String{50}).not_null().unique(),
      Column("order", core::Integer{}),  // a reserved word
      is_pg ? Column("small", core::SmallInteger{}).server_default(-1) : Column("small", core::SmallInteger{}),
      Column("status", core::String{20}).server_default("dr'aft"),
      Column("flag", core::Boolean{}).not_null().server_default(true),
      Column("ratio", core::Float{}),
      Column("d", core::Double{}),
      Column("amount", core::Numeric{10, 2}).server_default(0),
      Column("born", core::Date{}),
      Column("at", core::Time{}),
      Column("created", core::DateTime{is_pg}).server_default(core::func::now()),
      Column("data", core::LargeBinary{}),
      Column("doc", core::JSON{}),
      Column("twice", core::Integer{}).computed(core::Computed{quoted("order") + " * 2", true}),
      core::UniqueConstraint{{"order", "small"}, "uq order small"},
  };
  auto add = [&](auto element) { parent.emplace_back(std::move(element)); };
  if (!is_mysql) {
    add(Column("precise", core::Float{53}));
    add(Column("length", core::Interval{}));
  }
  if (!is_pg) {  // PostgreSQL has no virtual computed columns; its defaults cannot call abs() on a literal cast
    add(Column("plus", core::Integer{}).computed(core::Computed{quoted("order") + " + 1", std::nullopt}));
    add(Column("abs_default", core::Integer{}).server_default(core::func::abs(core::literal(-3))));
  }
  switch (backend) {
    case Backend::sqlite:
      add(Column("note", core::Text{}));
      add(Column("uid", core::UUID{}));
      add(Column("mood", core::Enum{{"happy", "sad"}}));
      add(Column("fixed", core::NamedType{"NVARCHAR(30)", "sqlite"}));
      add(core::CheckConstraint{"amount >= 0", "ck_amount_positive"});
      break;
    case Backend::postgresql:
      add(Column("whole", core::Numeric{12}));
      add(Column("any_number", core::Numeric{}));
      add(Column("note", core::Text{}).comment("it's a \"note\""));
      add(Column("at_tz", core::Time{true}));
      add(Column("local", core::DateTime{}));
      add(Column("docb", pg::JSONB()));
      add(Column("uid", core::UUID{}).server_default(core::func::call("gen_random_uuid")));
      add(Column("mood", core::Enum{{"happy", "sad", "it's ok"}, "mood"}).server_default("happy"));
      add(Column("tags", pg::ARRAY("INTEGER")));
      add(Column("labels", pg::ARRAY("VARCHAR(10)")));
      add(Column("addr", pg::INET()));
      add(Column("net", pg::CIDR()));
      add(Column("code", core::NamedType{"CHAR(3)", "postgresql"}));
      add(core::CheckConstraint{"\"order\" >= 0", "ck_order_positive"});
      add(core::Index("ix_tags", Names{"tags"}).dialect_option("postgresql_using", "gin"));
      add(core::TableOptions{.comment = "the parents' table"});
      break;
    case Backend::mysql:
      add(Column("note", core::Text{}).comment("a 'note', with quotes"));
      add(Column("updated", core::DateTime{true})
              .server_default(core::func::now())
              .dialect_option("mysql_on_update", "CURRENT_TIMESTAMP"));
      add(Column("uid", core::UUID{}));
      add(Column("mood", core::Enum{{"happy", "sad", "it's"}}));
      add(Column("big", core::NamedType{"MEDIUMTEXT", "mysql"}));
      add(core::CheckConstraint{"`amount` >= 0", "ck_amount_positive"});
      add(core::TableOptions{
          .comment = "the parent's table",
          .dialect_options = {
              {"mysql_engine", "InnoDB"}, {"mysql_charset", "utf8mb4"}, {"mysql_collate", "utf8mb4_unicode_ci"}}});
      break;
  }
  metadata.add_table("parent co", std::move(parent));

  metadata.table("MixedCase", Column("A", core::Integer{}), Column("b", core::String{10}),
                 core::PrimaryKeyConstraint{{"b", "A"}, "pk_Mixed"});

  std::vector<core::TableElement> naive{
      Column("id", core::Integer{}).primary_key(),
      Column("ref_a", core::Integer{}),
      Column("ref_b", core::String{10}),
      Column("parent", core::Integer{}).references(self_key()),
      Column("he said \"hi\"", core::Text{}),             // an embedded double quote
      Column("it's", core::Integer{}).server_default(5),  // an embedded single quote
      composite_key(!is_mysql),
      core::Index("ix unique ref", Names{"ref_b", "ref_a"}, true),
      core::CheckConstraint{quoted("it's") + " > 0", ""},
  };
  if (is_mysql) {
    naive.emplace_back(Column("back`tick", core::Integer{}));
    naive.emplace_back(Column("path", core::String{20}).server_default("C:\\dir 'x'"));  // backslash and quotes
    naive.emplace_back(Column("json `doc`", core::JSON{}));  // its check is json_valid(`json ``doc```)
    naive.emplace_back(core::Index("ix_ref_a", Names{"ref_a", "back`tick"}));
  } else {
    naive.emplace_back(core::Index(
        "ix_lower", std::vector<core::IndexElement>{{"", core::func::lower(core::column("he said \"hi\""))}}));
    naive.emplace_back(core::Index("ix_partial", Names{"ref_a"}).where(core::column("it's") > 3));
  }
  metadata.add_table("naïve_tëst", std::move(naive));

  metadata.table("order", Column("id", core::Integer{}).primary_key(),
                 Column("parent_id", core::BigInteger{}).references("parent co.id"),  // an unnamed key
                 Column("qty", core::Integer{}).not_null().index(), Column("Ünïcode", core::String{5}).unique());

  if (is_pg)
    metadata.table("Ident", Column("id", core::Integer{}).primary_key().identity(core::Identity{true, 10, 5}),
                   Column("seq", core::BigInteger{}).identity(core::Identity{false, std::nullopt, std::nullopt}),
                   Column("when", core::DateTime{}).not_null().server_default(core::func::now()));
}

}  // namespace retort::testing
