"""Readable reports: one block per disagreeing step, a table of categories, the SUMMARY line."""

import os
import shlex
from collections import OrderedDict

from comparison import CATEGORIES

OUTPUT_LINES = 8  # lines of each tool's output quoted in a report


def step_line(outcome, record):
    """A one-line trace of a step, for -v."""
    parts = ["seed %d %s step %d%s: %s" % (outcome.seed, outcome.mode, record.index,
                                           _driver_note(record), record.command)]
    for name, step in record.steps.items():
        parts.append("%s %s ran [%s] rows {%s}" % (
            name, "ok" if step.result.ok else "FAILED(%d)" % step.result.status,
            ", ".join(step.new_rows()), ", ".join(sorted(step.after.versions))))
    flags = [d.category for d in record.differences] + ["known: " + k.name for k, _ in record.known]
    if record.resynchronised:
        flags.append("retort continues from a copy of Alembic's database")
    return " | ".join(parts) + ("  <<< " + "; ".join(flags) if flags else "")


def disagreement_block(outcome, record):
    lines = ["=== DISAGREEMENT seed %d (%s), step %d: %s  [%s]" % (
        outcome.seed, outcome.mode, record.index, record.command,
        ", ".join(sorted({_category(d) for d in record.differences})))]
    lines.append("graph:")
    lines.append(outcome.graph.describe())
    lines.append("commands so far:")
    lines.extend(_sequence_lines(outcome, record))
    for name, step in record.steps.items():
        lines.append("%s: exit %d; ran [%s]; version rows {%s} (before {%s})" % (
            name, step.result.status, ", ".join(step.new_rows()),
            ", ".join(sorted(step.after.versions)), ", ".join(sorted(step.before.versions))))
        lines.extend("   | " + line for line in _quoted_output(step.result.output))
    lines.append("differences:")
    lines.extend("  - %s: %s" % (_category(d), d.detail) for d in record.differences)
    if record.shrunk:
        graph, steps = record.shrunk
        lines.append("smaller reproduction (same differences at its last command):")
        lines.append(graph.describe())
        lines.append("  commands: " + "; ".join(
            str(c) + (" (by %s)" % driver if driver else "") for c, driver in steps))
    return "\n".join(lines)


def _sequence_lines(outcome, record):
    lines = []
    for earlier in outcome.records:
        if earlier.index > record.index:
            break
        if earlier.command.kind == "interop check" and earlier is not record:
            continue
        lines.append("  %2d. %s%s" % (earlier.index, earlier.command, _driver_note(earlier)))
    return lines


def _driver_note(record):
    if record.driver == "-":
        return " (interop check on the shared database)"
    return " (shared database continues from %s)" % record.driver if record.driver else ""


def _quoted_output(output):
    lines = [line for line in output.splitlines() if line.strip()]
    if len(lines) > OUTPUT_LINES:  # keep the end too: a traceback's exception is its last line
        head, tail = OUTPUT_LINES // 2, OUTPUT_LINES - OUTPUT_LINES // 2 - 1
        lines = lines[:head] + ["... (%d lines)" % (len(lines) - head - tail)] + lines[-tail:]
    return lines


def _category(difference):
    if difference.tool:
        return "%s (%s)" % (difference.category, difference.tool)
    return difference.category


class Tally:
    """Counts per category of (difference, verb, target kind), with the smallest example of each."""

    def __init__(self):
        self.groups = OrderedDict()
        self.known = OrderedDict()
        self.cases = self.agreed = self.disagreed = 0

    def add(self, outcome):
        self.cases += 1
        disagreements = outcome.disagreements()
        if disagreements:
            self.disagreed += 1
        else:
            self.agreed += 1
        for record in disagreements:
            for difference in record.differences:
                self._count((_category(difference), record.command.verb, record.command.kind),
                            outcome, record)
        for known, _ in outcome.known():
            self.known[known.name] = self.known.get(known.name, 0) + 1

    def _count(self, key, outcome, record):
        """Keeps the smallest example: fewest revisions, then fewest commands."""
        graph, steps = outcome.graph, record.index
        if record.shrunk:
            graph, steps = record.shrunk[0], len(record.shrunk[1])
        example = (len(graph.revisions), steps, outcome.seed, outcome.mode, str(record.command))
        count, smallest = self.groups.get(key, (0, example))
        self.groups[key] = (count + 1, min(smallest, example))

    def table(self):
        lines = []
        if self.groups:
            lines.append("disagreements by category (difference, command, target kind): count, "
                         "smallest example")
            for (category, verb, kind), (count, example) in sorted(self.groups.items(),
                                                                   key=_by_category):
                revisions, index, seed, mode, command = example
                lines.append("  %-22s %-9s %-16s %4d  seed %d (%s, %d revisions, %d steps): %s" % (
                    category, verb, kind or "-", count, seed, mode, revisions, index, command))
        if self.known:
            lines.append("known differences filtered out:")
            lines.extend("  %4d  %s" % (count, name) for name, count in self.known.items())
        return "\n".join(lines)

    def summary(self):
        return "SUMMARY cases=%d agreed=%d disagreed=%d" % (self.cases, self.agreed, self.disagreed)


def _by_category(item):
    (category, verb, kind), _ = item
    return CATEGORIES.index(category.split(" (")[0]), category, verb, kind


def write_replay(outcome, projects, retort_binary):
    """Leaves graph.txt, commands.txt and (differential mode) replay.sh beside the projects."""
    root = projects.root
    with open(os.path.join(root, "graph.txt"), "w") as f:
        f.write("seed %d\n%s\n" % (outcome.seed, outcome.graph.describe()))
    with open(os.path.join(root, "commands.txt"), "w") as f:
        f.writelines("%s%s\n" % (r.command, _driver_note(r)) for r in outcome.records)
    if outcome.mode != "differential":
        return
    script = ["#!/bin/sh", "# Replays seed %d on fresh databases, one tool after the other."
              % outcome.seed, "cd \"$(dirname \"$0\")\"",
              "RETORT=${RETORT:-%s}" % shlex.quote(retort_binary),
              "for db in alembic.db retort.db; do rm -f $db; python3 -c \"import sqlite3,sys; "
              "sqlite3.connect(sys.argv[1]).execute('CREATE TABLE run_log (seq INTEGER PRIMARY KEY "
              "AUTOINCREMENT, tool_step TEXT)')\" $db; done"]
    for record in outcome.records:
        args = " ".join(shlex.quote(a) for a in record.command.argv())
        script.append("echo '>>> %s'" % record.command)
        script.append("(cd alembic && alembic -c alembic.ini %s)" % args)
        script.append("(cd retort && \"$RETORT\" -c retort.toml %s)" % args)
        if record.resynchronised:  # as the harness did after a known difference
            script.append("cp alembic.db retort.db")
    path = os.path.join(root, "replay.sh")
    with open(path, "w") as f:
        f.write("\n".join(script) + "\n")
    os.chmod(path, 0o755)
