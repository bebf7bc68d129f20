"""Random command sequences (upgrade, downgrade, stamp, current, heads) over a revision graph.

Each command keeps the kind of its target ("label@id", "+N", ...) so that disagreements can be
grouped by what was asked for.
"""

import random
from dataclasses import dataclass

from graph_generator import Graph


@dataclass
class Command:
    verb: str  # upgrade, downgrade, stamp, current, heads
    target: str = ""  # empty for current and heads
    kind: str = ""  # the target's kind, or the verb's option for current/heads
    options: tuple = ()

    def argv(self):
        return [self.verb, *self.options] + ([self.target] if self.target else [])

    def __str__(self):
        return " ".join(self.argv())


# Which target kinds each verb draws, with weights; the other kinds come up at ODD_TARGET_RATE
# so that strange requests (upgrade -1, downgrade heads) are compared too.
TARGET_WEIGHTS = {
    "upgrade": {"heads": 3, "head": 3, "id": 4, "prefix": 2, "label": 2, "label@head": 3,
                "label@id": 2, "+N": 3, "id+N": 2, "label@+N": 2},
    "downgrade": {"base": 2, "id": 4, "prefix": 2, "label": 1, "label@base": 3, "label@id": 2,
                  "-N": 4, "id-N": 2, "label@-N": 2},
    "stamp": {"heads": 2, "head": 1, "base": 1, "id": 4, "prefix": 1, "label": 1,
              "label@head": 1, "label@base": 1, "label@id": 1},
}
ALL_KINDS = sorted({kind for weights in TARGET_WEIGHTS.values() for kind in weights})
ODD_TARGET_RATE = 0.08
VERB_WEIGHTS = {"upgrade": 38, "downgrade": 30, "stamp": 12, "current": 12, "heads": 8}
LABEL_KINDS = {"label", "label@head", "label@base", "label@id", "label@+N", "label@-N"}


def random_commands(rng: random.Random, graph: Graph, steps: int):
    return [random_command(rng, graph) for _ in range(steps)]


def random_command(rng, graph):
    verb = _weighted(rng, VERB_WEIGHTS)
    if verb == "current":
        return Command("current")
    if verb == "heads":
        if rng.random() < 0.3:
            option = "--resolve-dependencies"
            return Command("heads", options=(option,), kind=option)
        return Command("heads")
    kind = _target_kind(rng, verb, bool(graph.labels()))
    return Command(verb, random_target(rng, graph, kind), kind)


def _target_kind(rng, verb, have_labels):
    weights = dict(TARGET_WEIGHTS[verb])
    if rng.random() < ODD_TARGET_RATE:
        weights = {kind: 1 for kind in ALL_KINDS}
    if not have_labels:
        weights = {k: w for k, w in weights.items() if k not in LABEL_KINDS}
    return _weighted(rng, weights)


def random_target(rng, graph, kind):
    rev_id = rng.choice(graph.ids())
    label = rng.choice(graph.labels()) if graph.labels() else None
    steps = rng.choice([1, 1, 2])
    if kind in ("heads", "head", "base"):
        return kind
    if kind == "id":
        return rev_id
    if kind == "prefix":
        return unique_prefix(rng, graph, rev_id)
    if kind == "label":
        return label
    if kind == "label@head":
        return label + "@head"
    if kind == "label@base":
        return label + "@base"
    if kind == "label@id":
        return "%s@%s" % (label, _mostly_in_lineage(rng, graph, label))
    if kind == "+N":
        return "+%d" % steps
    if kind == "-N":
        return "-%d" % steps
    if kind == "id+N":
        return "%s+%d" % (rev_id, steps)
    if kind == "id-N":
        return "%s-%d" % (rev_id, steps)
    if kind == "label@+N":
        return "%s@+%d" % (label, steps)
    if kind == "label@-N":
        return "%s@-%d" % (label, steps)
    raise ValueError(kind)


def unique_prefix(rng, graph, rev_id):
    """A proper prefix of 4+ characters naming one revision and no label.

    Alembic ignores prefixes of 3 characters or fewer and also matches label prefixes; retort
    matches ids only. Both are known differences, so the harness does not generate them.
    """
    for length in rng.sample(range(4, len(rev_id)), len(rev_id) - 4):
        prefix = rev_id[:length]
        names = graph.ids() + graph.labels()
        if sum(name.startswith(prefix) for name in names) == 1:
            return prefix
    return rev_id


def _mostly_in_lineage(rng, graph, label):
    """A revision for LABEL@REV: usually one on the label's branch, sometimes any."""
    owner = graph.label_owner(label)
    lineage = sorted(graph.ancestors([owner], False) | graph.descendants([owner], False))
    return rng.choice(lineage if rng.random() < 0.8 else graph.ids())


def _weighted(rng, weights):
    names = list(weights)
    return rng.choices(names, [weights[n] for n in names])[0]
