"""Property-based fuzzing of the loader and the command line (hypothesis).

A mutated dataset folder (bytes, encodings, headers, numbers, unicode, cells) must either load
or fail with a :class:`~belt_graph.BeltGraphError` whose every problem names its file; and every
command run on a dataset that loads must exit 0, 1 or 2 with no traceback.

CI runs a bounded number of examples; for a longer run set ``BELT_GRAPH_FUZZ_EXAMPLES``
(e.g. ``BELT_GRAPH_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py``).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.cli import cli

EXAMPLES = int(os.environ.get("BELT_GRAPH_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("BELT_GRAPH_FUZZ_EXAMPLES") is None,  # CI: the same examples
)

TIMETABLE = (
    "train,sequence,station,arrival,departure\n"
    "T1,1,A,,08:00\nT1,2,B,08:20,08:22\nT1,3,C,08:50,\n"
    "T2,1,C,,09:10\nT2,2,D,09:50,\n"
)
CLAIMS = (
    "claim_id,text,kind,subject,param,low,high,unit,source_ref\n"
    "pop,Four places hold over 5000 people,population_total,A;B;C;D,,5000,,persons,toy\n"
    "ab,A to B in half an hour,travel_minutes,A>B,,10,40,minutes,toy\n"
    "rich,Two above 15,gdp_count_above,A;B;D,15,2,2,places,toy\n"
)

#: Text that tends to break readers: numbers in odd forms, unicode, separators, huge values.
NASTY = [
    "",
    " ",
    "nan",
    "inf",
    "-inf",
    "-0",
    "1e308",
    "1e-320",
    "1_000",
    "１０",
    "٣٠",
    "0x10",
    "12.5.3",
    "NaN",
    "\u2028",
    "\x0c",
    "\x85",
    "a\nb",
    '"',
    ",",
    ";",
    ">",
    "A>",
    "A;;B",
    "Ａ",
    "a" * 300,
    "2025-02-30",
    "20250217",
    "25:99",
    "99:00",
    "-5",
    "0",
    "H",
    "A",
    "Z",
]


def base_dataset(folder: Path) -> Path:
    shutil.copytree(bg.toy_path(), folder)
    (folder / "timetable.csv").write_text(TIMETABLE, encoding="utf-8")
    (folder / "claims.csv").write_text(CLAIMS, encoding="utf-8")
    return folder


FILES = [
    "nodes.csv",
    "links.csv",
    "sectors.csv",
    "sector_taxonomy.csv",
    "partnerships.csv",
    "timetable.csv",
    "claims.csv",
    "scenarios/faster_red.csv",
]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _write_rows(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


@st.composite
def mutation(draw: st.DrawFn, original: bytes) -> bytes:
    kind = draw(
        st.sampled_from(["bytes", "encoding", "header", "cell", "row", "truncate", "unicode"])
    )
    if kind == "bytes":
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            op = draw(st.sampled_from(["insert", "delete", "replace"]))
            chunk = draw(st.binary(min_size=1, max_size=4))
            if op == "insert":
                data[at:at] = chunk
            elif op == "delete":
                del data[at : at + len(chunk)]
            else:
                data[at : at + len(chunk)] = chunk
        return bytes(data)
    if kind == "encoding":
        text = original.decode("utf-8")
        enc = draw(st.sampled_from(["utf-16", "utf-8-sig", "gb18030", "latin-1", "cp1252"]))
        return text.encode(enc, errors="replace")
    if kind == "truncate":
        return original[: draw(st.integers(0, len(original)))]
    rows = _rows(original)
    if kind == "header" and rows:
        header = rows[0]
        op = draw(st.sampled_from(["drop", "rename", "duplicate", "swap", "blank"]))
        i = draw(st.integers(0, len(header) - 1))
        if op == "drop":
            rows = [r[:i] + r[i + 1 :] for r in rows]
        elif op == "rename":
            header[i] = draw(st.sampled_from([*NASTY, header[i].upper()]))
        elif op == "duplicate":
            header[(i + 1) % len(header)] = header[i]
        elif op == "swap":
            j = draw(st.integers(0, len(header) - 1))
            header[i], header[j] = header[j], header[i]
        else:
            header[i] = ""
        return _write_rows(rows)
    if len(rows) < 2:
        return original
    r = draw(st.integers(1, len(rows) - 1))
    if kind == "row":
        op = draw(st.sampled_from(["duplicate", "delete", "short", "long"]))
        if op == "duplicate":
            rows.insert(r, list(rows[r]))
        elif op == "delete":
            del rows[r]
        elif op == "short":
            rows[r] = rows[r][:-1]
        else:
            rows[r] = [*rows[r], "extra"]
        return _write_rows(rows)
    c = draw(st.integers(0, len(rows[r]) - 1))
    if kind == "cell":
        rows[r][c] = draw(st.sampled_from(NASTY))
    else:
        alphabet = st.characters(blacklist_categories=("Cs",))
        rows[r][c] = draw(st.text(alphabet=alphabet, min_size=0, max_size=12))
    return _write_rows(rows)


@st.composite
def mutated_folder(draw: st.DrawFn) -> dict[str, bytes]:
    """File name -> new content for one to three files of the base dataset."""
    with tempfile.TemporaryDirectory() as tmp:
        base = base_dataset(Path(tmp) / "ds")
        out = {}
        for name in draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=3, unique=True)):
            out[name] = draw(mutation((base / name).read_bytes()))
        return out


@st.composite
def plausible_folder(draw: st.DrawFn) -> dict[str, bytes]:
    """A dataset that should load but is odd: fewer nodes, odd names, odd numbers, statuses."""
    with tempfile.TemporaryDirectory() as tmp:
        base = base_dataset(Path(tmp) / "ds")
        tables = {n: _rows((base / n).read_bytes()) for n in FILES}
    nodes = tables["nodes.csv"]
    header = nodes[0]
    keep = draw(st.lists(st.sampled_from(nodes[1:]), min_size=1, unique_by=lambda r: r[0]))
    ids = {r[0] for r in keep}
    text = st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=20,
    ).filter(lambda t: t.strip() == t and t.strip())
    for r in keep:
        r[header.index("name")] = draw(text)
        if draw(st.booleans()):
            r[header.index("population")] = draw(st.sampled_from(["", "0", "1", "123456789"]))
        r[header.index("lat")] = str(draw(st.floats(-89, 89)))
        r[header.index("lon")] = str(draw(st.floats(-179, 179)))
    out = {"nodes.csv": _write_rows([header, *keep])}
    links = tables["links.csv"]
    kept_links = [links[0]]
    for r in links[1:]:
        if r[0] in ids and r[1] in ids and draw(st.booleans()):
            r[2] = str(draw(st.floats(1 / 60, 10080)))
            r[5] = draw(st.sampled_from(["open", "open", "planned", "closed"]))
            kept_links.append(r)
    out["links.csv"] = _write_rows(kept_links)
    for name, col in (("sectors.csv", (0,)), ("partnerships.csv", (0, 1))):
        rows = tables[name]
        out[name] = _write_rows([rows[0], *(r for r in rows[1:] if all(r[c] in ids for c in col))])
    tt = tables["timetable.csv"]
    if all(x in ids for x in "ABCD") and draw(st.booleans()):
        out["timetable.csv"] = _write_rows(tt)
    else:
        out["timetable.csv"] = b""  # removed below
    claims = tables["claims.csv"]
    if all(x in ids for x in "ABCD"):
        out["claims.csv"] = _write_rows(claims)
    else:
        out["claims.csv"] = b""
    out["scenarios/faster_red.csv"] = b""
    out["scenarios/open_gold.csv"] = b""
    return out


def apply(folder: Path, changes: dict[str, bytes], *, drop_empty: bool = False) -> None:
    for name, content in changes.items():
        if drop_empty and not content:
            (folder / name).unlink(missing_ok=True)
        else:
            (folder / name).write_bytes(content)


def load_or_located_error(folder: Path) -> bg.Dataset | None:
    try:
        return bg.load_dataset(folder)
    except bg.DataFileError as err:
        assert err.problems and err.total >= len(err.problems)
        for p in err.problems:
            assert p.path.startswith(str(folder)), p
            assert p.message.strip(), p
            assert p.line is None or p.line >= 1, p
        assert str(err).splitlines()[0].endswith(":")
        return None


@FUZZ
@given(changes=mutated_folder())
def test_a_mutated_dataset_loads_or_fails_with_located_problems(changes: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = base_dataset(Path(tmp) / "ds")
        apply(folder, changes)
        event("loaded" if load_or_located_error(folder) is not None else "refused")


def commands(ds: bg.Dataset, tmp: Path) -> list[list[str]]:
    places = [str(n) for n in bg.place_ids(ds.nodes)] or ["A"]
    a, b = places[0], places[-1]
    out = [
        ["info"],
        ["nodes", "--format", "json"],
        ["matrix", "--format", "csv"],
        ["reach", a, "--hours", "1"],
        ["reach", a, "--hours", "2", "--bands", "0.5,1"],
        ["commute", a, b, "--transfer-penalty-minutes", "5"],
        ["centrality"],
        ["sectors"],
        ["clusters"],
        ["partners", a, "--hours", "1.5"],
        ["export", str(tmp / "net.geojson")],
        ["export", str(tmp / "net.graphml")],
        ["draw", "map", "-o", str(tmp / "map.png")],
        ["draw", "reach", "--origin", a, "-o", str(tmp / "reach.png")],
    ]
    if ds.timetable is not None:
        stations = sorted(set(ds.timetable["station"]))
        out.append(["reach", stations[0], "--hours", "3", "--depart", "07:30"])
        out.append(["commute", stations[0], stations[-1], "--depart", "07:30"])
    out += [["scenario", name, "--table", "reach"] for name in ds.scenarios]
    return out


def run_all(folder: Path, tmp: Path, ds: bg.Dataset) -> None:
    for args in commands(ds, tmp):
        r = CliRunner().invoke(cli, [*args, "--data", str(folder)])
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            raise AssertionError(f"traceback from {args}") from r.exception
        assert r.exit_code in (0, 1, 2), (args, r.exit_code, r.stderr)
        if r.exit_code == 1:
            assert r.stderr.startswith("Error: "), (args, r.stderr)


@settings(FUZZ, max_examples=max(EXAMPLES // 6, 6))
@given(changes=mutated_folder())
def test_every_command_on_a_loaded_mutant_exits_cleanly(changes: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = base_dataset(Path(tmp) / "ds")
        apply(folder, changes)
        ds = load_or_located_error(folder)
        event("loaded" if ds is not None else "refused")
        if ds is not None:
            run_all(folder, Path(tmp), ds)


@settings(FUZZ, max_examples=max(EXAMPLES // 4, 8))
@given(changes=plausible_folder())
def test_every_command_on_an_odd_but_valid_dataset_exits_cleanly(
    changes: dict[str, bytes],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = base_dataset(Path(tmp) / "ds")
        apply(folder, changes, drop_empty=True)
        ds = load_or_located_error(folder)
        event("loaded" if ds is not None else "refused")
        if ds is not None:
            run_all(folder, Path(tmp), ds)


def test_every_command_on_the_base_dataset_exits_cleanly(tmp_path: Path) -> None:
    folder = base_dataset(tmp_path / "ds")
    ds = bg.load_dataset(folder)
    run_all(folder, tmp_path, ds)
    r = CliRunner().invoke(cli, ["report", "-o", str(tmp_path / "r"), "--data", str(folder)])
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize("name", FILES)
def test_each_file_of_the_base_dataset_can_be_broken(tmp_path: Path, name: str) -> None:
    """A sanity check of the harness: garbage in any file is a located problem."""
    folder = base_dataset(tmp_path / "ds")
    (folder / name).write_bytes(b"\xff\xfe\x00garbage")
    assert load_or_located_error(folder) is None
