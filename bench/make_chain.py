#!/usr/bin/env python3
"""Writes the same N-revision chain three ways, for the upgrade_chain and heads benchmarks:
a retort project (SQL revisions), an Alembic project (op.execute of the same statements), and
one all.sql file with every statement (the sqlite3/psql reference).

  make_chain.py OUT_DIR N DIALECT(sqlite|postgresql)
Revision i creates t_i (id integer primary key, name varchar(50) not null, created_at
timestamp, ref_id integer referencing t_{i-1}.id) and an index on name."""
import os
import sys

out, n, dialect = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def rev_id(i):
    return f"{i:012x}"


def statements(i):
    ref = f" REFERENCES t_{i - 1} (id)" if i > 1 else ""
    return [
        f"CREATE TABLE t_{i} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, "
        f"created_at TIMESTAMP, ref_id INTEGER{ref})",
        f"CREATE INDEX ix_t_{i}_name ON t_{i} (name)",
    ]


retort_versions = os.path.join(out, "retort", "migrations", "versions")
alembic_versions = os.path.join(out, "alembic", "versions")
os.makedirs(retort_versions, exist_ok=True)
os.makedirs(alembic_versions, exist_ok=True)

# Two configurations: retort's default (each revision committed as it ends) and one transaction
# for the whole run; the Alembic env reads BENCH_TRANSACTION_PER_MIGRATION to match either.
for name, per_migration in (("retort.toml", "true"), ("retort-one-transaction.toml", "false")):
    with open(os.path.join(out, "retort", name), "w") as f:
        f.write('[retort]\nscript_location = "migrations"\nurl = "${RETORT_DATABASE_URL}"\n'
                f"transaction_per_migration = {per_migration}\n")

with open(os.path.join(out, "alembic", "alembic.ini"), "w") as f:
    f.write("[alembic]\nscript_location = %(here)s\nsqlalchemy.url = driver://unused\n"
            "[loggers]\nkeys = root\n[handlers]\nkeys = console\n[formatters]\nkeys = generic\n"
            "[logger_root]\nlevel = WARN\nhandlers = console\n[handler_console]\nclass = StreamHandler\n"
            "args = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n[formatter_generic]\n"
            "format = %(levelname)s %(message)s\n")
with open(os.path.join(out, "alembic", "env.py"), "w") as f:
    f.write('''import os
from alembic import context
from sqlalchemy import create_engine

url = os.environ["BENCH_SQLALCHEMY_URL"]
per_migration = os.environ.get("BENCH_TRANSACTION_PER_MIGRATION", "true") == "true"
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, transaction_per_migration=per_migration)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=per_migration)
        with context.begin_transaction():
            context.run_migrations()
''')
with open(os.path.join(out, "alembic", "script.py.mako"), "w") as f:
    f.write("")

all_sql = []
for i in range(1, n + 1):
    down = rev_id(i - 1) if i > 1 else ""
    stmts = statements(i)
    with open(os.path.join(retort_versions, f"{rev_id(i)}_t_{i}.sql"), "w") as f:
        f.write(f"-- retort:revision {rev_id(i)}\n-- retort:down_revision {down}\n"
                f"-- retort:branch_labels\n-- retort:depends_on\n-- retort:message create t_{i}\n"
                f"-- retort:create_date 2026-11-25 00:00:00\n-- retort:transactional true\n\n"
                f"-- retort:upgrade\n" + "".join(s + ";\n" for s in stmts) +
                f"\n-- retort:downgrade\nDROP TABLE t_{i};\n")
    with open(os.path.join(alembic_versions, f"{rev_id(i)}_t_{i}.py"), "w") as f:
        f.write(f'"""create t_{i}"""\nfrom alembic import op\n\nrevision = "{rev_id(i)}"\n'
                f'down_revision = {repr(down) if down else None}\nbranch_labels = None\ndepends_on = None\n\n\n'
                "def upgrade():\n" + "".join(f"    op.execute({s!r})\n" for s in stmts) +
                f"\n\ndef downgrade():\n    op.execute('DROP TABLE t_{i}')\n")
    all_sql.append("BEGIN;\n" + "".join(s + ";\n" for s in stmts) + "COMMIT;\n")
with open(os.path.join(out, "all.sql"), "w") as f:
    f.write("".join(all_sql))
