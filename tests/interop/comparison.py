"""Comparing what Alembic and retort did for one command, and checking each tool on its own.

The categories, in the order a report lists them:
  status            one tool succeeded, the other failed
  alembic crashed   Alembic died of an uncaught exception (a bug of its own, where retort has
                    nothing to match) and retort succeeded; not reported when retort failed too
  retort crashed    retort was killed by a signal, whatever Alembic did
  migrations run    the new run_log rows differ as a multiset
  migration order   the same migrations ran, in another order (can legitimately differ)
  version rows      the version tables differ
  printed ids       `current` / `heads` printed different revisions
  invariant         a tool's own database contradicts itself (no oracle needed)
"""

import re
from collections import Counter
from dataclasses import dataclass

from graph_generator import Graph
from projects import DatabaseState
from tools import ToolResult

CATEGORIES = ["status", "alembic crashed", "retort crashed", "migrations run", "migration order",
              "version rows", "printed ids", "invariant"]
READ_ONLY_VERBS = {"current", "heads"}


@dataclass
class ToolStep:
    """One tool's run of one command: its result and its database before and after."""

    result: ToolResult
    before: DatabaseState
    after: DatabaseState

    def new_rows(self):
        last = self.before.run_log[-1][0] if self.before.run_log else 0
        return [step for seq, step in self.after.run_log if seq > last]


@dataclass
class Difference:
    category: str
    detail: str
    tool: str = ""  # for an invariant: whose database broke it


def compare_step(graph: Graph, verb, alembic: ToolStep, retort: ToolStep):
    differences = []
    if retort.result.status < 0:
        signal = -retort.result.status
        differences.append(Difference("retort crashed", "killed by signal %d" % signal))
    if alembic.result.ok != retort.result.ok:
        crashed = "alembic crashed" if _uncaught_exception(alembic.result) else "status"
        differences.append(Difference(crashed, "alembic %s, retort %s" % (
            _outcome(alembic), _outcome(retort))))
    ran_a, ran_r = alembic.new_rows(), retort.new_rows()
    if Counter(ran_a) != Counter(ran_r):
        differences.append(Difference("migrations run", "alembic ran %s, retort ran %s" % (
            _steps(ran_a), _steps(ran_r))))
    elif ran_a != ran_r:
        differences.append(Difference("migration order", "alembic ran %s, retort ran %s" % (
            _steps(ran_a), _steps(ran_r))))
    if alembic.after.versions != retort.after.versions:
        differences.append(Difference("version rows", "alembic has %s, retort has %s" % (
            _ids(alembic.after.versions), _ids(retort.after.versions))))
    if verb in READ_ONLY_VERBS and alembic.result.ok and retort.result.ok:
        printed_a = printed_revisions(graph, alembic.result.output)
        printed_r = printed_revisions(graph, retort.result.output)
        if printed_a != printed_r:
            differences.append(Difference("printed ids", "alembic printed %s, retort printed %s" % (
                _ids(printed_a), _ids(printed_r))))
    return differences


def printed_revisions(graph, output):
    """The revision ids a `current` or `heads` output names (labels and markers are ignored)."""
    ids = set(graph.ids())
    return frozenset(token for token in re.findall(r"[A-Za-z0-9_]+", output) if token in ids)


def invariant_violations(graph: Graph, verb, step: ToolStep, run_log_is_complete):
    """What one tool's database says that cannot be true, whatever the other tool did.

    The migrations this step ran must take the revisions its old version rows imply to those
    its new rows imply, in an order that respects the graph (_replay_problems).
    run_log_is_complete: no stamp (nor a step that broke an invariant) is in this history, so
    the migrations run (ups minus downs) must be exactly what the version rows imply.
    """
    if verb in READ_ONLY_VERBS or not step.result.ok:
        if step.before == step.after:
            return []
        why = "only reads" if step.result.ok else "failed"
        return ["the command %s but changed the database: ran %s, version rows %s -> %s" % (
            why, _steps(step.new_rows()), _ids(step.before.versions), _ids(step.after.versions))]
    rows = step.after.versions
    unknown = rows - set(graph.ids())
    if unknown:
        return ["version rows name unknown revisions %s" % _ids(unknown)]
    # rows left redundant by an earlier step (or the other tool, in interop mode) are not news
    old_news = _redundant_rows(graph, step.before.versions)
    problems = [p for p in _redundant_rows(graph, rows) if p not in old_news]
    if verb == "stamp" and step.new_rows():
        problems.append("stamp ran migrations %s" % _steps(step.new_rows()))
    elif verb != "stamp":  # a stamp moves the rows without running anything: nothing to replay
        problems += _replay_problems(graph, step)
    if run_log_is_complete:
        problems += _run_log_problems(graph, step.after, graph.ancestors(rows))
    return problems


def _redundant_rows(graph, rows):
    """A version row below another row through down revisions is redundant.

    Only down revisions: Alembic keeps a row for a dependency below another row in some cases
    (downgrading to a revision that depends on another branch's current revision), and both
    tools agree on that; depends_on rows are compared between the tools instead.
    """
    return ["version row %s is below version row %s" % (low, high)
            for high in sorted(rows) for low in sorted(rows)
            if low != high and low in graph.ancestors([high], with_dependencies=False)]


def _replay_problems(graph, step):
    """Replays the step's migrations over what the version rows said before.

    Each 'up X' needs X's parents applied and X not; each 'down X' needs X applied and nothing
    applied above it; and the end result must be what the new version rows imply. This checks
    the order of the migrations run, which the other tool cannot judge (orders may differ).
    """
    applied = graph.ancestors(step.before.versions)
    problems = []
    for row in step.new_rows():
        direction, rev_id = row.split()
        if direction == "up":
            problem = _up_problem(graph, applied, rev_id)
            applied.add(rev_id)
        else:
            problem = _down_problem(graph, applied, rev_id)
            applied.discard(rev_id)
        if problem:
            problems.append("'%s' ran while %s" % (row, problem))
    implied = graph.ancestors(step.after.versions)
    if not problems and applied != implied:
        problems.append("the migrations run lead to %s but the version rows imply %s" % (
            _ids(applied), _ids(implied)))
    return problems


def _up_problem(graph, applied, rev_id):
    if rev_id in applied:
        return "it was applied already"
    missing = [p for p in graph.parents(rev_id) if p not in applied]
    return "its parent(s) %s were not applied" % ", ".join(missing) if missing else None


def _down_problem(graph, applied, rev_id):
    if rev_id not in applied:
        return "it was not applied"
    above = sorted(a for a in applied if rev_id in graph.parents(a))
    return "%s above it were still applied" % ", ".join(above) if above else None


def _run_log_problems(graph, state, implied):
    net = Counter()
    for _, step in state.run_log:
        direction, rev_id = step.split()
        net[rev_id] += 1 if direction == "up" else -1
    problems = ["%s applied %d times (ups minus downs)" % (rev_id, count)
                for rev_id, count in sorted(net.items()) if count not in (0, 1)]
    applied = {rev_id for rev_id, count in net.items() if count == 1}
    if applied - implied:
        problems.append("ran but not implied by the version rows: %s" % _ids(applied - implied))
    if implied - applied:
        problems.append("implied by the version rows but never ran: %s" % _ids(implied - applied))
    for rev_id in sorted(applied):
        missing = [p for p in graph.parents(rev_id) if p not in applied]
        if missing:
            problems.append("%s applied without its parent(s) %s" % (rev_id, ", ".join(missing)))
    return problems


def _uncaught_exception(result):
    return "Traceback (most recent call last)" in result.output


def _outcome(step):
    if step.result.ok:
        return "succeeded"
    if _uncaught_exception(step.result):
        return "died of %s" % step.result.output.strip().splitlines()[-1]
    return "failed (exit %d)" % step.result.status


def _steps(rows):
    return "[" + ", ".join(rows) + "]"


def _ids(ids):
    return "{" + ", ".join(sorted(ids)) + "}"
