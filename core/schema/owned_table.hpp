// The shared ownership a statement takes of a Table it reads from: statements keep their tables
// alive (a select outlives the MetaData that declared its tables). Internal to core's sources.
#pragma once

#include <memory>

namespace retort::core {

class Table;

/// `table` as a shared_ptr, for a statement to hold. ArgumentError when nothing owns it (a Table
/// constructed on its own rather than by MetaData::table or std::make_shared), where
/// shared_from_this() would throw std::bad_weak_ptr.
std::shared_ptr<const Table> owned(const Table& table);

}  // namespace retort::core
