// `retort import-alembic` against the real Alembic: a small Alembic project (a base, a labelled
// branch, depends_on, a merge, a data migration, a revision that needs a live connection and one
// after it) imported into a retort project; the imported history must match Alembic's, and
// `retort upgrade heads` must build what `alembic upgrade heads` builds. Then bad inputs, which
// must write nothing. The first cases read revision files and Alembic output without Alembic.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <retort/migrate/errors.hpp>
#include <retort/migrate/importers/alembic_offline_sql.hpp>
#include <retort/migrate/importers/alembic_revision_reader.hpp>

#include "support/cli_database.hpp"
#include "support/cli_project.hpp"
#include "support/text.hpp"

namespace fs = std::filesystem;
using namespace retort::testing;
using Rows = std::vector<std::string>;

namespace {

/// Whether Alembic can run here (`alembic`, or the python3 module retort falls back to).
bool alembic_installed() {
  static const bool installed =
      run_command("command -v alembic >/dev/null || python3 -c 'import alembic' 2>/dev/null", fs::current_path())
          .exit_code == 0;
  return installed;
}

#define SKIP_WITHOUT_ALEMBIC()                                                   \
  if (!alembic_installed()) {                                                    \
    WARN("skipped: Alembic is not installed (Debian: apt-get install alembic)"); \
    return;                                                                      \
  }

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// The .sql files of a folder, sorted by name.
Rows sql_files(const fs::path& folder) {
  Rows out;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().extension() == ".sql") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

constexpr const char* kEnvPy = R"py(from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
)py";

/// Writes the Alembic project into `dir`, its sqlalchemy.url set to `url`.
void write_alembic_project(const fs::path& dir, const std::string& url) {
  write_file(dir / "alembic.ini", "[alembic]\nscript_location = migrations\nsqlalchemy.url = " + url + "\n");
  write_file(dir / "migrations" / "env.py", kEnvPy);
  const fs::path versions = dir / "migrations" / "versions";
  write_file(versions / "__init__.py", "");
  write_file(versions / "base0001_create_account.py", R"py("""create account

Revision ID: base0001
Revises:
Create Date: 2024-01-02 03:04:05.123456

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'base0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(50), nullable=False),
    )


def downgrade():
    op.drop_table('account')
)py");
  write_file(versions / "item0002_create_item.py", R"py("""create item

Revision ID: item0002
Revises: base0001
Create Date: 2024-01-03 03:04:05.123456

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "item0002"
down_revision: Union[str, None] = "base0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id")),
    )
    op.create_index("ix_item_account", "item", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_item_account", "item")
    op.drop_table("item")
)py");
  write_file(versions / "rept0003_reports.py", R"py("""reports branch

Revision ID: rept0003
Revises: base0001
Create Date: 2024-01-04 03:04:05.123456

"""
from alembic import op
import sqlalchemy as sa

revision = 'rept0003'
down_revision = 'base0001'
branch_labels = ('reports',)
depends_on = None


def upgrade():
    op.create_table('report', sa.Column('id', sa.Integer, primary_key=True), sa.Column('title', sa.Text))


def downgrade():
    op.drop_table('report')
)py");
  write_file(versions / "seed0004_seed_accounts.py", R"py("""seed accounts; with a semicolon

Revision ID: seed0004
Revises: item0002
Create Date: 2024-01-05 03:04:05.123456

"""
from alembic import op

revision = 'seed0004'
down_revision = 'item0002'
branch_labels = None
depends_on = ['rept0003']


def upgrade():
    op.execute("INSERT INTO account (id, name) VALUES (1, 'alice; and bob')")
    op.execute("INSERT INTO item (id, account_id) VALUES (10, 1)")
    op.execute("INSERT INTO report (id, title) VALUES (1, 'first')")


def downgrade():
    op.execute("DELETE FROM report")
    op.execute("DELETE FROM item")
    op.execute("DELETE FROM account")
)py");
  write_file(versions / "merg0005_merge.py", R"py("""merge the reports branch

Revision ID: merg0005
Revises: seed0004, rept0003
Create Date: 2024-01-06 03:04:05.123456

"""
revision = 'merg0005'
down_revision = (
    "seed0004",  # the main line
    "rept0003",
)
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
)py");
  // Reads data through a live connection: offline, get_bind().execute() returns nothing.
  write_file(versions / "live0006_count_accounts.py", R"py("""count accounts

Revision ID: live0006
Revises: merg0005
Create Date: 2024-01-07 03:04:05.123456

"""
from alembic import op
import sqlalchemy as sa

revision = 'live0006'
down_revision = 'merg0005'
branch_labels = None
depends_on = None


def upgrade():
    count = op.get_bind().execute(sa.text("SELECT count(*) FROM account")).scalar()
    op.execute("INSERT INTO report (id, title) VALUES (100, 'accounts: %d')" % count)


def downgrade():
    op.execute("DELETE FROM report WHERE id = 100")
)py");
  write_file(versions / "tags0007_create_tag.py", R"py("""create tag

Revision ID: tags0007
Revises: live0006
Create Date: 2024-01-08 03:04:05.123456

"""
from alembic import op
import sqlalchemy as sa

revision = 'tags0007'
down_revision = 'live0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tag', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20)))
    op.execute("INSERT INTO tag (id, name) VALUES (1, 'new')")


def downgrade():
    op.drop_table('tag')
)py");
}

/// A retort project beside an Alembic project (root()/alembic), both on SQLite.
struct ImportFixture {
  CliProject project;
  fs::path alembic_dir = project.root() / "alembic";
  std::unique_ptr<CliDatabase> alembic_db = CliDatabase::create(Backend::sqlite, project.root());

  ImportFixture() { write_alembic_project(alembic_dir, alembic_db->url()); }
  CommandResult alembic(const std::string& args) const {
    auto r = run_command(
        "if command -v alembic >/dev/null; then alembic " + args + "; else python3 -m alembic " + args + "; fi",
        alembic_dir);
    UNSCOPED_INFO("$ alembic " << args << "  -> exit " << r.exit_code << "\n" << r.output);
    return r;
  }
  /// Lines of `history` output with the branch label taken out: Alembic also shows a label on
  /// the revisions that inherit it, retort only on the one that declares it.
  static Rows history_lines(const std::string& output) {
    Rows lines;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) lines.push_back(std::regex_replace(line, std::regex(" \\(reports\\)"), ""));
    return lines;
  }
};

/// A retort database with its tables' data, for comparisons.
Rows table_data(const CliDatabase& db) {
  Rows out;
  for (const auto& table : {"account", "item", "report", "tag"})
    for (const auto& row : db.rows(std::string("SELECT * FROM ") + table + " ORDER BY 1"))
      out.push_back(std::string(table) + ": " + row);
  return out;
}

/// The tables and indexes and their SQL on one line, blanks collapsed (Alembic's offline output
/// indents with spaces where SQLAlchemy online uses tabs), without the version table (whose DDL is
/// Alembic's on one side and retort's on the other).
Rows schema_without_version_table(const CliDatabase& db) {
  Rows out;
  for (const auto& row : db.rows("SELECT type || ' ' || name || ': ' || replace(replace(coalesce(sql, ''), char(10), "
                                 "' '), char(9), ' ') FROM sqlite_master WHERE name NOT LIKE '%alembic_version%' "
                                 "ORDER BY type, name"))
    out.push_back(std::regex_replace(row, std::regex(" +"), " "));
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reading, without Alembic.

TEST_CASE("import-alembic reads Alembic's assignment forms without running the file", "[import]") {
  CliProject project;
  auto file = project.root() / "x1_forms.py";
  write_file(file, R"py(#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Add the users table
and its index

Revision ID: x1
Revises: a, b
Create Date: 2023-05-06 07:08:09.000001+00:00

"""
from typing import Sequence, Union

revision: str = r"x1"
down_revision: Union[str, Sequence[str], None] = ('a',
    'b')  # a merge
branch_labels = 'one', "two"
depends_on: Union[str, Sequence[str], None] = ["c"]

SQL = """
revision = 'not-this-one'
"""


def upgrade():
    revision = 'nor-this'
    op.execute(SQL)
)py");
  auto read = retort::migrate::read_alembic_revision(file);
  REQUIRE(read);
  CHECK(read->revision.id == "x1");
  CHECK(read->revision_line == 13);
  CHECK(read->revision.down_revisions == Rows{"a", "b"});
  CHECK(read->revision.branch_labels == Rows{"one", "two"});
  CHECK(read->revision.depends_on == Rows{"c"});
  CHECK(read->revision.message == "Add the users table and its index");
  CHECK(read->revision.create_date == "2023-05-06 07:08:09.000001+00:00");

  write_file(file, "\"\"\"no revision here\"\"\"\ndown_revision = None\n");
  CHECK_FALSE(retort::migrate::read_alembic_revision(file));

  write_file(file, "revision = 'x2'\n\ndown_revision = f'{base}'\n");
  CHECK_THROWS_WITH(retort::migrate::read_alembic_revision(file),
                    Catch::Contains(file.string() + ":3: down_revision must be None, a quoted string"));
  write_file(file, "revision = 'x2'\ndown_revision = ('a', \n  b)\n");
  CHECK_THROWS_WITH(retort::migrate::read_alembic_revision(file),
                    Catch::Contains(":2: down_revision") && Catch::Contains("not `('a', b)`"));
  write_file(file, "revision = None\n");
  CHECK_THROWS_AS(retort::migrate::read_alembic_revision(file), retort::migrate::ScriptError);
}

TEST_CASE("import-alembic cuts Alembic's offline output into revisions and drops its bookkeeping", "[import]") {
  using retort::migrate::clean_offline_section;
  using retort::migrate::split_offline_output;
  const std::string output = R"(BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> a1

CREATE TABLE account (
    id SERIAL NOT NULL,
    PRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;

-- Running upgrade a1, c3 -> e5

COMMIT;

CREATE INDEX CONCURRENTLY ix ON account (id);

BEGIN;

INSERT INTO account (id) VALUES (1);

UPDATE "public"."alembic_version" SET version_num='e5' WHERE alembic_version.version_num = 'a1';

COMMIT;
)";
  auto sections = split_offline_output(output, true, true);
  REQUIRE(sections.size() == 2);
  CHECK(sections[0].revision == "a1");
  CHECK(sections[1].revision == "e5");
  CHECK(sections[0].complete);
  CHECK(split_offline_output(output, true, false).back().complete == false);

  auto base = clean_offline_section(sections[0].text, "alembic_version", false);
  CHECK(base.statements == Rows{"CREATE TABLE account (\n    id SERIAL NOT NULL,\n    PRIMARY KEY (id)\n);"});
  CHECK(base.transactional);
  auto merge = clean_offline_section(sections[1].text, "alembic_version", false);
  CHECK(merge.statements ==
        Rows{"CREATE INDEX CONCURRENTLY ix ON account (id);", "INSERT INTO account (id) VALUES (1);"});
  CHECK_FALSE(merge.transactional);  // Alembic's autocommit_block: COMMIT inside the revision

  auto other_table =
      clean_offline_section("INSERT INTO alembic_version VALUES ('x');\nDELETE FROM versions;", "versions", false);
  CHECK(other_table.statements == Rows{"INSERT INTO alembic_version VALUES ('x');"});

  auto downgrade = split_offline_output(
      "-- Running downgrade e5 -> a1, c3\n\nDROP TABLE t;\n\n-- Running downgrade a1 -> \n\n"
      "DROP TABLE account;\n\nDROP TABLE alembic_version;\n",
      false, true);
  REQUIRE(downgrade.size() == 2);
  CHECK(downgrade[0].revision == "e5");
  CHECK(downgrade[1].revision == "a1");
  CHECK(clean_offline_section(downgrade[1].text, "alembic_version", false).statements == Rows{"DROP TABLE account;"});
}

// ---------------------------------------------------------------------------------------------
// The command, with Alembic.

TEST_CASE("import-alembic imports an Alembic history that retort then runs as Alembic does", "[import][cli]") {
  SKIP_WITHOUT_ALEMBIC();
  ImportFixture f;
  const auto& project = f.project;

  auto r = project.retort("import-alembic ../alembic");
  REQUIRE(r.exit_code == 0);
  CHECK(sql_files(project.versions()) ==
        Rows{"base0001_create_account.sql", "item0002_create_item.sql", "live0006_count_accounts.sql",
             "merg0005_merge.sql", "rept0003_reports.sql", "seed0004_seed_accounts.sql", "tags0007_create_tag.sql"});
  CHECK(contains(r.output,
                 "Wrote " + (project.versions() / "tags0007_create_tag.sql").string() + " (revision tags0007)"));
  // The revision that needs a database: reported, written with an empty upgrade, exit 0.
  CHECK(
      contains(r.output, "warning: revision live0006: Alembic could not render its upgrade offline (AttributeError:"));
  CHECK(contains(r.output, "Imported 7 revision(s) from Alembic; 1 section(s) to write by hand"));
  CHECK(contains(r.output,
                 "hint: to continue on a database that Alembic migrated, set version_table = "
                 "\"alembic_version\""));

  // Headers: ids, parents, labels, dependencies, messages and dates as Alembic has them.
  auto seed = read_file(project.versions() / "seed0004_seed_accounts.sql");
  CHECK(contains(seed,
                 "-- retort:revision seed0004\n-- retort:down_revision item0002\n-- retort:branch_labels\n"
                 "-- retort:depends_on rept0003\n-- retort:message seed accounts; with a semicolon\n"
                 "-- retort:create_date 2024-01-05 03:04:05.123456\n-- retort:transactional true\n"));
  CHECK(contains(seed, "-- retort:upgrade\nINSERT INTO account (id, name) VALUES (1, 'alice; and bob');\n\n"));
  CHECK_FALSE(contains(seed, "alembic_version"));
  CHECK(contains(read_file(project.versions() / "rept0003_reports.sql"), "-- retort:branch_labels reports\n"));
  CHECK(contains(read_file(project.versions() / "merg0005_merge.sql"), "-- retort:down_revision seed0004, rept0003\n"));
  auto base = read_file(project.versions() / "base0001_create_account.sql");
  CHECK(contains(base, "-- retort:down_revision\n"));
  CHECK(contains(base, "id INTEGER NOT NULL"));  // rendered for sqlalchemy.url's dialect, SQLite
  auto live = read_file(project.versions() / "live0006_count_accounts.sql");
  CHECK(contains(live, "-- retort:upgrade\n-- TODO (retort import-alembic): Alembic could not render this upgrade"));
  CHECK(contains(live, "--   SELECT count(*) FROM account;"));  // what it printed before failing
  CHECK(contains(live, "-- retort:downgrade\nDELETE FROM report WHERE id = 100;\n"));

  // The same graph.
  auto alembic_history = f.alembic("history");
  REQUIRE(alembic_history.exit_code == 0);
  auto retort_history = project.ok("history");
  CHECK(ImportFixture::history_lines(retort_history) == ImportFixture::history_lines(alembic_history.output));
  CHECK(contains(retort_history, "base0001 -> rept0003 (reports), reports branch"));

  // The same database, but for what the live revision does, with the version table Alembic uses.
  auto toml = read_file(project.dir() / "retort.toml");
  toml =
      std::regex_replace(toml, std::regex("version_table = \"retort_version\""), "version_table = \"alembic_version\"");
  write_file(project.dir() / "retort.toml", toml);
  auto retort_db = CliDatabase::create(Backend::sqlite, project.root());
  REQUIRE(f.alembic("upgrade heads").exit_code == 0);
  project.ok("--url " + shell_quote(retort_db->url()) + " upgrade heads");
  CHECK(schema_without_version_table(*retort_db) == schema_without_version_table(*f.alembic_db));
  CHECK(retort_db->version_rows("alembic_version") == Rows{"tags0007"});
  CHECK(f.alembic_db->version_rows("alembic_version") == Rows{"tags0007"});
  auto expected = table_data(*f.alembic_db);
  expected.erase(std::remove(expected.begin(), expected.end(), "report: 100|accounts: 1"), expected.end());
  CHECK(expected.size() + 1 == table_data(*f.alembic_db).size());
  CHECK(table_data(*retort_db) == expected);

  // A database that Alembic took half-way: retort continues from its version rows.
  auto halfway = CliDatabase::create(Backend::sqlite, project.root());
  REQUIRE(
      run_command("sed -i 's#^sqlalchemy.url = .*#sqlalchemy.url = " + halfway->url() + "#' alembic.ini", f.alembic_dir)
          .exit_code == 0);
  REQUIRE(f.alembic("upgrade seed0004").exit_code == 0);
  CHECK(halfway->version_rows("alembic_version") == Rows{"seed0004"});
  auto out = project.ok("--url " + shell_quote(halfway->url()) + " upgrade heads");
  CHECK_FALSE(contains(out, "-> item0002"));
  CHECK(contains(out, "Running upgrade seed0004, rept0003 -> merg0005"));
  CHECK(table_data(*halfway) == expected);

  // Downgrades come from Alembic too.
  project.ok("--url " + shell_quote(retort_db->url()) + " downgrade base");
  CHECK(retort_db->tables() == Rows{"alembic_version", "alembic_version_history"});
}

TEST_CASE("import-alembic renders for the dialect given with --dialect", "[import][cli]") {
  SKIP_WITHOUT_ALEMBIC();
  ImportFixture f;
  auto r = f.project.retort("import-alembic ../alembic --dialect postgresql");
  REQUIRE(r.exit_code == 0);
  auto base = read_file(f.project.versions() / "base0001_create_account.sql");
  CHECK(contains(base, "id SERIAL NOT NULL"));
  CHECK_FALSE(contains(base, "BEGIN;"));
  CHECK_FALSE(contains(base, "COMMIT;"));
  // The copy of the ini that carried the dialect is gone.
  for (const auto& e : fs::directory_iterator(f.alembic_dir)) {
    bool leftover_ini = e.path().extension() == ".ini" && e.path().filename() != "alembic.ini";
    CHECK_FALSE(leftover_ini);
  }
}

TEST_CASE("import-alembic refuses bad input and then writes nothing", "[import][cli]") {
  SKIP_WITHOUT_ALEMBIC();
  ImportFixture f;
  const auto& project = f.project;

  SECTION("a missing folder") {
    auto r = project.retort("import-alembic ../no-such-folder");
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "error: Alembic project folder ../no-such-folder does not exist"));
  }
  SECTION("a malformed down_revision") {
    auto file = f.alembic_dir / "migrations" / "versions" / "seed0004_seed_accounts.py";
    write_file(file, std::regex_replace(read_file(file), std::regex("down_revision = 'item0002'"),
                                        "down_revision = ('item0002', rept0003)"));
    auto r = project.retort("import-alembic ../alembic");
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "error: " + file.string() +
                                 ":11: down_revision must be None, a quoted string, or a tuple or list of quoted "
                                 "strings, not `('item0002', rept0003)`"));
  }
  SECTION("a revision id the project already has") {
    project.write_revision(
        {.id = "rept0003", .upgrade = "CREATE TABLE mine (id INTEGER)", .downgrade = "DROP TABLE mine"});
    auto r = project.retort("import-alembic ../alembic");
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "error: revision rept0003 (" +
                                 (f.alembic_dir / "migrations" / "versions" / "rept0003_reports.py").string() +
                                 ":11) already exists in this project"));
    CHECK(sql_files(project.versions()) == Rows{"rept0003.sql"});
    return;
  }
  CHECK(sql_files(project.versions()).empty());
}
