"""Loading large and hostile fixture files: entry at a time, within bounds, with the same rules and results."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
import yaml

from ratify.errors import FixtureError
from ratify.exchange import fixtures, reading
from ratify.exchange.reading import read_whole, strict_loaders
from tests.conftest import RUS_PRK, as_json, ok, run, snapshot

# Plain scalars whose meaning differs between YAML 1.1, YAML 1.2 and ratify's rules.
SCALARS = [
    "yes", "no", "on", "off", "y", "n", "true", "True", "TRUE", "false", "False", "FALSE", "tRUE",
    "2024-01-01", "2024-1-1", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00", "1", "-1", "+1", "0x1F",
    "0o17", "017", "0b101", "1_000", "1:20", "1.5", "1e3", "1.0e+3", ".inf", "-.Inf", ".NaN", "~",
    "null", "Null", "NULL", "", "abc", "'quoted'", '"2024-01-01"', "'true'", "!!str 3", "!!int '7'",
    "!!float 1", "!!bool true", "!!null ''", "<<", "!!binary aGVsbG8=", "!!timestamp 2024-01-01",
]  # fmt: skip


def _same(left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    return type(left) is type(right) and left == right


def _read(read, text: str) -> object:
    try:
        return read(text)
    except (yaml.YAMLError, FixtureError):
        return "refused"


@pytest.mark.parametrize("scalar", SCALARS)
@pytest.mark.parametrize("shape", ["value: {}\n", "list: [{}]\n", "{}: key\n"])
def test_every_reader_gives_a_scalar_the_same_value(scalar, shape, tmp_path):
    """The C loader, the pure-Python one and the entry-at-a-time reader agree (or all refuse)."""
    assert len(strict_loaders()) == 2, "PyYAML is built with libyaml here; both loaders are compared"
    path = tmp_path / "x.yaml"
    path.write_text(shape.format(scalar or "~"))

    def streamed(_text: str) -> object:
        return read_whole(path)

    readers = [lambda text, cls=cls: yaml.load(text, Loader=cls) for cls in strict_loaders()] + [streamed]
    first, *others = [_read(read, path.read_text()) for read in readers]
    for other in others:
        if first == "refused" or other == "refused":
            assert first == other
            continue
        assert isinstance(first, dict) and isinstance(other, dict)
        assert [_same(a, b) for a, b in zip(first, other, strict=True)] == [True]
        key = next(iter(first))
        left, right = first[key], other[key]
        if isinstance(left, list):
            left, right = left[0], right[0]
        assert _same(left, right)


def test_yaml_1_2_booleans_and_text_dates():
    for loader_class in strict_loaders():
        data = yaml.load("yes: 1\nno: on\nt: true\nd: 2024-06-19\nm: 2024-06-19T10:00:00Z\n", Loader=loader_class)
        assert data == {"yes": 1, "no": "on", "t": True, "d": "2024-06-19", "m": "2024-06-19T10:00:00Z"}


def test_anchors_aliases_and_merge_keys_read_as_pyyaml_reads_them(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "base: &b {a: 1, b: 2}\nother: &o {b: 3, c: 4}\n"
        "one: {<<: *b, a: 9}\nmany: {<<: [*b, *o], d: 5}\ntwice: {<<: *b, <<: *o}\n"
        "seq: &s [x, y]\nagain: *s\nscalar: &v text\nref: *v\n"
    )
    expected = yaml.load(path.read_text(), Loader=strict_loaders()[-1])
    assert read_whole(path) == expected
    assert list(read_whole(path)["many"]) == list(expected["many"])


def test_the_entries_of_a_section_come_one_at_a_time(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("procedures: []\ntreaties:\n  - {slug: a}\n  - {slug: b}\nrevisions: {}\nother: 1\n")
    assert list(reading.read_entries(path)) == [
        ("treaties", 0, {"slug": "a"}),
        ("treaties", 1, {"slug": "b"}),
        ("revisions", None, {}),
        ("other", None, 1),
    ]


def billion_laughs(levels: int = 9) -> str:
    """A treaty whose sources nest aliases nine deep: a billion strings once expanded."""
    lines = ["treaties:", "  - slug: lol", "    title: LOL", "    note: &a0 lol", "    sources:"]
    for level in range(1, levels):
        previous = f"*a{level - 1}"
        lines.append(f"      - &a{level} [{', '.join([previous] * 9)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_in_one_line(initialised, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs())
    assert len(bomb.read_bytes()) < 1000
    before = snapshot(initialised)
    result = run("load", bomb)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: {bomb}: not valid YAML: aliases expand to more than 10,000 nodes")
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(initialised) == before


def test_a_few_aliases_are_fine(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("sources: &s [a, b]\nagain: *s\nthird: *s\n")
    assert read_whole(path) == {"sources": ["a", "b"], "again": ["a", "b"], "third": ["a", "b"]}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.yaml", "treaties:\n  - " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("deep-top.yaml", "[" * 100_000 + "]" * 100_000 + "\n"),
        ("deep-block.yaml", "".join(f"{' ' * i}k:\n" for i in range(200)) + " " * 200 + "k: 1\n"),
        ("deep.json", '{"treaties": [' + "[" * 100_000 + "]" * 100_000 + "]}"),
        ("deep-top.json", "[" * 100_000 + "]" * 100_000),
    ],
)
def test_deep_nesting_is_refused_in_one_line(initialised, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    result = run("load", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {path}: nested too deep (a fixture needs a few levels; at most 48)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"treaties": [1, }', "not valid JSON: Expecting value: line 1"),
        ('{"treaties": []} []', "not valid JSON: Extra data: line 1"),
        ('{"treaties": [],\n"procedures" []}', "not valid JSON: Expecting ':' delimiter: line 2"),
        ("[1, 2]", "expected a mapping at the top of the file"),
        ("", "not valid JSON: Expecting value: line 1"),
    ],
)
def test_broken_json_names_the_line(initialised, tmp_path, text, message):
    path = tmp_path / "x.json"
    path.write_text(text)
    result = run("load", path)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: {path}: {message}"), result.stderr


@pytest.mark.parametrize(("name", "text"), [("x.json", "null"), ("x.json", " {} "), ("x.yaml", "~\n"), ("x.yaml", "")])
def test_an_empty_fixture_loads_nothing(initialised, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    assert ok("load", path).stderr.strip() == "Loaded 1 file(s): nothing to load."


def test_json_is_read_the_same_across_the_window_edges(monkeypatch, tmp_path):
    data = {
        "procedures": [{"id": "x"}],
        "treaties": [
            {"slug": f"t{n}", "numbers": [n, 12345678901234567890, 1.5e300], "text": "é" * n} for n in range(40)
        ],
        "revisions": [[], {}],
        "other": {"nested": [True, None, -0.5]},
    }
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data, indent=1))
    for window in (1, 2, 3, 7, 64):
        monkeypatch.setattr(reading, "_CHUNK", window)
        assert read_whole(path) == data


def test_sections_of_a_small_file_apply_in_their_own_order(initialised, tmp_path):
    custom = tmp_path / "custom.yaml"
    custom.write_text(
        "treaties:\n  - {slug: x-2024, title: X, kind: multilateral, signed: 2024-01-02,\n"
        "     parties: [{state: FRA, procedure: mine, events: [{stage: act, date: 2024-02-01, status: passed}]}]}\n"
        "procedures:\n  - {id: mine, name: Mine, stages: [{key: act, kind: executive, body: Government}]}\n"
    )
    ok("load", custom)
    assert "executive passed  2024-02-01" in ok("status", "x-2024").stdout


def test_a_large_file_takes_its_sections_in_export_order(initialised, tmp_path, monkeypatch):
    monkeypatch.setattr(fixtures, "WHOLE_FILE_BYTES", 0)
    path = tmp_path / "late.yaml"
    path.write_text(
        "treaties: [{slug: a, title: A}]\nprocedures: [{id: p, name: P, stages: [{key: k, kind: executive, body: B}]}]\n"
    )
    result = run("load", path)
    assert result.exit_code == 1
    assert f"Error: {path}: procedures after treaties (in a file over 1 MiB put procedures first" in result.stderr


def test_a_large_file_loads_entry_by_entry_like_a_small_one(initialised, tmp_path, monkeypatch):
    ok("load", RUS_PRK)
    exported = tmp_path / "all.json"
    ok("export", "--format", "json", "--output", exported)
    expected = ok("status", "rus-prk-2024").stdout
    fresh = tmp_path / "fresh.db"
    ok("--db", fresh, "init")
    monkeypatch.setattr(fixtures, "WHOLE_FILE_BYTES", 0)
    ok("--db", fresh, "load", exported)
    assert ok("--db", fresh, "status", "rus-prk-2024").stdout == expected
    assert ok("--db", fresh, "export", "--format", "json").stdout == exported.read_text()


def test_ids_a_file_carries_that_are_taken_here_move_and_later_facts_go_past_them(initialised, tmp_path):
    """Two restores into one database: the second file's ids are taken, so its facts get new ones."""
    ok("treaty", "add", "t", "--title", "T", "--signed", "2024-06-19", "--party", "RUS", "--party", "PRK")
    ok("vote", "t", "RUS", "duma", "--date", "2024-10-24", "--yes", "397", "--no", "0")
    exported = ok("export", "--format", "json").stdout
    clash = tmp_path / "clash.json"
    clash.write_text(exported.replace('"slug": "t"', '"slug": "u"'))
    ok("load", clash)
    kept = {row["id"] for row in as_json("history", "t", "--format", "json")}
    moved = {row["id"] for row in as_json("history", "u", "--format", "json")}
    assert kept == {"e1"} and moved and not kept & moved
    # The next fact of each kind takes an id above every id in use, on SQLite and PostgreSQL alike.
    ok("vote", "u", "RUS", "federation_council", "--date", "2024-11-06", "--unanimous", "--result", "passed")
    ok("treaty", "add", "w", "--title", "W", "--signed", "2024-06-19", "--party", "FRA", "--party", "JPN")
    ok("vote", "w", "FRA", "assemblee_nationale", "--date", "2024-10-24", "--yes", "300", "--no", "0")
    ids = [row["id"] for slug in "tuw" for row in as_json("history", slug, "--all", "--format", "json")]
    assert len(ids) == len(set(ids)) == 4


def test_a_load_that_fails_late_in_a_large_file_writes_nothing(initialised, tmp_path, monkeypatch):
    monkeypatch.setattr(fixtures, "WHOLE_FILE_BYTES", 0)
    monkeypatch.setattr("ratify.exchange.bulk.BATCH_ROWS", 1)
    treaties = [
        {"slug": f"t{n}", "title": "T", "kind": "multilateral", "signed": "2024-01-01", "parties": [{"state": "FRA"}]}
        for n in range(5)
    ]
    treaties.append({"slug": "bad", "title": "T", "signed": "2024-01-01", "parties": [{"state": "Atlantis"}]})
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"treaties": treaties}))
    before = snapshot(initialised)
    result = run("load", path)
    assert result.exit_code == 1
    assert f"Error: {path}: treaties[5].parties[0]: " in result.stderr
    assert snapshot(initialised) == before


def test_a_repeated_slug_in_one_file_is_refused(initialised, tmp_path):
    entry = {"slug": "twice", "title": "T", "signed": "2024-01-01"}
    path = tmp_path / "twice.json"
    path.write_text(json.dumps({"treaties": [entry, {**entry, "title": "Other"}]}))
    result = run("load", path)
    assert result.exit_code == 1
    assert "treaties[1]: treaty twice: title is 'T' in the database but 'Other' in the file" in result.stderr


def test_reading_a_missing_file_is_one_line(tmp_path):
    from ratify.errors import FixtureError

    with pytest.raises(FixtureError, match="cannot be read"):
        read_whole(Path(tmp_path / "none.yaml"))


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_written_a_treaty_at_a_time_is_the_whole_dump(initialised, fmt, tmp_path):
    from ratify.exchange.export import dump, export_data, export_text
    from ratify.store.database import Database

    def texts() -> tuple[str, str]:
        database = Database(str(initialised))
        try:
            with database.transaction() as session:
                return "".join(export_text(session, fmt)), "".join(dump(export_data(session), fmt))
        finally:
            database.close()

    streamed, whole = texts()
    assert streamed == whole
    assert ('"treaties": []' if fmt == "json" else "treaties: []") in streamed
    for fixture in sorted((RUS_PRK.parent).glob("*.yaml")):
        ok("load", fixture)
    ok("correct", "e1", "--note", "checked", "--reason", "a test")
    streamed, whole = texts()
    assert streamed == whole
    assert ("revisions:" if fmt == "yaml" else '"revisions": [') in streamed
    fresh = tmp_path / "fresh.db"
    exported = tmp_path / f"all.{fmt}"
    exported.write_text(streamed)
    ok("--db", fresh, "init")
    ok("--db", fresh, "load", exported)
    assert ok("--db", fresh, "export", "--format", fmt).stdout == streamed


def test_the_export_yaml_writer_writes_what_yaml_dump_writes():
    from ratify.exchange.export import _yaml_dump, _YamlWriter

    tricky = [
        "yes", "No", "on", "null", "~", "", " ", "1", "1.5", "0x1F", "1:20", "2024-01-01", "2024-01-01T10:00:00Z",
        "a: b", "- x", "#x", "x #y", "'q'", '"q"', "line\nbreak", "trailing ", "é ü 中文 🙂", "\t", "x" * 300,
        "word " * 40, "<<", "=", "@x", "`x", "!x", "&x", "*x", "%x", "{x}", "[x]", ">x", "|x", "?", "-",
    ]  # fmt: skip
    data = {
        "texts": tricky,
        "mapping": {text: text for text in tricky if text},
        "numbers": [0, -1, 10**20, 1.5, -0.0, 1e300, float("inf"), True, False, None],
        "empty": [[], {}, [{}], {"a": []}],
        "nested": [{"a": [{"b": {"c": [1, "2", None]}}]}],
    }
    assert _YamlWriter().dump_list([data]) == _yaml_dump([data])


@pytest.mark.sqlite_only  # compares with a copy of the database file
def test_an_events_csv_in_any_row_order_loads_the_same(initialised, tmp_path):
    for slug in ("a", "b"):
        ok("treaty", "add", slug, "--title", slug, "--signed", "2024-06-19", "--party", "RUS", "--party", "PRK")
    header = "treaty,party,stage,date,yes,no,status\n"
    rows = [
        "a,RUS,duma,2024-10-24,397,0,",
        "b,RUS,duma,2024-10-25,390,1,",
        "a,RUS,federation_council,2024-11-06,,,passed",
        "b,Russia,federation_council,2024-11-07,,,passed",
        "a,PRK,decree,2024-11-11,,,passed",
    ]
    interleaved, grouped = tmp_path / "interleaved.csv", tmp_path / "grouped.csv"
    interleaved.write_text(header + "\n".join(rows) + "\n")
    grouped.write_text(header + "\n".join(sorted(rows, key=lambda row: row[0])) + "\n")
    fresh = tmp_path / "fresh.db"
    shutil.copyfile(initialised, fresh)
    assert "events: 5 inserted" in ok("load", interleaved).stderr
    assert "events: 5 inserted" in ok("--db", fresh, "load", grouped).stderr
    assert ok("status").stdout == ok("--db", fresh, "status").stdout
    assert "upper house passed, assent pending  2024-11-07" in ok("status", "b").stdout
