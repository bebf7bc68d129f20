// What `revision` and `merge` may write into a new revision's header: the id (also the file
// name's start), branch labels and the message. Checked before anything is written, so that a
// bad value never becomes a file outside the project, or one that breaks every later command.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace retort::migrate {

/// The longest revision id: Alembic's version column is VARCHAR(32).
inline constexpr std::size_t kMaxRevisionIdLength = 32;

/// True for the words that targets reserve (head, heads, base, current): as an id or label
/// they could never be named.
bool is_reserved_revision_word(std::string_view word);

/// What is wrong with `id` as a new revision id, as a message naming it and the rule; empty
/// when nothing is. Ids are 1 to 32 ASCII letters, digits or '_': no '-' (`release-1` reads
/// as "release minus one"), and nothing a file name or a target gives a meaning to.
std::string revision_id_error(std::string_view id);
/// The same for a branch label: not empty or reserved, and none of the characters that
/// separate lists and targets (blanks and line breaks, ',', '@', ':', '+'), nor a '-' before
/// a digit (`feature-1` reads as "feature minus one").
std::string branch_label_error(std::string_view label);

/// Throw UsageError with revision_id_error / branch_label_error when it is not empty.
void check_revision_id(std::string_view id);
void check_branch_label(std::string_view label);

/// `message` as the one line its header holds: each line break (CR, LF, with the blanks
/// around it) becomes one space, other control characters a space, and the ends are trimmed.
std::string one_line_message(std::string_view message);

/// `value` for an error message: control characters and bytes such as NUL escaped (\n, \x00),
/// so that the message stays one line and is not cut.
std::string shown_value(std::string_view value);

}  // namespace retort::migrate
