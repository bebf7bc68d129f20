// Small text helpers the tests share.
#pragma once

#include <string>
#include <string_view>

namespace retort::testing {

/// Whether `text` contains `part`.
inline bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace retort::testing
