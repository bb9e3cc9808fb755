"""The `ratify` command line: parses, calls one library function, prints."""

from ratify.cli.main import cli

__all__ = ["cli"]
