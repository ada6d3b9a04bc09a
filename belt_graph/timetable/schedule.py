"""Connections: a timetable as rides between consecutive calls, sorted by departure.

:func:`connections` builds the :class:`Connections` of a dataset (or a timetable table) once;
every search and sweep then reads its flat arrays. Trains run every day: the table is unrolled
over the days a query spans (``_unroll``), so a train timed past 24:00 also runs the day before.
:func:`format_clock` writes minutes after midnight as ``HH:MM`` (``01:00+1`` the next day).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema as S
from ..dataset.core import Dataset
from ..errors import NoTimetableError
from ..schema import DEFAULT_MIN_TRANSFER_MINUTES

__all__ = [
    "DEFAULT_MAX_HOURS",
    "DEFAULT_MIN_TRANSFER_MINUTES",
    "MAX_TIMETABLE_HOURS",
    "Connections",
    "build_connections",
    "connections",
]


#: How far ahead a commute searches, in hours after the departure time.
DEFAULT_MAX_HOURS = 96.0


#: The longest time budget of one timetable search: the daily timetable is repeated for every
#: day of the budget, so the work and memory grow with it (the longest train in China runs
#: about three days).
MAX_TIMETABLE_HOURS = 7 * 24.0


DAY = 1440.0


@dataclass(frozen=True)
class Connections:
    """A timetable as connections: one ride of one train from a stop to its next stop.

    Arrays are aligned and sorted by departure, then arrival. Times are minutes after midnight
    of the train's first day (so they may exceed 1,440). ``trip`` numbers the rides: a train
    whose calls all have times is one ride; a call with a missing time splits it into several
    (``trip_train`` gives each ride's index in ``trains``).

    Besides the rides: ``board`` / ``alight`` say whether a connection may be boarded at its
    first stop and left at its second (GTFS pickup and drop-off rules); ``change`` is each
    station's own minimum minutes between trains (NaN: the search's default); ``walk_*`` are the
    walks (changes of station and access to places, from the dataset's ``transfer`` and
    ``access`` links) as directed edges grouped by their first node (``walk_start[i]`` to
    ``walk_start[i + 1]``); ``transit`` is False for places, which a journey never passes
    through.

    A timetable with a ``service_day`` column (a GTFS import) is one dated service day:
    ``daily`` is False, calls of day -k (the trips of a service day k days before that still
    run, as GTFS times them: 24:28 is 00:28 of the day after) are k x 1,440 minutes earlier,
    and no train repeats on another day.
    """

    stations: tuple[str, ...]
    trains: tuple[str, ...]
    departure: np.ndarray
    arrival: np.ndarray
    from_station: np.ndarray
    to_station: np.ndarray
    train: np.ndarray
    trip: np.ndarray
    trip_train: np.ndarray
    board: np.ndarray
    alight: np.ndarray
    change: np.ndarray
    transit: np.ndarray
    walk_start: np.ndarray
    walk_to: np.ndarray
    walk_minutes: np.ndarray
    walk_mode: tuple[str, ...]
    train_mode: tuple[str, ...]
    position: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, np.int64))
    #: True: every train runs every day (a timetable of a typical day). False: one dated
    #: service day (a ``service_day`` column), with the previous day's trains that are still
    #: running after midnight; nothing repeats.
    daily: bool = True

    def __len__(self) -> int:
        return len(self.departure)

    @functools.cached_property
    def walk_from(self) -> np.ndarray:
        """The first node of each walk (the ``walk_*`` arrays are grouped by it)."""
        return np.repeat(np.arange(len(self.stations)), np.diff(self.walk_start))

    def unrolled(self, k_lo: int, k_hi: int) -> _Unrolled:
        """Return the daily runs of every ride from day ``k_lo`` to ``k_hi``.

        One connection list sorted by departure (cached, grown as later queries need more days).
        """
        have = self.__dict__.get("_unrolled")
        if have is None or have.k_lo > k_lo or have.k_hi < k_hi:
            if have is not None:
                k_lo, k_hi = min(k_lo, have.k_lo), max(k_hi, have.k_hi)
            have = _unroll(self, k_lo, k_hi)
            self.__dict__["_unrolled"] = have
        return have

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """Station id to its position in :attr:`stations` (built once per timetable)."""
        return {s: i for i, s in enumerate(self.stations)}

    def walks(self, station: int) -> range:
        """Positions in the ``walk_*`` arrays of the walks from ``station``."""
        return range(int(self.walk_start[station]), int(self.walk_start[station + 1]))


def connections(timetable: pd.DataFrame | Dataset) -> Connections:
    """Return the connections of a timetable (or of a dataset's ``timetable``).

    Consecutive calls of a train (by ``sequence``) make a connection when the first has a
    departure and the second an arrival. Connections that follow each other through a call
    with both times form one ride (``trip``); where a time is missing the ride ends. Optional
    timetable columns: ``pickup`` / ``drop_off`` (``no``: no boarding / no leaving the train at
    that call), ``mode`` (of the train, default ``rail``).

    From a dataset, the stations also carry ``min_transfer_minutes`` (a ``nodes.csv`` column,
    where given) and the walks of its open ``transfer`` and ``access`` links; the search may
    then also start from or arrive at a place.

    Parameters
    ----------
    timetable : Dataset or pandas.DataFrame
        A dataset with a timetable, or its timetable table.

    Returns
    -------
    Connections
        Built once per dataset and cached.

    Raises
    ------
    NoTimetableError
        If a dataset without a timetable is given.

    Examples
    --------
    >>> tt = pd.DataFrame({"train": ["T1", "T1", "T1"], "sequence": [1, 2, 3],
    ...     "station": ["A", "B", "C"], "arrival_minutes": [math.nan, 490.0, 530.0],
    ...     "departure_minutes": [480.0, 495.0, math.nan]})
    >>> c = connections(tt)
    >>> len(c), c.departure.tolist(), c.arrival.tolist()
    (2, [480.0, 495.0], [490.0, 530.0])
    """
    if not isinstance(timetable, Dataset):
        return build_connections(timetable)
    ds = timetable
    if ds.timetable is None:
        raise NoTimetableError(ds.name)
    change: dict[str, float] = {}
    if "min_transfer_minutes" in ds.nodes.columns:
        own = pd.to_numeric(ds.nodes["min_transfer_minutes"], errors="coerce").dropna()
        change = {str(k): float(v) for k, v in own.items()}
    places = set(ds.nodes[S.PLACE]) - {""} if S.PLACE in ds.nodes.columns else set()
    return build_connections(ds.timetable, _walk_links(ds), change, places)


def build_connections(
    timetable: pd.DataFrame,
    walks: pd.DataFrame | None = None,
    change: dict[str, float] | None = None,
    places: set[str] | None = None,
) -> Connections:
    """Return the connections of a timetable with the walks and changes given directly.

    ``walks`` has columns ``source``, ``target``, ``minutes``, ``mode`` (directed: give both
    directions); ``change`` maps a station to its own minimum minutes between trains; a node in
    ``places`` is never passed through (see the rules in the module's docstring). Used by
    :func:`connections`, and by tests that build timetables by hand.

    Parameters
    ----------
    timetable : pandas.DataFrame
        Calls, with the columns of ``timetable.csv``.
    walks : pandas.DataFrame, optional
        Directed walks between stations.
    change : dict, optional
        Each station's own change minutes.
    places : set of str, optional
        Nodes that are ends only.

    Returns
    -------
    Connections
        The connections sorted by departure, ready for the searches.

    """
    df = timetable.sort_values(["train", "sequence"], kind="stable")
    daily = "service_day" not in df.columns
    if walks is None:
        walks = pd.DataFrame(columns=_WALK_COLUMNS)
    walks = walks.sort_values(["source", "target", "minutes"], kind="stable")
    walks = walks.drop_duplicates(["source", "target"]).reset_index(drop=True)
    names = set(map(str, df["station"].unique()))
    names |= set(walks["source"]) | set(walks["target"])
    stations = tuple(sorted(names))
    trains = tuple(sorted(map(str, df["train"].unique())))
    s_index = {s: i for i, s in enumerate(stations)}
    t_index = {t: i for i, t in enumerate(trains)}
    st = df["station"].map(s_index).to_numpy(dtype=np.int64)
    tr = df["train"].map(t_index).to_numpy(dtype=np.int64)
    dep = df["departure_minutes"].to_numpy(dtype=float)
    arr = df["arrival_minutes"].to_numpy(dtype=float)
    if not daily:  # the previous service day's calls, in minutes of the day imported
        shift = df["service_day"].to_numpy(dtype=np.int64) * DAY
        dep, arr = dep + shift, arr + shift
    n_calls = len(df)
    pickup = _allowed(df, "pickup", n_calls)
    drop_off = _allowed(df, "drop_off", n_calls)
    ok = (tr[1:] == tr[:-1]) & ~np.isnan(dep[:-1]) & ~np.isnan(arr[1:])
    # a ride continues from one connection to the next only through a call with both times,
    # that is where the pair before it is a connection too
    starts = ok & ~np.concatenate(([False], ok[:-1]))
    trip_of_pair = np.cumsum(starts) - 1
    d, a = dep[:-1][ok], arr[1:][ok]
    trip = trip_of_pair[ok]
    trip_train = tr[:-1][starts]
    # position along the ride: breaks ties of departure and arrival (two stops timed to the
    # same second) in the order the train runs
    position = np.arange(len(trip)) - np.searchsorted(trip, trip, side="left")
    order = np.lexsort((position, a, d))
    modes = ["rail"] * len(trains)
    if "mode" in df.columns:
        first = df[df["mode"].astype(str) != ""].drop_duplicates("train")
        for t, m in zip(first["train"], first["mode"], strict=True):
            modes[t_index[str(t)]] = str(m)
    own = np.full(len(stations), math.nan)
    for node, value in (change or {}).items():
        if node in s_index:
            own[s_index[node]] = value
    transit = np.ones(len(stations), dtype=bool)
    for node in places or ():
        if node in s_index:
            transit[s_index[node]] = False
    w_from = walks["source"].map(s_index).to_numpy(dtype=np.int64)
    w_order = np.argsort(w_from, kind="stable")
    walk_start = np.searchsorted(w_from[w_order], np.arange(len(stations) + 1))
    return Connections(
        stations=stations,
        trains=trains,
        departure=d[order],
        arrival=a[order],
        from_station=st[:-1][ok][order],
        to_station=st[1:][ok][order],
        train=tr[:-1][ok][order],
        trip=trip[order].astype(np.int64),
        trip_train=trip_train.astype(np.int64),
        position=position[order].astype(np.int64),
        board=pickup[:-1][ok][order],
        alight=drop_off[1:][ok][order],
        change=own,
        transit=transit,
        daily=daily,
        walk_start=walk_start.astype(np.int64),
        walk_to=walks["target"].map(s_index).to_numpy(dtype=np.int64)[w_order],
        walk_minutes=walks["minutes"].to_numpy(dtype=float)[w_order],
        walk_mode=tuple(map(str, walks["mode"].to_numpy()[w_order])),
        train_mode=tuple(modes),
    )


_WALK_COLUMNS = ["source", "target", "minutes", "mode"]


def _allowed(df: pd.DataFrame, column: str, n: int) -> np.ndarray:
    """Per call: may a traveller board (``pickup``) or leave (``drop_off``) there."""
    if column not in df.columns:
        return np.ones(n, dtype=bool)
    return np.asarray((df[column].astype(str).str.strip().str.lower() != "no").to_numpy(), bool)


def _walk_links(ds: Dataset) -> pd.DataFrame:
    """Return the walks of a dataset.

    Open transfer and access links, in both directions, the fastest of parallel links.
    """
    links = ds.links
    if S.KIND not in links.columns:
        return pd.DataFrame(columns=_WALK_COLUMNS)
    w = links[links[S.KIND].isin(("transfer", "access")) & (links["status"] == "open")]
    both = pd.concat(
        [
            w[["source", "target", "minutes", "mode"]],
            w[["target", "source", "minutes", "mode"]].set_axis(_WALK_COLUMNS, axis=1),
        ],
        ignore_index=True,
    )
    return both.reset_index(drop=True)


@dataclass(frozen=True)
class _Unrolled:
    """Every daily run of every ride from day ``k_lo`` to ``k_hi``, sorted as a scan needs."""

    k_lo: int
    k_hi: int
    n_days: int
    dep: np.ndarray
    arr: np.ndarray
    frm: np.ndarray
    to: np.ndarray
    trip: np.ndarray  # trip instance: ride * n_days + (day - k_lo)
    board: np.ndarray
    alight: np.ndarray


def _unroll(c: Connections, k_lo: int, k_hi: int) -> _Unrolled:
    days = np.arange(k_lo, k_hi + 1)
    n_days, m = len(days), len(c)
    dep = (c.departure[None, :] + days[:, None] * DAY).ravel()
    arr = (c.arrival[None, :] + days[:, None] * DAY).ravel()
    base = np.tile(np.arange(m), n_days)
    trip = (c.trip[None, :] * n_days + (days - k_lo)[:, None]).ravel()
    order = np.lexsort((c.position[base], arr, dep))
    base = base[order]
    return _Unrolled(
        k_lo,
        k_hi,
        n_days,
        np.ascontiguousarray(dep[order]),
        np.ascontiguousarray(arr[order]),
        np.ascontiguousarray(c.from_station[base]),
        np.ascontiguousarray(c.to_station[base]),
        np.ascontiguousarray(trip[order]),
        np.ascontiguousarray(c.board[base]),
        np.ascontiguousarray(c.alight[base]),
    )


def _day_range(c: Connections, depart: float, horizon: float) -> tuple[int, int]:
    """Return the days whose runs can depart in [depart, depart + horizon] (as :func:`_window`).

    A dated service day (``daily`` False) has one day of runs, day 0.
    """
    if not c.daily:
        return 0, 0
    latest = float(c.departure.max()) if len(c) else 0.0
    return math.floor((depart - latest) / DAY), math.floor((depart + horizon) / DAY)


def format_clock(minutes: float) -> str:
    """Write minutes after midnight as ``HH:MM``, with ``+N`` for N days later.

    Parameters
    ----------
    minutes : float
        Minutes after midnight of the departure day.

    Returns
    -------
    str
        ``HH:MM``, with ``+1`` for the next day.

    Examples
    --------
    >>> format_clock(485), format_clock(1500), format_clock(3000)
    ('08:05', '01:00+1', '02:00+2')
    """
    m = round(minutes)
    day, rest = divmod(m, int(DAY))
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    return text + (f"+{day}" if day else "")
