#include <retort/core/shared_library.hpp>

#include <dlfcn.h>

#include <fmt/format.h>

#include <retort/core/errors.hpp>

namespace retort::core {

SharedLibrary::SharedLibrary(std::string purpose, std::initializer_list<const char*> names)
    : purpose_(std::move(purpose)) {
  std::string tried;
  std::string last_error;
  for (const char* candidate : names) {
    // RTLD_LOCAL: the client library's symbols stay out of the global namespace, so a program
    // that links its own copy of libpq or libmariadb is not disturbed.
    handle_ = ::dlopen(candidate, RTLD_NOW | RTLD_LOCAL);
    if (handle_) {
      name_ = candidate;
      return;
    }
    if (const char* e = ::dlerror()) last_error = e;
    tried += tried.empty() ? candidate : fmt::format(", {}", candidate);
  }
  throw InterfaceError(fmt::format("{} needs its client library, which could not be loaded (tried {}): {}", purpose_,
                                   tried, last_error));
}

void* SharedLibrary::symbol(const char* name) const {
  ::dlerror();  // clear any earlier error: dlsym reports through it
  void* address = ::dlsym(handle_, name);
  if (!address) {
    const char* e = ::dlerror();
    throw InterfaceError(fmt::format("{}: {} does not export {} (the installed library is too old?){}{}", purpose_,
                                     name_, name, e ? ": " : "", e ? e : ""));
  }
  return address;
}

}  // namespace retort::core
