// Alembic 1.8.1's tests of upgrade, downgrade and stamp plans (tests/test_version_traversal.py),
// transcribed as facts: for each graph, the steps `upgrade`/`downgrade`/`stamp` take from given
// version rows, and the rows HeadMaintainer leaves after running them. The graphs are Alembic's,
// listed in the order its tests create them (the order the revision map holds them in); where
// Alembic generates random ids, the ids here are the names its tests give the revisions.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "migrate/alembic_cases.hpp"

using namespace alembic_cases;
using retort::migrate::RangeNotAncestorError;
using retort::migrate::RevisionError;

namespace {

using Steps = std::vector<MigrationStep>;
using Changes = std::vector<VersionChange>;

/// MigrationTest._assert_upgrade: the plan, then the version rows after running it from `source`.
void assert_upgrade(const RevisionMap& map, const std::string& destination, const Ids& source, const Steps& expected,
                    const Heads& expected_heads) {
  INFO("upgrade to " << destination << " from " << joined(source));
  const Steps plan = map.upgrade_plan(destination, source);
  CHECK(plan == expected);
  HeadMaintainer rows(map, source);
  for (const auto& step : plan) rows.update_to_step(step);
  CHECK(rows.heads() == expected_heads);
}

/// MigrationTest._assert_downgrade.
void assert_downgrade(const RevisionMap& map, const std::string& destination, const Ids& source, const Steps& expected,
                      const Heads& expected_heads) {
  INFO("downgrade to " << destination << " from " << joined(source));
  const Steps plan = map.downgrade_plan(destination, source);
  CHECK(plan == expected);
  HeadMaintainer rows(map, source);
  for (const auto& step : plan) rows.update_to_step(step);
  CHECK(rows.heads() == expected_heads);
}

/// A stamp: its steps, the version-table statements they make from `source`, and the rows after.
void assert_stamp(const RevisionMap& map, const Ids& destinations, const Ids& source,
                  const std::vector<StampStep>& expected, const Changes& expected_changes,
                  const Heads& expected_heads) {
  INFO("stamp " << joined(destinations) << " from " << joined(source));
  const std::vector<StampStep> plan = map.stamp_plan(destinations, source);
  CHECK(plan == expected);
  HeadMaintainer rows(map, source);
  Changes changes;
  for (const auto& step : plan) {
    auto made = rows.update_to_step(step);
    changes.insert(changes.end(), made.begin(), made.end());
  }
  CHECK(changes == expected_changes);
  CHECK(rows.heads() == expected_heads);
}

}  // namespace

// RevisionPathTest: a -> b -> c -> d -> e, with Alembic's fixed ids.
TEST_CASE("alembic traversal: a straight line", "[migrate]") {
  const std::string a = "e6239818bb3a", b = "548bbb905360", c = "b7ea43dc85e4", d = "1bbe33445780", e = "3975fb1a0125";
  RevisionMap map({rev(a), rev(b, {a}), rev(c, {b}), rev(d, {c}), rev(e, {d})});

  SECTION("test_downgrade_base_no_version") { assert_downgrade(map, "base", {}, {}, {}); }
  SECTION("to the revision already there (test_downgrade_to_existing, Alembic issue #838)") {
    assert_downgrade(map, a, {a}, {}, {a});
  }
  SECTION("to the head already there (test_downgrade_to_existing_head, Alembic issue #839)") {
    assert_downgrade(map, e, {e}, {}, {e});
  }
  SECTION("test_upgrade_path") {
    assert_upgrade(map, e, {c}, {up(d), up(e)}, {e});
    assert_upgrade(map, c, {}, {up(a), up(b), up(c)}, {c});
  }
  SECTION("test_relative_upgrade_path") {
    assert_upgrade(map, "+2", {a}, {up(b), up(c)}, {c});
    assert_upgrade(map, "+1", {a}, {up(b)}, {b});
    assert_upgrade(map, "+3", {b}, {up(c), up(d), up(e)}, {e});
    assert_upgrade(map, b + "+2", {a}, {up(b), up(c), up(d)}, {d});
    assert_upgrade(map, d + "-2", {a}, {up(b)}, {b});
  }
  SECTION("test_invalid_relative_upgrade_path") {
    CHECK_THROWS_AS(map.upgrade_plan("-2", {b}), RevisionError);
    CHECK_THROWS_AS(map.upgrade_plan("+5", {b}), RevisionError);
  }
  SECTION("test_downgrade_path") {
    assert_downgrade(map, c, {e}, {down(e), down(d)}, {c});
    // Alembic passes None for base.
    assert_downgrade(map, "base", {c}, {down(c), down(b), down(a)}, {});
  }
  SECTION("test_relative_downgrade_path") {
    assert_downgrade(map, "-1", {c}, {down(c)}, {b});
    assert_downgrade(map, "-3", {e}, {down(e), down(d), down(c)}, {b});
    assert_downgrade(map, a + "+2", {d}, {down(d)}, {c});
    assert_downgrade(map, c + "-2", {d}, {down(d), down(c), down(b)}, {a});
  }
  SECTION("test_invalid_relative_downgrade_path") {
    CHECK_THROWS_AS(map.downgrade_plan("-5", {b}), RevisionError);
    CHECK_THROWS_AS(map.downgrade_plan("+2", {b}), RevisionError);
  }
  SECTION("to a revision that is not applied (test_invalid_move_rev_to_none)") {
    // Alembic resolves the three-character prefix 548 to b, then finds nothing to drop
    // (RangeNotAncestorError); either way the destination is not a valid downgrade target.
    const std::string prefix = b.substr(0, 3);
    CHECK_THROWS_AS(map.downgrade_plan(prefix, {}), RevisionError);
    CHECK_THROWS_WITH(map.downgrade_plan(prefix, {}), Catch::Contains(prefix));
  }
  SECTION("to a revision above the current one (test_invalid_move_higher_to_lower)") {
    const std::string prefix = c.substr(0, 4);
    CHECK_THROWS_AS(map.downgrade_plan(prefix, {b}), RangeNotAncestorError);
    CHECK_THROWS_WITH(map.downgrade_plan(prefix, {b}), Catch::Contains(prefix));
  }
  SECTION("test_stamp_to_base") {
    assert_stamp(map, {"base"}, {d}, {StampStep{{d}, {}, false, true}}, {delete_row(d)}, {});
  }
}

namespace {

/// BranchedPathTest: a -> b -> {c1 [c1branch] -> d1, c2 [c2branch] -> d2}.
RevisionMap branched() {
  return RevisionMap({rev("a"), rev("b", {"a"}), rev("c1", {"b"}, {"c1branch"}), rev("d1", {"c1"}),
                      rev("c2", {"b"}, {"c2branch"}), rev("d2", {"c2"})});
}

}  // namespace

// BranchedPathTest
TEST_CASE("alembic traversal: two labelled branches", "[migrate]") {
  auto map = branched();
  SECTION("stamp down to the branch point (test_stamp_down_across_multiple_branch_to_branchpoint)") {
    assert_stamp(map, {"b"}, {"d1", "c2"}, {StampStep{{"d1", "c2"}, {"b"}, false, false}},
                 {delete_row("d1"), update_row("c2", "b")}, {"b"});
  }
  SECTION("stamp a branch to its base (test_stamp_to_labeled_base_multiple_heads)") {
    assert_stamp(map, {"c1branch@base"}, {"d1", "c2"}, {StampStep{{"d1"}, {}, false, true}}, {delete_row("d1")},
                 {"c2"});
  }
  SECTION("stamp a branch to its head, the other stays (test_stamp_to_labeled_head_multiple_heads)") {
    assert_stamp(map, {"c2branch@head"}, {"d1", "c2"}, {StampStep{{"c2"}, {"d2"}, true, false}},
                 {update_row("c2", "d2")}, {"d1", "d2"});
  }
  SECTION("test_upgrade_single_branch") { assert_upgrade(map, "d1", {"b"}, {up("c1"), up("d1")}, {"d1"}); }
  SECTION("from one head to two (test_upgrade_multiple_branch)") {
    // Alembic's destination is the tuple (d1, d2): upgrade_plan takes one identifier, and d1, d2
    // are the heads.
    assert_upgrade(map, "heads", {"a"}, {up("b"), up("c2"), up("d2"), up("c1"), up("d1")}, {"d1", "d2"});
  }
  SECTION("test_downgrade_multiple_branch") {
    assert_downgrade(map, "a", {"d1", "d2"}, {down("d1"), down("c1"), down("d2"), down("c2"), down("b")}, {"a"});
  }
  SECTION("test_relative_upgrade") { assert_upgrade(map, "c2branch@head-1", {"b"}, {up("c2")}, {"c2"}); }
  SECTION("base+2 is b: everything above it comes down (test_relative_downgrade_baseplus2)") {
    assert_downgrade(map, "base+2", {"d2", "d1"}, {down("d1"), down("c1"), down("d2"), down("c2")}, {"b"});
  }
  SECTION("only the labelled branch comes down to base+2 (test_relative_downgrade_branchplus2)") {
    assert_downgrade(map, "c2branch@base+2", {"d2", "d1"}, {down("d2"), down("c2")}, {"d1"});
  }
  SECTION("c2branch@base+3 is c2 (test_relative_downgrade_branchplus3)") {
    assert_downgrade(map, "c2", {"d2", "d1"}, {down("d2")}, {"d1", "c2"});
    assert_downgrade(map, "c2branch@base+3", {"d2", "d1"}, {down("d2")}, {"d1", "c2"});
  }
  SECTION("downgrade -1 from two heads (test_downgrade_once_order_right, _right_unbalanced, _left, _left_unbalanced)") {
    // deliberate difference: Alembic warns that this is ambiguous and steps down the first head
    // listed (from d2, d1: down d2, leaving d1, c2); retort refuses.
    CHECK_THROWS_AS(map.downgrade_plan("-1", {"d2", "d1"}), RevisionError);
    CHECK_THROWS_AS(map.downgrade_plan("-1", {"c2", "d1"}), RevisionError);
    CHECK_THROWS_AS(map.downgrade_plan("-1", {"d1", "d2"}), RevisionError);
    CHECK_THROWS_AS(map.downgrade_plan("-1", {"c1", "d2"}), RevisionError);
  }
  SECTION("test_downgrade_once_order_left_unbalanced_labelled") {
    assert_downgrade(map, "c1branch@-1", {"d1", "d2"}, {down("d1")}, {"c1", "d2"});
  }
  SECTION("REV-1 whatever the order of the rows (test_downgrade_relative_order_right, _left, Alembic issue #765)") {
    assert_downgrade(map, "d2-1", {"d2", "c1"}, {down("d2")}, {"c1", "c2"});
    assert_downgrade(map, "d2-1", {"c1", "d2"}, {down("d2")}, {"c1", "c2"});
  }
  SECTION("a label picks the branch to downgrade (test_downgrade_single_branch_c1branch)") {
    assert_downgrade(map, "c1branch@b", {"c1", "d2"}, {down("c1")}, {"d2"});
  }
  SECTION("the label of a revision below the head (test_downgrade_single_branch_c1branch_from_d1_head)") {
    assert_downgrade(map, "c2branch@b", {"c1", "d2"}, {down("d2"), down("c2")}, {"c1"});
  }
  SECTION("a revision of the branch picks it (test_downgrade_single_branch_c2)") {
    assert_downgrade(map, "c2@b", {"d1", "d2"}, {down("d2"), down("c2")}, {"d1"});
  }
  SECTION("the head of the branch picks it (test_downgrade_single_branch_d1)") {
    assert_downgrade(map, "d1@b", {"d1", "d2"}, {down("d1"), down("c1")}, {"d2"});
  }
  SECTION("test_downgrade_relative_to_branch_head") {
    assert_downgrade(map, "c1branch@head-1", {"d1", "d2"}, {down("d1")}, {"c1", "d2"});
  }
  SECTION("LABEL@+1 from a branch point (test_upgrade_other_branch_from_mergepoint)") {
    assert_upgrade(map, "c2branch@+1", {"c1"}, {up("c2")}, {"c1", "c2"});
  }
  SECTION("LABEL@+1 moves that branch's head (test_upgrade_one_branch_of_heads)") {
    assert_upgrade(map, "c2branch@+1", {"c1", "c2"}, {up("d2")}, {"c1", "d2"});
  }
  SECTION("test_ambiguous_upgrade") { CHECK_THROWS_AS(map.upgrade_plan("+1", {"c1", "c2"}), RevisionError); }
  SECTION("test_upgrade_from_base") { assert_upgrade(map, "base+1", {}, {up("a")}, {"a"}); }
  SECTION("test_upgrade_from_base_implicit") { assert_upgrade(map, "+1", {}, {up("a")}, {"a"}); }
  SECTION("test_downgrade_minus1_to_base") { assert_downgrade(map, "-1", {"a"}, {down("a")}, {}); }
  SECTION("test_downgrade_minus1_from_base") { CHECK_THROWS_AS(map.downgrade_plan("-1", {}), RevisionError); }
  SECTION("to a revision already applied (test_downgrade_no_effect_branched)") {
    assert_downgrade(map, "c2", {"d1", "c2"}, {}, {"d1", "c2"});
    assert_downgrade(map, "d1", {"d1", "c2"}, {}, {"d1", "c2"});
  }
}

// BranchFromMergepointTest: a1 -> b1 -> c1, a2 -> b2 -> c2; d1 merges c1 and c2; c2 goes on to d2.
TEST_CASE("alembic traversal: a branch out of a merged revision", "[migrate]") {
  RevisionMap map({rev("a1"), rev("b1", {"a1"}), rev("c1", {"b1"}), rev("a2"), rev("b2", {"a2"}), rev("c2", {"b2"}),
                   rev("d1", {"c1", "c2"}), rev("d2", {"c2"})});
  SECTION("test_mergepoint_to_only_one_side_upgrade") {
    assert_upgrade(map, "d1", {"d2", "b1"}, {up("c1"), up("d1")}, {"d2", "d1"});
  }
  SECTION("test_mergepoint_to_only_one_side_downgrade") {
    assert_downgrade(map, "b1", {"d2", "d1"}, {down("d1"), down("c1")}, {"d2", "b1"});
  }
}

// BranchFrom3WayMergepointTest: three lines a -> b -> c; d1 merges the three c's; c2 goes on to
// d2 and c3 to d3.
TEST_CASE("alembic traversal: branches out of a three-way merge", "[migrate]") {
  RevisionMap map({rev("a1"), rev("b1", {"a1"}), rev("c1", {"b1"}), rev("a2"), rev("b2", {"a2"}), rev("c2", {"b2"}),
                   rev("a3"), rev("b3", {"a3"}), rev("c3", {"b3"}), rev("d1", {"c1", "c2", "c3"}), rev("d2", {"c2"}),
                   rev("d3", {"c3"})});
  SECTION("test_mergepoint_to_only_one_side_upgrade") {
    assert_upgrade(map, "d1", {"d3", "d2", "b1"}, {up("c1"), up("d1")}, {"d3", "d2", "d1"});
  }
  SECTION("test_mergepoint_to_only_one_side_downgrade") {
    assert_downgrade(map, "b1", {"d3", "d2", "d1"}, {down("d1"), down("c1")}, {"d3", "d2", "b1"});
  }
  SECTION("b2 and b1 merge into d1, then b2's line breaks out again (test_mergepoint_to_two_sides_upgrade)") {
    assert_upgrade(map, "d1", {"d3", "b2", "b1"}, {up("c2"), up("c1"), up("d1")}, {"d3", "d1"});
    assert_upgrade(map, "d2", {"d3", "d1"}, {up("d2")}, {"d3", "d2", "d1"});
  }
}

// TwinMergeTest (Alembic issue #297): two merges of the same three branches.
TEST_CASE("alembic traversal: two merges of the same branches", "[migrate]") {
  RevisionMap map({rev("a"), rev("b1", {"a"}), rev("b2", {"a"}), rev("b3", {"a"}), rev("c1", {"b1", "b2", "b3"}),
                   rev("c2", {"b1", "b2", "b3"}), rev("d1", {"c1"}), rev("d2", {"c2"})});
  // test_upgrade: the rows after each step.
  HeadMaintainer rows(map, {"a"});
  const std::vector<std::pair<MigrationStep, Heads>> steps{
      {up("b3"), {"b3"}}, {up("b1"), {"b1", "b3"}}, {up("b2"), {"b1", "b2", "b3"}}, {up("c2"), {"c2"}},
      {up("d2"), {"d2"}}, {up("c1"), {"c1", "d2"}}, {up("d1"), {"d1", "d2"}}};
  for (const auto& [step, heads] : steps) {
    INFO("after " << Catch::Detail::stringify(step));
    rows.update_to_step(step);
    CHECK(rows.heads() == heads);
  }
}

// NotQuiteTwinMergeTest: a variant of #297, the merges sharing one branch.
TEST_CASE("alembic traversal: two merges sharing a branch", "[migrate]") {
  RevisionMap map({rev("a"), rev("b1", {"a"}), rev("b2", {"a"}), rev("b3", {"a"}), rev("c1", {"b1", "b2"}),
                   rev("c2", {"b2", "b3"}), rev("d1", {"c1"}), rev("d2", {"c2"})});
  // test_upgrade
  HeadMaintainer rows(map, {"a"});
  const std::vector<std::pair<MigrationStep, Heads>> steps{
      {up("b2"), {"b2"}},       {up("b3"), {"b2", "b3"}}, {up("c2"), {"c2"}},      {up("d2"), {"d2"}},
      {up("b1"), {"b1", "d2"}}, {up("c1"), {"c1", "d2"}}, {up("d1"), {"d1", "d2"}}};
  for (const auto& [step, heads] : steps) {
    INFO("after " << Catch::Detail::stringify(step));
    rows.update_to_step(step);
    CHECK(rows.heads() == heads);
  }
}

// DependsOnBranchTestOne: c2 (on a2 -> b2) depends on c1 (on a1 [lib1] -> b1); c1 goes on to
// d1 -> e1 -> f1.
TEST_CASE("alembic traversal: a branch depending on another", "[migrate]") {
  RevisionMap map({rev("a1", {}, {"lib1"}), rev("b1", {"a1"}), rev("c1", {"b1"}), rev("a2"), rev("b2", {"a2"}),
                   rev("c2", {"b2"}, {}, {"c1"}), rev("d1", {"c1"}), rev("e1", {"d1"}), rev("f1", {"e1"})});
  SECTION("the row of the dependency is implied, not written (test_downgrade_to_dependency)") {
    HeadMaintainer rows(map, {"c2", "d1"});
    rows.update_to_step(down("d1"));
    CHECK(rows.heads() == Heads{"c2"});
  }
  SECTION("test_stamp_across_dependency") {
    const Ids heads{"e1", "c2"};
    HeadMaintainer rows(map, heads);
    for (const auto& step : map.stamp_plan({"b1"}, heads)) rows.update_to_step(step);
    CHECK(rows.heads() == Heads{"b1"});
  }
}

// DependsOnBranchTestTwo: a1, a2, a3 merged by amerge; b1, b2 by bmerge; c1, c2, c3 by cmerge;
// d1, a base of its own, depends on a3, b2 and c1.
TEST_CASE("alembic traversal: a revision depending on three merged branches", "[migrate]") {
  RevisionMap map({rev("a1"), rev("a2"), rev("a3"), rev("amerge", {"a1", "a2", "a3"}), rev("b1"), rev("b2"),
                   rev("bmerge", {"b1", "b2"}), rev("c1"), rev("c2"), rev("c3"), rev("cmerge", {"c1", "c2", "c3"}),
                   rev("d1", {}, {}, {"a3", "b2", "c1"})});
  // test_kaboom
  // b2 gets no row of its own: d1 implies it.
  assert_downgrade(map, "b2", {"amerge", "bmerge", "cmerge", "d1"}, {down("bmerge")}, {"amerge", "b1", "cmerge", "d1"});
  // Taking d1 away writes the row b2 that it implied.
  assert_downgrade(map, "d1@base", {"amerge", "d1", "b1", "cmerge"}, {down("d1")}, {"amerge", "b1", "b2", "cmerge"});
  assert_downgrade(map, "base", {"amerge", "b1", "b2", "cmerge"},
                   {down("amerge"), down("a1"), down("b1"), down("b2"), down("cmerge"), down("c1"), down("a2"),
                    down("a3"), down("c2"), down("c3")},
                   {});
}

// DependsOnBranchTestThree (Alembic issue #377): a1 -> a2 -> a3, b1 -> b2 -> b3; b2 depends on a2
// and a3 on b1.
TEST_CASE("alembic traversal: branches depending on each other crosswise", "[migrate]") {
  RevisionMap map({rev("a1"), rev("a2", {"a1"}), rev("b1"), rev("b2", {"b1"}, {}, {"a2"}), rev("b3", {"b2"}),
                   rev("a3", {"a2"}, {}, {"b1"})});
  // test_downgrade_over_crisscross: b1 stays applied, implied by a3.
  assert_downgrade(map, "b1", {"a3", "b2"}, {down("b2")}, {"a3"});
}

// DependsOnOwnDownrevTest (Alembic issue #843): a2 depends on its own down revision a1.
TEST_CASE("alembic traversal: a dependency on the down revision", "[migrate]") {
  RevisionMap map({rev("a1"), rev("a2", {"a1"}, {}, {"a1"})});
  SECTION("test_traverse") { assert_upgrade(map, "a2", {}, {up("a1"), up("a2")}, {"a2"}); }
  SECTION("test_traverse_down") { assert_downgrade(map, "a1", {"a2"}, {down("a2")}, {"a1"}); }
}

// DependsOnBranchTestFour (Alembic issue #789): b2 and b4 both depend on a3.
TEST_CASE("alembic traversal: a dependency an ancestor already has", "[migrate]") {
  RevisionMap map({rev("a1"), rev("a2", {"a1"}), rev("a3", {"a2"}), rev("b1"), rev("b2", {"b1"}, {}, {"a3"}),
                   rev("b3", {"b2"}), rev("b4", {"b3"}, {}, {"a3"})});
  // test_dependencies_are_normalized: no row for a3, which b3 still implies.
  assert_downgrade(map, "b3", {"b4"}, {down("b4")}, {"b3"});
}

// DependsOnBranchLabelTest: c2 depends on the label c1lib (of c1).
TEST_CASE("alembic traversal: a dependency on a branch label", "[migrate]") {
  RevisionMap map({rev("a1", {}, {"lib1"}), rev("b1", {"a1"}), rev("c1", {"b1"}, {"c1lib"}), rev("a2"),
                   rev("b2", {"a2"}), rev("c2", {"b2"}, {}, {"c1lib"}), rev("d1", {"c1"}), rev("e1", {"d1"}),
                   rev("f1", {"e1"})});
  // test_upgrade_path
  assert_upgrade(map, "c2", {"a2"}, {up("a1"), up("b1"), up("c1"), up("b2"), up("c2")}, {"c2"});
}

// ForestTest: two separate lines a1 -> b1 and a2 -> b2.
TEST_CASE("alembic traversal: two unrelated lines", "[migrate]") {
  RevisionMap map({rev("a1"), rev("b1", {"a1"}), rev("a2"), rev("b2", {"a2"})});
  SECTION("test_base_to_heads") {
    const Steps expected{up("a2"), up("b2"), up("a1"), up("b1")};
    CHECK(map.upgrade_plan("heads", {"base"}) == expected);
    CHECK(map.upgrade_plan("heads", {}) == expected);
  }
  SECTION("test_stamp_to_heads") {
    const auto plan = map.stamp_plan({"heads"}, {});
    std::set<Ids> written;
    for (const auto& step : plan) written.insert(step.to);
    CHECK(plan.size() == 2);
    CHECK(written == std::set<Ids>{{"b1"}, {"b2"}});
  }
  SECTION("test_stamp_to_heads_no_moves_needed") { CHECK(map.stamp_plan({"heads"}, {"b1", "b2"}).empty()); }
}

namespace {

/// MergedPathTest: a -> b -> {c1 -> d1, c2 [c2branch] -> d2}, merged by e -> f.
RevisionMap merged() {
  return RevisionMap({rev("a"), rev("b", {"a"}), rev("c1", {"b"}), rev("d1", {"c1"}), rev("c2", {"b"}, {"c2branch"}),
                      rev("d2", {"c2"}), rev("e", {"d1", "d2"}), rev("f", {"e"})});
}

}  // namespace

// MergedPathTest
TEST_CASE("alembic traversal: across a merge", "[migrate]") {
  auto map = merged();
  SECTION("test_stamp_down_across_merge_point_branch") {
    assert_stamp(map, {"c2"}, {"e"}, {StampStep{{"e"}, {"c2"}, false, false}}, {update_row("e", "c2")}, {"c2"});
  }
  SECTION("test_stamp_down_across_merge_prior_branching") {
    assert_stamp(map, {"a"}, {"e"}, {StampStep{{"e"}, {"a"}, false, false}}, {update_row("e", "a")}, {"a"});
  }
  SECTION("test_stamp_up_across_merge_from_single_branch") {
    assert_stamp(map, {"e"}, {"c2"}, {StampStep{{"c2"}, {"e"}, true, false}}, {update_row("c2", "e")}, {"e"});
  }
  SECTION("the labelled head is f, the head of d1 too (test_stamp_labled_head_across_merge_from_multiple_branch)") {
    assert_stamp(map, {"c2branch@head"}, {"d1", "c2"}, {StampStep{{"d1", "c2"}, {"f"}, true, false}},
                 {delete_row("d1"), update_row("c2", "f")}, {"f"});
  }
  SECTION("test_stamp_up_across_merge_from_multiple_branch") {
    assert_stamp(map, {"e"}, {"d1", "c2"}, {StampStep{{"d1", "c2"}, {"e"}, true, false}},
                 {delete_row("d1"), update_row("c2", "e")}, {"e"});
  }
  SECTION("test_stamp_up_across_merge_prior_branching") {
    assert_stamp(map, {"e"}, {"b"}, {StampStep{{"b"}, {"e"}, true, false}}, {update_row("b", "e")}, {"e"});
  }
  SECTION("test_upgrade_across_merge_point") {
    assert_upgrade(map, "f", {"b"}, {up("c2"), up("d2"), up("c1"), up("d1"), up("e"), up("f")}, {"f"});
  }
  SECTION("test_downgrade_across_merge_point") {
    assert_downgrade(map, "b", {"f"}, {down("f"), down("e"), down("d1"), down("c1"), down("d2"), down("c2")}, {"b"});
  }
}

// BranchedPathTestCrossDependencies: as BranchedPathTest, d2 also depending on c1.
TEST_CASE("alembic traversal: two labelled branches, one depending on the other", "[migrate]") {
  RevisionMap map({rev("a"), rev("b", {"a"}), rev("c1", {"b"}, {"c1branch"}), rev("d1", {"c1"}),
                   rev("c2", {"b"}, {"c2branch"}), rev("d2", {"c2"}, {}, {"c1"})});
  SECTION("the dependent branch comes down alone (test_downgrade_independent_branch)") {
    assert_downgrade(map, "c2branch@b", {"d1", "d2"}, {down("d2"), down("c2")}, {"d1"});
  }
  SECTION("the dependency takes its dependent down with it (test_downgrade_branch_dependency)") {
    const Ids source{"d1", "d2"};
    const Steps plan = map.downgrade_plan("c1branch@b", source);
    // Alembic checks only the partial order: d1 and d2 before c1.
    Ids ids;
    for (const auto& step : plan) {
      CHECK_FALSE(step.upgrade);
      ids.push_back(step.revision);
    }
    CHECK(set_of(ids) == Heads{"c1", "d1", "d2"});
    auto at = [&](const std::string& id) { return std::find(ids.begin(), ids.end(), id) - ids.begin(); };
    CHECK(at("d1") < at("c1"));
    CHECK(at("d2") < at("c1"));
    HeadMaintainer rows(map, source);
    for (const auto& step : plan) rows.update_to_step(step);
    CHECK(rows.heads() == Heads{"c2"});
  }
}
