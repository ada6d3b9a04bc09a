"""Charts: travel-time matrix, centrality, sectors, scenarios, timetable and years compared.

Each function draws the tables it is given (computed by the analyses) and returns
``(fig, ax)``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize

from ._style import LINE_COLOURS, Label, minutes_text, new_axes, place_labels, plt

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "plot_centrality",
    "plot_matrix",
    "plot_reach_over_day",
    "plot_scenario",
    "plot_sectors",
    "plot_timetable_vs_links",
    "plot_year_comparison",
]

#: Above this many rows a matrix is drawn without cell numbers or names.
LARGE_MATRIX = 40


#: A matrix heat map shows at most this many rows and columns (larger ones in blocks).
MATRIX_PIXELS = 600


def _block_median(data: np.ndarray, block: int) -> np.ndarray:
    """Return the median of each ``block`` x ``block`` square (NaN: unreachable, left out)."""
    n = data.shape[0]
    k = math.ceil(n / block)
    padded = np.full((k * block, k * block), np.nan)
    padded[:n, :n] = data
    cells = padded.reshape(k, block, k, block).transpose(0, 2, 1, 3).reshape(k, k, block * block)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-unreachable block
            return np.nanmedian(cells, axis=2)


def plot_matrix(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    order: list[str] | None = None,
    names: Mapping[str, str] | None = None,
    title: str = "Fastest rail travel time (minutes)",
    landmarks: Sequence[str] = (),
    unit: str = "places",
) -> tuple[Figure, Axes]:
    """Heat map of a travel-time matrix, annotated in minutes (– = unreachable).

    ``names`` (id -> name) labels the rows and columns. A matrix too large to number names only
    its ``landmarks`` (the largest places, say) on both axes, where they fall in the order.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Minutes between places (:func:`~belt_graph.travel_time_matrix`).
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.
    order : list of str, optional
        The order of rows and columns (default: the matrix's).
    names : mapping of str to str, optional
        Display names of node ids (default: the ids).
    title : str
        The title.
    landmarks : sequence of str
        Node ids named on the axes of a large matrix.
    unit : str
        What the rows are, in the axis labels of a large matrix (``places``, ``stops``).

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    fig, ax = new_axes(ax, (8, 7))
    m = matrix.loc[order, order] if order else matrix
    data = m.to_numpy(float)
    block = math.ceil(len(m) / MATRIX_PIXELS) if len(m) > MATRIX_PIXELS else 1
    if block > 1:
        # more places than a figure has pixels: each cell the median of a block of places
        data = _block_median(data, block)
    # the colours are mapped once, to bytes: matplotlib resamples an image of numbers to the
    # figure's pixels in floats (a national matrix: 150 MiB for one PNG), an image of bytes as
    # bytes; the colour bar reads the same scale
    finite = data[np.isfinite(data)]
    im = ScalarMappable(
        Normalize(0.0, float(finite.max()) if finite.size else 1.0), colormaps["YlOrRd"]
    )
    ax.imshow(im.to_rgba(np.ma.masked_invalid(data), bytes=True), interpolation="nearest")
    if len(m) > LARGE_MATRIX:
        # too many cells to number: the pattern is the message, the landmarks name its places
        where = {str(x): i // block for i, x in enumerate(m.index)}
        named = names or {}
        # in order of importance, each landmark at least a 30th of the axis from those kept
        gap = max(1.0, data.shape[0] / 30)
        marks: list[tuple[int, str]] = []
        for x in landmarks:
            i = where.get(str(x))
            if i is not None and all(abs(i - j) >= gap for j, _ in marks):
                marks.append((i, str(named.get(x, x))))
        marks.sort()
        ax.set_xticks([i for i, _ in marks], [t for _, t in marks], rotation=90, fontsize=7)
        ax.set_yticks([i for i, _ in marks], [t for _, t in marks], fontsize=7)
        per = f"; each cell: the median of {block} x {block} places" if block > 1 else ""
        ax.set_xlabel(f"destination ({len(m):,} {unit}{per})")
        ax.set_ylabel(f"origin ({len(m):,} {unit})")
        fig.colorbar(im, ax=ax, shrink=0.75, label="minutes (white: unreachable)")
        ax.set_title(title)
        return fig, ax
    top = np.nanmax(data) if np.isfinite(data).any() else 0.0
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            txt = "–" if math.isnan(v) else f"{v:.0f}"
            dark = not math.isnan(v) and v > top * 0.6
            ax.text(
                j, i, txt, ha="center", va="center", fontsize=8, color="white" if dark else "black"
            )
    labels = [str((names or {}).get(x, x)) for x in m.index]
    ax.set_xticks(range(len(m.columns)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(m.index)), labels)
    fig.colorbar(im, ax=ax, shrink=0.75, label="minutes (–: unreachable)")
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
    unit: str = "places",
    networks: Mapping[str, str] | None = None,
) -> tuple[Figure, Axes]:
    """Dot plot of each place's rank under each centrality measure (1 = most central).

    ``table`` is :func:`~belt_graph.centralities.centrality`; each measure's column says its
    network, and so does its axis label. With more than 15 places: dots of the top places by
    closeness, harmonic closeness and betweenness instead.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~belt_graph.centrality`'s table.
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.
    measures : tuple of str
        The columns to draw, when the table has them.
    unit : str, default "places"
        What the rows are, in the title ("stops" for a bus feed's stops).
    networks : mapping, optional
        A network's name in the labels, by the suffix of its columns: ``{"track": "route"}``
        labels ``betweenness_track`` "betweenness (route network)".

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    from ..centralities import measure

    names = dict(networks or {})
    if len(table) > 15:
        return _centrality_top(table, unit=unit, networks=names)
    fig, ax = new_axes(ax, (10, 5.8))
    columns = [measure(table, m) for m in measures]
    columns = [m for m in columns if f"rank_{m}" in table and table[m].notna().any()]
    # a measure on which every place but at most one ties says nothing (PageRank of a star:
    # the centre and all the rest): left out, with a note
    silent = [
        m
        for m in columns
        if len(table) >= 3 and table[m].round(12).value_counts().iloc[0] >= len(table) - 1
    ]
    if len(silent) == len(columns):
        silent = []  # nothing tells the places apart: show the ties rather than nothing
    columns = [m for m in columns if m not in silent]
    first = f"rank_{columns[0]}" if columns else "name"
    order = table.sort_values([first, "name"]).index.tolist()
    n = len(order)
    # tied places stand side by side in their column, in the order of the first measure
    shift: dict[tuple[str, str], float] = {}
    for m in columns:
        for _, tied in table.loc[order].groupby(f"rank_{m}", sort=False):
            for j, node in enumerate(tied.index):
                shift[str(node), m] = (j - (len(tied) - 1) / 2) * min(0.09, 0.6 / len(tied))
    for i, node in enumerate(order):
        ranks = [float(table.loc[node, f"rank_{m}"]) for m in columns]
        xs = [k + shift[str(node), m] for k, m in enumerate(columns)]
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        ax.plot(xs, ranks, "-o", color=colour, lw=1.6, ms=7, label=node)
        ax.text(
            xs[0] - 0.08,
            ranks[0],
            str(table.loc[node, "name"]),
            va="center",
            ha="right",
            fontsize=8,
            color=colour,
        )
    ax.set_xticks(range(len(columns)), [_measure_label(m, names) for m in columns], fontsize=8)
    ax.set_yticks(range(1, n + 1))
    ax.set_ylim(n + 0.5, 0.5)
    ax.set_xlim(-1.0, len(columns) - 1 + 0.3)
    ax.set_ylabel("rank (1 = most central)")
    ax.set_title(
        "Centrality ranks by measure (accessibility: population, exponential decay 60 min)"
    )
    ax.grid(axis="y", color="#eeeeee")
    ties = any(table[f"rank_{m}"].duplicated().any() for m in columns)
    notes = ["Dots side by side are places that tie."] if ties else []
    if silent:
        left = ", ".join(_measure_label(m, names).replace("\n", " ") for m in silent)
        notes.append(
            f"Not drawn: {left}, where every place but at most one ties, so the measure "
            "tells no more than one place apart."
        )
    if notes:
        ax.set_xlabel(
            textwrap.fill(" ".join(notes), 150), fontsize=7.5, color="#444444", loc="left"
        )
    return fig, ax


def _measure_label(column: str, networks: Mapping[str, str] | None = None) -> str:
    """Return a measure's axis label: ``closeness_service`` -> closeness (service network)."""
    name, _, net = column.rpartition("_")
    net = (networks or {}).get(net, net)
    layer = "partnership layer" if net == "partnerships" else f"{net} network"
    return f"{name.replace('_', ' ')}\n({layer})"


def _centrality_top(
    table: pd.DataFrame, top: int = 20, *, unit: str, networks: Mapping[str, str]
) -> tuple[Figure, Axes]:
    from matplotlib.ticker import MaxNLocator

    from ..centralities import measure

    columns = [measure(table, m) for m in ("closeness", "harmonic", "betweenness")]
    units = {"closeness": "1/min", "harmonic": "1/min", "betweenness": "share of routes"}
    fig, axes = plt().subplots(1, 3, figsize=(13, 6.5), layout="constrained")
    for ax, m in zip(axes, columns, strict=True):
        best = table[m].sort_values(ascending=False).head(top)
        names = [str(table.at[n, "name"]) for n in best.index]
        # dots, not bars: the top values differ by a few per cent, which bars from 0 would hide
        ax.scatter(best.to_numpy(), range(len(best)), s=36, color="#3182bd", zorder=3)
        ax.set_yticks(range(len(best)), names, fontsize=8)
        ax.invert_yaxis()
        name = m.rpartition("_")[0]
        label = _measure_label(m, networks).replace(chr(10), " ")
        ax.set_xlabel(f"{label} ({units.get(name, '')})")
        ax.grid(color="#eeeeee", zorder=0)
        # few ticks: long values (closeness, 0.00245) ran into each other
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.set_title(f"top {len(best)} by {name}", fontsize=10)
    fig.suptitle(f"Centrality of {len(table):,} {unit}")
    return fig, axes[0]


def plot_sectors(
    matrix: pd.DataFrame,
    clusters: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Place x sector matrix grouped by cluster, with each pair's complementarity alongside.

    ``matrix`` is :func:`~belt_graph.sectors.sector_matrix`, ``clusters``
    :func:`~belt_graph.sectors.clusters` and ``pairs`` :func:`~belt_graph.sectors.sector_pairs`.
    A square marks a sector that names a whole family (``matrix.attrs["family_wide"]``, as
    :func:`~belt_graph.sector_matrix` sets it). The second panel draws the pairs whose
    complementarity is above 0, highest first (at most :data:`TOP_PAIRS`), each with its
    related-but-different sectors; a note says how many pairs score 0.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`~belt_graph.sector_matrix`'s place x sector table.
    clusters : pandas.DataFrame
        :func:`~belt_graph.clusters`'s table.
    pairs : pandas.DataFrame
        :func:`~belt_graph.sector_pairs`'s table.
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    M = matrix
    wide = set(matrix.attrs.get("family_wide", ()))
    place_cluster = clusters[clusters["node_type"] == "place"]["cluster"]
    order = sorted(M.index, key=lambda p: (place_cluster.get(p, 99), p))
    M = M.loc[order]
    if ax is None:
        fig, (ax, ax2) = plt().subplots(
            1, 2, figsize=(14, 6), layout="constrained", gridspec_kw={"width_ratios": [1.7, 1]}
        )
    else:
        fig, ax2 = ax.figure, None
    fams = [f for f, _ in M.columns]
    fam_names = sorted(set(fams))
    fam_col = {f: LINE_COLOURS[i % len(LINE_COLOURS)] for i, f in enumerate(fam_names)}
    for i, _p in enumerate(order):
        for j, (f, s) in enumerate(M.columns):
            if M.iloc[i, j]:
                marker = "s" if s in wide else "o"
                ax.scatter(j, i, s=140, c=fam_col[f], marker=marker, edgecolors="black", zorder=3)
    ax.set_xticks(
        range(len(M.columns)), [s for _, s in M.columns], rotation=60, ha="right", fontsize=8
    )
    ax.set_yticks(range(len(order)), [f"{p} (cluster {place_cluster.get(p, '-')})" for p in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.grid(color="#eeeeee", zorder=0)
    for f in fam_names:
        ax.scatter([], [], c=fam_col[f], edgecolors="black", label=f)
    if wide & {s for _, s in M.columns}:
        ax.scatter(
            [],
            [],
            c="white",
            marker="s",
            edgecolors="black",
            label="square: names the whole family (overlap, never a complement)",
        )
    fig.legend(
        title="sector family",
        fontsize=8,
        title_fontsize=8,
        loc="outside lower center",
        ncol=min(len(fam_names), 6),
    )
    ax.set_title("Each place's listed sectors (canonical names), grouped by cluster")
    if ax2 is not None:
        _complementary_bars(ax2, pairs, set(order))
    return fig, ax


#: At most this many complementary pairs are drawn beside the sector matrix.
TOP_PAIRS = 12


def _complementary_bars(ax: Axes, pairs: pd.DataFrame, places: set[Any]) -> None:
    """Draw the pairs that complement each other, highest first, with their sectors in words.

    A matrix of every pair was mostly zeros (on the belt 26 of 28 pairs): only the pairs
    above 0 carry information, and the note says how many the others are.
    """
    inside = pairs[pairs["origin"].isin(places) & pairs["destination"].isin(places)]
    best = inside[inside["complementarity"] > 0].head(TOP_PAIRS)
    zero = int((inside["complementarity"] == 0).sum())
    y = np.arange(len(best))
    ax.barh(y, best["complementarity"], color="#807dba", height=0.6, zorder=3)
    for k, r in enumerate(best.to_dict("records")):
        ax.text(r["complementarity"] + 0.01, k, f"{r['complementarity']:.2f}", va="center")
        words_ = str(r["complementary_sectors"]).replace(";", "; ")
        ax.text(
            0.02, k + 0.42, textwrap.shorten(words_, 70), va="center", fontsize=7,
            color="#404040",
        )  # fmt: skip
    ax.set_yticks(y, [f"{r['origin']} - {r['destination']}" for r in best.to_dict("records")])
    ax.set_ylim(len(best) - 0.1 if len(best) else 1, -0.6)
    ax.set_xlim(0, 1)
    ax.set_xlabel(
        "complementarity (0-1): the share of the sectors only one of the two\n"
        "lists that a related sector of the other complements"
    )
    shown = f"the top {len(best)}" if len(best) == TOP_PAIRS else "every pair above 0"
    why = f"the {zero} other pairs score 0" if zero else ""
    if not len(best):
        ax.text(0.5, 0.5, "no pair scores above 0", ha="center", transform=ax.transAxes)
    ax.set_title(f"Complementary pairs: {shown}" + (f";\n{why}" if why else ""))
    ax.grid(axis="x", color="#eeeeee", zorder=0)


#: A place's mean minutes that move by no more than this are drawn as unchanged.
UNCHANGED_MINUTES = 0.05


def plot_scenario(
    base_minutes: pd.DataFrame,
    scenario_minutes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    names: Mapping[str, str] | None = None,
    title: str = "Scenario",
) -> tuple[Figure, Axes]:
    """Bar chart of each place's mean minutes to the others, before and after a scenario.

    Only the places whose mean changes are drawn (by more than :data:`UNCHANGED_MINUTES`, or
    gaining or losing every partner), the largest change first; a note under the axes names
    the others.

    Parameters
    ----------
    base_minutes : pandas.DataFrame
        The base network's matrix.
    scenario_minutes : pandas.DataFrame
        The scenario's matrix over the same places.
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.
    names : mapping of str to str, optional
        Display names of node ids (default: the ids).
    title : str
        The title.

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    fig, ax = new_axes(ax, (9, 5))

    def mean(m: pd.DataFrame) -> pd.Series:
        return m.where(~np.eye(len(m), dtype=bool)).mean(axis=1)

    b, s = mean(base_minutes), mean(scenario_minutes)
    d = s - b
    # a place whose mean changes (or which gains or loses every partner); largest change first
    moved = (d.abs() > UNCHANGED_MINUTES) | (b.isna() != s.isna())
    order = d[moved].abs().fillna(math.inf).sort_values(ascending=False, kind="stable")
    order = order.index.tolist()
    same = [str((names or {}).get(n, n)) for n in b.index if not moved[n]]
    y = np.arange(len(order))
    ax.barh(y - 0.2, b[order], height=0.4, color="#bdbdbd", label="base")
    ax.barh(y + 0.2, s[order], height=0.4, color="#3182bd", label="scenario")
    for i, n in enumerate(order):
        at = np.nanmax([b[n], s[n]]) + 1
        text = f"{d[n]:+.1f} min" if math.isfinite(d[n]) else "newly (un)connected"
        ax.text(at, i, text, va="center", fontsize=8)
    ax.set_yticks(y, [str((names or {}).get(n, n)) for n in order])
    ax.invert_yaxis()
    ax.set_xlabel("mean fastest minutes to the other places (no bar: reaches none)")
    top = float(np.nanmax([b.max(), s.max(), 0.0]))
    ax.set_xlim(0, top * 1.2 if top > 0 else 60.0)
    if not order:
        ax.text(0.5, 0.5, "no place's mean minutes change", ha="center", transform=ax.transAxes)
    if same and order:
        note = f"Not shown, unchanged (within {UNCHANGED_MINUTES:g} min): {', '.join(same)}."
        ax.annotate(
            textwrap.fill(note, 120),
            (0, 0),
            xycoords="axes fraction",
            xytext=(0, -34),
            textcoords="offset points",
            va="top",
            fontsize=8,
            color="#404040",
        )
    ax.legend(loc="lower right")
    ax.set_title(title)
    return fig, ax


CHANGE_COLOURS = ["#3182bd", "#fd8d3c", "#d62728", "#6a51a3"]


def plot_timetable_vs_links(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = "",
    names: Mapping[str, str] | None = None,
    annotate: int = 3,
) -> tuple[Figure, Axes]:
    """Scatter of fastest-link minutes (x) against timetable minutes (y) from one origin.

    ``table`` is :func:`~belt_graph.timetable.timetable_vs_links`; points above the diagonal
    show the waiting, dwelling and changing the timetable imposes. Colour: changes of train.
    The ``annotate`` stations with the most imposed minutes are named (``names``: id -> name).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~belt_graph.timetable_vs_links`'s table.
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.
    title : str
        The title.
    names : mapping of str to str, optional
        Display names of node ids (default: the ids).
    annotate : int, default 3
        How many stations with the largest difference to name.

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    fig, ax = new_axes(ax, (7.5, 6.5))
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
    ax.set_xlim(0, top * 1.03)
    ax.set_ylim(0, top * 1.03)
    ax.set_aspect("equal")
    ax.set_xlabel("fastest route over the links (minutes, no waiting)")
    ax.set_ylabel("earliest arrival by the timetable (minutes after the departure time)")
    ax.grid(color="#eeeeee", zorder=0)
    ax.legend(loc="upper left", fontsize=8, title="by timetable", title_fontsize=8)
    ax.set_title(title or "Timetable against fastest links", fontsize=10)
    worst = t["imposed_minutes"].sort_values(ascending=False).index[:annotate]
    place_labels(
        ax,
        [
            Label(
                float(t.at[n, "link_minutes"]),
                float(t.at[n, "minutes"]),
                f"{(names or {}).get(n, n)} +{minutes_text(float(t.at[n, 'imposed_minutes']))}",
                priority=float(t.at[n, "imposed_minutes"]),
                radius_pt=4,
            )
            for n in worst
        ],
    )
    return fig, ax


def plot_year_comparison(
    table: pd.DataFrame,
    *,
    years: Sequence[str] = ("2020", "2024"),
    claims: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
    title: str = "Fastest scheduled time from Shanghai to each city",
) -> tuple[Figure, Axes]:
    """Dumbbell chart: fastest minutes from each origin to each destination in two years.

    ``table`` is :func:`~belt_graph.scenario.fastest_times` with networks labelled by
    ``years``; one panel per origin. ``claims`` (optional: ``destination``, ``low``,
    ``high``) draws the range a claim allows as a grey band.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~belt_graph.fastest_times`'s table.
    years : sequence of str
        The networks compared, as the table's columns name them.
    claims : pandas.DataFrame, optional
        Ranges the article claims, by ``destination`` (``low``, ``high``).
    names : mapping of str to str, optional
        Display names of node ids (default: the ids).
    title : str
        The title.

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    from matplotlib.lines import Line2D

    origins = list(dict.fromkeys(table["origin"]))
    # one panel per origin, stacked on one time axis: side by side, three panels shrank to a
    # third of the page width each and their labels could not be read in the report
    fig, axes = plt().subplots(
        len(origins),
        1,
        figsize=(8.5, 0.42 * table["destination"].nunique() * len(origins) + 1.6),
        layout="constrained",
        sharex=True,
        squeeze=False,
    )
    panels = list(axes[:, 0])
    a, b = years
    dests = list(dict.fromkeys(table["destination"]))
    y = {d: i for i, d in enumerate(dests)}
    top = float(np.nanmax(table[[f"minutes_{a}", f"minutes_{b}"]].to_numpy(float)))
    if claims is not None and len(claims):
        top = max(top, float(np.nanmax(claims[["low", "high"]].to_numpy(float))))
    for ax, origin in zip(panels, origins, strict=True):
        rows = table[table["origin"] == origin]
        if claims is not None:
            for r in claims.to_dict("records"):
                if r["destination"] in y:
                    lo = r["low"] if not math.isnan(r["low"]) else 0
                    hi = r["high"] if not math.isnan(r["high"]) else top * 1.1
                    yy = y[r["destination"]]
                    ax.fill_betweenx([yy - 0.35, yy + 0.35], lo, hi, color="#eeeeee", zorder=0)
        for r in rows.to_dict("records"):
            yy = y[r["destination"]]
            m0, m1 = r[f"minutes_{a}"], r[f"minutes_{b}"]
            if not (math.isnan(m0) or math.isnan(m1)):
                ax.plot([m0, m1], [yy, yy], color="#9ecae1", lw=2.5, zorder=2)
            ax.scatter([m0], [yy], s=55, color="#969696", edgecolors="black", lw=0.5, zorder=3)
            ax.scatter([m1], [yy], s=70, color="#08519c", edgecolors="black", lw=0.5, zorder=4)
            if not math.isnan(m1):
                ax.annotate(  # just above the 2024 dot, in screen points
                    minutes_text(m1),
                    (m1, yy),
                    xytext=(0, 6),
                    textcoords="offset points",
                    fontsize=7.5,
                    ha="center",
                    va="bottom",
                    color="#08519c",
                )
        ax.set_title(f"from {(names or {}).get(origin, origin)}", fontsize=10, loc="left")
        ax.set_xlim(0, top * 1.1)
        ax.grid(axis="x", color="#eeeeee", zorder=0)
        ax.set_yticks(range(len(dests)), [str((names or {}).get(d, d)) for d in dests])
        ax.set_ylim(len(dests) - 0.4, -0.7)  # first destination on top, room for the labels
    panels[-1].set_xlabel("minutes (in the train and changing; no waiting)")
    handles = [
        Line2D([], [], marker="o", ls="", color="#969696", mec="black", label=f"{a} network"),
        Line2D([], [], marker="o", ls="", color="#08519c", mec="black", label=f"{b} network"),
    ]
    if claims is not None and len(claims):
        handles.append(Line2D([], [], color="#eeeeee", lw=8, label="range the article allows"))
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=8)
    fig.suptitle(title)
    return fig, panels[0]


def plot_reach_over_day(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = "",
    names: Mapping[str, str] | None = None,
    weight: str = "auto",
) -> tuple[Figure, Axes]:
    """Destinations reached within N hours, by departure time, per origin: counts, not shares.

    ``table`` is :func:`~belt_graph.timetable.window.reach_over_day`. Colour: the origin; line
    style: the hours. ``weight``: ``population`` (people in the destinations reached, millions),
    ``count`` (destinations reached), or ``auto`` (population when the table has it).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~belt_graph.timetable.reach_over_day`'s table.
    ax : matplotlib.axes.Axes, optional
        The axes to draw into; a new figure when None.
    title : str
        The title.
    names : mapping of str to str, optional
        Display names of node ids (default: the ids).
    weight : {"auto", "population", "count"}, default "auto"
        What the share counts (see above).

    Returns
    -------
    tuple of (Figure, Axes)
        The figure and the axes drawn into.

    """
    from matplotlib.lines import Line2D

    fig, ax = new_axes(ax, (10, 5.5))
    col, scale = "reached", 1.0
    if weight == "population" or (weight == "auto" and "population_reached" in table.columns):
        col, scale = "population_reached", 1e-6
    styles = ["-", "--", ":", "-."]
    origins = list(dict.fromkeys(table["origin"]))
    hours = sorted(table["hours"].unique())
    for i, o in enumerate(origins):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        for k, h in enumerate(hours):
            sel = table[(table["origin"] == o) & (table["hours"] == h)]
            ax.plot(
                sel["departure"] / 60,
                sel[col] * scale,
                color=colour,
                ls=styles[k % len(styles)],
                lw=1.8,
                drawstyle="steps-post",
            )
    ax.set_xlabel("departure time (hour of day)")
    of = int(table["destinations"].max()) if len(table) else 0
    ax.set_ylabel(
        "people in the destinations reached (million)"
        if col == "population_reached"
        else f"destinations reached (of {of:,})"
    )
    top = float(table[col].max()) * scale if len(table) else 1.0
    ax.set_ylim(0, max(top * 1.15, 1.0))
    if col == "reached":
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    lo, hi = float(table["departure"].min()) / 60, float(table["departure"].max()) / 60
    ax.set_xlim(lo, hi)
    ax.set_xticks(np.arange(math.floor(lo), math.ceil(hi) + 1, 2 if hi - lo > 8 else 1))
    ax.set_xticklabels([f"{int(x) % 24:02d}:00" for x in ax.get_xticks()])
    ax.grid(color="#eeeeee", zorder=0)
    handles = [
        Line2D([], [], color=LINE_COLOURS[i % len(LINE_COLOURS)], lw=2.4,
               label=(names or {}).get(o, o))
        for i, o in enumerate(origins)
    ]  # fmt: skip
    handles += [
        Line2D([], [], color="#525252", ls=styles[k % len(styles)], lw=1.6,
               label=f"within {h:g} h")
        for k, h in enumerate(hours)
    ]  # fmt: skip
    ax.legend(handles=handles, loc="upper left", fontsize=8, ncol=2, frameon=True)
    ax.set_title(
        title or "Reached by departure time (waiting for the first vehicle included)",
        fontsize=10,
    )
    return fig, ax
