// What a C++ revision file includes: the whole public API, the `op` object, and the two macros
// that define its steps:
//
//   // retort:revision 1975ea83b712
//   // retort:down_revision
//   // retort:message add users
//   #include <retort/migrate/cpp_revision.hpp>
//
//   RETORT_UPGRADE(op) {
//     op.create_table("users", retort::Column("id", retort::Integer{}).primary_key());
//   }
//   RETORT_DOWNGRADE(op) { op.drop_table("users"); }
//
// Each macro defines a function of `retort::migrate::Operations& op` and registers it, at load
// time, under RETORT_REVISION_KEY: a string the compiler defines for each revision (retort's
// revision compiler passes a hash of the revision's source and of the toolchain). Several
// revisions may share a translation unit, each with its own key defined before it is included.
#pragma once

#include <retort/migrate/ops/batch_operations.hpp>
#include <retort/migrate/ops/operations.hpp>
#include <retort/migrate/script/compiled_revisions.hpp>
#include <retort/retort.hpp>
