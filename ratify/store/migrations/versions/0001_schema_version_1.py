"""Schema version 1: the tables as ratify a386997 (the last release writing version 1) created them.

Frozen: this is what databases carrying meta.schema_version "1" hold, column for
column (tests/test_migrations.py compares it with tests/data/schema-v1.sql). Releases
before b260849 also wrote "1" but without the `act` table and the multilateral
columns; `ratify db upgrade` refuses those with a message (see docs/migrations.md).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# Times are DateTime(timezone=True) because SQLModel maps `datetime` to its UTCDateTime:
# DATETIME on SQLite (the same text as before), timestamptz on PostgreSQL.


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "procedure",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "treaty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("place", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=True),
        sa.Column("withdrawal", sa.JSON(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("superseded_by", sa.String(80), nullable=True),
        sa.Column("termination_source", sa.String(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("rule_met_on", sa.Date(), nullable=True),
        sa.Column("in_force_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("threshold", sa.String(40), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=True),
        sa.Column("readings", sa.Integer(), nullable=False),
        sa.Column("optional", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("procedure_id", "key"),
        sa.ForeignKeyConstraint(["procedure_id"], ["procedure.id"]),
    )
    op.create_index("ix_stage_procedure_id", "stage", ["procedure_id"])
    op.create_table(
        "party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("treaty_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("is_organisation", sa.Boolean(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("procedure_id", sa.String(40), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("stage_on", sa.Date(), nullable=True),
        sa.Column("next_stage_id", sa.Integer(), nullable=True),
        sa.Column("failed_stage_id", sa.Integer(), nullable=True),
        sa.Column("next_scheduled_on", sa.Date(), nullable=True),
        sa.Column("last_step_on", sa.Date(), nullable=True),
        sa.Column("in_force_on", sa.Date(), nullable=True),
        sa.Column("consent", sa.String(24), nullable=True),
        sa.Column("deposited_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("suspended_from", sa.Date(), nullable=True),
        sa.Column("suspended_until", sa.Date(), nullable=True),
        sa.Column("provisional_from", sa.Date(), nullable=True),
        sa.Column("provisional_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("treaty_id", "state"),
        sa.ForeignKeyConstraint(["treaty_id"], ["treaty.id"]),
        sa.ForeignKeyConstraint(["procedure_id"], ["procedure.id"]),
    )
    op.create_index("ix_party_pending", "party", ["last_step_on", "in_force_on"])
    op.create_index("ix_party_state_code", "party", ["state"])
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reading", sa.Integer(), nullable=True),
        sa.Column("yes", sa.Integer(), nullable=True),
        sa.Column("no", sa.Integer(), nullable=True),
        sa.Column("abstain", sa.Integer(), nullable=True),
        sa.Column("not_voting", sa.Integer(), nullable=True),
        sa.Column("absent", sa.Integer(), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("unanimous", sa.Boolean(), nullable=False),
        sa.Column("consent", sa.String(24), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("out_of_order", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"]),
        sa.ForeignKeyConstraint(["stage_id"], ["stage.id"]),
    )
    op.create_index("ix_event_recorded_at", "event", ["recorded_at"])
    op.create_index("ix_event_party_date", "event", ["party_id", "date"])
    op.create_table(
        "act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("against", sa.String(16), nullable=True),
        sa.Column("text", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["party_id"], ["party.id"]),
    )
    op.create_index("ix_act_recorded_at", "act", ["recorded_at"])
    op.create_index("ix_act_party_date", "act", ["party_id", "date"])


def downgrade() -> None:
    for table in ("act", "event", "party", "stage", "treaty", "procedure", "meta"):
        op.drop_table(table)
