"""Expected steps: an event's due date, and the party cache's next expectation.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("event", sa.Column("due_on", sa.Date(), nullable=True))
    # No expectation exists before this revision: the cache says so for every party.
    op.add_column("party", sa.Column("next_expected", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("party", sa.Column("next_expected_by", sa.Date(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("ratify upgrades only; restore the copy 'ratify db upgrade' made (*.rev-0003.bak)")
