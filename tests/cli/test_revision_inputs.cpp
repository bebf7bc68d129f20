// What init, revision and merge are given, through the real binary: an empty init directory, a
// revision id or label that is not one, a line break meant to start a header line. Each is
// refused (or a message folded to one line) before anything is written, and post-write hooks
// run without a shell, whatever the project's path holds.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
namespace fs = std::filesystem;

namespace {

using retort::testing::contains;

/// Every file below `dir`, relative to it: a refused command leaves the same set.
std::set<std::string> files_below(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (!e.is_directory()) out.insert(fs::relative(e.path(), dir).string());
  return out;
}

/// Whether a file named `name` is anywhere below `dir`.
bool file_named_below(const fs::path& dir, const std::string& name) {
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename() == name) return true;
  return false;
}

std::size_t lines_starting_with(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += line.rfind(prefix, 0) == 0;
  return n;
}

std::size_t line_count(const std::string& text) { return lines_starting_with(text, ""); }

/// The path in `retort revision`'s "Generated PATH" line.
std::string generated_path(const std::string& output) {
  auto p = output.find("Generated ");
  REQUIRE(p != std::string::npos);
  auto end = output.find('\n', p);
  return output.substr(p + 10, end == std::string::npos ? std::string::npos : end - p - 10);
}

/// Runs `args`, which must fail with `exit_code` and a short message holding every one of
/// `parts`, and leave every file below the project's root as it was.
void expect_refused(const CliProject& project, const std::string& args, const std::vector<std::string>& parts,
                    int exit_code) {
  auto before = files_below(project.root());
  auto r = project.retort(args);
  INFO("retort " << args << "\n" << r.output);
  CHECK(r.exit_code == exit_code);
  CHECK(line_count(r.output) <= 3);
  for (const auto& p : parts) CHECK(contains(r.output, p));
  CHECK(files_below(project.root()) == before);
}

}  // namespace

TEST_CASE("cli: init refuses an empty directory and never replaces a file", "[cli][sqlite]") {
  CliProject project;
  // The project's own files, edited so that a rewrite would show.
  const auto config = project.dir() / "retort.toml";
  project.write_file(config, project.read_file(config) + "# edited by the test\n");
  project.write_file(project.root() / "afile", "not a directory\n");
  const auto before = files_below(project.root());
  const auto config_text = project.read_file(config);

  // `retort init "$UNSET"` in a script: a usage error, not the working folder.
  auto empty = project.retort("init ''");
  INFO(empty.output);
  CHECK(empty.exit_code == 2);
  CHECK(contains(empty.output, "the directory is empty"));
  CHECK(project.shell("retort init \"$RETORT_TEST_NO_SUCH_VARIABLE\"").exit_code == 2);
  // A folder with files in it, and a file where the folder would be.
  auto here = project.retort("init .");
  INFO(here.output);
  CHECK(here.exit_code == 1);
  CHECK(contains(here.output, "is not empty"));
  auto file = run_command(retort_binary() + " init afile", project.root());
  INFO(file.output);
  CHECK(file.exit_code == 1);
  CHECK(contains(file.output, "is not a directory"));

  CHECK(project.read_file(config) == config_text);
  CHECK(files_below(project.root()) == before);
}

TEST_CASE("cli: revision and merge refuse a bad --rev-id before writing anything", "[cli][sqlite]") {
  CliProject project;
  project.ok("revision -m first --rev-id first1");
  project.ok("history");  // the header cache exists: only a new revision file could differ

  const std::string rule = "ids are 1 to 32 ASCII letters, digits or '_'";
  const std::string outside = (project.root() / "outside").string();
  const std::vector<std::pair<std::string, std::string>> ids = {
      {"../../x", "contains '.'"},              // the file would land in the project's folder
      {outside, "contains '/'"},                // an absolute path: outside the project
      {"a b", "contains a blank"},              // a file every later command would fail on
      {"release-1", "contains '-'"},            // `upgrade release-1` would mean "release minus one"
      {std::string(33, 'a'), "33 characters"},  // the version column is VARCHAR(32)
      {"", "the revision id is empty"}};
  for (const auto& [id, says] : ids) {
    std::vector<std::string> parts = {says, rule};
    if (!id.empty()) parts.push_back("'" + id + "'");  // the message names the value
    expect_refused(project, "revision -m second --rev-id " + shell_quote(id), parts, 2);
  }
  for (const char* reserved : {"head", "heads", "base"})
    expect_refused(project, std::string("revision -m second --rev-id ") + reserved,
                   {"'" + std::string(reserved) + "'", "reserved"}, 2);
  // Refused by the library too, with the project read: an id already used.
  expect_refused(project, "revision -m again --rev-id first1", {"first1", "already exists"}, 1);

  // merge takes the same ids.
  project.ok("revision -m side --rev-id side1 --head base");
  expect_refused(project, "merge heads -m joined --rev-id " + shell_quote("../joined"), {"contains '.'", rule}, 2);
  expect_refused(project, "merge heads -m joined --rev-id join-1", {"contains '-'"}, 2);
  project.ok("merge heads -m joined --rev-id joined1");

  // The longest id is fine, and every command still reads the project.
  project.ok("revision -m long --rev-id " + std::string(32, 'b'));
  CHECK(contains(project.ok("history"), std::string(32, 'b')));
}

TEST_CASE("cli: revision refuses bad branch labels, --head and --depends-on values", "[cli][sqlite]") {
  CliProject project;
  project.ok("revision -m first --rev-id first1 --branch-label trunk");
  project.ok("history");

  const std::string revision = "revision -m second --rev-id second1 ";
  const std::vector<std::pair<std::string, std::string>> labels = {
      {"a b", "contains a blank"}, {"a,b", "contains ','"},  // a comma is refused, not split
      {"a@b", "contains '@'"},     {"a:b", "contains ':'"}, {"a+b", "contains '+'"}, {"rel-1", "relative step"},
      {"head", "reserved"},        {"heads", "reserved"},   {"base", "reserved"},    {"", "a branch label is empty"},
      {"x\t", "contains a tab"}};
  for (const auto& [label, says] : labels)
    expect_refused(project, revision + "--branch-label " + shell_quote(label), {"--branch-label", says}, 2);

  // What needs the project: labels and ids in use, or a label twice.
  expect_refused(project, revision + "--branch-label trunk", {"'trunk'", "already used"}, 1);
  expect_refused(project, revision + "--branch-label first1", {"'first1'", "also a revision id"}, 1);
  expect_refused(project, revision + "--branch-label second1", {"'second1'", "also a revision id"}, 1);
  expect_refused(project, revision + "--branch-label x1 --branch-label x1", {"'x1'", "given twice"}, 1);
  expect_refused(project, "revision -m second --rev-id trunk", {"trunk", "already a branch label"}, 1);

  // --head and --depends-on: an unset variable would have made a new base.
  expect_refused(project, revision + "--head ''", {"--head", "is empty"}, 2);
  expect_refused(project, revision + "--depends-on ''", {"--depends-on", "is empty"}, 2);
  expect_refused(project, revision + "--head nosuch", {"nosuch"}, 1);
  expect_refused(project, revision + "--depends-on nosuch", {"nosuch"}, 1);
  expect_refused(project, revision + "--head base --head first1", {"--head base", "first1"}, 2);

  // A revision template that drops the branch_labels line: the file does not read back as
  // asked, so it is not kept.
  const auto tmpl = project.dir() / "migrations" / "revision.sql.tmpl";
  const auto original = project.read_file(tmpl);
  auto without_labels = original;
  auto line = without_labels.find("-- retort:branch_labels");
  REQUIRE(line != std::string::npos);
  without_labels.erase(line, without_labels.find('\n', line) - line + 1);
  project.write_file(tmpl, without_labels);
  expect_refused(project, "revision -m other --rev-id other1 --head base --branch-label other",
                 {"does not read back", "not kept"}, 1);
  project.write_file(tmpl, original);

  // What stays allowed: a '-' that is not before a digit, a new base with a label.
  project.ok("revision -m other --rev-id other1 --head base --branch-label my-branch");
  project.ok("revision -m next --rev-id next1 --head my-branch@head --depends-on trunk");
  CHECK(contains(project.ok("history"), "next1"));
}

TEST_CASE("cli: a line break in a message or label cannot start a header line", "[cli][sqlite]") {
  CliProject project;
  auto db = CliDatabase::create(Backend::sqlite, project.root());
  REQUIRE(static_cast<bool>(db));
  project.set_url(db->url());

  // An injected `-- retort:upgrade` section: folded into the one message line instead.
  auto path = generated_path(
      project.ok("revision --rev-id m1 -m $'first line\\n-- retort:upgrade\\nCREATE TABLE injected (id INTEGER);"
                 "\\r\\n  second'"));
  auto text = project.read_file(path);
  INFO(text);
  CHECK(contains(text, "-- retort:message first line -- retort:upgrade CREATE TABLE injected (id INTEGER); second\n"));
  CHECK(lines_starting_with(text, "-- retort:") == 9);  // the template's 7 header lines and 2 sections
  CHECK(lines_starting_with(text, "-- retort:upgrade") == 1);
  CHECK(contains(project.ok("history"), "first line -- retort:upgrade"));
  project.ok("upgrade head");
  CHECK_FALSE(db->has_table("injected"));

  // A label cannot hold a line break (or a carriage return): refused, nothing written.
  expect_refused(project, "revision -m x --rev-id m2 --branch-label $'x\\n-- retort:upgrade'",
                 {"--branch-label", "line break"}, 2);
  expect_refused(project, "revision -m x --rev-id m2 --branch-label $'x\\ry'", {"carriage return"}, 2);

  // merge -m is folded the same way.
  project.ok("revision -m side --rev-id m2 --head base");
  auto merged = project.read_file(
      generated_path(project.ok("merge heads --rev-id m3 -m $'joined\\n-- retort:downgrade\\nDROP TABLE t;'")));
  INFO(merged);
  CHECK(contains(merged, "-- retort:message joined -- retort:downgrade DROP TABLE t;\n"));
  CHECK(lines_starting_with(merged, "-- retort:downgrade") == 1);
  project.ok("upgrade head");
  CHECK(db->version_rows() == std::vector<std::string>{"m3"});
}

TEST_CASE("cli: post-write hooks run without a shell, whatever the project's path holds", "[cli][sqlite]") {
  CliProject project;
  // A folder name that breaks out of the quotes a shell command line would put around the path.
  const auto folder = project.root() / "a'$(touch pwned)'b";
  fs::create_directories(folder);
  REQUIRE(run_command(retort_binary() + " init proj", folder).exit_code == 0);
  const auto dir = folder / "proj";
  const auto original = project.read_file(dir / "retort.toml");
  REQUIRE(contains(original, "# post_write_hooks = "));
  auto set_hooks = [&](const std::string& hooks) {
    auto config = original;
    config.replace(config.find("# post_write_hooks = "), 21, "post_write_hooks = ");
    auto at = config.find("post_write_hooks = ") + 19;
    config.replace(at, config.find('\n', at) - at, hooks);
    project.write_file(dir / "retort.toml", config);
  };
  auto retort = [&](const std::string& args) {
    auto r = run_command("unset RETORT_DATABASE_URL; " + retort_binary() + " " + args, dir);
    UNSCOPED_INFO("$ retort " << args << "  -> exit " << r.exit_code << "\n" << r.output);
    return r;
  };

  // {file} is one argument wherever it stands, quotes in the hook are honoured, and the path's
  // own quotes and $(...) are only characters.
  set_hooks(R"(["true {file}", "cp {file} {file}.bak", "sh -c 'cp \"$1\" \"$1.copy\"' hook {file}"])");
  auto ok = retort("revision -m hooked --rev-id h1");
  CHECK_FALSE(file_named_below(project.root(), "pwned"));
  REQUIRE(ok.exit_code == 0);
  const auto path = generated_path(ok.output);
  CHECK(fs::exists(path + ".bak"));
  CHECK(fs::exists(path + ".copy"));

  // A missing program is named; a failing one gives its exit status and what it said.
  set_hooks(R"(["retort-no-such-formatter -i {file}"])");
  auto missing = retort("revision -m missing --rev-id h2");
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.output, "post-write hook program 'retort-no-such-formatter' not found"));
  set_hooks(R"(["sh -c 'echo formatter broke >&2; exit 3'"])");
  auto failing = retort("revision -m failing --rev-id h3");
  CHECK(failing.exit_code == 1);
  CHECK(contains(failing.output, "exit status 3"));
  CHECK(contains(failing.output, "formatter broke"));

  CHECK_FALSE(file_named_below(project.root(), "pwned"));
}
