// Core, the SQL toolkit, in one header: #include <retort/core.hpp>. Engines and connections,
// tables and metadata, statements, results and values, reflection, events and errors, all as
// retort::Name. The statement compilers, the DDL renderers, the pool and the dialects are not
// included: they are the library's own (<retort/retort.hpp> adds the migration commands).
#pragma once

#include <retort/core/ddl/ddl_statements.hpp>
#include <retort/core/decimal.hpp>
#include <retort/core/dialect.hpp>
#include <retort/core/engine/engine.hpp>
#include <retort/core/engine/events.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/schema/column.hpp>
#include <retort/core/schema/constraints.hpp>
#include <retort/core/schema/metadata.hpp>
#include <retort/core/schema/naming.hpp>
#include <retort/core/schema/table.hpp>
#include <retort/core/sql/compiled_statement.hpp>
#include <retort/core/sql/dml.hpp>
#include <retort/core/sql/elements.hpp>
#include <retort/core/sql/functions.hpp>
#include <retort/core/sql/params.hpp>
#include <retort/core/sql/select.hpp>
#include <retort/core/sql/selectable.hpp>
#include <retort/core/temporal.hpp>
#include <retort/core/types.hpp>
#include <retort/core/value.hpp>
#include <retort/core/version.hpp>

namespace retort {
using namespace retort::core;  // retort::Column, retort::select, retort::func::count, ...
}  // namespace retort
