"""ratify: track where treaties stand in each party's ratification."""

__version__ = "0.1.0"
