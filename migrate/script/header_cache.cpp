// The header cache file: one line per revision file, tab-separated, with \t \n \\ escaped.
#include <retort/migrate/script/header_cache.hpp>

#include <fstream>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace retort::migrate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "retort-headers 1";

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::vector<std::string> list_of(const std::string& field) {
  if (field.empty()) return {};
  std::vector<std::string> out;
  for (auto& item : split(field, ',')) out.push_back(unescape(item));
  return out;
}

std::string field_of(const std::vector<std::string>& items) {
  std::vector<std::string> escaped;
  for (const auto& i : items) escaped.push_back(escape(i));
  return fmt::format("{}", fmt::join(escaped, ","));
}

}  // namespace

HeaderCache::HeaderCache(fs::path directory) : directory_(std::move(directory)) {
  std::ifstream in(directory_ / kFileName, std::ios::binary);
  if (!in) return;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  auto lines = split(text, '\n');
  if (lines.empty() || lines.front() != kMagic) return;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    auto f = split(lines[i], '\t');
    if (f.size() != 10) {  // damaged: forget it all, it will be rebuilt
      entries_.clear();
      dirty_ = true;
      return;
    }
    Entry e;
    try {
      e.stamp.size = std::stoll(f[1]);
      e.stamp.mtime_ns = std::stoll(f[2]);
    } catch (const std::exception&) {
      entries_.clear();
      dirty_ = true;
      return;
    }
    e.revision.id = unescape(f[3]);
    e.revision.down_revisions = list_of(f[4]);
    e.revision.branch_labels = list_of(f[5]);
    e.revision.depends_on = list_of(f[6]);
    e.revision.message = unescape(f[7]);
    e.revision.create_date = unescape(f[8]);
    e.revision.transactional = f[9] == "1";
    e.revision.path = directory_ / unescape(f[0]);
    entries_.emplace(unescape(f[0]), std::move(e));
  }
}

const Revision* HeaderCache::find(const std::string& name, const Stamp& stamp) const {
  auto it = entries_.find(name);
  if (it == entries_.end() || !(it->second.stamp == stamp)) return nullptr;
  return &it->second.revision;
}

void HeaderCache::put(const std::string& name, const Stamp& stamp, const Revision& revision) {
  entries_[name] = Entry{stamp, revision};
  dirty_ = true;
}

void HeaderCache::save(const std::map<std::string, bool>& present) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!present.count(it->first)) {
      it = entries_.erase(it);
      dirty_ = true;
    } else {
      ++it;
    }
  }
  if (!dirty_) return;
  std::string text(kMagic);
  text += '\n';
  for (const auto& [name, e] : entries_) {
    const auto& r = e.revision;
    text += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", escape(name), e.stamp.size, e.stamp.mtime_ns,
                        escape(r.id), field_of(r.down_revisions), field_of(r.branch_labels),
                        field_of(r.depends_on), escape(r.message), escape(r.create_date),
                        r.transactional ? 1 : 0);
  }
  // Write beside, then rename: a concurrent reader sees the old or the new file, never half.
  fs::path tmp = directory_ / fmt::format("{}.{}.tmp", kFileName, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;  // read-only folder: run without a cache
    out << text;
    if (!out) return;
  }
  std::error_code ec;
  fs::rename(tmp, directory_ / kFileName, ec);
  if (ec) fs::remove(tmp, ec);
  dirty_ = false;
}

}  // namespace retort::migrate
