"""Numbers on a map's links, and zoom insets where a map has no room for its stations' names.

Private to :mod:`belt_graph.plot`: :func:`write_minutes` writes each link's minutes where
there is room; :func:`zoom_insets` draws a close-up of the crowded parts of a map (the
stations whose names found no room), so that no label sits on another.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..network.access import haversine_km
from ._style import Label, _overlap, place_labels, quiet_glyphs

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: A link's minutes are written only where the link is this long on the figure (points): on a
#: shorter one the number would sit on the stations' markers and on its neighbours' numbers.
MIN_LINK_PT_FOR_MINUTES = 26.0

#: Stations whose names found no room and lie within this many km of each other share an inset.
INSET_JOIN_KM = 25.0

#: An inset may cover at most this many of the map's points (stations, places, label corners).
MAX_COVERED = 3

#: At most this many insets on one map.
MAX_INSETS = 2

_MINUTE_STYLE: dict[str, dict[str, Any]] = {
    "track": {"fontsize": 6.5, "color": "#333333"},
    "transfer": {"fontsize": 6.0, "color": "#4d4d4d", "style": "italic"},
    "access": {"fontsize": 5.5, "color": "#737373"},
}


def write_minutes(
    ax: Axes,
    minutes: list[tuple[tuple[float, float], tuple[float, float], str, str]],
    keep_clear: Sequence[tuple[float, float]] = (),
) -> list[tuple[float, float, float]]:
    """Write each link's minutes at its middle, where the link is long enough and there is room.

    The track's minutes first, then the changes of station, then access: a label that would
    cover one already written, or a point of ``keep_clear`` (the stations), is left out, so
    no two numbers ever sit on each other (the tables hold every one). Returns the points the
    labels must keep clear of.
    """
    to_px = ax.transData.transform
    per_pt = ax.figure.dpi / 72.0
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    order = {"track": 0, "transfer": 1, "access": 2}
    dots = [to_px(p) for p in keep_clear]
    placed: list[Any] = []
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    points = []
    for a, b, text, kind in sorted(minutes, key=lambda m: order.get(m[3], 3)):
        (x0, y0), (x1, y1) = to_px(a), to_px(b)
        if math.hypot(x1 - x0, y1 - y0) / per_pt < MIN_LINK_PT_FOR_MINUTES:
            continue
        x, y = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        if not (min(xlim) <= x <= max(xlim) and min(ylim) <= y <= max(ylim)):
            continue  # outside the frame (a close-up shows part of the map)
        box = {"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85}
        t = ax.text(x, y, text, ha="center", va="center", zorder=4, bbox=box, **_MINUTE_STYLE[kind])
        with quiet_glyphs():
            extent = t.get_window_extent(renderer).expanded(1.15, 1.25)
        covers_dot = any(extent.contains(px, py) for px, py in dots)
        if any(_overlap(extent, other) > 0 for other in placed) or covers_dot:
            t.remove()
            continue
        placed.append(extent)
        points.append((x, y, 5.0))
    return points


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km between two (lon, lat) map positions."""
    return haversine_km(a[1], a[0], b[1], b[0])


def crowded_groups(
    dropped: Sequence[str], pos: dict[str, tuple[float, float]], stations: Sequence[str]
) -> list[list[str]]:
    """Return the crowds of stations to show close up: where names found no room.

    The stations whose names were left out are joined when within :data:`INSET_JOIN_KM`;
    a group's crowd is every station within half that of one of them. A crowd of at least 3
    stations is shown, the largest first, at most :data:`MAX_INSETS` (a lone station off a
    crowded part simply goes unnamed, as on any dense map).
    """
    groups: list[list[str]] = []
    for n in dropped:
        near = [g for g in groups if any(_km(pos[n], pos[m]) <= INSET_JOIN_KM for m in g)]
        merged = [n, *(m for g in near for m in g)]
        groups = [g for g in groups if g not in near] + [merged]
    crowds = []
    for g in groups:
        crowd = sorted(
            s for s in stations if any(_km(pos[s], pos[m]) <= INSET_JOIN_KM / 2 for m in g)
        )
        if len(crowd) >= 3:
            crowds.append(crowd)
    return sorted(crowds, key=lambda g: (-len(g), g[0]))[:MAX_INSETS]


def zoom_insets(
    ax: Axes,
    groups: list[list[str]],
    pos: dict[str, tuple[float, float]],
    draw: Callable[[Axes, tuple[float, float, float, float]], list[Label]],
    *,
    avoid: Sequence[tuple[float, float]] = (),
    labels_language: str = "en",
    titles: Sequence[str] = (),
) -> list[tuple[Axes, tuple[float, float, float, float]]]:
    """Draw a close-up of each group of stations in an empty corner of the map.

    ``draw(inset, box)`` draws the map's content into the inset (its limits already set to
    ``box``: lon0, lon1, lat0, lat1) and returns the station labels to place there. A corner
    is chosen where the fewest of ``avoid`` (the map's points) lie under it, away from the
    box it shows and from an inset already placed; where every corner would cover more than
    :data:`MAX_COVERED` of them, the group gets no inset. Returns each inset with the box it
    shows.
    """
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    W, H = x1 - x0, y1 - y0
    # corners above the strip of the scale bar and attribution
    corners = [(0.70, 0.12), (0.02, 0.16), (0.70, 0.70), (0.02, 0.70), (0.36, 0.12)]
    inverse = ax.transData.inverted()
    points = list(avoid)
    with quiet_glyphs():
        renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        for t in ax.texts:  # the labels' corners and middles, kept clear of too
            e = t.get_window_extent(renderer)
            mid = ((e.x0 + e.x1) / 2, (e.y0 + e.y1) / 2)
            for px, py in ((e.x0, e.y0), (e.x1, e.y0), (e.x0, e.y1), (e.x1, e.y1), mid):
                points.append(tuple(inverse.transform((px, py))))
    size = 0.28

    def rect(c: tuple[float, float]) -> tuple[float, float, float, float]:
        """Return the data box an inset at axes corner ``c`` covers: lon0, lon1, lat0, lat1."""
        return (x0 + c[0] * W, x0 + (c[0] + size) * W, y0 + c[1] * H, y0 + (c[1] + size) * H)

    taken: list[tuple[float, float, float, float]] = []
    out = []
    for k, group in enumerate(groups):
        lons = [pos[n][0] for n in group]
        lats = [pos[n][1] for n in group]
        pad = max(0.06, 0.25 * max(max(lons) - min(lons), max(lats) - min(lats)))
        cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
        half = max(max(lons) - min(lons), max(lats) - min(lats)) / 2 + pad
        box = (cx - half, cx + half, cy - half * 0.85, cy + half * 0.85)

        def cost(c: tuple[float, float], box: tuple[float, float, float, float] = box) -> float:
            r = rect(c)
            under = sum(r[0] <= x <= r[1] and r[2] <= y <= r[3] for x, y in points)
            hits = [
                b
                for b in (box, *taken)
                if b[0] < r[1] and r[0] < b[1] and b[2] < r[3] and r[2] < b[3]
            ]
            return under + 1000 * len(hits)

        best = min(corners, key=cost)
        if cost(best) > MAX_COVERED:
            continue  # no corner is free: the crowd stays as it is, its names left out
        corners.remove(best)
        taken.append(rect(best))
        inset = ax.inset_axes((best[0], best[1], size, size))
        inset.set_xlim(box[0], box[1])
        inset.set_ylim(box[2], box[3])
        inset.set_aspect(ax.get_aspect())
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_facecolor("white")
        inset.set_zorder(9)
        if k < len(titles):
            inset.set_title(titles[k], fontsize=7.5, pad=2)
        items = draw(inset, box)
        place_labels(inset, items, labels_language=labels_language, drop_colliding=True)
        ax.indicate_inset_zoom(inset, edgecolor="#525252", lw=0.8)
        out.append((inset, box))
    return out


def close_up(
    inset: Axes,
    box: tuple[float, float, float, float],
    *,
    ds: Any,
    drawn: Sequence[tuple[tuple[float, float], tuple[float, float], dict[str, Any]]],
    pos: dict[str, tuple[float, float]],
    stations: Any,
    places: Any,
    minutes: list[tuple[tuple[float, float], tuple[float, float], str, str]],
    labels: str,
) -> list[Label]:
    """Draw a map's lines, stations, places and minutes into a close-up; return its labels.

    ``drawn`` holds every line of the map with its style; ``stations`` and ``places`` are the
    node tables of what the map marks. The stations inside ``box`` are labelled.
    """
    from ._geo import draw_context
    from ._style import label

    draw_context(inset, ds)
    for a, b, style in drawn:
        inset.plot([a[0], b[0]], [a[1], b[1]], **style)
    ids = [str(n) for n in stations.index]
    inset.scatter(
        [pos[n][0] for n in ids], [pos[n][1] for n in ids], s=18, marker="s",
        facecolors="white", edgecolors="#252525", linewidths=0.9, zorder=5,
    )  # fmt: skip
    inset.scatter(
        [pos[str(n)][0] for n in places.index], [pos[str(n)][1] for n in places.index],
        s=120, c="#3182bd", alpha=0.55, edgecolors="#08306b", zorder=4,
    )  # fmt: skip
    write_minutes(inset, minutes, [pos[n] for n in ids])

    def inside(n: str) -> bool:
        return box[0] <= pos[n][0] <= box[1] and box[2] <= pos[n][1] <= box[3]

    return [
        *(
            Label(*pos[str(n)], label(r.to_dict(), labels), priority=10, radius_pt=6,
                  bold=True, fontsize=7.5)
            for n, r in places.iterrows()
            if inside(str(n))
        ),
        *(
            Label(*pos[n], label(stations.loc[n].to_dict(), labels), priority=1, radius_pt=3,
                  fontsize=6.5, colour="#404040")
            for n in ids
            if inside(n)
        ),
    ]  # fmt: skip
