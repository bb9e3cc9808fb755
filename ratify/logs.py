"""What -v and -vv tell: the files ratify reads and writes, the database it opens, and at -vv its statements.

Messages go to stderr, beside the errors, so that stdout stays the report.
"""

from __future__ import annotations

import logging

#: The logger every ratify module writes to (as `ratify.<module>`).
ROOT = "ratify"
#: SQLAlchemy's own logger for statements and their parameters.
STATEMENTS = "sqlalchemy.engine.Engine"


class _Stderr(logging.Handler):
    """Looks up stderr at each message, so a handler kept from an earlier command never writes to a closed stream."""

    def emit(self, record: logging.LogRecord) -> None:
        import click

        try:
            click.echo(self.format(record), err=True)
        except Exception:  # noqa: BLE001 - a log line must never fail the command it describes
            self.handleError(record)


_handler = _Stderr()
_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))


def configure(verbosity: int) -> None:
    """0: quiet; 1: files and the database; 2 or more: every SQL statement too. Idempotent."""
    for name, needed in ((ROOT, 1), (STATEMENTS, 2)):
        logger = logging.getLogger(name)
        if verbosity >= needed:
            if _handler not in logger.handlers:
                logger.addHandler(_handler)
            logger.setLevel(logging.DEBUG if name == ROOT and verbosity >= 2 else logging.INFO)
            logger.propagate = False
        elif _handler in logger.handlers:
            logger.removeHandler(_handler)
            logger.setLevel(logging.NOTSET)
            logger.propagate = True
