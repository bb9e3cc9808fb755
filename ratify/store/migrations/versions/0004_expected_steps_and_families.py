"""Expected steps (an event's due date, the party cache's next expectation, indexes for `upcoming`);
treaty families; a signatory's declaration that it will not become a party (cached as `declined_on`);
reversal procedures (an event's `path`; the party cache's reversal under way).

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
    op.add_column("party", sa.Column("declined_on", sa.Date(), nullable=True))
    # Reversal procedures: an event's path, and the party cache's reversal under way.
    op.add_column("event", sa.Column("path", sa.String(16), nullable=False, server_default=sa.text("'ratification'")))
    op.add_column("party", sa.Column("reversal", sa.String(16), nullable=True))
    op.add_column("party", sa.Column("reversal_progress", sa.String(), nullable=True))
    # `upcoming` asks for each kind of date in a range.
    op.create_index("ix_party_next_scheduled", "party", ["next_scheduled_on"])
    op.create_index("ix_party_next_expected_by", "party", ["next_expected_by"])
    op.create_index("ix_party_in_force", "party", ["in_force_on"])
    # Treaty families: a protocol to, amendment of or extension of another treaty.
    op.add_column("treaty", sa.Column("relation", sa.String(16), nullable=True))
    op.add_column("treaty", sa.Column("parent", sa.String(80), nullable=True))
    op.create_index("ix_treaty_parent", "treaty", ["parent"])


def downgrade() -> None:
    raise NotImplementedError("ratify upgrades only; restore the copy 'ratify db upgrade' made (*.rev-0003.bak)")
