"""Critical links: the track coloured and sized by what closing each link costs, and a ranking."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..dataset.core import Dataset
from ._geo import draw_attribution, draw_context, frame, positions
from ._style import Label, new_axes, place_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_critical_links", "plot_criticality_map"]


def _link_name(row: pd.Series) -> str:
    return f"{row['source_name']} – {row['target_name']}"


def plot_criticality_map(
    ds: Dataset,
    table: pd.DataFrame,
    *,
    label_top: int = 6,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Map the track links coloured and widened by their ``loss`` (:func:`~belt_graph.criticality`).

    Parameters
    ----------
    ds : Dataset
        The dataset (positions, the map context).
    table : pandas.DataFrame
        :func:`~belt_graph.criticality`'s table (``by="link"``).
    label_top : int, default 6
        How many of the most critical links are named on the map.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new figure).

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.
    """
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import ListedColormap, Normalize

    fig, ax = new_axes(ax, (11.0, 7.6))
    pos, _ = positions(ds.nodes)
    draw_context(ax, ds)
    loss = table["loss"].astype(float).fillna(0.0)
    top = float(loss.max()) if len(loss) and loss.max() > 0 else 1.0
    norm = Normalize(vmin=0.0, vmax=top)
    # YlOrRd from a quarter up: the least critical links still show on the pale map
    cmap = ListedColormap(colormaps["YlOrRd"](np.linspace(0.25, 1.0, 256)))
    xs: list[float] = []
    ys: list[float] = []
    labels: list[Label] = []
    # the least critical first, so that the most critical are drawn on top
    for _, row in table.assign(_l=loss).sort_values("_l", kind="stable").iterrows():
        a, b = pos.get(str(row["source"])), pos.get(str(row["target"]))
        if a is None or b is None:
            continue
        value = float(row["_l"])
        ax.plot(
            [a[0], b[0]],
            [a[1], b[1]],
            color=cmap(norm(value)) if value > 0 else "#c8c8c8",
            lw=0.8 + 5.0 * value / top,
            solid_capstyle="round",
            zorder=3 + value / top,
            ls="--" if row.get("kind") == "section" else "-",
        )
        xs += [a[0], b[0]]
        ys += [a[1], b[1]]
    ranked = table.assign(_l=loss).sort_values("_l", ascending=False, kind="stable")
    for k, (_, row) in enumerate(ranked.head(label_top).iterrows()):
        a, b = pos.get(str(row["source"])), pos.get(str(row["target"]))
        if a is None or b is None or not row["_l"] > 0:
            continue
        mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        labels.append(
            Label(
                mx,
                my,
                f"{k + 1}. {_link_name(row)}: +{row['_l']:.1f} min",
                priority=float(row["_l"]),
                fontsize=7.5,
                bold=k == 0,
            )
        )
    places = ds.nodes[ds.nodes["kind"].isin(["city", "district"])] if "kind" in ds.nodes else None
    if places is not None and len(places) <= 40:
        for _, p in places.iterrows():
            if not (math.isfinite(float(p["lon"])) and math.isfinite(float(p["lat"]))):
                continue
            ax.scatter([p["lon"]], [p["lat"]], s=28, color="#1f3a5f", zorder=6, marker="s")
            labels.append(Label(float(p["lon"]), float(p["lat"]), str(p["name"]), priority=1e6))
    frame(ax, ds, np.array(xs), np.array(ys))
    place_labels(ax, labels)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.01)
    bar.set_label("loss: mean extra minutes between places (population-weighted)", fontsize=8)
    ax.set_title(
        "Which track link would hurt most: each closed with every train riding it\n"
        "(colour and width: loss, grey where none; dashed: track passed without a stop; "
        "squares: places)",
        fontsize=10.5,
        loc="left",
    )
    draw_attribution(ax, ds)
    return fig, ax


def plot_critical_links(
    table: pd.DataFrame, *, top: int = 15, ax: Axes | None = None
) -> tuple[Figure, Axes]:
    """Bar chart of the ``top`` most critical track links by ``loss``, with their cut pairs.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~belt_graph.criticality`'s table (``by="link"``).
    top : int, default 15
        How many links.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new figure).

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.
    """
    rows = table.sort_values("loss", ascending=False, kind="stable").head(top)
    rows = rows[rows["loss"] > 0]
    fig, ax = new_axes(ax, (9.0, 0.9 + 0.34 * max(len(rows), 1)))
    if not len(rows):
        ax.text(0.5, 0.5, "no closure of a single track link slows any journey", ha="center")
        ax.set_axis_off()
        return fig, ax
    y = np.arange(len(rows))[::-1]
    ax.barh(y, rows["loss"], color="#d95f0e", height=0.7)
    names = [f"{_link_name(r)} ({r['line']})" for _, r in rows.iterrows()]
    ax.set_yticks(y, names, fontsize=7.5)
    for yy, (_, r) in zip(y, rows.iterrows(), strict=True):
        extra = f"  {r['loss']:.1f} min; {r['pair_share']:.0%} of pairs slower"
        if r["disconnected"]:
            extra += f", {int(r['disconnected'])} cut off"
        ax.text(r["loss"], yy, extra, va="center", fontsize=7)
    ax.set_xlim(0, float(rows["loss"].max()) * 1.45)
    ax.set_xlabel(
        "loss: population-weighted mean extra minutes between places when the link closes "
        "with its trains",
        fontsize=8,
    )
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"The {len(rows)} most critical track links", fontsize=10.5, loc="left")
    return fig, ax
