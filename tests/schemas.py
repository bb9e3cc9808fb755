"""Initialised PostgreSQL schemas for the tests, each used by one test at a time and reused after.

Creating a schema from `ratify init`'s dump and dropping it after cost a PostgreSQL test about 55 ms
of the server's time; emptying the tables and putting the procedures back costs about 12. A schema
is reused only if the test left its structure as `ratify init` made it (tables, columns, indexes,
constraints, triggers, functions); any other is dropped, so no test sees what another changed.
"""

from __future__ import annotations

import uuid

import psycopg

#: A test that changes a schema's structure writes the catalog rows of what it changed: a relation's
#: row in pg_class gets a new version (xmin) when a column, a check, an index or a trigger comes or goes,
#: and a new or dropped relation, constraint, trigger or function changes the lists. Rows alone, written
#: or deleted, touch none of them (statistics are updated in place, without a new version).
_STRUCTURE = """
SELECT
  (SELECT array_agg(c.oid::text || ':' || c.xmin::text ORDER BY c.oid) FROM pg_class c
    WHERE c.relnamespace = %(schema)s::regnamespace),
  (SELECT array_agg(k.oid::text || ':' || k.xmin::text ORDER BY k.oid) FROM pg_constraint k
    WHERE k.connamespace = %(schema)s::regnamespace),
  (SELECT array_agg(t.oid::text || ':' || t.xmin::text ORDER BY t.oid) FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = %(schema)s::regnamespace),
  (SELECT array_agg(p.oid::text || ':' || p.xmin::text ORDER BY p.oid) FROM pg_proc p
    WHERE p.pronamespace = %(schema)s::regnamespace)
"""


class Schemas:
    """Schemas holding what `ratify init` wrote: `script` creates one, `rows` refills its emptied
    `tables` (dumps with `{schema}` for the name; the tables listed children before parents)."""

    def __init__(self, url: str, script: str, rows: str, tables: list[str]) -> None:
        self.url = url
        self.script = script
        self.rows = rows
        self.emptying = "".join(f'DELETE FROM {{schema}}."{table}";\n' for table in tables)
        self.free: list[str] = []
        self.structures: dict[str, tuple] = {}

    def take(self) -> str:
        if self.free:
            return self.free.pop()
        schema = f"ratify_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(self.script.replace("{schema}", schema))
            self.structures[schema] = _structure(connection, schema)
        return schema

    def give_back(self, schema: str) -> None:
        """Empty the schema and refill it for the next test, or drop it if the test changed its structure."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            if _structure(connection, schema) == self.structures[schema]:
                self._refill(connection, schema, self.rows)
                self.free.append(schema)
            else:
                connection.execute(f"DROP SCHEMA {schema} CASCADE")
                del self.structures[schema]

    def refill(self, schema: str, rows: str) -> None:
        """Replace every row of a schema taken from here with `rows` (a data-only dump of another)."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            self._refill(connection, schema, rows)

    def _refill(self, connection: psycopg.Connection, schema: str, rows: str) -> None:
        # One query string is one transaction: the schema is refilled whole or not at all.
        connection.execute((self.emptying + rows).replace("{schema}", schema))

    def drop_all(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            for schema in self.free:
                connection.execute(f"DROP SCHEMA {schema} CASCADE")
        self.free.clear()


def _structure(connection: psycopg.Connection, schema: str) -> tuple:
    row = connection.execute(_STRUCTURE, {"schema": schema}).fetchone()
    assert row is not None
    return tuple(row)
