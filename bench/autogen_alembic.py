#!/usr/bin/python3
"""Alembic's side of bench/autogen_1000: autogenerate against a database.

    autogen_alembic.py URL SPEC.json ROUNDS

Builds a SQLAlchemy MetaData from the declared schema's description (written by autogen_1000),
then times, ROUNDS times after one warm-up, what `alembic revision --autogenerate` does:
produce_migrations with compare_type on, and render_python_code of the upgrade and the downgrade.
Prints the rounds, `median SECONDS`, and one `difference KIND TABLE.OBJECT` line per difference
found, in the benchmark's canonical form. Prints `missing` when Alembic is not installed.
"""
import json
import statistics
import sys
import threading
import time

try:
    import alembic
    import sqlalchemy as sa
    from alembic.autogenerate import produce_migrations, render_python_code
    from alembic.migration import MigrationContext
except ImportError:
    print("missing")
    sys.exit(0)


def double_type(dialect):
    """The type a double-precision column has on each database, as SQLAlchemy 1.4 names it."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION

        return DOUBLE_PRECISION()
    if dialect == "mysql":
        from sqlalchemy.dialects.mysql import DOUBLE

        return DOUBLE()
    return sa.Float()


def column_type(column, dialect):
    kind = column["type"]
    if kind == "integer":
        return sa.Integer()
    if kind == "string":
        return sa.String(column["length"])
    if kind == "numeric":
        return sa.Numeric(10, 2)
    if kind == "datetime":
        return sa.DateTime()
    if kind == "boolean":
        return sa.Boolean()
    if kind == "text":
        return sa.Text()
    return double_type(dialect)


def metadata_of(spec, dialect):
    metadata = sa.MetaData()
    for table in spec:
        elements = []
        for c in table["columns"]:
            args = [c["name"], column_type(c, dialect)]
            if c["references"]:
                args.append(sa.ForeignKey(c["references"]))
            default = None
            if c["server_default"] == "0":
                default = sa.text("0")
            elif c["server_default"] == "now":
                default = sa.func.now()
            elements.append(
                sa.Column(*args, primary_key=c["primary_key"], nullable=c["nullable"], server_default=default)
            )
        for check in table["checks"]:
            elements.append(sa.CheckConstraint(check["condition"], name=check["name"]))
        for index in table["indexes"]:
            elements.append(sa.Index(index["name"], *index["columns"], unique=index["unique"]))
        sa.Table(table["name"], metadata, *elements)
    return metadata


def canonical(diff):
    """autogen_1000's form of one entry of as_diffs(): a list for modify_* entries."""
    if isinstance(diff, list):
        return [f"{d[0]} {d[2]}.{d[3]}" for d in diff]
    kind = diff[0]
    if kind in ("add_table", "remove_table"):
        return [f"{kind} {diff[1].name}"]
    if kind in ("add_column", "remove_column"):
        return [f"{kind} {diff[2]}.{diff[3].name}"]
    if kind in ("add_index", "remove_index"):
        return [f"index {diff[1].table.name}.{diff[1].name}"]
    if kind in ("add_fk", "remove_fk"):
        fk = diff[1]
        return [f"{kind} {fk.parent.name}.{', '.join(fk.column_keys)}"]
    return [f"{kind} {diff[1]!r}"]


def main():
    url, spec_file, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(spec_file) as f:
        spec = json.load(f)
    engine = sa.create_engine(url)
    metadata = metadata_of(spec, engine.dialect.name)
    times = []
    script = None
    for _ in range(rounds + 1):
        start = time.perf_counter()
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "target_metadata": metadata})
            script = produce_migrations(context, metadata)
            render_python_code(script.upgrade_ops)
            render_python_code(script.downgrade_ops)
        times.append(time.perf_counter() - start)
    print(
        f"alembic {alembic.__version__} sqlalchemy {sa.__version__} rounds "
        + " ".join("%.6f" % t for t in times[1:])
    )
    print("median %.6f" % statistics.median(times[1:]))
    found = set()
    for diff in script.upgrade_ops.as_diffs():
        found.update(canonical(diff))
    # Alembic also lists a dropped table's indexes; retort counts them in the table.
    tables = {d.split(" ")[1] for d in found if d.startswith(("add_table ", "remove_table "))}
    found = {d for d in found if not (d.startswith("index ") and d.split(" ")[1].split(".")[0] in tables)}
    for d in sorted(found):
        print("difference", d)


# SQLAlchemy reflects a dropped table's foreign-key targets recursively, about ten frames per
# table: on the 1,000-table chain that passes Python's default limit (RecursionError), so the
# limit is raised, on a thread with a stack large enough for it.
sys.setrecursionlimit(100000)
threading.stack_size(1 << 29)
worker = threading.Thread(target=main)
worker.start()
worker.join()
