"""Alembic revisions of ratify's schema; run through `ratify.store.migrate` (`ratify db upgrade`)."""
