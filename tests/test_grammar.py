"""One CLI grammar: --as-of wherever a report looks at a date, --confirm, completion, -v, bad settings named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import RUS_PRK, as_json, ok, run
from tests.test_completion import complete


def test_history_as_of_lists_only_what_was_dated_by_then(loaded):
    everything = as_json("history", "rus-prk-2024")
    then = as_json("history", "rus-prk-2024", "--as-of", "2024-10-24")
    assert then == [row for row in everything if row["date"] <= "2024-10-24"]
    assert [row["stage"] for row in then] == ["duma_committee", "duma"]
    assert as_json("history", "rus-prk-2024", "RUS", "--as-of", "2024-06-30") == []


def test_treaty_list_as_of_counts_as_then_and_leaves_out_later_treaties(loaded):
    (now,) = as_json("treaty", "list")
    assert now["in_force_on"] == "2024-12-04"
    (then,) = as_json("treaty", "list", "--as-of", "2024-11-01")
    assert (then["in_force_on"], then["signatories"], then["parties"]) == (None, 2, 0)
    assert as_json("treaty", "list", "--as-of", "2024-06-18") == []


def test_durations_as_of_counts_only_the_steps_taken_by_then(loaded):
    rows = {row["party"]: row for row in as_json("durations", "--as-of", "2024-10-30")}
    assert rows["RUS"]["lower_house"] == (date(2024, 10, 24) - date(2024, 6, 19)).days
    assert rows["RUS"].get("upper_house") is None and rows["RUS"]["in_force"] is None
    later = {row["party"]: row for row in as_json("durations")}
    assert later["RUS"]["in_force"] == (date(2024, 12, 4) - date(2024, 6, 19)).days
    assert as_json("durations", "--as-of", "2024-06-01") == []


def test_upcoming_as_of_looks_ahead_from_that_day_as_the_record_then_stood(initialised, clock):
    start = date.today() - timedelta(days=400)

    def day(offset: int) -> str:
        return (start + timedelta(days=offset)).isoformat()

    # Recorded on the day asked about, as a desk would have: an announcement counts from when it was made.
    clock(to=datetime.combine(start, datetime.min.time(), tzinfo=UTC).replace(hour=9))
    ok("treaty", "add", "pact", "--title", "Pact", "--signed", day(-30), "--kind", "multilateral",
       "--party", "FRA", "--party", "DEU", "--party", "ITA", "--party", "ESP")  # fmt: skip
    ok("treaty", "rule", "pact", "--kind", "count", "--parties", "2", "--days", "10")
    ok("advance", "pact", "FRA", "instrument", "--consent", "accession", "--date", day(-5))
    ok("advance", "pact", "DEU", "instrument", "--consent", "accession", "--date", day(-2))
    ok("advance", "pact", "ITA", "legislature", "--status", "expected", "--date", day(-1), "--by", day(5))
    ok("advance", "pact", "ESP", "legislature", "--status", "scheduled", "--date", day(20))
    clock(24 * 30)  # a month later ESP's instrument comes: it was not ahead as of `start`
    ok("advance", "pact", "ESP", "instrument", "--consent", "accession", "--date", day(25))

    rows = as_json("upcoming", "--as-of", day(0), "--days", "30")
    assert [(r["date"], r["what"], r["party"], r["detail"]) for r in rows] == [
        (day(5), "expected", "ITA", "legislature expected by this date"),
        (day(8), "entry into force", None, "the treaty enters into force"),
        (day(20), "sitting", "ESP", "legislature scheduled"),
    ]
    # Today nothing of this lies ahead; the window moves with --as-of, and --days still bounds it.
    assert as_json("upcoming", "--days", "30") == []
    assert [r["date"] for r in as_json("upcoming", "--as-of", day(0), "--days", "6")] == [day(5)]
    ahead = as_json("upcoming", "--as-of", day(26), "--days", "30")
    assert [(r["date"], r["what"], r["party"]) for r in ahead] == [(day(35), "entry into force", "ESP")]


def test_remove_confirms_with_confirm_and_still_takes_yes_for_a_release(initialised):
    ok("load", RUS_PRK)
    preview = run("party", "remove", "rus-prk-2024", "PRK", "--reason", "test")
    assert preview.exit_code == 1
    assert preview.stderr.endswith("Error: nothing removed (add --confirm to remove these)\n")
    ok("party", "remove", "rus-prk-2024", "PRK", "--reason", "test", "--confirm")
    old = ok("treaty", "remove", "rus-prk-2024", "--reason", "test", "--yes")
    assert "Warning: --yes is deprecated here and goes in ratify 2.0; use --confirm." in old.stderr
    assert as_json("treaty", "list") == []
    assert "--yes" not in ok("treaty", "remove", "--help").stdout


def test_remove_dry_run_lists_what_would_go_writes_nothing_and_succeeds(initialised):
    ok("load", RUS_PRK)
    before = ok("export", "--format", "json").stdout
    listed = ok("party", "remove", "rus-prk-2024", "PRK", "--reason", "test", "--dry-run")
    assert listed.stdout.startswith("Would remove PRK from rus-prk-2024: 1 party, ")
    assert listed.stderr == "Nothing removed (dry run; --confirm instead removes these).\n"
    whole = ok("treaty", "remove", "rus-prk-2024", "--reason", "test", "--dry-run")
    assert whole.stdout.startswith("Would remove treaty rus-prk-2024: 2 parties, ")
    # Without either flag the same list is a refusal: a removal is never what happens by default.
    refused = run("treaty", "remove", "rus-prk-2024", "--reason", "test")
    assert (refused.exit_code, refused.stdout) == (1, whole.stdout)
    for flags in (["--dry-run", "--confirm"], ["--dry-run", "--yes"]):
        both = run("treaty", "remove", "rus-prk-2024", "--reason", "test", *flags)
        assert both.exit_code == 2 and both.stderr.endswith(
            "Error: --dry-run and --confirm contradict each other (--dry-run lists, --confirm removes)\n"
        )
    assert ok("export", "--format", "json").stdout == before
    missing = run("treaty", "remove", "nowhere", "--reason", "test", "--dry-run")
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: ")


def test_db_init_is_init_and_init_stays_its_short_form(tmp_path):
    long, short = tmp_path / "long.db", tmp_path / "short.db"
    assert ok("--db", long, "db", "init").stderr.startswith(f"Created {long}; procedures: ")
    assert ok("--db", short, "init").stderr.startswith(f"Created {short}; procedures: ")
    assert ok("--db", long, "procedure", "list", "--format", "json").stdout == (
        ok("--db", short, "procedure", "list", "--format", "json").stdout
    )
    assert ok("--db", long, "db", "init").stderr.startswith(f"Checked {long}; ")
    assert ok("--db", long, "db", "status", "--format", "json").stdout == ok(
        "--db", long, "db", "status", "--format", "json"
    ).stdout
    assert {"init", "status", "upgrade"} <= set(ok("db", "--help").stdout.split())


def test_pending_takes_the_treaty_as_status_does_and_the_old_option_warns(loaded):
    assert as_json("pending", "rus-prk-2024", "--as-of", "2024-10-25") == as_json(
        "status", "rus-prk-2024", "--as-of", "2024-10-25"
    )
    old = ok("pending", "--treaty", "rus-prk-2024", "--as-of", "2024-10-25", "--format", "json")
    assert "Warning: --treaty SLUG is deprecated here" in old.stderr
    both = run("pending", "rus-prk-2024", "--treaty", "other")
    assert both.exit_code == 2 and "names two treaties" in both.stderr


def test_completion_of_parties_treaties_and_formats(loaded):
    assert complete("ratify status --party ") == ["PRK", "RUS"]
    assert complete("ratify status rus-prk-2024 --party R") == ["RUS"]
    assert complete("ratify pending --party p") == ["PRK"]
    assert complete("ratify history rus") == ["rus-prk-2024"]
    assert complete("ratify pending rus") == ["rus-prk-2024"]
    assert complete("ratify status --format nd") == ["ndjson"]
    assert {"csv", "json", "github", "markdown"} <= set(complete("ratify treaty list --format "))
    assert complete("ratify changes --format at") == ["atom"]


def test_a_bad_ratify_format_names_the_variable(loaded, monkeypatch):
    monkeypatch.setenv("RATIFY_FORMAT", "bogus")
    result = run("status")
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: RATIFY_FORMAT='bogus' is not a format (set it to one of csv, json, ndjson")
    assert line.endswith(", or unset it)")
    flag = run("status", "--format", "bogus")
    assert flag.stderr.startswith("Error: Invalid value for '--format': 'bogus' is not a format; use one of csv")
    assert ok("status", "--format", "csv").stdout.startswith("treaty,party")  # a flag beats the environment


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "1e9", "inf"])
def test_a_bad_lock_timeout_is_one_line_and_writes_nothing(initialised, monkeypatch, value):
    monkeypatch.setenv("RATIFY_LOCK_TIMEOUT", value)
    result = run("load", RUS_PRK)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: RATIFY_LOCK_TIMEOUT={value!r} is not a number of seconds "
        "(set it to a number from 0 to 86400, such as 60, or unset it)\n"
    )
    monkeypatch.setenv("RATIFY_LOCK_TIMEOUT", "2.5")
    assert as_json("treaty", "list") == []


def test_verbose_says_which_files_and_database_and_very_verbose_the_statements(initialised, tmp_path):
    loaded = ok("-v", "load", RUS_PRK)
    assert f"INFO ratify.exchange.reading: reading {RUS_PRK}" in loaded.stderr
    assert "INFO ratify.store.database: database: " in loaded.stderr
    assert "SELECT" not in loaded.stderr
    report = tmp_path / "status.txt"
    written = ok("-v", "report", "--output", report)
    assert f"INFO ratify.outfile: writing {report} (a new file)" in written.stderr
    statements = ok("-vv", "status")
    assert "INFO sqlalchemy.engine.Engine: SELECT" in statements.stderr
    assert statements.stdout == ok("status").stdout
    quiet = ok("status")
    assert quiet.stderr == ""


def test_upcoming_as_of_lists_the_end_of_a_scrutiny_period_under_way(initialised):
    ok("treaty", "add", "t", "--title", "T", "--kind", "multilateral", "--signed", "2023-12-01")
    ok("party", "add", "t", "GBR", "--signed", "2023-12-01")
    ok("advance", "t", "GBR", "laid", "--status", "laid", "--date", "2024-02-19", "--until", "2024-03-20")
    (row,) = as_json("upcoming", "--as-of", "2024-03-01", "--days", "30")
    assert (row["date"], row["what"], row["party"], row["stage"], row["detail"]) == (
        "2024-03-20", "scrutiny ends", "GBR", "scrutiny", "laid 2024-02-19, scrutiny period ends"
    )  # fmt: skip
    (status,) = as_json("status", "t", "--as-of", "2024-03-01")
    assert (status["next_laid_on"], status["next_laid_until"]) == ("2024-02-19", "2024-03-20")
    assert as_json("upcoming", "--as-of", "2024-02-01", "--days", "30") == []  # not laid yet then
    ok("advance", "t", "GBR", "laid", "--date", "2024-03-21", "--source", "no resolution against ratification")
    assert as_json("upcoming", "--as-of", "2024-03-01", "--days", "30")[0]["what"] == "scrutiny ends"
    assert as_json("status", "t")[0]["next_laid_until"] is None  # the period is over: nothing under way
