"""How journeys changed year by year as lines opened: the network by year, and which line did it.

A dataset whose links carry ``opened`` (when each first ran) gives the network of any year
(:func:`~belt_graph.network.with_year`): the lines open at its end, timed by the dataset's own
trains of today. :func:`times_by_year` follows the fastest journeys from one origin through the
years and names, for each step, the line that opened that year and that the new journey rides;
:func:`line_openings` lists the openings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import pandas as pd

from . import schema as S
from ._units import opened_year
from .dataset.core import Dataset
from .errors import UnknownPlaceError
from .network import rail_graph, with_year
from .network.journeys import JourneyStore, reuse_journey_graphs
from .network.paths import cutoff_search_ends, ends_only, places
from .routing import commute

__all__ = ["line_openings", "times_by_year"]

#: Columns of :func:`times_by_year`.
YEAR_COLUMNS = [
    "year",
    "origin",
    "destination",
    "minutes",
    "station_minutes",
    "from_station",
    "to_station",
    "change_minutes",
    "because",
]

#: The line of a track link no railway list names (left out of the openings).
UNNAMED = "railway not identified"

#: The kinds of link that are a line's track.
_TRACK = ("track", "section")


def line_openings(dataset: Dataset) -> pd.DataFrame:
    """Return when each line of a dataset opened (its links' ``opened``).

    Parameters
    ----------
    dataset : Dataset
        A dataset whose links carry ``opened``.

    Returns
    -------
    DataFrame
        One row per line and opening date (a line opened in sections has a row each):
        ``year``, ``opened`` (as the links give it: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``)
        and ``line``, by date then line; track on no named railway is left out. Empty where no
        track link is dated.

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> t = line_openings(load_dataset())
    >>> t[t["year"] == 2023]["line"].tolist()
    ['Shanghai-Nanjing along-river HSR']
    """
    links = dataset.links
    if S.OPENED not in links.columns or S.KIND not in links.columns:
        return pd.DataFrame(columns=["year", "opened", "line"])
    track = links[links[S.KIND].isin(_TRACK) & (links["status"] == "open")]
    track = track[track[S.LINE] != UNNAMED]
    dated = track[track[S.OPENED].astype(str) != ""][[S.OPENED, S.LINE]].drop_duplicates()
    rows = [
        {"year": opened_year(o), "opened": str(o), "line": str(line)}
        for o, line in zip(dated[S.OPENED], dated[S.LINE], strict=True)
    ]
    out = pd.DataFrame(rows, columns=["year", "opened", "line"])
    return out.sort_values(["opened", "line"], kind="stable").reset_index(drop=True)


def default_years(dataset: Dataset) -> list[int]:
    """Return the years :func:`times_by_year` follows by default.

    Every year from the one before the first line opened since 1990 to the year of the
    dataset's network (its ``network_year``, else the last opening).
    """
    openings = line_openings(dataset)
    years = [int(y) for y in openings["year"] if int(y) >= 1990]
    if not years:
        return []
    last = dataset.metadata.get("network_year", "")
    end = int(last) if last.isdigit() else max(years)
    return list(range(min(years) - 1, end + 1))


def times_by_year(
    dataset: Dataset,
    origin: str,
    destinations: Sequence[str] | None = None,
    *,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Return the fastest journeys from ``origin`` in each year, and the line behind each step.

    Parameters
    ----------
    dataset : Dataset
        A dataset whose links carry ``opened`` (the bundled belt).
    origin : str
        The origin (a node id).
    destinations : sequence of str, optional
        The destinations (default: every place but the origin).
    years : sequence of int, optional
        The years (default: :func:`default_years`: from the year before the first opening
        since 1990 to the dataset's own).

    Returns
    -------
    DataFrame
        One row per year and destination: ``year``, ``origin``, ``destination``, ``minutes``
        (the fastest journey on the network at the end of that year, door to door between
        places as the dataset counts them; NaN where no train reaches it), ``station_minutes``
        (its train part, from the first station to the last), ``from_station``,
        ``to_station``, ``change_minutes`` (against the year before; NaN in the first year
        and where either is unreachable) and ``because``: where the journey is faster than the
        year before or newly possible, the lines opened that year that it rides (``;``-joined;
        empty otherwise).

    Raises
    ------
    UnknownPlaceError
        If the origin or a destination is not in the dataset.
    ValueError
        If the dataset's links carry no ``opened``.

    Notes
    -----
    Each year's network is :func:`~belt_graph.network.with_year`: the links opened by its
    end, timed by the dataset's trains of today (not the timetable of that year). The line
    behind a step is found on the new journey's legs: each link of a ride that opened that
    year names its railways (a service link: ``railways``, those its train runs on; a track
    link: its line), kept where that line opened that year.

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> t = times_by_year(load_dataset(), "Putuo", ["Nantong"], years=[2019, 2020])
    >>> t[["year", "because"]].values.tolist()
    [[2019, ''], [2020, 'Shanghai-Suzhou-Nantong railway']]
    """
    if S.OPENED not in dataset.links.columns or not (dataset.links[S.OPENED] != "").any():
        raise ValueError(f"the links of {dataset.name} carry no opening dates ('{S.OPENED}')")
    if origin not in dataset.nodes.index:
        raise UnknownPlaceError(origin)
    wanted = list(years) if years is not None else default_years(dataset)
    openings = line_openings(dataset)
    rows: list[dict[str, object]] = []
    before: dict[str, float] = {}
    for k, y in enumerate(wanted):
        G = rail_graph(with_year(dataset, y))
        with reuse_journey_graphs(JourneyStore(), G):  # searched once, then each step's path
            rows += _year_rows(G, dataset, origin, destinations, y, k, before, openings)
    return pd.DataFrame(rows, columns=YEAR_COLUMNS)


def _year_rows(
    G: nx.Graph,
    dataset: Dataset,
    origin: str,
    destinations: Sequence[str] | None,
    y: int,
    k: int,
    before: dict[str, float],
    openings: pd.DataFrame,
) -> list[dict[str, object]]:
    """Return one year's rows of :func:`times_by_year` (``before``: the year before's)."""
    rows: list[dict[str, object]] = []
    targets = [p for p in places(G) if p != origin] if destinations is None else list(destinations)
    for d in targets:
        if d not in G:
            raise UnknownPlaceError(d)
    dist, _, parent, first = cutoff_search_ends(G, [origin], math.inf, S.MINUTES)
    ends = ends_only(G)
    new = set(openings.loc[openings["year"] == y, "line"])
    for d in targets:
        m = float(dist.get(d, math.nan))
        at = parent.get(d) if d in ends else None
        start, access = first.get(d, ("", math.nan))
        egress = m - dist[at] if at is not None else 0.0
        old = before.get(d, math.nan)
        # a step: faster than the year before, or possible for the first time (not in the
        # first year followed, which has no year before to compare with)
        faster = k > 0 and not math.isnan(m) and (math.isnan(old) or m < old - 1e-9)
        because = _lines_opened_on(G, dataset, origin, d, y) & new if faster and new else set()
        rows.append(
            {
                "year": y,
                "origin": origin,
                "destination": d,
                "minutes": m,
                "station_minutes": m - access - egress,
                "from_station": str(start) if d in dist else "",
                "to_station": "" if at is None else str(at),
                "change_minutes": m - old,
                "because": ";".join(sorted(because)),
            }
        )
        before[d] = m
    return rows


def _lines_opened_on(
    G: nx.Graph, dataset: Dataset, origin: str, destination: str, year: int
) -> set[str]:
    """Return the railways opened in ``year`` that the fastest journey rides.

    Those of each ride leg whose link opened that year: a track link's line, a service link's
    ``railways``.
    """
    c = commute(G, origin, destination)
    links = dataset.links
    has = "railways" in links.columns
    out: set[str] = set()
    legs = c.legs
    for a, b, kind, line in zip(legs["from"], legs["to"], legs["kind"], legs["line"], strict=True):
        if kind not in ("track", "service"):
            continue
        pair = ((links["source"] == a) & (links["target"] == b)) | (
            (links["source"] == b) & (links["target"] == a)
        )
        rows = links[pair & (links[S.KIND] == kind) & (links[S.LINE] == line)]
        for opened, value in zip(
            rows[S.OPENED], rows["railways"] if has else rows[S.LINE], strict=True
        ):
            if opened_year(opened) == year:
                out |= {x for x in str(value).split(";") if x} or {str(line)}
    return out
