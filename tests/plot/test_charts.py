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
