"""belt_graph.plot.charts: the matrix heat map and the timetable-against-links figure."""

from __future__ import annotations

import belt_graph as bg
from belt_graph import plot


def test_matrix_heatmap_annotations(toy: bg.Dataset) -> None:
    m = bg.travel_time_matrix(bg.rail_graph(toy))
    _fig, ax = plot.plot_matrix(m)
    assert sorted(t.get_text() for t in ax.texts if t.get_text() != "0") == sorted(
        ["20", "25", "65", "20", "45", "85", "25", "45", "40", "65", "85", "40"]
    )


def test_timetable_figure_points_sit_on_or_above_the_diagonal(national: bg.Dataset) -> None:
    hq = bg.resolve_place(national.nodes, "上海虹桥")
    table = bg.timetable_vs_links(bg.connections(national), bg.rail_graph(national), hq, 3, 480)
    _fig, ax = plot.plot_timetable_vs_links(table)
    points = [p for c in ax.collections for p in c.get_offsets()]
    # every node but the origin; its own city is reached by its egress (door to door, issue 37)
    assert national.nodes.at["AOH", "place"] == "Shanghai"
    access = national.links[(national.links["source"] == "Shanghai")]
    egress = access.set_index("target")["minutes"]
    assert table.at["Shanghai", "minutes"] == egress["AOH"] > 0
    assert len(points) == len(table.drop(index=["AOH"]))
    assert all(y >= x for x, y in points)


def test_large_matrix_has_no_cell_numbers(national: bg.Dataset) -> None:
    m = bg.travel_time_matrix(bg.rail_graph(national))
    _fig, ax = plot.plot_matrix(m)
    assert not ax.texts and not ax.get_xticks().size


def test_a_bus_feeds_centrality_figure_counts_stops_on_the_route_network(
    cairns: bg.Dataset,
) -> None:
    """Issue 39: a bus feed's figure counts stops, not places, and names no track."""
    from belt_graph.report.figures import draw_kind

    fig = draw_kind(cairns, "centrality")
    title = fig._suptitle.get_text()  # type: ignore[attr-defined]
    assert title == f"Centrality of {len(cairns.nodes):,} stops"
    labels = " ".join(ax.get_xlabel() for ax in fig.axes)
    assert "betweenness (route network)" in labels and "track" not in labels


def test_scenario_bars_leave_out_the_places_that_do_not_change() -> None:
    """Issue 41, 3: only places whose mean moves are drawn, the largest change first."""
    import numpy as np
    import pandas as pd

    ids = ["a", "b", "c", "d"]
    base = pd.DataFrame(
        [[0, 10, 20, 30], [10, 0, 10, 20], [20, 10, 0, 10], [30, 20, 10, 0]],
        index=ids, columns=ids, dtype=float,
    )  # fmt: skip
    after = base.copy()
    after.loc["a", "d"] = after.loc["d", "a"] = 60.0  # a and d: +10 each on their mean
    after.loc["b", "c"] = after.loc["c", "b"] = 13.0  # b and c: +1
    after.loc["b", "d"] = after.loc["d", "b"] = 17.0  # b: -1 (mean back to 13.33); d: -1
    _fig, ax = plot.plot_scenario(base, after, names={"a": "Alpha"})
    shown = [t.get_text() for t in ax.get_yticklabels()]
    moved = (after.where(~np.eye(4, dtype=bool)).mean(axis=1)
             - base.where(~np.eye(4, dtype=bool)).mean(axis=1))  # fmt: skip
    want = moved[moved.abs() > 0.05].abs().sort_values(ascending=False, kind="stable")
    assert shown == [{"a": "Alpha"}.get(n, n) for n in want.index]
    notes = [t.get_text() for t in ax.texts]
    unchanged = [n for n in ids if abs(moved[n]) <= 0.05]
    assert unchanged and any(
        t.startswith("Not shown, unchanged") and all(n in t for n in unchanged) for t in notes
    )


def test_sector_figure_draws_only_the_pairs_that_complement() -> None:
    """Issue 41, 3: no panel of zeros; each drawn pair is one above 0, highest first."""
    ds = bg.load_dataset("belt")
    B = bg.sector_graph(ds)
    pairs = bg.sector_pairs(B)
    fig, _ax = plot.plot_sectors(bg.sector_matrix(B), bg.clusters(B), pairs)
    panel = fig.axes[1]
    drawn = [t.get_text() for t in panel.get_yticklabels()]
    above = pairs[pairs["complementarity"] > 0]
    assert drawn == [f"{r.origin} - {r.destination}" for r in above.itertuples()]
    zero = int((pairs["complementarity"] == 0).sum())
    assert f"the {zero} other pairs score 0" in panel.get_title()
