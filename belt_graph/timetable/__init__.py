"""Journeys by real trains: connections, earliest-arrival search, window sweeps, kernels.

- :mod:`~belt_graph.timetable.schedule`: :class:`Connections` built from a timetable
- :mod:`~belt_graph.timetable.search`: the Connection Scan (:func:`earliest_arrival`)
- :mod:`~belt_graph.timetable.journeys`: journeys and reach by departure time
- :mod:`~belt_graph.timetable.window`: :func:`window_accessibility`, every departure of a window
- :mod:`~belt_graph.timetable._kernels`: the compiled (numba) kernels, private
"""

from __future__ import annotations

from .journeys import (
    Journey,
    timetable_commute,
    timetable_reach,
    timetable_vs_links,
)
from .schedule import (
    DEFAULT_MAX_HOURS,
    DEFAULT_MIN_TRANSFER_MINUTES,
    MAX_TIMETABLE_HOURS,
    Connections,
    build_connections,
    connections,
    format_clock,
)
from .search import earliest_arrival, engine_available
from .window import (
    WINDOW_MAX_HOURS,
    Sweep,
    departures,
    nearest_rank,
    reach_over_day,
    sweep_arrivals,
    window_accessibility,
    window_summary,
)

__all__ = [
    "DEFAULT_MAX_HOURS",
    "DEFAULT_MIN_TRANSFER_MINUTES",
    "MAX_TIMETABLE_HOURS",
    "WINDOW_MAX_HOURS",
    "Connections",
    "Journey",
    "Sweep",
    "build_connections",
    "connections",
    "departures",
    "earliest_arrival",
    "engine_available",
    "format_clock",
    "nearest_rank",
    "reach_over_day",
    "sweep_arrivals",
    "timetable_commute",
    "timetable_reach",
    "timetable_vs_links",
    "window_accessibility",
    "window_summary",
]
