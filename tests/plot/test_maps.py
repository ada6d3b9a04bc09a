"""belt_graph.plot.maps: the network map's content, labels, scale bar and attribution."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.collections import LineCollection

import belt_graph as bg
from belt_graph import plot
from belt_graph.plot._style import _LABEL_GID, LABEL_MARGIN_PT, _overlap, _padded


@pytest.mark.parametrize(
    ("width_km", "expected"), [(300, 50.0), (4000, 500.0), (12, 2.0), (9, 1.0)]
)
def test_scale_bar_length(width_km: float, expected: float) -> None:
    assert plot.nice_length_km(width_km) == expected


def test_map_content(belt: bg.Dataset) -> None:
    _fig, ax = plot.plot_map(belt)
    texts = {t.get_text() for a in (ax, *ax.child_axes) for t in a.texts}  # and the close-up
    assert {"Nanjing", "Putuo", "Taizhou", "Suzhou North", "Shanghai Hongqiao"} <= texts
    # a station's name never covers a place's (Putuo's sat on Shanghai West's): where there is
    # no room beside its square, the station's name is left out
    renderer = ax.figure.canvas.get_renderer()
    places = set(belt.nodes.loc[bg.place_ids(belt.nodes), "name"])
    stations = set(belt.nodes.loc[belt.nodes["kind"] == "station", "name"])
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
    for a, x in boxes:
        for b, y in boxes:
            if a in places and b in stations:
                assert not x.overlaps(y), (a, b)
    links = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("link:")]
    # the track, sections (passed, not stopped at) included; services are not drawn
    track = belt.links[belt.links["kind"].isin(["track", "section"])]
    assert len(links) == len(track) == 75
    dashed = [ln for ln in links if ln.get_linestyle() == "--"]
    assert len(dashed) == 5  # the five planned North-Yangtze links
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Beijing-Shanghai HSR" in legend and "planned" in legend
    assert "change of station (estimated)" in legend
    services = int((belt.links["kind"] == "service").sum())
    assert any(x.startswith(f"({services} train rides past a stop not drawn") for x in legend)
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


def test_no_label_of_the_map_covers_another(belt: bg.Dataset) -> None:
    """Issue 41, 3: with minutes, place and station names, no two texts overlap; the crowded
    part of Shanghai is drawn close up, where its stations are named."""
    fig, ax = plot.plot_map(belt)
    renderer = fig.canvas.get_renderer()
    for axes in [ax, *ax.child_axes]:  # the map and each close-up
        frame = axes.get_window_extent(renderer)
        boxes = [
            (t.get_text(), t.get_window_extent(renderer))
            for t in axes.texts
            if t.get_visible() and t.get_text().strip()
        ]
        boxes = [(n, e) for n, e in boxes if e.overlaps(frame)]  # drawn inside this axes
        assert len(boxes) > 3
        for (a, x), (b, y) in itertools.combinations(boxes, 2):
            assert not x.overlaps(y), (a, b)
        # two names keep a gap: "Nanjing" sat edge to edge with "Xianlin"
        gap = 0.99 * LABEL_MARGIN_PT * fig.dpi / 72 / 2  # each grown by half the margin
        names = [
            (t.get_text(), _padded(t.get_window_extent(renderer), gap))
            for t in axes.texts
            if t.get_gid() == _LABEL_GID and t.get_text().strip()
        ]
        assert len(names) > 3
        for (a, x), (b, y) in itertools.combinations(names, 2):
            assert not (x.overlaps(y) and _overlap(x, y) > 0), (a, b)
    insets = [a for a in ax.child_axes if a.get_title().startswith("close-up")]
    assert [a.get_title() for a in insets] == ["close-up: Putuo"]
    named = {t.get_text() for t in insets[0].texts}
    assert {"Shanghai West", "Shanghai Station", "Shanghai Hongqiao"} <= named
    assert not {"Shanghai West", "Shanghai Station"} & {t.get_text() for t in ax.texts}


def test_attribution_comes_from_the_dataset(belt: bg.Dataset, toy: bg.Dataset) -> None:
    _, ax = plot.plot_map(belt)
    assert any("OpenStreetMap" in t.get_text() for t in ax.texts)
    _, ax = plot.plot_map(toy)
    texts = [t.get_text() for t in ax.texts]
    assert "Data: toy dataset." in texts
    assert not any("OpenStreetMap" in t for t in texts)


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


def test_large_map_thin_links_few_labels_and_says_what_is_missing(national: bg.Dataset) -> None:
    _fig, ax = plot.plot_map(national)
    segments = sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))
    # every link but Hunchun's two and 华山's six (no coordinates; 华山's listed one rejected)
    assert segments == 1094 - 2 - 6
    labels = [t for t in ax.texts if t.get_text() and "OpenStreetMap" not in t.get_text()]
    assert 5 <= len([t for t in labels if "km" not in t.get_text()]) <= plot.LARGE_LABELS
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "(2 node(s) without coordinates not drawn)" in legend
    assert "high-speed (597)" in legend and "conventional (489)" in legend  # track only


def test_large_labels_are_the_cities_with_the_most_people(national: bg.Dataset) -> None:
    calls = national.timetable["station"].value_counts()  # independent of hub_scores
    scores, what = bg.hub_scores(national)
    stations = {k: v for k, v in scores.items() if national.nodes.at[k, "kind"] == "station"}
    assert what == "trains calling" and stations == {str(k): int(v) for k, v in calls.items()}
    # a city scores the trains calling at all its stations (issue 22)
    assert scores["Guangzhou"] == sum(
        int(calls.get(s, 0)) for s in national.nodes.index[national.nodes["place"] == "Guangzhou"]
    )
    _fig, ax = plot.plot_map(national)
    texts = {t.get_text() for t in ax.texts}
    # the labels are cities (issue 22) with the most people (issue 27: Wuhan was left out
    # while small junctions were labelled), spread out
    cities = national.nodes[national.nodes["kind"] == "city"]
    top = cities.sort_values("population", ascending=False)["name"].head(3).tolist()
    assert set(top) <= texts, (top, texts)
    assert {"Shanghai", "Beijing", "Wuhan", "Guangzhou"} <= texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("with the most people" in x for x in legend)
