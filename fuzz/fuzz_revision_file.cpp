// SQL revision files (migrate/script/revision_file.hpp): the header reader and both sections, read
// from a file holding the input; then a message folded to one line (as `revision -m` writes it)
// must read back unchanged, so no message can start a header line or a section. ScriptError is the
// documented answer to a bad file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_id.hpp>
#include <retort/migrate/script/revision_file.hpp>

#include "memory_file.hpp"

namespace migrate = retort::migrate;

namespace {

void read_whole_file(const std::string& path, bool backslash_escapes) {
  try {
    (void)migrate::read_sql_revision_header(path);
    (void)migrate::read_sql_revision_body(path, true, backslash_escapes);
    (void)migrate::read_sql_revision_body(path, false, backslash_escapes);
  } catch (const migrate::ScriptError&) {
  }
}

/// A header holding `message` (folded) reads back with exactly that message and one statement.
void message_round_trip(retort::fuzz::MemoryFile& file, const std::string& message) {
  const std::string folded = migrate::one_line_message(message);
  const std::string text = "-- retort:revision abc123\n-- retort:down_revision\n-- retort:message " + folded +
                           "\n-- retort:upgrade\nSELECT 1;\n-- retort:downgrade\n";
  const std::string& path = file.write(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  migrate::Revision rev;
  migrate::RevisionBody up;
  try {
    rev = migrate::read_sql_revision_header(path);
    up = migrate::read_sql_revision_body(path, true);
  } catch (const migrate::ScriptError&) {
    std::abort();  // a folded message broke the file
  }
  if (rev.message != folded || rev.id != "abc123" || up.statements.size() != 1) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static retort::fuzz::MemoryFile file;
  const std::string& path = file.write(data, size);
  read_whole_file(path, size > 0 && (data[0] & 1));
  message_round_trip(file, std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
