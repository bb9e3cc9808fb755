"""Tables on a terminal go through the pager (RATIFY_PAGER, PAGER, less -FRX); pipes, files and data never do."""

from __future__ import annotations

from pathlib import Path

import pytest

from ratify.cli import pager
from tests.conftest import ok


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stdout as if it were a terminal; tables at a fixed width, as they would be on one."""
    monkeypatch.setattr(pager, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("RATIFY_WIDTH", "160")
    monkeypatch.delenv("PAGER", raising=False)


def pager_into(path: Path) -> str:
    return f"cat > '{path}'"


def test_a_table_on_a_terminal_goes_through_ratify_pager(loaded, terminal, monkeypatch, tmp_path):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("RATIFY_PAGER", pager_into(paged))
    shown = ok("status", "rus-prk-2024")
    assert shown.stdout == ""
    direct = ok("--no-pager", "status", "rus-prk-2024").stdout
    assert "rus-prk-2024  PRK" in direct
    assert paged.read_text() == direct


def test_pager_falls_back_to_pager_variable(loaded, terminal, monkeypatch, tmp_path):
    paged = tmp_path / "paged.txt"
    monkeypatch.delenv("RATIFY_PAGER", raising=False)
    monkeypatch.setenv("PAGER", pager_into(paged))
    assert ok("treaty", "list").stdout == ""
    assert "rus-prk-2024" in paged.read_text()


@pytest.mark.parametrize(
    "args",
    [
        ["--no-pager", "status", "rus-prk-2024"],
        ["status", "rus-prk-2024", "--format", "json"],
        ["status", "rus-prk-2024", "--format", "csv"],
        ["changes", "--since", "2000-01-01", "--format", "atom"],
    ],
    ids=["no-pager", "json", "csv", "atom"],
)
def test_no_pager_for_data_or_when_asked(loaded, terminal, monkeypatch, tmp_path, args):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("RATIFY_PAGER", pager_into(paged))
    assert "rus-prk-2024" in ok(*args).stdout
    assert not paged.exists()


def test_no_pager_when_stdout_is_not_a_terminal(loaded, monkeypatch, tmp_path):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("RATIFY_PAGER", pager_into(paged))
    assert "rus-prk-2024" in ok("status").stdout
    assert not paged.exists()


@pytest.mark.parametrize("setting", ["", "cat"])
def test_an_empty_or_cat_pager_means_none(loaded, terminal, monkeypatch, setting):
    monkeypatch.setenv("RATIFY_PAGER", setting)
    assert "rus-prk-2024" in ok("status").stdout


def test_report_to_a_file_is_not_paged(loaded, terminal, monkeypatch, tmp_path):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("RATIFY_PAGER", pager_into(paged))
    ok("report", "--output", tmp_path / "report.txt")
    assert "rus-prk-2024" in (tmp_path / "report.txt").read_text()
    assert not paged.exists()
