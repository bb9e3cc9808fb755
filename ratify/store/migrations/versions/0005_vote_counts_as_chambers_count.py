"""Votes as chambers count them: a declared `present` count on events, and the number of readings
a vote belongs to where it differs from the template's; per stage, what "not voting" means and a
floor of yes votes.

Every column is nullable and empty on existing rows: no event had a declared
`present` count, and a stage without `not_voting` keeps the earlier meaning
(members not voting count as present), without `min_yes` no floor.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("event", sa.Column("present", sa.Integer(), nullable=True))
    op.add_column("event", sa.Column("readings", sa.Integer(), nullable=True))
    op.add_column("stage", sa.Column("not_voting", sa.String(8), nullable=True))
    op.add_column("stage", sa.Column("min_yes", sa.Integer(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("ratify upgrades only; restore the copy 'ratify db upgrade' made (*.rev-0004.bak)")
