"""The two projects (Alembic and retort) written from one revision graph, and their databases.

Every revision's upgrade and downgrade insert one run_log row ('up ID' / 'down ID'), so the
database itself records which migrations each tool ran and in what order.
"""

import os
import shutil
import sqlite3
from dataclasses import dataclass

from graph_generator import Graph

RUN_LOG_DDL = "CREATE TABLE run_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, tool_step TEXT)"
VERSION_TABLE = "alembic_version"

ALEMBIC_INI = """[alembic]
script_location = {script_location}
sqlalchemy.url = sqlite:///{database}
"""

# Online and offline, one transaction per migration as retort.toml asks for too.
ALEMBIC_ENV = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=None,
                      literal_binds=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None,
                          transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

ALEMBIC_REVISION = '''{docstring}from alembic import op

revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = {branch_labels!r}
depends_on = {depends_on!r}


def upgrade():
    op.execute("{up}")


def downgrade():
    op.execute("{down}")
'''

RETORT_TOML = """[retort]
script_location = "migrations"
url = "sqlite:///{database}"
version_table = "{version_table}"
revision_format = "sql"
transaction_per_migration = true
"""

RETORT_REVISION = """-- retort:revision {revision}
-- retort:down_revision {down_revision}
-- retort:branch_labels {branch_labels}
-- retort:depends_on {depends_on}
-- retort:message {message}
-- retort:transactional true

-- retort:upgrade
{up};

-- retort:downgrade
{down};
"""


@dataclass
class Projects:
    root: str
    alembic_dir: str
    alembic_db: str
    retort_dir: str
    retort_db: str

    def database(self, tool):
        return self.alembic_db if tool == "alembic" else self.retort_db


def run_log_insert(direction, rev_id):
    return "INSERT INTO run_log (tool_step) VALUES ('%s %s')" % (direction, rev_id)


def write_projects(graph: Graph, root: str) -> Projects:
    projects = Projects(root, os.path.join(root, "alembic"), os.path.join(root, "alembic.db"),
                        os.path.join(root, "retort"), os.path.join(root, "retort.db"))
    script_location = os.path.join(projects.alembic_dir, "migrations")
    os.makedirs(script_location)
    _write(os.path.join(projects.alembic_dir, "alembic.ini"),
           ALEMBIC_INI.format(script_location=script_location, database=projects.alembic_db))
    _write(os.path.join(script_location, "env.py"), ALEMBIC_ENV)
    os.makedirs(os.path.join(projects.retort_dir, "migrations"))
    _write(os.path.join(projects.retort_dir, "retort.toml"),
           RETORT_TOML.format(database=projects.retort_db, version_table=VERSION_TABLE))
    write_revisions(graph, projects)
    return projects


def write_revisions(graph: Graph, projects: Projects):
    """(Re)writes both projects' revision files: exactly the graph's revisions, nothing else."""
    for directory in (projects.alembic_dir, projects.retort_dir):
        versions = os.path.join(directory, "migrations", "versions")
        shutil.rmtree(versions, ignore_errors=True)
        os.makedirs(versions)
    for r in graph.revisions:
        down = None if not r.down else r.down[0] if len(r.down) == 1 else r.down
        docstring = '"""%s"""\n' % r.message if r.message else ""
        _write(os.path.join(projects.alembic_dir, "migrations", "versions", r.id + ".py"),
               ALEMBIC_REVISION.format(
                   docstring=docstring, revision=r.id, down_revision=down,
                   branch_labels=r.labels or None, depends_on=r.depends_on or None,
                   up=run_log_insert("up", r.id), down=run_log_insert("down", r.id)))
        _write(os.path.join(projects.retort_dir, "migrations", "versions", r.id + ".sql"),
               RETORT_REVISION.format(
                   revision=r.id, down_revision=", ".join(r.down),
                   branch_labels=", ".join(r.labels), depends_on=", ".join(r.depends_on),
                   message=r.message or r.id,
                   up=run_log_insert("up", r.id), down=run_log_insert("down", r.id)))


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


# --- databases --------------------------------------------------------------------------------

@dataclass
class DatabaseState:
    run_log: list  # [(seq, tool_step)] in seq order
    versions: frozenset  # version_num rows


def fresh_database(path):
    if os.path.exists(path):
        os.remove(path)
    with sqlite3.connect(path) as db:
        db.execute(RUN_LOG_DDL)
    db.close()


def copy_database(source, destination):
    shutil.copyfile(source, destination)


def read_state(path) -> DatabaseState:
    db = sqlite3.connect(path)
    try:
        run_log = db.execute("SELECT seq, tool_step FROM run_log ORDER BY seq").fetchall()
        try:
            rows = db.execute("SELECT version_num FROM " + VERSION_TABLE)
            versions = frozenset(v for (v,) in rows)
        except sqlite3.OperationalError:  # no version table yet
            versions = frozenset()
    finally:
        db.close()
    return DatabaseState(run_log, versions)
