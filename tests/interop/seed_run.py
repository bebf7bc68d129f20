"""One seed: a graph, its two projects, and a command sequence run by both tools.

Differential mode: each tool keeps its own database; the seed stops once their version rows
differ, since every later step would differ too (after a known difference, retort's database
is replaced by a copy of Alembic's instead, and the sequence goes on).
Interop mode: one shared database. Before each step both tools get a copy of it; the step's
driver (alternating between the tools) then hands its result on as the new shared database, so
each tool keeps continuing from what the other one wrote. After each step both tools must also
agree on `current` over the shared database.
"""

import os
import random
import shutil
from dataclasses import dataclass, field

from command_generator import Command, random_commands
from comparison import (READ_ONLY_VERBS, Difference, ToolStep, compare_step,
                        invariant_violations)
from graph_generator import random_graph
from known_differences import StepContext, explain
from projects import copy_database, fresh_database, read_state, write_projects

TOOL_NAMES = ("alembic", "retort")


def import_alembic_project(retort, projects):
    """Replaces the retort project's revisions by what `retort import-alembic` makes of the
    Alembic project's: the migration path a team moving over takes."""
    versions = os.path.join(projects.retort_dir, "migrations", "versions")
    shutil.rmtree(versions)
    os.makedirs(versions)
    result = retort.run(projects.retort_dir, ["import-alembic", projects.alembic_dir])
    if not result.ok or not os.listdir(versions):
        raise RuntimeError("retort import-alembic failed:\n" + result.output)


@dataclass
class StepRecord:
    index: int  # 1-based position in the command sequence
    command: Command
    steps: dict  # tool name -> ToolStep
    driver: str = ""  # interop mode: whose result the shared database continues from
    differences: list = field(default_factory=list)  # unexplained
    known: list = field(default_factory=list)  # [(KnownDifference, Difference)]
    resynchronised: bool = False  # differential: retort's database now copies Alembic's
    shrunk: tuple = None  # --shrink: (graph, [(command, driver)]), a smaller reproduction


@dataclass
class SeedOutcome:
    seed: int
    mode: str
    graph: object
    commands: list
    records: list = field(default_factory=list)
    stopped_after: int = 0  # differential mode: the step whose version rows diverged

    def disagreements(self):
        return [r for r in self.records if r.differences]

    def known(self):
        return [k for r in self.records for k in r.known]


class SeedRun:
    def __init__(self, seed, count, interop, tools, root, ignore_order=False, graph=None,
                 steps=None, imported=False):
        rng = random.Random(seed)
        self.graph = random_graph(rng)
        self.commands = random_commands(rng, self.graph, count)
        self.first_driver = seed % 2  # interop: half the seeds start with each tool
        self.drivers = [TOOL_NAMES[(index + self.first_driver) % 2] if interop else ""
                        for index in range(1, count + 1)]
        if graph is not None:  # shrink.py tries smaller graphs and [(command, driver)] steps
            self.graph = graph
            self.commands, self.drivers = [c for c, _ in steps], [d for _, d in steps]
        self.interop = interop
        self.ignore_order = ignore_order
        self.tools = tools  # tool name -> runner
        seed_dir = os.path.join(root, "seed-%d" % seed)
        shutil.rmtree(seed_dir, ignore_errors=True)  # left by an earlier run with --keep
        self.projects = write_projects(self.graph, seed_dir)
        if imported:
            import_alembic_project(tools["retort"], self.projects)
        self.shared_db = os.path.join(self.projects.root, "shared.db")
        self.outcome = SeedOutcome(seed, "interop" if interop else "differential",
                                   self.graph, self.commands)
        # while true, a tool's run_log must add up to exactly what its version rows imply
        self.complete_history = {name: True for name in TOOL_NAMES}
        self.last_checked_versions = frozenset()  # interop: the rows `current` last agreed on
        self.broken = set()  # tools whose invariants already failed: report once, not per step

    def run(self, on_step=None):
        for name in TOOL_NAMES:
            fresh_database(self.projects.database(name))
        fresh_database(self.shared_db)
        for index, command in enumerate(self.commands, 1):
            record = self._step(index, command)
            diverged = (not self.interop and record.steps["alembic"].after.versions
                        != record.steps["retort"].after.versions)
            if diverged and not record.differences:
                self._resynchronise()
                record.resynchronised = True
            if on_step:
                on_step(record)
            if self.interop:
                self._interop_current_check(index, on_step)
            elif diverged and record.differences:
                self.outcome.stopped_after = index
                break
        return self.outcome

    def _resynchronise(self):
        """After a known difference, retort continues from Alembic's database: the rest of the
        sequence still compares the tools from one state instead of ending the seed."""
        copy_database(self.projects.database("alembic"), self.projects.database("retort"))
        self.complete_history["retort"] = self.complete_history["alembic"]
        self.broken.discard("retort")

    def _step(self, index, command, driver=None):
        driver = driver or self.drivers[index - 1]
        if self.interop:
            self._share_database()
        steps = {name: self._run(name, command) for name in TOOL_NAMES}
        record = StepRecord(index, command, steps, driver)
        ctx = StepContext(self.graph, command, steps["alembic"], steps["retort"])
        for difference in compare_step(self.graph, command.verb, steps["alembic"], steps["retort"]):
            self._file(record, ctx, difference)
        self._check_invariants(record, ctx, command)
        if self.interop and command.verb not in READ_ONLY_VERBS:
            copy_database(self.projects.database(driver), self.shared_db)
        self.outcome.records.append(record)
        return record

    def _run(self, name, command):
        database = self.projects.database(name)
        before = read_state(database)
        project_dir = getattr(self.projects, name + "_dir")
        result = self.tools[name].run(project_dir, command.argv())
        return ToolStep(result, before, read_state(database))

    def _check_invariants(self, record, ctx, command):
        violated = {}
        for name, step in record.steps.items():
            stamped_now = command.verb == "stamp" and step.result.ok
            problems = invariant_violations(self.graph, command.verb, step,
                                            self.complete_history[name] and not stamped_now)
            violated[name] = bool(problems)
            if problems and name not in self.broken:
                self.broken.add(name)
                for problem in problems:
                    self._file(record, ctx, Difference("invariant", problem, name))
        self._note_history(record, command, violated)

    def _note_history(self, record, command, violated):
        """After a stamp, or a result that broke an invariant, run_log no longer has to match the
        version rows. In interop mode the history is the driver's, shared by both tools."""
        if self.interop:
            owners = {record.driver: TOOL_NAMES}
        else:
            owners = {name: (name,) for name in TOOL_NAMES}
        for owner, names in owners.items():
            if owner not in record.steps:  # the interop `current` check changes nothing
                continue
            stamped = command.verb == "stamp" and record.steps[owner].result.ok
            if stamped or violated[owner]:
                for name in names:
                    self.complete_history[name] = False

    def _file(self, record, ctx, difference):
        known = explain(ctx, difference, self.ignore_order)
        if known:
            record.known.append((known, difference))
        else:
            record.differences.append(difference)

    def _share_database(self):
        for name in TOOL_NAMES:
            copy_database(self.shared_db, self.projects.database(name))

    def _interop_current_check(self, index, on_step):
        """Both tools read the shared database the same way (checked when its rows change)."""
        versions = read_state(self.shared_db).versions
        if versions == self.last_checked_versions:
            return
        self.last_checked_versions = versions
        record = self._step(index, Command("current", kind="interop check"), driver="-")
        if on_step:
            on_step(record)
