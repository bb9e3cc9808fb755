"""The documented limits on what ratify accepts (docs/limits.md); no imports, so the CLI may read them freely.

Each is far above anything real records hold. They exist so that a hostile or broken
input cannot make a report or a database grow without end, and so that SQLite and
PostgreSQL refuse the same values with the same message.
"""

from __future__ import annotations

#: The largest whole number ratify stores (tallies, seats, readings, ids): PostgreSQL's INTEGER.
MAX_INT = 2**31 - 1

#: Characters a text field may hold, after trimming.
NAME_LIMIT = 200  # a place, a body, a state or organisation, a stage, a label, who recorded
TITLE_LIMIT = 1_000  # a treaty or procedure title; the longest real ones run to a few hundred
SOURCE_LIMIT = 2_000  # a citation with its URL
NOTE_LIMIT = 10_000  # a note, a reason for a change
STATEMENT_LIMIT = 100_000  # the text of a reservation or declaration
#: A depositary's footnotes on one participant's row, whole: the largest real one, the UN Treaty Collection's
#: notes on the United Kingdom's row of CEDAW (reservations, objections, territories), holds 47,374 characters.
DEPOSITARY_NOTE_LIMIT = 1_000_000
#: Sources one treaty or procedure may list.
SOURCES_LIMIT = 100

#: The longest wait `pending --older-than` asks about, in days (about 270 years).
MAX_WAIT_DAYS = 100_000
#: How far ahead `upcoming --days` (and the web view's ?days=) looks at most: a century.
MAX_AHEAD_DAYS = 36_500

#: Bytes a depositary's status page may weigh: the largest real one, the UN Treaty Collection's page of the
#: ICCPR with every reservation and declaration in full, weighs 3.2 MB (3,179,815 bytes saved from the web).
MAX_PAGE_BYTES = 16 * 2**20

#: Bytes one fixture, CSV or standard input may hold: far more than the export of every treaty registered
#: with the UN would need (see docs/limits.md for the measurements).
MAX_INPUT_BYTES = 16 * 2**30
#: Bytes one top-level entry of a fixture (a treaty with its parties, events and acts) may take: the largest
#: real one, the Paris Agreement's with 197 parties as exported, takes 137 KB; the ICCPR's every reservation
#: and declaration recorded as acts would take about 3.5 MB.
MAX_ENTRY_BYTES = 16 * 2**20
