#!/usr/bin/env python3
"""Alembic's own command tests and branch walkthrough, run with retort and Alembic side by side.

The scenarios transcribe, at tag rel_1_8_1, the graphs and command sequences of Alembic's
tests/test_command.py (HistoryTest, CurrentTest, StampMultipleRootsTest, StampMultipleHeadsTest,
UpgradeDowngradeStampTest, LiveStampTest) and of docs/build/branches.rst. Alembic's tests check
its output against the revision objects; here the real `alembic` (Debian's) runs each step beside
retort, on SQLite files, and every step must agree on:
  - success or failure;
  - the migrations run, in order (each revision logs 'up ID' / 'down ID' into run_log);
  - the version rows afterwards;
  - what read-only commands (history, heads, branches, current) print, line for line;
  - with --sql, the version-table statements and migration bodies written, in order.
A step that retort answers differently on purpose names the README's deliberate difference;
the databases are then made equal again (Alembic's copied over retort's) before going on.

    python3 tests/interop/alembic_scenarios.py --retort build/cli/retort [-v] [-k NAME]
"""

import argparse
import os
import re
import shutil
import sqlite3
import sys
import tempfile
from dataclasses import dataclass, field

from graph_generator import Graph, Revision
from projects import copy_database, fresh_database, read_state, write_projects, write_revisions
from tools import AlembicWorker, Retort

# --- steps ------------------------------------------------------------------------------------


@dataclass
class Run:
    """One command, run by both tools and compared."""
    argv: list
    deliberate: str = ""  # the README's deliberate difference this step shows, if any


@dataclass
class Revisions:
    """Both projects' revision files become exactly this graph's (the databases stay)."""
    graph: Graph


@dataclass
class FreshDatabases:
    pass


@dataclass
class Execute:
    """Raw SQL on both databases (a test's fixture edits, e.g. a row no revision defines)."""
    sql: str


@dataclass
class Scenario:
    name: str
    source: str  # where in Alembic's tree the scenario comes from
    graph: Graph
    steps: list = field(default_factory=list)


def rev(rev_id, down=(), labels=(), depends_on=(), message=""):
    return Revision(rev_id, tuple(down), tuple(labels), tuple(depends_on), message)


def run(*argv, deliberate=""):
    return Run(list(argv), deliberate)


# --- the scenarios ----------------------------------------------------------------------------

# three_rev_fixture: a -> b -> c
A, B, C = "1f0c4e2a9b11", "2e9d5f3b8c22", "3d8e6a4c7d33"
THREE_REVS = [rev(A, message="Rev A"), rev(B, [A], message="Rev B"), rev(C, [B], message="Rev C")]

# multi_heads_fixture on top: b -> d -> e, b -> f
D, E, F = "4c7f7b5d6e44", "5b608c6e5f55", "6a519d7f4066"
MULTI_HEADS = THREE_REVS + [rev(D, [B], message="Rev D"), rev(E, [D], message="Rev E"),
                            rev(F, [B], message="Rev F")]


def history_test():
    steps = [run("history")]
    for r in ["%s:%s" % (A, B), ":%s" % B, "%s:" % A, "%s:+2" % A, "-2:%s" % C, "-5:%s" % C]:
        steps.append(run("history", "--rev-range=" + r))  # one word: argparse takes -2 for a flag
    steps += [run("stamp", B), run("history", "-r", "current:"),
              run("stamp", "base"), run("history", "-r", "current:"),
              run("stamp", B), run("history", "--indicate-current")]
    return Scenario("history", "tests/test_command.py HistoryTest", Graph(list(THREE_REVS)), steps)


def current_test():
    graph = Graph([rev("a1", message="a1"), rev("a2", ["a1"], message="a2"),
                   rev("a3", ["a2"], message="a3"), rev("b1", message="b1"),
                   rev("b2", ["b1"], depends_on=["a2"], message="b2"),
                   rev("b3", ["b2"], message="b3")])
    steps = [run("current"),                                          # test_doesnt_create_alembic_version
             run("stamp", "base"), run("current"),                    # test_no_current
             run("stamp", "a3"), run("current"),                      # test_plain_current
             run("stamp", "--purge", "base"), run("stamp", "a1", "b1"), run("current"),  # two heads
             run("stamp", "--purge", "base"), run("stamp", "b2"), run("current"),  # one is dependent
             run("upgrade", "b3"), run("current"),                    # test_heads_upg
             run("heads"), run("heads", "--resolve-dependencies"), run("history")]
    return Scenario("current", "tests/test_command.py CurrentTest", graph, steps)


def stamp_multiple_roots_test():
    a2, b2, c2 = "7a1b2c3d4e5f", "8b2c3d4e5f6a", "9c3d4e5f6a7b"
    graph = Graph(list(THREE_REVS) + [rev(a2, message="Rev A2"), rev(b2, [a2], message="Rev B2"),
                                      rev(c2, [b2], message="Rev C2")])
    steps = [run("stamp", "heads", "--sql"), run("stamp", "%s@head" % C, "--sql"),
             run("heads"), run("branches")]
    return Scenario("stamp multiple roots", "tests/test_command.py StampMultipleRootsTest", graph,
                    steps)


ONE_LINE = "stamp targets on one line are refused"


def stamp_multiple_heads_test():
    steps = [run("stamp", "heads", "--sql"),
             run("stamp", A, E, F, "--sql", deliberate=ONE_LINE),
             run("stamp", "base:%s" % A, "base:%s" % E, "base:%s" % F, "--sql", deliberate=ONE_LINE),
             run("stamp", A, E, F, deliberate=ONE_LINE),             # online, nonsensical
             run("stamp", "--purge", "base"), run("stamp", A), run("stamp", E, F),  # real ancestor
             run("stamp", "--purge", "base"), run("stamp", C, E), run("stamp", C, E),  # already there
             run("stamp", "%s:%s" % (B, C), "%s:%s" % (B, E), "%s:%s" % (B, F), "--sql"),
             run("stamp", "%s:heads" % B, "--sql"),
             run("stamp", "%s:%s" % (B, C), "%s:%s" % (A, E), "--sql"),  # two starts: an error
             run("stamp", "--purge", "base"), run("stamp", A),
             Execute("UPDATE alembic_version SET version_num = 'fake'"),
             run("stamp", A, E, F, "--purge", deliberate=ONE_LINE),   # test_stamp_purge
             run("stamp", E, F, "--purge"),
             run("stamp", C, "--sql", "--purge"),                     # an error
             run("heads"), run("branches"), run("history")]
    return Scenario("stamp multiple heads", "tests/test_command.py StampMultipleHeadsTest",
                    Graph(list(MULTI_HEADS)), steps)


def upgrade_downgrade_stamp_test():
    steps = [run("upgrade", A, "--sql"), run("upgrade", "%s:%s" % (B, C), "--sql"),
             run("downgrade", "%s:base" % C, "--sql"), run("downgrade", "%s:%s" % (C, A), "--sql"),
             run("upgrade", "head", "--sql"), run("upgrade", "base:head", "--sql"),
             run("stamp", "%s:head" % A, "--sql"), run("stamp", "%s:head" % A[:7], "--sql"),
             run("stamp", "head", "--sql"), run("stamp", C, "--sql"),
             run("stamp", B, C, "--sql", deliberate=ONE_LINE)]
    return Scenario("upgrade downgrade stamp --sql",
                    "tests/test_command.py UpgradeDowngradeStampTest", Graph(list(THREE_REVS)), steps)


def live_stamp_test():
    graph = Graph([rev("aaaa11112222"), rev("bbbb33334444", ["aaaa11112222"])])
    steps = [run("stamp", "head"), run("current"),                              # creates the table
             run("stamp", "--purge", "base"), run("stamp", "aaaa11112222"),
             run("stamp", "bbbb33334444"), run("current"),                      # existing upgrade
             run("stamp", "aaaa11112222"), run("current"),                      # existing downgrade
             run("stamp", "bbbb33334444"), run("stamp", "bbbb33334444"), run("current")]
    return Scenario("live stamp", "tests/test_command.py LiveStampTest", graph, steps)


# docs/build/branches.rst, its revisions and messages
ACCOUNT, COLUMN, CART = "1975ea83b712", "ae1027a6acf", "27c6a30d7c24"
MERGE, CART_COLUMN, ACCOUNT_COLUMN = "53fffde5ad5", "d747a8a8879", "55af2cb1c267"
NETWORK, IP_NUMBER, DNS = "3cac04ae8714", "109ec7d132bf", "29f859a13ea"
IP_ACCOUNT, MORE_ACCOUNT = "2a95102259be", "34e094ad6ef1"


def branches_walkthrough():
    def base_pair(cart_labels=()):
        return [rev(ACCOUNT, message="create account table"),
                rev(COLUMN, [ACCOUNT], message="add a column"),
                rev(CART, [ACCOUNT], labels=cart_labels, message="add shopping cart table")]

    merged = Graph(base_pair() + [rev(MERGE, [COLUMN, CART], message="merge ae1 and 27c")])
    labelled = base_pair(["shoppingcart"])
    cart_column = labelled + [rev(CART_COLUMN, [CART], message="add a shopping cart column")]
    account_column = cart_column + [rev(ACCOUNT_COLUMN, [COLUMN],
                                        message="add another account column")]
    networking = account_column + [
        rev(NETWORK, labels=["networking"], message="create networking branch"),
        rev(IP_NUMBER, [NETWORK], message="add ip number table"),
        rev(DNS, [IP_NUMBER], message="add DNS table")]
    depending = networking + [rev(IP_ACCOUNT, [DNS], depends_on=[ACCOUNT_COLUMN],
                                  message="add ip account table")]
    more = depending + [rev(MORE_ACCOUNT, [ACCOUNT_COLUMN], message="more account changes")]

    steps = [
        # Two heads from one branch point.
        run("branches"), run("history"), run("heads"), run("upgrade", "head"),
        # Merging them.
        Revisions(merged), run("heads"), run("history"), run("upgrade", "head"), run("current"),
        # Back to two heads: all of them at once, then one step down at a time.
        Revisions(Graph(base_pair())), FreshDatabases(), run("upgrade", "heads"), run("current"),
        run("downgrade", "-1", deliberate="downgrade -1 with several heads is refused"),
        run("current"), run("downgrade", "-1"), run("current"), run("downgrade", "-1"),
        run("current"),
        # A specific version.
        run("upgrade", "27c6a"), run("upgrade", "ae102"), run("current"),
        # Branch labels.
        Revisions(Graph(list(labelled))), FreshDatabases(), run("history"),
        run("upgrade", ACCOUNT), run("upgrade", "shoppingcart@head"), run("current"),
        Revisions(Graph(list(cart_column))), run("history"), run("history", "-r", "shoppingcart:"),
        run("history", "-r", ":shoppingcart@head"), run("history", "-r", "shoppingcart@base:"),
        # More label syntaxes.
        Revisions(Graph(list(account_column))), FreshDatabases(), run("upgrade", ACCOUNT),
        run("upgrade", "shoppingcart@heads"), run("current"),
        FreshDatabases(), run("upgrade", ACCOUNT), run("upgrade", "shoppingcart@+2"),
        run("history", "-r", "current:shoppingcart@+2"), run("history", "-r", ":shoppingcart@head-2"),
        # Multiple bases.
        Revisions(Graph(list(networking))), FreshDatabases(), run("heads"),
        run("history", "-r", "networking@base:"), run("upgrade", "networking@head"),
        run("upgrade", "heads"), run("current"),
        # Branch dependencies.
        Revisions(Graph(list(depending))), run("history", "-r", ":networking@head"),
        run("history", "-r", "networking@base:"), run("heads"), run("upgrade", "heads"),
        run("current"),
        Revisions(Graph(list(more))), run("upgrade", "heads"), run("current"), run("history"),
        run("heads"), run("branches"),
        # And back down, branch by branch.
        run("downgrade", "networking@base"), run("current"), run("downgrade", "shoppingcart@-1"),
        run("current"), run("downgrade", "base"), run("current"),
    ]
    return Scenario("branches walkthrough", "docs/build/branches.rst", Graph(base_pair()), steps)


SCENARIOS = [history_test, current_test, stamp_multiple_roots_test, stamp_multiple_heads_test,
             upgrade_downgrade_stamp_test, live_stamp_test, branches_walkthrough]

# --- comparing --------------------------------------------------------------------------------

READ_ONLY_VERBS = {"history", "heads", "branches", "current", "show"}
# Alembic lists these from Python sets, in an order that changes from run to run (string hash
# randomization): their lines are compared as sets. retort sorts them.
UNORDERED_VERBS = {"branches", "current"}

_SQL_PATTERNS = [
    (re.compile(r"CREATE TABLE alembic_version\b"), lambda m: ("create version table",)),
    (re.compile(r"DROP TABLE alembic_version\b"), lambda m: ("drop version table",)),
    (re.compile(r"INSERT INTO alembic_version \(version_num\) VALUES \('(\w+)'\)"),
     lambda m: ("insert", m.group(1))),
    (re.compile(r"UPDATE alembic_version SET version_num\s*=\s*'(\w+)' "
                r"WHERE alembic_version.version_num = '(\w+)'"),
     lambda m: ("update", m.group(2), m.group(1))),
    (re.compile(r"DELETE FROM alembic_version WHERE alembic_version.version_num = '(\w+)'"),
     lambda m: ("delete", m.group(1))),
    (re.compile(r"INSERT INTO run_log \(tool_step\) VALUES \('(\w+) (\w+)'\)"),
     lambda m: (m.group(1), m.group(2))),
]


def sql_statements(script):
    """The version-table statements and migration bodies of an offline script, in order."""
    found = []
    for line in script.splitlines():
        for pattern, meaning in _SQL_PATTERNS:
            m = pattern.match(line.strip())
            if m:
                found.append(meaning(m))
    return found


def compare(step, before, alembic, retort, alembic_state, retort_state):
    """The differences between the tools on one step (empty: they agree)."""
    problems = []
    if alembic.ok != retort.ok:
        problems.append("alembic %s, retort %s" % ("succeeded" if alembic.ok else "failed",
                                                   "succeeded" if retort.ok else "failed"))
    ran_a = alembic_state.run_log[len(before[0].run_log):]
    ran_r = retort_state.run_log[len(before[1].run_log):]
    if [s for _, s in ran_a] != [s for _, s in ran_r]:
        problems.append("alembic ran %s, retort ran %s" % ([s for _, s in ran_a], [s for _, s in ran_r]))
    if alembic_state.versions != retort_state.versions:
        problems.append("version rows: alembic %s, retort %s" % (
            sorted(alembic_state.versions), sorted(retort_state.versions)))
    if alembic.ok and retort.ok:
        if "--sql" in step.argv:
            a, r = sql_statements(alembic.stdout), sql_statements(retort.stdout)
            if a != r:
                problems.append("--sql statements:\n    alembic %s\n    retort  %s" % (a, r))
        elif step.argv[0] in READ_ONLY_VERBS:
            a, r = alembic.stdout.rstrip().splitlines(), retort.stdout.rstrip().splitlines()
            if step.argv[0] in UNORDERED_VERBS:
                a, r = sorted(a), sorted(r)
            if a != r:
                problems.append("printed:\n%s\n  retort printed:\n%s" % (
                    _indent(a, "    alembic| "), _indent(r, "    retort | ")))
    return problems


def _indent(lines, prefix):
    return "\n".join(prefix + line for line in lines) or prefix + "(nothing)"


# --- running ----------------------------------------------------------------------------------

def run_scenario(scenario, tools, root, verbose):
    """Runs one scenario; returns the number of unexpected disagreements."""
    alembic_tool, retort_tool = tools
    directory = os.path.join(root, re.sub(r"\W+", "_", scenario.name))
    projects = write_projects(scenario.graph, directory)
    failures = 0

    def fresh():
        fresh_database(projects.alembic_db)
        fresh_database(projects.retort_db)

    fresh()
    for number, step in enumerate(scenario.steps, 1):
        if isinstance(step, Revisions):
            write_revisions(step.graph, projects)
            continue
        if isinstance(step, FreshDatabases):
            fresh()
            continue
        if isinstance(step, Execute):
            for path in (projects.alembic_db, projects.retort_db):
                with sqlite3.connect(path) as db:
                    db.execute(step.sql)
                db.close()
            continue
        before = (read_state(projects.alembic_db), read_state(projects.retort_db))
        a = alembic_tool.run(projects.alembic_dir, step.argv)
        r = retort_tool.run(projects.retort_dir, step.argv)
        after_a, after_r = read_state(projects.alembic_db), read_state(projects.retort_db)
        problems = compare(step, before, a, r, after_a, after_r)
        label = "%s step %d: %s" % (scenario.name, number, " ".join(step.argv))
        if step.deliberate:
            if not problems:
                print("UNEXPECTED AGREEMENT %s (deliberate difference: %s)" % (label, step.deliberate))
                failures += 1
            elif verbose:
                print("deliberate %s: %s" % (label, step.deliberate))
            copy_database(projects.alembic_db, projects.retort_db)  # go on from Alembic's state
            continue
        if problems:
            failures += 1
            print("DISAGREE %s\n  %s" % (label, "\n  ".join(problems)))
            print("  alembic output:\n%s" % _indent(a.output.rstrip().splitlines(), "    | "))
            print("  retort output:\n%s" % _indent(r.output.rstrip().splitlines(), "    | "))
        elif verbose:
            print("agree %s%s" % (label, "" if a.ok else " (both refuse)"))
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--retort", required=True, help="the retort binary")
    parser.add_argument("-k", default="", help="only scenarios whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--keep", help="keep the projects in this folder")
    args = parser.parse_args(argv)
    root = args.keep or tempfile.mkdtemp(prefix="retort-scenarios-")
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
    tools = (AlembicWorker(), Retort(args.retort))
    failures = 0
    scenarios = [make() for make in SCENARIOS]
    try:
        for scenario in scenarios:
            if args.k in scenario.name:
                failures += run_scenario(scenario, tools, root, args.verbose)
    finally:
        tools[0].close()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    steps = sum(isinstance(s, Run) for sc in scenarios if args.k in sc.name for s in sc.steps)
    print("%d scenarios, %d steps, %d disagreements" % (
        sum(args.k in sc.name for sc in scenarios), steps, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
