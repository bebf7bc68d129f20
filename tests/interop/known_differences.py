"""Deliberate differences between retort and Alembic 1.8.1, filtered out of the report.

Each entry says when it applies (a predicate over the step), which difference categories it
explains, and why retort differs on purpose. Add an entry only with a reason a reviewer accepts:
everything else is a bug in one of the tools.
"""

from dataclasses import dataclass
from typing import Callable

from comparison import ToolStep
from command_generator import Command
from graph_generator import Graph


@dataclass
class StepContext:
    graph: Graph
    command: Command
    alembic: ToolStep
    retort: ToolStep


@dataclass
class KnownDifference:
    name: str
    reason: str
    categories: frozenset
    applies: Callable  # (StepContext) -> bool


def _downgrade_relative_from_several_heads(ctx):
    return (ctx.command.verb == "downgrade" and ctx.command.kind == "-N"
            and len(ctx.alembic.before.versions) > 1
            and ctx.alembic.result.ok and not ctx.retort.result.ok)


def _alembic_crashed_where_retort_refused(ctx):
    output = ctx.alembic.result.output
    return ("Traceback (most recent call last)" in output and not ctx.retort.result.ok
            and ctx.retort.result.status > 0)


RELATIVE_KINDS = {"+N", "-N", "id+N", "id-N", "label@+N", "label@-N"}


def _relative_stamp_refused_by_retort(ctx):
    return (ctx.command.verb == "stamp" and ctx.command.kind in RELATIVE_KINDS
            and not ctx.retort.result.ok)


def _prefix_alembic_reads_differently(ctx):
    target = ctx.command.target
    return ctx.command.kind == "prefix" and (
        len(target) <= 3 or any(label.startswith(target) for label in ctx.graph.labels()))


def _stamp_to_base_with_branches(ctx):
    """`stamp base` / `stamp LABEL@base` while several rows (branches) are current: the path
    through StampStep.should_delete_branch, where Alembic's TODO is."""
    target = ctx.command.target
    return (ctx.command.verb == "stamp" and (target == "base" or target.endswith("@base"))
            and len(ctx.alembic.before.versions) >= 2)


KNOWN_DIFFERENCES = [
    KnownDifference(
        "downgrade -N from several heads",
        "Alembic warns that `downgrade -1` from multiple heads is ambiguous (and will be refused "
        "in a future release), then walks down from whichever version row the database returned "
        "first; retort refuses it and asks for LABEL@-N or a revision.",
        frozenset({"status", "migrations run", "version rows"}),
        _downgrade_relative_from_several_heads),
    KnownDifference(
        "Alembic died part-way where retort refused",
        "Alembic raised an uncaught exception (an AssertionError in its revision map or stamp "
        "steps) after writing part of the change, e.g. `stamp LABEL@-N` from an empty version "
        "table; retort refused the same command with an error and changed nothing. Alembic's "
        "partial write is its own bug, not behaviour to copy.",
        frozenset({"migrations run", "version rows", "invariant (alembic)"}),
        _alembic_crashed_where_retort_refused),
    KnownDifference(
        "stamp with a relative target",
        "Alembic's stamp does not support relative targets (+N, -N, REV-N, LABEL@-N): it "
        "refuses them (`Can't locate revision identified by '-2'`) except from an empty version "
        "table, where it walks from base and writes rows that can even be redundant ({A, B} "
        "with A below B); retort refuses every relative stamp target.",
        frozenset({"status", "version rows", "invariant (alembic)"}),
        _relative_stamp_refused_by_retort),
    KnownDifference(
        "prefix of 3 characters or of a label",
        "Alembic ignores partial ids of 3 characters or fewer and also matches prefixes of "
        "branch labels; retort matches prefixes of revision ids only (the generator avoids both).",
        frozenset({"status", "migrations run", "version rows", "migration order"}),
        _prefix_alembic_reads_differently),
    KnownDifference(
        "stamp to base with several branches",
        "Alembic stamps to base with StampStep.should_delete_branch, which carries a TODO: `we "
        "probably need to look for self.to_ inside of heads ... we have no tests for this yet "
        "(stamp downgrades w/ branches)`; retort computes which rows a stamp removes from the "
        "graph.",
        frozenset({"status", "version rows"}),
        _stamp_to_base_with_branches),
]


IGNORED_ORDER = KnownDifference(
    "migration order (--ignore-order)",
    "Both tools ran the same migrations in different valid orders (each order is checked against "
    "the graph by the invariants); the order among independent branches is not specified.",
    frozenset({"migration order"}),
    lambda ctx: True)


def explain(ctx, difference, ignore_order=False):
    """The known difference that explains a difference at this step, or None.

    An invariant is explained only by an entry naming it with its tool, e.g. "invariant
    (alembic)": a tool contradicting itself is a bug unless a reviewer says otherwise.
    """
    category = "%s (%s)" % (difference.category, difference.tool) if difference.tool \
        else difference.category
    for known in KNOWN_DIFFERENCES + ([IGNORED_ORDER] if ignore_order else []):
        if category in known.categories and known.applies(ctx):
            return known
    return None
