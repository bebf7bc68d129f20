// Table registry of a MetaData.
#include <retort/core/schema/metadata.hpp>

#include <retort/core/ddl/sort_tables.hpp>

namespace retort::core {

MetaData::MetaData() : naming_(std::make_shared<NamingConvention>()) {}
MetaData::MetaData(NamingConvention naming) : naming_(std::make_shared<NamingConvention>(std::move(naming))) {}

Table& MetaData::add_table(std::string name, std::vector<TableElement> elements) {
  auto table = std::make_shared<Table>(std::move(name), naming_);
  // Options first so that the schema is known before the key is computed.
  for (auto& e : elements)
    if (std::holds_alternative<TableOptions>(e)) table->append(std::move(e));
  for (auto& e : elements)
    if (!std::holds_alternative<TableOptions>(e)) table->append(std::move(e));
  std::string key = table->fullname();
  if (by_key_.count(key)) throw ArgumentError("table " + key + " is already defined in this MetaData");
  by_key_[key] = tables_.size();
  tables_.push_back(std::move(table));
  return *tables_.back();
}

const Table* MetaData::find(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : tables_[it->second].get();
}

Table& MetaData::get(const std::string& key) const {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) throw NoSuchTableError("no table '" + key + "' in this MetaData");
  return *tables_[it->second];
}

void MetaData::remove(const std::string& key) {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) throw NoSuchTableError("no table '" + key + "' in this MetaData");
  tables_.erase(tables_.begin() + static_cast<std::ptrdiff_t>(it->second));
  by_key_.clear();
  for (std::size_t i = 0; i < tables_.size(); ++i) by_key_[tables_[i]->fullname()] = i;
}

const View& MetaData::view(std::string name, std::string definition, std::optional<std::string> schema) {
  View v{std::move(name), std::move(definition), std::move(schema)};
  for (const auto& existing : views_)
    if (existing.fullname() == v.fullname())
      throw ArgumentError("view '" + v.fullname() + "' is already declared in this MetaData");
  views_.push_back(std::move(v));
  return views_.back();
}

std::vector<const Table*> MetaData::tables() const {
  std::vector<const Table*> out;
  for (const auto& t : tables_) out.push_back(t.get());
  return out;
}

std::vector<const Table*> MetaData::sorted_tables() const {
  auto sorted = sort_tables_and_constraints(tables());
  for (const auto& [table, fk_index] : sorted.cyclic_foreign_keys)
    const_cast<Table*>(table)->set_use_alter(fk_index, true);
  return sorted.tables;
}

}  // namespace retort::core
