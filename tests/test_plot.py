from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.collections import LineCollection

import belt_graph as bg
from belt_graph import plot
from belt_graph.report import draw_kind


@pytest.fixture(autouse=True)
def _close() -> None:
    yield
    plt.close("all")


def test_map_content(belt: bg.Dataset) -> None:
    _fig, ax = plot.plot_map(belt)
    texts = {t.get_text() for t in ax.texts}
    assert {"Nanjing", "Putuo", "Taizhou", "Suzhou North", "Shanghai West"} <= texts
    links = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("link:")]
    assert len(links) == 28  # the track (services are not drawn)
    dashed = [ln for ln in links if ln.get_linestyle() == "--"]
    assert len(dashed) == 4  # the four planned North-Yangtze links
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Beijing-Shanghai HSR" in legend and "planned" in legend
    assert "change of station (estimated)" in legend
    assert any(x.startswith("(63 services not drawn") for x in legend)
    assert ax.get_aspect() == pytest.approx(1 / 0.853, rel=0.02)  # 1 / cos(~31.5°)


def test_place_labels_do_not_overlap(belt: bg.Dataset) -> None:
    _fig, ax = plot.plot_map(belt, show_minutes=False)
    names = set(belt.nodes.loc[bg.place_ids(belt.nodes), "name"])
    boxes = {
        t.get_text(): t.get_window_extent(ax.figure.canvas.get_renderer())
        for t in ax.texts
        if t.get_text() in names
    }
    assert set(boxes) == names
    for (a, x), (b, y) in itertools.combinations(boxes.items(), 2):
        assert not x.overlaps(y), (a, b)


def test_reach_map_bands(toy: bg.Dataset) -> None:
    dist, parent = bg.fastest_routes(bg.rail_graph(toy), "A")
    _fig, ax = plot.plot_reach(toy, pd.Series(dist), "A", routes=parent)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:4] == ["≤ 0.5 h", "≤ 1 h", "≤ 2 h", "> 2 h or not reached"]
    assert any(t.get_text() == "Delta\n65 min" for t in ax.texts)


def test_matrix_heatmap_annotations(toy: bg.Dataset) -> None:
    m = bg.travel_time_matrix(bg.rail_graph(toy))
    _fig, ax = plot.plot_matrix(m)
    assert sorted(t.get_text() for t in ax.texts if t.get_text() != "0") == sorted(
        ["20", "25", "65", "20", "45", "85", "25", "45", "40", "65", "85", "40"]
    )


def test_all_kinds_render(toy: bg.Dataset, tmp_path) -> None:
    for kind in ("map", "reach", "traveltime", "matrix", "centrality", "sectors", "scenario"):
        fig = draw_kind(toy, kind)
        plot.save_figure(fig, tmp_path / f"{kind}.png")
        assert (tmp_path / f"{kind}.png").stat().st_size > 5000


def test_zh_labels_fall_back_without_cjk_font(
    belt: bg.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    # patch where label() looks the font up, not the re-export: the test must hold on a
    # machine that has a CJK font installed too
    from belt_graph.plot import _style

    monkeypatch.setattr(_style, "cjk_font", lambda: None)
    _fig, ax = plot.plot_map(belt, labels="zh")
    assert "Nanjing" in {t.get_text() for t in ax.texts}


@pytest.mark.skipif(plot.cjk_font() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_zh_labels_with_cjk_font(belt: bg.Dataset) -> None:
    fig, ax = plot.plot_map(belt, labels="both")
    texts = {t.get_text() for t in ax.texts}
    assert "Nanjing\n南京市" in texts
    fig.canvas.draw()  # filterwarnings=error: a missing glyph would fail here


def test_attribution_comes_from_the_dataset(belt: bg.Dataset, toy: bg.Dataset) -> None:
    _, ax = plot.plot_map(belt)
    assert any("OpenStreetMap" in t.get_text() for t in ax.texts)
    _, ax = plot.plot_map(toy)
    texts = [t.get_text() for t in ax.texts]
    assert "Data: toy dataset." in texts
    assert not any("OpenStreetMap" in t for t in texts)


@pytest.mark.parametrize(
    ("width_km", "expected"), [(300, 50.0), (4000, 500.0), (12, 2.0), (9, 1.0)]
)
def test_scale_bar_length(width_km: float, expected: float) -> None:
    assert plot.nice_length_km(width_km) == expected


def test_scale_bar_drawn(toy: bg.Dataset) -> None:
    _, ax = plot.plot_map(toy)
    assert [ln.get_gid() for ln in ax.lines].count("scalebar") == 1
    assert "10 km" in {t.get_text() for t in ax.texts}


def test_map_colour_by_metric(belt: bg.Dataset) -> None:
    c = bg.centrality(bg.rail_graph(belt))
    fig, _ = plot.plot_map(
        belt, color_by=c["accessibility_service"], color_label="accessibility (persons)"
    )
    assert any(a.get_ylabel() == "accessibility (persons)" for a in fig.axes)


def test_travel_time_map_positions(toy: bg.Dataset) -> None:
    dist, _ = bg.fastest_routes(bg.rail_graph(toy), "A")
    _, ax = plot.plot_travel_time_map(toy, pd.Series(dist), "A")
    # B is due east of A at 20 min: drawn at (20, 0)
    offsets = ax.collections[0].get_offsets()
    assert any(abs(x - 20) < 1e-9 and abs(y) < 1e-9 for x, y in offsets)


# ---- large networks ------------------------------------------------------------------------

NATIONAL = Path(__file__).resolve().parents[1] / "data" / "cn-rail-2020"


@pytest.fixture(scope="module")
def national() -> bg.Dataset:
    return bg.load_dataset(NATIONAL)


def test_large_map_thin_links_few_labels_and_says_what_is_missing(national: bg.Dataset) -> None:
    _fig, ax = plot.plot_map(national)
    segments = sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))
    assert segments == 1094 - 2  # every link but Hunchun's two (no coordinates)
    labels = [t for t in ax.texts if t.get_text() and "OpenStreetMap" not in t.get_text()]
    assert 5 <= len([t for t in labels if "km" not in t.get_text()]) <= plot.LARGE_LABELS
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "(1 node(s) without coordinates not drawn)" in legend
    assert "high-speed (597)" in legend and "conventional (495)" in legend


def test_large_reach_map_frames_the_reached_area(national: bg.Dataset) -> None:
    hq = bg.resolve_place(national.nodes, "上海虹桥")
    dist, parent = bg.fastest_routes(bg.rail_graph(national), hq)
    _fig, ax = plot.plot_reach(national, pd.Series(dist), hq, routes=parent, bands=(1.0, 2.0))
    reached = bg.reach(bg.rail_graph(national), hq, 2.0)
    lon = national.nodes.loc[reached.index, "lon"]
    x0, x1 = ax.get_xlim()
    assert x0 <= lon.min() and lon.max() <= x1 and x1 - x0 < 10  # not the whole country
    assert f"{len(reached):,} stations" in ax.get_title()


def test_timetable_figure_points_sit_on_or_above_the_diagonal(national: bg.Dataset) -> None:
    hq = bg.resolve_place(national.nodes, "上海虹桥")
    table = bg.timetable_vs_links(bg.connections(national), bg.rail_graph(national), hq, 3, 480)
    _fig, ax = plot.plot_timetable_vs_links(table)
    points = [p for c in ax.collections for p in c.get_offsets()]
    assert len(points) == len(table) - 1  # every station but the origin
    assert all(y >= x for x, y in points)


def test_large_matrix_has_no_cell_numbers(national: bg.Dataset) -> None:
    m = bg.travel_time_matrix(bg.rail_graph(national))
    _fig, ax = plot.plot_matrix(m)
    assert not ax.texts and not ax.get_xticks().size


def _label_boxes(ax):
    renderer = ax.figure.canvas.get_renderer()
    return {
        t.get_text(): t.get_window_extent(renderer)
        for t in ax.texts
        if t.get_text().endswith(" min") or t.get_text().endswith(" h")
    }


def test_large_reach_labels_sit_apart_and_inside(national: bg.Dataset) -> None:
    # from Beijing the four Tianjin stations lie within a few km: before labels could be
    # dropped, 'Tianjin North 90 min' covered 'Tianjin 82 min' and ran out of the axes
    bj = bg.resolve_place(national.nodes, "北京")
    dist, parent = bg.fastest_routes(bg.rail_graph(national), bj)
    fig, ax = plot.plot_reach(national, pd.Series(dist), bj, routes=parent)
    fig.canvas.draw()
    boxes = _label_boxes(ax)
    assert len(boxes) >= 5
    frame = ax.get_window_extent(fig.canvas.get_renderer())
    for name, box in boxes.items():
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, name
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, name
    for (a, x), (b, y) in itertools.combinations(boxes.items(), 2):
        assert not x.overlaps(y), (a, b)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    within = bg.reach(bg.rail_graph(national), bj, 2.0)
    counts = [int(x.split("(")[1].rstrip(")")) for x in legend if x.startswith("≤ ")]
    assert sum(counts) == len(within)  # the bands count every station reached, the origin too


def test_large_labels_are_the_stations_most_trains_call_at(national: bg.Dataset) -> None:
    calls = national.timetable["station"].value_counts()  # independent of hub_scores
    scores, what = bg.hub_scores(national)
    assert what == "trains calling" and scores == {str(k): int(v) for k, v in calls.items()}
    _fig, ax = plot.plot_map(national)
    texts = {t.get_text() for t in ax.texts}
    top = national.nodes.loc[calls.index[0], "name"]
    assert top == "Guangzhou South" and top in texts
    assert {"Shanghai Hongqiao", "Beijing South", "Zhengzhou East"} <= texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("with the most trains calling" in x for x in legend)


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
