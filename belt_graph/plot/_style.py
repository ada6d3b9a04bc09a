"""Colours, fonts, labels that keep clear of each other, and saving (private)."""

from __future__ import annotations

import contextlib
import logging
import math
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

logger = logging.getLogger("belt_graph.plot")

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
    "#e31a1c",
    "#17becf",
    "#bcbd22",
    "#525252",
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

#: Longest label drawn; longer names are cut with an ellipsis (a name can be 200 characters).
#: A label's longest line; a longer name wraps onto a second line, then is cut.
LABEL_LINE_CHARS = 24
#: The most characters of a label (two lines), the line break aside.
MAX_LABEL_CHARS = 2 * LABEL_LINE_CHARS


def plt() -> Any:
    import matplotlib.pyplot as pyplot

    return pyplot


@cache
def cjk_font() -> str | None:
    """Return the name of an installed CJK font, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in names), None)


def short(text: str) -> str:
    """Return a label of at most two lines of :data:`LABEL_LINE_CHARS`, wrapped at spaces.

    Cut with an ellipsis only beyond that: a stop's long name keeps its words.
    """
    if len(text) <= LABEL_LINE_CHARS:
        return text
    lines = textwrap.wrap(text, LABEL_LINE_CHARS, break_on_hyphens=False)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: LABEL_LINE_CHARS - 1] + "…"]
    return "\n".join(lines)


def label(row: pd.Series | dict[str, Any], labels: str) -> str:
    """Return a node's label: its English name, Chinese name or both (Chinese only with a CJK font).

    Parameters
    ----------
    row : pandas.Series or dict
        A node's row of ``nodes.csv``.
    labels : {"en", "zh", "both"}, default "en"
        Node labels in English, Chinese (with a CJK font; English without one) or both.

    Returns
    -------
    str
        The label.

    """
    en = short(str(row.get("name") or row.get("id")))
    zh = short(str(row.get("name_zh") or ""))
    if labels == "en" or not zh or cjk_font() is None:
        return en
    return zh if labels == "zh" else f"{en}\n{zh}"


def text_kw(labels: str) -> dict[str, Any]:
    font = cjk_font()
    if labels != "en" and font:
        return {"fontfamily": [font, "DejaVu Sans"]}
    return {}


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt().subplots(figsize=figsize, layout="constrained")
    else:
        fig = ax.figure
    return fig, ax


def minutes_text(minutes: float) -> str:
    """``135 min``: whole minutes, the one time format of every figure and table.

    Parameters
    ----------
    minutes : float
        A travel time in minutes.

    Returns
    -------
    str
        ``45 min``, ``135 min``.

    Examples
    --------
    >>> minutes_text(45), minutes_text(135.4)
    ('45 min', '135 min')
    """
    return f"{round(minutes)} min"


@dataclass(frozen=True)
class Label:
    """A label to place beside its point (data coordinates)."""

    x: float
    y: float
    text: str
    priority: float = 0.0
    radius_pt: float = 4.0
    bold: bool = False
    fontsize: float = 8.0
    colour: str = "black"


# offsets around a point, preferred first: right, above, left, below, then the diagonals
_CANDIDATES = [
    (1, 0, "left", "center"),
    (0, 1, "center", "bottom"),
    (-1, 0, "right", "center"),
    (0, -1, "center", "top"),
    (0.75, 0.75, "left", "bottom"),
    (-0.75, 0.75, "right", "bottom"),
    (-0.75, -0.75, "right", "top"),
    (0.75, -0.75, "left", "top"),
]


#: The least gap between two labels that :func:`place_labels` places (points).
LABEL_MARGIN_PT = 1.5

#: The gid of the texts :func:`place_labels` draws (so that a later call keeps its margin).
_LABEL_GID = "belt-graph-label"


def place_labels(
    ax: Axes,
    labels: Sequence[Label],
    *,
    labels_language: str = "en",
    points: Sequence[tuple[float, float, float]] = (),
    drop_colliding: bool = False,
    max_clash: float = 0.5,
) -> list[Any]:
    """Put each label beside its own point, clear of the other labels and points.

    Labels are placed in order of ``priority`` (highest first); each tries eight positions
    around its point (right, above, left, below, then diagonals) and takes the first that
    overlaps no placed label (nor comes within :data:`LABEL_MARGIN_PT` of one), no text
    already on the axes, no other point and stays inside
    the axes, else the least bad.
    ``points`` are further ``(x, y, radius_pt)`` markers to keep clear of. With
    ``drop_colliding``, a label whose least bad position still covers a placed label or leaves
    the axes is not drawn (the first, highest-priority label always is, unless the axes held
    texts before): on a dense national map a missing label is better than one beside the
    wrong dot. ``max_clash`` is how much clash a kept label may have (0: none at all; the
    default lets a label graze another by a few per cent of its area). Returns the texts
    drawn.
    """
    if not labels:
        return []
    fig = ax.figure
    with quiet_glyphs():
        fig.canvas.draw()  # lay the figure out, so that extents are final
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    to_px = ax.transData.transform
    scale = fig.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    margin = LABEL_MARGIN_PT * scale
    dots = [(*to_px((lb.x, lb.y)), lb.radius_pt * scale) for lb in labels]
    dots += [(*to_px((x, y)), r * scale) for x, y, r in points]
    # the texts already drawn (ring labels, minutes on links) are kept clear of too
    with quiet_glyphs():
        # names placed before keep their margin; other texts (minutes on links) need none
        placed: list[Any] = [
            _padded(t.get_window_extent(renderer), margin if t.get_gid() == _LABEL_GID else 0.0)
            for t in ax.texts
            if t.get_visible() and t.get_text()
        ]
    texts: list[Any] = []
    drawn_before = bool(placed)
    for i in sorted(range(len(labels)), key=lambda k: -labels[k].priority):
        lb = labels[i]
        gap = lb.radius_pt + 3
        best: tuple[float, Any, float] | None = None
        for rank, (dx, dy, ha, va) in enumerate(_CANDIDATES):
            t = ax.annotate(
                lb.text,
                (lb.x, lb.y),
                xytext=(dx * gap, dy * gap),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=lb.fontsize,
                fontweight="bold" if lb.bold else "normal",
                color=lb.colour,
                zorder=8,
                annotation_clip=False,
                bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.8},
                **text_kw(labels_language),
            )
            with quiet_glyphs():
                box = t.get_window_extent(renderer)
            clash = 10.0 * sum(_overlap(box, other) for other in placed)
            clash += 20.0 * _outside(box, frame)
            cost = rank * 0.01 + clash
            cost += 3.0 * sum(_overlap_dot(box, dot) for j, dot in enumerate(dots) if j != i)
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, t, clash)
            else:
                t.remove()
            if cost < 0.1:
                break
        assert best is not None
        # dropped where it would cover a label: the first is always drawn, unless
        # texts were on the axes before (a station's name never covers a place's)
        if drop_colliding and (texts or drawn_before) and best[2] > max_clash:
            best[1].remove()
            continue
        with quiet_glyphs():  # with a margin: two names never touch, edge to edge
            placed.append(_padded(best[1].get_window_extent(renderer), margin))
        best[1].set_gid(_LABEL_GID)
        texts.append(best[1])
    return texts


@contextlib.contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Silence matplotlib's missing-glyph warnings while laying out (save_figure reports them)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
        yield


def _padded(box: Any, by: float) -> Any:
    """Return a copy of a display box grown by ``by`` pixels on every side."""
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(box.x0 - by, box.y0 - by, box.x1 + by, box.y1 + by)


def _overlap(a: Any, b: Any) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    if w <= 0 or h <= 0:
        return 0.0
    return float((w * h) / max(1.0, min(a.width * a.height, b.width * b.height)))


def _overlap_dot(box: Any, dot: tuple[float, float, float]) -> float:
    x, y, r = dot
    dx = max(box.x0 - x, 0, x - box.x1)
    dy = max(box.y0 - y, 0, y - box.y1)
    return 1.0 if math.hypot(dx, dy) < r else 0.0


def _outside(box: Any, frame: Any) -> float:
    out = max(frame.x0 - box.x0, 0) + max(box.x1 - frame.x1, 0)
    out += max(frame.y0 - box.y0, 0) + max(box.y1 - frame.y1, 0)
    return 1.0 if out > 0.5 else 0.0


def save_figure(
    fig: Figure,
    path: str | Path | IO[bytes],
    *,
    dpi: int = 200,
    fmt: str | None = None,
    close: bool = True,
) -> None:
    """Save ``fig``, and close it unless ``close=False``.

    The format comes from the extension, or ``fmt`` for a file.

    Names in scripts that no installed font covers are drawn as boxes; instead of one
    matplotlib warning per character, one message is logged (``belt_graph.plot``) naming them.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str, pathlib.Path or binary file
        Where to write; a path is written whole or not at all.
    dpi : int, default 200
        Resolution of raster formats.
    fmt : str, optional
        The format (default: from the path's suffix).
    close : bool, default True
        Close the figure after saving.

    """
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
            plt().close(fig)
