"""The network map: places, stations, track by line, changes of station, planned links.

:func:`plot_map` draws what it is given (a dataset's tables) and returns ``(fig, ax)``; it runs
no analysis itself. The shared helpers of the maps (sizes by population, titles, the large
network's labels) live here too.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import schema as S
from ..dataset.core import Dataset
from ..dataset.lookup import has_stations_under_places, label_scores, place_ids, words
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
    LINE_COLOURS,
    Label,
    label,
    new_axes,
    place_labels,
)
from ._zoom import close_up, crowded_groups, zoom_insets
from ._zoom import write_minutes as _write_minutes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


__all__ = ["LARGE_LABELS", "LARGE_NETWORK", "is_large", "plot_map"]


#: Above this many places, maps switch to their large-network form: thin links, small
#: markers, labels only for the busiest places (:func:`~belt_graph.hub_scores`), no numbers
#: on links.
LARGE_NETWORK = 40


#: How many places a large-network map labels.
LARGE_LABELS = 16


#: Above this many stations, a map of stations under places draws them small and unlabelled.
BUSY_STATIONS = 60


#: The most lines a map colours apart (the palette's colours); beyond, links are coloured by
#: mode.
MAX_LINE_COLOURS = len(LINE_COLOURS)


def is_large(ds: Dataset) -> bool:
    """Whether ``ds`` has more than :data:`LARGE_NETWORK` places.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).

    Returns
    -------
    bool
        True above :data:`LARGE_NETWORK` nodes (maps thin their labels and links).

    """
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
    """``rail network``, or ``bus network`` for a bus feed (see ``words``)."""
    return f"{words(ds).mode} network"


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

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.
    size_by : str, default "population"
        The node attribute that sizes the circles.
    color_by : pandas.Series, optional
        A value per node to colour by (default: one colour).
    color_label : str
        The colour bar's label.
    include_planned : bool, default True
        Include planned links (``status`` ``planned``).
    show_minutes : bool, default True
        Write the minutes on the links.
    labels : {"en", "zh", "both"}, default "en"
        Node labels in English, Chinese (with a CJK font; English without one) or both.
    title : str, optional
        The title (default: from the dataset).

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

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

    own_figure = ax is None
    fig, ax = new_axes(ax, (12.5, 8.5))
    nodes = ds.nodes
    pos, stand_in = positions(nodes)
    draw_context(ax, ds)
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = ds.links[ds.links["status"].isin(allowed)]
    kind = _kinds(links)
    track = links[kind.isin(("track", "section"))]
    # many stations (a bus network's stops): thin lines, no minutes, no station labels
    busy = int((nodes["kind"] == "station").sum()) > BUSY_STATIONS
    show_minutes = show_minutes and not busy
    w = words(ds)
    colours, legend, by_mode = _line_colours(track)
    label_pts: list[tuple[float, float, float]] = []
    # (end, end, text, kind) of each link's minutes, written once the frame is set
    minutes: list[tuple[tuple[float, float], tuple[float, float], str, str]] = []
    # every line drawn, (end, end, style), so that a zoom inset draws the same
    drawn: list[tuple[tuple[float, float], tuple[float, float], dict[str, Any]]] = []
    for rec in track.to_dict("records"):
        a, b = pos.get(str(rec["source"])), pos.get(str(rec["target"]))
        if a is None or b is None:
            continue
        planned = rec["status"] == "planned"
        style: dict[str, Any] = {
            "color": colours[rec["line"]],
            "lw": (1.2 if busy else 2.4) if not planned else 1.8,
            "ls": "--" if planned else "-",
            "alpha": 0.95,
            "zorder": 3,
            "solid_capstyle": "round",
        }
        drawn.append((a, b, style))
        ax.plot([a[0], b[0]], [a[1], b[1]], gid=f"link:{rec['source']}-{rec['target']}", **style)
        if show_minutes and rec.get(S.KIND) != "section":  # a section's minutes are no ride's
            minutes.append((a, b, f"{rec['minutes']:g}", "track"))
    for rec in links[kind == "transfer"].to_dict("records"):
        a, b = pos.get(str(rec["source"])), pos.get(str(rec["target"]))
        if a is None or b is None:
            continue
        style = {"color": "#4d4d4d", "lw": 0.8 if busy else 1.3, "ls": ":", "zorder": 3.0}
        drawn.append((a, b, style))
        ax.plot([a[0], b[0]], [a[1], b[1]], **style)
        if show_minutes:
            minutes.append((a, b, f"{rec['minutes']:g}", "transfer"))
    for rec in links[kind == "access"].to_dict("records"):
        a, b = pos.get(str(rec["source"])), pos.get(str(rec["target"]))
        if a is None or b is None or a == b:
            continue
        style = {"color": "#969696", "lw": 0.7, "zorder": 2.0}
        drawn.append((a, b, style))
        ax.plot([a[0], b[0]], [a[1], b[1]], **style)
        if show_minutes and float(rec["minutes"]) > 0:
            minutes.append((a, b, f"+{rec['minutes']:g}", "access"))
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
    label_pts += _write_minutes(ax, minutes, [pos[n] for n in real])
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
    place_labels(ax, items, labels_language=labels, points=label_pts)
    # the stations' names after the places', each dropped where it would cover another label
    items = [
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
    texts = place_labels(
        ax, items, labels_language=labels, points=label_pts, drop_colliding=True, max_clash=0.0
    )
    # where station names found no room, a close-up shows them (and there only)
    named = {t.get_text() for t in texts}
    shown = [] if busy else real
    dropped = [n for n, it in zip(shown, items, strict=True) if it.text not in named]
    groups = crowded_groups(dropped, pos, shown)
    if groups:
        draw = functools.partial(
            close_up, ds=ds, drawn=drawn, pos=pos, stations=stations.loc[real],
            places=places[[str(n) in pos for n in places.index]], minutes=minutes, labels=labels,
        )  # fmt: skip
        boxes = zoom_insets(
            ax, groups, pos, draw, avoid=list(pos.values()), labels_language=labels,
            titles=[f"close-up: {_group_title(g, stations, nodes)}" for g in groups],
        )  # fmt: skip
        for t in texts:  # a station's name inside a close-up is read there
            x, y = t.xy
            if any(b[0] <= x <= b[1] and b[2] <= y <= b[3] for _, b in boxes):
                t.remove()
    handles: list[Any] = [Line2D([], [], color=c, lw=2.4, label=text) for c, text in legend]
    if (track["status"] == "planned").any():
        handles.append(Line2D([], [], color="grey", lw=1.8, ls="--", label="planned"))
    handles += [
        Line2D([], [], color="#4d4d4d", lw=1.3, ls=":", label=f"change of {w.stop} (estimated)"),
        Line2D([], [], color="#969696", lw=0.7, label=f"access: place to its {w.stop} (+min)"),
        Line2D([], [], marker="s", ls="", mfc="white", mec="#252525", label=w.stop),
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
                label=f"({services:,} {w.vehicle} rides past a stop not drawn; journeys use them)",
            )
        )
    if busy:
        handles.append(
            Line2D([], [], color="none", label=f"({len(real):,} {w.stops}, not labelled)")
        )
    legend_right(
        ax,
        handles,
        ("links by mode" if by_mode else "track by line")
        + (" (labels: minutes, where there is room)" if show_minutes else ""),
        labelspacing=0.6 if busy else 1.1,
    )
    _narrow_if_tall(fig, ax, own_figure)
    heading = title or f"{_title(ds)}: {w.stops} under places and the {w.mode} between them"
    ax.set_title(textwrap.fill(heading, max(40, int(fig.get_size_inches()[0] * 9))))
    draw_attribution(ax, ds)
    return fig, ax


def _line_colours(
    links: pd.DataFrame, drawn: Mapping[str, int] | None = None
) -> tuple[dict[str, str], list[tuple[str, str]], bool]:
    """Return each line's colour and the legend's (colour, label) entries, and whether by mode.

    A colour per line; past :data:`MAX_LINE_COLOURS` lines, more than a reader tells apart, a
    colour per mode, its links and lines counted. ``drawn`` (line -> links drawn) adds a line's
    count to its label.
    """
    line_s, mode_s = links[S.LINE].astype(str), links[S.MODE].astype(str)
    lines = sorted(line_s.unique())
    if len(lines) <= MAX_LINE_COLOURS:
        colours = {x: LINE_COLOURS[i % len(LINE_COLOURS)] for i, x in enumerate(lines)}
        legend = [(colours[x], x if drawn is None else f"{x} ({drawn.get(x, 0):,})") for x in lines]
        return colours, legend, False
    modes = sorted(mode_s.unique())
    by_mode = {m: LINE_COLOURS[i % len(LINE_COLOURS)] for i, m in enumerate(modes)}
    colours = {x: by_mode[m] for x, m in zip(line_s, mode_s, strict=True)}
    legend = [
        (by_mode[m], f"{m} ({int((mode_s == m).sum()):,} links on "
                     f"{line_s[mode_s == m].nunique():,} lines)")
        for m in modes
    ]  # fmt: skip
    return colours, legend, True


def _narrow_if_tall(fig: Figure, ax: Axes, own_figure: bool) -> None:
    """Give a tall network (a coastal strip) a narrow figure, not a wide one of white space."""
    if not own_figure:
        return
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    tall = abs(y1 - y0) * float(ax.get_aspect()) / max(abs(x1 - x0), 1e-9)
    if tall > 1.0:
        fig.set_size_inches(max(9.5, 8.5 / tall + 5.0), 8.5)


def _group_title(group: list[str], stations: pd.DataFrame, nodes: pd.DataFrame) -> str:
    """Name a close-up by the place most of its stations belong to, else by a station."""
    owners = [str(stations.at[n, S.PLACE] or "") for n in group if S.PLACE in stations]
    owners = [o for o in owners if o]
    if owners:
        top = max(sorted(set(owners)), key=owners.count)
        return str(nodes.at[top, "name"]) if top in nodes.index else top
    return str(stations.at[group[0], "name"])


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
    """Return the ``k`` candidates with the highest ``scores`` (ties: by id).

    The scores are :func:`~belt_graph.hub_scores`.
    """
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

    own_figure = ax is None
    fig, ax = new_axes(ax, (11.5, 8.5))
    draw_context(ax, ds)
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = ds.links[ds.links["status"].isin(allowed)]
    two_level = has_stations_under_places(ds.nodes)
    if two_level and S.KIND in links.columns:
        # the track only: no access links, changes of station or express services
        links = links[links[S.KIND].isin(("track", "section", ""))]
    pos, _ = positions(ds.nodes)
    segments = link_segments(pos, links)
    colours, legend, by_mode = _line_colours(links, {k: len(v) for k, v in segments.items()})
    legend_title = "links by mode" if by_mode else "links by line (count)"
    for line, segs in sorted(segments.items()):
        ax.add_collection(
            LineCollection(
                segs,
                colors=colours[str(line)],
                linewidths=0.7,
                alpha=0.8,
                zorder=3,
                rasterized=True,
            )
        )
    handles = [Line2D([], [], color=c, lw=1.5, label=text) for c, text in legend]
    places = located(ds.nodes.loc[place_ids(ds.nodes)])
    # the dots: the stations (cities are labelled where they stand), else the places
    dots = located(ds.nodes[ds.nodes["kind"] == "station"]) if two_level else places
    degree = _degree(ds, include_planned)
    deg = np.array([degree.get(str(n), 0) for n in dots.index], dtype=float)
    ax.scatter(
        dots["lon"],
        dots["lat"],
        # area grows with the square root of the links: a hub of 100 links is not a blot
        s=(2 + 4 * np.sqrt(deg)) * min(1.0, math.sqrt(400 / max(len(dots), 1))),
        c="#252525",
        linewidths=0,
        zorder=4,
    )
    all_pos = {str(n): (float(r["lon"]), float(r["lat"])) for n, r in places.iterrows()}
    span = max(float(np.ptp(dots["lon"])), float(np.ptp(dots["lat"])), 1e-6)
    scores, measure = label_scores(ds)
    if two_level and measure != "people":
        measure += " at their stations"
    ranked = _best_connected(scores, list(all_pos), len(all_pos))
    top = _spread(ranked, all_pos, 0.06 * span, LARGE_LABELS)
    frame(ax, ds, dots["lon"].to_numpy(float), dots["lat"].to_numpy(float))
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
            [],
            [],
            marker="o",
            ls="",
            color="#252525",
            markersize=4,
            label=f"{words(ds).stop} (size: links)",
        )
    )
    what = "cities" if two_level else words(ds).stops
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            mfc="none",
            mec="#d62728",
            label=f"labelled: {len(drawn)} {what} with the most {measure} (spread out)",
        )
    )
    if note := not_drawn_note(ds, pos):
        handles.append(Line2D([], [], color="none", label=f"({note})"))
    legend_right(ax, handles, legend_title)
    _narrow_if_tall(fig, ax, own_figure)
    counted = (
        f"{len(places):,} cities, {len(dots):,} stations"
        if two_level
        else f"{len(places):,} {words(ds).stops}"
    )
    heading = title or f"{_title(ds)}: {_network_word(ds)}, {counted}, {len(links):,} links"
    # wrapped to the figure's width: a narrow map keeps its whole title
    ax.set_title(textwrap.fill(heading, max(40, int(fig.get_size_inches()[0] * 9))))
    draw_attribution(ax, ds)
    return fig, ax
