#!/usr/bin/env python3
"""Retort's operations side by side with Alembic's, on SQLite, PostgreSQL and MariaDB.

Each case of op_cases.py (transcribed from Alembic's own tests) runs twice on identical starting
schemas: once through Alembic's Operations (Debian's alembic 1.8 and SQLAlchemy 1.4, in this
process) on one database, once as a C++ revision through `retort upgrade` on another. Both
databases are then reflected with SQLAlchemy's Inspector, the peer's own reflection, and compared:
tables, columns (type, nullable, server default, comment), primary key, foreign keys, indexes,
unique and check constraints, table comment, and every row. Where a dialect cannot do an op, both
tools must refuse it.

  ops_side_by_side.py --retort build/cli/retort [--dialects sqlite,postgresql,mysql] [--cases NAME,...]

PostgreSQL and MariaDB come from RETORT_TEST_POSTGRESQL_URL and RETORT_TEST_MYSQL_URL (the
servers tests/servers/start.sh starts); a dialect without its URL is skipped with a message. Each
run creates its own databases on those servers and drops them at the end. Exit status 0 when every
case agrees; the last line is `SUMMARY cases=N agreed=M disagreed=K skipped=S`.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import urllib.parse
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import sqlalchemy as sa
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
except ImportError:
    # python3 on PATH may not be the Python that Debian's alembic and SQLAlchemy belong to.
    from tools import alembic_interpreter

    interpreter = alembic_interpreter()
    if os.path.realpath(interpreter) == os.path.realpath(sys.executable):
        raise
    os.execv(interpreter, [interpreter, os.path.abspath(__file__), *sys.argv[1:]])

from op_cases import CASES  # noqa: E402

# SQLAlchemy warns about the expression indexes it cannot reflect: INDEX_DEFINITIONS covers them.
warnings.filterwarnings("ignore", category=sa.exc.SAWarning)

BOOKKEEPING = re.compile(r"^(retort_|alembic_)")


# --- databases --------------------------------------------------------------------------------

class Backend:
    """One dialect: a database for Alembic and one for retort, as SQLAlchemy and retort URLs."""

    def __init__(self, dialect, work):
        self.dialect = dialect
        self.created = []
        if dialect == "sqlite":
            self.alembic_url = "sqlite:///" + os.path.join(work, "alembic.db")
            self.retort_url = "sqlite:///" + os.path.join(work, "retort.db")
            self.retort_sa_url = self.retort_url
            return
        base = os.environ["RETORT_TEST_POSTGRESQL_URL" if dialect == "postgresql" else "RETORT_TEST_MYSQL_URL"]
        parts = urllib.parse.urlsplit(base)
        driver = "postgresql+psycopg2" if dialect == "postgresql" else "mysql+pymysql"
        suffix = str(os.getpid())
        names = {"alembic": "ops_sbs_alembic_" + suffix, "retort": "ops_sbs_retort_" + suffix}
        admin = sa.create_engine(urllib.parse.urlunsplit(parts._replace(scheme=driver)),
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in names.values():
                conn.exec_driver_sql("DROP DATABASE IF EXISTS %s" % name)
                conn.exec_driver_sql("CREATE DATABASE %s" % name)
                self.created.append(name)
        admin.dispose()
        self._admin_url = urllib.parse.urlunsplit(parts._replace(scheme=driver))
        self.alembic_url = urllib.parse.urlunsplit(parts._replace(scheme=driver, path="/" + names["alembic"]))
        self.retort_sa_url = urllib.parse.urlunsplit(parts._replace(scheme=driver, path="/" + names["retort"]))
        self.retort_url = urllib.parse.urlunsplit(parts._replace(path="/" + names["retort"]))

    def engines(self):
        return sa.create_engine(self.alembic_url), sa.create_engine(self.retort_sa_url)

    def drop(self):
        if not self.created:
            return
        admin = sa.create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in self.created:
                conn.exec_driver_sql("DROP DATABASE IF EXISTS %s" % name)
        admin.dispose()


def clear(engine, dialect):
    """Drops every table but the version table (and, on PostgreSQL, every enum type)."""
    insp = sa.inspect(engine)
    tables = [t for t in insp.get_table_names() if not BOOKKEEPING.match(t)]
    with engine.begin() as conn:
        if dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        if dialect == "mysql":
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        for view in insp.get_view_names():
            conn.exec_driver_sql("DROP VIEW %s" % view)
        for t in tables:
            conn.exec_driver_sql("DROP TABLE %s%s" % (t, " CASCADE" if dialect == "postgresql" else ""))
        if dialect == "postgresql":
            for enum in insp.get_enums():
                conn.exec_driver_sql("DROP TYPE %s" % enum["name"])
        if dialect == "mysql":
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")


def run_setup(engine, sql):
    with engine.begin() as conn:
        for statement in sql.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)


# --- what is compared --------------------------------------------------------------------------

def normal_sql(text):
    """SQL text with the quoting, parentheses, case and spacing that tools render differently."""
    if text is None:
        return None
    return re.sub(r"[\s\"'`()]", "", str(text)).lower()


def type_text(type_, dialect):
    try:
        return type_.compile(dialect=dialect)
    except Exception:  # a type SQLAlchemy reflected but cannot render
        return repr(type_)


INDEX_DEFINITIONS = {
    "sqlite": "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL",
    "postgresql": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t",
}


def snapshot(engine, dialect):
    """The schema and rows of every table, as the peer's reflection sees them."""
    insp = sa.inspect(engine)
    out = {}
    for t in sorted(insp.get_table_names()):
        if BOOKKEEPING.match(t):
            continue
        table = {}
        table["columns"] = [(c["name"], type_text(c["type"], engine.dialect), c["nullable"],
                             normal_sql(c.get("default")), c.get("comment")) for c in insp.get_columns(t)]
        pk = insp.get_pk_constraint(t)
        # MySQL calls every primary key PRIMARY.
        table["primary_key"] = (pk.get("name") if dialect != "mysql" else None, pk["constrained_columns"])
        table["foreign_keys"] = sorted(
            (fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]),
             tuple(sorted((k, str(v)) for k, v in (fk.get("options") or {}).items())))
            for fk in insp.get_foreign_keys(t))
        table["indexes"] = sorted(
            (ix["name"] or "", tuple(str(c) for c in ix["column_names"]), bool(ix["unique"]),
             tuple(sorted((k, normal_sql(v)) for k, v in (ix.get("dialect_options") or {}).items())))
            for ix in insp.get_indexes(t))
        table["unique_constraints"] = sorted((u["name"] or "", tuple(u["column_names"]))
                                             for u in insp.get_unique_constraints(t))
        try:
            checks = insp.get_check_constraints(t)
        except NotImplementedError:
            checks = []
        table["check_constraints"] = sorted((c["name"] or "", normal_sql(c["sqltext"])) for c in checks)
        if dialect != "sqlite":
            table["comment"] = insp.get_table_comment(t).get("text")
        with engine.connect() as conn:
            # Index definitions as the database keeps them: SQLAlchemy 1.4 does not reflect an
            # index on an expression, nor a partial index's WHERE on SQLite.
            catalog = INDEX_DEFINITIONS.get(dialect)
            if catalog:
                table["index_definitions"] = sorted(
                    (name, normal_sql(definition)) for name, definition in conn.execute(sa.text(catalog), {"t": t}))
            rows = conn.execute(sa.text("SELECT * FROM %s" % engine.dialect.identifier_preparer.quote(t))).fetchall()
        table["rows"] = sorted(repr(tuple(r)) for r in rows)
        out[t] = table
    return out


def differences(a, b, path=""):
    """Lines naming where two snapshots differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        lines = []
        for key in sorted(set(a) | set(b)):
            if key not in a:
                lines.append("%s%s: only retort has it: %r" % (path, key, b[key]))
            elif key not in b:
                lines.append("%s%s: only Alembic has it: %r" % (path, key, a[key]))
            else:
                lines += differences(a[key], b[key], "%s%s." % (path, key))
        return lines
    if a != b:
        return ["%s alembic=%r retort=%r" % (path.rstrip("."), a, b)]
    return []


# --- the two tools ------------------------------------------------------------------------------

def run_alembic(engine, code):
    """Runs the case's Alembic code; returns None, or the error it raised."""
    try:
        with engine.begin() as conn:
            context = MigrationContext.configure(connection=conn)
            exec(code, {"op": Operations(context), "sa": sa})
        return None
    except Exception as e:  # the op refused, or the database did
        return "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")


def revision_id(index):
    return "c%02d" % index


def write_project(project, cases):
    """A retort project with one C++ revision per case, in order."""
    versions = os.path.join(project, "migrations", "versions")
    os.makedirs(versions)
    with open(os.path.join(project, "retort.toml"), "w") as f:
        f.write('[retort]\nscript_location = "migrations"\nurl = "sqlite:///unused.db"\nrevision_format = "cpp"\n')
    for i, case in enumerate(cases):
        previous = revision_id(i - 1) if i else ""
        with open(os.path.join(versions, "%s_%s.cpp" % (revision_id(i), case.name)), "w") as f:
            f.write("// retort:revision %s\n// retort:down_revision %s\n// retort:message %s\n\n"
                    "#include <map>\n#include <optional>\n#include <string>\n\n"
                    "#include <retort/migrate/cpp_revision.hpp>\n\n"
                    "RETORT_UPGRADE(op) {\n%s\n}\n\nRETORT_DOWNGRADE(op) {}\n"
                    % (revision_id(i), previous, case.name, case.retort))


def run_retort(retort, project, url, argv):
    done = subprocess.run([retort, "-c", "retort.toml", "--url", url, *argv], cwd=project,
                          capture_output=True, text=True, timeout=600)
    return done.returncode, (done.stdout + done.stderr).strip()


# --- the run -----------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--retort", required=True)
    parser.add_argument("--dialects", default="sqlite,postgresql,mysql")
    parser.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    parser.add_argument("--keep", help="folder to keep the projects and databases in")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    retort = os.path.abspath(args.retort)
    wanted = [c for c in args.cases.split(",") if c]
    unknown = set(wanted) - {c.name for c in CASES}
    if unknown:
        sys.exit("unknown case(s): %s" % ", ".join(sorted(unknown)))
    cases = [c for c in CASES if not wanted or c.name in wanted]

    work = args.keep or tempfile.mkdtemp(prefix="retort-ops-sbs-")
    os.makedirs(work, exist_ok=True)
    project = os.path.join(work, "project")
    shutil.rmtree(project, ignore_errors=True)
    write_project(project, cases)
    # Compiles every revision once (the cache then serves each step); --sql needs no database, and
    # batch revisions refuse to render without copy_from, which does not matter here.
    run_retort(retort, project, "sqlite:///" + os.path.join(work, "warm.db"), ["upgrade", "head", "--sql"])

    agreed = disagreed = skipped = 0
    for dialect in [d for d in args.dialects.split(",") if d]:
        variable = {"postgresql": "RETORT_TEST_POSTGRESQL_URL", "mysql": "RETORT_TEST_MYSQL_URL"}.get(dialect)
        if variable and not os.environ.get(variable):
            print("SKIP %s: %s is not set (start the servers with tests/servers/start.sh)" % (dialect, variable))
            skipped += sum(dialect in c.dialects for c in cases)
            continue
        folder = os.path.join(work, dialect)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        backend = Backend(dialect, folder)
        alembic_engine, retort_engine = backend.engines()
        try:
            for i, case in enumerate(cases):
                rev = revision_id(i)
                if dialect not in case.dialects:
                    status, output = run_retort(retort, project, backend.retort_url, ["stamp", rev])
                    if status != 0:
                        sys.exit("stamp %s failed on %s: %s" % (rev, dialect, output))
                    continue
                problems = check_case(case, dialect, rev, retort, project, backend, alembic_engine, retort_engine,
                                      args.verbose)
                label = "%s %s (%s)" % (dialect, case.name, case.source)
                if problems:
                    disagreed += 1
                    print("DIFF " + label)
                    for p in problems:
                        print("    " + p)
                else:
                    agreed += 1
                    print("ok   " + label)
        finally:
            alembic_engine.dispose()
            retort_engine.dispose()
            if not args.keep:
                backend.drop()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("SUMMARY cases=%d agreed=%d disagreed=%d skipped=%d" % (agreed + disagreed, agreed, disagreed, skipped))
    return 1 if disagreed else 0


def check_case(case, dialect, rev, retort, project, backend, alembic_engine, retort_engine, verbose):
    """Runs one case with both tools; returns what disagrees."""
    try:
        for engine in (alembic_engine, retort_engine):
            clear(engine, dialect)
            run_setup(engine, case.setup_for(dialect))
        before = snapshot(retort_engine, dialect)
    except Exception:
        return ["setup failed: " + traceback.format_exc().strip().splitlines()[-1]]
    alembic_error = run_alembic(alembic_engine, case.alembic)
    status, output = run_retort(retort, project, backend.retort_url, ["upgrade", rev])
    if verbose:
        print("    alembic: %s\n    retort (%d): %s" % (alembic_error or "ok", status, output.replace("\n", "\n      ")))
    expected_refusal = case.both_fail.get(dialect)
    problems = []
    if expected_refusal is not None:
        if alembic_error is None:
            problems.append("Alembic did the op, expected both tools to refuse it")
        if status == 0:
            problems.append("retort did the op, expected a refusal mentioning %r" % expected_refusal)
        elif expected_refusal not in output:
            problems.append("retort refused without mentioning %r: %s" % (expected_refusal, output))
        # The refusal leaves the database as it was; move the version on for the next case.
        after = snapshot(retort_engine, dialect)
        problems += ["retort's refusal changed the database: " + d for d in differences(before, after)]
        run_retort(retort, project, backend.retort_url, ["stamp", rev])
        return problems
    if alembic_error:
        problems.append("Alembic failed: " + alembic_error)
    if status != 0:
        problems.append("retort failed: " + output.replace("\n", " | "))
        run_retort(retort, project, backend.retort_url, ["stamp", rev])
    if problems:
        return problems
    return differences(snapshot(alembic_engine, dialect), snapshot(retort_engine, dialect))


if __name__ == "__main__":
    sys.exit(main())
