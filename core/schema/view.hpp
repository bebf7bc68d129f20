// A declared view: its name and its SELECT, as SQL text the database runs as written. Views are
// made after the tables (create_all) and compared by autogenerate as normalised text.
#pragma once

#include <optional>
#include <string>

namespace retort::core {

struct View {
  std::string name{};
  std::string definition{};  // the SELECT, without CREATE VIEW ... AS
  std::optional<std::string> schema{};

  std::string fullname() const { return schema ? *schema + "." + name : name; }
};

}  // namespace retort::core
