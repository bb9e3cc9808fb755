"""Lifecycles as governments live them: consultative stages, rounds, what ended or interrupted a party's consent.

`stage.consultative` marks a consultation whose result does not bind (the 2016 Dutch referendum on the
EU-Ukraine Association Agreement): false on existing stages, as every stage bound until now. The party's
status cache gains `consent_withdrawn_on` (a ratification withdrawn, with no consent since),
`withdrawal_notice_on` (its latest notice of withdrawal), `notice_revoked_on` (the day that notice was
revoked, if it was) and `progress_note` (the round under way and the consultations held, in words).
`event.round` numbers a new round of a party's procedure (a government submitting the approval again); empty on
existing events, which are all of a first round. `party.candidate` marks the state an accession protocol
admits (false on existing parties), and `party.member_since` caches its accession to the parent treaty.
`ratify db upgrade` rebuilds the status cache after every revision, so the cache columns are filled in from
the facts as the upgrade ends.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stage", sa.Column("consultative", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("party", sa.Column("consent_withdrawn_on", sa.Date(), nullable=True))
    op.add_column("party", sa.Column("withdrawal_notice_on", sa.Date(), nullable=True))
    op.add_column("party", sa.Column("notice_revoked_on", sa.Date(), nullable=True))
    op.add_column("party", sa.Column("progress_note", sa.String(), nullable=True))
    op.add_column("event", sa.Column("round", sa.Integer(), nullable=True))
    op.add_column("party", sa.Column("candidate", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("party", sa.Column("member_since", sa.Date(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("ratify upgrades only; restore the copy 'ratify db upgrade' made (*.rev-0008.bak)")
