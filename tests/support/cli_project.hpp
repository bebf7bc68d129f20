// A retort project in a fresh temporary folder for a CLI test: made with the real `retort init`,
// with helpers to write SQL revision files with chosen ids and parents, and to run the binary
// there against the test's database.
//
//   CliProject project;
//   project.write_revision({.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER)", .downgrade = "DROP TABLE t"});
//   auto r = project.retort("upgrade head");   // r.exit_code, r.output
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "support/cli_runner.hpp"

namespace retort::testing {

/// One SQL revision file's content.
struct RevisionSpec {
  // Every member has an initializer so that designated initializers may leave any out.
  std::string id = "";
  std::string down_revision = "";  // comma-separated; empty for a base
  std::string upgrade = "";        // statements, ';'-separated
  std::string downgrade = "";
  std::string message = "";
  std::string branch_labels = "";
  std::string depends_on = "";
  bool transactional = true;
};

class CliProject {
 public:
  CliProject() {
    static std::atomic<int> counter{0};
    const char* base = std::getenv("RETORT_TEST_TMPDIR");
    root_ = std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) /
            ("cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    dir_ = root_ / "project";
    auto r = run_command(retort_binary() + " init project", root_);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }
  ~CliProject() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  CliProject(const CliProject&) = delete;
  CliProject& operator=(const CliProject&) = delete;

  /// The folder holding the project (and SQLite files); the project is root()/project.
  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path versions() const { return dir_ / "migrations" / "versions"; }

  /// The database URL the commands get (through RETORT_DATABASE_URL).
  void set_url(std::string url) { url_ = std::move(url); }

  /// Runs `retort ARGS` in the project folder.
  CommandResult retort(const std::string& args) const {
    auto r = run_command(environment() + retort_binary() + " " + args, dir_);
    UNSCOPED_INFO("$ retort " << args << "  -> exit " << r.exit_code << "\n" << r.output);
    return r;
  }
  /// Runs a shell command line in the project folder; `retort` in it names the binary, with the URL set.
  CommandResult shell(const std::string& command_line) const {
    return run_command(environment() + "retort() { " + retort_binary() + " \"$@\"; }; " + command_line, dir_);
  }
  /// `retort ARGS`, which must succeed; returns its output.
  std::string ok(const std::string& args) const {
    auto r = retort(args);
    INFO("retort " << args << "\n" << r.output);
    REQUIRE(r.exit_code == 0);
    return r.output;
  }

  /// Writes versions/<id>.sql in the format.
  std::filesystem::path write_revision(const RevisionSpec& spec) const {
    std::ostringstream text;
    text << "-- retort:revision " << spec.id << "\n"
         << "-- retort:down_revision " << spec.down_revision << "\n"
         << "-- retort:branch_labels " << spec.branch_labels << "\n"
         << "-- retort:depends_on " << spec.depends_on << "\n"
         << "-- retort:message " << (spec.message.empty() ? "revision " + spec.id : spec.message) << "\n"
         << "-- retort:create_date 2026-11-24 10:00:00\n"
         << "-- retort:transactional " << (spec.transactional ? "true" : "false") << "\n\n"
         << "-- retort:upgrade\n"
         << spec.upgrade << (spec.upgrade.empty() ? "" : ";") << "\n\n"
         << "-- retort:downgrade\n"
         << spec.downgrade << (spec.downgrade.empty() ? "" : ";") << "\n";
    return write_file(versions() / (spec.id + ".sql"), text.str());
  }
  /// A C++ revision file: `upgrade` and `downgrade` are the bodies of its RETORT_UPGRADE(op) and
  /// RETORT_DOWNGRADE(op) steps (no downgrade step when empty); `extra` goes between the include
  /// and the steps. Line 8 is the upgrade body's first line (when `extra` is one line or empty).
  std::filesystem::path write_cpp_revision(const std::string& id, const std::string& down_revision,
                                           const std::string& upgrade, const std::string& downgrade,
                                           const std::string& extra = {}) const {
    std::string text = "// retort:revision " + id + "\n// retort:down_revision " + down_revision +
                       "\n// retort:message revision " + id + "\n\n#include <retort/migrate/cpp_revision.hpp>\n" +
                       extra + "\nRETORT_UPGRADE(op) {\n" + upgrade + "\n}\n";
    if (!downgrade.empty()) text += "\nRETORT_DOWNGRADE(op) {\n" + downgrade + "\n}\n";
    return write_file(versions() / (id + "_step.cpp"), text);
  }
  std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text) const {
    std::ofstream(path) << text;
    return path;
  }
  std::string read_file(const std::filesystem::path& path) const {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
  }

 private:
  std::string environment() const {
    return url_.empty() ? std::string("unset RETORT_DATABASE_URL; ")
                        : "export RETORT_DATABASE_URL=" + shell_quote(url_) + "; ";
  }

  std::filesystem::path root_, dir_;
  std::string url_;
};

}  // namespace retort::testing
