"""A quick pass through the CLI as a user drives it, for `make check`: record, read, refuse, publish."""

from __future__ import annotations

import json

from tests.conftest import RUS_PRK, ok, run


def test_from_init_to_a_published_report(isolated, tmp_path):
    assert ok("init").stderr.startswith(f"Created {isolated}")
    ok("load", RUS_PRK)
    rows = json.loads(ok("status", "rus-prk-2024", "--as-of", "2024-10-25", "--format", "json").stdout)
    assert [(row["party"], row["state"]) for row in rows] == [("PRK", "signed"), ("RUS", "in_legislature")]
    refused = run("advance", "rus-prk-2024", "RUS", "president", "--date", "2024-11-31")
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--date': 2024-11-31 does not exist in the calendar (check the day and month)"
    )
    page = tmp_path / "status.html"
    assert ok("report", "--format", "html", "--output", page).stderr == f"Wrote {page} (1 treaty).\n"
    assert "rus-prk-2024" in page.read_text(encoding="utf-8")
    assert "in force since 2024-12-04" in ok("status", "rus-prk-2024").stdout
