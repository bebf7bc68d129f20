// The public API of retort in one header: #include <retort/retort.hpp>.
// Core is reachable as retort::Name (retort::create_engine, retort::Column, ...); the migration
// commands as retort::migrate::upgrade(config, "head") and friends.
#pragma once

#include <retort/core/ddl/alter_elements.hpp>
#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/ddl/ddl_elements.hpp>
#include <retort/core/ddl/sort_tables.hpp>
#include <retort/core/engine/engine.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/inspector.hpp>
#include <retort/core/reflection/normalize.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/schema/column.hpp>
#include <retort/core/schema/constraints.hpp>
#include <retort/core/schema/metadata.hpp>
#include <retort/core/schema/naming.hpp>
#include <retort/core/schema/table.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/dml.hpp>
#include <retort/core/sql/elements.hpp>
#include <retort/core/sql/functions.hpp>
#include <retort/core/sql/params.hpp>
#include <retort/core/sql/select.hpp>
#include <retort/core/sql/selectable.hpp>
#include <retort/core/types.hpp>
#include <retort/core/value.hpp>
#include <retort/core/version.hpp>
#include <retort/migrate/autogenerate/autogenerate.hpp>
#include <retort/migrate/commands.hpp>
#include <retort/migrate/errors.hpp>

namespace retort {
using namespace retort::core;  // retort::Column, retort::select, retort::func::count, ...
}  // namespace retort
