// A shared library opened at run time (dlopen). The dialects load their database client library
// (libpq, libmariadb) this way, on first use: a program that only ever talks to SQLite never maps
// those libraries and the TLS, LDAP and Kerberos libraries they pull in, whose loading and
// initialisers were most of the CLI's start-up time. A missing client library is then an error
// when the dialect is first used, naming the library and how to get it, not a failure to start.
#pragma once

#include <initializer_list>
#include <string>

namespace retort::core {

class SharedLibrary {
 public:
  /// Opens the first of `names` (sonames, most specific first) that loads. Throws InterfaceError
  /// saying what the library is for (`purpose`), the names tried and the loader's message.
  SharedLibrary(std::string purpose, std::initializer_list<const char*> names);
  /// Never unloads (the handle stays open when the object goes): client libraries keep
  /// thread-local state and exit handlers.
  ~SharedLibrary() = default;
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  /// The address of `name`; throws InterfaceError when the library does not export it (too old).
  void* symbol(const char* name) const;

  /// Sets `function` to the library's `name`, typed as the header declares it.
  template <class Function>
  void bind(Function*& function, const char* name) const {
    function = reinterpret_cast<Function*>(symbol(name));
  }

  const std::string& name() const noexcept { return name_; }

 private:
  std::string purpose_;
  std::string name_;
  void* handle_ = nullptr;
};

/// A table of a library's functions, loaded at once: `bind(library, table)` binds each member
/// (typically with RETORT_FUNCTION_BIND over an X-macro list of the names).
template <class Table, class Bind>
Table load_function_table(std::string purpose, std::initializer_list<const char*> names, Bind bind) {
  SharedLibrary library(std::move(purpose), names);
  Table table;
  bind(library, table);
  return table;
}

}  // namespace retort::core

/// A function-table member typed from the function's declaration in the library's header.
#define RETORT_FUNCTION_MEMBER(name) decltype(&::name) name = nullptr;
/// Binds that member (inside a load_function_table binder taking `library` and `table`).
#define RETORT_FUNCTION_BIND(name) library.bind(table.name, #name);
