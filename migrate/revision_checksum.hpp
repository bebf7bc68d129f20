// The checksum of a revision file, to tell that an applied revision's file was edited later:
// 64-bit FNV-1a of the file's text normalised so that what does not change the SQL does not
// change the sum (a UTF-8 byte order mark, CRLF or CR line ends, blanks at line ends, blank
// lines at the end). A check against accidents, not against an attacker.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace retort::migrate {

/// 64-bit FNV-1a of `bytes`, continuing from `hash` (start with kFnvOffset).
inline constexpr unsigned long long kFnvOffset = 0xcbf29ce484222325ULL;
unsigned long long fnv1a64(std::string_view bytes, unsigned long long hash = kFnvOffset);
/// The form stored in tables: "fnv1a64:" and 16 hex digits.
std::string checksum_text(unsigned long long hash);

/// "fnv1a64:" and 16 hex digits.
std::string revision_checksum_of_text(std::string_view text);
/// The checksum of the file at `path`; ScriptError when it cannot be read.
std::string revision_checksum(const std::filesystem::path& path);

}  // namespace retort::migrate
