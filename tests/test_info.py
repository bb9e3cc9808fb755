"""`ratify info`: which database, its size and revision, who records, what it holds."""

from __future__ import annotations

from ratify import __version__
from ratify.store.versions import HEAD_REVISION
from tests.conftest import RUS_PRK, as_json, ok, run


def test_info_names_the_database_and_counts_the_record(initialised, store):
    ok("load", RUS_PRK)
    store = {"sqlite": "sqlite", "postgres": "postgresql"}[store]
    row = as_json("info")[0]
    assert (row["version"], row["store"], row["revision"], row["head"]) == (
        __version__,
        store,
        HEAD_REVISION,
        HEAD_REVISION,
    )
    assert (row["upgrade_due"], row["recorded_by"]) == (False, "tester")
    assert (row["treaties"], row["parties"], row["kept_versions"]) == (1, 2, 0)
    assert row["events"] > 0 and row["size_bytes"] > 0
    text = ok("info").stdout.splitlines()
    assert text[0] == f"version:       {__version__}"
    assert f"revision:      {HEAD_REVISION}" in text


def test_a_default_format_comes_from_the_environment_and_the_flag_wins(initialised, monkeypatch):
    ok("load", RUS_PRK)
    monkeypatch.setenv("RATIFY_FORMAT", "csv")
    assert ok("treaty", "list").stdout.startswith("treaty,kind,signed,")
    assert ok("treaty", "list", "--format", "plain").stdout.startswith("treaty ")
    monkeypatch.setenv("RATIFY_FORMAT", "bogus")
    refused = run("treaty", "list")
    assert refused.exit_code == 2 and "Invalid value for '--format': 'bogus' is not a format" in refused.stderr
