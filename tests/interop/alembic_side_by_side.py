#!/usr/bin/env python3
"""Differential test: retort and Alembic 1.8.1 side by side on random revision graphs.

For each seed: a random revision graph, an Alembic project and a retort project written from it
(every migration logs 'up ID' / 'down ID' into a run_log table), and a random sequence of
upgrade/downgrade/stamp/current/heads commands run by both tools. After each command the
harness compares exit status, the migrations run (as a multiset, then their order), the version
table rows and the ids `current`/`heads` print, and checks each tool's database on its own
(comparison.py). Deliberate differences are filtered out (known_differences.py).

  python3 tests/interop/alembic_side_by_side.py --retort build/cli/retort --seeds 0-199
  ... --interop        one shared database, the tools taking turns on it
  ... --shrink         also shrink each disagreement to a smaller graph and command sequence
  ... --keep DIR       keep the projects of disagreeing seeds, with graph.txt, commands.txt and
                       replay.sh (differential mode)

Exit status 0 when every case agrees, 1 otherwise; the last line is
`SUMMARY cases=N agreed=M disagreed=K`.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from report import Tally, disagreement_block, step_line, write_replay  # noqa: E402
from seed_run import SeedRun  # noqa: E402
from shrink import shrink  # noqa: E402
from tools import REBUILD_PATIENCE, AlembicSubprocess, AlembicWorker, Retort  # noqa: E402


def parse_seeds(text):
    """'0-199', '7' or '1,4,10-12'."""
    seeds = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        seeds.extend(range(int(first), int(last or first) + 1))
    return seeds


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--retort", required=True, help="the retort program")
    parser.add_argument("--seeds", default="0-199", type=parse_seeds,
                        help="e.g. 0-199 or 3,8,10-12")
    parser.add_argument("--steps", type=int, default=12, help="commands per seed")
    parser.add_argument("--interop", action="store_true",
                        help="one shared database that the tools take turns on")
    parser.add_argument("--imported", action="store_true",
                        help="retort runs the revisions `retort import-alembic` made of the "
                        "Alembic project, not ones written from the graph")
    parser.add_argument("--keep", metavar="DIR",
                        help="write the projects here and keep those of disagreeing seeds")
    parser.add_argument("--alembic-subprocess", action="store_true",
                        help="run the `alembic` program for every command (slow) instead of a "
                        "long-lived Alembic worker process")
    parser.add_argument("--ignore-order", action="store_true",
                        help="do not count migrations run in another (valid) order as a "
                        "disagreement")
    parser.add_argument("--shrink", action="store_true",
                        help="also report a smaller graph and command sequence reproducing each "
                        "disagreement (reruns the seed many times)")
    parser.add_argument("-v", "--verbose", action="store_true", help="trace every step")
    return parser.parse_args(argv)


def run_seeds(args, tools, root):
    tally = Tally()
    for seed in args.seeds:
        started = time.monotonic()
        run = SeedRun(seed, args.steps, args.interop, tools, root, args.ignore_order,
                      imported=args.imported)
        trace = (lambda record: print(step_line(run.outcome, record))) if args.verbose else None
        outcome = run.run(on_step=trace)
        if args.shrink:
            shrink_each_kind(seed, args, tools, root, outcome)
        tally.add(outcome)
        for record in outcome.disagreements():
            print(disagreement_block(outcome, record) + "\n")
        if args.verbose:
            stopped = (", stopped after step %d: the version rows differ" % outcome.stopped_after
                       if outcome.stopped_after else "")
            print("seed %d: %.2f s%s" % (seed, time.monotonic() - started, stopped))
        if args.keep and outcome.disagreements():
            write_replay(outcome, run.projects, tools["retort"].binary)
        else:
            shutil.rmtree(run.projects.root, ignore_errors=True)
        sys.stdout.flush()
    return tally


def shrink_each_kind(seed, args, tools, root, outcome):
    """Shrinks the first disagreement of each kind (command and categories) in a seed."""
    seen = set()
    for record in outcome.disagreements():
        kind = (record.command.verb, record.command.kind,
                frozenset((d.category, d.tool) for d in record.differences))
        if kind not in seen:
            seen.add(kind)
            record.shrunk = shrink(seed, args, tools, root, outcome, record)


def wait_for_program(path, patience):
    """The retort binary may be missing for a moment while another session relinks it."""
    deadline = time.monotonic() + patience
    while not os.access(path, os.X_OK):
        if time.monotonic() > deadline:
            return False
        time.sleep(2)
    return True


def main(argv=None):
    args = parse_arguments(argv)
    if not wait_for_program(args.retort, REBUILD_PATIENCE):
        sys.exit("retort program not found: %s" % args.retort)
    tools = {"alembic": AlembicSubprocess() if args.alembic_subprocess else AlembicWorker(),
             "retort": Retort(args.retort)}
    root = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="side-by-side-")
    os.makedirs(root, exist_ok=True)
    started = time.monotonic()
    try:
        tally = run_seeds(args, tools, root)
    finally:
        for tool in tools.values():
            tool.close()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    elapsed = time.monotonic() - started
    if tally.table():
        print(tally.table())
    print("%d seeds in %.1f s (%.2f s a seed)" % (len(args.seeds), elapsed,
                                                elapsed / max(1, len(args.seeds))))
    print(tally.summary())
    return 0 if tally.disagreed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
