"""The store: tables, the database and its migrations, lookups, and the status cache."""
