// Dialect defaults, the registry, and the generic dialect used to print statements.
#include <retort/core/dialect.hpp>

#include <mutex>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <retort/core/ddl/ddl_compiler.hpp>
#include <retort/core/dialect_entry_points.hpp>
#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>
#include <retort/core/reflection/reflected.hpp>
#include <retort/core/sql/compiler.hpp>
#include <retort/core/sql/type_compiler.hpp>

// Weak: a dialect that the program does not link is a null address, not a link error.
#pragma weak retort_register_sqlite_dialect
#pragma weak retort_register_postgresql_dialect
#pragma weak retort_register_mysql_dialect

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

struct LinkableDialect {
  const char* component;  // the CMake component and target: retort::<component>
  void (*entry)(DialectRegistry&);
  std::vector<std::string_view> names;  // what a URL's drivername starts with
};

const std::vector<LinkableDialect>& linkable_dialects() {
  static const std::vector<LinkableDialect> all{
      {"sqlite", retort_register_sqlite_dialect, {"sqlite"}},
      {"postgresql", retort_register_postgresql_dialect, {"postgresql", "postgres"}},
      {"mysql", retort_register_mysql_dialect, {"mysql", "mariadb"}},
  };
  return all;
}

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

DialectRegistry& DialectRegistry::instance() {
  static DialectRegistry* registry = [] {
    auto* r = new DialectRegistry();  // never destroyed: dialects may be used at exit
    for (const auto& dialect : linkable_dialects())
      if (dialect.entry != nullptr) dialect.entry(*r);
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
    std::string_view base = std::string_view(name).substr(0, name.find('+'));
    for (const auto& dialect : linkable_dialects())
      for (auto prefix : dialect.names)
        if (base == prefix && dialect.entry == nullptr)
          throw ArgumentError(fmt::format(
              "the {} dialect is not linked into this program: link the CMake target retort::{} "
              "(find_package(retort COMPONENTS {})), or retort::retort, which has every dialect retort was built with",
              dialect.component, dialect.component, dialect.component));
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
