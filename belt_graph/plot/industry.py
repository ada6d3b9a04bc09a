"""Figures of the measured sector layer: the industry space and the location quotients."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np

from ..dataset.core import Dataset
from ._style import Label, new_axes, place_labels, plt

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_industry_space", "plot_lq_heatmap"]

#: Links drawn besides the maximum spanning tree: proximities at least this strong (the product
#: space's convention of a backbone plus the strongest links, Hidalgo et al. 2007).
STRONG_PROXIMITY = 0.5


def plot_industry_space(ds: Dataset, *, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Draw the industry space: sectors linked by proximity, the places' specialisations marked.

    Nodes are the sections (area: their share of the measured total); links are the maximum
    spanning tree of the proximities plus every proximity of at least
    :data:`STRONG_PROXIMITY` (line width: the proximity). A sector's colour counts the
    dataset's places specialised in it (LQ >= 1), and its label lists them.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sector_measures.csv``.
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    import networkx as nx

    from ..sectors.measured import measured_layer, sector_name

    E, places, _, spec, phi = measured_layer(ds)
    full = nx.Graph()
    for s, t in itertools.combinations(phi.columns, 2):
        if phi.at[s, t] > 0:
            full.add_edge(s, t, weight=float(phi.at[s, t]))
    full.add_nodes_from(phi.columns)
    shown = nx.maximum_spanning_tree(full)
    for s, t, d in full.edges(data=True):
        if d["weight"] >= STRONG_PROXIMITY:
            shown.add_edge(s, t, **d)
    # distances of 1 - proximity: related sectors sit close, and the layout is deterministic
    for _, _, d in shown.edges(data=True):
        d["distance"] = 1.0 - d["weight"] + 0.05
    pos = nx.kamada_kawai_layout(shown, weight="distance")
    fig, ax = new_axes(ax, (11.0, 8.5))
    for s, t, d in shown.edges(data=True):
        (x0, y0), (x1, y1) = pos[s], pos[t]
        ax.plot([x0, x1], [y0, y1], color="#9e9e9e", lw=0.5 + 4 * d["weight"], zorder=1)
    share = E.sum(axis=0) / float(np.nansum(E.to_numpy()))
    mine = {s: [p for r, p in places.items() if bool(spec.at[r, s])] for s in phi.columns}
    counts = np.array([len(mine[s]) for s in phi.columns])
    cmap = plt().get_cmap("YlOrRd")
    top = max(int(counts.max()), 1)
    xs = [pos[s][0] for s in phi.columns]
    ys = [pos[s][1] for s in phi.columns]
    ax.scatter(
        xs, ys, s=[3000 * float(share[s]) + 60 for s in phi.columns],
        c=[cmap(0.15 + 0.85 * c / top) if c else "#f0f0f0" for c in counts],
        edgecolors="#444444", linewidths=0.8, zorder=3,
    )  # fmt: skip
    ax.set_axis_off()
    ax.margins(0.15)
    items = []
    for s in phi.columns:
        short = sector_name(str(s))  # a short name: never cut off mid-word
        if len(places) <= 12:  # a few places: name them; many: count them
            who = ", ".join(mine[s][:4]) + (f" +{len(mine[s]) - 4}" if len(mine[s]) > 4 else "")
        else:
            who = f"{len(mine[s])} places" if mine[s] else ""
        radius = math.sqrt((3000 * float(share[s]) + 60) / math.pi)
        x, y = pos[s]
        items.append(
            Label(x=float(x), y=float(y), text=f"{s} {short}" + (f"\n{who}" if who else ""),
                  priority=float(share[s]), radius_pt=radius, fontsize=7)
        )  # fmt: skip
    place_labels(ax, items)
    from matplotlib.lines import Line2D

    levels = sorted(set(counts.tolist()))
    if len(levels) > 5:  # a few steps of the scale, not every count
        levels = sorted({levels[round(k * (len(levels) - 1) / 4)] for k in range(5)})
    handles = [
        Line2D([], [], marker="o", ls="", markersize=9, markeredgecolor="#444444",
               color=cmap(0.15 + 0.85 * c / top) if c else "#f0f0f0",
               label=f"{c} of the {len(places)} places specialised")
        for c in levels
    ]  # fmt: skip
    handles.append(Line2D([], [], color="#9e9e9e", lw=2.5, label="proximity (width)"))
    for value in (0.02, 0.1, 0.3):  # the circles' area, as drawn: 3000 pt² x share + 60
        if value <= float(share.max()) * 1.5:
            handles.append(
                Line2D([], [], marker="o", ls="", color="white", markeredgecolor="#444444",
                       markersize=math.sqrt(3000 * value + 60),
                       label=f"{value:.0%} of the employment counted")
            )  # fmt: skip
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
              frameon=False, labelspacing=1.4, borderpad=1.0, handletextpad=1.5,
              title="colour: places specialised\narea: the section's share of\nthe "
              f"employment of {len(E.index)} cities", title_fontsize=8)  # fmt: skip
    regions = len(E.index)
    ax.set_title(
        f"The industry space of {regions} Chinese cities (employment 2019, GB/T 4754 sections):\n"
        f"links: the strongest proximities; colour: how many of the {len(places)} places are "
        "specialised (LQ >= 1)",
        fontsize=10,
    )
    return fig, ax


def plot_lq_heatmap(ds: Dataset, *, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Draw each place's location quotient in every sector (log scale, 1 = China's share).

    Cells hold the LQ; specialised cells (LQ >= 1) are outlined; unknown cells are grey.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sector_measures.csv``.
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    from matplotlib.colors import TwoSlopeNorm

    from ..sectors.measured import measured_layer, sector_name

    E, places, lq, _, _ = measured_layer(ds)
    lq = lq.loc[list(places)]
    m = ds.measures
    # a place shown with another region's profile says whose (the note's first clause)
    profile = {
        str(p): str(n).split(":")[0]
        for p, n in zip(m["place"], m["note"].fillna(""), strict=True)
        if p and n
    }
    for r, p in places.items():  # a section the place's profile leaves out: known, yet no LQ
        gone = [s for s in E.columns if math.isfinite(E.at[r, s]) and math.isnan(lq.at[r, s])]
        if gone and p in profile:
            profile[p] += " less " + ", ".join(map(sector_name, gone))
    places = {r: (f"{p} ({profile[p]})" if p in profile else p) for r, p in places.items()}
    many = len(places) > 40
    fig, ax = new_axes(ax, (12.0, 2.5 + 0.32 * min(len(places), 60)))
    values = np.log2(lq.to_numpy(dtype=float))
    limit = max(1.0, float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0)
    limit = min(limit, 3.0)
    cmap = plt().get_cmap("RdBu_r").with_extremes(bad="#d9d9d9")
    # one quad per cell: an image would be resampled to the page's pixels, which for hundreds
    # of places took 400 MiB of float copies while saving (a quad mesh draws the cells as such)
    rows, cols = values.shape
    image = ax.pcolormesh(
        np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5,
        np.ma.masked_invalid(np.clip(values, -limit, limit)),
        cmap=cmap, norm=TwoSlopeNorm(0.0, -limit, limit), shading="flat",
    )  # fmt: skip
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)  # the first place at the top, as in a table
    ax.set_xticks(range(len(lq.columns)), list(lq.columns))
    if many:  # hundreds of rows: no names, a count
        ax.set_yticks([])
        ax.set_ylabel(f"{len(places)} places, in the order of the dataset")
    else:
        ax.set_yticks(range(len(places)), list(places.values()))
    if not many:
        for i, j in itertools.product(range(lq.shape[0]), range(lq.shape[1])):
            v = lq.iat[i, j]
            if not math.isnan(v):
                dark = abs(math.log2(v)) > 0.6 * limit if v > 0 else True
                text = f"{v:.2f}" if 0.95 <= v < 1.05 else f"{v:.1f}"  # 0.99 is not 1.0
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color="white" if dark else "black",
                        fontweight="bold" if v >= 1 else "normal")  # fmt: skip
    bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.01)
    ticks = [t for t in (-3, -2, -1, 0, 1, 2, 3) if abs(t) <= limit]
    bar.set_ticks(ticks, labels=[f"{2.0**t:g}" for t in ticks])
    bar.set_label("location quotient (log scale)")
    ax.set_xlabel("GB/T 4754 section (A agriculture ... S public administration)")
    key = "grey: unknown" if many else "bold: specialised, LQ >= 1; grey: unknown"
    ax.set_title(
        f"Location quotients of employment, 2019, against {len(E.index)} Chinese cities ({key})",
        fontsize=10,
    )
    return fig, ax
