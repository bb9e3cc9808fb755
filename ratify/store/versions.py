"""Which schema revision a database is at, read with one query, without importing Alembic.

Every command checks this before it runs, so it must stay cheap: the Alembic
script directory is parsed only by `ratify db` (`ratify.store.migrate`), and a
test checks that `HEAD_REVISION` and `REVISIONS` agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from ratify import __version__
from ratify.errors import DatabaseError

APPLICATION = "ratify"
#: Every revision this ratify knows, oldest first; the last is the head.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")
HEAD_REVISION = REVISIONS[-1]
#: Databases written before migrations carry only meta.schema_version; this is the revision each one is at.
LEGACY_REVISIONS = {"1": "0001", "2": "0002"}
#: What meta.schema_version holds from revision 0003 on. Releases before migrations read only that key,
#: so a value they do not know makes them refuse the database. It is frozen: later revisions leave it.
FROZEN_SCHEMA_VERSION = "3"
#: The meta key naming the ratify release that last created or upgraded the schema.
WRITTEN_BY = "schema_written_by"

_WITH_REVISION = text("SELECT \"key\", value FROM meta UNION ALL SELECT '#revision', version_num FROM alembic_version")
_META_ONLY = text('SELECT "key", value FROM meta')


@dataclass(frozen=True)
class SchemaState:
    """What a database says about its own schema."""

    meta: dict[str, str]
    revision: str | None  # None: no alembic_version table (written before migrations)

    @property
    def is_ratify(self) -> bool:
        return self.meta.get("application") == APPLICATION

    @property
    def effective_revision(self) -> str | None:
        """The revision, recognising a database written before migrations by its schema version."""
        if self.revision is not None:
            return self.revision
        return LEGACY_REVISIONS.get(self.meta.get("schema_version", ""))

    @property
    def written_by(self) -> str | None:
        return self.meta.get(WRITTEN_BY)

    @property
    def upgrade_due(self) -> bool:
        return self.effective_revision in REVISIONS and self.effective_revision != HEAD_REVISION

    @property
    def too_new(self) -> bool:
        return self.revision is not None and self.revision not in REVISIONS


def read_state(engine: Engine) -> SchemaState:
    """One query on a current database; a second only for one written before migrations.

    Raises SQLAlchemy's DBAPIError if there is no meta table at all.
    """
    try:
        with engine.connect() as connection:
            rows = connection.execute(_WITH_REVISION).all()
    except DBAPIError as error:
        if "alembic_version" not in str(error.orig):
            raise
        with engine.connect() as connection:
            return SchemaState(meta=dict(connection.execute(_META_ONLY).all()), revision=None)
    meta = {key: value for key, value in rows if key != "#revision"}
    revisions = [value for key, value in rows if key == "#revision"]
    return SchemaState(meta=meta, revision=revisions[0] if revisions else None)


def refusal(state: SchemaState, where: str) -> DatabaseError | None:
    """Why an ordinary command may not use this database, or None if it may."""
    if not state.is_ratify:
        return DatabaseError(f"{where} is not a ratify database", "check --db / RATIFY_DB")
    if state.effective_revision == HEAD_REVISION:
        return None
    if state.too_new:
        writer = f"ratify {state.written_by}" if state.written_by else "a newer ratify"
        return DatabaseError(
            f"{where} is at schema revision {state.revision}, written by {writer}; "
            f"this ratify {__version__} knows revisions up to {HEAD_REVISION}",
            f"use {writer} or later",
        )
    if state.upgrade_due:
        return DatabaseError(
            f"{where} is at schema revision {state.effective_revision}, this ratify needs {HEAD_REVISION}",
            "run 'ratify db upgrade'; it keeps a copy of a SQLite file first",
        )
    return DatabaseError(
        f"{where} has schema version {state.meta.get('schema_version')}, which no ratify release wrote",
        "check --db / RATIFY_DB",
    )
