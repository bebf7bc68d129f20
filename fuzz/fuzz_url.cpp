// Database URLs (core/engine/url.hpp): URL::parse, rendering, and mask_password on any text.
// ArgumentError is the documented answer to a malformed URL; anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <retort/core/engine/url.hpp>
#include <retort/core/errors.hpp>

using retort::core::URL;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)retort::core::mask_password(text);
  URL url;
  try {
    url = URL::parse(text);
  } catch (const retort::core::ArgumentError&) {
    return 0;
  }
  (void)url.drivername();
  (void)url.render();
  // The rendered form is what is handed to other programs: it must read back as the same URL.
  const std::string full = url.render_with_password();
  URL again;
  try {
    again = URL::parse(full);
  } catch (const retort::core::ArgumentError&) {
    std::abort();  // a parsed URL rendered into one that does not parse
  }
  if (!(again == url)) std::abort();  // rendered into a different URL
  return 0;
}
