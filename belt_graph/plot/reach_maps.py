"""Maps of reach from an origin (time bands, routes) and of travel-time space.

Each function draws the minutes it is given (computed by the analyses) and returns
``(fig, ax)``; none runs an analysis itself.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import schema as S
from ..dataset.core import Dataset
from ..dataset.lookup import has_stations_under_places, label_scores, place_ids, words
from ..errors import BeltGraphError
from ..reachability import DEFAULT_BANDS_HOURS
from ._geo import (
    draw_attribution,
    draw_context,
    frame,
    legend_right,
    link_segments,
    located,
    not_drawn_note,
    positions,
    time_words,
)
from ._style import (
    BAND_COLOURS,
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
from .maps import (
    LARGE_LABELS,
    LARGE_NETWORK,
    _best_connected,
    _kinds,
    _spread,
    _two_level,
    is_large,
)

__all__ = ["plot_reach", "plot_travel_time_map"]


def _bands(minutes: pd.Series, bands: list[float]) -> pd.Series:
    edges = [b * 60 for b in sorted(bands)]

    def which(m: float) -> int:
        for i, e in enumerate(edges):
            if m <= e + 1e-6:
                return i
        return len(edges)

    return minutes.map(which)


def _route_edges(routes: Mapping[Any, Any], targets: list[str]) -> list[tuple[Any, Any]]:
    """Return the links of the fastest routes to ``targets`` (following each predecessor back).

    In the order found, each once: drawn in a set's order, the figure's pixels changed from run
    to run with the hash seed.
    """
    edges: dict[tuple[Any, Any], None] = {}
    for t in targets:
        v, steps = t, 0
        while routes.get(v) is not None and steps <= len(routes):
            u = routes[v]
            edges[(u, v)] = None
            v, steps = u, steps + 1
    return list(edges)


def plot_reach(
    ds: Dataset,
    minutes: pd.Series,
    origin: str,
    *,
    routes: Mapping[Any, Any] | None = None,
    bands: tuple[float, ...] = DEFAULT_BANDS_HOURS,
    ax: Axes | None = None,
    labels: str = "en",
    title: str | None = None,
    what: str = "travel time from the origin",
) -> tuple[Figure, Axes]:
    """Map places coloured by travel-time band from ``origin``; the routes used drawn dark.

    On a large network (more than :data:`LARGE_NETWORK` places) stations are small dots in the
    band colours, and only the busiest reached ones (:func:`~belt_graph.hub_scores`, spread
    out) are labelled, none over another.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    minutes : Series
        Fastest minutes from ``origin`` to each node (absent or NaN: not reached), e.g. the
        first result of :func:`~belt_graph.reachability.fastest_routes`.
    origin : str
        The origin's node id.
    routes : mapping, optional
        Node -> the node before it on its fastest route (the second result of
        :func:`~belt_graph.reachability.fastest_routes`): those links are drawn dark.
    bands : tuple of float, default (1, 2, 3)
        The upper limits of the colour bands, in hours (those of
        :func:`~belt_graph.reach_bands`).
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.
    labels : {"en", "zh", "both"}, default "en"
        Node labels in English, Chinese (with a CJK font; English without one) or both.
    title : str, optional
        The title (default: from the origin and the dataset).
    what : str, default "travel time from the origin"
        What the minutes are, for the legend.

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.
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
    segs = [s for group in link_segments(pos, _backdrop(ds.links)).values() for s in group]
    ax.add_collection(LineCollection(segs, colors="#bdbdbd", linewidths=1.0, zorder=2))
    places = nodes.loc[place_ids(nodes)]
    tree, ends = _route_lines(
        ds.links, pos, _route_edges(routes or {}, [str(n) for n in places.index]), nodes
    )
    ax.add_collection(LineCollection(tree, colors="#252525", linewidths=2.2, zorder=3))
    ax.add_collection(
        LineCollection(ends, colors="#252525", linewidths=1.1, linestyles=(0, (2, 2)), zorder=3)
    )
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
        handles.append(
            Line2D([], [], color="#252525", lw=2.2, label="fastest routes, along the track")
        )
    if ends:
        handles.append(
            Line2D([], [], color="#252525", lw=1.1, ls=(0, (2, 2)), label="to and from a station")
        )
    handles.append(
        Line2D([], [], color="#bdbdbd", lw=1.0, label="track" if not tree else "other track")
    )
    if small_ids:
        handles.append(
            Line2D([], [], marker="s", ls="", mfc="white", mec="#636363", label=words(ds).stop)
        )
    legend_right(ax, handles, what, labelspacing=1.2)
    ax.set_title(
        title or f"Reach from {nodes.loc[origin, 'name']} by {words(ds).mode} ({time_words(ds)})"
    )
    draw_attribution(ax, ds)
    return fig, ax


def _route_lines(
    links: pd.DataFrame,
    pos: Mapping[str, tuple[float, float]],
    edges: list[tuple[Any, Any]],
    nodes: pd.DataFrame,
) -> tuple[list[list[tuple[float, float]]], list[list[tuple[float, float]]]]:
    """Return the fastest routes' rides drawn along the track, and the legs to their places.

    A ride between two stations that the track does not join directly (a train's ride past
    the stops between) follows the fastest chain of open track between them; where there is
    none, it is drawn straight. A leg between a place and its station is returned apart, to be
    drawn as what it is: no track.
    """
    import networkx as nx

    track = _backdrop(links, changes=False)  # the open track, as the map draws it
    T = nx.Graph()
    for u, v, m in zip(track["source"], track["target"], track[S.MINUTES], strict=True):
        u, v, m = str(u), str(v), float(m)
        if not T.has_edge(u, v) or T.edges[u, v]["minutes"] > m:
            T.add_edge(u, v, minutes=m)
    places = set(map(str, place_ids(nodes)))
    rides, ends = [], []
    for u, v in edges:
        u, v = str(u), str(v)
        if u not in pos or v not in pos or pos[u] == pos[v]:
            continue
        if (u in places) != (v in places):
            ends.append([pos[u], pos[v]])
            continue
        path = [u, v]
        if u in T and v in T and not T.has_edge(u, v):
            with contextlib.suppress(nx.NetworkXNoPath):  # no track: drawn straight
                path = nx.shortest_path(T, u, v, weight="minutes")
        rides.append([pos[n] for n in path if n in pos])
    return rides, ends


def _at_least_4_by_3(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the points with two more that widen their box to at least 4:3.

    On the ground (or heighten it): a reach from a coastal hub is a thin strip that would leave no
    room for labels.
    """
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


def _backdrop(links: pd.DataFrame, *, changes: bool = True) -> pd.DataFrame:
    """Return the open links drawn under a reach map: the track, and the changes of station.

    A network of services also lists a link for every pair of stops of a train; drawn straight,
    those chords (118,000 of ``cn-rail-2023``'s links) hid the whole map under grey. Without
    ``changes`` (the national maps), the track only, as the network map draws it: the changes
    between every two stations of a city drew a web over each large city.
    """
    links = links[links["status"] == "open"]
    kind = _kinds(links)
    if not (kind != "").any():
        return links
    return links[kind.isin(["track", "section", "", *(["transfer"] if changes else [])])]


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
    base = _backdrop(ds.links, changes=False)
    segs = [s for group in link_segments(pos, base).values() for s in group]
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
    scores, measure = label_scores(ds)
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
    unit = "cities" if has_stations_under_places(nodes) else words(ds).stops
    shown = len(drawn) - (origin in top)
    others = len(near) - (origin in near)
    which = (
        f"every one of the {unit} reached"
        if shown >= others
        else f"{shown} of the {others:,} reached,\nthose with the most {measure}, spread out"
    )
    legend_right(ax, handles, f"{what}\nlabels: {which}")
    ax.set_title(
        f"Reach from {nodes.loc[origin, 'name']} by {words(ds).mode} within {max(bands):g} h "
        f"({time_words(ds)}): {len(near):,} {unit}"
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

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    minutes : pandas.Series
        Minutes from the origin, by node id.
    origin : str
        The origin's node id.
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.
    labels : {"en", "zh", "both"}, default "en"
        Node labels in English, Chinese (with a CJK font; English without one) or both.

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    fig, ax = new_axes(ax, (8.5, 8))
    nodes = ds.nodes
    o = nodes.loc[origin]
    if not math.isfinite(float(o["lat"])):
        raise BeltGraphError(
            f"{origin!r} has no coordinates, so bearings from it are unknown; "
            "choose another `origin`"
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
    scores, measure = label_scores(ds)
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
        f"Travel-time map from {o['name']}: distance = fastest time ({time_words(ds)}), "
        "direction = true bearing",
        fontsize=10,
    )
    return fig, ax
