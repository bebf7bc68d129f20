#include <retort/migrate/revision_checksum.hpp>

#include <retort/migrate/script/embedded_revisions.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include <retort/migrate/errors.hpp>

namespace retort::migrate {

namespace {

class Fnv1a64 {
 public:
  void add(std::string_view bytes) { hash_ = fnv1a64(bytes, hash_); }
  unsigned long long value() const noexcept { return hash_; }

 private:
  unsigned long long hash_ = kFnvOffset;
};

}  // namespace

unsigned long long fnv1a64(std::string_view bytes, unsigned long long hash) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string checksum_text(unsigned long long hash) { return fmt::format("fnv1a64:{:016x}", hash); }

std::string revision_checksum_of_text(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  Fnv1a64 sum;
  std::size_t blank_lines = 0;  // held back: blank lines count only when text follows them
  while (!text.empty()) {
    auto end = text.find_first_of("\r\n");
    std::string_view line = text.substr(0, end);
    if (end == std::string_view::npos) {
      text = {};
    } else {
      bool crlf = text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n';
      text.remove_prefix(end + (crlf ? 2 : 1));
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) {
      ++blank_lines;
      continue;
    }
    for (; blank_lines > 0; --blank_lines) sum.add("\n");
    sum.add(line);
    sum.add("\n");
  }
  return checksum_text(sum.value());
}

std::string revision_checksum(const std::filesystem::path& path) {
  if (const auto* embedded = EmbeddedRevisions::instance().find_path(path.string()))
    return revision_checksum_of_text(embedded->text);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScriptError(fmt::format("{}: cannot read the revision file", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return revision_checksum_of_text(text.str());
}

}  // namespace retort::migrate
