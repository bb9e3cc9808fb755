"""Depositary data: a treaty's depositary and its identifiers there (the UN Treaty Collection's
MTDSG number such as XXVI-8, the UN Treaty Series registration number, a Council of Europe
CETS number), the status page it was last read from and its "status as at" date, the entry
into force the depositary publishes; and per party the depositary's notes on its row.

Every column is nullable and empty on existing rows: nothing was imported before this revision.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("treaty", sa.Column("depositary", sa.String(8), nullable=True))
    op.add_column("treaty", sa.Column("depositary_id", sa.String(24), nullable=True))
    op.add_column("treaty", sa.Column("registration", sa.String(24), nullable=True))
    op.add_column("treaty", sa.Column("depositary_url", sa.String(), nullable=True))
    op.add_column("treaty", sa.Column("depositary_as_at", sa.Date(), nullable=True))
    op.add_column("treaty", sa.Column("depositary_in_force", sa.String(), nullable=True))
    # An import finds the treaty it refreshes by its identifier.
    op.create_index("ix_treaty_depositary_id", "treaty", ["depositary_id"])
    op.add_column("party", sa.Column("depositary_note", sa.String(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("ratify upgrades only; restore the copy 'ratify db upgrade' made (*.rev-0005.bak)")
