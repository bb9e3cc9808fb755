"""Parliaments' published treaty records read into a party's domestic steps, and kept in sync as corrections."""
