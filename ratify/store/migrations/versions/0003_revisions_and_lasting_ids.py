"""The `revision` table for superseded versions of facts; fact ids never reused (ratify 7d4aa40).

Before release, a change to `Revision` is made here, not in a new revision:
edit the `create_table` below to match `ratify/store/models.py`, and
tests/test_migrations.py (models against migrations) says whether they agree.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: The tables whose ids name one fact for ever (models.py `_NEVER_REUSE_IDS`).
FACT_TABLES = ("treaty", "party", "event", "act")


def upgrade() -> None:
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(24), nullable=False),
        sa.Column("treaty_id", sa.Integer(), nullable=False),
        sa.Column("treaty", sa.String(80), nullable=False),
        sa.Column("party", sa.String(16), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_by", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_revision_fact", "revision", ["fact"])
    op.create_index("ix_revision_treaty", "revision", ["treaty_id", "superseded_at"])
    op.create_index("ix_revision_superseded_at", "revision", ["superseded_at"])

    # PostgreSQL's serial ids never come back; SQLite reuses the highest rowid
    # after a delete unless the table says AUTOINCREMENT, which only a new table
    # can say. Batch mode copies each table, every row and id kept, into one that does.
    if op.get_bind().dialect.name == "sqlite":
        for table in FACT_TABLES:
            with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
                pass

    # Releases before migrations read only this key; "3" makes them refuse the database.
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.String))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value="3"))


def downgrade() -> None:
    raise NotImplementedError("ratify upgrades only; restore the copy 'ratify db upgrade' made (*.rev-0002.bak)")
