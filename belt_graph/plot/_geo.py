"""Map frames: context (rivers, lakes, coast), lon/lat frame, scale bar, attribution (private)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import schema as S
from ..dataset.core import Dataset
from ..errors import BeltGraphError

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def located(nodes: pd.DataFrame) -> pd.DataFrame:
    """Nodes with known coordinates (a node may say its coordinates are unknown)."""
    return nodes[nodes["lat"].notna() & nodes["lon"].notna()]


def positions(nodes: pd.DataFrame) -> tuple[dict[str, tuple[float, float]], set[str]]:
    """Node id -> (lon, lat) to draw at, and the stations drawn at their place's point.

    A station whose location is unknown (a planned station) is drawn at its place's reference
    point; a node with no position at all is left out.
    """
    pos = {str(n): (float(r["lon"]), float(r["lat"])) for n, r in located(nodes).iterrows()}
    stand_in = set()
    if S.PLACE in nodes.columns:
        for n, place in nodes[S.PLACE].items():
            if str(n) not in pos and place and str(place) in pos:
                pos[str(n)] = pos[str(place)]
                stand_in.add(str(n))
    return pos, stand_in


def time_words(ds: Dataset) -> str:
    """Return what a figure's minutes count, in a title's words.

    ``door to door`` on places over stations (``station to station`` where the dataset was
    asked so), else ``fastest minutes``; with the year of a network by year.
    """
    from ..dataset.lookup import has_stations_under_places

    meta = ds.metadata
    if has_stations_under_places(ds.nodes):
        words = "station to station" if meta.get("ends") == "stations" else "door to door"
    else:
        words = "fastest minutes"
    if meta.get("network_by_year") == "yes":
        words += f", network of {meta.get('network_year', '')}"
    return words


def not_drawn_note(ds: Dataset, pos: dict[str, tuple[float, float]] | None = None) -> str:
    drawn = set(pos) if pos is not None else set(map(str, located(ds.nodes).index))
    missing = [str(n) for n in ds.nodes.index if str(n) not in drawn]
    return f"{len(missing)} node(s) without coordinates not drawn" if missing else ""


def draw_context(ax: Axes, ds: Dataset) -> None:
    """Rivers, lakes and land from the dataset's context.geojson, paler than the network."""
    for feat in ds.context_features:
        kind = (feat.get("properties") or {}).get("kind", "")
        geom = feat.get("geometry") or {}
        gtype, coords = geom.get("type"), geom.get("coordinates", [])
        polys = coords if gtype == "MultiPolygon" else [coords] if gtype == "Polygon" else []
        for poly in polys:
            ring = np.asarray(poly[0])
            if kind == "lake":
                ax.fill(ring[:, 0], ring[:, 1], color="#dcebf6", ec="#b9d6ea", lw=0.5, zorder=1)
            else:
                ax.fill(ring[:, 0], ring[:, 1], color="#f6f4ef", ec="#d0d0d0", lw=0.5, zorder=0)
        lines = coords if gtype == "MultiLineString" else [coords] if gtype == "LineString" else []
        for line in lines:
            arr = np.asarray(line)
            ax.plot(arr[:, 0], arr[:, 1], color="#a9cbe4", lw=1.6, zorder=1, solid_capstyle="round")
    if ds.context_features:
        ax.set_facecolor("#eef4f9")


def attribution(ds: Dataset) -> str:
    """Return the dataset's attribution line: its ``attribution.txt``, else its name.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).

    Returns
    -------
    str
        The credit line for a map: the dataset's ``attribution.txt``, else its name.

    """
    path = ds.path / "attribution.txt"
    if path.is_file():
        return " ".join(path.read_text(encoding="utf-8").split())
    return f"Data: {ds.name} dataset."


def draw_attribution(ax: Axes, ds: Dataset) -> None:
    """Return the credit line at the foot of a map, wrapped to stay inside the axes."""
    import textwrap

    size = getattr(ax.figure, "get_size_inches", None)
    ax.apply_aspect()  # the box the axes will really have (a map keeps its aspect)
    width_in = ax.get_position().width * (float(size()[0]) if size is not None else 8.0)
    chars = max(40, int(width_in * 72 / (6 * 0.7)))  # 6 pt text, at most 0.7 em a character
    ax.text(
        0.005,
        0.005,
        textwrap.fill(attribution(ds), chars),
        transform=ax.transAxes,
        fontsize=6,
        color="#444444",
        ha="left",
        va="bottom",
        zorder=9,
        bbox={"boxstyle": "square,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
    )


def nice_length_km(width_km: float) -> float:
    """Return a round scale-bar length (1, 2 or 5 x 10^k km) near a fifth of ``width_km``.

    Parameters
    ----------
    width_km : float
        The map's width in km.

    Returns
    -------
    float
        A round length in km (1, 2 or 5 times a power of ten) near a fifth of ``width_km``.

    Examples
    --------
    >>> nice_length_km(300), nice_length_km(4000), nice_length_km(12)
    (50.0, 500.0, 2.0)
    """
    target = max(width_km / 5, 1e-3)
    mag = 10 ** math.floor(math.log10(target))
    return float(max((m * mag for m in (1, 2, 5) if m * mag <= target), default=mag))


def frame(ax: Axes, ds: Dataset, lon: np.ndarray, lat: np.ndarray) -> None:
    """Set a lon/lat frame with a cos(latitude) aspect, a light grid and a scale bar.

    Points without coordinates (NaN) are ignored.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
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


def link_segments(
    pos: dict[str, tuple[float, float]], links: pd.DataFrame, by: str = "line"
) -> dict[str, list[list[tuple[float, float]]]]:
    """Group -> segments (lon, lat) of the links whose two ends have a position."""
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for u, v, key in links[["source", "target", by]].itertuples(index=False):
        a, b = pos.get(str(u)), pos.get(str(v))
        if a is not None and b is not None:
            out.setdefault(str(key), []).append([a, b])
    return out


def legend_right(ax: Axes, handles: list[Any], title: str, **kw: Any) -> None:
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7.5,
        framealpha=0.9,
        title=title,
        title_fontsize=8,
        **kw,
    )
