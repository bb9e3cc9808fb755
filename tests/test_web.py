"""The web view over HTTP: pages, JSON twins equal to the CLI's --format json, errors, headers, no writes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from starlette.testclient import TestClient

from ratify.store.database import Database
from ratify.web.app import SECURITY_HEADERS, create_app
from tests.conftest import FIXTURES, RUS_PRK, as_json, ok, snapshot
from tests.test_html_report import Page

TPNW = FIXTURES / "treaties" / "tpnw-2017.yaml"
EVIL = '<script>alert(1)</script> & "co"'
SAFE_SOURCE = "https://example.org/a?b=1&c=2"
TRAP_SOURCE = "javascript:alert(1)"
SOON = (date.today() + timedelta(days=10)).isoformat()
PAGES = ["/", "/?q=korea", "/treaties/rus-prk-2024", "/treaties/tpnw-2017", "/pending", "/upcoming", "/changes"]
ATOM = "{http://www.w3.org/2005/Atom}"


def record() -> None:
    """Two fixtures, a treaty with a hostile title and sources, and a sitting ten days ahead."""
    ok("load", RUS_PRK, TPNW)
    ok("treaty", "add", "evil-2020", "--title", EVIL, "--signed", "2020-01-01", "--party", "RUS", "--party", "USA",
       "--source", TRAP_SOURCE, "--source", SAFE_SOURCE)  # fmt: skip
    ok("advance", "evil-2020", "RUS", "duma", "--status", "scheduled", "--date", SOON, "--source", SAFE_SOURCE)


@pytest.fixture
def client(initialised: Path | str, prepared) -> Iterator[TestClient]:
    prepared(record)
    database = Database(str(initialised))
    try:
        app = create_app(database, base_url="https://treaties.example.org/")
        with TestClient(app, base_url="https://treaties.example.org") as test_client:
            yield test_client
    finally:
        database.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_html_and_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "script-src" not in response.headers["content-security-policy"]  # default-src 'none': no script at all
    assert "<script" not in response.text.lower()


@pytest.mark.parametrize(
    ("path", "command"),
    [
        ("/treaties.json", ["treaty", "list"]),
        ("/treaties.json?q=korea", ["treaty", "list", "--search", "korea"]),
        ("/treaties/rus-prk-2024.json", ["status", "rus-prk-2024"]),
        ("/treaties/tpnw-2017.json", ["status", "tpnw-2017"]),
        ("/pending.json", ["pending"]),
        ("/pending.json?treaty=tpnw-2017", ["pending", "tpnw-2017"]),
        ("/upcoming.json", ["upcoming"]),
        ("/upcoming.json?days=5", ["upcoming", "--days", "5"]),
        ("/changes.json?since=2000-01-01", ["changes", "--since", "2000-01-01"]),
    ],
)
def test_json_twins_print_what_the_cli_prints(client, path, command):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.text == ok(*command, "--format", "json").stdout


NATO = FIXTURES / "treaties" / "nato-1949-romania-protocol-2003.yaml"  # dates the record gives as a year


@pytest.mark.parametrize(
    ("path", "command", "imprecise"),
    [
        ("/treaties/north-atlantic-treaty-1949.json", ["status", "north-atlantic-treaty-1949"], '"1949", "stage_date_precision": "year"'),
        ("/pending.json", ["pending"], '"last_step": "1998-05", "last_step_precision": "month"'),
        ("/treaties.json", ["treaty", "list"], '"signed": "1998-03"'),
        ("/changes.json?since=2000-01-01", ["changes", "--since", "2000-01-01"], '"1998-05"'),
    ],
)
def test_json_twins_keep_the_precision_of_dates_known_to_the_month_or_year(initialised, path, command, imprecise):
    ok("load", NATO)
    ok("treaty", "add", "vague-1998", "--title", "Vague", "--signed", "1998-03", "--party", "RUS", "--party", "USA")
    ok("advance", "vague-1998", "RUS", "duma", "--date", "1998-05")
    with Database(str(initialised)) as database, TestClient(create_app(database, allowed_hosts=["testserver"])) as client:
        response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.text == ok(*command, "--format", "json").stdout
    assert imprecise in response.text


def test_long_pages_show_their_first_rows_and_say_so(client):
    page = client.get("/?limit=1")
    assert len(Page(page.text).having("table", "rows")) == 1
    assert page.text.count('<a href="/treaties/') == 1
    assert "3 treaties, as of" in page.text and "the first 1 shown" in page.text
    assert len(client.get("/treaties.json?limit=1").json()) == 3  # the twin prints what the CLI prints: all
    assert client.get("/?limit=x").status_code == 400


def test_the_twins_hold_data(client):
    assert [row["treaty"] for row in client.get("/upcoming.json").json()] == ["evil-2020"]
    assert {row["party"] for row in client.get("/treaties/rus-prk-2024.json").json()} == {"PRK", "RUS"}
    assert [row["treaty"] for row in client.get("/treaties.json?q=korea").json()] == ["rus-prk-2024"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/changes?since=notadate", "since: 'notadate' is not an ISO 8601 date (use YYYY-MM-DD, e.g. 2024-10-24)"),
        (
            "/changes.json?since=2024-02-30",
            "since: 2024-02-30 does not exist in the calendar (check the day and month)",
        ),
        (
            "/changes.atom?since=yesterday",
            "since: 'yesterday' is not an ISO 8601 date (use YYYY-MM-DD, e.g. 2024-10-24)",
        ),
        ("/upcoming?days=-1", "days: '-1' is not a whole number from 0 to 36500"),
        ("/pending.json?limit=0", "limit: '0' is not a whole number from 1 to 1000000000"),
        ("/upcoming.json?days=%C2%B2", "days: '²' is not a whole number from 0 to 36500"),
        # A value quoted in the line is cut after 200 characters, with its length.
        (
            "/upcoming?days=" + "9" * 5000,
            f"days: '{'9' * 200}'... (5,000 characters) is not a whole number from 0 to 36500",
        ),
        ("/?q=nuclear%00test", "q: contains a NUL character"),
        ("/pending.json?treaty=tpnw%1b2017", "treaty: contains a control character (U+001B)"),
        ("/treaties/rus%00prk.json", "treaty: contains a NUL character"),
    ],
)
def test_bad_parameters_are_400_with_one_line(client, path, message):
    response = client.get(path)
    assert response.status_code == 400
    if path.split("?")[0].endswith((".json", ".atom")):
        assert response.json() == {"error": message}
    else:
        assert Page(response.text).having("p", "error")
        assert message.replace("'", "&#39;") in response.text


def test_unknown_treaty_is_404_with_the_closest_slug(client):
    page = client.get("/treaties/rus-prk-2042")
    assert page.status_code == 404
    assert "treaty: no treaty &#39;rus-prk-2042&#39; (did you mean rus-prk-2024?)" in page.text
    twin = client.get("/treaties/rus-prk-2042.json")
    assert twin.status_code == 404
    assert twin.json() == {"error": "treaty: no treaty 'rus-prk-2042' (did you mean rus-prk-2024?)"}
    assert client.get("/pending?treaty=tpnw-2071").status_code == 404
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and missing.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_nothing_can_be_written(client, initialised, method):
    before = snapshot(initialised)
    for path in ["/", "/treaties/rus-prk-2024", "/treaties/rus-prk-2024.json", "/pending", "/changes.atom"]:
        response = client.request(method, path, content=b"title=x")
        assert response.status_code == 405, (method, path)
        assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}
        assert response.headers["content-security-policy"] == SECURITY_HEADERS["content-security-policy"]
    assert client.head("/pending").status_code == 200
    assert snapshot(initialised) == before


def test_a_hostile_title_and_sources_are_inert(client):
    for path in ["/", "/treaties/evil-2020", "/changes?since=2000-01-01", "/upcoming"]:
        text = client.get(path).text
        assert "<script" not in text.lower(), path
        page = Page(text)
        assert not [a for tag, a in page.elements if tag == "a" and "javascript" in (a.get("href") or "")], path
    page = client.get("/treaties/evil-2020")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;co&#34;" in page.text
    parsed = Page(page.text)
    assert EVIL in "".join(parsed.text)
    assert SAFE_SOURCE in [a.get("href") for tag, a in parsed.elements if tag == "a"]
    assert TRAP_SOURCE in "".join(parsed.text)  # shown, as text


def test_treaty_page_has_every_part(client):
    parsed = Page(client.get("/treaties/tpnw-2017").text)
    assert parsed.having("svg", "timeline") and parsed.having("svg", "chart")
    assert parsed.having("section", "depositary") and parsed.having("section", "history")
    (threshold,) = parsed.having("g", "threshold")
    assert threshold["data-count"] == "50"  # TPNW Art. 15: the fiftieth instrument
    assert parsed.having("g", "mark-met") and parsed.having("g", "mark-in_force")
    links = [a.get("href") for tag, a in parsed.elements if tag == "a"]
    assert "/treaties/tpnw-2017.json" in links and any((href or "").startswith("https://") for href in links)


def test_the_atom_feed_matches_the_cli(client):
    served = client.get("/changes.atom?since=2000-01-01")
    assert served.headers["content-type"] == "application/atom+xml; charset=utf-8"
    printed = ok("changes", "--since", "2000-01-01", "--format", "atom").stdout
    web, cli = ElementTree.fromstring(served.content), ElementTree.fromstring(printed.encode())
    assert [e.findtext(f"{ATOM}id") for e in web.iter(f"{ATOM}entry")] == [
        e.findtext(f"{ATOM}id") for e in cli.iter(f"{ATOM}entry")
    ]
    links = [link.get("href") for link in web.iter(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert "https://treaties.example.org/treaties/evil-2020" in links


def test_changes_as_atom(initialised):
    record()
    changes = as_json("changes", "--since", "2000-01-01")
    feed = ElementTree.fromstring(ok("changes", "--since", "2000-01-01", "--format", "atom").stdout.encode())
    assert feed.tag == f"{ATOM}feed"
    entries = list(feed.iter(f"{ATOM}entry"))
    assert len(entries) == len(changes) > 100
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert f"evil-2020: treaty added: {EVIL}" in titles  # escaped in the XML, whole again once parsed
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == len(entries)
    related = [link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") == "related"]
    assert SAFE_SOURCE in related and TRAP_SOURCE not in related
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated").endswith("Z")


# --- the real server ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(initialised: Path | str, tmp_path: Path, prepared) -> Iterator[str]:
    """`ratify serve` in its own process on a free port; its address."""
    prepared(record)
    port = free_port()
    command = [sys.executable, "-m", "ratify", "--db", str(initialised), "serve", "--port", str(port)]
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/style.css", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait(timeout=10)
                    pytest.fail(f"ratify serve did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_ratify_serve_serves_a_treaty_page(server):
    with urllib.request.urlopen(f"{server}/treaties/rus-prk-2024", timeout=10) as response:
        assert response.status == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        text = response.read().decode()
    assert "Treaty on Comprehensive Strategic Partnership" in text
    assert Page(text).having("svg", "timeline")


@pytest.mark.slow
def test_a_real_browser_renders_a_served_treaty_page(server, tmp_path):
    from tests.test_html_report import _browse, _chromium

    chromium = _chromium()
    profile = tmp_path / "chromium-profile"
    url = f"{server}/treaties/tpnw-2017"
    dom = Page(_browse(chromium, profile, "--dump-dom", url).stdout)
    assert dom.having("svg", "timeline") and dom.having("svg", "chart")
    assert len(dom.having("g", "lane")) == len(as_json("status", "tpnw-2017"))
    assert any((a.get("href") or "").startswith("https://") for tag, a in dom.elements if tag == "a")
    screenshot = tmp_path / "treaty.png"
    _browse(chromium, profile, f"--screenshot={screenshot}", "--window-size=1280,2400", url)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("RATIFY_SCREENSHOT_DIR"):
        keep = Path(os.environ["RATIFY_SCREENSHOT_DIR"])
        keep.mkdir(parents=True, exist_ok=True)
        (keep / "serve-tpnw-2017.png").write_bytes(screenshot.read_bytes())


def test_serve_refuses_a_missing_database_before_listening(tmp_path):
    from tests.conftest import run

    result = run("--db", tmp_path / "missing.db", "serve", "--port", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no ratify database at {tmp_path / 'missing.db'} "
        "(run 'ratify init' first, or point --db / RATIFY_DB at your database)\n"
    )
    assert run("serve", "--port", "70000").exit_code == 2


def test_a_404_offers_the_sites_search_not_a_command(client):
    page = client.get("/treaties/nuclear-weapons-ban")
    assert page.status_code == 404
    assert "ratify treaty list" not in page.text
    assert "treaty: no treaty &#39;nuclear-weapons-ban&#39; (search the treaties: /?q=nuclear+weapons+ban)" in page.text
    (search,) = [attrs for tag, attrs in Page(page.text).elements if tag == "input" and attrs.get("name") == "q"]
    assert search["value"] == "nuclear weapons ban"
    assert client.get("/?q=" + search["value"]).status_code == 200
    twin = client.get("/treaties/nuclear-weapons-ban.json").json()
    assert twin == {"error": "treaty: no treaty 'nuclear-weapons-ban' (search the treaties: /?q=nuclear+weapons+ban)"}
    elsewhere = client.get("/no/such-page")
    assert elsewhere.status_code == 404 and 'name="q" value="such page"' in elsewhere.text
    assert "did you mean rus-prk-2024?" in client.get("/treaties/rus-prk-2042").text  # a near slug is still named


def test_a_treaty_page_shows_the_depositary_identifiers_treaty_show_prints(initialised, tmp_path):
    from tests.untc_pages import ATT_NOTES, ATT_ROWS, page

    saved = tmp_path / "XXVI-8.html"
    saved.write_text(page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES), encoding="utf-8")
    ok("import", "untc", saved)
    shown = ok("treaty", "show", "arms-trade-treaty-2013").stdout
    with Database(str(initialised)) as database, TestClient(create_app(database, allowed_hosts=["testserver"])) as client:
        treaty_page = client.get("/treaties/arms-trade-treaty-2013")
    text = "".join(Page(treaty_page.text).text)
    labels = ("depositary", "published entry into force")
    for label in labels:
        (line,) = [line for line in shown.splitlines() if line.startswith(f"  {label}:")]
        assert f"<dt>{label.capitalize()}</dt>" in treaty_page.text, label
        assert line.split(":", 1)[1].strip() in text, label
    assert "XXVI-8" in text and "UNTS registration 52373" in text


#: What a page's layout looks like from the browser: sideways overflow of the page itself, each table and
#: chart that is wider than the page and whether it scrolls in a box of its own, and the scale charts are drawn at.
LAYOUT = """(() => {
  const page = document.documentElement.scrollWidth, view = window.innerWidth;
  const boxed = (element) => {
    for (let up = element.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === "auto" && up.getBoundingClientRect().right <= view + 0.5) return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll("table, svg.timeline, svg.chart")]
    .filter((element) => element.getBoundingClientRect().width > view);
  const charts = [...document.querySelectorAll("svg.timeline, svg.chart")]
    .map((svg) => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
  return {page, view, unboxed: wide.filter((element) => !boxed(element)).map((e) => e.tagName + "." + e.className.baseVal),
          charts, legend: document.querySelector("figure ul.legend + .scroll svg.timeline") !== null};
})()"""


@pytest.mark.slow
@pytest.mark.sqlite_only  # the layout is the templates' and the stylesheet's; the store makes no difference
def test_pages_fit_a_phone_and_a_desktop_screen(server, tmp_path):
    """At 390 px nothing but a table's or a chart's own box scrolls sideways, and charts keep their size;
    at 1280 px every chart fits whole. Screenshots of each are kept with RATIFY_SCREENSHOT_DIR."""
    from tests.browser import Browser
    from tests.test_html_report import _chromium

    keep = Path(os.environ["RATIFY_SCREENSHOT_DIR"]) if os.environ.get("RATIFY_SCREENSHOT_DIR") else None
    with Browser(_chromium(), tmp_path / "profile") as browser:
        for width in (390, 1280):
            for path in ("/treaties/tpnw-2017", "/treaties/rus-prk-2024", "/", "/pending", "/changes?since=2000-01-01"):
                browser.open(server + path, width, 900)
                layout = browser.evaluate(LAYOUT)
                assert layout["view"] == width, path
                assert layout["page"] <= width, (width, path, layout)
                assert layout["unboxed"] == [], (width, path, layout)
                if path.startswith("/treaties/"):
                    assert layout["legend"], path  # the key sits right above the timeline it explains
                    assert layout["charts"] and all(scale >= 0.99 for scale in layout["charts"]), (width, path, layout)
                shot = tmp_path / f"{width}.png"
                browser.screenshot(shot)
                assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5_000
                if keep:
                    keep.mkdir(parents=True, exist_ok=True)
                    name = path.strip("/").split("?")[0].replace("/", "-") or "treaties"
                    (keep / f"serve-{name}-{width}.png").write_bytes(shot.read_bytes())


# --- the Host header is not trusted -------------------------------------------------------------------------------


@pytest.fixture
def local_app(initialised: Path | str, prepared) -> Iterator[Database]:
    prepared(record)
    database = Database(str(initialised))
    try:
        yield database
    finally:
        database.close()


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000", "127.0.0.1"])
def test_a_local_server_answers_to_this_machines_names(local_app, host):
    with TestClient(create_app(local_app)) as client:
        assert client.get("/pending", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("path", ["/changes.atom", "/pending", "/treaties/rus-prk-2024.json"])
def test_a_request_for_another_host_is_refused_in_one_line(local_app, path):
    """A DNS-rebinding page: evil.example resolves to 127.0.0.1, and the browser sends its own name."""
    with TestClient(create_app(local_app)) as client:
        response = client.get(path, headers={"host": "evil.example"})
    assert response.status_code == 400
    message = (
        "host: 'evil.example' is not a host this server answers to (start ratify serve with --allow-host evil.example)"
    )
    if path.endswith((".json", ".atom")):
        assert response.json() == {"error": message}
    else:
        assert message.replace("'", "&#39;") in response.text
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "evil.example/" not in response.text


def test_a_huge_host_header_is_not_echoed_whole(local_app):
    with TestClient(create_app(local_app)) as client:
        response = client.get("/pending.json", headers={"host": "x" * 10_000})
    assert response.status_code == 400 and len(response.text) < 500


def test_a_named_host_is_answered_and_links_come_from_the_base_url(local_app):
    app = create_app(local_app, base_url="https://treaties.example.org/", allowed_hosts=["intranet.example"])
    with TestClient(app) as client:
        assert client.get("/pending", headers={"host": "localhost"}).status_code == 400  # not on this machine's name
        assert client.get("/pending", headers={"host": "treaties.example.org"}).status_code == 200
        feed = client.get("/changes.atom?since=2000-01-01", headers={"host": "intranet.example:8080"})
    assert feed.status_code == 200
    links = {link.get("href") for link in ElementTree.fromstring(feed.content).iter(f"{ATOM}link")}
    assert "https://treaties.example.org/treaties/evil-2020" in links
    assert not any("intranet.example" in (link or "") for link in links)


def test_any_host_only_when_asked(local_app):
    with TestClient(create_app(local_app, allowed_hosts=["*"])) as client:
        assert client.get("/pending", headers={"host": "anything.example"}).status_code == 200


def test_serve_refuses_a_base_url_that_is_not_an_address(initialised):
    from tests.conftest import run

    for bad in ("treaties.example.org", "ftp://x/", "http://[::1"):
        result = run("serve", "--base-url", bad)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: Invalid value for '--base-url': {bad!r} is not an http(s) address")


def test_the_real_server_refuses_another_host_and_answers_a_named_one(initialised, tmp_path):
    import http.client

    record()
    port = free_port()
    command = [sys.executable, "-m", "ratify", "--db", str(initialised), "serve", "--port", str(port),
               "--allow-host", "desk.example", "--base-url", "https://treaties.example.org/"]  # fmt: skip
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)

    def status(host: str, path: str = "/pending") -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": host})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status("127.0.0.1")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"ratify serve did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
        assert status("evil.example")[0] == 400
        assert status(f"127.0.0.1:{port}")[0] == 200
        assert status("desk.example")[0] == 200
        code, feed = status("desk.example", "/changes.atom?since=2000-01-01")
        assert code == 200 and b"https://treaties.example.org/treaties/evil-2020" in feed
    finally:
        process.terminate()
        process.wait(timeout=10)
