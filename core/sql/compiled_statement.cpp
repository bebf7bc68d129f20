// stmt.compile(...), operator<< and the fmt formatter: compiling outside an Engine, for reading.
#include <retort/core/sql/compiled_statement.hpp>

#include <ostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/dialect.hpp>
#include <retort/core/engine/engine.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/sql/compiler.hpp>

namespace retort::core {

namespace {
std::shared_ptr<const Dialect> generic_dialect() {
  static const std::shared_ptr<const Dialect> dialect = make_default_dialect();
  return dialect;
}
}  // namespace

DialectSource::DialectSource() : owned_(generic_dialect()), dialect_(owned_.get()) {}
DialectSource::DialectSource(const Engine& engine) : dialect_(&engine.dialect()) {}
DialectSource::DialectSource(const Dialect& dialect) : dialect_(&dialect) {}
DialectSource::DialectSource(const std::string& name)
    : owned_(DialectRegistry::instance().create(name)), dialect_(owned_.get()) {}

CompiledStatement compile_statement(const NodePtr& node, const DialectSource& target, CompileOptions options) {
  if (!node) throw ArgumentError("compile(): empty statement");
  const Node& statement = *node;
  auto compiled = target.dialect().statement_compiler()->compile(statement, options);
  CompiledStatement out;
  out.sql = fmt::format("{}", fmt::join(compiled.statements(), ";\n"));
  std::vector<const BindParamNode*> binds;
  statement.collect_binds(binds);
  for (std::size_t i = 0; i < compiled.params.size(); ++i) {
    const auto& slot = compiled.params[i];
    // The name the placeholder was given (SqlCompiler::render_bind numbers the unnamed ones).
    std::string name = slot.name.empty() ? fmt::format("param_{}", i + 1) : slot.name;
    Value value;
    if (slot.has_value && slot.ordinal >= 0) value = *binds[static_cast<std::size_t>(slot.ordinal)]->value();
    out.params.set(std::move(name), std::move(value));
  }
  return out;
}

std::string generic_sql(const NodePtr& statement) { return compile_statement(statement).sql; }

std::ostream& print_statement(std::ostream& out, const NodePtr& statement) { return out << generic_sql(statement); }

}  // namespace retort::core
