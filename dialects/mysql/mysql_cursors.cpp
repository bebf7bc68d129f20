// Reading rows through the MySQL driver's cursors (see mysql_cursors.hpp).
#include <retort/dialects/mysql/mysql_cursors.hpp>

#include <cstddef>
#include <utility>

#include <retort/dialects/mysql/mysql_connection.hpp>

namespace retort::dialects::mysql::detail {

using core::Value;

// ---- TextCursor ------------------------------------------------------------------------------

TextCursor::TextCursor(ResultPtr res) : res_(std::move(res)) {
  unsigned n = mariadb().mysql_num_fields(res_.get());
  MYSQL_FIELD* fields = mariadb().mysql_fetch_fields(res_.get());
  for (unsigned i = 0; i < n; ++i) {
    names_.emplace_back(fields[i].name, fields[i].name_length);
    conversions_.push_back(classify(fields[i]));
    unsigned_.push_back((fields[i].flags & UNSIGNED_FLAG) != 0);
  }
}

bool TextCursor::fetch(std::vector<Value>& row) {
  if (!res_) return false;
  MYSQL_ROW r = mariadb().mysql_fetch_row(res_.get());
  if (!r) {
    close();
    return false;
  }
  unsigned long* lengths = mariadb().mysql_fetch_lengths(res_.get());
  row.resize(names_.size());
  for (std::size_t i = 0; i < names_.size(); ++i) row[i] = text_field(r[i], lengths[i], conversions_[i], unsigned_[i]);
  return true;
}

// ---- StatementCursor -------------------------------------------------------------------------

StatementCursor::StatementCursor(MySQLConnection* conn, StatementPtr stmt, std::string sql)
    : conn_(conn), stmt_(std::move(stmt)), sql_(std::move(sql)) {
  ResultPtr meta{mariadb().mysql_stmt_result_metadata(stmt_.get())};
  if (!meta) fail();
  unsigned n = mariadb().mysql_num_fields(meta.get());
  MYSQL_FIELD* fields = mariadb().mysql_fetch_fields(meta.get());
  columns_.resize(n);
  binds_.assign(n, MYSQL_BIND{});
  for (unsigned i = 0; i < n; ++i) {
    names_.emplace_back(fields[i].name, fields[i].name_length);
    prepare_result_column(fields[i], columns_[i], binds_[i]);
  }
  meta.reset();
  for (unsigned i = 0; i < n; ++i) {
    binds_[i].buffer = columns_[i].buffer.data();
    binds_[i].buffer_length = static_cast<unsigned long>(columns_[i].buffer.size());
    binds_[i].length = &columns_[i].length;
    binds_[i].is_null = &columns_[i].is_null;
    binds_[i].error = &columns_[i].error;
  }
  if (mariadb().mysql_stmt_store_result(stmt_.get()) || mariadb().mysql_stmt_bind_result(stmt_.get(), binds_.data()))
    fail();
}

void StatementCursor::fail() { conn_->fail_statement(std::move(stmt_), sql_); }

void StatementCursor::close() {
  if (!stmt_) return;
  conn_->release(std::move(stmt_), sql_);
}

bool StatementCursor::fetch(std::vector<Value>& row) {
  if (!stmt_) return false;
  int rc = mariadb().mysql_stmt_fetch(stmt_.get());
  if (rc == MYSQL_NO_DATA) {
    close();
    return false;
  }
  if (rc == 1) fail();
  if (rc == MYSQL_DATA_TRUNCATED) {
    // Fetch each long value again into a buffer of its size, and keep the bigger buffer
    // bound for the rows after it.
    bool grown = false;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      ResultColumn& c = columns_[i];
      if (c.is_null || c.length <= c.buffer.size()) continue;
      c.buffer.resize(c.length);
      binds_[i].buffer = c.buffer.data();
      binds_[i].buffer_length = static_cast<unsigned long>(c.buffer.size());
      if (mariadb().mysql_stmt_fetch_column(stmt_.get(), &binds_[i], static_cast<unsigned>(i), 0)) fail();
      grown = true;
    }
    if (grown && mariadb().mysql_stmt_bind_result(stmt_.get(), binds_.data())) fail();
  }
  row.resize(columns_.size());
  for (std::size_t i = 0; i < columns_.size(); ++i) row[i] = column_value(columns_[i]);
  return true;
}

}  // namespace retort::dialects::mysql::detail
