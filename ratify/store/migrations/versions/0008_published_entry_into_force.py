"""A published entry into force as a fact; where each party's date of effect comes from, in the status cache.

`treaty.published_in_force_on` (with `published_in_force_source`) holds an entry into force as a depositary, a
gazette or a ministry published it; empty on existing rows, since none was
recorded. `treaty.in_force_basis` says whether the cached `in_force_on` was
computed by the rule or is the published date; `party.in_force_basis` says whether the cached `in_force_on` was
computed by the rule or taken from a published date, and
`party.in_force_published` caches the party's own published date of effect
(its instrument's `effective_on`). `ratify db upgrade` rebuilds the status cache
after every revision, so both are filled in from the facts as the upgrade ends.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("treaty", sa.Column("published_in_force_on", sa.Date(), nullable=True))
    op.add_column("treaty", sa.Column("published_in_force_source", sa.String(), nullable=True))
    op.add_column("treaty", sa.Column("in_force_basis", sa.String(16), nullable=True))
    op.add_column("party", sa.Column("in_force_basis", sa.String(16), nullable=True))
    op.add_column("party", sa.Column("in_force_published", sa.Date(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("ratify upgrades only; restore the copy 'ratify db upgrade' made (*.rev-0007.bak)")
