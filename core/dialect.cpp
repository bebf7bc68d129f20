// Dialect defaults, the registry, and the generic dialect used to print statements.
#include <retort/core/dialect.hpp>

#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/type_compiler.hpp>

namespace retort::core {

std::unique_ptr<SqlCompiler> Dialect::statement_compiler() const { return std::make_unique<SqlCompiler>(*this); }
std::unique_ptr<DdlCompiler> Dialect::ddl_compiler() const { return std::make_unique<DdlCompiler>(*this); }
std::string Dialect::savepoint_sql(const std::string& name) const { return "SAVEPOINT " + preparer().quote(name); }
std::string Dialect::release_savepoint_sql(const std::string& name) const {
  return "RELEASE SAVEPOINT " + preparer().quote(name);
}
std::string Dialect::rollback_to_savepoint_sql(const std::string& name) const {
  return "ROLLBACK TO SAVEPOINT " + preparer().quote(name);
}
std::vector<std::string> Dialect::begin_statements(const std::optional<std::string>& isolation_level) const {
  if (!isolation_level) return {"BEGIN"};
  return {"BEGIN", "SET TRANSACTION ISOLATION LEVEL " + *isolation_level};
}

ReflectedSchema Dialect::reflect_schema(DriverConnection&, const std::optional<std::string>&,
                                        const ReflectOptions&) const {
  throw NotImplementedError("reflection is not implemented for the " + name() + " dialect");
}

std::vector<std::string> Dialect::schema_names(DriverConnection&) const {
  throw NotImplementedError("reflection is not implemented for the " + name() + " dialect");
}

namespace {
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

DialectRegistry& DialectRegistry::instance() {
  static DialectRegistry* registry = [] {
    auto* r = new DialectRegistry();  // never destroyed: dialects may be used at exit
    register_builtin_dialects(*r);
    return r;
  }();
  return *registry;
}

void DialectRegistry::add(const std::string& name, DialectFactory factory) {
  std::lock_guard lock(registry_mutex());
  factories_[name] = std::move(factory);
}

std::unique_ptr<Dialect> DialectRegistry::create(const std::string& name) const {
  std::lock_guard lock(registry_mutex());
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    std::vector<std::string> known;
    for (const auto& [k, v] : factories_) known.push_back(k);
    throw ArgumentError(fmt::format("unknown dialect '{}' (known: {})", name, fmt::join(known, ", ")));
  }
  return it->second();
}

std::vector<std::string> DialectRegistry::names() const {
  std::lock_guard lock(registry_mutex());
  std::vector<std::string> out;
  for (const auto& [k, v] : factories_) out.push_back(k);
  return out;
}

namespace {

class DefaultTypeCompiler final : public TypeCompiler {};

class DefaultDialect final : public Dialect {
 public:
  DefaultDialect() : preparer_('"', '"', common_reserved_words()) { features_.paramstyle = ParamStyle::Named; }
  std::string name() const override { return "default"; }
  std::string driver_name() const override { return "none"; }
  const IdentifierPreparer& preparer() const override { return preparer_; }
  const TypeCompiler& type_compiler() const override { return types_; }
  std::unique_ptr<DriverConnection> connect(const URL&) const override {
    throw ArgumentError("the default dialect only prints SQL; it cannot connect");
  }
  bool has_table(DriverConnection&, const std::string&, const std::optional<std::string>&) const override {
    throw ArgumentError("the default dialect cannot inspect a database");
  }

 private:
  IdentifierPreparer preparer_;
  DefaultTypeCompiler types_;
};

}  // namespace

std::unique_ptr<Dialect> make_default_dialect() { return std::make_unique<DefaultDialect>(); }

URL Dialect::read_only_url(const URL& url) const { return url; }

}  // namespace retort::core
