// The `op` object of a C++ revision (Alembic's `op`): one method per operation, each building the
// op as data (operation.hpp) and running it through the migration context, so the same revision
// migrates a live database or, under --sql, writes its SQL:
//
//   RETORT_UPGRADE(op) {
//     op.create_table("users", retort::Column("id", retort::Integer{}).primary_key(),
//                     retort::Column("name", retort::String{50}).not_null());
//     op.add_column("users", retort::Column("email", retort::String{100}));
//     op.create_index("ix_users_email", "users", {"email"}, {.unique = true});
//   }
//
// Every method takes an optional schema in its options. The first argument records where in the
// revision the call is (file:line), so a failing op is reported at its line.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <retort/core/engine/connection.hpp>
#include <retort/core/schema/metadata.hpp>
#include <retort/migrate/ops/call_site.hpp>
#include <retort/migrate/ops/operation.hpp>

namespace retort::migrate {

class MigrationContext;

namespace ops {

/// A name given as an op's first argument, with the place in the revision it was written.
struct Name {
  Name(const char* text, CallSite at = CallSite::current()) : value(text), where(at) {}
  Name(std::string text, CallSite at = CallSite::current()) : value(std::move(text)), where(at) {}
  std::string value;
  CallSite where;
};

/// An index part: a column name or an expression (`{"name", retort::func::lower(t.c("email"))}`).
struct IndexPart {
  IndexPart(const char* column) : element{column, std::nullopt} {}
  IndexPart(std::string column) : element{std::move(column), std::nullopt} {}
  IndexPart(core::Expr expression) : element{{}, std::move(expression)} {}
  core::IndexElement element;
};

struct SchemaOption {
  std::optional<std::string> schema{};
};
struct TableCreateOptions {
  std::optional<std::string> schema{};
  std::optional<std::string> comment{};
  bool if_not_exists = false;
  std::map<std::string, std::string> dialect_options{};
};
struct IfExistsOption {
  std::optional<std::string> schema{};
  bool if_exists = false;
};
struct IfNotExistsOption {
  std::optional<std::string> schema{};
  bool if_not_exists = false;
};
struct IndexOptions {
  std::optional<std::string> schema{};
  bool unique = false;
  std::optional<core::Expr> where{};  // a partial index
  bool if_not_exists = false;
  /// e.g. {"postgresql_using", "gin"}, {"postgresql_concurrently", "true"},
  /// {"postgresql_include", "a, b"}
  std::map<std::string, std::string> dialect_options{};
};
struct ForeignKeyOptions {
  std::optional<std::string> source_schema{};
  std::optional<std::string> referent_schema{};
  std::string ondelete{};
  std::string onupdate{};
  std::optional<bool> deferrable{};
  std::string initially{};
  std::string match{};
};
struct DropConstraintOptions {
  std::optional<std::string> schema{};
  /// "primary", "foreignkey", "unique" or "check"; MySQL needs it for all but a CHECK.
  std::string type{};
  bool if_exists = false;  // PostgreSQL and MariaDB
};
struct EnumValueOptions {
  std::optional<std::string> schema{};
  std::optional<std::string> before{};
  std::optional<std::string> after{};
  bool if_not_exists = false;
};
struct AlterEnumOptions {
  std::optional<std::string> schema{};
  /// The type's values now: with them, values only added are added in place (ALTER TYPE ... ADD
  /// VALUE), and the op is reversible.
  std::optional<std::vector<std::string>> existing_values{};
  /// The columns of the type, {{table}, column, default as SQL}: cast to the type when it is made
  /// again (values removed or reordered). Autogenerate lists them.
  std::vector<core::EnumTypeColumn> columns{};
};
struct DropViewOptions {
  std::optional<std::string> schema{};
  bool if_exists = false;
  /// The view's SELECT: makes the op reversible (the downgrade makes the view again).
  std::optional<std::string> definition{};
};
struct TableCommentOptions {
  std::optional<std::string> schema{};
  std::optional<std::string> existing_comment{};
};

/// What the op facade and batch mode build from their arguments: an index, a foreign key, and a
/// drop_constraint type ("primary", "foreignkey", "unique", "check" or ""; another is an
/// ArgumentError naming `location`).
core::Index make_index(std::string name, std::vector<IndexPart> parts, const IndexOptions& options);
core::ForeignKeyConstraint make_foreign_key(std::string name, std::string referent_table,
                                            std::vector<std::string> local_columns,
                                            std::vector<std::string> remote_columns, ForeignKeyOptions options);
core::ConstraintType constraint_type(const std::string& type, const std::string& location);

class BatchOperations;

struct BatchOptions {
  std::optional<std::string> schema{};
  /// "auto": recreate only where the database's ALTER cannot do the changes (SQLite, except
  /// add_column, create_index and drop_index); "always": recreate; "never": plain ALTERs.
  std::string recreate = "auto";
  /// The table as it is, for --sql (there is no database to reflect offline).
  std::shared_ptr<const core::Table> copy_from{};
  /// Column orders to follow (Alembic's partial_reordering): within each list, its columns come
  /// in that order, in the places those columns held. Recreation only: SQLite recreates for it.
  std::vector<std::vector<std::string>> partial_reordering{};
  /// Constraints and indexes the new table gets besides its own (Alembic's table_args).
  std::vector<core::TableElement> table_args{};
  /// Columns whose declaration replaces what reflection reads (Alembic's reflect_args), e.g. a
  /// type SQLite reports loosely, or a default to keep as written.
  std::vector<core::Column> reflect_columns{};
  /// Names for the table's unnamed constraints as reflected (SQLite's UNIQUE, FOREIGN KEY and
  /// PRIMARY KEY written without CONSTRAINT name), from "uq", "fk" and "pk" templates, so that
  /// drop_constraint can name them: {.naming_convention = retort::NamingConvention(std::map<std::string,
  /// std::string>{{"uq", "uq_%(table_name)s_%(column_0_name)s"}})}.
  std::optional<core::NamingConvention> naming_convention{};
};

/// Where batch_alter_table's add_column puts the column when the table is recreated.
struct ColumnPosition {
  std::optional<std::string> insert_before{};
  std::optional<std::string> insert_after{};
};

class Operations {
 public:
  explicit Operations(MigrationContext& context);
  Operations(const Operations&) = delete;
  Operations& operator=(const Operations&) = delete;

  /// CREATE TABLE from columns, constraints and indexes; returns the table, for bulk_insert and
  /// expressions (it lives as long as this object).
  template <class... Elements>
  const core::Table& create_table(Name name, Elements&&... elements) {
    std::vector<core::TableElement> list;
    TableCreateOptions options;
    (add_table_element(list, options, std::forward<Elements>(elements)), ...);
    return create_table(std::move(name), std::move(list), std::move(options));
  }
  const core::Table& create_table(Name name, std::vector<core::TableElement> elements, TableCreateOptions options);
  void drop_table(Name name, IfExistsOption options = {});
  void rename_table(Name old_name, std::string new_name, SchemaOption options = {});

  void add_column(Name table, core::Column column, IfNotExistsOption options = {});
  void drop_column(Name table, std::string column, IfExistsOption options = {});
  /// ALTER COLUMN: `{.nullable = false, .existing_type = retort::String{50}}`. MySQL re-specifies
  /// the whole column, so give it the existing_* values of what does not change.
  void alter_column(Name table, std::string column, core::ColumnAlteration change, SchemaOption options = {});

  void create_index(Name name, std::string table, std::vector<IndexPart> parts, IndexOptions options = {});
  /// `table` is required on MySQL (DROP INDEX name ON table); elsewhere it may be empty.
  void drop_index(Name name, std::string table = {}, IfExistsOption options = {});

  void create_primary_key(Name name, std::string table, std::vector<std::string> columns, SchemaOption options = {});
  void create_unique_constraint(Name name, std::string table, std::vector<std::string> columns,
                                SchemaOption options = {});
  void create_foreign_key(Name name, std::string source_table, std::string referent_table,
                          std::vector<std::string> local_columns, std::vector<std::string> remote_columns,
                          ForeignKeyOptions options = {});
  /// `condition` is SQL (`"price > 0"`) or an expression.
  void create_check_constraint(Name name, std::string table, std::string condition, SchemaOption options = {});
  void create_check_constraint(Name name, std::string table, const core::Expr& condition, SchemaOption options = {});
  void drop_constraint(Name name, std::string table, DropConstraintOptions options = {});

  void create_table_comment(Name table, std::string comment, TableCommentOptions options = {});
  void drop_table_comment(Name table, TableCommentOptions options = {});

  /// PostgreSQL's named enum types (elsewhere an error naming the dialect: an Enum column is made
  /// with its table). A value added by add_enum_value can be used only after the transaction that
  /// added it commits: use it in a later revision, or mark this one `transactional false`.
  void create_enum(Name name, std::vector<std::string> values, IfNotExistsOption options = {});
  void drop_enum(Name name, IfExistsOption options = {});
  void add_enum_value(Name name, std::string value, EnumValueOptions options = {});
  /// Gives the type `values` (added, removed or reordered): see AlterEnumOptions.
  void alter_enum(Name name, std::vector<std::string> values, AlterEnumOptions options = {});

  /// CREATE VIEW name AS definition (a SELECT); DROP VIEW.
  void create_view(Name name, std::string definition, SchemaOption options = {});
  void drop_view(Name name, DropViewOptions options = {});

  /// SQL text as written (may hold several statements only where the driver runs them together:
  /// give one statement per call).
  void execute(Name sql);
  /// A Core statement: insert/update/delete/select or DDL.
  template <core::Executable S>
  void execute(const S& statement, CallSite at = CallSite::current()) {
    run(ExecuteOp{statement.node()}, at);
  }
  /// INSERTs of `rows` into `table` (from create_table, or any Table): online one statement with
  /// many parameter sets, offline one INSERT per row with the values inline.
  void bulk_insert(const core::Table& table, std::vector<core::Params> rows, CallSite at = CallSite::current());
  /// A value rendered inline in the SQL, online and offline (for update/insert values in --sql).
  static core::Expr inline_literal(core::Value value) { return core::literal(std::move(value)); }
  /// A name that the naming convention must keep as it is (Alembic's op.f()): retort applies
  /// conventions only to unnamed constraints, so this returns the name; it marks intent for readers.
  static std::string f(std::string name) { return name; }
  /// The live connection, for data migrations (Alembic's get_bind()). Under --sql there is none:
  /// CommandError saying so.
  core::Connection& get_bind();
  /// Whether this run writes SQL (--sql) instead of executing it.
  bool is_offline() const;

  /// Changes to one table applied together (batch_operations.hpp): by ALTER where the database
  /// can, else by recreating the table ("move and copy"), which SQLite needs for most changes.
  void batch_alter_table(Name table, const std::function<void(BatchOperations&)>& body, BatchOptions options = {});

  /// Runs any op (what the methods above call, and what autogenerate's op lists go through).
  void run(const Operation& op, CallSite at = CallSite::current());

 private:
  static void add_table_element(std::vector<core::TableElement>& list, TableCreateOptions&,
                                core::TableElement element) {
    list.push_back(std::move(element));
  }
  static void add_table_element(std::vector<core::TableElement>&, TableCreateOptions& options,
                                TableCreateOptions given) {
    options = std::move(given);
  }

  MigrationContext& context_;
  core::MetaData metadata_;  // owns the tables create_table returns
};

}  // namespace ops

using ops::Operations;

}  // namespace retort::migrate
