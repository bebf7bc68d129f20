// Row access and result consumption.
#include <retort/core/engine/result.hpp>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/engine/connection.hpp>
#include <retort/core/engine/connection_state.hpp>
#include <retort/core/engine/engine_state.hpp>
#include <retort/core/engine/value_typing.hpp>

namespace retort::core {

ResultMetadata::ResultMetadata(std::vector<std::string> keys, std::vector<SqlType> types)
    : keys_(std::move(keys)), types_(std::move(types)) {
  // Types that do not line up with the columns (SELECT *) say nothing.
  if (types_.size() != keys_.size()) types_.clear();
  conforms_ = std::any_of(types_.begin(), types_.end(), type_conforms_values);
  // With duplicate names, the first occurrence wins for lookups by name.
  for (std::size_t i = 0; i < keys_.size(); ++i) index_.emplace(keys_[i], i);
}

std::size_t ResultMetadata::index(std::string_view name) const {
  auto it = index_.find(std::string(name));
  if (it == index_.end())
    throw NoSuchColumnError(fmt::format("the result has no column '{}' (columns: {})", name, fmt::join(keys_, ", ")));
  return it->second;
}

const Value& Row::operator[](std::size_t i) const {
  if (i >= values_.size())
    throw InvalidRequestError(fmt::format("column index {} out of range: the row has {} columns", i, values_.size()));
  return values_[i];
}

const Value& Row::raw(std::size_t i) const {
  for (const auto& [index, value] : raw_)
    if (index == i) return value;
  return (*this)[i];
}

void Row::conform() {
  raw_.clear();
  const auto& types = meta_->types();
  if (!meta_->conforms() || types.size() != values_.size()) return;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (auto typed = conformed_to_type(values_[i], types[i])) {
      raw_.emplace_back(i, std::move(values_[i]));
      values_[i] = std::move(*typed);
    }
  }
}

std::map<std::string, Value> Row::mapping() const {
  std::map<std::string, Value> out;
  for (std::size_t i = 0; i < values_.size(); ++i) out.emplace(meta_->keys()[i], values_[i]);
  return out;
}

Result::Result(std::unique_ptr<DriverCursor> cursor, std::shared_ptr<ConnectionState> owner, std::vector<SqlType> types)
    : cursor_(std::move(cursor)), owner_(std::move(owner)) {
  meta_ = std::make_shared<ResultMetadata>(cursor_->column_names(), std::move(types));
  current_.meta_ = meta_;
  rowcount_ = cursor_->rows_affected();
  lastrowid_ = cursor_->last_insert_id();
  if (meta_->keys().empty()) close();  // nothing to read: release the statement now
}

Result::Result(std::vector<std::string> keys, std::vector<std::vector<Value>> rows, std::int64_t rowcount,
               std::vector<SqlType> types)
    : meta_(std::make_shared<ResultMetadata>(std::move(keys), std::move(types))),
      buffered_(std::move(rows)),
      rowcount_(rowcount) {
  current_.meta_ = meta_;
}

Result::~Result() { close(); }

void Result::close() {
  if (cursor_) {
    cursor_->close();
    cursor_.reset();
  }
  owner_.reset();
  buffered_.clear();
  buffered_pos_ = 0;
}

const std::vector<std::string>& Result::keys() const {
  static const std::vector<std::string> none;
  return meta_ ? meta_->keys() : none;
}

void Result::need_rows() const {
  if (!returns_rows())
    throw ResourceClosedError(
        "this result does not return rows (the statement was not a SELECT "
        "and had no RETURNING clause)");
}

bool Result::advance() {
  if (!buffered_.empty() || !cursor_) {
    if (buffered_pos_ >= buffered_.size()) return false;
    current_.values_ = std::move(buffered_[buffered_pos_++]);
    current_.conform();
    return true;
  }
  if (cursor_->fetch(current_.values_)) {
    current_.conform();
    return true;
  }
  close();
  return false;
}

Result::iterator& Result::iterator::operator++() {
  if (result_ && !result_->advance()) result_ = nullptr;
  return *this;
}

std::optional<Row> Result::fetchone() {
  need_rows();
  if (!advance()) return std::nullopt;
  return current_;
}

std::vector<Row> Result::fetchmany(std::size_t n) {
  need_rows();
  std::vector<Row> out;
  while (out.size() < n && advance()) out.push_back(current_);
  return out;
}

std::vector<Row> Result::all() {
  need_rows();
  std::vector<Row> out;
  while (advance()) out.push_back(current_);
  return out;
}

Row Result::one() {
  auto row = one_or_none();
  if (!row) throw NoResultFound("one(): the query returned no rows");
  return *row;
}

std::optional<Row> Result::one_or_none() {
  need_rows();
  if (!advance()) return std::nullopt;
  Row row = current_;
  if (advance()) {
    close();
    throw MultipleResultsFound("one(): the query returned more than one row");
  }
  return row;
}

std::optional<Row> Result::first() {
  need_rows();
  std::optional<Row> row;
  if (advance()) row = current_;
  close();
  return row;
}

std::vector<std::map<std::string, Value>> Result::mappings() {
  need_rows();
  std::vector<std::map<std::string, Value>> out;
  while (advance()) out.push_back(current_.mapping());
  return out;
}

}  // namespace retort::core
