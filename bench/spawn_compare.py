#!/usr/bin/env python3
"""Times two commands that each run for milliseconds, alternately, and prints the rounds and a
RESULT line (medians) as the other benchmarks do:

    spawn_compare.py NAME ROUNDS -- OURS ARGS... -- PEER ARGS...

Each run is started with posix_spawn and waited for, and only that is timed. Timing from bash
would count a fork of the shell too (about 2 ms on the CI machine, a fifth of a `retort heads`
run); it would be counted on both sides, but it is no part of either command.
"""
import os
import statistics
import sys
import time


def run(argv):
    devnull = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=devnull)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"benchmark command failed (exit {code}): {' '.join(argv)}")
    return elapsed


def main():
    args = sys.argv[1:]
    if len(args) < 6 or args[2] != "--" or "--" not in args[3:]:
        sys.exit(__doc__)
    name, rounds = args[0], int(args[1])
    split = args.index("--", 3)
    ours, peer = args[3:split], args[split + 1:]
    if not ours or not peer:
        sys.exit(__doc__)
    a, b = [], []
    for i in range(1, rounds + 1):
        a.append(run(ours))
        b.append(run(peer))
        print(f"{name} round {i}: ours={a[-1]:.4f} peer={b[-1]:.4f}", flush=True)
    mine, theirs = statistics.median(a), statistics.median(b)
    print(f"RESULT name={name} ours={mine:.6f} peer={theirs:.6f} ratio={mine / theirs:.3f}")


if __name__ == "__main__":
    main()
