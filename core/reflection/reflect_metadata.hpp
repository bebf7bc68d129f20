// Building declared schema objects (Tables in a MetaData) from reflected records: what
// MetaData::reflect does per table, also usable on records read elsewhere (inspect --format sql,
// autogenerate's "compare against another database").
#pragma once

#include <retort/core/reflection/reflected.hpp>
#include <retort/core/schema/metadata.hpp>

namespace retort::core {

/// Adds a Table built from `reflected` to `metadata`: columns (type, nullability, server default
/// as text(), autoincrement, identity, computed, comment), primary key with its name and column
/// order, foreign keys, unique and check constraints, indexes (their columns and expressions in
/// the index's order when the record has it, else columns first), comment and options.
/// Throws ArgumentError if the MetaData already has a table of that name and schema.
Table& add_reflected_table(MetaData& metadata, const ReflectedTable& reflected);

/// One reflected foreign key as a declared constraint.
ForeignKeyConstraint foreign_key_of(const ReflectedForeignKey& reflected);
/// One reflected index as a declared one: its columns and expressions in the index's order when
/// the record has it (else columns first), its WHERE and options.
Index index_of(const ReflectedIndex& reflected);

}  // namespace retort::core
