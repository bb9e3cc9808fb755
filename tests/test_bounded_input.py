"""Every input has a limit: pages and fixtures are read as streams within a byte limit and a deadline; devices,
FIFOs and directories are refused before a byte is read; standard input has the same limit as a file."""

from __future__ import annotations

import http.server
import os
import socketserver
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ratify.limits import MAX_PAGE_BYTES
from tests.conftest import ROOT, run, served, snapshot
from tests.untc_pages import ATT_NOTES, ATT_ROWS, page


def _one_line(result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def _ratify(*args: str | Path, stdin=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """ratify in a process of its own, so that a read that blocks fails the test instead of hanging it."""
    command = [sys.executable, "-m", "ratify", *map(str, args)]
    return subprocess.run(command, cwd=ROOT, stdin=stdin, capture_output=True, text=True, timeout=timeout)


# --------------------------------------------------------------------------- pages from files


def test_a_device_is_refused_before_a_byte_is_read(initialised):
    line = _one_line(run("import", "untc", "/dev/zero"))
    assert line == "Error: /dev/zero: not a regular file (a directory, device, pipe or socket) " + (
        "(give a saved page or an http(s) URL)"
    )



def test_a_directory_is_refused_as_a_source_not_reported_as_a_failed_write(initialised, tmp_path):
    """A directory given as the page once read "cannot write the output (Is a directory)"."""
    for command in (["import", "untc", tmp_path], ["import", "congress", tmp_path]):
        line = _one_line(run(*command))
        assert line.startswith(f"Error: {tmp_path}: not a regular file (a directory, device, pipe or socket) ("), line
        assert "write" not in line

@pytest.mark.sqlite_only
def test_a_fifo_is_refused_at_once_not_waited_on(initialised, tmp_path):
    fifo = tmp_path / "page.html"
    os.mkfifo(fifo)
    began = time.monotonic()
    result = _ratify("--db", initialised, "import", "untc", fifo)
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"Error: {fifo}: not a regular file (a directory, device, pipe or socket) " + (
        "(give a saved page or an http(s) URL)\n"
    )
    assert time.monotonic() - began < 100  # no writer ever opens it: a blocking open would hang here


def test_a_page_file_past_the_limit_is_refused_by_its_size(initialised, tmp_path):
    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.truncate(MAX_PAGE_BYTES + 1)  # sparse: no disk spent
    before = snapshot(initialised)
    line = _one_line(run("import", "untc", big))
    assert line.startswith(f"Error: {big}: larger than {MAX_PAGE_BYTES:,} bytes ({MAX_PAGE_BYTES + 1:,} bytes)")
    assert snapshot(initialised) == before


# --------------------------------------------------------------------------- pages from servers


class _Hostile(http.server.BaseHTTPRequestHandler):
    """A server at its worst: endless bodies, lying lengths, a drip, silence; /page is a real page."""

    protocol_version = "HTTP/1.1"
    sent: dict[str, int] = {}
    good = page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES).encode()

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        kind = self.path.strip("/")
        self.sent[kind] = 0
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if kind == "page":
            self.send_header("Content-Length", str(len(self.good)))
            self.end_headers()
            self.wfile.write(self.good)
            return
        if kind == "huge-length":
            self.send_header("Content-Length", str(2 * 2**30))
        self.send_header("Connection", "close")
        self.end_headers()
        piece = b"<p>" + b"x" * 1021
        try:
            while True:
                if kind == "silent":
                    time.sleep(60)
                self.wfile.write(piece)
                self.wfile.flush()
                self.sent[kind] += len(piece)
                if kind == "drip":
                    time.sleep(0.05)
        except OSError:
            pass  # the client hung up: what is wanted

    def log_message(self, *args) -> None:
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


@pytest.fixture
def hostile() -> Iterator[str]:
    with served(_Hostile, _Server) as address:
        yield address


def test_an_endless_body_is_cut_at_the_limit(initialised, hostile, monkeypatch):
    monkeypatch.setattr("ratify.depositary.fetch.MAX_PAGE_BYTES", 2**20)
    before = snapshot(initialised)
    line = _one_line(run("import", "untc", f"{hostile}/endless"))
    assert line.startswith(f"Error: {hostile}/endless: larger than 1,048,576 bytes, far more than any")
    # The body never ends: the server stopped because the import hung up at the limit (socket buffers aside).
    assert _Hostile.sent["endless"] < 8 * 2**20
    assert snapshot(initialised) == before


def test_a_declared_length_past_the_limit_is_refused_before_the_body(initialised, hostile):
    line = _one_line(run("import", "untc", f"{hostile}/huge-length"))
    assert line.startswith(f"Error: {hostile}/huge-length: larger than {MAX_PAGE_BYTES:,} bytes (2,147,483,648 bytes)")
    assert _Hostile.sent["huge-length"] < MAX_PAGE_BYTES // 4


def test_a_drip_feeding_server_meets_the_deadline(initialised, hostile, monkeypatch):
    """1 KB every 50 ms once kept an import waiting for hours: each read was within the timeout."""
    monkeypatch.setattr("ratify.depositary.fetch.DEADLINE_SECONDS", 2.0)
    began = time.monotonic()
    line = _one_line(run("import", "untc", f"{hostile}/drip"))
    assert line == f"Error: {hostile}/drip: the page did not arrive within 2 seconds (try again later, " + (
        "or save the page in a browser and import the file)"
    )
    assert time.monotonic() - began < 30


def test_a_silent_server_is_given_up(initialised, hostile, monkeypatch):
    monkeypatch.setattr("ratify.depositary.fetch.SILENCE_SECONDS", 1.0)
    line = _one_line(run("import", "untc", f"{hostile}/silent"))
    assert line.startswith(f"Error: {hostile}/silent: the server was silent for 1 seconds")


def test_a_page_within_the_limits_is_imported(initialised, hostile):
    result = run("import", "untc", f"{hostile}/page")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]:99999/x", "https://"])
def test_an_address_that_cannot_be_asked_for_is_a_usage_error(initialised, url):
    line = _one_line(run("import", "untc", url), code=2)
    assert line.startswith(f"Error: Invalid value for 'SOURCE': {url!r} is not a valid URL (")


# --------------------------------------------------------------------------- fixtures, CSV files, standard input


def test_load_refuses_a_device_or_a_directory(initialised, tmp_path):
    before = snapshot(initialised)
    for path in ("/dev/zero", tmp_path):
        line = _one_line(run("load", path), code=_code_for(path))
        assert "not a regular file" in line or "is a directory" in line, line
    assert snapshot(initialised) == before


def _code_for(path) -> int:
    return 2 if Path(path).is_dir() else 1  # click refuses a directory itself, as a usage error


@pytest.mark.sqlite_only
def test_load_refuses_a_fifo_at_once(initialised, tmp_path):
    fifo = tmp_path / "fixture.yaml"
    os.mkfifo(fifo)
    result = _ratify("--db", initialised, "load", fifo)
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"Error: {fifo}: not a regular file (a directory, device, pipe or socket) " + (
        "(give a fixture or CSV file, or '-' for standard input)\n"
    )


@pytest.mark.sqlite_only
def test_load_of_endless_zeros_on_standard_input_stops_at_once(initialised):
    with open("/dev/zero", "rb") as zeros:
        result = _ratify("--db", initialised, "load", "-", stdin=zeros)
    assert result.returncode == 1
    assert result.stderr == "Error: -: holds a NUL byte, which no fixture or CSV file does (check the input)\n"


def test_standard_input_has_the_byte_limit_of_a_file(initialised, tmp_path, monkeypatch):
    monkeypatch.setattr("ratify.exchange.reading.MAX_INPUT_BYTES", 2**20)
    endless = "treaties:\n" + "# no end\n" * 200_000  # 1.8 MB of YAML comments
    line = _one_line(run("load", "-", input=endless))
    assert line == "Error: -: larger than 1,048,576 bytes (split it into several files)"
    big = tmp_path / "big.yaml"
    big.write_text(endless)
    line = _one_line(run("load", big))
    assert line == f"Error: {big}: larger than 1,048,576 bytes (1,800,010 bytes) (split it into several files)"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_one_entry_past_its_limit_is_refused_before_it_is_built(initialised, tmp_path, monkeypatch, suffix):
    monkeypatch.setattr("ratify.exchange.reading.MAX_ENTRY_BYTES", 2**16)
    title = "x" * 2**17
    fixture = tmp_path / f"one{suffix}"
    if suffix == ".json":
        fixture.write_text(
            '{"treaties": [{"slug": "ok", "title": "Fits"}, {"slug": "big", "title": "TITLE"}]}'.replace("TITLE", title)
        )
    else:
        fixture.write_text(f"treaties:\n  - slug: ok\n    title: Fits\n  - slug: big\n    title: {title}\n")
    line = _one_line(run("load", fixture))
    assert line.startswith(f"Error: {fixture}: one entry runs past 65,536 bytes")


LONG = "1" * 5001  # past Python's 4,300-digit limit on turning text into a number


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("tally.yaml", f"treaties:\n  - slug: x\n    title: X\n    parties:\n      - state: FRA\n"
                       f"        events:\n          - stage: legislature\n            date: 2024-01-01\n"
                       f"            vote: {{yes: {LONG}}}\n"),
        ("tally.json", '{"treaties": [{"slug": "x", "title": "X", "parties": [{"state": "FRA", "events": '
                       '[{"stage": "legislature", "date": "2024-01-01", "vote": {"yes": LONG}}]}]}]}'.replace("LONG", LONG)),
    ],
)  # fmt: skip
def test_a_five_thousand_digit_number_in_a_fixture_names_its_field(initialised, tmp_path, name, text):
    fixture = tmp_path / name
    fixture.write_text(text)
    before = snapshot(initialised)
    line = _one_line(run("load", fixture))
    assert line.startswith(f"Error: {fixture}: treaties[0].parties[0].events[0].vote.yes: "), line
    assert len(line) < 500  # the number is not echoed whole
    assert snapshot(initialised) == before


def test_a_five_thousand_digit_number_in_a_csv_names_its_column(loaded, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text(f"treaty,party,stage,date,yes\nrus-prk-2024,RUS,duma,2024-10-24,{LONG}\n")
    line = _one_line(run("load", csv))
    assert line.startswith(f"Error: {csv}: row 2: vote.yes: "), line
    assert len(line) < 500


# --------------------------------------------------------------------------- the last tracebacks

NOT_UTF8 = b"caf\xe9".decode("utf-8", "surrogateescape")  # how Python receives $'caf\xe9' from the shell


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["status", NOT_UTF8], "'[SLUG]'"),
        (["history", NOT_UTF8], "'SLUG'"),
        (["history", "rus-prk-2024", NOT_UTF8], "'[STATE]'"),
        (["procedure", "show", NOT_UTF8], "'TEMPLATE'"),
        (["vote", "rus-prk-2024", NOT_UTF8, "duma", "--date", "2024-10-24", "--yes", "1"], "'STATE'"),
        (["treaty", "list", "--search", NOT_UTF8], "'--search'"),
        (["treaty", "add", "x", "--title", NOT_UTF8], "'--title'"),
        (["--db", f"postgresql://u@h/{NOT_UTF8}", "status"], None),
    ],
)
def test_an_argument_that_is_not_utf8_is_named_in_one_line(loaded, args, named):
    before = snapshot(loaded)
    line = _one_line(run(*args), code=2 if named else 1)
    if named:
        assert line == (
            f"Error: Invalid value for {named}: 'caf\\xe9' is not valid UTF-8 "
            "(ratify reads arguments as UTF-8; check the terminal's encoding)"
        )
    else:
        assert line == "Error: --db is not valid UTF-8 (check the terminal's encoding, or give a SQLite file path)"
    assert snapshot(loaded) == before


@pytest.mark.sqlite_only
def test_a_file_may_be_named_in_any_bytes(loaded, tmp_path):
    named = tmp_path / f"{NOT_UTF8}.html"
    result = run("report", "--format", "html", "--output", named)
    assert result.exit_code == 0, result.output
    assert named.exists()


@pytest.mark.parametrize("days", ["1000000000000", str(10**30), "36501"])
def test_upcoming_days_past_a_century_is_a_usage_error(loaded, days):
    line = _one_line(run("upcoming", "--days", days), code=2)
    assert line == f"Error: Invalid value for '--days': {days} is not in the range 0<=x<=36500."


# --------------------------------------------------------------------------- quoted values in error lines


def test_a_huge_value_is_quoted_cut_in_the_error_line(initialised):
    line = _one_line(run("treaty", "add", "x" * 1_000_000, "--title", "T"), code=2)
    assert line.startswith(f"Error: slug: '{'x' * 200}'... (1,000,000 characters) is not a slug")
    assert len(line) < 1000


def test_a_huge_participant_name_is_quoted_cut(initialised, tmp_path):
    """A 50 MB name once took 2 GB and came back whole in the error line; the page limit bounds the first,
    and the line shows 200 characters of it."""
    html = page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES).replace("Albania", "Z" * 2**20)
    saved = tmp_path / "page.html"
    saved.write_text(html)
    before = snapshot(initialised)
    line = _one_line(run("import", "untc", saved))
    assert "Z" * 200 in line and "Z" * 201 not in line
    assert "(1,048,576 characters)" in line
    assert len(line) < 1500
    assert snapshot(initialised) == before
