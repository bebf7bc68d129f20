// The revision graph: structure (heads, bases, branch points), identifier resolution, upgrade
// and downgrade plans across branches, merges and dependencies, and the graph errors.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_map.hpp>

#include "migrate/alembic_cases.hpp"
#include "support/text.hpp"

using namespace retort::migrate;
using alembic_cases::rev;

namespace {

/// a1 <- a2 <- a3: a straight line.
RevisionMap linear() { return RevisionMap({rev("a1"), rev("a2", {"a1"}), rev("a3", {"a2"})}); }

/// base1 <- b2 (branch point) <- {main3 <- main4, feat3 [label feat] <- feat4}, merged by m5.
std::vector<Revision> branched_revisions() {
  return {rev("base1"),
          rev("b2", {"base1"}),
          rev("c3main", {"b2"}),
          rev("c4main", {"c3main"}),
          rev("f3feat", {"b2"}, {"feat"}),
          rev("f4feat", {"f3feat"})};
}
RevisionMap branched() { return RevisionMap(branched_revisions()); }
RevisionMap merged() {
  auto revs = branched_revisions();
  revs.push_back(rev("m5", {"c4main", "f4feat"}));
  return RevisionMap(revs);
}

template <typename E>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  FAIL("the expected exception was not thrown");
  return {};
}

using retort::testing::contains;

/// The revisions of a plan, in order.
Ids revisions_of(const std::vector<MigrationStep>& plan) {
  Ids out;
  for (const auto& step : plan) out.push_back(step.revision);
  return out;
}

}  // namespace

TEST_CASE("revision map: a linear chain", "[migrate]") {
  auto map = linear();
  CHECK(map.heads() == Ids{"a3"});
  CHECK(map.bases() == Ids{"a1"});
  CHECK(map.children("a1") == Ids{"a2"});
  CHECK(revisions_of(map.upgrade_plan("a3", {})) == Ids{"a1", "a2", "a3"});
  CHECK(revisions_of(map.upgrade_plan("head", {"a1"})) == Ids{"a2", "a3"});
  CHECK(revisions_of(map.downgrade_plan("base", {"a3"})) == Ids{"a3", "a2", "a1"});
  CHECK(revisions_of(map.downgrade_plan("a1", {"a3"})) == Ids{"a3", "a2"});
  CHECK(map.upgrade_plan("a3", {"a3"}).empty());
  CHECK(map.downgrade_plan("base", {"a3"}).front() == MigrationStep{"a3", false});
}

TEST_CASE("revision map: branches are walked one at a time, as Alembic does", "[migrate]") {
  auto map = branched();
  CHECK(map.heads() == Ids{"c4main", "f4feat"});
  CHECK(map.is_branch_point("b2"));
  CHECK_FALSE(map.is_branch_point("c3main"));
  // Depth first from the heads in load order, reversed: one branch is finished before the other.
  CHECK(revisions_of(map.upgrade_plan("heads", {})) == Ids{"base1", "b2", "f3feat", "f4feat", "c3main", "c4main"});
  CHECK(revisions_of(map.upgrade_plan("feat@head", {})) == Ids{"base1", "b2", "f3feat", "f4feat"});
  CHECK(revisions_of(map.upgrade_plan("c4main", {"f4feat"})) == Ids{"c3main", "c4main"});
  CHECK(revisions_of(map.downgrade_plan("b2", {"c4main", "f4feat"})) == Ids{"c4main", "c3main", "f4feat", "f3feat"});
  // A merge collapses the two rows; downgrading below it splits them again.
  auto m = merged();
  CHECK(m.heads() == Ids{"m5"});
  CHECK(revisions_of(m.upgrade_plan("m5", {"c4main", "f3feat"})) == Ids{"f4feat", "m5"});
  CHECK(revisions_of(m.downgrade_plan("c3main", {"m5"})) == Ids{"m5", "c4main"});
}

TEST_CASE("revision map: a dependency is implied by its dependent's row", "[migrate]") {
  // Two bases; x2 depends on y1 (by label) of the other line.
  RevisionMap map({rev("x1"), rev("x2", {"x1"}, {}, {"ylabel"}), rev("y1", {}, {"ylabel"}), rev("y2", {"y1"})});
  CHECK(map.bases() == Ids{"x1", "y1"});
  CHECK(map.heads() == Ids{"x2", "y2"});
  CHECK(map.normalized_down_revisions("x2") == Ids{"x1", "y1"});
  CHECK(map.dependents("y1") == Ids{"x2"});
  CHECK(revisions_of(map.upgrade_plan("x2", {})) == Ids{"y1", "x1", "x2"});
  // Rows {x2} imply y1: `current` shows the tip of each branch.
  CHECK(map.all_current({"x2"}) == Ids{"y1", "x2"});
  // Unapplying the dependency takes its dependent with it, dependents first.
  CHECK(revisions_of(map.downgrade_plan("ylabel@base", {"x2", "y2"})) == Ids{"x2", "y2", "y1"});
}

TEST_CASE("revision map: identifiers", "[migrate]") {
  RevisionMap map({rev("1a2b3c4d5e6f"), rev("1a2bffff0000", {"1a2b3c4d5e6f"}), rev("9f8e7d6c5b4a", {"1a2bffff0000"})});
  SECTION("full ids and unique prefixes (of ids, any length: a deliberate difference)") {
    CHECK(map.resolve_revision("9f8e7d6c5b4a") == "9f8e7d6c5b4a");
    CHECK(map.resolve_revision("9f") == "9f8e7d6c5b4a");
    CHECK(map.get_revisions("1a2bf") == Ids{"1a2bffff0000"});
  }
  SECTION("an ambiguous prefix lists the candidates") {
    auto msg = error_of<ResolutionError>([&] { map.get_revisions("1a2b"); });
    CHECK(contains(msg, "ambiguous"));
    CHECK(contains(msg, "1a2b3c4d5e6f"));
    CHECK(contains(msg, "1a2bffff0000"));
  }
  SECTION("an unknown id") {
    CHECK(contains(error_of<ResolutionError>([&] { map.get_revisions("zzz"); }), "'zzz'"));
  }
  SECTION("head, heads, base") {
    CHECK(map.get_revisions("head") == Ids{"9f8e7d6c5b4a"});
    CHECK(map.get_revisions("heads") == Ids{"9f8e7d6c5b4a"});
    CHECK(map.get_revisions("base").empty());
    CHECK_FALSE(map.get_revision("base"));
  }
  SECTION("+N, -N, REV+N, REV-N") {
    CHECK(revisions_of(map.upgrade_plan("+1", {})) == Ids{"1a2b3c4d5e6f"});
    CHECK(revisions_of(map.upgrade_plan("+2", {"1a2b3c4d5e6f"})) == Ids{"1a2bffff0000", "9f8e7d6c5b4a"});
    CHECK(revisions_of(map.downgrade_plan("-1", {"9f8e7d6c5b4a"})) == Ids{"9f8e7d6c5b4a"});
    CHECK(revisions_of(map.downgrade_plan("-3", {"9f8e7d6c5b4a"})).size() == 3);  // to base
    CHECK(revisions_of(map.upgrade_plan("1a2b3+1", {})) == Ids{"1a2b3c4d5e6f", "1a2bffff0000"});
    CHECK(map.get_revisions("-1") == Ids{"1a2bffff0000"});
    CHECK_THROWS_AS(map.upgrade_plan("+1", {"9f8e7d6c5b4a"}), RevisionError);
    CHECK_THROWS_AS(map.downgrade_plan("-1", {}), RevisionError);
    CHECK_THROWS_AS(map.upgrade_plan("-1", {"9f8e7d6c5b4a"}), RevisionError);
  }
}

TEST_CASE("revision map: labels and several heads", "[migrate]") {
  auto map = branched();
  SECTION("head with several heads: MultipleHeads suggesting heads / LABEL@head") {
    auto msg = error_of<MultipleHeads>([&] { map.get_revisions("head"); });
    CHECK(contains(msg, "c4main"));
    CHECK(contains(msg, "f4feat"));
    CHECK(contains(msg, "heads"));
    CHECK(contains(msg, "LABEL@head"));
  }
  SECTION("LABEL@head, LABEL@REV (a member of the branch), a label alone") {
    CHECK(map.get_revisions("feat@head") == Ids{"f4feat"});
    CHECK(map.get_revisions("feat@f4") == Ids{"f4feat"});
    CHECK(map.get_revisions("feat") == Ids{"f3feat"});
    CHECK(contains(error_of<ResolutionError>([&] { map.get_revisions("feat@c4main"); }), "not a member of branch"));
    CHECK_THROWS_AS(map.get_revisions("nobranch@head"), ResolutionError);
  }
  SECTION("LABEL@+N walks up along the branch from the current heads") {
    CHECK(revisions_of(map.upgrade_plan("feat@+1", {"c4main"})) == Ids{"f3feat"});
    CHECK(revisions_of(map.upgrade_plan("feat@+2", {})) == Ids{"base1", "b2"});
  }
  SECTION("relative steps with several current heads need a branch (a deliberate difference for -1)") {
    CHECK_THROWS_AS(map.upgrade_plan("+1", {"c4main", "f3feat"}), RevisionError);
    CHECK_THROWS_AS(map.downgrade_plan("-1", {"c4main", "f4feat"}), RevisionError);
    CHECK(revisions_of(map.downgrade_plan("feat@-1", {"c4main", "f4feat"})) == Ids{"f4feat"});
    CHECK_THROWS_AS(map.upgrade_plan("b2+1", {}), RevisionError);  // a branch point
  }
}

TEST_CASE("revision map: graph errors", "[migrate]") {
  SECTION("a cycle") {
    auto msg = error_of<CycleDetected>([] {
      RevisionMap({rev("a1"), rev("a2", {"a1", "a4"}), rev("a3", {"a2"}), rev("a4", {"a3"})});
    });
    CHECK(contains(msg, "cycle"));
    CHECK(contains(msg, "a2"));
    CHECK(contains(msg, "a4"));
    CHECK_THROWS_AS(RevisionMap({rev("self", {"self"})}), CycleDetected);
  }
  SECTION("a cycle through depends_on") {
    CHECK_THROWS_AS(RevisionMap({rev("p1", {}, {}, {"q1"}), rev("q1", {}, {}, {"p1"})}), CycleDetected);
  }
  SECTION("a missing down_revision names the file") {
    auto msg = error_of<RevisionError>([] { RevisionMap({rev("a1"), rev("a2", {"gone"})}); });
    CHECK(contains(msg, "a2.sql"));
    CHECK(contains(msg, "down_revision gone does not exist"));
  }
  SECTION("a missing dependency") {
    CHECK(contains(error_of<RevisionError>([] { RevisionMap({rev("a1", {}, {}, {"nope"})}); }), "nope"));
  }
  SECTION("duplicate ids and labels") {
    auto msg = error_of<RevisionError>([] { RevisionMap({rev("a1"), rev("a1")}); });
    CHECK(contains(msg, "duplicate revision id a1"));
    CHECK_THROWS_AS(RevisionMap({rev("a1", {}, {"x"}), rev("a2", {"a1"}, {"x"})}), RevisionError);
  }
  SECTION("a downgrade target with nothing applied above it") {
    auto map = branched();
    auto msg = error_of<RangeNotAncestorError>([&] { map.downgrade_plan("f3feat", {"c4main"}); });
    CHECK(contains(msg, "f3feat"));
    CHECK(contains(msg, "c4main"));
    CHECK_THROWS_AS(linear().downgrade_plan("a3", {"a1"}), RangeNotAncestorError);
  }
}

TEST_CASE("revision map: LABEL@-N steps down from the branch's heads", "[migrate]") {
  CHECK(branched().get_revisions("feat@-1") == Ids{"f3feat"});
  // Walking down through a merge is ambiguous, with a label or without.
  CHECK_THROWS_AS(merged().get_revisions("feat@-1"), RevisionError);
  CHECK_THROWS_AS(merged().get_revisions("-2"), RevisionError);
}
