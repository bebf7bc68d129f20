// Alembic 1.8.1's tests of the version rows (tests/test_version_table.py, UpdateRevTest and the
// row parts of TestMigrationContext), transcribed as facts: which INSERT, DELETE or UPDATE each
// stamp step makes, and the rows after it. Alembic runs these steps without a revision map; each
// test here gives HeadMaintainer a map that agrees with the steps.
#include <string>
#include <utility>
#include <vector>

#include "migrate/alembic_cases.hpp"

using namespace alembic_cases;
using retort::migrate::RevisionError;

namespace {

using Changes = std::vector<VersionChange>;

/// Alembic's _up(from, to, branch_presence_changed) and _down(...): stamp steps.
StampStep stamp_up(Ids from, Ids to, bool branch_move = false) {
  return StampStep{std::move(from), std::move(to), true, branch_move};
}
StampStep stamp_down(Ids from, Ids to, bool branch_move = false) {
  return StampStep{std::move(from), std::move(to), false, branch_move};
}

}  // namespace

// UpdateRevTest: test_update_none_to_single, test_update_single_to_single, test_update_single_to_none
TEST_CASE("alembic version rows: one branch appears, moves and goes", "[migrate]") {
  RevisionMap map({rev("a"), rev("b", {"a"})});
  HeadMaintainer rows(map, {});
  CHECK(rows.update_to_step(stamp_up({}, {"a"}, true)) == Changes{insert_row("a")});
  CHECK(rows.heads() == Heads{"a"});
  SECTION("test_update_single_to_single") {
    CHECK(rows.update_to_step(stamp_up({"a"}, {"b"})) == Changes{update_row("a", "b")});
    CHECK(rows.heads() == Heads{"b"});
  }
  SECTION("test_update_single_to_none") {
    CHECK(rows.update_to_step(stamp_down({"a"}, {}, true)) == Changes{delete_row("a")});
    CHECK(rows.heads().empty());
  }
}

// UpdateRevTest.test_add_branches
TEST_CASE("alembic version rows: branches are added", "[migrate]") {
  RevisionMap map({rev("a"), rev("b", {"a"}), rev("c"), rev("d", {"c"}), rev("e1", {"d"}), rev("e2", {"d"})});
  HeadMaintainer rows(map, {});
  CHECK(rows.update_to_step(stamp_up({}, {"a"}, true)) == Changes{insert_row("a")});
  CHECK(rows.update_to_step(stamp_up({"a"}, {"b"})) == Changes{update_row("a", "b")});
  CHECK(rows.update_to_step(stamp_up({}, {"c"}, true)) == Changes{insert_row("c")});
  CHECK(rows.heads() == Heads{"b", "c"});
  CHECK(rows.update_to_step(stamp_up({"c"}, {"d"})) == Changes{update_row("c", "d")});
  CHECK(rows.update_to_step(stamp_up({"d"}, {"e1"})) == Changes{update_row("d", "e1")});
  // A branch move: e2 is inserted beside e1.
  CHECK(rows.update_to_step(stamp_up({"d"}, {"e2"}, true)) == Changes{insert_row("e2")});
  CHECK(rows.heads() == Heads{"b", "e1", "e2"});
}

// UpdateRevTest.test_teardown_branches
TEST_CASE("alembic version rows: branches are torn down", "[migrate]") {
  RevisionMap map({rev("b"), rev("c", {"b"}), rev("d1", {"c"}), rev("d2", {"c"})});
  HeadMaintainer rows(map, {});
  CHECK(rows.update_to_step(stamp_up({}, {"d1"}, true)) == Changes{insert_row("d1")});
  CHECK(rows.update_to_step(stamp_up({}, {"d2"}, true)) == Changes{insert_row("d2")});
  CHECK(rows.heads() == Heads{"d1", "d2"});
  CHECK(rows.update_to_step(stamp_down({"d1"}, {"c"})) == Changes{update_row("d1", "c")});
  CHECK(rows.heads() == Heads{"c", "d2"});
  CHECK(rows.update_to_step(stamp_down({"d2"}, {"c"}, true)) == Changes{delete_row("d2")});
  CHECK(rows.heads() == Heads{"c"});
  CHECK(rows.update_to_step(stamp_down({"c"}, {"b"})) == Changes{update_row("c", "b")});
  CHECK(rows.heads() == Heads{"b"});
}

namespace {

/// a -> b -> {c1 -> d1, c2 -> d2}, merged by e.
RevisionMap merge_map() {
  return RevisionMap({rev("a"), rev("b", {"a"}), rev("c1", {"b"}), rev("c2", {"b"}), rev("d1", {"c1"}),
                      rev("d2", {"c2"}), rev("e", {"d1", "d2"})});
}

}  // namespace

// UpdateRevTest.test_resolve_merges: a merge deletes all but the last of its rows and updates that.
TEST_CASE("alembic version rows: a merge", "[migrate]") {
  auto map = merge_map();
  HeadMaintainer rows(map, {});
  CHECK(rows.update_to_step(stamp_up({}, {"a"}, true)) == Changes{insert_row("a")});
  CHECK(rows.update_to_step(stamp_up({"a"}, {"b"})) == Changes{update_row("a", "b")});
  CHECK(rows.update_to_step(stamp_up({"b"}, {"c1"})) == Changes{update_row("b", "c1")});
  CHECK(rows.update_to_step(stamp_up({"b"}, {"c2"}, true)) == Changes{insert_row("c2")});
  CHECK(rows.update_to_step(stamp_up({"c1"}, {"d1"})) == Changes{update_row("c1", "d1")});
  CHECK(rows.update_to_step(stamp_up({"c2"}, {"d2"})) == Changes{update_row("c2", "d2")});
  CHECK(rows.heads() == Heads{"d1", "d2"});
  CHECK(rows.update_to_step(stamp_up({"d1", "d2"}, {"e"})) == Changes{delete_row("d1"), update_row("d2", "e")});
  CHECK(rows.heads() == Heads{"e"});
}

// UpdateRevTest.test_unresolve_merges: an unmerge inserts all but the last and updates to that.
TEST_CASE("alembic version rows: an unmerge", "[migrate]") {
  auto map = merge_map();
  HeadMaintainer rows(map, {});
  CHECK(rows.update_to_step(stamp_up({}, {"e"}, true)) == Changes{insert_row("e")});
  CHECK(rows.update_to_step(stamp_down({"e"}, {"d1", "d2"})) == Changes{insert_row("d1"), update_row("e", "d2")});
  CHECK(rows.heads() == Heads{"d2", "d1"});
  CHECK(rows.update_to_step(stamp_down({"d2"}, {"c2"})) == Changes{update_row("d2", "c2")});
  CHECK(rows.heads() == Heads{"c2", "d1"});
}

// TestMigrationContext.test_get_heads, test_stamp_api_creates_table: two branches from no rows.
TEST_CASE("alembic version rows: two branches from none", "[migrate]") {
  RevisionMap map({rev("a"), rev("b")});
  HeadMaintainer rows(map, {});
  CHECK(rows.update_to_step(stamp_up({}, {"a"}, true)) == Changes{insert_row("a")});
  CHECK(rows.update_to_step(stamp_up({}, {"b"}, true)) == Changes{insert_row("b")});
  CHECK(rows.heads() == Heads{"a", "b"});
}

// UpdateRevTest.test_delete_no_match: Alembic counts the rows the DELETE matched; here the rows
// HeadMaintainer holds do not have the one to delete.
TEST_CASE("alembic version rows: deleting a row that is not there", "[migrate]") {
  RevisionMap map({rev("a"), rev("x")});
  HeadMaintainer rows(map, {});
  rows.update_to_step(stamp_up({}, {"a"}, true));
  CHECK_THROWS_AS(rows.update_to_step(stamp_down({"x"}, {}, true)), RevisionError);
}
