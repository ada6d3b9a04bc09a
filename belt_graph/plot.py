"""Diagrams for papers: network map, reach and travel-time maps, matrix, centrality, sectors.

Every function returns ``(fig, ax)``, accepts ``ax=None``, never calls ``plt.show()`` and imports
matplotlib only when called. Labels: ``labels="en"`` (default), ``"zh"`` or ``"both"``; Chinese
needs a CJK font (e.g. Debian's fonts-noto-cjk) and falls back to English without one.
"""

from __future__ import annotations

import itertools
import logging
import math
import warnings
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from .dataset import Dataset, default_origin
from .errors import BeltGraphError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

__all__ = [
    "attribution",
    "draw_kind",
    "plot_centrality",
    "plot_map",
    "plot_matrix",
    "plot_reach",
    "plot_scenario",
    "plot_sectors",
    "plot_travel_time_map",
    "save_figure",
]

LINE_COLOURS = [
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
    "#b15928",
    "#6a3d9a",
]
BAND_COLOURS = ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"]
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
    "SimHei",
    "Microsoft YaHei",
)


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


@cache
def cjk_font() -> str | None:
    """Return the name of an installed CJK font, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in names), None)


#: Longest label drawn; longer names are cut with an ellipsis (a name can be 200 characters).
MAX_LABEL_CHARS = 32


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def _label(row: pd.Series | dict[str, Any], labels: str) -> str:
    en = _short(str(row.get("name") or row.get("id")))
    zh = _short(str(row.get("name_zh") or ""))
    if labels == "en" or not zh or cjk_font() is None:
        return en
    return zh if labels == "zh" else f"{en}\n{zh}"


def _new(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    plt = _plt()
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    else:
        fig = ax.figure
    return fig, ax


def _text_kw(labels: str) -> dict[str, Any]:
    font = cjk_font()
    if labels != "en" and font:
        return {"fontfamily": [font, "DejaVu Sans"]}
    return {}


def _context(ds: Dataset) -> list[dict[str, Any]]:
    return ds.context_features


def _draw_context(ax: Axes, ds: Dataset) -> None:
    for feat in _context(ds):
        kind = feat.get("properties", {}).get("kind", "")
        geom = feat.get("geometry") or {}
        gtype, coords = geom.get("type"), geom.get("coordinates", [])
        polys = coords if gtype == "MultiPolygon" else [coords] if gtype == "Polygon" else []
        for poly in polys:
            ring = np.asarray(poly[0])
            if kind == "lake":
                ax.fill(ring[:, 0], ring[:, 1], color="#cfe3f3", ec="#9ecae1", lw=0.6, zorder=1)
            else:
                ax.fill(ring[:, 0], ring[:, 1], color="#f4f1ea", ec="#bdbdbd", lw=0.6, zorder=0)
        lines = coords if gtype == "MultiLineString" else [coords] if gtype == "LineString" else []
        for line in lines:
            arr = np.asarray(line)
            ax.plot(arr[:, 0], arr[:, 1], color="#6baed6", lw=2.2, zorder=1, solid_capstyle="round")
    if _context(ds):
        ax.set_facecolor("#e8f1f8")


def attribution(ds: Dataset) -> str:
    """Return the dataset's attribution line: its ``attribution.txt``, else its name."""
    path = ds.path / "attribution.txt"
    if path.is_file():
        return " ".join(path.read_text(encoding="utf-8").split())
    return f"Data: {ds.name} dataset ({ds.path.name}/)."


def _attribution(ax: Axes, ds: Dataset) -> None:
    ax.text(
        0.005,
        0.005,
        attribution(ds),
        transform=ax.transAxes,
        fontsize=6,
        color="#444444",
        ha="left",
        va="bottom",
        zorder=9,
        wrap=True,
        bbox={"boxstyle": "square,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
    )


def nice_length_km(width_km: float) -> float:
    """Return a round scale-bar length (1, 2 or 5 x 10^k km) near a fifth of ``width_km``.

    Examples
    --------
    >>> nice_length_km(300), nice_length_km(4000), nice_length_km(12)
    (50.0, 500.0, 2.0)
    """
    target = max(width_km / 5, 1e-3)
    mag = 10 ** math.floor(math.log10(target))
    return float(max((m * mag for m in (1, 2, 5) if m * mag <= target), default=mag))


def _frame(ax: Axes, ds: Dataset, lon: np.ndarray, lat: np.ndarray) -> None:
    """Set a lon/lat frame with a cos(latitude) aspect, a light grid and a scale bar.

    Points without coordinates (NaN) are ignored.
    """
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        raise BeltGraphError(f"no node of {ds.name!r} has coordinates, so no map can be drawn")
    lon, lat = lon[ok], lat[ok]
    pad = max(0.1, 0.08 * max(float(np.ptp(lon)), float(np.ptp(lat))))
    ax.set_xlim(lon.min() - pad, lon.max() + pad)
    # a strip below the data holds the scale bar and the attribution line
    ax.set_ylim(lat.min() - 2.4 * pad, lat.max() + pad)
    coslat = math.cos(math.radians(float(np.mean(lat))))
    ax.set_aspect(1 / coslat)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.grid(color="white", lw=0.6, alpha=0.7, zorder=0)
    km_per_deg = 111.32 * coslat
    width_km = (float(np.ptp(lon)) + 2 * pad) * km_per_deg
    km = nice_length_km(width_km)
    length = km / km_per_deg
    x0, y0 = lon.min() - pad * 0.6, lat.min() - pad * 1.55
    ax.plot([x0, x0 + length], [y0, y0], color="black", lw=2.5, zorder=6, gid="scalebar")
    ax.text(
        x0 + length / 2,
        y0 + pad * 0.1,
        f"{km:g} km",
        ha="center",
        va="bottom",
        fontsize=8,
        zorder=6,
    )


def _place_labels(
    ax: Axes,
    pos: dict[str, tuple[float, float]],
    texts: dict[str, str],
    labels: str,
    *,
    fontsize: float = 9,
    bold: set[str] | None = None,
) -> None:
    """Label points, nudging each label away from the others to avoid collisions."""
    bold = bold or set()
    pts = np.array(list(pos.values()))
    centre = pts.mean(axis=0)
    placed: list[tuple[float, float]] = []
    for n, (x, y) in pos.items():
        dx, dy = x - centre[0], y - centre[1]
        norm = math.hypot(dx, dy) or 1.0
        ox, oy = 10 * dx / norm, 10 * dy / norm
        # push further if another label sits close by
        for px, py in placed:
            if abs(px - x) < 0.25 and abs(py - y) < 0.12:
                oy += 12 if y >= py else -12
        placed.append((x, y))
        ax.annotate(
            texts[n],
            (x, y),
            xytext=(ox, oy),
            textcoords="offset points",
            ha="left" if ox >= 0 else "right",
            va="bottom" if oy >= 0 else "top",
            fontsize=fontsize,
            fontweight="bold" if n in bold else "normal",
            zorder=8,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            **_text_kw(labels),
        )


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

    Nodes are sized by ``size_by`` (``population`` or ``gdp_cny_bn``; hubs are small squares),
    coloured by ``color_by`` (a Series indexed by node, with a colour bar) if given; links are
    coloured by line with their minutes, planned links dashed.
    """
    _plt()
    from matplotlib.lines import Line2D

    if is_large(ds):
        return _plot_map_large(
            ds, ax=ax, include_planned=include_planned, labels=labels, title=title
        )
    fig, ax = _new(ax, (11.5, 7.5))
    nodes = _located(ds.nodes)
    _draw_context(ax, ds)
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = ds.links[ds.links["status"].isin(allowed)].sort_values(S.MINUTES)
    links = links[links["source"].isin(nodes.index) & links["target"].isin(nodes.index)]
    lines = sorted(links["line"].unique())
    colours = {line: LINE_COLOURS[i % len(LINE_COLOURS)] for i, line in enumerate(lines)}
    seen: set[tuple[str, str]] = set()
    offsets: dict[tuple[str, str], int] = {}
    bypass = _bypass_links(links)
    for i, rec in enumerate(links.to_dict("records")):
        u, v = rec["source"], rec["target"]
        if links.index[i] in bypass:
            continue
        key = (min(u, v), max(u, v))
        k = offsets.get(key, 0)
        offsets[key] = k + 1
        a, b = nodes.loc[u], nodes.loc[v]
        x = np.array([a["lon"], b["lon"]])
        y = np.array([a["lat"], b["lat"]])
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
        seen.add(key)
    places = nodes[nodes["kind"].isin(S.PLACE_KINDS)]
    hubs = nodes[nodes["kind"] == "hub"]
    mass = places[size_by].astype(float)
    known = mass.dropna()
    scale = 900 / float(known.max()) if len(known) and float(known.max()) > 0 else 1.0
    sizes = (mass.fillna(0) * scale).clip(lower=40)
    if color_by is not None:
        values = color_by.reindex(places.index).astype(float)
        sc = ax.scatter(
            places["lon"],
            places["lat"],
            s=sizes,
            c=values,
            cmap="viridis",
            edgecolors="black",
            linewidths=0.8,
            zorder=5,
        )
        fig.colorbar(sc, ax=ax, shrink=0.6, label=color_label)
    else:
        ax.scatter(
            places["lon"],
            places["lat"],
            s=sizes,
            c="#3182bd",
            edgecolors="black",
            linewidths=0.8,
            zorder=5,
        )
    unknown = places.index[mass.isna()]
    if len(unknown):
        ax.scatter(
            places.loc[unknown, "lon"],
            places.loc[unknown, "lat"],
            s=60,
            facecolors="white",
            edgecolors="black",
            linewidths=1.0,
            hatch="///",
            zorder=5,
        )
    ax.scatter(hubs["lon"], hubs["lat"], s=28, marker="s", c="#636363", zorder=5)
    pos = {str(n): (float(r["lon"]), float(r["lat"])) for n, r in nodes.iterrows()}
    texts = {str(n): _label(r.to_dict(), labels) for n, r in nodes.iterrows()}
    _place_labels(ax, pos, texts, labels, bold=set(map(str, places.index)))
    _frame(ax, ds, nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float))
    handles = [Line2D([], [], color=colours[line], lw=2.2, label=line) for line in lines]
    if (links["status"] == "planned").any():
        handles.append(Line2D([], [], color="grey", lw=1.8, ls="--", label="planned"))
    handles.append(Line2D([], [], marker="s", color="#636363", ls="", label="hub / station"))
    for value in _nice_levels(known):
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
    if len(unknown):
        handles.append(
            Line2D([], [], marker="o", ls="", mfc="white", mec="black", label=f"{size_by} unknown")
        )
    if bypass:
        handles.append(
            Line2D([], [], color="none", label=f"({len(bypass)} express links not drawn)")
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7.5,
        framealpha=0.9,
        title="lines (link labels: minutes)",
        title_fontsize=8,
        labelspacing=1.2,
        borderpad=0.8,
    )
    ax.set_title(title or f"{ds.name}: rail network (fastest scheduled minutes per link)")
    _attribution(ax, ds)
    if note := _not_drawn_note(ds):
        ax.text(0.995, 0.005, note, transform=ax.transAxes, fontsize=6, ha="right", va="bottom")
    return fig, ax


#: Above this many places, diagrams switch to their large-network form: thin links, small
#: markers, labels only for the best-connected places, no numbers on links or cells.
LARGE_NETWORK = 40
#: How many places a large-network diagram labels.
LARGE_LABELS = 16


def is_large(ds: Dataset) -> bool:
    """Whether ``ds`` has more than :data:`LARGE_NETWORK` places."""
    return int(ds.nodes["kind"].isin(S.PLACE_KINDS).sum()) > LARGE_NETWORK


def _located(nodes: pd.DataFrame) -> pd.DataFrame:
    """Nodes with known coordinates (a node may say its coordinates are unknown)."""
    return nodes[nodes["lat"].notna() & nodes["lon"].notna()]


def _best_connected(G: nx.Graph, candidates: list[str], k: int) -> list[str]:
    """The ``k`` candidates with the most rail neighbours (ties: by id)."""
    return sorted(candidates, key=lambda n: (-G.degree(n), str(n)))[:k]


def _spread(
    ranked: list[str], pos: dict[str, tuple[float, float]], min_gap: float, k: int
) -> list[str]:
    """Up to ``k`` of ``ranked`` (best first), skipping any closer than ``min_gap`` to one kept.

    Keeps labels of large networks from piling up where the network is dense.
    """
    kept: list[str] = []
    for n in ranked:
        x, y = pos[n]
        if all(math.hypot(x - pos[m][0], y - pos[m][1]) >= min_gap for m in kept):
            kept.append(n)
            if len(kept) == k:
                break
    return kept


def _link_segments(
    nodes: pd.DataFrame, links: pd.DataFrame
) -> dict[str, list[list[tuple[float, float]]]]:
    """Line -> segments (lon, lat) of links whose two ends have coordinates."""
    lon, lat = nodes["lon"].to_dict(), nodes["lat"].to_dict()
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for u, v, line in links[["source", "target", "line"]].itertuples(index=False):
        a, b = (lon[u], lat[u]), (lon[v], lat[v])
        if all(math.isfinite(c) for c in (*a, *b)):
            out.setdefault(str(line), []).append([a, b])
    return out


def _not_drawn_note(ds: Dataset) -> str:
    missing = int(ds.nodes["lat"].isna().sum())
    return f"{missing} node(s) without coordinates not drawn" if missing else ""


def _plot_map_large(
    ds: Dataset,
    *,
    ax: Axes | None,
    include_planned: bool,
    labels: str,
    title: str | None,
) -> tuple[Figure, Axes]:
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    from .network import rail_graph

    fig, ax = _new(ax, (11.5, 8.5))
    _draw_context(ax, ds)
    G = rail_graph(ds, include_planned=include_planned)
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = ds.links[ds.links["status"].isin(allowed)]
    segments = _link_segments(ds.nodes, links)
    colours = {line: LINE_COLOURS[i % len(LINE_COLOURS)] for i, line in enumerate(sorted(segments))}
    handles = []
    for line, segs in sorted(segments.items()):
        ax.add_collection(
            LineCollection(segs, colors=colours[line], linewidths=0.7, alpha=0.75, zorder=3)
        )
        handles.append(Line2D([], [], color=colours[line], lw=1.5, label=f"{line} ({len(segs):,})"))
    located = _located(ds.nodes[ds.nodes["kind"].isin(S.PLACE_KINDS)])
    degree = np.array([G.degree(n) for n in located.index], dtype=float)
    ax.scatter(
        located["lon"],
        located["lat"],
        s=(2 + 1.5 * degree) * min(1.0, math.sqrt(400 / max(len(located), 1))),
        c="#252525",
        linewidths=0,
        zorder=4,
    )
    all_pos = {str(n): (float(r["lon"]), float(r["lat"])) for n, r in located.iterrows()}
    span = max(float(np.ptp(located["lon"])), float(np.ptp(located["lat"])), 1e-6)
    ranked = _best_connected(G, list(located.index), len(located))
    top = _spread(ranked, all_pos, 0.06 * span, LARGE_LABELS)
    pos = {n: all_pos[n] for n in top}
    texts = {str(n): _label(located.loc[n].to_dict(), labels) for n in top}
    ax.scatter(
        [p[0] for p in pos.values()],
        [p[1] for p in pos.values()],
        s=30,
        facecolors="none",
        edgecolors="#d62728",
        linewidths=1.0,
        zorder=5,
    )
    _place_labels(ax, pos, texts, labels, fontsize=7)
    _frame(ax, ds, located["lon"].to_numpy(float), located["lat"].to_numpy(float))
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color="#252525",
            markersize=4,
            label="station (size: rail neighbours)",
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
            label=f"{len(top)} best-connected (spread out), labelled",
        )
    )
    note = _not_drawn_note(ds)
    if note:
        handles.append(Line2D([], [], color="none", label=f"({note})"))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7.5,
        title="links by line (count)",
        title_fontsize=8,
        framealpha=0.9,
    )
    ax.set_title(
        title or f"{ds.name}: rail network, {len(located):,} stations, {len(links):,} links"
    )
    _attribution(ax, ds)
    return fig, ax


def _plot_reach_large(
    ds: Dataset,
    origin: str,
    *,
    bands: tuple[float, ...],
    ax: Axes | None,
    include_planned: bool,
    labels: str,
) -> tuple[Figure, Axes]:
    from matplotlib.collections import LineCollection
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D

    from .network import rail_graph

    fig, ax = _new(ax, (11.5, 8.5))
    _draw_context(ax, ds)
    G = rail_graph(ds, include_planned=include_planned)
    horizon = max(bands) * 60
    dist, paths = nx.single_source_dijkstra(G, origin, cutoff=horizon, weight=S.MINUTES)
    nodes = ds.nodes
    links = ds.links[ds.links["status"].isin({"open", "planned"} if include_planned else {"open"})]
    segs = [s for group in _link_segments(nodes, links).values() for s in group]
    ax.add_collection(LineCollection(segs, colors="#bdbdbd", linewidths=0.5, zorder=2))
    tree = {tuple(sorted(e)) for p in paths.values() for e in itertools.pairwise(p)}
    tree_links = links[
        [tuple(sorted(e)) in tree for e in zip(links["source"], links["target"], strict=True)]
    ]
    tree_segs = [s for group in _link_segments(nodes, tree_links).values() for s in group]
    ax.add_collection(LineCollection(tree_segs, colors="#252525", linewidths=1.4, zorder=3))
    located = _located(nodes[nodes["kind"].isin(S.PLACE_KINDS)])
    far = [n for n in located.index if n not in dist]
    ax.scatter(
        located.loc[far, "lon"], located.loc[far, "lat"], s=5, c="#d9d9d9", zorder=4, linewidths=0
    )
    near = [n for n in located.index if n in dist]
    edges = [0.0, *(b * 60 for b in sorted(bands))]
    cmap = ListedColormap(BAND_COLOURS[: len(bands)])
    norm = BoundaryNorm(edges, cmap.N)
    sc = ax.scatter(
        located.loc[near, "lon"],
        located.loc[near, "lat"],
        c=[dist[n] for n in near],
        cmap=cmap,
        norm=norm,
        s=28,
        edgecolors="black",
        linewidths=0.4,
        zorder=5,
    )
    fig.colorbar(sc, ax=ax, shrink=0.5, label="fastest minutes from the origin", ticks=edges)
    o = nodes.loc[origin]
    if math.isfinite(float(o["lat"])):
        ax.scatter([o["lon"]], [o["lat"]], marker="*", s=400, c="black", zorder=6)
    near_pos = {str(n): (float(located.at[n, "lon"]), float(located.at[n, "lat"])) for n in near}
    if len(near) <= LARGE_NETWORK:
        top = list(near)
    else:
        frame_span = max(
            float(np.ptp(located.loc[near, "lon"])), float(np.ptp(located.loc[near, "lat"])), 1e-6
        )
        ranked = [origin] + [n for n in _best_connected(G, near, len(near)) if n != origin]
        top = _spread(
            [n for n in ranked if n in near_pos], near_pos, 0.06 * frame_span, LARGE_LABELS
        )
    pos = {str(n): (float(located.at[n, "lon"]), float(located.at[n, "lat"])) for n in top}
    texts = {str(n): f"{_label(located.loc[n].to_dict(), labels)} {dist[n]:.0f}′" for n in top}
    if pos:
        _place_labels(ax, pos, texts, labels, fontsize=7)
    # frame the reached area; the rest of the network stays as grey context beyond it
    frame = located.loc[near] if len(near) > 1 else located
    _frame(ax, ds, frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))
    handles = [
        Line2D([], [], marker="*", ls="", color="black", markersize=12, label="origin"),
        Line2D([], [], color="#252525", lw=1.4, label="fastest-route links"),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color="#bdbdbd",
            label=f"beyond {max(bands):g} h ({len(far):,})",
        ),
    ]
    note = _not_drawn_note(ds)
    if note:
        handles.append(Line2D([], [], color="none", label=f"({note})"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    ax.set_title(
        f"Reach from {nodes.loc[origin, 'name']} by rail within {max(bands):g} h "
        f"(fastest minutes): {len(near):,} stations"
    )
    _attribution(ax, ds)
    return fig, ax


CHANGE_COLOURS = ["#3182bd", "#fd8d3c", "#d62728", "#6a51a3"]


def plot_timetable_vs_links(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = "",
    names: dict[str, str] | None = None,
    annotate: int = 3,
) -> tuple[Figure, Axes]:
    """Scatter of fastest-link minutes (x) against timetable minutes (y) from one origin.

    ``table`` is :func:`~belt_graph.timetable.timetable_vs_links`; points above the diagonal
    show the waiting, dwelling and changing the timetable imposes. Colour: changes of train.
    The ``annotate`` stations with the most imposed minutes are named (``names``: id -> name).
    """
    fig, ax = _new(ax, (7.5, 6.5))
    t = table.drop(index=[i for i in table.index if table.at[i, "minutes"] == 0])
    t = t[t["link_minutes"].notna()]
    top = float(max(t["minutes"].max(), t["link_minutes"].max(), 60)) if len(t) else 60.0
    ax.plot([0, top], [0, top], color="#969696", lw=1, ls="--", zorder=1, label="no waiting")
    changes = t["changes"].clip(upper=3)
    for k in sorted(changes.unique()):
        sel = t[changes == k]
        ax.scatter(
            sel["link_minutes"],
            sel["minutes"],
            s=22,
            zorder=3,
            color=CHANGE_COLOURS[min(int(k), len(CHANGE_COLOURS) - 1)],
            edgecolors="black",
            linewidths=0.3,
            label=f"{int(k)}{'+' if k == 3 else ''} change{'s' if k != 1 else ''}",
        )
    for n in t["imposed_minutes"].sort_values(ascending=False).index[:annotate]:
        label = (names or {}).get(n, n)
        ax.annotate(
            f"{label} +{t.at[n, 'imposed_minutes']:.0f}′",
            (t.at[n, "link_minutes"], t.at[n, "minutes"]),
            xytext=(6, -2),
            textcoords="offset points",
            fontsize=8,
            va="top",
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_xlim(0, top * 1.03)
    ax.set_ylim(0, top * 1.03)
    ax.set_aspect("equal")
    ax.set_xlabel("fastest route over the links (minutes, no waiting)")
    ax.set_ylabel("earliest arrival by the timetable (minutes after the departure time)")
    ax.grid(color="#eeeeee", zorder=0)
    ax.legend(loc="upper left", fontsize=8, title="by timetable", title_fontsize=8)
    ax.set_title(title or "Timetable against fastest links", fontsize=10)
    return fig, ax


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


def _bypass_links(links: pd.DataFrame) -> set[Any]:
    """Index labels of express links: the same line also joins their ends via other stops."""
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


def _bands(minutes: pd.Series, bands: list[float]) -> pd.Series:
    edges = [b * 60 for b in sorted(bands)]

    def which(m: float) -> int:
        for i, e in enumerate(edges):
            if m <= e:
                return i
        return len(edges)

    return minutes.map(which)


def plot_reach(
    ds: Dataset,
    origin: str,
    *,
    bands: tuple[float, ...] = (0.5, 1.0, 2.0),
    ax: Axes | None = None,
    include_planned: bool = False,
    labels: str = "en",
) -> tuple[Figure, Axes]:
    """Map places coloured by travel-time band from ``origin``; reached links highlighted.

    On a large network (more than :data:`LARGE_NETWORK` places) stations are coloured by
    minutes on a continuous scale and only the best-connected ones are labelled.
    """
    from matplotlib.lines import Line2D

    from .network import rail_graph

    if is_large(ds):
        return _plot_reach_large(
            ds, origin, bands=bands, ax=ax, include_planned=include_planned, labels=labels
        )

    fig, ax = _new(ax, (11.5, 7.5))
    G = rail_graph(ds, include_planned=include_planned)
    dist = nx.single_source_dijkstra_path_length(G, origin, weight=S.MINUTES)
    _, paths = nx.single_source_dijkstra(G, origin, weight=S.MINUTES)
    nodes = _located(ds.nodes)
    _draw_context(ax, ds)
    tree = {tuple(sorted(e)) for p in paths.values() for e in itertools.pairwise(p)}
    links = ds.links[ds.links["status"].isin({"open", "planned"} if include_planned else {"open"})]
    express = {
        tuple(sorted(p))
        for p in links.loc[list(_bypass_links(links)), ["source", "target"]].itertuples(index=False)
    }
    for u, v in G.edges():
        if u not in nodes.index or v not in nodes.index:
            continue
        a, b = nodes.loc[u], nodes.loc[v]
        on = tuple(sorted((u, v))) in tree
        if not on and tuple(sorted((u, v))) in express:
            continue
        ax.plot(
            [a["lon"], b["lon"]],
            [a["lat"], b["lat"]],
            color="#252525" if on else "#bdbdbd",
            lw=2.4 if on else 1.0,
            zorder=3,
            gid=f"link:{u}-{v}",
        )
    minutes = pd.Series({n: dist.get(n, math.inf) for n in nodes.index})
    band = _bands(minutes, list(bands))
    places = nodes[nodes["kind"].isin(S.PLACE_KINDS)]
    for i in range(len(bands) + 1):
        sel = places.index[band.loc[places.index] == i]
        label = f"≤ {bands[i]:g} h" if i < len(bands) else f"> {bands[-1]:g} h"
        ax.scatter(
            places.loc[sel, "lon"],
            places.loc[sel, "lat"],
            s=220,
            c=BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)],
            edgecolors="black",
            zorder=5,
            label=label,
        )
    if origin in nodes.index:
        o = nodes.loc[origin]
        ax.scatter([o["lon"]], [o["lat"]], marker="*", s=500, c="black", zorder=6, label="origin")
    hubs = nodes[nodes["kind"] == "hub"]
    ax.scatter(hubs["lon"], hubs["lat"], s=20, marker="s", c="#636363", zorder=5)
    pos = {str(n): (float(r["lon"]), float(r["lat"])) for n, r in places.iterrows()}
    texts = {
        str(n): f"{_label(r.to_dict(), labels)} {minutes[n]:.0f}′"
        if math.isfinite(minutes[n])
        else _label(r.to_dict(), labels)
        for n, r in places.iterrows()
    }
    _place_labels(ax, pos, texts, labels)
    _frame(ax, ds, nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float))
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], color="#252525", lw=2.4, label="fastest-route links"))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title="travel time from origin",
        title_fontsize=8,
        labelspacing=1.2,
    )
    ax.set_title(f"Reach from {ds.nodes.loc[origin, 'name']} by rail (fastest minutes)")
    _attribution(ax, ds)
    if note := _not_drawn_note(ds):
        ax.text(0.995, 0.005, note, transform=ax.transAxes, fontsize=6, ha="right", va="bottom")
    return fig, ax


def plot_travel_time_map(
    ds: Dataset,
    origin: str,
    *,
    ax: Axes | None = None,
    include_planned: bool = False,
    labels: str = "en",
) -> tuple[Figure, Axes]:
    """Place every node at its true bearing from ``origin`` but at a distance = minutes.

    Rings mark 30, 60, 90, 120 ... minutes; grey ticks show where each place is in kilometres
    (scaled to the same average), so one sees how rail bends geography.
    """
    from .network import rail_graph

    fig, ax = _new(ax, (8, 8))
    G = rail_graph(ds, include_planned=include_planned)
    dist = nx.single_source_dijkstra_path_length(G, origin, weight=S.MINUTES)
    nodes = ds.nodes
    o = nodes.loc[origin]
    if not math.isfinite(float(o["lat"])):
        raise BeltGraphError(
            f"{origin!r} has no coordinates, so bearings from it are unknown; "
            "choose another --origin"
        )
    coslat = math.cos(math.radians(float(o["lat"])))
    pos: dict[str, tuple[float, float]] = {}
    for n, r in _located(nodes[nodes["kind"].isin(S.PLACE_KINDS)]).iterrows():
        if n == origin or n not in dist:
            continue
        dx = (float(r["lon"]) - float(o["lon"])) * coslat
        dy = float(r["lat"]) - float(o["lat"])
        bearing = math.atan2(dy, dx)
        m = float(dist[n])
        pos[str(n)] = (m * math.cos(bearing), m * math.sin(bearing))
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
        ax.add_patch(_plt().Circle((0, 0), ring, fill=False, ls=":", color="#969696", lw=0.8))
        # label the ring in the visible direction farthest from any place's bearing
        best: tuple[float, float, float] | None = None
        for k in range(24):
            t = 2 * math.pi * k / 24
            x, y = ring * math.cos(t), ring * math.sin(t)
            # keep the label clear of the frame so it is not clipped
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
                f"{ring} min" if step < 60 else f"{ring / 60:g} h",
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
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.scatter(
        xs,
        ys,
        s=12 if large else 160,
        c="#3182bd",
        edgecolors="black",
        linewidths=0.3 if large else 1.0,
        zorder=5,
    )
    ax.scatter([0], [0], marker="*", s=400, c="black", zorder=6)
    # the origin's label sits at the centre: keep other labels clear of it too
    shown = (
        _spread(
            [origin, *_best_connected(G, list(pos), len(pos))],
            {**pos, origin: (0.0, 0.0)},
            0.11 * span,
            LARGE_LABELS + 1,
        )[1:]
        if large
        else list(pos)
    )
    texts = {n: f"{_label(nodes.loc[n].to_dict(), labels)} {dist[n]:.0f}′" for n in shown}
    pos_all = {**{n: pos[n] for n in shown}, origin: (0.0, 0.0)}
    texts[origin] = _label(nodes.loc[origin].to_dict(), labels)
    _place_labels(ax, pos_all, texts, labels)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("minutes (east →)")
    ax.set_ylabel("minutes (north →)")
    ax.set_title(
        f"Travel-time map from {nodes.loc[origin, 'name']}: distance = fastest minutes, "
        "direction = true bearing",
        fontsize=10,
    )
    return fig, ax


def plot_matrix(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    order: list[str] | None = None,
    title: str = "Fastest rail travel time (minutes)",
) -> tuple[Figure, Axes]:
    """Heat map of a travel-time matrix, annotated in minutes (NaN = unreachable)."""
    fig, ax = _new(ax, (8, 7))
    m = matrix.loc[order, order] if order else matrix
    data = m.to_numpy(float)
    im = ax.imshow(np.ma.masked_invalid(data), cmap="YlOrRd", vmin=0, interpolation="nearest")
    if len(m) > LARGE_NETWORK:
        # too many cells to number or name: the pattern is the message
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(f"destination ({len(m):,} places)")
        ax.set_ylabel(f"origin ({len(m):,} places)")
        fig.colorbar(im, ax=ax, shrink=0.75, label="minutes (white: unreachable)")
        ax.set_title(title)
        return fig, ax
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            txt = "–" if math.isnan(v) else f"{v:.0f}"
            dark = not math.isnan(v) and v > np.nanmax(data) * 0.6
            ax.text(
                j, i, txt, ha="center", va="center", fontsize=8, color="white" if dark else "black"
            )
    ax.set_xticks(range(len(m.columns)), m.columns, rotation=45, ha="right")
    ax.set_yticks(range(len(m.index)), m.index)
    fig.colorbar(im, ax=ax, shrink=0.75, label="minutes")
    ax.set_title(title)
    return fig, ax


def plot_centrality(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    measures: tuple[str, ...] = (
        "accessibility",
        "closeness",
        "harmonic",
        "betweenness",
        "pagerank",
        "degree",
    ),
) -> tuple[Figure, Axes]:
    """Dot plot of each place's rank under each centrality measure (1 = most central).

    With more than 15 places: bars of the top places by closeness, harmonic closeness and
    betweenness instead (ranks of hundreds of places cannot be read as lines).
    """
    if len(table) > 15:
        return _plot_centrality_top(table)
    fig, ax = _new(ax, (9, 5.5))
    measures = tuple(m for m in measures if f"rank_{m}" in table and table[m].notna().any())
    order = table.sort_values(["rank_accessibility", "name"]).index.tolist()
    n = len(order)
    for j, m in enumerate(measures):
        ranks = table.loc[order, f"rank_{m}"].astype(float)
        ax.scatter([j] * n, ranks, s=0)
    for i, node in enumerate(order):
        ranks = [float(table.loc[node, f"rank_{m}"]) for m in measures]
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        ax.plot(range(len(measures)), ranks, "-o", color=colour, lw=1.6, ms=7, label=node)
        ax.text(-0.08, ranks[0], node, va="center", ha="right", fontsize=8, color=colour)
    ax.set_xticks(range(len(measures)), [m.replace("_", " ") for m in measures])
    ax.set_yticks(range(1, n + 1))
    ax.set_ylim(n + 0.5, 0.5)
    ax.set_xlim(-1.0, len(measures) - 1 + 0.3)
    ax.set_ylabel("rank (1 = most central)")
    ax.set_title("Centrality ranks by measure (accessibility: population, exp. decay 60 min)")
    ax.grid(axis="y", color="#eeeeee")
    return fig, ax


def _plot_centrality_top(table: pd.DataFrame, top: int = 20) -> tuple[Figure, Axes]:
    plt = _plt()
    measures = [
        ("closeness", "closeness (1/min)"),
        ("harmonic", "harmonic closeness (1/min)"),
        ("betweenness", "betweenness (share of paths)"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(13, 6.5), layout="constrained")
    for ax, (m, label) in zip(axes, measures, strict=True):
        best = table[m].sort_values(ascending=False).head(top)
        names = [str(table.at[n, "name"]) for n in best.index]
        # dots, not bars: the top values differ by a few per cent, which bars from 0 would hide
        ax.scatter(best.to_numpy(), range(len(best)), s=36, color="#3182bd", zorder=3)
        ax.set_yticks(range(len(best)), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(label)
        ax.grid(color="#eeeeee", zorder=0)
        ax.set_title(f"top {len(best)} by {m}", fontsize=10)
    fig.suptitle(f"Centrality of {len(table):,} places (rail minutes)")
    return fig, axes[0]


def plot_sectors(ds: Dataset, *, ax: Axes | None = None, seed: int = 0) -> tuple[Figure, Axes]:
    """Place x sector matrix grouped by cluster, with each pair's complementarity alongside."""
    from .network import sector_graph
    from .sectors import clusters, sector_matrix, sector_pairs

    plt = _plt()
    B = sector_graph(ds)
    M = sector_matrix(B)
    cl = clusters(B, seed=seed)
    place_cluster = cl[cl["node_type"] == "place"]["cluster"]
    order = sorted(M.index, key=lambda p: (place_cluster.get(p, 99), p))
    M = M.loc[order]
    if ax is None:
        fig, (ax, ax2) = plt.subplots(
            1, 2, figsize=(13, 5.5), layout="constrained", gridspec_kw={"width_ratios": [1.6, 1]}
        )
    else:
        fig, ax2 = ax.figure, None
    fams = [f for f, _ in M.columns]
    fam_names = sorted(set(fams))
    fam_col = {f: LINE_COLOURS[i % len(LINE_COLOURS)] for i, f in enumerate(fam_names)}
    for i, _p in enumerate(order):
        for j, (f, _s) in enumerate(M.columns):
            if M.iloc[i, j]:
                ax.scatter(j, i, s=140, c=fam_col[f], edgecolors="black", zorder=3)
    ax.set_xticks(
        range(len(M.columns)), [s for _, s in M.columns], rotation=60, ha="right", fontsize=8
    )
    ax.set_yticks(range(len(order)), [f"{p} (c{place_cluster.get(p, '-')})" for p in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.grid(color="#eeeeee", zorder=0)
    for f in fam_names:
        ax.scatter([], [], c=fam_col[f], edgecolors="black", label=f)
    fig.legend(
        title="sector family",
        fontsize=8,
        title_fontsize=8,
        loc="outside lower center",
        ncol=len(fam_names),
    )
    ax.set_title("Sectors by place (c = cluster)")
    if ax2 is not None:
        pairs = sector_pairs(B)
        C = pd.DataFrame(0.0, index=order, columns=order)
        for r in pairs.to_dict("records"):
            C.loc[r["origin"], r["destination"]] = C.loc[r["destination"], r["origin"]] = r[
                "complementarity"
            ]
        im = ax2.imshow(C.to_numpy(), cmap="Purples", vmin=0, vmax=1)
        for i in range(len(order)):
            for j in range(len(order)):
                if i != j and C.iloc[i, j] > 0:
                    ax2.text(
                        j,
                        i,
                        f"{C.iloc[i, j]:.2f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if C.iloc[i, j] > 0.5 else "black",
                    )
        ax2.set_xticks(range(len(order)), order, rotation=45, ha="right", fontsize=8)
        ax2.set_yticks(range(len(order)), order, fontsize=8)
        fig.colorbar(im, ax=ax2, shrink=0.7, label="complementarity (0-1)")
        ax2.set_title("Complementarity of pairs")
    return fig, ax


def plot_scenario(
    base_minutes: pd.DataFrame,
    scenario_minutes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = "Scenario",
) -> tuple[Figure, Axes]:
    """Bar chart of each place's mean minutes to the others, before and after a scenario."""
    fig, ax = _new(ax, (9, 5))

    def mean(m: pd.DataFrame) -> pd.Series:
        return m.where(~np.eye(len(m), dtype=bool)).mean(axis=1)

    b, s = mean(base_minutes), mean(scenario_minutes)
    order = (s - b).sort_values().index.tolist()
    y = np.arange(len(order))
    ax.barh(y - 0.2, b[order], height=0.4, color="#bdbdbd", label="base")
    ax.barh(y + 0.2, s[order], height=0.4, color="#3182bd", label="scenario")
    for i, n in enumerate(order):
        d = s[n] - b[n]
        if abs(d) > 0.05:
            ax.text(np.nanmax([b[n], s[n]]) + 1, i, f"{d:+.1f} min", va="center", fontsize=8)
        elif math.isnan(d) and not (math.isnan(b[n]) and math.isnan(s[n])):
            ax.text(np.nanmax([b[n], s[n]]) + 1, i, "newly (un)connected", va="center", fontsize=8)
    ax.set_yticks(y, order)
    ax.invert_yaxis()
    ax.set_xlabel("mean fastest minutes to the other places (no bar: reaches none)")
    top = float(np.nanmax([b.max(), s.max(), 0.0]))
    ax.set_xlim(0, top * 1.2 if top > 0 else 60.0)
    ax.legend(loc="lower right")
    ax.set_title(title)
    return fig, ax


def draw_kind(
    ds: Dataset,
    kind: str,
    *,
    origin: str | None = None,
    scenario: str | None = None,
    labels: str = "en",
    depart: float = 8 * 60,
) -> Figure:
    """Return the figure of one diagram ``kind`` for the CLI and the report.

    ``depart`` (minutes after midnight) is the departure time of the ``timetable`` diagram.
    """
    from .centrality import centrality
    from .commute import travel_time_matrix
    from .network import cooperation_graph, rail_graph
    from .scenario import apply_scenario

    if origin is None:
        origin = default_origin(ds)
    G = rail_graph(ds)
    if kind == "map":
        fig, _ = plot_map(ds, labels=labels)
    elif kind == "reach":
        fig, _ = plot_reach(ds, origin, labels=labels)
    elif kind == "traveltime":
        fig, _ = plot_travel_time_map(ds, origin, labels=labels)
    elif kind == "matrix":
        m = travel_time_matrix(G)
        order = ds.nodes.loc[m.index].sort_values("lon").index.tolist()
        fig, _ = plot_matrix(
            m, order=order, title="Fastest rail travel time (minutes), places west to east"
        )
    elif kind == "centrality":
        fig, _ = plot_centrality(centrality(G, cooperation_graph(ds)))
    elif kind == "sectors":
        if not len(ds.sectors):
            raise ValueError(f"dataset {ds.name!r} has no sectors (no sectors.csv) to draw")
        fig, _ = plot_sectors(ds)
    elif kind == "timetable":
        from .reach import nearest_origin_dijkstra
        from .timetable import connections, format_clock, timetable_vs_links

        table = timetable_vs_links(connections(ds), G, origin, 3.0, depart)
        by_links = len(nearest_origin_dijkstra(G, [origin], 180.0)[0]) - 1
        fig, _ = plot_timetable_vs_links(
            table,
            names=ds.nodes["name"].to_dict(),
            title=f"From {ds.nodes.loc[origin, 'name']} leaving {format_clock(depart)}: "
            f"{len(table) - 1} stations within 3 h by timetable,\n{by_links} over the fastest "
            "links (above the diagonal: waiting, dwells and changes)",
        )
    elif kind == "scenario":
        name = scenario or next(iter(ds.scenarios), None)
        if name is None:
            raise ValueError("this dataset has no scenarios to draw")
        G2 = rail_graph(apply_scenario(ds, name))
        fig, _ = plot_scenario(
            travel_time_matrix(G),
            travel_time_matrix(G2),
            title=f"Scenario {name}: mean minutes to the other places",
        )
    else:
        raise ValueError(f"unknown diagram kind {kind!r}")
    return fig


def save_figure(
    fig: Figure,
    path: str | Path | IO[bytes],
    *,
    dpi: int = 200,
    fmt: str | None = None,
    close: bool = True,
) -> None:
    """Save ``fig`` (and close it unless ``close=False``); the format comes from the
    extension, or ``fmt`` for a file.

    Names in scripts that no installed font covers are drawn as boxes; instead of one
    matplotlib warning per character, one message is logged (``belt_graph.plot``) naming them.
    """
    plt = _plt()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.filterwarnings("always", r"Glyph \d+ .* missing from font", UserWarning)
            fig.savefig(path, dpi=dpi, bbox_inches="tight", pad_inches=0.15, format=fmt)
        missing = []
        for w in caught:
            text = str(w.message)
            if issubclass(w.category, UserWarning) and "missing from font" in text:
                missing.append(text.split("(")[1].split(")")[0] if "(" in text else text)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if missing:
            chars = " ".join(dict.fromkeys(missing))
            logger.warning(
                "labels hold characters no installed font has, drawn as boxes: %s", chars
            )
    finally:
        if close:
            plt.close(fig)
