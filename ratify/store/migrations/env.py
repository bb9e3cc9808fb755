"""Alembic's entry point. ratify runs it from `ratify.store.migrate`, never from an alembic.ini:
that module passes one connection, already in the transaction every revision runs in.
"""

from alembic import context
from sqlmodel import SQLModel

import ratify.store.models  # noqa: F401 - registers the tables autogenerate compares with

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run ratify's migrations with 'ratify db upgrade', which passes a connection")

# Batch mode, because SQLite can alter a table only by copying it into a new one.
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
