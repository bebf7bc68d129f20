// The library version.
#pragma once

namespace retort::core {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace retort::core
