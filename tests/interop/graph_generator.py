"""Random revision graphs for the Alembic side-by-side harness.

A graph is a DAG of revisions with several bases, branch points, merges (2-3 down revisions),
branch labels and depends_on edges to other branches. Revisions are created in order and every
edge points to an earlier revision, so the graph can never hold a cycle.
"""

import random
from dataclasses import dataclass, field


@dataclass
class Revision:
    id: str
    down: tuple = ()  # down revision ids, () for a base
    labels: tuple = ()  # branch labels declared here
    depends_on: tuple = ()  # as written in the file: revision ids or branch labels
    message: str = ""  # the docstring (Alembic) and message (retort); retort's defaults to the id


@dataclass
class Graph:
    revisions: list = field(default_factory=list)  # in creation order: parents first

    def ids(self):
        return [r.id for r in self.revisions]

    def by_id(self, rev_id):
        return next(r for r in self.revisions if r.id == rev_id)

    def labels(self):
        return [label for r in self.revisions for label in r.labels]

    def label_owner(self, label):
        """The revision declaring a label: what a label means inside depends_on."""
        return next(r.id for r in self.revisions if label in r.labels)

    def resolved_dependencies(self, rev_id):
        deps = self.by_id(rev_id).depends_on
        return tuple(d if d in self.ids() else self.label_owner(d) for d in deps)

    def parents(self, rev_id, with_dependencies=True):
        down = self.by_id(rev_id).down
        return down + self.resolved_dependencies(rev_id) if with_dependencies else down

    def ancestors(self, rev_ids, with_dependencies=True):
        """The revisions in rev_ids and everything below them."""
        seen, todo = set(), list(rev_ids)
        while todo:
            rev_id = todo.pop()
            if rev_id not in seen:
                seen.add(rev_id)
                todo.extend(self.parents(rev_id, with_dependencies))
        return seen

    def descendants(self, rev_ids, with_dependencies=True):
        """The revisions in rev_ids and everything above them."""
        wanted = set(rev_ids)
        return {r.id for r in self.revisions if self.ancestors([r.id], with_dependencies) & wanted}

    def heads(self):
        has_child = {p for r in self.revisions for p in r.down}
        return [r.id for r in self.revisions if r.id not in has_child]

    def describe(self):
        """One line per revision, readable in a report and enough to rebuild the graph."""
        lines = []
        for r in self.revisions:
            parts = [r.id, "<- " + (",".join(r.down) if r.down else "(base)")]
            if r.labels:
                parts.append("labels=" + ",".join(r.labels))
            if r.depends_on:
                parts.append("depends_on=" + ",".join(r.depends_on))
            lines.append("  " + " ".join(parts))
        return "\n".join(lines)


MAX_BASES = 3


def random_graph(rng: random.Random) -> Graph:
    graph = Graph()
    count = rng.randint(3, 14)
    for index in range(count):
        rev_id = "r%02d%s%02x" % (index + 1, rng.choice("abcdef"), rng.randrange(256))
        down = _random_down_revisions(rng, graph)
        graph.revisions.append(Revision(rev_id, down))
        revision = graph.revisions[-1]
        if rng.random() < 0.3:
            revision.labels = ("lbl%d" % (len(graph.labels()) + 1),)
        revision.depends_on = _random_dependencies(rng, graph, rev_id)
    return graph


def _random_down_revisions(rng, graph):
    if not graph.revisions:
        return ()
    bases = sum(1 for r in graph.revisions if not r.down)
    heads = graph.heads()
    roll = rng.random()
    if roll < 0.12 and bases < MAX_BASES:
        return ()
    if roll < 0.35 and len(heads) >= 2:
        # merge heads first, then revisions from the middle of other branches
        others = [i for i in graph.ids() if i not in heads]
        candidates = rng.sample(heads, len(heads)) + rng.sample(others, len(others))
        merged = _independent_subset(graph, candidates, (), rng.choice([2, 2, 3]))
        if len(merged) >= 2:
            return tuple(merged)
    if roll < 0.55:
        return (rng.choice(graph.ids()),)  # anywhere: often a new branch point
    return (rng.choice(heads),)


def _random_dependencies(rng, graph, rev_id):
    """depends_on edges to earlier revisions on other branches."""
    if rng.random() >= 0.3:
        return ()
    parents = graph.parents(rev_id)
    candidates = [i for i in graph.ids() if i != rev_id]
    chosen = _independent_subset(graph, rng.sample(candidates, len(candidates)), parents,
                                 rng.choice([1, 1, 2]))
    return tuple(_dependency_name(rng, graph.by_id(i)) for i in chosen)


def _dependency_name(rng, revision):
    return rng.choice(revision.labels) if revision.labels and rng.random() < 0.4 else revision.id


def _independent_subset(graph, candidates, fixed, wanted):
    """Up to `wanted` candidates that, together with `fixed`, are pairwise unrelated.

    Alembic mishandles a revision whose parents (down revisions and dependencies) include one
    that is an ancestor of another (e.g. a KeyError deleting a version row during a merge), so
    generated graphs never hold such redundant edges.
    """
    chosen = []
    for candidate in candidates:
        if len(chosen) == wanted:
            break
        if all(_unrelated(graph, candidate, other) for other in list(fixed) + chosen):
            chosen.append(candidate)
    return chosen


def parents_unrelated(graph, rev_id):
    """The rule every generated revision keeps: no parent is an ancestor of another."""
    parents = graph.parents(rev_id)
    return len(set(parents)) == len(parents) and all(
        _unrelated(graph, a, b) for i, a in enumerate(parents) for b in parents[i + 1:])


def _unrelated(graph, a, b):
    return a not in graph.ancestors([b]) and b not in graph.ancestors([a])
