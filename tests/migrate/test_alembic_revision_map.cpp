// Alembic 1.8.1's tests of the revision graph (tests/test_revision.py), transcribed as facts: the
// same graphs (ids, parents, dependencies, labels, load order), and what Alembic resolves, the
// order it yields revisions in, and the errors it raises. Each TEST_CASE names its Alembic class.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "migrate/alembic_cases.hpp"

using namespace alembic_cases;
using retort::migrate::CycleDetected;
using retort::migrate::MultipleHeads;
using retort::migrate::RangeNotAncestorError;
using retort::migrate::ResolutionError;
using retort::migrate::RevisionError;

namespace {

/// The keyword arguments of DownIterateTest._assert_iteration, which is inclusive unless told not.
struct Walk {
  bool inclusive = true;
  bool implicit_base = false;
  bool select_for_downgrade = false;
};

Ids iterate(const RevisionMap& map, const Ids& upper, const Ids& lower, Walk walk = {}) {
  IterateOptions options;
  options.implicit_base = walk.implicit_base;
  options.inclusive = walk.inclusive;
  options.select_for_downgrade = walk.select_for_downgrade;
  return map.iterate_revisions(upper, lower, options);
}

/// a <- b <- c
RevisionMap abc() { return RevisionMap({rev("a"), rev("b", {"a"}), rev("c", {"b"})}); }

/// a <- b <- {c1, c2}
RevisionMap two_heads() { return RevisionMap({rev("a"), rev("b", {"a"}), rev("c1", {"b"}), rev("c2", {"b"})}); }

}  // namespace

// APITest
TEST_CASE("alembic revision map: head and base identifiers", "[migrate]") {
  SECTION("head of a single line (test_get_revision_head_single)") { CHECK(revision_of(abc(), "head") == "c"); }
  SECTION("base is none (test_get_revision_base_single)") { CHECK(abc().get_revision("base") == std::nullopt); }
  SECTION("head with two heads (test_get_revision_head_multiple, test_get_revisions_head_multiple)") {
    auto map = two_heads();
    CHECK_THROWS_AS(map.get_revision("head"), MultipleHeads);
    CHECK_THROWS_AS(map.get_revisions("head"), MultipleHeads);
  }
  SECTION("a single revision for heads when there are two (test_get_revision_heads_multiple)") {
    CHECK_THROWS_AS(two_heads().get_revision("heads"), MultipleHeads);
  }
  SECTION("heads lists both (test_get_revisions_heads_multiple)") {
    CHECK(two_heads().get_revisions("heads") == Ids{"c1", "c2"});
  }
  SECTION("base with two bases (test_get_revision_base_multiple)") {
    RevisionMap map({rev("a"), rev("b", {"a"}), rev("c"), rev("d", {"c"})});
    CHECK(map.get_revision("base") == std::nullopt);
  }
}

// APITest.test_iterate_tolerates_dupe_targets
TEST_CASE("alembic revision map: a target named twice is iterated once", "[migrate]") {
  CHECK(iterate(abc(), {"c", "c"}, {"a"}, {.inclusive = false}) == Ids{"c", "b"});
}

// DiamondTest, EmptyMapTest
TEST_CASE("alembic revision map: iterating a diamond and an empty map", "[migrate]") {
  SECTION("test_iterate_simple_diamond") {
    RevisionMap map({rev("a"), rev("b1", {"a"}), rev("b2", {"a"}), rev("c", {"b1", "b2"}), rev("d", {"c"})});
    CHECK(iterate(map, {"d"}, {"a"}) == Ids{"d", "c", "b1", "b2", "a"});
  }
  SECTION("an empty map iterates nothing from head to base (EmptyMapTest, Alembic issue #258)") {
    RevisionMap map{std::vector<Revision>{}};
    CHECK(iterate(map, {"head"}, {"base"}).empty());
  }
}

namespace {

/// LabeledBranchTest's map: two lines, labelled abranch (at a) and ebranch (at e).
RevisionMap labeled() {
  return RevisionMap({rev("a", {}, {"abranch"}), rev("b", {"a"}), rev("somelongername", {"b"}),
                      rev("c", {"somelongername"}), rev("d"), rev("e", {"d"}, {"ebranch"}), rev("someothername", {"e"}),
                      rev("f", {"someothername"})});
}

}  // namespace

// LabeledBranchTest: the tests with their own maps
TEST_CASE("alembic revision map: a label used twice, lineage of a label across a merge", "[migrate]") {
  SECTION("a label used twice (test_dupe_branch_collection)") {
    auto build = [] {
      return RevisionMap(
          {rev("a"), rev("b", {"a"}), rev("c", {"b"}, {"xy1"}), rev("d"), rev("e", {"d"}, {"xy1"}), rev("f", {"e"})});
    };
    CHECK_THROWS_AS(build(), RevisionError);
    CHECK_THROWS_WITH(build(), Catch::Contains("xy1"));
  }
  SECTION("lineage of a labelled head across a merge (test_filter_for_lineage_labeled_head_across_merge)") {
    RevisionMap map(
        {rev("a"), rev("b", {"a"}), rev("c1", {"b"}, {"c1branch"}), rev("c2", {"b"}), rev("d", {"c1", "c2"})});
    CHECK(map.filter_for_lineage({"c1", "c2", "d"}, "c1branch@head") == Ids{"c1", "c2", "d"});
  }
}

// LabeledBranchTest
TEST_CASE("alembic revision map: branch labels", "[migrate]") {
  auto map = labeled();
  SECTION("test_filter_for_lineage_heads") { CHECK(map.filter_for_lineage({"f"}, "heads") == Ids{"f"}); }
  SECTION("bases on the branch of a revision (test_get_base_revisions_labeled)") {
    CHECK(map.filter_for_lineage(map.bases(), "somelongername@base") == Ids{"a"});
  }
  SECTION("test_get_base_revisions") {
    CHECK(map.bases() == Ids{"a", "d"});
    CHECK(map.filter_for_lineage(map.bases(), "base") == Ids{"a", "d"});
  }
  SECTION("test_get_current_named_rev") { CHECK(revision_of(map, "ebranch@head") == "f"); }
  SECTION("test_iterate_head_to_named_base") {
    CHECK(iterate(map, {"heads"}, {"ebranch@base"}) == Ids{"f", "someothername", "e", "d"});
    CHECK(iterate(map, {"heads"}, {"abranch@base"}) == Ids{"c", "somelongername", "b", "a"});
  }
  SECTION("test_iterate_named_head_to_base") {
    CHECK(iterate(map, {"ebranch@head"}, {"base"}) == Ids{"f", "someothername", "e", "d"});
    CHECK(iterate(map, {"abranch@head"}, {"base"}) == Ids{"c", "somelongername", "b", "a"});
  }
  SECTION("test_iterate_named_head_to_heads") { CHECK(iterate(map, {"heads"}, {"ebranch@head"}) == Ids{"f"}); }
  SECTION("test_iterate_named_rev_to_heads") {
    CHECK(iterate(map, {"heads"}, {"ebranch@d"}) == Ids{"f", "someothername", "e", "d"});
  }
  SECTION("test_iterate_head_to_version_specific_base") {
    CHECK(iterate(map, {"heads"}, {"e@base"}) == Ids{"f", "someothername", "e", "d"});
    CHECK(iterate(map, {"heads"}, {"c@base"}) == Ids{"c", "somelongername", "b", "a"});
  }
  SECTION("test_iterate_to_branch_at_rev") {
    CHECK(iterate(map, {"heads"}, {"ebranch@d"}) == Ids{"f", "someothername", "e", "d"});
  }
  SECTION("test_branch_w_down_relative") {
    CHECK(iterate(map, {"heads"}, {"ebranch@-2"}) == Ids{"f", "someothername", "e"});
  }
  SECTION("test_branch_w_up_relative") { CHECK(iterate(map, {"ebranch@+2"}, {"base"}) == Ids{"e", "d"}); }
  SECTION("a prefix within a branch (test_partial_id_resolve)") {
    CHECK(revision_of(map, "ebranch@some") == "someothername");
    CHECK(revision_of(map, "abranch@some") == "somelongername");
  }
  SECTION("test_partial_id_resolve_too_short") {
    CHECK_THROWS_AS(map.get_revision("ebranch@sos"), ResolutionError);
    CHECK_THROWS_WITH(map.get_revision("ebranch@sos"), Catch::Contains("sos"));
  }
  SECTION("test_branch_at_heads") { CHECK(revision_of(map, "abranch@heads") == "c"); }
  SECTION("test_branch_at_syntax") {
    CHECK(revision_of(map, "abranch@head") == "c");
    CHECK(map.get_revision("abranch@base") == std::nullopt);
    CHECK(revision_of(map, "ebranch@head") == "f");
    CHECK(revision_of(map, "ebranch@d") == "d");
  }
  SECTION("test_branch_at_self") { CHECK(revision_of(map, "ebranch@ebranch") == "e"); }
  SECTION("test_retrieve_branch_revision") {
    CHECK(revision_of(map, "abranch") == "a");
    CHECK(revision_of(map, "ebranch") == "e");
  }
  SECTION("test_rev_not_in_branch") {
    CHECK_THROWS_AS(map.get_revision("ebranch@b"), ResolutionError);
    CHECK_THROWS_WITH(map.get_revision("ebranch@b"), Catch::Contains("ebranch"));
    CHECK_THROWS_AS(map.get_revision("abranch@d"), ResolutionError);
    CHECK_THROWS_WITH(map.get_revision("abranch@d"), Catch::Contains("abranch"));
  }
  SECTION("test_actually_short_rev_name") { CHECK(revision_of(map, "e") == "e"); }
  SECTION("test_no_revision_exists") {
    CHECK_THROWS_AS(map.get_revision("abranch@qprstuv"), ResolutionError);
    CHECK_THROWS_WITH(map.get_revision("abranch@qprstuv"), Catch::Contains("qprstuv"));
    CHECK_THROWS_AS(map.get_revision("abranch@qpr"), ResolutionError);
    CHECK_THROWS_WITH(map.get_revision("abranch@qpr"), Catch::Contains("qpr"));
  }
  SECTION("a revision before @ stands for its branch (test_not_actually_a_branch)") {
    CHECK(revision_of(map, "e@d") == "d");
  }
  SECTION("a prefix before @ (test_not_actually_a_branch_partial_resolution)") {
    CHECK(revision_of(map, "someoth@d") == "d");
  }
  SECTION("test_no_such_branch") { CHECK_THROWS_AS(map.get_revision("x@d"), ResolutionError); }
}

// LongShortBranchTest
TEST_CASE("alembic revision map: a long and a short branch", "[migrate]") {
  RevisionMap map(
      {rev("a"), rev("b1", {"a"}), rev("b2", {"a"}), rev("c1", {"b1"}), rev("d11", {"c1"}), rev("d12", {"c1"})});
  // test_iterate_full
  CHECK(iterate(map, {"heads"}, {"base"}) == Ids{"b2", "d11", "d12", "c1", "b1", "a"});
}

// MultipleBranchTest
TEST_CASE("alembic revision map: multiple branches and a merge", "[migrate]") {
  RevisionMap map({rev("a"), rev("b1", {"a"}), rev("b2", {"a"}), rev("cb1", {"b1"}), rev("cb2", {"b2"}),
                   rev("d1cb1", {"cb1"}), rev("d2cb1", {"cb1"}), rev("d1cb2", {"cb2"}), rev("d2cb2", {"cb2"}),
                   rev("d3cb2", {"cb2"}), rev("d1d2cb2", {"d1cb2", "d2cb2"})});
  SECTION("test_iterate_from_merge_point") {
    CHECK(iterate(map, {"d1d2cb2"}, {"a"}) == Ids{"d1d2cb2", "d1cb2", "d2cb2", "cb2", "b2", "a"});
  }
  SECTION("test_iterate_multiple_heads") {
    CHECK(iterate(map, {"d2cb2", "d3cb2"}, {"a"}) == Ids{"d2cb2", "d3cb2", "cb2", "b2", "a"});
  }
  SECTION("test_iterate_single_branch") { CHECK(iterate(map, {"d3cb2"}, {"a"}) == Ids{"d3cb2", "cb2", "b2", "a"}); }
  SECTION("test_iterate_single_branch_to_base") {
    CHECK(iterate(map, {"d3cb2"}, {"base"}) == Ids{"d3cb2", "cb2", "b2", "a"});
  }
  SECTION("test_iterate_multiple_branch_to_base") {
    CHECK(iterate(map, {"d3cb2", "cb1"}, {"base"}) == Ids{"cb1", "b1", "d3cb2", "cb2", "b2", "a"});
  }
  SECTION("a head that does not descend from the lower end is left out (test_iterate_multiple_heads_single_base)") {
    CHECK(iterate(map, {"d1cb1", "d2cb2", "d3cb2"}, {"b2"}) == Ids{"d2cb2", "d3cb2", "cb2", "b2"});
  }
  SECTION("test_same_branch_wrong_direction") {
    CHECK_THROWS_AS(map.iterate_revisions({"b1"}, {"d1cb1"}), RangeNotAncestorError);
    CHECK_THROWS_WITH(map.iterate_revisions({"b1"}, {"d1cb1"}), Catch::Contains("d1cb1") && Catch::Contains("b1"));
  }
  SECTION("test_distinct_branches") {
    CHECK_THROWS_AS(map.iterate_revisions({"d2cb2"}, {"b1"}), RangeNotAncestorError);
    CHECK_THROWS_WITH(map.iterate_revisions({"d2cb2"}, {"b1"}), Catch::Contains("b1") && Catch::Contains("d2cb2"));
  }
  SECTION("up to base from above (test_wrong_direction_to_base_as_none, _as_empty)") {
    CHECK_THROWS_AS(map.iterate_revisions({}, {"d1cb1"}), RangeNotAncestorError);
    CHECK_THROWS_WITH(map.iterate_revisions({}, {"d1cb1"}), Catch::Contains("d1cb1"));
  }
}

// MultipleBranchEffectiveHead
TEST_CASE("alembic revision map: downgrading a labelled branch another depends on", "[migrate]") {
  RevisionMap map({rev("y1", {}, {"y"}), rev("x1", {}, {"x"}), rev("y2", {"y1"}, {}, {"x1"}), rev("x2", {"x1"})});
  SECTION("test_other_downgrade") {
    CHECK(iterate(map, {"x2", "y2"}, {"x@-1"}, {.inclusive = false, .select_for_downgrade = true}) == Ids{"x2"});
  }
  SECTION("test_use_all_current") {
    CHECK(iterate(map, {"x1", "y2"}, {"x@-1"}, {.inclusive = false, .select_for_downgrade = true}) == Ids{"y2", "x1"});
  }
  SECTION("test_effective_head") {
    CHECK(iterate(map, {"y2"}, {"x@-1"}, {.inclusive = false, .select_for_downgrade = true}) == Ids{"y2", "x1"});
  }
}

// BranchTravellingTest: depth-first along each branch, every branch closed at its branch point
// before the revisions below it.
TEST_CASE("alembic revision map: travelling along several branches", "[migrate]") {
  RevisionMap map({rev("a1"), rev("a2", {"a1"}), rev("a3", {"a2"}), rev("b1", {"a3"}), rev("b2", {"a3"}),
                   rev("cb1", {"b1"}), rev("cb2", {"b2"}), rev("db1", {"cb1"}), rev("db2", {"cb2"}),
                   rev("e1b1", {"db1"}), rev("fe1b1", {"e1b1"}), rev("e2b1", {"db1"}), rev("e2b2", {"db2"}),
                   rev("merge", {"e2b1", "e2b2"})});
  SECTION("implicit base fills in every branch a merge needs (test_iterate_one_branch_both_to_merge)") {
    CHECK(iterate(map, {"merge"}, {"db1"}, {.implicit_base = true}) ==
          Ids{"merge", "e2b1", "db1", "e2b2", "db2", "cb2", "b2"});
  }
  SECTION("test_three_branches_end_in_single_branch") {
    CHECK(iterate(map, {"merge", "fe1b1"}, {"a3"}) ==
          Ids{"fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3"});
  }
  SECTION("test_two_branches_to_root") {
    CHECK(iterate(map, {"merge"}, {"a1"}) ==
          Ids{"merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"});
  }
  SECTION("test_two_branches_end_in_branch") {
    CHECK(iterate(map, {"merge"}, {"b1"}) == Ids{"merge", "e2b1", "db1", "cb1", "b1"});
  }
  SECTION("test_two_branches_end_behind_branch") {
    CHECK(iterate(map, {"merge"}, {"a2"}) ==
          Ids{"merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2"});
  }
  SECTION("test_three_branches_to_root") {
    CHECK(iterate(map, {"merge", "fe1b1"}, {"a1"}) ==
          Ids{"fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"});
  }
  SECTION("test_three_branches_end_multiple_bases") {
    CHECK(iterate(map, {"merge", "fe1b1"}, {"cb1", "cb2"}) ==
          Ids{"fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "e2b2", "db2", "cb2"});
  }
  SECTION("test_three_branches_end_multiple_bases_exclusive") {
    CHECK(iterate(map, {"merge", "fe1b1"}, {"cb1", "cb2"}, {.inclusive = false}) ==
          Ids{"fe1b1", "e1b1", "merge", "e2b1", "db1", "e2b2", "db2"});
  }
  SECTION("an upper revision below another (test_detect_invalid_head_selection)") {
    CHECK_THROWS_AS(map.iterate_revisions({"db1", "b2", "fe1b1"}, {}), RevisionError);
    CHECK_THROWS_WITH(map.iterate_revisions({"db1", "b2", "fe1b1"}, {}), Catch::Contains("fe1b1"));
  }
  SECTION("test_three_branches_end_multiple_bases_exclusive_blank") {
    CHECK(iterate(map, {"e2b1", "b2", "fe1b1"}, {}, {.inclusive = false}) ==
          Ids{"b2", "fe1b1", "e1b1", "e2b1", "db1", "cb1", "b1", "a3", "a2", "a1"});
  }
  SECTION("test_iterate_to_symbolic_base") {
    CHECK(iterate(map, {"fe1b1"}, {"base"}, {.inclusive = false}) ==
          Ids{"fe1b1", "e1b1", "db1", "cb1", "b1", "a3", "a2", "a1"});
  }
  SECTION("test_ancestor_nodes") {
    CHECK(map.ancestors({"merge"}) ==
          Heads{"a1", "e2b2", "e2b1", "cb2", "merge", "a3", "a2", "b1", "b2", "db1", "db2", "cb1"});
  }
}

// MultipleBaseTest
TEST_CASE("alembic revision map: several bases", "[migrate]") {
  RevisionMap map({rev("base1"), rev("base2"), rev("base3"), rev("a1a", {"base1"}), rev("a1b", {"base1"}),
                   rev("a2", {"base2"}), rev("a3", {"base3"}), rev("b1a", {"a1a"}), rev("b1b", {"a1b"}),
                   rev("b2", {"a2"}), rev("b3", {"a3"}), rev("c2", {"b2"}), rev("d2", {"c2"}),
                   rev("mergeb3d2", {"b3", "d2"})});
  const Ids all{"b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2", "c2", "b2", "a2", "base2"};
  SECTION("test_heads_to_base") { CHECK(iterate(map, {"heads"}, {"base"}) == all); }
  SECTION("test_heads_to_base_exclusive") { CHECK(iterate(map, {"heads"}, {"base"}, {.inclusive = false}) == all); }
  SECTION("test_heads_to_blank") { CHECK(iterate(map, {"heads"}, {}) == all); }
  SECTION("a lower revision below another (test_detect_invalid_base_selection)") {
    CHECK_THROWS_AS(map.iterate_revisions({"c2"}, {"a2", "b2"}), RevisionError);
  }
  SECTION("test_heads_to_revs_plus_implicit_base_exclusive") {
    CHECK(iterate(map, {"heads"}, {"c2"}, {.inclusive = false, .implicit_base = true}) ==
          Ids{"b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2"});
  }
  SECTION("test_heads_to_revs_base_exclusive") {
    CHECK(iterate(map, {"heads"}, {"c2"}, {.inclusive = false}) == Ids{"mergeb3d2", "d2"});
  }
  SECTION("test_heads_to_revs_plus_implicit_base_inclusive") {
    CHECK(iterate(map, {"heads"}, {"c2"}, {.implicit_base = true}) ==
          Ids{"b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2", "c2"});
  }
  SECTION("test_specific_path_one") { CHECK(iterate(map, {"b3"}, {"base3"}) == Ids{"b3", "a3", "base3"}); }
  SECTION("test_specific_path_two_implicit_base") {
    CHECK(iterate(map, {"b3", "b2"}, {"base3"}, {.inclusive = false, .implicit_base = true}) ==
          Ids{"b2", "a2", "base2", "b3", "a3"});
  }
}

// MultipleBaseCrossDependencyTestOne
//   base1 -> {a1a -> b1a, a1b -> b1b}; b1b depends on a3
//   base2 -> a2 -> b2 -> c2 -> d2; c2 depends on a3
//   base3 -> a3 -> b3
TEST_CASE("alembic revision map: several bases with dependencies across them (one)", "[migrate]") {
  RevisionMap map({rev("base1", {}, {"b_1"}), rev("a1a", {"base1"}), rev("a1b", {"base1"}), rev("b1a", {"a1a"}),
                   rev("b1b", {"a1b"}, {}, {"a3"}), rev("base2", {}, {"b_2"}), rev("a2", {"base2"}), rev("b2", {"a2"}),
                   rev("c2", {"b2"}, {}, {"a3"}), rev("d2", {"c2"}), rev("base3", {}, {"b_3"}), rev("a3", {"base3"}),
                   rev("b3", {"a3"})});
  const Ids all{"b1a", "a1a", "b1b", "a1b", "base1", "d2", "c2", "b2", "a2", "base2", "b3", "a3", "base3"};
  SECTION("test_what_are_the_heads") { CHECK(map.heads() == Ids{"b1a", "b1b", "d2", "b3"}); }
  SECTION("test_heads_to_base") { CHECK(iterate(map, {"heads"}, {"base"}) == all); }
  SECTION("test_heads_to_base_downgrade") {
    CHECK(iterate(map, {"heads"}, {"base"}, {.select_for_downgrade = true}) == all);
  }
  SECTION("test_same_branch_wrong_direction") {
    CHECK_THROWS_AS(map.iterate_revisions({"b2"}, {"d2"}), RangeNotAncestorError);
    CHECK_THROWS_WITH(map.iterate_revisions({"b2"}, {"d2"}), Catch::Contains("d2") && Catch::Contains("b2"));
  }
  SECTION("test_different_branch_not_wrong_direction") {
    CHECK_THROWS_AS(map.iterate_revisions({"b3"}, {"d2"}), RangeNotAncestorError);
    CHECK_THROWS_WITH(map.iterate_revisions({"b3"}, {"d2"}), Catch::Contains("d2") && Catch::Contains("b3"));
  }
  SECTION("branch 2 needs branch 3 to go up (test_we_need_head2_upgrade)") {
    CHECK(iterate(map, {"b_2@head"}, {"base"}) == Ids{"d2", "c2", "b2", "a2", "base2", "a3", "base3"});
  }
  SECTION("but not to come down (test_we_need_head2_downgrade)") {
    CHECK(iterate(map, {"b_2@head"}, {"b_2@base"}, {.select_for_downgrade = true}) ==
          Ids{"d2", "c2", "b2", "a2", "base2"});
  }
  SECTION("test_we_need_head3_upgrade") { CHECK(iterate(map, {"b_3@head"}, {"base"}) == Ids{"b3", "a3", "base3"}); }
  SECTION("test_we_need_head3_downgrade") {
    CHECK(iterate(map, {"b_3@head"}, {"base"}, {.select_for_downgrade = true}) == Ids{"b3", "a3", "base3"});
  }
  SECTION("test_we_need_head1_upgrade") {
    CHECK(iterate(map, {"b1b@head"}, {"base"}) == Ids{"b1b", "a1b", "base1", "a3", "base3"});
  }
  SECTION("test_we_need_head1_downgrade") {
    CHECK(iterate(map, {"b1b@head"}, {"b1b@base"}, {.select_for_downgrade = true}) == Ids{"b1b", "a1b", "base1"});
  }
  SECTION("test_we_need_base2_upgrade") {
    CHECK(iterate(map, {"heads"}, {"b_2@base"}) == Ids{"d2", "c2", "b2", "a2", "base2", "a3", "base3"});
  }
  SECTION("test_we_need_base2_downgrade") {
    CHECK(iterate(map, {"heads"}, {"b_2@base"}, {.select_for_downgrade = true}) ==
          Ids{"d2", "c2", "b2", "a2", "base2"});
  }
  SECTION("test_we_need_base3_upgrade") { CHECK(iterate(map, {"heads"}, {"b_3@base"}) == Ids{"b3", "a3", "base3"}); }
  SECTION("what depends on branch 3 comes down with it (test_we_need_base3_downgrade)") {
    CHECK(iterate(map, {"heads"}, {"b_3@base"}, {.select_for_downgrade = true}) ==
          Ids{"b1b", "d2", "c2", "b3", "a3", "base3"});
  }
}

// MultipleBaseCrossDependencyTestTwo: base2 depends on the label b_1, c3 on b2.
TEST_CASE("alembic revision map: several bases with dependencies across them (two)", "[migrate]") {
  RevisionMap map({rev("base1", {}, {"b_1"}), rev("a1", {"base1"}), rev("b1", {"a1"}), rev("c1", {"b1"}),
                   rev("base2", {}, {"b_2"}, {"b_1"}), rev("a2", {"base2"}), rev("b2", {"a2"}), rev("c2", {"b2"}),
                   rev("d2", {"c2"}), rev("base3", {}, {"b_3"}), rev("a3", {"base3"}), rev("b3", {"a3"}),
                   rev("c3", {"b3"}, {}, {"b2"}), rev("d3", {"c3"})});
  SECTION("test_what_are_the_heads") { CHECK(map.heads() == Ids{"c1", "d2", "d3"}); }
  SECTION("test_heads_to_base") {
    CHECK(iterate(map, {"heads"}, {"base"}) ==
          Ids{"c1", "b1", "a1", "d2", "c2", "d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"});
  }
  SECTION("test_we_need_head2") {
    CHECK(iterate(map, {"b_2@head"}, {"base"}) == Ids{"d2", "c2", "b2", "a2", "base2", "base1"});
  }
  SECTION("test_we_need_head3") {
    CHECK(iterate(map, {"b_3@head"}, {"base"}) == Ids{"d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"});
  }
  SECTION("test_we_need_head1") { CHECK(iterate(map, {"b_1@head"}, {"base"}) == Ids{"c1", "b1", "a1", "base1"}); }
  SECTION("test_we_need_base1") { CHECK(iterate(map, {"heads"}, {"b_1@base"}) == Ids{"c1", "b1", "a1", "base1"}); }
  SECTION("test_we_need_base2") {
    CHECK(iterate(map, {"heads"}, {"b_2@base"}) == Ids{"d2", "c2", "b2", "a2", "base2", "base1"});
  }
  SECTION("test_we_need_base3") {
    CHECK(iterate(map, {"heads"}, {"b_3@base"}) == Ids{"d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"});
  }
}

// MultipleBaseCrossDependencyTestThree
TEST_CASE("alembic revision map: a base with no parent but a dependency", "[migrate]") {
  RevisionMap map(
      {rev("base1"), rev("a1", {"base1"}), rev("b1", {"a1"}), rev("c2", {}, {}, {"a1"}), rev("c3", {"c2"})});
  // test_traverse_no_parent_but_a_dep
  CHECK(iterate(map, {"heads"}, {"base"}) == Ids{"b1", "c3", "c2", "a1", "base1"});
}

namespace {

/// Alembic's tests/_large_map.py: 142 revisions, one base, many branches and merges.
std::vector<Revision> large_map() {
  return {
      rev("3fc8a578bc0a", {"4878cb1cb7f6", "454a0529f84e"}),
      rev("69285b0faaa", {"36c31e4e1c37", "3a3b24a31b57"}),
      rev("3b0452c64639", {"2f1a0f3667f3"}),
      rev("2d9d787a496", {"135b5fd31062"}),
      rev("184f65ed83af", {"3b0452c64639"}),
      rev("430074f99c29", {"54f871bfe0b0"}),
      rev("3ffb59981d9a", {"519c9f3ce294"}),
      rev("454a0529f84e", {"40f6508e4373", "38a936c6ab11"}),
      rev("24c2620b2e3f", {"430074f99c29", "1f5ceb1ec255"}),
      rev("169a948471a9", {"247ad6880f93"}),
      rev("2f1a0f3667f3", {"17dd0f165262"}),
      rev("27227dc4fda8", {"2a66d7c4d8a1"}),
      rev("4b2ad1ffe2e7", {"3b409f268da4", "4f8a9b79a063"}),
      rev("124ef6a17781", {"2529684536da"}),
      rev("4789d9c82ca7", {"593b8076fb2c"}),
      rev("64ed798bcc3", {"44ed1bf512a0", "169a948471a9"}),
      rev("2588a3c36a0f", {"50c7b21c9089"}),
      rev("359329c2ebb", {"5810e9eff996", "339faa12616"}),
      rev("540bc5634bd", {"3a5db5f31209"}),
      rev("20fe477817d2", {"53d5ff905573"}),
      rev("4f8a9b79a063", {"3cf34fcd6473", "300209d8594"}),
      rev("6918589deaf", {"3314c17f6e35"}),
      rev("1755e3b1481c", {"17b66754be21", "31b1d4b7fc95"}),
      rev("58c988e1aa4e", {"219240032b88", "f067f0b825c"}),
      rev("593b8076fb2c", {"1d94175d221b"}),
      rev("38d069994064", {"46b70a57edc0", "3ed56beabfb7"}),
      rev("3e2f6c6d1182", {"7f96a01461b"}),
      rev("1f6969597fe7", {"1811bdae9e63"}),
      rev("17dd0f165262", {"3cf02a593a68"}),
      rev("3cf02a593a68", {"25a7ef58d293"}),
      rev("34dfac7edb2d", {"28f4dd53ad3a"}),
      rev("4009c533e05d", {"42ded7355da2"}),
      rev("5a0003c3b09c", {"3ed56beabfb7", "2028d94d3863"}),
      rev("38a936c6ab11", {"2588a3c36a0f"}),
      rev("59223c5b7b36", {"2f93dd880bae"}),
      rev("4121bd6e99e9", {"540bc5634bd"}),
      rev("260714a3f2de", {"6918589deaf"}),
      rev("ae77a2ed69b", {"274fd2642933"}),
      rev("18ff1ab3b4c4", {"430133b6d46c"}),
      rev("2b9a327527a9", {"359329c2ebb", "593b8076fb2c"}),
      rev("4e6167c75ed0", {"325b273d61bd"}),
      rev("21ab11a7c5c4", {"3da31f3323ec", "22f26011d635"}),
      rev("3b93e98481b1", {"4e28e2f4fe2f"}),
      rev("145d8f1e334d", {"b4143d129e"}),
      rev("135b5fd31062", {"1d94175d221b"}),
      rev("300209d8594", {"52804033910e", "593b8076fb2c"}),
      rev("8dca95cce28", {"f034666cd80"}),
      rev("46b70a57edc0", {"145d8f1e334d", "4cc2960cbe19"}),
      rev("4d45e479fbb9", {"2d9d787a496"}),
      rev("22f085bf8bbd", {"540bc5634bd"}),
      rev("263e91fd17d8", {"2b9a327527a9"}),
      rev("219240032b88", {"300209d8594", "2b9a327527a9"}),
      rev("325b273d61bd", {"4b2ad1ffe2e7"}),
      rev("199943ccc774", {"1aa674ccfa4e"}),
      rev("247ad6880f93", {"1f6969597fe7"}),
      rev("4878cb1cb7f6", {"28f4dd53ad3a"}),
      rev("2a66d7c4d8a1", {"23f1ccb18d6d"}),
      rev("42b079245b55", {"593b8076fb2c"}),
      rev("1cccf82219cb", {"20fe477817d2", "915c67915c2"}),
      rev("b4143d129e", {"159331d6f484", "504d5168afe1"}),
      rev("53d5ff905573", {"3013877bf5bd"}),
      rev("1f5ceb1ec255", {"3ffb59981d9a"}),
      rev("ef1c1c1531f", {"4738812e6ece"}),
      rev("1f6963d1ae02", {"247ad6880f93"}),
      rev("44d58f1d31f0", {"18ff1ab3b4c4"}),
      rev("c3ebe64dfb5", {"3409c57b0da", "31f352e77045"}),
      rev("f067f0b825c", {"359329c2ebb"}),
      rev("52ab2d3b57ce", {"96d590bd82e"}),
      rev("3b409f268da4", {"20e90eb3eeb6", "263e91fd17d8"}),
      rev("5a4ca8889674", {"4e6167c75ed0"}),
      rev("5810e9eff996", {"2d30d79c4093", "52804033910e"}),
      rev("40f6508e4373", {"4ed16fad67a7"}),
      rev("1811bdae9e63", {"260714a3f2de"}),
      rev("3013877bf5bd", {"8dca95cce28", "3fc8a578bc0a"}),
      rev("16426dbea880", {"28f4dd53ad3a"}),
      rev("22f26011d635", {"4c93d063d2ba", "3b93e98481b1"}),
      rev("3409c57b0da", {"17b66754be21"}),
      rev("44373001000f", {"42b079245b55", "219240032b88"}),
      rev("28f4dd53ad3a", {"2e71fd90eb9d"}),
      rev("4cc2960cbe19", {"504d5168afe1"}),
      rev("31f352e77045", {"17b66754be21", "22f085bf8bbd"}),
      rev("4ed16fad67a7", {"f034666cd80"}),
      rev("3da31f3323ec", {"4c93d063d2ba"}),
      rev("31b1d4b7fc95", {"1cc4459fd115"}),
      rev("11bc0ff42f87", {"28f4dd53ad3a"}),
      rev("3a5db5f31209", {"59742a546b84"}),
      rev("20e90eb3eeb6", {"58c988e1aa4e", "44373001000f"}),
      rev("23f1ccb18d6d", {"52ab2d3b57ce"}),
      rev("1d94175d221b", {"21ab11a7c5c4"}),
      rev("36f1a410ed", {"54f871bfe0b0"}),
      rev("181a149173e", {"2ee35cac4c62"}),
      rev("171ad2f0c672", {"4a4e0838e206"}),
      rev("2f93dd880bae", {"540bc5634bd"}),
      rev("25a7ef58d293"),
      rev("7f96a01461b", {"184f65ed83af"}),
      rev("b21f22233f", {"3e2f6c6d1182"}),
      rev("52804033910e", {"1d94175d221b"}),
      rev("1e6240aba5b3", {"4121bd6e99e9", "2c50d8bab6ee"}),
      rev("1cc4459fd115", {"1e6240aba5b3"}),
      rev("274fd2642933", {"4009c533e05d"}),
      rev("1aa674ccfa4e", {"59223c5b7b36", "42050bf030fd"}),
      rev("4e28e2f4fe2f", {"596d7b9e11"}),
      rev("49ddec8c7a5e", {"124ef6a17781", "47578179e766"}),
      rev("3e9bb349cc46", {"ef1c1c1531f"}),
      rev("2028d94d3863", {"504d5168afe1"}),
      rev("159331d6f484", {"34dfac7edb2d"}),
      rev("596d7b9e11", {"171ad2f0c672"}),
      rev("3b96bcc8da76", {"f034666cd80"}),
      rev("4738812e6ece", {"78982bf5499"}),
      rev("3314c17f6e35", {"27227dc4fda8"}),
      rev("30931c545bf", {"2e71fd90eb9d"}),
      rev("2e71fd90eb9d", {"c3ebe64dfb5", "1755e3b1481c"}),
      rev("3ed56beabfb7", {"11bc0ff42f87", "69285b0faaa"}),
      rev("96d590bd82e", {"3e9bb349cc46"}),
      rev("339faa12616", {"4d45e479fbb9"}),
      rev("47578179e766", {"2529684536da"}),
      rev("2ee35cac4c62", {"b21f22233f"}),
      rev("50c7b21c9089", {"4ed16fad67a7", "3b96bcc8da76"}),
      rev("78982bf5499", {"ae77a2ed69b"}),
      rev("519c9f3ce294", {"2c50d8bab6ee"}),
      rev("2720fc75e5fd", {"1cccf82219cb"}),
      rev("21638ec787ba", {"44d58f1d31f0"}),
      rev("59742a546b84", {"49ddec8c7a5e"}),
      rev("2d30d79c4093", {"135b5fd31062"}),
      rev("f034666cd80", {"5a0003c3b09c", "38d069994064"}),
      rev("430133b6d46c", {"181a149173e"}),
      rev("3a3b24a31b57", {"16426dbea880", "4cc2960cbe19"}),
      rev("2529684536da", {"64ed798bcc3", "1f6963d1ae02"}),
      rev("17b66754be21", {"19e0db9d806a", "24c2620b2e3f"}),
      rev("3cf34fcd6473", {"52804033910e", "4789d9c82ca7"}),
      rev("36c31e4e1c37", {"504d5168afe1"}),
      rev("54f871bfe0b0", {"519c9f3ce294"}),
      rev("4a4e0838e206", {"2a7f37cf7770"}),
      rev("19e0db9d806a", {"430074f99c29", "36f1a410ed"}),
      rev("44ed1bf512a0", {"247ad6880f93"}),
      rev("42050bf030fd", {"2f93dd880bae"}),
      rev("2c50d8bab6ee", {"199943ccc774"}),
      rev("504d5168afe1", {"28f4dd53ad3a", "30931c545bf"}),
      rev("915c67915c2", {"3fc8a578bc0a"}),
      rev("2a7f37cf7770", {"2720fc75e5fd"}),
      rev("4c93d063d2ba", {"4e28e2f4fe2f"}),
      rev("42ded7355da2", {"21638ec787ba"}),
  };
}

}  // namespace

// LargeMapTest.test_all: from heads to base, every revision comes once, after all that descend from
// it and before at least one of its ancestors still to come.
TEST_CASE("alembic revision map: a large map iterates in a consistent order", "[migrate]") {
  const auto revisions = large_map();
  RevisionMap map(revisions);
  const Ids order = map.iterate_revisions({"heads"}, {"base"});
  Heads all;
  for (const auto& r : revisions) all.insert(r.id);
  CHECK(set_of(order) == all);
  CHECK(order.size() == all.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    INFO("revision " << order[i]);
    Heads ancestors = map.ancestors({order[i]});
    Heads descendants = map.descendants({order[i]});
    ancestors.erase(order[i]);
    descendants.erase(order[i]);
    bool overlap = std::any_of(ancestors.begin(), ancestors.end(),
                               [&](const std::string& id) { return descendants.count(id) > 0; });
    CHECK_FALSE(overlap);
    if (i + 1 < order.size()) {
      bool an_ancestor_remains = std::any_of(order.begin() + static_cast<std::ptrdiff_t>(i) + 1, order.end(),
                                             [&](const std::string& id) { return ancestors.count(id) > 0; });
      CHECK(an_ancestor_remains);
    }
  }
}

// GraphWithLoopTest
TEST_CASE("alembic revision map: a revision that is its own parent or dependency", "[migrate]") {
  SECTION("test_revision_map_solitary_loop") { CHECK_THROWS_AS(RevisionMap({rev("a", {"a"})}), CycleDetected); }
  SECTION("test_revision_map_base_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a", {"a"}), rev("b", {"a"}), rev("c", {"b"})}), CycleDetected);
  }
  SECTION("test_revision_map_head_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a"), rev("b", {"a"}), rev("c", {"b", "c"})}), CycleDetected);
  }
  SECTION("test_revision_map_branch_point_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a"), rev("b", {"a", "b"}), rev("c1", {"b"}), rev("c2", {"b"})}), CycleDetected);
  }
  SECTION("test_revision_map_merge_point_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a"), rev("b1", {"a"}), rev("b2", {"a"}), rev("c", {"b1", "b2", "c"})}),
                    CycleDetected);
  }
  SECTION("test_revision_map_solitary_dependency_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a", {}, {}, {"a"})}), CycleDetected);
  }
  SECTION("test_revision_map_base_dependency_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a", {}, {}, {"a"}), rev("b", {"a"}), rev("c", {"b"})}), CycleDetected);
  }
  SECTION("test_revision_map_head_dep_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a"), rev("b", {"a"}), rev("c", {"b"}, {}, {"c"})}), CycleDetected);
  }
  SECTION("test_revision_map_branch_point_dep_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a"), rev("b", {"a"}, {}, {"b"}), rev("c1", {"b"}), rev("c2", {"b"})}),
                    CycleDetected);
  }
  SECTION("test_revision_map_merge_point_dep_loop") {
    CHECK_THROWS_AS(RevisionMap({rev("a"), rev("b1", {"a"}), rev("b2", {"a"}), rev("c", {"b1", "b2"}, {}, {"c"})}),
                    CycleDetected);
  }
}

// GraphWithLoopTest: ids that are prefixes of each other are no loop.
TEST_CASE("alembic revision map: overlapping ids are not a loop", "[migrate]") {
  SECTION("down revision and dependency on the same revision (test_revision_dupe_head)") {
    RevisionMap map({rev("user_foo"), rev("user", {"user_foo"}, {}, {"user_foo"})});
    CHECK(iterate(map, {"heads"}, {}) == Ids{"user", "user_foo"});
  }
  SECTION("test_revision_map_no_loop_w_overlapping_substrings") {
    RevisionMap map({rev("user_foo"), rev("user", {"user_foo"})});
    CHECK(iterate(map, {"heads"}, {}) == Ids{"user", "user_foo"});
  }
  SECTION("test_revision_map_no_loop_w_overlapping_substrings_dependencies") {
    RevisionMap map({rev("user_foo"), rev("user", {}, {}, {"user_foo"})});
    CHECK(iterate(map, {"heads"}, {}) == Ids{"user", "user_foo"});
  }
}

// GraphWithCycleTest
TEST_CASE("alembic revision map: cycles through down revisions and dependencies", "[migrate]") {
  SECTION("test_revision_map_simple_cycle") {
    CHECK_THROWS_AS(RevisionMap({rev("a", {"c"}), rev("b", {"a"}), rev("c", {"b"})}), CycleDetected);
  }
  SECTION("test_revision_map_extra_simple_cycle") {
    CHECK_THROWS_AS(RevisionMap({rev("a", {"c"}), rev("b", {"a"}), rev("c", {"b"}), rev("d"), rev("e", {"d"})}),
                    CycleDetected);
  }
  SECTION("test_revision_map_lower_simple_cycle") {
    CHECK_THROWS_AS(RevisionMap({rev("a", {"c"}), rev("b", {"a"}), rev("c", {"b"}), rev("d", {"c"}), rev("e", {"d"})}),
                    CycleDetected);
  }
  SECTION("test_revision_map_upper_simple_cycle") {
    CHECK_THROWS_AS(RevisionMap({rev("a"), rev("b", {"a"}), rev("c", {"b", "e"}), rev("d", {"c"}), rev("e", {"d"})}),
                    CycleDetected);
  }
  SECTION("test_revision_map_simple_dep_cycle") {
    CHECK_THROWS_AS(RevisionMap({rev("a", {}, {}, {"c"}), rev("b", {"a"}), rev("c", {"b"})}), CycleDetected);
  }
  SECTION("test_revision_map_extra_simple_dep_cycle") {
    CHECK_THROWS_AS(RevisionMap({rev("a", {}, {}, {"c"}), rev("b", {"a"}), rev("c", {"b"}), rev("d"), rev("e", {"d"})}),
                    CycleDetected);
  }
  SECTION("test_revision_map_lower_simple_dep_cycle") {
    CHECK_THROWS_AS(
        RevisionMap({rev("a", {}, {}, {"c"}), rev("b", {"a"}), rev("c", {"b"}), rev("d", {"c"}), rev("e", {"d"})}),
        CycleDetected);
  }
  SECTION("test_revision_map_upper_simple_dep_cycle") {
    CHECK_THROWS_AS(
        RevisionMap({rev("a"), rev("b", {"a"}), rev("c", {"b"}, {}, {"e"}), rev("d", {"c"}), rev("e", {"d"})}),
        CycleDetected);
  }
}

// NormalizedDownRevTest: a dependency an ancestor already has is not a direct one.
TEST_CASE("alembic revision map: normalized down revisions", "[migrate]") {
  RevisionMap map({rev("a1"), rev("a2", {"a1"}), rev("a3", {"a2"}), rev("b1"), rev("b2", {"b1"}, {}, {"a3"}),
                   rev("b3", {"b2"}), rev("b4", {"b3"}, {}, {"a3"}), rev("b5", {"b4"}, {}, {"b4"})});
  SECTION("a3 is left out: ancestor b2 depends on it too (test_normalized_down_revisions)") {
    CHECK(map.normalized_down_revisions("b4") == Ids{"b3"});
  }
  SECTION("a dependency on the down revision is counted once (test_dupe_dependency)") {
    CHECK(map.normalized_down_revisions("b5") == Ids{"b4"});
  }
  SECTION("test_branch_traversal") {
    CHECK(iterate(map, {"b4"}, {"b1@base"}, {.select_for_downgrade = true}) == Ids{"b4", "b3", "b2", "b1"});
  }
  SECTION("test_all_traversal") {
    CHECK(iterate(map, {"heads"}, {"base"}, {.select_for_downgrade = true}) ==
          Ids{"b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"});
  }
  SECTION("test_partial_traversal") {
    CHECK(iterate(map, {"heads"}, {"a2"}, {.select_for_downgrade = true}) == Ids{"b5", "b4", "b3", "b2", "a3", "a2"});
  }
  SECTION("test_partial_traversal_implicit_base_one") {
    CHECK(iterate(map, {"heads"}, {"a2"}, {.implicit_base = true, .select_for_downgrade = true}) ==
          Ids{"b5", "b4", "b3", "b2", "b1", "a3", "a2"});
  }
  SECTION("test_partial_traversal_implicit_base_two") {
    CHECK(iterate(map, {"b5"}, {"b1"}, {.implicit_base = true}) == Ids{"b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"});
  }
}

// NormalizedDownRevTest.test_partial_traversal_implicit_base_three
TEST_CASE("alembic revision map: implicit base reaches the dependencies of dependencies", "[migrate]") {
  RevisionMap map({rev("c1"), rev("a1"), rev("a2", {"a1"}, {}, {"c1"}), rev("a3", {"a2"}, {}, {"c1"}), rev("b1"),
                   rev("b2", {"b1"}, {}, {"a3"}), rev("b3", {"b2"}), rev("b4", {"b3"}, {}, {"a3"}), rev("b5", {"b4"})});
  CHECK(iterate(map, {"b5"}, {"b1"}, {.implicit_base = true}) ==
        Ids{"b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1", "c1"});
}
