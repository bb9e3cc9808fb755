"""Schema version 2 (ratify 483d0d7 to 7c90c47): no table changed.

483d0d7 raised meta.schema_version from "1" to "2" and changed no model; the
tables of a version-2 database are column for column those of version 1
(tests/data/schema-v1.sql and schema-v2.sql agree). The revision exists so
that each version a released database can carry has a revision to be stamped at.

Revision ID: 0002
Revises: 0001
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
