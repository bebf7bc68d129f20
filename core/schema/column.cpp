// Column option setters.
#include <retort/core/schema/column.hpp>

namespace retort::core {

Column::Column(std::string name, SqlType type) : name_(std::move(name)), type_(std::move(type)) {
  if (name_.empty()) throw ArgumentError("a Column needs a name");
}

Column& Column::primary_key(bool value) {
  primary_key_ = value;
  return *this;
}
Column& Column::nullable(bool value) {
  nullable_ = value;
  return *this;
}
Column& Column::autoincrement(bool value) {
  autoincrement_ = value ? Autoincrement::Yes : Autoincrement::No;
  return *this;
}
Column& Column::identity(Identity value) {
  identity_ = value;
  return *this;
}
Column& Column::server_default(Value value) {
  server_default_ = literal(std::move(value), type_);
  return *this;
}
Column& Column::server_default(Expr expression) {
  if (!expression.valid()) throw ArgumentError("empty server_default for column " + name_);
  server_default_ = std::move(expression);
  return *this;
}
Column& Column::unique(bool value) {
  unique_ = value;
  return *this;
}
Column& Column::index(bool value) {
  index_ = value;
  return *this;
}
Column& Column::references(ForeignKey key) {
  if (key.target.find('.') == std::string::npos)
    throw ArgumentError("ForeignKey target '" + key.target + "' on column " + name_ + " must be written table.column");
  foreign_keys_.push_back(std::move(key));
  return *this;
}
Column& Column::comment(std::string text) {
  comment_ = std::move(text);
  return *this;
}
Column& Column::computed(Computed value) {
  computed_ = std::move(value);
  return *this;
}
Column& Column::dialect_option(std::string key, std::string value) {
  dialect_options_[std::move(key)] = std::move(value);
  return *this;
}
Column& Column::renamed_from(std::string old_name) {
  renamed_from_ = std::move(old_name);
  return *this;
}

}  // namespace retort::core
