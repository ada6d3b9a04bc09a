"""Maps: the network, reach from an origin, and travel-time space.

Each function draws what it is given (a dataset's tables, minutes computed by the analyses) and
returns ``(fig, ax)``; none runs an analysis itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import schema as S
from ..dataset import Dataset, has_stations_under_places, hub_scores, place_ids
from ..errors import BeltGraphError
from ._geo import (
    draw_attribution,
    draw_context,
    frame,
    legend_right,
    link_segments,
    located,
    not_drawn_note,
    positions,
)
from ._style import (
    BAND_COLOURS,
    LINE_COLOURS,
    Label,
    label,
    minutes_text,
    new_axes,
    place_labels,
    plt,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "LARGE_LABELS",
    "LARGE_NETWORK",
    "is_large",
    "plot_map",
    "plot_reach",
    "plot_travel_time_map",
]

#: Above this many places, maps switch to their large-network form: thin links, small
#: markers, labels only for the busiest places (:func:`~belt_graph.hub_scores`), no numbers
#: on links.
LARGE_NETWORK = 40
#: How many places a large-network map labels.
LARGE_LABELS = 16
#: Above this many stations, a map of stations under places draws them small and unlabelled.
BUSY_STATIONS = 60


def is_large(ds: Dataset) -> bool:
    """Whether ``ds`` has more than :data:`LARGE_NETWORK` places."""
    return len(place_ids(ds.nodes)) > LARGE_NETWORK


def _two_level(ds: Dataset) -> bool:
    return has_stations_under_places(ds.nodes)


def _kinds(links: pd.DataFrame) -> pd.Series:
    return links["kind"] if "kind" in links else pd.Series("", index=links.index)


def _mass_label(size_by: str, value: float) -> str:
    if size_by == "population":
        return f"{value / 1e6:g} million people" if value >= 1e6 else f"{value:,.0f} people"
    if size_by == "gdp_cny_bn":
        return f"GDP {value:,.0f} bn CNY"
    return f"{size_by} {value:,.6g}"


def _nice_levels(values: pd.Series) -> list[float]:
    """Two or three round values spanning ``values`` for a size legend."""
    if values.empty or float(values.max()) <= 0:
        return []
    top = float(values.max())
    mag = 10 ** math.floor(math.log10(top))
    levels = sorted({mag * k for k in (0.1, 0.2, 0.5, 1, 2, 5) if mag * k <= top})
    return levels[-3:]


def _sizes(mass: pd.Series) -> tuple[pd.Series, float]:
    known = mass.dropna()
    top = float(known.max()) if len(known) else 0.0
    scale = 700 / top if top > 0 else 1.0
    return (mass.fillna(0) * scale).clip(lower=40), scale


def _title(ds: Dataset) -> str:
    return ds.title


def _network_word(ds: Dataset) -> str:
    """``rail network``, or the links' main mode (``bus network`` for a bus feed)."""
    modes = ds.links["mode"].replace({"access": "", "walk": "", "metro": "rail"})
    modes = modes[modes != ""]
    top = str(modes.value_counts().index[0]) if len(modes) else "rail"
    return f"{top} network"


def plot_map(
    ds: Dataset,
    *,
    ax: Axes | None = None,
    size_by: str = "population",
    color_by: pd.Series | None = None,
    color_label: str = "",
    include_planned: bool = True,
    show_minutes: bool = True,
    labels: str = "en",
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Draw the network on a lon/lat frame with rivers, lakes and coast for context.

    A network of stations under places shows places (circles sized by ``size_by``:
    ``population`` or ``gdp_cny_bn``, coloured by ``color_by`` if given, a Series indexed by
    place) at their reference points, their stations, the track coloured by line with its
    minutes (planned lines dashed), the changes of station (dotted, estimated minutes) and the
    access links (thin grey); services (expresses) are not drawn. A network of places draws its
    links by line; one of more than :data:`LARGE_NETWORK` places thin links and a few labels.
    """
    if is_large(ds):
        return _map_large(ds, ax=ax, include_planned=include_planned, labels=labels, title=title)
    if _two_level(ds):
        return _map_two_level(
            ds,
            ax=ax,
            size_by=size_by,
            color_by=color_by,
            color_label=color_label,
            include_planned=include_planned,
            show_minutes=show_minutes,
            labels=labels,
            title=title,
        )
    return _map_places(
        ds,
        ax=ax,
        size_by=size_by,
        color_by=color_by,
        color_label=color_label,
        include_planned=include_planned,
        show_minutes=show_minutes,
        labels=labels,
        title=title,
    )


def _draw_places(
    ax: Axes,
    fig: Figure,
    places: pd.DataFrame,
    pos: Mapping[str, tuple[float, float]],
    *,
    size_by: str,
    color_by: pd.Series | None,
    color_label: str,
) -> tuple[list[Any], float]:
    """Circles sized by mass; unknown mass hatched. Returns legend handles and the scale."""
    from matplotlib.lines import Line2D

    places = places[[str(n) in pos for n in places.index]]
    xs = [pos[str(n)][0] for n in places.index]
    ys = [pos[str(n)][1] for n in places.index]
    mass = places[size_by].astype(float) if size_by in places else pd.Series(np.nan, places.index)
    sizes, scale = _sizes(mass)
    if color_by is not None:
        values = color_by.reindex(places.index).astype(float)
        sc = ax.scatter(
            xs, ys, s=sizes, c=values, cmap="viridis", edgecolors="black", linewidths=0.8, zorder=4
        )
        fig.colorbar(sc, ax=ax, shrink=0.6, label=color_label)
    else:
        ax.scatter(
            xs,
            ys,
            s=sizes,
            c="#3182bd",
            alpha=0.55,
            edgecolors="#08306b",
            linewidths=0.9,
            zorder=4,
        )
    handles = []
    for value in _nice_levels(mass.dropna()):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                color="#3182bd",
                mec="black",
                markersize=math.sqrt(value * scale),
                label=_mass_label(size_by, value),
            )
        )
    unknown = places.index[mass.isna()]
    if len(unknown):
        ax.scatter(
            [pos[str(n)][0] for n in unknown],
            [pos[str(n)][1] for n in unknown],
            s=60,
            facecolors="white",
            edgecolors="black",
            linewidths=1.0,
            hatch="///",
            zorder=6,
        )
        handles.append(
            Line2D([], [], marker="o", ls="", mfc="white", mec="black", label=f"{size_by} unknown")
        )
    return handles, scale


def _map_two_level(
    ds: Dataset,
    *,
    ax: Axes | None,
    size_by: str,
    color_by: pd.Series | None,
    color_label: str,
    include_planned: bool,
    show_minutes: bool,
    labels: str,
    title: str | None,
) -> tuple[Figure, Axes]:
    from matplotlib.lines import Line2D

    fig, ax = new_axes(ax, (12.5, 8.5))
    nodes = ds.nodes
    pos, stand_in = positions(nodes)
    draw_context(ax, ds)
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = ds.links[ds.links["status"].isin(allowed)]
    kind = _kinds(links)
    track = links[kind == "track"]
    # many stations (a bus network's stops): thin lines, no minutes, no station labels
    busy = int((nodes["kind"] == "station").sum()) > BUSY_STATIONS
    show_minutes = show_minutes and not busy
    lines = sorted(track["line"].unique())
    colours = {line: LINE_COLOURS[i % len(LINE_COLOURS)] for i, line in enumerate(lines)}
    label_pts: list[tuple[float, float, float]] = []
    for rec in track.to_dict("records"):
        a, b = pos.get(str(rec["source"])), pos.get(str(rec["target"]))
        if a is None or b is None:
            continue
        planned = rec["status"] == "planned"
        ax.plot(
            [a[0], b[0]],
            [a[1], b[1]],
            color=colours[rec["line"]],
            lw=(1.2 if busy else 2.4) if not planned else 1.8,
            ls="--" if planned else "-",
            alpha=0.95,
            zorder=3,
            solid_capstyle="round",
            gid=f"link:{rec['source']}-{rec['target']}",
        )
        if show_minutes:
            x, y = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
            ax.text(
                x,
                y,
                f"{rec['minutes']:g}",
                fontsize=6.5,
                ha="center",
                va="center",
                color="#333333",
                zorder=4,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
            )
            label_pts.append((x, y, 5.0))
    for rec in links[kind == "transfer"].to_dict("records"):
        a, b = pos.get(str(rec["source"])), pos.get(str(rec["target"]))
        if a is None or b is None:
            continue
        ax.plot(
            [a[0], b[0]], [a[1], b[1]], color="#4d4d4d", lw=0.8 if busy else 1.3, ls=":", zorder=3
        )
        if show_minutes:
            x, y = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
            ax.text(
                x,
                y,
                f"{rec['minutes']:g}",
                fontsize=6,
                style="italic",
                ha="center",
                va="center",
                color="#4d4d4d",
                zorder=4,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
            )
    for rec in links[kind == "access"].to_dict("records"):
        a, b = pos.get(str(rec["source"])), pos.get(str(rec["target"]))
        if a is None or b is None or a == b:
            continue
        ax.plot([a[0], b[0]], [a[1], b[1]], color="#969696", lw=0.7, zorder=2)
        if show_minutes and float(rec["minutes"]) > 0:
            ax.text(
                (a[0] + b[0]) / 2,
                (a[1] + b[1]) / 2,
                f"+{rec['minutes']:g}",
                fontsize=5.5,
                color="#737373",
                ha="center",
                va="center",
                zorder=4,
            )
    stations = nodes[nodes["kind"] == "station"]
    real = [str(n) for n in stations.index if str(n) in pos and str(n) not in stand_in]
    ax.scatter(
        [pos[n][0] for n in real],
        [pos[n][1] for n in real],
        s=5 if busy else 18,
        marker="s",
        facecolors="white",
        edgecolors="#252525",
        linewidths=0.5 if busy else 0.9,
        zorder=5,
    )
    ghosts = [n for n in stand_in if n in stations.index]
    if ghosts:
        ax.scatter(
            [pos[n][0] for n in ghosts],
            [pos[n][1] for n in ghosts],
            s=40,
            marker="D",
            facecolors="none",
            edgecolors="#737373",
            linewidths=0.9,
            zorder=5,
        )
    places = nodes.loc[place_ids(nodes)]
    size_handles, _ = _draw_places(
        ax, fig, places, pos, size_by=size_by, color_by=color_by, color_label=color_label
    )
    frame(ax, ds, np.array([p[0] for p in pos.values()]), np.array([p[1] for p in pos.values()]))
    items = [
        Label(
            *pos[str(n)],
            label(r.to_dict(), labels),
            priority=10,
            radius_pt=9,
            bold=True,
            fontsize=9,
        )
        for n, r in places.iterrows()
        if str(n) in pos
    ]
    items += [
        Label(
            *pos[n],
            label(stations.loc[n].to_dict(), labels),
            priority=1,
            radius_pt=3,
            fontsize=6.5,
            colour="#404040",
        )
        for n in ([] if busy else real)
    ]
    place_labels(ax, items, labels_language=labels, points=label_pts)
    handles: list[Any] = [Line2D([], [], color=colours[x], lw=2.4, label=x) for x in lines]
    if (track["status"] == "planned").any():
        handles.append(Line2D([], [], color="grey", lw=1.8, ls="--", label="planned"))
    handles += [
        Line2D([], [], color="#4d4d4d", lw=1.3, ls=":", label="change of station (estimated)"),
        Line2D([], [], color="#969696", lw=0.7, label="access: place to its station (+min)"),
        Line2D([], [], marker="s", ls="", mfc="white", mec="#252525", label="station"),
    ]
    if ghosts:
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                ls="",
                mfc="none",
                mec="#737373",
                label="planned station (location unknown: at its city)",
            )
        )
    handles += size_handles
    services = int((kind == "service").sum())
    if services:
        handles.append(
            Line2D(
                [],
                [],
                color="none",
                label=f"({services} services not drawn: expresses, used for travel times)",
            )
        )
    if busy:
        handles.append(
            Line2D([], [], color="none", label=f"({len(real):,} stations, not labelled)")
        )
    legend_right(
        ax,
        handles,
        "track by line" + (" (labels: minutes)" if show_minutes else ""),
        labelspacing=0.6 if busy else 1.1,
    )
    ax.set_title(title or f"{_title(ds)}: stations under places and the rail between them")
    draw_attribution(ax, ds)
    return fig, ax


def _bypass_links(links: pd.DataFrame) -> set[Any]:
    """Index labels of express links: the same line also joins their ends via other stops."""
    import networkx as nx

    out = set()
    for _, group in links.groupby("line"):
        recs = list(zip(group.index, group.to_dict("records"), strict=True))
        for idx, rec in recs:
            u, v, m = rec["source"], rec["target"], float(rec[S.MINUTES])
            shorter = nx.Graph()
            shorter.add_edges_from(
                (r["source"], r["target"]) for j, r in recs if j != idx and float(r[S.MINUTES]) < m
            )
            if u in shorter and v in shorter and nx.has_path(shorter, u, v):
                out.add(idx)
    return out


def _map_places(
    ds: Dataset,
    *,
    ax: Axes | None,
    size_by: str,
    color_by: pd.Series | None,
    color_label: str,
    include_planned: bool,
    show_minutes: bool,
    labels: str,
    title: str | None,
) -> tuple[Figure, Axes]:
    from matplotlib.lines import Line2D

    fig, ax = new_axes(ax, (11.5, 7.5))
    nodes = ds.nodes
    pos, _ = positions(nodes)
    draw_context(ax, ds)
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = ds.links[ds.links["status"].isin(allowed)].sort_values(S.MINUTES)
    links = links[links["source"].isin(pos) & links["target"].isin(pos)]
    lines = sorted(links["line"].unique())
    colours = {line: LINE_COLOURS[i % len(LINE_COLOURS)] for i, line in enumerate(lines)}
    seen: set[tuple[str, str]] = set()
    offsets: dict[tuple[str, str], int] = {}
    bypass = _bypass_links(links)
    label_pts: list[tuple[float, float, float]] = []
    for i, rec in enumerate(links.to_dict("records")):
        u, v = str(rec["source"]), str(rec["target"])
        if links.index[i] in bypass:
            continue
        key = (min(u, v), max(u, v))
        k = offsets.get(key, 0)
        offsets[key] = k + 1
        x = np.array([pos[u][0], pos[v][0]])
        y = np.array([pos[u][1], pos[v][1]])
        # offset parallel links sideways so both stay visible
        nx_, ny_ = -(y[1] - y[0]), x[1] - x[0]
        norm = math.hypot(nx_, ny_) or 1.0
        shift = 0.012 * k
        x, y = x + shift * nx_ / norm, y + shift * ny_ / norm
        ax.plot(
            x,
            y,
            color=colours[rec["line"]],
            lw=2.2 if rec["status"] == "open" else 1.8,
            ls="-" if rec["status"] == "open" else "--",
            alpha=0.9,
            zorder=3,
            gid=f"link:{u}-{v}",
        )
        if show_minutes and key not in seen and rec["mode"] == "rail":
            ax.text(
                x.mean(),
                y.mean(),
                f"{rec['minutes']:g}",
                fontsize=7,
                ha="center",
                va="center",
                color="#333333",
                zorder=4,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )
            label_pts.append((float(x.mean()), float(y.mean()), 5.0))
        seen.add(key)
    places = nodes.loc[place_ids(nodes)]
    hubs = nodes[nodes["kind"] == "hub"]
    size_handles, _ = _draw_places(
        ax, fig, places, pos, size_by=size_by, color_by=color_by, color_label=color_label
    )
    hub_ids = [str(n) for n in hubs.index if str(n) in pos]
    ax.scatter(
        [pos[n][0] for n in hub_ids],
        [pos[n][1] for n in hub_ids],
        s=28,
        marker="s",
        c="#636363",
        zorder=5,
    )
    frame(ax, ds, np.array([p[0] for p in pos.values()]), np.array([p[1] for p in pos.values()]))
    items = [
        Label(
            *pos[str(n)],
            label(r.to_dict(), labels),
            priority=10,
            radius_pt=8,
            bold=True,
            fontsize=9,
        )
        for n, r in places.iterrows()
        if str(n) in pos
    ]
    items += [
        Label(*pos[n], label(hubs.loc[n].to_dict(), labels), priority=1, radius_pt=3, fontsize=7.5)
        for n in hub_ids
    ]
    place_labels(ax, items, labels_language=labels, points=label_pts)
    handles: list[Any] = [Line2D([], [], color=colours[x], lw=2.2, label=x) for x in lines]
    if (links["status"] == "planned").any():
        handles.append(Line2D([], [], color="grey", lw=1.8, ls="--", label="planned"))
    if hub_ids:
        handles.append(Line2D([], [], marker="s", color="#636363", ls="", label="hub / station"))
    handles += size_handles
    if bypass:
        handles.append(
            Line2D([], [], color="none", label=f"({len(bypass)} express links not drawn)")
        )
    if note := not_drawn_note(ds, pos):
        handles.append(Line2D([], [], color="none", label=f"({note})"))
    legend_right(ax, handles, "lines (link labels: minutes)", labelspacing=1.2, borderpad=0.8)
    ax.set_title(title or f"{_title(ds)}: {_network_word(ds)} (fastest scheduled minutes per link)")
    draw_attribution(ax, ds)
    return fig, ax


def _best_connected(scores: Mapping[str, int], candidates: list[str], k: int) -> list[str]:
    """The ``k`` candidates with the highest ``scores`` (:func:`~belt_graph.hub_scores`; ties:
    by id)."""
    return sorted(candidates, key=lambda n: (-scores.get(n, 0), str(n)))[:k]


def _spread(
    ranked: list[str], pos: Mapping[str, tuple[float, float]], min_gap: float, k: int
) -> list[str]:
    """Up to ``k`` of ``ranked`` (best first), skipping any closer than ``min_gap`` to one kept."""
    kept: list[str] = []
    for n in ranked:
        x, y = pos[n]
        if all(math.hypot(x - pos[m][0], y - pos[m][1]) >= min_gap for m in kept):
            kept.append(n)
            if len(kept) == k:
                break
    return kept


def _degree(ds: Dataset, include_planned: bool) -> dict[str, int]:
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = ds.links[ds.links["status"].isin(allowed)]
    ends = pd.concat([links["source"], links["target"]]).astype(str)
    return {str(k): int(v) for k, v in ends.value_counts().items()}


def _map_large(
    ds: Dataset,
    *,
    ax: Axes | None,
    include_planned: bool,
    labels: str,
    title: str | None,
) -> tuple[Figure, Axes]:
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    fig, ax = new_axes(ax, (11.5, 8.5))
    draw_context(ax, ds)
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = ds.links[ds.links["status"].isin(allowed)]
    pos, _ = positions(ds.nodes)
    segments = link_segments(pos, links)
    colours = {line: LINE_COLOURS[i % len(LINE_COLOURS)] for i, line in enumerate(sorted(segments))}
    handles = []
    for line, segs in sorted(segments.items()):
        ax.add_collection(
            LineCollection(
                segs, colors=colours[line], linewidths=0.7, alpha=0.8, zorder=3, rasterized=True
            )
        )
        handles.append(Line2D([], [], color=colours[line], lw=1.5, label=f"{line} ({len(segs):,})"))
    places = located(ds.nodes.loc[place_ids(ds.nodes)])
    degree = _degree(ds, include_planned)
    deg = np.array([degree.get(str(n), 0) for n in places.index], dtype=float)
    ax.scatter(
        places["lon"],
        places["lat"],
        s=(2 + 1.5 * deg) * min(1.0, math.sqrt(400 / max(len(places), 1))),
        c="#252525",
        linewidths=0,
        zorder=4,
    )
    all_pos = {str(n): (float(r["lon"]), float(r["lat"])) for n, r in places.iterrows()}
    span = max(float(np.ptp(places["lon"])), float(np.ptp(places["lat"])), 1e-6)
    scores, measure = hub_scores(ds)
    ranked = _best_connected(scores, list(all_pos), len(all_pos))
    top = _spread(ranked, all_pos, 0.06 * span, LARGE_LABELS)
    frame(ax, ds, places["lon"].to_numpy(float), places["lat"].to_numpy(float))
    drawn = place_labels(
        ax,
        [
            Label(
                *all_pos[n],
                label(places.loc[n].to_dict(), labels),
                priority=scores.get(n, 0),
                radius_pt=4,
                fontsize=7,
            )
            for n in top
        ],
        labels_language=labels,
        drop_colliding=True,
    )
    ax.scatter(  # ring the labelled stations (a label that had no room is not drawn)
        [t.xy[0] for t in drawn],
        [t.xy[1] for t in drawn],
        s=30,
        facecolors="none",
        edgecolors="#d62728",
        linewidths=1.0,
        zorder=5,
    )
    handles.append(
        Line2D(
            [], [], marker="o", ls="", color="#252525", markersize=4, label="station (size: links)"
        )
    )
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            mfc="none",
            mec="#d62728",
            label=f"labelled: {len(drawn)} with the most {measure} (spread out)",
        )
    )
    if note := not_drawn_note(ds, pos):
        handles.append(Line2D([], [], color="none", label=f"({note})"))
    legend_right(ax, handles, "links by line (count)")
    ax.set_title(
        title
        or f"{_title(ds)}: {_network_word(ds)}, {len(places):,} stations, {len(links):,} links"
    )
    draw_attribution(ax, ds)
    return fig, ax


def _bands(minutes: pd.Series, bands: list[float]) -> pd.Series:
    edges = [b * 60 for b in sorted(bands)]

    def which(m: float) -> int:
        for i, e in enumerate(edges):
            if m <= e + 1e-6:
                return i
        return len(edges)

    return minutes.map(which)


def _route_edges(routes: Mapping[Any, Any], targets: list[str]) -> set[tuple[Any, Any]]:
    """The links of the fastest routes to ``targets`` (following each predecessor back)."""
    edges: set[tuple[Any, Any]] = set()
    for t in targets:
        v, steps = t, 0
        while routes.get(v) is not None and steps <= len(routes):
            u = routes[v]
            edges.add((u, v))
            v, steps = u, steps + 1
    return edges


def plot_reach(
    ds: Dataset,
    minutes: pd.Series,
    origin: str,
    *,
    routes: Mapping[Any, Any] | None = None,
    bands: tuple[float, ...] = (0.5, 1.0, 2.0),
    ax: Axes | None = None,
    labels: str = "en",
    title: str | None = None,
    what: str = "travel time from the origin",
) -> tuple[Figure, Axes]:
    """Map places coloured by travel-time band from ``origin``; the routes used drawn dark.

    Parameters
    ----------
    minutes : Series
        Fastest minutes from ``origin`` to each node (absent or NaN: not reached), e.g. the
        first result of :func:`~belt_graph.reach.fastest_routes`.
    routes : mapping, optional
        Node -> the node before it on its fastest route (the second result of
        :func:`~belt_graph.reach.fastest_routes`): those links are drawn dark.

    On a large network (more than :data:`LARGE_NETWORK` places) stations are small dots in the
    band colours, and only the busiest reached ones (:func:`~belt_graph.hub_scores`, spread
    out) are labelled, none over another.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    if is_large(ds):
        fig, ax = _reach_large(
            ds, minutes, origin, routes=routes, bands=bands, ax=ax, labels=labels, what=what
        )
        if title:
            ax.set_title(title)
        return fig, ax
    fig, ax = new_axes(ax, (11.5, 7.5))
    nodes = ds.nodes
    pos, _ = positions(nodes)
    draw_context(ax, ds)
    links = ds.links[ds.links["status"] == "open"]
    kind = _kinds(links)
    base = links[kind.isin(["track", "transfer", ""])] if (kind != "").any() else links
    segs = [s for group in link_segments(pos, base).values() for s in group]
    ax.add_collection(LineCollection(segs, colors="#bdbdbd", linewidths=1.0, zorder=2))
    places = nodes.loc[place_ids(nodes)]
    tree = [
        [pos[str(u)], pos[str(v)]]
        for u, v in _route_edges(routes or {}, [str(n) for n in places.index])
        if str(u) in pos and str(v) in pos and pos[str(u)] != pos[str(v)]
    ]
    ax.add_collection(LineCollection(tree, colors="#252525", linewidths=2.2, zorder=3))
    m = pd.Series({str(n): float(minutes.get(n, math.inf)) for n in nodes.index}).fillna(math.inf)
    band = _bands(m, list(bands))
    places = places[[str(n) in pos for n in places.index]]
    for i in range(len(bands) + 1):
        sel = [str(n) for n in places.index if band[str(n)] == i]
        text = f"≤ {bands[i]:g} h" if i < len(bands) else f"> {bands[-1]:g} h or not reached"
        ax.scatter(
            [pos[n][0] for n in sel],
            [pos[n][1] for n in sel],
            s=220,
            c=BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)],
            edgecolors="black",
            zorder=5,
            label=text,
        )
    if origin in pos:
        ax.scatter(*pos[origin], marker="*", s=500, c="black", zorder=6, label="origin")
    small = nodes[nodes["kind"].isin(["station", "hub"]) & ~nodes.index.isin(places.index)]
    small_ids = [str(n) for n in small.index if str(n) in pos]
    ax.scatter(
        [pos[n][0] for n in small_ids],
        [pos[n][1] for n in small_ids],
        s=14,
        marker="s",
        facecolors="white",
        edgecolors="#636363",
        zorder=4,
    )
    # a network of places over many stations (a national one): frame the places and theirs
    focus = (
        [
            str(n)
            for n in nodes.index
            if str(n) in pos
            and (str(n) in set(map(str, places.index)) or str(nodes.at[n, S.PLACE] or "") != "")
        ]
        if _two_level(ds)
        else list(pos)
    )
    focus = [*focus, origin] if origin in pos else focus
    frame(ax, ds, np.array([pos[n][0] for n in focus]), np.array([pos[n][1] for n in focus]))
    items = []
    for n, r in places.iterrows():
        t = m[str(n)]
        text = label(r.to_dict(), labels)
        if str(n) == origin:
            text += " (origin)"
        elif math.isfinite(t):
            text += f"\n{minutes_text(t)}"
        items.append(Label(*pos[str(n)], text, priority=10, radius_pt=8, fontsize=8.5))
    place_labels(ax, items, labels_language=labels)
    handles, _ = ax.get_legend_handles_labels()
    if tree:
        handles.append(Line2D([], [], color="#252525", lw=2.2, label="fastest routes"))
    handles.append(
        Line2D([], [], color="#bdbdbd", lw=1.0, label="track" if not tree else "other track")
    )
    if small_ids:
        handles.append(
            Line2D([], [], marker="s", ls="", mfc="white", mec="#636363", label="station")
        )
    legend_right(ax, handles, what, labelspacing=1.2)
    ax.set_title(
        title or f"Reach from {nodes.loc[origin, 'name']} by rail (fastest scheduled minutes)"
    )
    draw_attribution(ax, ds)
    return fig, ax


def _at_least_4_by_3(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points, with two more that widen (or heighten) their box to at least 4:3 on the
    ground: a reach from a coastal hub is a thin strip that would leave no room for labels."""
    if not len(lon):
        return lon, lat
    coslat = math.cos(math.radians(float(np.mean(lat))))
    w, h = float(np.ptp(lon)) * coslat, float(np.ptp(lat))
    cx, cy = (float(lon.min()) + float(lon.max())) / 2, (float(lat.min()) + float(lat.max())) / 2
    if w < h * 4 / 3:
        half = h * 4 / 3 / 2 / coslat
        lon, lat = np.append(lon, [cx - half, cx + half]), np.append(lat, [cy, cy])
    elif h < w * 3 / 4:
        half = w * 3 / 4 / 2
        lon, lat = np.append(lon, [cx, cx]), np.append(lat, [cy - half, cy + half])
    return lon, lat


def _reach_large(
    ds: Dataset,
    minutes: pd.Series,
    origin: str,
    *,
    routes: Mapping[Any, Any] | None,
    bands: tuple[float, ...],
    ax: Axes | None,
    labels: str,
    what: str = "fastest time from the origin",
) -> tuple[Figure, Axes]:
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    fig, ax = new_axes(ax, (11.5, 8.5))
    draw_context(ax, ds)
    nodes = ds.nodes
    pos, _ = positions(nodes)
    horizon = max(bands) * 60
    links = ds.links[ds.links["status"] == "open"]
    segs = [s for group in link_segments(pos, links).values() for s in group]
    ax.add_collection(
        LineCollection(segs, colors="#cccccc", linewidths=0.5, zorder=2, rasterized=True)
    )
    reached = [str(n) for n in place_ids(nodes) if float(minutes.get(n, math.inf)) <= horizon]
    tree = [
        [pos[str(u)], pos[str(v)]]
        for u, v in _route_edges(routes or {}, reached)
        if str(u) in pos and str(v) in pos
    ]
    ax.add_collection(LineCollection(tree, colors="#252525", linewidths=1.4, zorder=3))
    places = located(nodes.loc[place_ids(nodes)])
    m = {str(n): float(minutes.get(n, math.inf)) for n in places.index}
    far = [n for n in map(str, places.index) if not m[n] <= horizon]
    near = [n for n in map(str, places.index) if m[n] <= horizon]
    ax.scatter(
        [pos[n][0] for n in far],
        [pos[n][1] for n in far],
        s=5,
        c="#d9d9d9",
        zorder=4,
        linewidths=0,
    )
    # one colour per band, as on the belt's reach map, and the bands in the legend
    band_handles = []
    lower = -math.inf
    for i, b in enumerate(sorted(bands)):
        sel = [n for n in near if lower < m[n] <= b * 60]
        lower = b * 60
        colour = BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)]
        ax.scatter(
            [pos[n][0] for n in sel],
            [pos[n][1] for n in sel],
            c=colour,
            s=28,
            edgecolors="black",
            linewidths=0.4,
            zorder=5,
        )
        band_handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc=colour,
                mec="black",
                mew=0.4,
                label=f"≤ {b:g} h ({len(sel):,})",
            )
        )
    if origin in pos:
        ax.scatter(*pos[origin], marker="*", s=400, c="black", zorder=6)
    scores, measure = hub_scores(ds)
    if len(near) <= LARGE_NETWORK:
        top = list(near)
    else:
        frame_span = max(
            float(np.ptp([pos[n][0] for n in near])),
            float(np.ptp([pos[n][1] for n in near])),
            1e-6,
        )
        ranked = [origin] + [n for n in _best_connected(scores, near, len(near)) if n != origin]
        top = _spread([n for n in ranked if n in near], pos, 0.06 * frame_span, LARGE_LABELS)
    reached = near if len(near) > 1 else list(map(str, places.index))
    lon, lat = _at_least_4_by_3(
        np.array([pos[n][0] for n in reached]), np.array([pos[n][1] for n in reached])
    )
    frame(ax, ds, lon, lat)
    drawn = place_labels(
        ax,
        [
            Label(
                *pos[n],
                label(places.loc[n].to_dict(), labels)
                + ("" if n == origin else f" {minutes_text(m[n])}"),
                priority=(1e12 if n == origin else scores.get(n, 0)),
                radius_pt=4,
                fontsize=7,
            )
            for n in top
        ],
        labels_language=labels,
        drop_colliding=True,
    )
    handles = [
        *band_handles,
        Line2D([], [], marker="*", ls="", color="black", markersize=12, label="origin"),
        *([Line2D([], [], color="#252525", lw=1.4, label="fastest routes")] if routes else []),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color="#d9d9d9",
            label=f"beyond {max(bands):g} h ({len(far):,})",
        ),
    ]
    if note := not_drawn_note(ds, pos):
        handles.append(Line2D([], [], color="none", label=f"({note})"))
    shown = len(drawn) - (origin in top)
    others = len(near) - (origin in near)
    which = (
        "every station reached"
        if shown >= others
        else f"{shown} of the {others:,} reached,\nthose with the most {measure}, spread out"
    )
    legend_right(ax, handles, f"{what}\nlabels: {which}")
    ax.set_title(
        f"Reach from {nodes.loc[origin, 'name']} by rail within {max(bands):g} h "
        f"(fastest minutes): {len(near):,} stations"
    )
    draw_attribution(ax, ds)
    return fig, ax


def plot_travel_time_map(
    ds: Dataset,
    minutes: pd.Series,
    origin: str,
    *,
    ax: Axes | None = None,
    labels: str = "en",
) -> tuple[Figure, Axes]:
    """Place every place at its true bearing from ``origin`` but at a distance = minutes.

    ``minutes``: fastest minutes from the origin to each place (NaN: not reached). Rings mark
    round numbers of hours (half hours on a small network, up to 12 h on a national one), and
    the axes are in hours with a tick on every ring.
    """
    fig, ax = new_axes(ax, (8.5, 8))
    nodes = ds.nodes
    o = nodes.loc[origin]
    if not math.isfinite(float(o["lat"])):
        raise BeltGraphError(
            f"{origin!r} has no coordinates, so bearings from it are unknown; "
            "choose another --origin"
        )
    coslat = math.cos(math.radians(float(o["lat"])))
    pos: dict[str, tuple[float, float]] = {}
    dist: dict[str, float] = {}
    for n, r in located(nodes.loc[place_ids(nodes)]).iterrows():
        t = float(minutes.get(n, math.nan))
        if n == origin or not math.isfinite(t):
            continue
        dx = (float(r["lon"]) - float(o["lon"])) * coslat
        dy = float(r["lat"]) - float(o["lat"])
        bearing = math.atan2(dy, dx)
        pos[str(n)] = (t * math.cos(bearing), t * math.sin(bearing))
        dist[str(n)] = t
    rmax = max((math.hypot(*p) for p in pos.values()), default=60.0)
    xs0 = [p[0] for p in pos.values()] + [0.0]
    ys0 = [p[1] for p in pos.values()] + [0.0]
    span = max(max(xs0) - min(xs0), max(ys0) - min(ys0), 60.0)
    margin = 0.25 * span
    xlim = (min(xs0) - margin, max(xs0) + margin)
    ylim = (min(ys0) - margin, max(ys0) + margin)
    bearings = [math.atan2(y, x) for x, y in pos.values()]
    large = len(pos) > LARGE_NETWORK
    step = next((st for st in (30, 60, 120, 180, 240, 360, 480, 720) if rmax / st <= 8), 1440)
    for ring in range(step, int(math.ceil(rmax / step) * step) + 1, step):
        ax.add_patch(plt().Circle((0, 0), ring, fill=False, ls=":", color="#969696", lw=0.8))
        best: tuple[float, float, float] | None = None
        for k in range(24):
            t = 2 * math.pi * k / 24
            x, y = ring * math.cos(t), ring * math.sin(t)
            mx, my = 0.07 * (xlim[1] - xlim[0]), 0.03 * (ylim[1] - ylim[0])
            if not (xlim[0] + mx < x < xlim[1] - mx and ylim[0] + my < y < ylim[1] - my):
                continue
            gap = min((abs(math.remainder(t - b, 2 * math.pi)) for b in bearings), default=math.pi)
            if best is None or gap > best[0]:
                best = (gap, x, y)
        if best is not None:
            ax.text(
                best[1],
                best[2],
                f"{ring / 60:g} h",
                fontsize=7,
                color="#636363",
                ha="center",
                va="center",
                clip_on=True,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"},
            )
    if not large:
        for x, y in pos.values():
            ax.plot([0, x], [0, y], color="#c6dbef", lw=1, zorder=2)
    ax.scatter(
        [p[0] for p in pos.values()],
        [p[1] for p in pos.values()],
        s=12 if large else 160,
        c="#3182bd",
        edgecolors="black",
        linewidths=0.3 if large else 1.0,
        zorder=5,
    )
    ax.scatter([0], [0], marker="*", s=400, c="black", zorder=6)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    scores, measure = hub_scores(ds)
    if large:
        shown = _spread(
            _best_connected(scores, list(pos), len(pos)), pos, 0.11 * span, LARGE_LABELS
        )
    else:
        shown = list(pos)
    items = [
        Label(
            *pos[n],
            f"{label(nodes.loc[n].to_dict(), labels)} {minutes_text(dist[n])}",
            priority=scores.get(n, 0) if large else 10,
            radius_pt=3 if large else 7,
            fontsize=8,
        )
        for n in shown
    ]
    items.append(
        Label(
            0.0, 0.0, label(o.to_dict(), labels), priority=1e12, radius_pt=9, bold=True, fontsize=9
        )
    )
    drawn = place_labels(ax, items, labels_language=labels, drop_colliding=large)
    # the rings are labelled in hours, so the axes are too, with a tick on every ring
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MultipleLocator(step))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v / 60:g}"))
    ax.set_xlabel("hours (east →)")
    ax.set_ylabel("hours (north →)")
    if large:
        ax.text(
            0.99,
            0.01,
            f"labels: {len(drawn) - 1} of {len(pos):,}, those with the most {measure} (spread out)",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=7,
            color="#444444",
        )
    ax.set_title(
        f"Travel-time map from {o['name']}: distance = fastest time, direction = true bearing",
        fontsize=10,
    )
    return fig, ax
