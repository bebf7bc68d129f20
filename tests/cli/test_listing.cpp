// Listing commands through the real binary: history (text, json, dot, ranges), heads --format
// json, branches, show; and the project commands: init (refusing a non-empty folder),
// list-templates, and the URL precedence --url > RETORT_DATABASE_URL > retort.toml.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

using namespace retort::testing;
using Rows = std::vector<std::string>;

namespace {

using retort::testing::contains;

/// base <- b (branch point) <- {c, f [label feat]} <- m (merge); d depends on f and follows c.
void write_graph(const CliProject& project) {
  project.write_revision({.id = "aaa000000001", .upgrade = "", .downgrade = "", .message = "base"});
  project.write_revision({.id = "bbb000000002",
                          .down_revision = "aaa000000001",
                          .upgrade = "",
                          .downgrade = "",
                          .message = "branch point"});
  project.write_revision(
      {.id = "ccc000000003", .down_revision = "bbb000000002", .upgrade = "", .downgrade = "", .message = "main"});
  project.write_revision({.id = "fff000000003",
                          .down_revision = "bbb000000002",
                          .upgrade = "",
                          .downgrade = "",
                          .message = "feature \"quoted\"",
                          .branch_labels = "feat"});
  project.write_revision({.id = "ddd000000004",
                          .down_revision = "ccc000000003",
                          .upgrade = "",
                          .downgrade = "",
                          .message = "needs feature",
                          .depends_on = "fff000000003"});
  project.write_revision({.id = "eee000000005",
                          .down_revision = "ddd000000004, fff000000003",
                          .upgrade = "",
                          .downgrade = "",
                          .message = "merge"});
}

/// Whether `text` is valid JSON (checked by Python's json module).
bool valid_json(const CliProject& project, const std::string& text) {
  project.write_file(project.root() / "out.json", text);
  return run_command("python3 -m json.tool out.json > /dev/null", project.root()).exit_code == 0;
}

}  // namespace

TEST_CASE("cli: history as text and json and dot with ranges", "[cli][sqlite]") {
  CliProject project;
  write_graph(project);
  auto text = project.ok("history");
  CHECK(text.find("-> eee000000005") < text.find("-> ddd000000004"));
  // The merge carries the label of the branch it closes, as in Alembic's listing.
  CHECK(contains(text, "ddd000000004, fff000000003 -> eee000000005 (feat) (head) (mergepoint), merge"));
  CHECK(contains(text, "bbb000000002 (branchpoint), branch point"));
  CHECK(contains(text, "(feat)"));

  auto json = project.ok("history --format json");
  CHECK(valid_json(project, json));
  CHECK(contains(json, "\"revision\": \"eee000000005\""));
  CHECK(contains(json, "\"down_revisions\": [\"ddd000000004\", \"fff000000003\"]"));
  CHECK(contains(json, "\"is_merge_point\": true"));
  CHECK(contains(json, "\"depends_on\": [\"fff000000003\"]"));
  CHECK(contains(json, "\"message\": \"feature \\\"quoted\\\"\""));

  auto dot = project.ok("history --format dot");
  CHECK(dot.rfind("digraph", 0) == 0);
  CHECK(contains(dot, "\"eee000000005\" -> \"ddd000000004\""));
  CHECK(contains(dot, "\"eee000000005\" -> \"fff000000003\""));
  CHECK(contains(dot, "\"ccc000000003\" -> \"bbb000000002\""));
  CHECK(contains(dot, "\"fff000000003\" -> \"bbb000000002\""));
  CHECK(contains(dot, "\"ddd000000004\" -> \"fff000000003\" [style=dashed]"));
  CHECK(dot.back() == '\n');
  CHECK(contains(dot, "}"));
  if (run_command("command -v dot", project.root()).exit_code == 0) {
    project.write_file(project.root() / "graph.dot", dot);
    CHECK(run_command("dot -Tsvg graph.dot > /dev/null", project.root()).exit_code == 0);
  }

  auto range = project.ok("history -r ccc0:eee0");
  CHECK(contains(range, "ccc000000003"));
  CHECK(contains(range, "ddd000000004"));
  CHECK_FALSE(contains(range, "-> bbb000000002"));
  CHECK_FALSE(contains(range, "-> aaa000000001"));
  auto upto = project.ok("history -r :bbb");
  CHECK(contains(upto, "-> aaa000000001"));
  CHECK_FALSE(contains(upto, "-> ccc000000003"));
  CHECK(contains(project.ok("history --verbose"), "Merges: ddd000000004, fff000000003"));
}

TEST_CASE("cli: heads and branches and show as text and json", "[cli][sqlite]") {
  CliProject project;
  write_graph(project);
  auto heads = project.ok("heads --format json");
  CHECK(valid_json(project, heads));
  CHECK(contains(heads, "\"revision\": \"eee000000005\""));
  CHECK(contains(heads, "\"is_head\": true"));
  CHECK_FALSE(contains(heads, "ddd000000004\", \"down"));
  CHECK_FALSE(contains(heads, "\"is_head\": false"));
  // The text forms of heads and branches are Alembic's.
  CHECK(project.ok("heads") == "eee000000005 (feat) (head)\n");
  CHECK(project.ok("branches") ==
        "bbb000000002 (branchpoint)\n"
        "             -> ccc000000003\n"
        "             -> fff000000003 (feat)\n\n");
  CHECK(contains(project.ok("history"), "ccc000000003 (fff000000003) -> ddd000000004, needs feature"));  // depends_on
  CHECK(valid_json(project, project.ok("branches --format json")));
  auto show = project.ok("show fff");
  CHECK(contains(show, "Rev: fff000000003"));
  CHECK(contains(show, "Branch names: feat"));
  CHECK(valid_json(project, project.ok("show feat --format json")));

  // A second head appears once a revision leaves the merge out.
  project.write_revision({.id = "ggg000000006", .down_revision = "ccc000000003", .upgrade = "", .downgrade = ""});
  auto two = project.ok("heads --format json");
  CHECK(valid_json(project, two));
  CHECK(contains(two, "eee000000005"));
  CHECK(contains(two, "ggg000000006"));
}

TEST_CASE("cli: init refuses a non-empty folder and list-templates lists the templates", "[cli][sqlite]") {
  CliProject project;
  CHECK(std::filesystem::exists(project.dir() / "retort.toml"));
  CHECK(std::filesystem::is_directory(project.versions()));
  auto again = run_command(retort_binary() + " init project", project.root());
  CHECK(again.exit_code == 1);
  CHECK(contains(again.output, "not empty"));
  std::filesystem::create_directory(project.root() / "empty");
  CHECK(run_command(retort_binary() + " init empty --template multidb", project.root()).exit_code == 0);
  CHECK(std::filesystem::exists(project.root() / "empty" / "retort.toml"));
  auto unknown = run_command(retort_binary() + " init other --template nosuch", project.root());
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.output, "sql"));
  CHECK_FALSE(std::filesystem::exists(project.root() / "other"));

  auto templates = run_command(retort_binary() + " list-templates", project.root());
  CHECK(templates.exit_code == 0);
  for (const char* name : {"sql", "cpp", "multidb"}) CHECK(contains(templates.output, name));
}

TEST_CASE("cli: the cpp template's project writes C++ revisions that upgrade runs", "[cli][sqlite]") {
  CliProject project;
  REQUIRE(run_command(retort_binary() + " init cppproject --template cpp", project.root()).exit_code == 0);
  auto dir = project.root() / "cppproject";
  CHECK(contains(project.read_file(dir / "retort.toml"), "revision_format = \"cpp\""));
  auto r = run_command(retort_binary() + " revision -m first --rev-id c1", dir);
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.output, "Generated "));
  CHECK(std::filesystem::exists(dir / "migrations" / "versions" / "c1_first.cpp"));
  auto up = run_command("unset RETORT_DATABASE_URL; " + retort_binary() + " upgrade head", dir);
  INFO(up.output);
  CHECK(up.exit_code == 0);
  CHECK(contains(up.output, "-> c1, first"));
  // The sql template's project writes SQL revisions.
  CHECK(contains(project.ok("revision -m plain"), ".sql"));
}

TEST_CASE("cli: the URL comes from --url then RETORT_DATABASE_URL then retort.toml", "[cli][sqlite]") {
  CliProject project;
  project.write_revision({.id = "aaa000000001", .upgrade = "CREATE TABLE t (id INTEGER)", .downgrade = "DROP TABLE t"});
  auto config = project.read_file(project.dir() / "retort.toml");
  project.write_file(project.dir() / "retort.toml",
                     config + "\n[env.other]\nurl = \"sqlite:///" + (project.root() / "named.db").string() + "\"\n");
  auto url_of = [&](const char* name) { return "sqlite:///" + (project.root() / name).string(); };
  // The template's url is ${RETORT_DATABASE_URL:-sqlite:///app.db}: unset, app.db in the project.
  project.ok("upgrade head");
  CHECK(std::filesystem::exists(project.dir() / "app.db"));
  project.set_url(url_of("env.db"));
  project.ok("upgrade head");
  CHECK(std::filesystem::exists(project.root() / "env.db"));
  project.ok("--url " + url_of("flag.db") + " upgrade head");
  CHECK(std::filesystem::exists(project.root() / "flag.db"));
  project.set_url("");
  project.ok("-n other upgrade head");
  CHECK(std::filesystem::exists(project.root() / "named.db"));
  auto missing = project.retort("-n nosuch current");
  CHECK(missing.exit_code == 2);  // a configuration error
  CHECK(contains(missing.output, "[env.nosuch]"));
}
