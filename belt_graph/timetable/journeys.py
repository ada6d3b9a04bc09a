"""Journeys and reach by departure time, built on the Connection Scan of :mod:`.search`.

:func:`timetable_commute` gives one journey train by train (:class:`Journey`),
:func:`timetable_reach` every station within a budget, and :func:`timetable_vs_links` compares
the timetable with the fastest links (what waiting, dwells and changes add).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._units import minutes_limit
from ..errors import NoRouteError, UnknownPlaceError
from .schedule import (
    DEFAULT_MAX_HOURS,
    DEFAULT_MIN_TRANSFER_MINUTES,
    Connections,
    format_clock,
)
from .search import _check_budget, _check_engine, _journey_legs, _search

__all__ = ["Journey", "format_clock", "timetable_commute", "timetable_reach", "timetable_vs_links"]


@dataclass(frozen=True)
class Journey:
    """The earliest-arriving journey between two stations leaving at a given time.

    Attributes
    ----------
    origin, destination : str
    depart : float
        The requested departure, minutes after midnight.
    legs : DataFrame
        One row per train ridden or walk: ``train`` (empty for a walk), ``mode`` (the train's,
        or the walk's link: ``walk``, ``metro``, ``access`` ...), ``from``, ``to``,
        ``departure``, ``arrival`` (minutes after midnight of the departure day),
        ``departure_time``, ``arrival_time`` (``HH:MM``, ``+N`` for later days) and
        ``minutes`` (in the train, or walking).
    """

    origin: str
    destination: str
    depart: float
    legs: pd.DataFrame

    @property
    def arrival(self) -> float:
        """Arrival at the destination, minutes after midnight of the departure day."""
        return float(self.legs["arrival"].iloc[-1]) if len(self.legs) else self.depart

    @property
    def minutes(self) -> float:
        """Minutes from the requested departure to the arrival (waiting included)."""
        return self.arrival - self.depart

    @property
    def in_vehicle_minutes(self) -> float:
        """Minutes spent on trains."""
        return _leg_sums(self.legs)[0]

    @property
    def walk_minutes(self) -> float:
        """Minutes walking (changes of station, access to places)."""
        return _leg_sums(self.legs)[1]

    @property
    def wait_minutes(self) -> float:
        """Minutes waiting: at the origin before the first train, and between trains."""
        return self.minutes - self.in_vehicle_minutes - self.walk_minutes

    @property
    def changes(self) -> int:
        """Changes of train."""
        return max(_leg_sums(self.legs)[2] - 1, 0)


def _leg_sums(legs: pd.DataFrame) -> tuple[float, float, int]:
    """Minutes on trains, minutes walking, and the number of trains of a journey's legs."""
    if not len(legs):
        return 0.0, 0.0, 0
    on_train = (legs["train"] != "").to_numpy()
    minutes = legs["minutes"].to_numpy(dtype=float)
    return float(minutes[on_train].sum()), float(minutes[~on_train].sum()), int(on_train.sum())


def timetable_commute(
    conns: Connections,
    origin: str,
    destination: str,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    max_hours: float = DEFAULT_MAX_HOURS,
    engine: str = "auto",
) -> Journey:
    """Return the journey that arrives earliest at ``destination`` leaving ``origin`` at ``depart``.

    Among journeys arriving at the same earliest time, the scan keeps the first one found (the
    one whose last train departed earliest); it does not minimise changes.

    Parameters
    ----------
    conns : Connections
        The timetable's connections (:func:`~belt_graph.connections`).
    origin : str
        The station (or place) to leave from.
    destination : str
        The station (or place) to reach.
    depart : float
        The earliest departure, minutes after midnight.
    min_transfer_minutes : float, default 15
        Minimum minutes to change trains at one station that has no change time of its own
        (:data:`~belt_graph.DEFAULT_MIN_TRANSFER_MINUTES`, an assumption).
    max_hours : float, default 96
        Give up after this many hours.
    engine : {"auto", "fast", "reference"}, default "auto"
        The compiled scan (numba) or the pure-Python reference scan; ``"auto"`` takes the
        compiled one when it is installed.

    Returns
    -------
    Journey
        The legs, train by train, with the waits and changes.

    Raises
    ------
    UnknownPlaceError
        If either station is not in the timetable.
    NoRouteError
        If no journey arrives within ``max_hours``.

    Examples
    --------
    >>> from belt_graph import connections
    >>> tt = pd.DataFrame({"train": ["T1", "T1", "T2", "T2"], "sequence": [1, 2, 1, 2],
    ...     "station": ["A", "B", "B", "C"],
    ...     "arrival_minutes": [math.nan, 500.0, math.nan, 560.0],
    ...     "departure_minutes": [480.0, math.nan, 520.0, math.nan]})
    >>> j = timetable_commute(connections(tt), "A", "C", 470, min_transfer_minutes=10)
    >>> j.legs[["train", "departure_time", "arrival_time"]].values.tolist()
    [['T1', '08:00', '08:20'], ['T2', '08:40', '09:20']]
    >>> j.minutes, j.wait_minutes, j.changes
    (90.0, 30.0, 1)
    """
    index = conns.index
    if destination not in index:
        raise UnknownPlaceError(destination)
    max_hours = _check_budget(max_hours, "max_hours")
    s = _search(
        conns,
        origin,
        depart,
        min_transfer_minutes=min_transfer_minutes,
        horizon=max_hours * 60,
        target=destination,
        engine=_check_engine(engine),
    )
    d = index[destination]
    if not math.isfinite(s.arrival[d]):
        raise NoRouteError(origin, destination)
    return Journey(origin, destination, depart, _journey_legs(s, d))


def timetable_reach(
    conns: Connections,
    origin: str,
    hours: float,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    engine: str = "auto",
) -> pd.DataFrame:
    """Return the stations reached within ``hours`` of leaving ``origin`` at ``depart``.

    Parameters
    ----------
    conns : Connections
        The timetable's connections (:func:`~belt_graph.connections`).
    origin : str
        The station (or place) to leave from.
    hours : float
        The budget in hours, from ``depart``.
    depart : float
        Minutes after midnight.
    min_transfer_minutes : float, default 15
        Minimum minutes to change trains at one station that has no change time of its own
        (:data:`~belt_graph.DEFAULT_MIN_TRANSFER_MINUTES`, an assumption).
    engine : {"auto", "fast", "reference"}, default "auto"
        The compiled scan (numba) or the pure-Python reference scan; ``"auto"`` takes the
        compiled one when it is installed.

    Returns
    -------
    DataFrame
        Indexed by ``node`` (the origin included at 0 minutes), sorted by minutes then id;
        columns ``minutes`` (from the requested departure to the earliest arrival, waiting
        included), ``hours``, ``arrival_time`` (``HH:MM``, ``+1`` the next day),
        ``first_train``, ``first_departure_time``, ``wait_minutes`` (at the origin and between
        trains), ``in_vehicle_minutes``, ``walk_minutes`` (changes of station and access to
        places) and ``changes``.

    Examples
    --------
    >>> from belt_graph import connections
    >>> tt = pd.DataFrame({"train": ["T1", "T1", "T1"], "sequence": [1, 2, 3],
    ...     "station": ["A", "B", "C"], "arrival_minutes": [math.nan, 520.0, 600.0],
    ...     "departure_minutes": [500.0, 522.0, math.nan]})
    >>> r = timetable_reach(connections(tt), "A", 1, 480)
    >>> r[["minutes", "wait_minutes", "first_train"]].values.tolist()
    [[0.0, 0.0, ''], [40.0, 20.0, 'T1']]
    """
    hours = _check_budget(hours)
    limit = minutes_limit(hours)
    s = _search(
        conns,
        origin,
        depart,
        min_transfer_minutes=min_transfer_minutes,
        horizon=limit,
        engine=_check_engine(engine),
    )
    limit += depart
    rows = []
    for v in np.flatnonzero(s.arrival <= limit):
        legs = _journey_legs(s, int(v))
        in_vehicle, walking, trains = _leg_sums(legs)
        rides = legs[legs["train"] != ""]
        minutes = float(s.arrival[v]) - depart
        rows.append(
            {
                "node": s.conns.stations[v],
                "minutes": minutes,
                "hours": minutes / 60,
                "arrival_time": format_clock(float(s.arrival[v])),
                "first_train": str(rides["train"].iat[0]) if len(rides) else "",
                "first_departure_time": rides["departure_time"].iat[0] if len(rides) else "",
                "wait_minutes": minutes - in_vehicle - walking,
                "in_vehicle_minutes": in_vehicle,
                "walk_minutes": walking,
                "changes": max(trains - 1, 0),
            }
        )
    columns = [
        "node",
        "minutes",
        "hours",
        "arrival_time",
        "first_train",
        "first_departure_time",
        "wait_minutes",
        "in_vehicle_minutes",
        "walk_minutes",
        "changes",
    ]
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values(["minutes", "node"]).set_index("node")


def timetable_vs_links(
    conns: Connections,
    G: Any,
    origin: str,
    hours: float,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
) -> pd.DataFrame:
    """Return :func:`timetable_reach` with the fastest-link minutes beside the timetable's.

    Parameters
    ----------
    conns : Connections
    G : networkx.Graph
        The rail layer of the same dataset (:func:`~belt_graph.rail_graph`).
    origin : str
        The station (or place) to leave from.
    hours : float
        The budget in hours, from ``depart``.
    depart : float
        Minutes after midnight.
    min_transfer_minutes : float, default 15
        Minimum minutes to change trains at one station that has no change time of its own
        (:data:`~belt_graph.DEFAULT_MIN_TRANSFER_MINUTES`, an assumption).

    Returns
    -------
    DataFrame
        The columns of :func:`timetable_reach` plus ``link_minutes`` (the fastest route over
        the links, riding the fastest train of each link with no wait, no dwell and no
        transfer time; NaN when the links do not join the two) and ``imposed_minutes``
        (``minutes - link_minutes``: what the timetable adds by waiting, dwelling and changing).

    Examples
    --------
    >>> from belt_graph import connections
    >>> import networkx as nx
    >>> tt = pd.DataFrame({"train": ["T1", "T1"], "sequence": [1, 2], "station": ["A", "B"],
    ...     "arrival_minutes": [math.nan, 560.0], "departure_minutes": [520.0, math.nan]})
    >>> G = nx.Graph([("A", "B", {"minutes": 40.0})])
    >>> t = timetable_vs_links(connections(tt), G, "A", 2, 480)
    >>> t.loc["B", ["minutes", "link_minutes", "imposed_minutes"]].tolist()
    [80.0, 40.0, 40.0]
    """
    from ..reachability import nearest_origin_dijkstra

    table = timetable_reach(conns, origin, hours, depart, min_transfer_minutes=min_transfer_minutes)
    links, _ = nearest_origin_dijkstra(G, [origin], math.inf) if origin in G else ({}, {})
    table["link_minutes"] = [links.get(n, math.nan) for n in table.index]
    # both sums are of the same link minutes in another order: drop the rounding noise
    table["imposed_minutes"] = (table["minutes"] - table["link_minutes"]).round(9)
    return table
