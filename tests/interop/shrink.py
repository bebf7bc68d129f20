"""Shrinking a disagreement to a small reproduction for the report (--shrink).

Greedy, repeated until nothing more can go: drop one earlier command at a time, one revision
that nothing else needs (no child, no dependent, not named by a command), one revision in the
middle of a chain (its children take over its down revisions), one depends_on entry, one branch
label that nothing names; keep each cut whenever the graph stays valid (graph_generator's rule:
no revision's parents related to each other) and the last command still shows the same
categories of difference.
"""

import os
import shutil
from dataclasses import replace

from graph_generator import Graph, parents_unrelated
from seed_run import SeedRun


def shrink(seed, args, tools, root, outcome, record):
    """(graph, steps): a smaller graph and sequence of (command, driver) steps whose last step
    shows the same difference; the driver (interop mode) is the tool whose result the shared
    database continued from, kept per command so that dropping one does not shift the others."""
    wanted = _categories(record)
    is_check = record.command.kind == "interop check"  # the interop `current` after a step
    graph = outcome.graph
    commands = [(r.command, r.driver) for r in outcome.records
                if r.index <= record.index and r.command.kind != "interop check"]

    trials_root = os.path.join(root, "shrink")  # the seed's own projects stay as they ran

    def reproduces(trial_graph, trial_commands):
        run = SeedRun(seed, len(trial_commands), args.interop, tools, trials_root,
                      args.ignore_order, graph=trial_graph, steps=trial_commands,
                      imported=args.imported)
        last = [r for r in run.run().records if r.index == len(trial_commands)
                and (r.command.kind == "interop check") == is_check]
        return bool(last) and _categories(last[0]) == wanted

    progress = True
    while progress:
        progress = False
        for position in reversed(range(len(commands) - 1)):
            trial = commands[:position] + commands[position + 1:]
            if reproduces(graph, trial):
                commands, progress = trial, True
        for trial in _smaller_graphs(graph, commands):
            if reproduces(trial, commands):
                graph, progress = trial, True
                break  # the other candidates were cut from the old graph
    shutil.rmtree(trials_root, ignore_errors=True)
    return graph, commands


def _smaller_graphs(graph, commands):
    """Valid graphs with one revision, one dependency or one unused label less."""
    named = {name for c, _ in commands for name in _names_in(c.target)}
    named |= {d for r in graph.revisions for d in r.depends_on}
    for revision in reversed(graph.revisions):
        if _removable(graph, commands, revision):
            yield Graph([r for r in graph.revisions if r is not revision])
    for revision in graph.revisions:
        if not set((revision.id,) + revision.labels) & named:
            contracted = _contract(graph, revision)
            if all(parents_unrelated(contracted, r.id) for r in contracted.revisions):
                yield contracted
    for index, revision in enumerate(graph.revisions):
        for dependency in revision.depends_on:
            kept = tuple(d for d in revision.depends_on if d != dependency)
            yield _with(graph, index, replace(revision, depends_on=kept))
        for label in revision.labels:
            if label not in named:
                kept = tuple(x for x in revision.labels if x != label)
                yield _with(graph, index, replace(revision, labels=kept))


def _contract(graph, gone):
    """The graph without `gone`, its children following its own down revisions instead."""
    def down_without_gone(down):
        if gone.id not in down:
            return down
        return tuple(dict.fromkeys(d for parent in down
                                   for d in (gone.down if parent == gone.id else (parent,))))
    return Graph([replace(r, down=down_without_gone(r.down))
                  for r in graph.revisions if r is not gone])


def _with(graph, index, revision):
    return Graph(graph.revisions[:index] + [revision] + graph.revisions[index + 1:])


def _names_in(target):
    """The revision ids and labels a target can name: 'lbl1@r03ab+1' -> lbl1, r03ab."""
    return [part.split("+")[0].split("-")[0] for part in target.split("@")]


def _removable(graph, commands, revision):
    names = (revision.id,) + revision.labels
    needed_by_graph = any(revision.id in r.down or set(names) & set(r.depends_on)
                          for r in graph.revisions)
    named_by_command = any(name in c.target for c, _ in commands for name in names)
    return len(graph.revisions) > 1 and not needed_by_graph and not named_by_command


def _categories(record):
    return {(d.category, d.tool) for d in record.differences}
