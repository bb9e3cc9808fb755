"""Shell completion: treaty slugs, a treaty's parties and a party's stages come from the database."""

from __future__ import annotations

from click.testing import CliRunner

from ratify.cli import cli
from tests.conftest import RUS_PRK, ok


def complete(words: str) -> list[str]:
    """What bash would be offered after typing `words` (the last one incomplete)."""
    parts = words.split(" ")
    env = {"_RATIFY_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="ratify")
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


def test_slugs_states_and_stages_complete_from_the_record(initialised):
    ok("load", RUS_PRK)
    assert complete("ratify status rus") == ["rus-prk-2024"]
    assert complete("ratify vote rus-prk-2024 ") == ["PRK", "RUS"]
    assert complete("ratify vote rus-prk-2024 RUS f") == ["federation_council"]
    assert complete("ratify treaty show ") == ["rus-prk-2024"]
    assert "upcoming" in complete("ratify up")


def test_completion_offers_nothing_rather_than_an_error(initialised, monkeypatch, tmp_path):
    monkeypatch.setenv("RATIFY_DB", str(tmp_path / "missing" / "nowhere.db"))
    assert complete("ratify status ") == []
    assert not (tmp_path / "missing").exists()  # asking never creates a database
