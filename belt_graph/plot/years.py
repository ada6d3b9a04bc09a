"""The network by year: journey times as lines opened, as a chart and as a map of the change."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..dataset.core import Dataset
from ._geo import draw_attribution, draw_context, frame, positions
from ._style import LINE_COLOURS, Label, minutes_text, new_axes, place_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_times_by_year", "plot_year_change_map"]


def _steps(table: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of :func:`~belt_graph.times_by_year` where a new line made a step."""
    return table[table["because"].astype(str) != ""]


def _line_colours(table: pd.DataFrame) -> dict[str, str]:
    lines = sorted({x for v in _steps(table)["because"] for x in str(v).split(";")})
    return {line: LINE_COLOURS[k % len(LINE_COLOURS)] for k, line in enumerate(lines)}


def plot_times_by_year(
    table: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Draw each journey's minutes year by year, and mark the line behind every step.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~belt_graph.times_by_year`'s table (one origin).
    names : mapping of str to str, optional
        Display names of node ids (default: the ids).
    title : str, optional
        The title (default: from the origin).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new figure).

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    Notes
    -----
    One line per destination, drawn as steps (a year's minutes hold until a line opens); a
    gap where no train reaches it. Each step caused by a line opened that year is a marker
    in that line's colour (legend: the line), the name of the destination and its minutes of
    the last year at the right end.
    """
    names = names or {}
    fig, ax = new_axes(ax, (9.5, 5.6))
    years = sorted(set(table["year"]))
    colours = _line_colours(table)
    dests = list(dict.fromkeys(table["destination"]))
    greys = ["#252525", "#525252", "#737373", "#969696", "#4d4d4d", "#636363", "#858585"]
    ends: list[Label] = []
    for k, d in enumerate(dests):
        rows = table[table["destination"] == d].sort_values("year")
        x = rows["year"].to_numpy(dtype=float)
        y = rows["minutes"].to_numpy(dtype=float)
        colour = greys[k % len(greys)]
        ax.step(x, y, where="post", color=colour, lw=1.6, zorder=3)
        last = rows.iloc[-1]
        if not math.isnan(last["minutes"]):
            ends.append(
                Label(
                    float(last["year"]),
                    float(last["minutes"]),
                    f"{names.get(d, d)} {minutes_text(last['minutes'])}",
                    priority=1.0,
                    radius_pt=2.0,
                    colour=colour,
                )
            )
    for r in _steps(table).to_dict("records"):
        for n, line in enumerate(str(r["because"]).split(";")):
            ax.scatter(
                [r["year"] + 0.12 * n],
                [r["minutes"]],
                s=46,
                color=colours[line],
                edgecolors="black",
                lw=0.5,
                zorder=5,
            )
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", ls="", color=c, markeredgecolor="black", label=line)
        for line, c in colours.items()
    ]
    if handles:
        ax.legend(
            handles=handles,
            title="a step: the line opened that year\nthat the new fastest journey rides",
            title_fontsize=8,
            fontsize=8,
            loc="upper right",
            framealpha=0.95,
        )
    ax.set_xlim(years[0] - 0.5, years[-1] + 2.8)
    ax.set_xticks(years[:: max(1, len(years) // 12)])
    top = float(np.nanmax(table["minutes"].to_numpy(dtype=float))) if len(table) else 1.0
    ax.set_ylim(0, top * 1.08)
    ax.set_xlabel("year (the network at its end: lines opened by then, today's trains)")
    ax.set_ylabel("minutes, door to door")
    ax.grid(axis="y", color="#e0e0e0", lw=0.6, zorder=0)
    origin = str(table["origin"].iat[0]) if len(table) else ""
    ax.set_title(
        title or f"Fastest journeys from {names.get(origin, origin)}, year by year",
        fontsize=11,
        loc="left",
    )
    place_labels(ax, ends)
    return fig, ax


def plot_year_change_map(
    ds: Dataset,
    table: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Map what the years changed: each destination with its minutes then and now, and why.

    Parameters
    ----------
    ds : Dataset
        The dataset (positions, map context, the track drawn faintly).
    table : pandas.DataFrame
        :func:`~belt_graph.times_by_year`'s table (one origin).
    names : mapping of str to str, optional
        Display names of node ids (default: the ids).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new figure).

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    Notes
    -----
    A destination's circle grows with the minutes saved from the first year it was reached
    to the last year of the table; its label gives both, and the line behind its largest
    step with that step's year. A destination no faster than at first is a small grey dot.
    """
    names = names or {}
    fig, ax = new_axes(ax, (11.0, 7.6))
    pos, _ = positions(ds.nodes)
    draw_context(ax, ds)
    links = ds.links[ds.links["status"] == "open"]
    if "kind" in links.columns:
        links = links[links["kind"].isin(["track", "section"])]
    for u, v in zip(links["source"], links["target"], strict=True):
        a, b = pos.get(str(u)), pos.get(str(v))
        if a is not None and b is not None:
            ax.plot([a[0], b[0]], [a[1], b[1]], color="#bdbdbd", lw=1.0, zorder=2)
    colours = _line_colours(table)
    origin = str(table["origin"].iat[0]) if len(table) else ""
    labels: list[Label] = []
    xs, ys = [], []
    used: set[str] = set()
    for d in dict.fromkeys(table["destination"]):
        if d not in pos:
            continue
        rows = table[(table["destination"] == d) & table["minutes"].notna()].sort_values("year")
        x, y = pos[d]
        xs.append(x)
        ys.append(y)
        if not len(rows):
            ax.scatter([x], [y], s=20, color="#bdbdbd", zorder=4)
            labels.append(Label(x, y, f"{names.get(d, d)}: no train", radius_pt=3))
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        saved = float(first["minutes"] - last["minutes"])
        steps = _steps(rows)
        change = steps["change_minutes"].fillna(0.0)
        big = steps.loc[change.idxmin()] if len(steps) else None
        why = str(big["because"]).split(";")[0] if big is not None else ""
        size = 30 + 4.0 * max(saved, 0.0)
        if why and saved > 0:
            used.add(why)
        ax.scatter(
            [x],
            [y],
            s=size,
            color=colours.get(why, "#bdbdbd") if saved > 0 else "#bdbdbd",
            edgecolors="black",
            lw=0.6,
            alpha=0.9,
            zorder=5,
        )
        text = (
            f"{names.get(d, d)}: {minutes_text(first['minutes'])} ({int(first['year'])}) → "
            f"{minutes_text(last['minutes'])} ({int(last['year'])})"
        )
        if big is not None and saved > 0:
            text += f"\n−{saved:.0f} min; largest step {int(big['year'])}: {why}"
        labels.append(
            Label(x, y, text, priority=saved, radius_pt=math.sqrt(size) / 2, fontsize=7.5)
        )
    if origin in pos:
        x, y = pos[origin]
        xs.append(x)
        ys.append(y)
        ax.scatter([x], [y], marker="*", s=260, color="black", zorder=6)
        labels.append(Label(x, y, f"{names.get(origin, origin)} (origin)", priority=1e9, bold=True))
    frame(ax, ds, np.array(xs), np.array(ys))
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", ls="", ms=8, color=c, markeredgecolor="black", label=line)
        for line, c in colours.items()
        if line in used
    ]
    handles.append(Line2D([], [], marker="o", ls="", ms=5, color="#bdbdbd", label="no faster"))
    ax.legend(
        handles=handles,
        title="colour: the line behind the largest step\nsize: minutes saved",
        title_fontsize=7.5,
        fontsize=7.5,
        loc="upper left",
        framealpha=0.95,
    )
    place_labels(ax, labels)
    ax.set_title(
        f"What the new lines changed: fastest journeys from {names.get(origin, origin)}, door to "
        "door, first year reached against the last",
        fontsize=10.5,
        loc="left",
    )
    draw_attribution(ax, ds)
    return fig, ax
