// The revision graph: structure (heads, bases, branch points), identifier resolution, upgrade
// and downgrade plans across branches, merges and dependencies, and the graph errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/revision_map.hpp>
#include "support/text.hpp"

using namespace retort::migrate;
using Ids = std::vector<std::string>;

namespace {

Revision rev(std::string id, Ids down = {}, Ids labels = {}, Ids depends = {}) {
  Revision r;
  r.id = std::move(id);
  r.down_revisions = std::move(down);
  r.branch_labels = std::move(labels);
  r.depends_on = std::move(depends);
  r.path = r.id + ".sql";
  return r;
}

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

/// Whether `a` comes before `b` in `plan` (both present).
bool before(const Ids& plan, const std::string& a, const std::string& b) {
  auto pa = std::find(plan.begin(), plan.end(), a), pb = std::find(plan.begin(), plan.end(), b);
  return pa != plan.end() && pb != plan.end() && pa < pb;
}

std::set<std::string> as_set(const Ids& ids) { return {ids.begin(), ids.end()}; }

}  // namespace

TEST_CASE("revision map: a linear chain", "[migrate][sqlite]") {
  auto map = linear();
  CHECK(map.heads() == Ids{"a3"});
  CHECK(map.bases() == Ids{"a1"});
  CHECK(map.children("a1") == Ids{"a2"});
  CHECK(map.upgrade_plan({}, {"a3"}) == Ids{"a1", "a2", "a3"});
  CHECK(map.upgrade_plan({"a1"}, map.resolve("head", {"a1"})) == Ids{"a2", "a3"});
  CHECK(map.downgrade_plan({"a3"}, {}) == Ids{"a3", "a2", "a1"});
  CHECK(map.downgrade_plan({"a3"}, {"a1"}) == Ids{"a3", "a2"});
  CHECK(map.upgrade_plan({"a3"}, {"a3"}).empty());
}

TEST_CASE("revision map: branches and a merge", "[migrate][sqlite]") {
  auto map = branched();
  CHECK(map.heads() == Ids{"c4main", "f4feat"});
  CHECK(map.bases() == Ids{"base1"});
  CHECK(map.is_branch_point("b2"));
  CHECK_FALSE(map.is_branch_point("c3main"));

  SECTION("upgrade to heads applies both branches, parents first") {
    auto plan = map.upgrade_plan({}, map.resolve("heads", {}));
    REQUIRE(plan.size() == 6);
    CHECK(plan[0] == "base1");
    CHECK(plan[1] == "b2");
    CHECK(before(plan, "c3main", "c4main"));
    CHECK(before(plan, "f3feat", "f4feat"));
  }
  SECTION("one branch at a time") {
    CHECK(map.upgrade_plan({}, map.resolve("feat@head", {})) == Ids{"base1", "b2", "f3feat", "f4feat"});
    CHECK(map.upgrade_plan({"f4feat"}, {"c4main"}) == Ids{"c3main", "c4main"});
  }
  SECTION("downgrading one branch leaves the other") {
    CHECK(map.downgrade_plan({"c4main", "f4feat"}, {}, std::string("feat")) == Ids{"f4feat", "f3feat"});
    CHECK(map.downgrade_plan({"c4main", "f4feat"}, {"b2"}) == Ids{"f4feat", "c4main", "f3feat", "c3main"});
  }
  SECTION("the merge") {
    auto m = merged();
    CHECK(m.heads() == Ids{"m5"});
    CHECK(m.upgrade_plan({"c4main", "f3feat"}, {"m5"}) == Ids{"f4feat", "m5"});
    CHECK(m.downgrade_plan({"m5"}, {"c4main", "f4feat"}) == Ids{"m5"});
    CHECK(m.downgrade_plan({"m5"}, {"c3main"}) == Ids{"m5", "c4main"});
    // Heads as the version table keeps them, through the merge and back.
    CHECK(m.heads_after_upgrade({"c4main", "f4feat"}, "m5") == Ids{"m5"});
    auto applied = m.ancestors({"m5"});
    applied.erase("m5");
    CHECK(m.heads_after_downgrade({"m5"}, "m5", applied) == Ids{"c4main", "f4feat"});
    CHECK(m.heads_of(m.ancestors({"c3main", "f4feat"})) == Ids{"c3main", "f4feat"});
  }
}

TEST_CASE("revision map: depends_on orders plans across branches", "[migrate][sqlite]") {
  // Two independent bases; x2 depends on y1 (by label) of the other line.
  RevisionMap map({rev("x1"), rev("x2", {"x1"}, {}, {"ylabel"}), rev("y1", {}, {"ylabel"}), rev("y2", {"y1"})});
  CHECK(map.bases() == Ids{"x1", "y1"});
  CHECK(as_set(map.heads()) == std::set<std::string>{"x2", "y2"});
  // The dependency comes first even though it is on another line.
  CHECK(map.upgrade_plan({}, {"x2"}) == Ids{"x1", "y1", "x2"});
  auto all = map.upgrade_plan({}, map.resolve("heads", {}));
  CHECK(as_set(all) == std::set<std::string>{"x1", "x2", "y1", "y2"});
  CHECK(before(all, "y1", "x2"));
  CHECK(before(all, "y1", "y2"));
  CHECK(before(all, "x1", "x2"));
  // Unapplying the dependency takes its dependent with it, dependents first.
  auto down = map.downgrade_plan({"x2", "y2"}, {}, std::string("ylabel"));
  CHECK(as_set(down) == std::set<std::string>{"x2", "y1", "y2"});
  CHECK(before(down, "x2", "y1"));
  CHECK(before(down, "y2", "y1"));
  CHECK(map.descendants("y1") == std::set<std::string>{"x2", "y2"});
}

TEST_CASE("revision map: identifiers", "[migrate][sqlite]") {
  RevisionMap map({rev("1a2b3c4d5e6f"), rev("1a2bffff0000", {"1a2b3c4d5e6f"}), rev("9f8e7d6c5b4a", {"1a2bffff0000"})});
  SECTION("full ids and unique prefixes") {
    CHECK(map.resolve_revision("9f8e7d6c5b4a") == "9f8e7d6c5b4a");
    CHECK(map.resolve_revision("9f") == "9f8e7d6c5b4a");
    CHECK(map.resolve_revision("1a2b3") == "1a2b3c4d5e6f");
    CHECK(map.resolve("1a2bf", {}) == Ids{"1a2bffff0000"});
  }
  SECTION("an ambiguous prefix lists the candidates") {
    auto msg = error_of<ResolutionError>([&] { map.resolve("1a2b", {}); });
    CHECK(contains(msg, "ambiguous"));
    CHECK(contains(msg, "1a2b3c4d5e6f"));
    CHECK(contains(msg, "1a2bffff0000"));
  }
  SECTION("an unknown id") {
    CHECK(contains(error_of<ResolutionError>([&] { map.resolve("zzz", {}); }), "'zzz'"));
  }
  SECTION("head, heads, base") {
    CHECK(map.resolve("head", {}) == Ids{"9f8e7d6c5b4a"});
    CHECK(map.resolve("heads", {}) == Ids{"9f8e7d6c5b4a"});
    CHECK(map.resolve("base", {"9f8e7d6c5b4a"}).empty());
  }
  SECTION("+N and -N from the current revision") {
    CHECK(map.resolve("+1", {}) == Ids{"1a2b3c4d5e6f"});
    CHECK(map.resolve("+2", {}) == Ids{"1a2bffff0000"});
    CHECK(map.resolve("+1", {"1a2b3c4d5e6f"}) == Ids{"1a2bffff0000"});
    CHECK(map.resolve("-1", {"9f8e7d6c5b4a"}) == Ids{"1a2bffff0000"});
    CHECK(map.resolve("-2", {"1a2bffff0000"}).empty());  // one below the base is base
    CHECK_THROWS_AS(map.resolve("+1", {"9f8e7d6c5b4a"}), ResolutionError);
    CHECK_THROWS_AS(map.resolve("-1", {}), ResolutionError);
  }
  SECTION("REV+N and REV-N, with prefixes") {
    CHECK(map.resolve("1a2b3+1", {}) == Ids{"1a2bffff0000"});
    CHECK(map.resolve("1a2b3+2", {}) == Ids{"9f8e7d6c5b4a"});
    CHECK(map.resolve("9f-2", {}) == Ids{"1a2b3c4d5e6f"});
  }
}

TEST_CASE("revision map: labels and several heads", "[migrate][sqlite]") {
  auto map = branched();
  SECTION("head with several heads: MultipleHeads suggesting heads / LABEL@head") {
    auto msg = error_of<MultipleHeads>([&] { map.resolve("head", {}); });
    CHECK(contains(msg, "c4main"));
    CHECK(contains(msg, "f4feat"));
    CHECK(contains(msg, "heads"));
    CHECK(contains(msg, "LABEL@head"));
  }
  SECTION("LABEL@head, LABEL@REV, LABEL@+N, and a label alone") {
    CHECK(map.resolve("feat@head", {}) == Ids{"f4feat"});
    CHECK(map.resolve("feat@f4", {}) == Ids{"f4feat"});
    CHECK(map.resolve("feat", {}) == Ids{"f3feat"});
    CHECK(map.resolve("feat@+1", {"c4main", "f3feat"}) == Ids{"f4feat"});
    CHECK(map.resolve("feat@+1", {}) == Ids{"f3feat"});  // not applied yet: its first revision
  }
  SECTION("relative steps with several current heads need a branch") {
    CHECK_THROWS_AS(map.resolve("+1", {"c4main", "f3feat"}), MultipleHeads);
    CHECK_THROWS_AS(map.resolve("b2+1", {}), ResolutionError);  // a branch point
  }
}

TEST_CASE("revision map: graph errors", "[migrate][sqlite]") {
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
  SECTION("a downgrade target that is not an ancestor") {
    auto map = branched();
    auto msg = error_of<RangeNotAncestorError>([&] { map.downgrade_plan({"c4main"}, {"f3feat"}); });
    CHECK(contains(msg, "f3feat"));
    CHECK(contains(msg, "c4main"));
    CHECK_THROWS_AS(linear().downgrade_plan({"a1"}, {"a3"}), RangeNotAncestorError);
  }
}

TEST_CASE("revision map: LABEL@-N steps down through a merge along the labelled branch", "[migrate][sqlite]") {
  auto map = merged();
  CHECK(map.resolve("feat@-1", {"m5"}) == Ids{"f4feat"});
  CHECK(map.resolve("feat@-2", {"m5"}) == Ids{"f3feat"});
  // Without a label the merge stays ambiguous.
  CHECK_THROWS_AS(map.resolve("-2", {"m5"}), ResolutionError);
}
