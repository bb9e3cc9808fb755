"""Pure functions over dated facts: no database, no clock, no I/O."""
