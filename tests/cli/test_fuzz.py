"""Every command on fuzzed datasets (hypothesis): a located error or an answer, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import event, given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.cli import cli
from tests.helpers import (
    EXAMPLES,
    FILES,
    FUZZ,
    _rows,
    _write_rows,
    apply,
    base_dataset,
    load_or_located_error,
    mutated_folder,
)

pytestmark = pytest.mark.slow


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


def run_all_commands(folder: Path, tmp: Path, ds: bg.Dataset) -> None:
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
            run_all_commands(folder, Path(tmp), ds)


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
            run_all_commands(folder, Path(tmp), ds)


def test_every_command_on_the_base_dataset_exits_cleanly(tmp_path: Path) -> None:
    folder = base_dataset(tmp_path / "ds")
    ds = bg.load_dataset(folder)
    run_all_commands(folder, tmp_path, ds)
    r = CliRunner().invoke(cli, ["report", "-o", str(tmp_path / "r"), "--data", str(folder)])
    assert r.exit_code == 0, r.stderr
