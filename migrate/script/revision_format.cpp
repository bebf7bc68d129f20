// The format registry: a short list searched by name or by file extension.
#include <retort/migrate/script/revision_format.hpp>

namespace retort::migrate {

RevisionFormats& RevisionFormats::instance() {
  // Registered explicitly on first use: static self-registration is dropped when linking a
  // static library.
  static RevisionFormats* formats = [] {
    auto* f = new RevisionFormats();
    f->add(sql_revision_format());
    f->add(cpp_revision_format());
    return f;
  }();
  return *formats;
}

void RevisionFormats::add(RevisionFormat format) {
  for (auto& f : formats_)
    if (f.name == format.name) {
      f = std::move(format);
      return;
    }
  formats_.push_back(std::move(format));
}

const RevisionFormat* RevisionFormats::find(std::string_view name) const {
  for (const auto& f : formats_)
    if (f.name == name) return &f;
  return nullptr;
}

const RevisionFormat* RevisionFormats::for_file(std::string_view file_name) const {
  for (const auto& f : formats_)
    if (file_name.size() > f.extension.size() && file_name.ends_with(f.extension)) return &f;
  return nullptr;
}

}  // namespace retort::migrate
