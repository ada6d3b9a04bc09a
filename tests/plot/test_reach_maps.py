"""belt_graph.plot.reach_maps: reach bands, travel-time space, large networks, an origin without
coordinates."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

import belt_graph as bg
from belt_graph import plot
from tests.helpers import HEADER, run_in_folder, toy_copy


def _label_boxes(ax):
    renderer = ax.figure.canvas.get_renderer()
    return {
        t.get_text(): t.get_window_extent(renderer)
        for t in ax.texts
        if t.get_text().endswith(" min") or t.get_text().endswith(" h")
    }


def no_coords_dataset(tmp_path: Path) -> Path:
    nodes = (
        "id,name,kind,lat,lon,coord_status\n"
        "A,Alpha,city,,,unknown\nB,Bravo,city,31,120,sourced\nC,Charlie,city,31.2,120.3,sourced\n"
    )
    links = HEADER + "A,B,20,rail,red,open,x,2025\nB,C,30,rail,red,open,x,2025\n"
    return toy_copy(
        tmp_path,
        **{
            "nodes.csv": nodes,
            "links.csv": links,
            "sectors.csv": None,
            "partnerships.csv": None,
            "scenarios__faster_red.csv": None,
            "scenarios__open_gold.csv": None,
        },
    )


def test_reach_map_bands(toy: bg.Dataset) -> None:
    dist, parent = bg.fastest_routes(bg.rail_graph(toy), "A")
    _fig, ax = plot.plot_reach(toy, pd.Series(dist), "A", routes=parent)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:4] == ["≤ 1 h", "≤ 2 h", "≤ 3 h", "> 3 h or not reached"]
    assert any(t.get_text() == "Delta\n65 min" for t in ax.texts)


def test_travel_time_map_positions(toy: bg.Dataset) -> None:
    dist, _ = bg.fastest_routes(bg.rail_graph(toy), "A")
    _, ax = plot.plot_travel_time_map(toy, pd.Series(dist), "A")
    # B is due east of A at 20 min: drawn at (20, 0)
    offsets = ax.collections[0].get_offsets()
    assert any(abs(x - 20) < 1e-9 and abs(y) < 1e-9 for x, y in offsets)


def test_large_reach_map_frames_the_reached_area(national: bg.Dataset) -> None:
    hq = bg.resolve_place(national.nodes, "上海虹桥")
    dist, parent = bg.fastest_routes(bg.rail_graph(national), hq)
    _fig, ax = plot.plot_reach(national, pd.Series(dist), hq, routes=parent, bands=(1.0, 2.0))
    reached = bg.reach(bg.rail_graph(national), hq, 2.0)
    lon = national.nodes.loc[reached.index, "lon"]
    x0, x1 = ax.get_xlim()
    assert x0 <= lon.min() and lon.max() <= x1 and x1 - x0 < 10  # not the whole country
    cities = (national.nodes.loc[reached.index, "kind"] == "city").sum()  # issue 22
    assert f"{cities:,} cities" in ax.get_title()


def test_large_reach_map_draws_the_track_under_the_routes(national: bg.Dataset) -> None:
    # a network of services lists a link for every pair of a train's stops: drawn straight,
    # those chords (118,000 on cn-rail-2023) covered the map in grey; the track is drawn
    from matplotlib.collections import LineCollection

    hq = bg.resolve_place(national.nodes, "上海虹桥")
    dist, parent = bg.fastest_routes(bg.rail_graph(national), hq)
    _fig, ax = plot.plot_reach(national, pd.Series(dist), hq, routes=parent)
    grey = next(c for c in ax.collections if isinstance(c, LineCollection))
    links = national.links
    located = national.nodes[["lat", "lon"]].notna().all(axis=1)
    ends = links["source"].map(located).fillna(False) & links["target"].map(located).fillna(False)
    track = links[(links["status"] == "open") & (links["kind"] == "track") & ends]
    assert (links["kind"] == "service").sum() > 5 * len(track) > 0
    assert len(grey.get_segments()) == len(track)


def test_large_reach_labels_sit_apart_and_inside(national: bg.Dataset) -> None:
    # from Beijing the four Tianjin stations lie within a few km: before labels could be
    # dropped, 'Tianjin North 90 min' covered 'Tianjin 82 min' and ran out of the axes; door to
    # door, the cities within the largest band (3 h) of Beijing are labelled, every one
    bj = bg.resolve_place(national.nodes, "北京")
    dist, parent = bg.fastest_routes(bg.rail_graph(national), bj)
    fig, ax = plot.plot_reach(national, pd.Series(dist), bj, routes=parent)
    fig.canvas.draw()
    boxes = _label_boxes(ax)
    cities = set(bg.reach(bg.rail_graph(national), bj, 3.0).index) - {bj}
    assert len(boxes) == len(cities) >= 3 and "door to door" in ax.get_title()
    frame = ax.get_window_extent(fig.canvas.get_renderer())
    for name, box in boxes.items():
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, name
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, name
    for (a, x), (b, y) in itertools.combinations(boxes.items(), 2):
        assert not x.overlaps(y), (a, b)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    within = bg.reach(bg.rail_graph(national), bj, 3.0)
    counts = [int(x.split("(")[1].rstrip(")")) for x in legend if x.startswith("≤ ")]
    assert sum(counts) == len(within)  # the bands count every station reached, the origin too


def test_large_travel_time_map_in_hours(national: bg.Dataset) -> None:
    hq = bg.resolve_place(national.nodes, "上海虹桥")
    dist, _ = bg.fastest_routes(bg.rail_graph(national), hq)
    fig, ax = plot.plot_travel_time_map(national, pd.Series(dist), hq)
    fig.canvas.draw()
    # the rings are in hours on a national network, so the axes are too: ticks on whole
    # multiples of an hour, labelled in hours
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("hours (east →)", "hours (north →)")
    ticks = ax.get_xticks()
    labels = [t.get_text().replace("\u2212", "-") for t in ax.get_xticklabels()]
    assert all(v % 60 == 0 for v in ticks)
    assert labels == [f"{v / 60:g}" for v in ticks]
    for (a, x), (b, y) in itertools.combinations(_label_boxes(ax).items(), 2):
        assert not x.overlaps(y), (a, b)


@pytest.mark.parametrize("kind", ["map", "reach"])
def test_an_origin_without_coordinates_draws(tmp_path: Path, kind: str) -> None:
    folder = no_coords_dataset(tmp_path)
    out = tmp_path / "m.png"
    code, _, err = run_in_folder(
        "draw", kind, "--origin", "A", "-o", str(out), "--data", str(folder)
    )
    assert code == 0 and out.stat().st_size > 0, err


@pytest.mark.slow
def test_an_origin_without_coordinates_cannot_give_bearings(tmp_path: Path) -> None:
    folder = no_coords_dataset(tmp_path)
    args = ["draw", "traveltime", "--origin", "A", "-o", str(tmp_path / "m.png")]
    code, _, err = run_in_folder(*args, "--data", str(folder))
    assert code == 1 and "'A' has no coordinates" in err
    code, _, err = run_in_folder(
        "report", "--origin", "A", "-o", str(tmp_path / "r"), "--data", str(folder)
    )
    assert code == 0, err
    assert not (tmp_path / "r" / "figures" / "traveltime.png").exists()
