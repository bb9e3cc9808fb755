"""Dates as precise as the source: beside each recorded date, how much of it is known; and
scrutiny periods in the status cache.

A date known only to the month or the year is stored as the latest day it can
be, with `month` or `year` in the precision column beside it. Every column is
nullable and empty on existing rows: every date recorded so far was exact.
The cache columns follow the dates they are taken from (`party.stage_on`,
`last_step_on`, `deposited_on`, `treaty.rule_met_on`).

`party.next_laid_on` and `next_laid_until` cache a scrutiny period under way at
the party's next stage (an event `laid`, whose end is the event's `due_on`);
empty on existing rows, where no event was laid.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = {
    "treaty": ("signed_precision", "rule_met_precision"),
    "party": ("signed_precision", "stage_precision", "last_step_precision", "deposited_precision"),
    "event": ("date_precision",),
    "act": ("date_precision",),
}


def upgrade() -> None:
    for table, names in COLUMNS.items():
        for name in names:
            op.add_column(table, sa.Column(name, sa.String(8), nullable=True))
    op.add_column("party", sa.Column("next_laid_on", sa.Date(), nullable=True))
    op.add_column("party", sa.Column("next_laid_until", sa.Date(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("ratify upgrades only; restore the copy 'ratify db upgrade' made (*.rev-0006.bak)")
