// INSERT ... ON CONFLICT, the upsert of PostgreSQL and SQLite (which share its syntax): a statement
// compiler base for their dialects, rendering the clause and excluded.column.
#pragma once

#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/upsert.hpp>

namespace retort::dialects {

class OnConflictCompiler : public core::SqlCompiler {
 public:
  using SqlCompiler::SqlCompiler;

 protected:
  void render_on_conflict(const core::OnConflictNode& n) override {
    write(" ON CONFLICT");
    if (!n.target.empty()) {
      write(" (");
      for (std::size_t i = 0; i < n.target.size(); ++i) write((i ? ", " : "") + quote(n.target[i]));
      write(")");
    }
    if (n.set.empty()) {
      write(" DO NOTHING");
      return;
    }
    write(" DO UPDATE SET ");
    render_assignments(n.set);
    if (n.where) {
      write(" WHERE ");
      process(*n.where);
    }
  }
  void render_excluded(const core::ExcludedNode& n) override { write("excluded." + quote(n.column)); }
};

}  // namespace retort::dialects
