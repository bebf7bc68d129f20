// The round-trip normalisation, in one place: when does a reflected schema equal the declared
// MetaData it was created from? Tests use it to check reflection; autogenerate uses the same
// rules to decide what changed. Nothing here switches on a dialect's name: every rule is stated
// in terms of what the dialect renders (its type compiler, its statement compiler, its flags).
//
// The rules:
//  1. Tables and columns are matched by exact name (quoting is the dialect's business: a name
//     with spaces, quotes, upper case or non-ASCII letters must come back byte for byte). A
//     declared table without a schema belongs to the schema that was reflected. Column order is
//     not compared.
//  2. Types are equal when the dialect spells them the same (type compiler output, compared
//     ignoring case and spacing). So whatever the dialect cannot tell apart is equal:
//       - SQLite: DateTime/Time with and without timezone (DATETIME, TIME); Boolean stays BOOLEAN;
//         Enum{values} is VARCHAR(longest) plus a CHECK (rule 8); Float reads back as FLOAT.
//     Two exceptions, because some spellings cannot be read back as the declared kind:
//       a. CHAR(n) reads back as String{n}: a reflected String{n} equals any declared type the
//          dialect spells CHAR(n). Our UUID is CHAR(36) on SQLite (and MySQL), so a UUID column
//          reflects as String{36} and cannot round-trip to UUID.
//       b. An autoincrementing single-column integer primary key may read back as Integer with
//          autoincrement set, whatever integer kind was declared: SQLite renders BigInteger and
//          SmallInteger autoincrement keys as INTEGER (only that spelling is the rowid alias).
//  3. Nullability is compared, except on identity columns (NOT NULL implicitly), and a column of
//     the declared primary key may reflect NOT NULL though declared nullable (a table-level
//     PRIMARY KEY makes its columns NOT NULL on PostgreSQL and MySQL); nor is it compared on a
//     column in both primary keys (SQLite reports `id INTEGER PRIMARY KEY` nullable, yet the
//     rowid it names is never NULL).
//  4. Server defaults are compared as SQL text after rendering the declared one through the
//     dialect's statement compiler and normalising both (normalize_default): outer parentheses
//     stripped (SQLite drops those of DEFAULT (expr)), whitespace collapsed, and a single quoted
//     string literal unquoted (so '0' equals 0: MySQL shows defaults unquoted), a plain decimal
//     number written without trailing fractional zeros (MySQL shows a DECIMAL(10, 2) default 0
//     as 0.00), and the niladic date-time functions in one spelling: CURRENT_TIMESTAMP,
//     CURRENT_DATE, CURRENT_TIME, LOCALTIMESTAMP, LOCALTIME with or without empty parentheses and
//     in any case, and now(), are upper case without parentheses (MariaDB shows
//     current_timestamp(), the compilers write CURRENT_TIMESTAMP). A reflected
//     default on an autoincrement column with no declared default (PostgreSQL's nextval of a
//     SERIAL) is ignored, and so are defaults of computed columns.
//     Literals keep no casts: a default that is one string or number literal followed by
//     ::type casts is compared without them (PostgreSQL shows 'x'::character varying,
//     '-1'::integer, 'happy'::mood for the declared 'x', -1, 'happy'), and a lone TRUE, FALSE
//     or NULL keyword in upper case (PostgreSQL shows true, the compilers write TRUE).
//  5. Autoincrement: a column the DDL compiler treats as autoincrementing (single integer
//     primary key, no default, not a foreign key unless asked) must reflect autoincrement = true.
//     The reverse is not a difference (SQLite makes every INTEGER PRIMARY KEY the rowid alias).
//  6. Computed columns: expressions compared with normalize_sql; persisted only when declared.
//     Identity options only where the dialect supports identity columns; start/increment only
//     when declared.
//  7. Comments (table and column) only where features().supports_comments.
//  8. Constraint names are compared only when the declared constraint has one (databases name
//     unnamed constraints themselves: PostgreSQL users_email_key, SQLite nothing at all).
//     Primary key: same columns in order; its name only where the database keeps one (the
//     reflected name is not empty: MySQL calls every primary key PRIMARY and reports it
//     unnamed). Foreign keys are matched by (columns, referred table,
//     referred columns); ON DELETE/UPDATE compared upper-cased with NO ACTION = none; DEFERRABLE
//     and INITIALLY only when declared; MATCH (SIMPLE = none) where the dialect reflects it
//     (reflects_foreign_key_match). Unique constraints are matched by columns. CHECK
//     constraints are matched by name when named, else by their condition; conditions are equal
//     when their normalize_sql texts are, or when they are with the rewrites databases make
//     undone (type casts, quoted numbers, identifier quotes and parentheses dropped, case
//     folded outside string literals: PostgreSQL shows note::text <> ''::text and
//     balance >= '-100'::integer, MySQL `balance` >= -100); an Enum column the
//     dialect renders as VARCHAR adds the expected CHECK (col IN (...)) the DDL compiler writes.
//     Extra reflected constraints are differences.
//  9. Indexes are matched by name: unique, plain columns in order, expression elements (rendered
//     through the dialect, normalize_sql) in order, and the partial WHERE (normalize_sql).
//     A declared unique index with no reflected index of its name matches a reflected unique
//     constraint of the same name and columns (MySQL keeps unique indexes and UNIQUE constraints
//     as one thing, the UNIQUE KEY, and reflects it as a unique constraint); that constraint is
//     then not an extra. Reflection leaves out indexes that only serve a constraint: PostgreSQL's
//     and SQLite's for PRIMARY KEY / UNIQUE, and the index InnoDB creates for a foreign key that
//     no other index serves (non-unique, exactly the key's columns, named after the key's
//     constraint or, for an unnamed key, its first column; an index declared that way by hand
//     is left out too).
//     Dialect options of indexes and tables are not compared, except an index's covering columns
//     where the dialect has them (supports_index_include; postgresql_include: INCLUDE (a, b)).
// 10. Named enum types (PostgreSQL) are compared through the columns that use them: a type a
//     declared column uses is missing, or has other values (in order); a type the database's
//     columns use and no declared column does is extra. Unused types are left alone.
// 11. Views are compared only where the declaration speaks for them (MetaData::declares_views:
//     it declares one, or it was read from a database or schema file): by name, and by their
//     SELECT as view_text. A view the database rewrites beyond what view_text leaves out (an
//     alias PostgreSQL adds to an expression) shows as changed; declared from a schema file, both
//     sides are the same server's rewriting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <retort/core/reflection/reflected.hpp>
#include <retort/core/reflection/schema_difference.hpp>
#include <retort/core/schema/metadata.hpp>

namespace retort::core {

class Dialect;

/// What differs between the declared tables and the reflected schema, as structured differences
/// (describe() or fmt makes each a sentence: "table users: column email: type VARCHAR(100)
/// declared, VARCHAR(50) reflected"); empty when they are equal under the rules above. Declared
/// tables of other schemas are ignored.
std::vector<SchemaDifference> schema_differences(const MetaData& declared, const ReflectedSchema& reflected,
                                                 const Dialect& dialect);

/// The same for one table (rules 2-9).
std::vector<SchemaDifference> table_differences(const Table& declared, const ReflectedTable& reflected,
                                                const Dialect& dialect);

/// SQL text for comparison: whitespace collapsed (outside quotes), outer parentheses stripped.
std::string normalize_sql(std::string_view sql);
/// A default for comparison: normalize_sql, then a lone quoted string literal unquoted.
std::string normalize_default(std::string_view sql);
/// A view's SELECT for comparison (rule 11): what databases rewrite when they store a view left
/// out: qualifiers (users.id, `shop`.`users`), identifier quotes, parentheses, ::casts, an alias
/// that repeats its column (`id` AS `id`), a trailing semicolon, case and spacing outside
/// string literals.
std::string view_text(std::string_view sql);
/// Whether the dialect stores `declared` (a column of `table`) as the reflected type (rule 2).
bool types_equivalent(const Table& table, const Column& declared, const ReflectedColumn& reflected,
                      const Dialect& dialect);

}  // namespace retort::core
