"""The operations compared side by side with Alembic (ops_side_by_side.py).

Each case is one call (or one batch) of Alembic's operations API, transcribed from Alembic's own
tests (the `source` names the test), and the same call in retort's C++ API. Both run on identical
starting schemas; the results are compared by reflecting both databases with SQLAlchemy.

  setup      SQL run on both databases before the op: one string for every dialect, or a dict
             by dialect name ("sqlite", "postgresql", "mysql"; "*" for the others)
  alembic    Python run with `op` (alembic.operations.Operations) and `sa` (sqlalchemy)
  retort     C++ run with `op` (retort::migrate::Operations&) inside RETORT_UPGRADE
  dialects   where the case runs
  both_fail  the dialect cannot do the op: both tools must refuse, and retort's message must
             contain this text
"""

from dataclasses import dataclass, field

ALL = ("sqlite", "postgresql", "mysql")
SERVERS = ("postgresql", "mysql")

# Alembic's BatchRoundTripTest fixture: foo(id, data, x) with five rows.
FOO = """
CREATE TABLE foo (id INTEGER NOT NULL, data VARCHAR(50), x INTEGER, PRIMARY KEY (id));
INSERT INTO foo (id, data, x) VALUES (1, 'd1', 5), (2, '22', 6), (3, '8.5', 7), (4, '9.46', 8), (5, 'd5', 9);
"""
NOPK = """
CREATE TABLE nopk (a INTEGER, b INTEGER, c INTEGER);
INSERT INTO nopk (a, b, c) VALUES (1, 2, 3), (2, 4, 5);
"""
CK_TABLE = "CREATE TABLE ck_table (id INTEGER NOT NULL, CONSTRAINT ck CHECK (id is not NULL));"
T_W_IX = """
CREATE TABLE t_w_ix (id INTEGER NOT NULL, thing INTEGER, data VARCHAR(20), PRIMARY KEY (id));
CREATE INDEX ix_thing ON t_w_ix (thing);
"""
# test_op.py's tables, with rows so that NOT NULL, type and default changes meet data.
T1 = """
CREATE TABLE t1 (id INTEGER NOT NULL, c1 VARCHAR(50), c2 INTEGER, PRIMARY KEY (id));
INSERT INTO t1 (id, c1, c2) VALUES (1, 'a', 10), (2, 'b', 20);
"""
PARENT_CHILD = """
CREATE TABLE t2 (id INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE t1 (id INTEGER NOT NULL, t2_id INTEGER, PRIMARY KEY (id));
INSERT INTO t2 (id) VALUES (1), (2);
INSERT INTO t1 (id, t2_id) VALUES (10, 1), (11, 2);
"""
NAMED_CONSTRAINTS = """
CREATE TABLE t2 (id INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE t1 (id INTEGER NOT NULL, t2_id INTEGER, code VARCHAR(10), amount INTEGER,
  PRIMARY KEY (id),
  CONSTRAINT fk_t1_t2 FOREIGN KEY (t2_id) REFERENCES t2 (id),
  CONSTRAINT uq_t1_code UNIQUE (code),
  CONSTRAINT ck_t1_amount CHECK (amount > 0));
INSERT INTO t2 (id) VALUES (1);
INSERT INTO t1 (id, t2_id, code, amount) VALUES (1, 1, 'x', 5);
"""


@dataclass
class Case:
    name: str
    source: str
    setup: object
    alembic: str
    retort: str
    dialects: tuple = ALL
    both_fail: dict = field(default_factory=dict)  # dialect -> text retort's message contains

    def setup_for(self, dialect):
        if isinstance(self.setup, dict):
            return self.setup.get(dialect, self.setup.get("*", ""))
        return self.setup


CASES = [
    # --- tables --------------------------------------------------------------------------------
    Case("create_table", "test_op.py::test_create_table_two_fk (and _selfref, _fk_and_schema)",
         "CREATE TABLE foo2 (id INTEGER NOT NULL, PRIMARY KEY (id));",
         """op.create_table("some_table",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("some_table.id")),
    sa.Column("foo_id", sa.Integer, sa.ForeignKey("foo2.id", ondelete="CASCADE")),
    sa.Column("score", sa.Numeric(10, 2), server_default="0"),
    sa.UniqueConstraint("name", name="uq_some_table_name"),
    sa.CheckConstraint("score >= 0", name="ck_some_table_score"))""",
         """op.create_table("some_table",
    retort::Column("id", retort::Integer{}).primary_key(),
    retort::Column("name", retort::String{50}).not_null(),
    retort::Column("parent_id", retort::Integer{}).references("some_table.id"),
    retort::Column("foo_id", retort::Integer{}).references(retort::ForeignKey{.target = "foo2.id", .ondelete = "CASCADE"}),
    retort::Column("score", retort::Numeric{10, 2}).server_default("0"),
    retort::UniqueConstraint{{"name"}, "uq_some_table_name"},
    retort::CheckConstraint{"score >= 0", "ck_some_table_score"});"""),
    Case("create_table_bulk_insert", "test_bulk_insert.py::RoundTripTest::test_single_insert_round_trip",
         "",
         """t = op.create_table("foo", sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("data", sa.String(50)), sa.Column("x", sa.Integer))
op.bulk_insert(t, [{"id": 1, "data": "d1", "x": 5}, {"id": 2, "data": "it's", "x": None}])""",
         """const auto& t = op.create_table("foo", retort::Column("id", retort::Integer{}).primary_key(),
    retort::Column("data", retort::String{50}), retort::Column("x", retort::Integer{}));
op.bulk_insert(t, {{{"id", 1}, {"data", "d1"}, {"x", 5}}, {{"id", 2}, {"data", "it's"}, {"x", nullptr}}});"""),
    Case("drop_table", "test_op.py::test_drop_table", T1,
         'op.drop_table("t1")', 'op.drop_table("t1");'),
    Case("rename_table", "test_op.py::test_rename_table", T1,
         'op.rename_table("t1", "t2")', 'op.rename_table("t1", "t2");'),
    Case("execute", "test_op.py::test_inline_literal", T1,
         """op.execute("UPDATE t1 SET c1 = 'z' WHERE c2 > 15")""",
         """op.execute("UPDATE t1 SET c1 = 'z' WHERE c2 > 15");"""),

    # --- columns -------------------------------------------------------------------------------
    Case("add_column", "test_op.py::test_add_column", T1,
         'op.add_column("t1", sa.Column("c3", sa.Integer, nullable=True))',
         'op.add_column("t1", retort::Column("c3", retort::Integer{}));'),
    Case("add_column_server_default", "test_op.py::test_add_column_server_default", T1,
         'op.add_column("t1", sa.Column("c3", sa.String(50), server_default="hi", nullable=False))',
         'op.add_column("t1", retort::Column("c3", retort::String{50}).server_default("hi").not_null());'),
    Case("add_column_fk", "test_op.py::test_add_column_fk", PARENT_CHILD,
         'op.add_column("t1", sa.Column("c3", sa.Integer, sa.ForeignKey("t2.id"), nullable=True))',
         'op.add_column("t1", retort::Column("c3", retort::Integer{}).references("t2.id"));',
         dialects=SERVERS),
    Case("drop_column", "test_op.py::test_drop_column", T1,
         'op.drop_column("t1", "c2")', 'op.drop_column("t1", "c2");'),
    Case("alter_column_nullable", "test_op.py::test_alter_column_nullable", T1,
         'op.alter_column("t1", "c1", nullable=False, existing_type=sa.String(50))',
         'op.alter_column("t1", "c1", {.nullable = false, .existing_type = retort::String{50}});',
         dialects=SERVERS),
    Case("alter_column_type", "test_op.py::test_alter_column_type", T1,
         'op.alter_column("t1", "c1", type_=sa.String(100))',
         'op.alter_column("t1", "c1", {.type = retort::String{100}});',
         dialects=SERVERS),
    Case("alter_column_type_using", "test_postgresql.py::test_alter_column_type_using", T1,
         'op.alter_column("t1", "c2", type_=sa.String(20), postgresql_using="c2::varchar")',
         'op.alter_column("t1", "c2", {.type = retort::String{20}, .postgresql_using = "c2::varchar"});',
         dialects=("postgresql",)),
    Case("alter_column_rename", "test_op.py::test_alter_column_rename", T1,
         'op.alter_column("t1", "c1", new_column_name="c1_new", existing_type=sa.String(50))',
         'op.alter_column("t1", "c1", {.new_name = "c1_new", .existing_type = retort::String{50}});',
         dialects=SERVERS),
    Case("alter_column_server_default", "test_op.py::test_alter_column_schema_type_default", T1,
         'op.alter_column("t1", "c2", server_default="5", existing_type=sa.Integer)',
         'op.alter_column("t1", "c2", {.server_default = retort::literal(5), .existing_type = retort::Integer{}});',
         dialects=SERVERS),
    Case("alter_column_drop_server_default", "test_op.py::test_alter_column_drop_default",
         "CREATE TABLE t1 (id INTEGER NOT NULL, c1 VARCHAR(50) DEFAULT 'x', PRIMARY KEY (id));",
         'op.alter_column("t1", "c1", server_default=None, existing_type=sa.String(50))',
         'op.alter_column("t1", "c1", {.server_default = std::optional<retort::Expr>(), .existing_type = retort::String{50}});',
         dialects=SERVERS),
    Case("alter_column_comment", "test_op.py::test_alter_column_add_comment (test_postgresql/test_mysql)", T1,
         'op.alter_column("t1", "c1", comment="the first column", existing_type=sa.String(50))',
         'op.alter_column("t1", "c1", {.comment = "the first column", .existing_type = retort::String{50}});',
         dialects=SERVERS),
    Case("alter_column_not_null_on_sqlite", "test_sqlite.py::test_alter_column_not_null", T1,
         'op.alter_column("t1", "c1", nullable=False)',
         'op.alter_column("t1", "c1", {.nullable = false});',
         dialects=("sqlite",), both_fail={"sqlite": "batch"}),

    # --- indexes -------------------------------------------------------------------------------
    Case("create_index", "test_op.py::test_create_index", T1,
         'op.create_index("ik_test", "t1", ["c1", "c2"])',
         'op.create_index("ik_test", "t1", {"c1", "c2"});'),
    Case("create_unique_index", "test_op.py::test_create_index_unique", T1,
         'op.create_index("ik_test", "t1", ["c2"], unique=True)',
         'op.create_index("ik_test", "t1", {"c2"}, {.unique = true});'),
    Case("create_index_partial", "test_postgresql.py::test_create_index_postgresql_where", T1,
         'op.create_index("ix_partial", "t1", ["c1"], postgresql_where=sa.text("c2 > 10"), sqlite_where=sa.text("c2 > 10"))',
         'op.create_index("ix_partial", "t1", {"c1"}, {.where = retort::text("c2 > 10")});',
         dialects=("sqlite", "postgresql")),
    Case("create_index_expression", "test_postgresql.py::test_create_index_postgresql_expressions", T1,
         'op.create_index("ix_lower", "t1", [sa.text("lower(c1)")])',
         'op.create_index("ix_lower", "t1", {retort::text("lower(c1)")});',
         dialects=("sqlite", "postgresql")),
    Case("create_index_include", "test_postgresql.py::test_create_index_postgresql_include", T1,
         'op.create_index("ix_inc", "t1", ["c1"], postgresql_include=["c2"])',
         'op.create_index("ix_inc", "t1", {"c1"}, {.dialect_options = {{"postgresql_include", "c2"}}});',
         dialects=("postgresql",)),
    Case("drop_index", "test_op.py::test_drop_index", T_W_IX,
         'op.drop_index("ix_thing", "t_w_ix")', 'op.drop_index("ix_thing", "t_w_ix");'),

    # --- constraints ---------------------------------------------------------------------------
    Case("create_primary_key", "test_op.py::test_add_primary_key_constraint", NOPK,
         'op.create_primary_key("pk_test", "nopk", ["a", "b"])',
         'op.create_primary_key("pk_test", "nopk", {"a", "b"});',
         dialects=SERVERS),
    Case("create_unique_constraint", "test_op.py::test_add_unique_constraint", T1,
         'op.create_unique_constraint("uk_test", "t1", ["c1", "c2"])',
         'op.create_unique_constraint("uk_test", "t1", {"c1", "c2"});',
         dialects=SERVERS),
    Case("create_unique_constraint_on_sqlite", "test_sqlite.py::test_add_uq_constraint", T1,
         'op.create_unique_constraint("uk_test", "t1", ["c1"])',
         'op.create_unique_constraint("uk_test", "t1", {"c1"});',
         dialects=("sqlite",), both_fail={"sqlite": "batch"}),
    Case("create_foreign_key", "test_op.py::test_add_foreign_key_ondelete (and _onupdate)", PARENT_CHILD,
         'op.create_foreign_key("fk_test", "t1", "t2", ["t2_id"], ["id"], ondelete="CASCADE", onupdate="SET NULL")',
         'op.create_foreign_key("fk_test", "t1", "t2", {"t2_id"}, {"id"}, {.ondelete = "CASCADE", .onupdate = "SET NULL"});',
         dialects=SERVERS),
    Case("create_foreign_key_deferrable", "test_op.py::test_add_foreign_key_deferrable (and _initially)",
         PARENT_CHILD,
         'op.create_foreign_key("fk_test", "t1", "t2", ["t2_id"], ["id"], deferrable=True, initially="DEFERRED")',
         'op.create_foreign_key("fk_test", "t1", "t2", {"t2_id"}, {"id"}, {.deferrable = true, .initially = "DEFERRED"});',
         dialects=("postgresql",)),
    Case("create_check_constraint", "test_op.py::test_add_check_constraint", T1,
         'op.create_check_constraint("ck_user_name_len", "t1", sa.func.length(sa.column("c1")) > 0)',
         'op.create_check_constraint("ck_user_name_len", "t1", "length(c1) > 0");',
         dialects=SERVERS),
    Case("drop_constraint_foreignkey", "test_op.py::test_drop_constraint_type_fk", NAMED_CONSTRAINTS,
         'op.drop_constraint("fk_t1_t2", "t1", type_="foreignkey")',
         'op.drop_constraint("fk_t1_t2", "t1", {.type = "foreignkey"});',
         dialects=SERVERS),
    Case("drop_constraint_unique", "test_op.py::test_drop_constraint_type_unique", NAMED_CONSTRAINTS,
         'op.drop_constraint("uq_t1_code", "t1", type_="unique")',
         'op.drop_constraint("uq_t1_code", "t1", {.type = "unique"});',
         dialects=SERVERS),
    Case("drop_constraint_check", "test_op.py::test_drop_constraint_type_check", NAMED_CONSTRAINTS,
         'op.drop_constraint("ck_t1_amount", "t1", type_="check")',
         'op.drop_constraint("ck_t1_amount", "t1", {.type = "check"});',
         dialects=SERVERS),

    # --- comments ------------------------------------------------------------------------------
    Case("create_table_comment", "test_op.py::test_create_table_comment_op", T1,
         'op.create_table_comment("t1", "some comment")',
         'op.create_table_comment("t1", "some comment");',
         dialects=SERVERS),
    Case("drop_table_comment", "test_op.py::test_drop_table_comment_op",
         {"postgresql": T1 + "COMMENT ON TABLE t1 IS 'old';", "mysql": T1 + "ALTER TABLE t1 COMMENT 'old';"},
         'op.drop_table_comment("t1", existing_comment="old")',
         'op.drop_table_comment("t1", {.existing_comment = "old"});',
         dialects=SERVERS),

    # --- batch mode (test_batch.py BatchRoundTripTest, on SQLite where Alembic recreates) ------
    Case("batch_change_type", "test_batch.py::BatchRoundTripTest::test_change_type", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.alter_column("data", type_=sa.Integer)""",
         """op.batch_alter_table("foo", [](auto& batch) { batch.alter_column("data", {.type = retort::Integer{}}); });""",
         dialects=("sqlite",)),
    Case("batch_drop_column", "test_batch.py::BatchRoundTripTest::test_drop_column", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.drop_column("data")""",
         """op.batch_alter_table("foo", [](auto& batch) { batch.drop_column("data"); });"""),
    Case("batch_drop_pk_col_readd_col", "test_batch.py::BatchRoundTripTest::test_drop_pk_col_readd_col", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.drop_column("id")
    batch_op.add_column(sa.Column("id", sa.Integer))""",
         """op.batch_alter_table("foo", [](auto& batch) {
    batch.drop_column("id");
    batch.add_column(retort::Column("id", retort::Integer{}));
});""",
         dialects=("sqlite",)),
    Case("batch_add_pk_constraint", "test_batch.py::BatchRoundTripTest::test_add_pk_constraint", NOPK,
         """with op.batch_alter_table("nopk") as batch_op:
    batch_op.create_primary_key("newpk", ["a", "b"])""",
         """op.batch_alter_table("nopk", [](auto& batch) { batch.create_primary_key("newpk", {"a", "b"}); });"""),
    Case("batch_add_ck_constraint", "test_batch.py::BatchRoundTripTest::test_add_ck_constraint", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.create_check_constraint("newck", sa.text("x > 0"))""",
         """op.batch_alter_table("foo", [](auto& batch) { batch.create_check_constraint("newck", "x > 0"); });"""),
    Case("batch_drop_ck_constraint", "test_batch.py::BatchRoundTripTest::test_drop_ck_constraint", CK_TABLE,
         """with op.batch_alter_table("ck_table") as batch_op:
    batch_op.drop_constraint("ck", type_="check")""",
         """op.batch_alter_table("ck_table", [](auto& batch) { batch.drop_constraint("ck", {.type = "check"}); });"""),
    Case("batch_drop_foreign_key_by_convention", "test_batch.py::BatchRoundTripTest::test_drop_foreign_key",
         FOO + "CREATE TABLE bar (id INTEGER NOT NULL, foo_id INTEGER, PRIMARY KEY (id), FOREIGN KEY (foo_id) "
               "REFERENCES foo (id)); INSERT INTO bar (id, foo_id) VALUES (1, 3);",
         """with op.batch_alter_table("bar", naming_convention={
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}) as batch_op:
    batch_op.drop_constraint("fk_bar_foo_id_foo", type_="foreignkey")""",
         """op.batch_alter_table("bar", [](auto& batch) { batch.drop_constraint("fk_bar_foo_id_foo", {.type = "foreignkey"}); },
    {.naming_convention = retort::NamingConvention(std::map<std::string, std::string>{
        {"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}})});""",
         dialects=("sqlite",)),
    Case("batch_add_uq", "test_batch.py::BatchRoundTripTest::test_add_uq", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.create_unique_constraint("newuk", ["x"])""",
         """op.batch_alter_table("foo", [](auto& batch) { batch.create_unique_constraint("newuk", {"x"}); });"""),
    Case("batch_add_uq_plus_col", "test_batch.py::BatchRoundTripTest::test_add_uq_plus_col", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.add_column(sa.Column("y", sa.Integer))
    batch_op.create_unique_constraint("newuk", ["x", "y"])""",
         """op.batch_alter_table("foo", [](auto& batch) {
    batch.add_column(retort::Column("y", retort::Integer{}));
    batch.create_unique_constraint("newuk", {"x", "y"});
});"""),
    Case("batch_rename_column", "test_batch.py::BatchRoundTripTest::test_rename_column", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.alter_column("x", new_column_name="y")""",
         """op.batch_alter_table("foo", [](auto& batch) { batch.alter_column("x", {.new_name = "y"}); });""",
         dialects=("sqlite",)),
    Case("batch_rename_column_pk", "test_batch.py::BatchRoundTripTest::test_rename_column_pk", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.alter_column("id", new_column_name="ident")""",
         """op.batch_alter_table("foo", [](auto& batch) { batch.alter_column("id", {.new_name = "ident"}); });""",
         dialects=("sqlite",)),
    Case("batch_add_column", "test_batch.py::BatchRoundTripTest::test_add_column_auto", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.add_column(sa.Column("data2", sa.String(50), server_default="hi"))""",
         """op.batch_alter_table("foo", [](auto& batch) {
    batch.add_column(retort::Column("data2", retort::String{50}).server_default("hi"));
});"""),
    Case("batch_add_column_insert_before", "test_batch.py::BatchRoundTripTest::test_add_column_insert_before_recreate",
         FOO,
         """with op.batch_alter_table("foo", recreate="always") as batch_op:
    batch_op.add_column(sa.Column("data2", sa.String(50), server_default="hi"), insert_before="data")""",
         """op.batch_alter_table("foo", [](auto& batch) {
    batch.add_column(retort::Column("data2", retort::String{50}).server_default("hi"), {.insert_before = "data"});
}, {.recreate = "always"});""",
         dialects=("sqlite",)),
    Case("batch_add_column_insert_after", "test_batch.py::BatchRoundTripTest::test_add_column_insert_after_recreate",
         FOO,
         """with op.batch_alter_table("foo", recreate="always") as batch_op:
    batch_op.add_column(sa.Column("data2", sa.String(50), server_default="hi"), insert_after="data")""",
         """op.batch_alter_table("foo", [](auto& batch) {
    batch.add_column(retort::Column("data2", retort::String{50}).server_default("hi"), {.insert_after = "data"});
}, {.recreate = "always"});""",
         dialects=("sqlite",)),
    Case("batch_create_drop_index", "test_batch.py::BatchRoundTripTest::test_create_drop_index", T_W_IX,
         """with op.batch_alter_table("t_w_ix", recreate="always") as batch_op:
    batch_op.create_index("ix_data", ["data"], unique=True)
    batch_op.drop_index("ix_thing")""",
         """op.batch_alter_table("t_w_ix", [](auto& batch) {
    batch.create_index("ix_data", {"data"}, {.unique = true});
    batch.drop_index("ix_thing");
}, {.recreate = "always"});""",
         dialects=("sqlite",)),
    Case("batch_alter_nullable", "test_batch.py::BatchApplyTest::test_change_nullable (round trip)", FOO,
         """with op.batch_alter_table("foo") as batch_op:
    batch_op.alter_column("x", nullable=False, existing_type=sa.Integer)""",
         """op.batch_alter_table("foo", [](auto& batch) {
    batch.alter_column("x", {.nullable = false, .existing_type = retort::Integer{}});
});"""),
    Case("batch_selfref_fk", "test_batch.py::BatchRoundTripTest::test_selfref_fk_recreate",
         "CREATE TABLE bar (id INTEGER NOT NULL, bar_id INTEGER, data VARCHAR(20), PRIMARY KEY (id), "
         "FOREIGN KEY (bar_id) REFERENCES bar (id)); INSERT INTO bar (id, bar_id, data) VALUES (1, NULL, 'x'), (2, 1, 'y');",
         """with op.batch_alter_table("bar", recreate="always") as batch_op:
    batch_op.alter_column("data", new_column_name="newdata", existing_type=sa.String(20))""",
         """op.batch_alter_table("bar", [](auto& batch) {
    batch.alter_column("data", {.new_name = "newdata", .existing_type = retort::String{20}});
}, {.recreate = "always"});""",
         dialects=("sqlite",)),

    # recreate="always": move and copy on every database (Alembic's BatchRoundTripTest runs these
    # on PostgreSQL and MySQL too).
    Case("batch_always_drop_column", "test_batch.py::BatchRoundTripTest::test_drop_column_fk_recreate", FOO,
         """with op.batch_alter_table("foo", recreate="always") as batch_op:
    batch_op.drop_column("data")""",
         """op.batch_alter_table("foo", [](auto& batch) { batch.drop_column("data"); }, {.recreate = "always"});"""),
    Case("batch_always_add_pk", "test_batch.py::BatchRoundTripTest::test_add_pk_constraint (always)", NOPK,
         """with op.batch_alter_table("nopk", recreate="always") as batch_op:
    batch_op.create_primary_key("newpk", ["a", "b"])""",
         """op.batch_alter_table("nopk", [](auto& batch) { batch.create_primary_key("newpk", {"a", "b"}); },
    {.recreate = "always"});"""),
    Case("batch_always_add_ck", "test_batch.py::BatchRoundTripTest::test_add_ck_constraint (always)", FOO,
         """with op.batch_alter_table("foo", recreate="always") as batch_op:
    batch_op.create_check_constraint("newck", sa.text("x > 0"))""",
         """op.batch_alter_table("foo", [](auto& batch) { batch.create_check_constraint("newck", "x > 0"); },
    {.recreate = "always"});"""),
    Case("batch_always_drop_ck", "test_batch.py::BatchRoundTripTest::test_drop_ck_constraint (always)", CK_TABLE,
         """with op.batch_alter_table("ck_table", recreate="always") as batch_op:
    batch_op.drop_constraint("ck", type_="check")""",
         """op.batch_alter_table("ck_table", [](auto& batch) { batch.drop_constraint("ck", {.type = "check"}); },
    {.recreate = "always"});"""),
    Case("batch_always_add_uq_plus_col", "test_batch.py::BatchRoundTripTest::test_add_uq_plus_col (always)", FOO,
         """with op.batch_alter_table("foo", recreate="always") as batch_op:
    batch_op.add_column(sa.Column("y", sa.Integer))
    batch_op.create_unique_constraint("newuk", ["x", "y"])""",
         """op.batch_alter_table("foo", [](auto& batch) {
    batch.add_column(retort::Column("y", retort::Integer{}));
    batch.create_unique_constraint("newuk", {"x", "y"});
}, {.recreate = "always"});"""),
    Case("batch_always_create_drop_index", "test_batch.py::BatchRoundTripTest::test_create_drop_index", T_W_IX,
         """with op.batch_alter_table("t_w_ix", recreate="always") as batch_op:
    batch_op.create_index("ix_data", ["data"], unique=True)
    batch_op.drop_index("ix_thing")""",
         """op.batch_alter_table("t_w_ix", [](auto& batch) {
    batch.create_index("ix_data", {"data"}, {.unique = true});
    batch.drop_index("ix_thing");
}, {.recreate = "always"});""",
         dialects=SERVERS),
]
