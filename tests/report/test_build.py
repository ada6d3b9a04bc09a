"""belt_graph.report.build: each analysis once per report, the findings, odd datasets."""

from __future__ import annotations

import collections
import functools
import html
import importlib
import re
import sys
from pathlib import Path

import pytest

import belt_graph as bg
from belt_graph.report import write_report
from tests.helpers import HEADER, run_in_folder, toy_copy

pytestmark = pytest.mark.slow

COUNTED = {
    "rail_graph": "network",
    "travel_time_matrix": "routing",
    "centrality": "centralities",
    "fastest_routes": "reachability",
    "reach_bands": "reachability",
    "compare": "scenario",
}


def test_each_analysis_runs_once_per_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts: collections.Counter[str] = collections.Counter()
    for name, module in COUNTED.items():
        original = getattr(importlib.import_module(f"belt_graph.{module}"), name)

        def counted(*a, _f=original, _n=name, **k):  # type: ignore[no-untyped-def]
            counts[_n] += 1
            return _f(*a, **k)

        functools.update_wrapper(counted, original)
        # every module that imported the function by name gets the counting one
        for mod in list(sys.modules.values()):
            if getattr(mod, "__name__", "").startswith("belt_graph") and (
                getattr(mod, name, None) is original
            ):
                monkeypatch.setattr(mod, name, counted)
    from belt_graph.network import journeys as _journeys

    built: collections.Counter[tuple[object, ...]] = collections.Counter()
    graphs: list[object] = []  # held, so that no graph's id is reused by a later one
    for name in ("_by_arrays", "_by_edges"):
        builder = getattr(_journeys, name)

        def counted_build(G, weight, *, _f=builder, **k):  # type: ignore[no-untyped-def]
            graphs.append(G)
            built[(id(G), weight, *sorted(k.items()))] += 1
            return _f(G, weight, **k)

        monkeypatch.setattr(_journeys, name, counted_build)
    # no analysis while the figures are drawn: everything they read is computed before, so
    # that the workers drawing them inherit it (a worker's own computation would be lost)
    from belt_graph.report import figures as _figures

    cached: list[tuple[object, ...]] = []

    def caches(r: object) -> tuple[object, ...]:
        kept = vars(r)
        return tuple(sorted((k, len(v) if isinstance(v, dict) else 1) for k, v in kept.items()))

    def drawing(*a, _f=_figures.draw_kind, **k):  # type: ignore[no-untyped-def]
        cached.append((caches(k["results"]), tuple(sorted(counts.items())), len(built)))
        fig = _f(*a, **k)
        cached.append((caches(k["results"]), tuple(sorted(counts.items())), len(built)))
        return fig

    monkeypatch.setattr(_figures, "draw_kind", drawing)
    ds = bg.load_dataset()
    write_report(ds, tmp_path / "r", workers=1)  # drawn here, where the counters count
    assert len(cached) == 2 * 15 and len(set(cached)) == 1, set(cached)
    scenarios = len(ds.scenarios)
    assert scenarios == 2
    # one network each: the service network (its expected-time twin, with the waits, is a
    # view of it), the track, the network of 2020, each scenario's, and each year's of the
    # network by year
    years = len(bg.history.default_years(ds))
    assert years == 2025 - 2009 + 1
    assert counts["rail_graph"] == 3 + scenarios + years, counts
    # each journey graph once per network and arguments: the base network's, its expected
    # twin's, each scenario's ... (built six times on cn-rail-2023, 0.4 s each)
    assert len(built) >= 3 + scenarios and set(built.values()) == {1}, built
    # one matrix each: the base network's, its expected one, and each scenario's
    assert counts["travel_time_matrix"] == 2 + scenarios, counts
    assert counts["centrality"] == 1 and counts["compare"] == scenarios, counts
    assert counts["fastest_routes"] == 1 and counts["reach_bands"] == 1, counts


def test_figures_drawn_by_workers_are_those_drawn_here(tmp_path: Path) -> None:
    """The report's figures drawn on two forked workers are byte for byte those drawn here."""
    from belt_graph._workers import can_fork

    if not can_fork():
        pytest.skip("processes cannot be forked here: the report draws its figures itself")
    ds = bg.load_dataset()
    said: list[str] = []
    write_report(ds, tmp_path / "two", workers=2, progress=said.append)
    write_report(ds, tmp_path / "one", workers=1)
    pngs = sorted(p.name for p in (tmp_path / "one" / "figures").glob("*.png"))
    assert len(pngs) == 15
    for name in pngs:
        one = (tmp_path / "one" / "figures" / name).read_bytes()
        assert (tmp_path / "two" / "figures" / name).read_bytes() == one, name
    # told in the report's order, each once
    drew = [m.removeprefix("drew ") for m in said if m.startswith("drew ")]
    assert drew == [
        "map", "reach", "traveltime", "matrix", "centrality", "years", "timeline", "changes",
        "critical", "criticality", "sectors", "lq", "industry",
        *(f"scenario_{n}" for n in ds.scenarios),
    ]  # fmt: skip
    for name in ("report.md", "report.html"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


def test_a_drawing_worker_that_dies_is_one_clear_error() -> None:
    import os

    from belt_graph._workers import can_fork
    from belt_graph.report.build import _drawn

    if not can_fork():
        pytest.skip("processes cannot be forked here")

    def dies(item: tuple[str, tuple[str, str | None]]) -> str:
        os._exit(9)

    items = [("a", ("map", None)), ("b", ("map", None))]
    with pytest.raises(bg.BeltGraphError, match=r"ended abruptly .* --workers 1"):
        list(_drawn(dies, items, 2))
    with pytest.raises(bg.BeltGraphError, match="workers must be at least 1"):
        list(_drawn(dies, items, 0))


def test_findings_rank_scenario_changes_by_size(tmp_path: Path) -> None:
    ds = bg.load_dataset()
    write_report(ds, tmp_path / "r")
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    G = bg.rail_graph(ds)
    for name in ds.scenarios:
        cmp = bg.compare(G, bg.rail_graph(bg.apply_scenario(ds, name)))
        m = cmp.minutes
        biggest = m.loc[m["minutes_delta"].abs().idxmax()]
        title = bg.read_scenario(ds.scenarios[name]).title
        line = next(x for x in md.splitlines() if x.startswith(f"- **Scenario: {title}**"))
        assert f"(`{name}`)" in line
        assert f"{biggest['origin']}-{biggest['destination']}" in line
        assert f"{biggest['minutes_delta']:+.0f} min" in line


def test_one_origin_rule_and_unknowns(tmp_path: Path) -> None:
    ds = bg.load_dataset()
    write_report(ds, tmp_path / "r")
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "Counts of places reached include the origin itself" in md
    assert "(origin excluded" not in md and "origin excluded" not in md
    # door to door, Putuo reaches itself alone within 1 h and 4 places within 2 h (itself
    # counted), in the findings and in the scenarios (a 2 h reach)
    G = bg.rail_graph(ds)
    assert len(bg.reach(G, "Putuo", 1.0)) == 1 and len(bg.reach(G, "Putuo", 2.0)) == 4
    assert "- Within 1 h of Putuo: 1 place," in md and "- Within 2 h of Putuo: 4 places" in md
    assert "| Putuo | 4 | 4 | 0 |" in md
    assert "Putuo, door to door through one of its stations Shanghai West (SXH)" in md
    # a GDP that is unknown is said so, never summed as 0
    nodes = ds.nodes.copy()
    nodes.loc["Putuo", ["gdp_cny_bn"]] = float("nan")
    nodes.loc["Putuo", "gdp_status"] = "unknown"
    unknown = ds.__class__(**{**ds.__dict__, "nodes": nodes})
    write_report(unknown, tmp_path / "u")
    md = (tmp_path / "u" / "report.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("- Within 1 h of Putuo"))
    assert "GDP unknown for Putuo" in line and "GDP 0 bn" not in md


def test_all_links_planned_and_a_single_place(tmp_path: Path) -> None:
    planned = toy_copy(
        tmp_path,
        "planned",
        **{
            "links.csv": HEADER + "A,B,20,rail,red,planned,x,2025\n",
            "scenarios__faster_red.csv": None,
            "scenarios__open_gold.csv": "op,line\nopen_planned,red\n",
        },
    )
    single = toy_copy(
        tmp_path,
        "single",
        **{
            "nodes.csv": "id,name,kind,lat,lon\nA,Alpha,city,31,120\n",
            "links.csv": HEADER,
            "sectors.csv": None,
            "partnerships.csv": None,
            "scenarios__faster_red.csv": None,
            "scenarios__open_gold.csv": None,
        },
    )
    for folder in (planned, single):
        for kind in ("map", "reach", "traveltime", "matrix", "centrality"):
            out = tmp_path / f"{folder.name}-{kind}.png"
            code, _, err = run_in_folder("draw", kind, "-o", str(out), "--data", str(folder))
            assert code == 0, (folder.name, kind, err)
        code, _, err = run_in_folder(
            "report", "-o", str(tmp_path / f"r-{folder.name}"), "--data", str(folder)
        )
        assert code == 0, err


def test_a_bus_feeds_report_speaks_of_buses_and_stops(cairns: bg.Dataset, tmp_path: Path) -> None:
    """Issue 27, 1: words from the data: no "rail", "train" or "station" for a bus feed."""
    write_report(cairns, tmp_path / "r")
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    findings = md.split("## Key findings")[1].split("## Explore")[0]
    figures = md.split("## Figures")[1].split("## Tables")[0]
    times = next(x for x in md.splitlines() if x.startswith("**Times.**"))
    for text in (findings, figures, times):
        for word in ("rail", "train", "station"):
            assert word not in text.lower(), (word, text)
    assert "every change of bus costs the stop's minimum change time" in times
    assert "stops within 3 h" in findings  # the timetable finding counts stops
    # issue 39: the whole report.md and the page's text, the data's names left out (a stop may
    # be called "Redlynch Railway Station"); link kinds and column names are the file's
    from belt_graph.report.tables import md_text

    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    page = html.unescape(re.sub(r"<[^>]+>", " ", page))
    names = sorted(set(map(str, cairns.nodes["name"])), key=len, reverse=True)
    for text in (md, page):
        for n in names:
            text = text.replace(md_text(n), "").replace(n, "")
        text = text.replace("by kind: track", "").replace("betweenness track", "")
        for word in ("rail", "train", "station", "track"):
            assert not re.search(rf"\b{word}", text, flags=re.I), (word, text)
    assert "highest betweenness (route network)" in md


def test_names_from_the_data_are_no_markup_in_report_md(tmp_path: Path) -> None:
    """Issue 39: names such as <script>...</script> are written as text, in sentences and tables."""
    nodes = (bg.toy_path() / "nodes.csv").read_text(encoding="utf-8")
    nodes = nodes.replace(",Alpha,", ",<script>alert(1)</script>,")
    nodes = nodes.replace(",Bravo,", ',"""><img src=x onerror=alert(2)>",')
    nodes = nodes.replace(",Charlie,", ",C|har *lie* [x]_y,")
    folder = toy_copy(tmp_path, "hostile", **{"nodes.csv": nodes})
    ds = bg.load_dataset(folder)
    assert "<script>alert(1)</script>" in set(ds.nodes["name"])
    write_report(ds, tmp_path / "r")
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md and "&lt;img src=x" in md
    assert "C\\|har \\*lie\\* \\[x\\]\\_y" in md
    # every table row keeps its column count: an escaped | splits no cell
    for block in md.split("\n\n"):
        rows = [x for x in block.splitlines() if x.startswith("|")]
        if rows:
            counts = {len(re.split(r"(?<!\\)\|", r)) for r in rows}
            assert len(counts) == 1, block
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    # as text everywhere (escaped once: never &amp;lt;); in the explorer's data, a JSON
    # string whose </ cannot end its script
    assert "alert(1)</script>" not in html
    outside_scripts = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    assert "<img src=x" not in outside_scripts and "<script>alert" not in outside_scripts
    assert "&amp;lt;" not in html and "&amp;lt;" not in md
