"""Accessibility across a departure window.

Percentiles of travel time and the share of departures that arrive in time, for every origin and
destination.

Research on accessibility asks "leaving any time between 07:00 and 09:00, what is the median
(and the 90th-percentile) travel time, and how often is Nanjing within an hour?" rather than
"leaving at exactly 08:00". :func:`window_accessibility` answers it for any dataset with a
timetable: for each origin and each departure minute of the window (every ``step`` minutes), the
earliest arrival at every station, waiting at the origin included (the rules of
:mod:`belt_graph.timetable`); then, per origin and destination, percentiles of the travel time
over the departures and the share of departures that arrive within ``hours``.

Percentiles are **nearest-rank**: the p-th percentile is the smallest travel time within which
at least p % of the departures arrive, always one of the observed times (no interpolation). A
destination not reached within ``max_hours`` of a departure counts as never reached: a
percentile that falls on such departures is NaN, and the share counts them as not in time.

The sweep runs on the compiled engine (:mod:`belt_graph.timetable._kernels`, numba): one profile
scan per origin serves every departure of the window. It runs in blocks of origins: in local
processes by default, or on a Dask cluster (``client``), each block writing its own Parquet part
when ``output`` is a folder.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import schema as S
from .._units import LIMIT_TOLERANCE_MINUTES, check_hours
from .._workers import cores, worker_start
from ..dataset.core import Dataset
from ..dataset.lookup import place_ids
from ..errors import BeltGraphError, UnknownPlaceError
from .schedule import (
    DEFAULT_MIN_TRANSFER_MINUTES,
    MAX_TIMETABLE_HOURS,
    Connections,
    _day_range,
    connections,
)
from .search import _check_query, _search, engine_available

__all__ = [
    "WINDOW_MAX_HOURS",
    "Sweep",
    "departures",
    "nearest_rank",
    "reach_over_day",
    "sweep_arrivals",
    "window_accessibility",
    "window_summary",
]

#: Travel beyond this many hours after a departure counts as not reached (a window sweep).
WINDOW_MAX_HOURS = 24.0
#: The most departures one window takes (two days at every 2 seconds), checked before any work.
MAX_DEPARTURES = 100_000
#: The arrivals held at once for one block of origins (origins x departures x stations x 8
#: bytes); blocks are made smaller to stay under it, and one origin over it is refused.
MAX_BLOCK_BYTES = 512 * 1024**2
#: A block is searched and summarised in chunks of origins whose arrivals take about this many
#: bytes: the memory is reused from chunk to chunk (a fresh large array costs a page fault per
#: 4 KiB, as long as the search itself on the national timetable).
CHUNK_BYTES = 16 * 1024**2
#: The compiled sweep: ``"sweep_profile"`` (one scan per origin for every departure) or
#: ``"sweep"`` (a scan per origin and departure: the engine before issue 26, kept for the tests
#: and the benchmark to compare with).
_KERNEL = "sweep_profile"


def departures(start: float, end: float, step: float) -> np.ndarray:
    """Return the departure minutes of a window: ``start``, ``start + step`` ... up to ``end``.

    Parameters
    ----------
    start : float
        The first departure, minutes after midnight.
    end : float
        The last (included when on the grid).
    step : float
        Minutes between departures.

    Returns
    -------
    numpy.ndarray
        The departure minutes.

    Examples
    --------
    >>> departures(420, 540, 30).tolist()
    [420.0, 450.0, 480.0, 510.0, 540.0]
    """
    if not (math.isfinite(start) and math.isfinite(end) and 0 <= start <= end):
        raise ValueError(f"a window runs from a start to a later end, got {start!r}-{end!r}")
    if not (math.isfinite(step) and step > 0):
        raise ValueError(f"step must be minutes > 0, got {step!r}")
    # compared before it is counted: a tiny step gives a count past any integer (1e-300), or
    # infinity (5e-324)
    count = (end - start) / step
    if not count < MAX_DEPARTURES:
        raise ValueError(
            f"the window {start:g}-{end:g} min every {step:g} min has more than "
            f"{MAX_DEPARTURES:,} departures, the limit (`step`: take a larger one, at least "
            f"{(end - start) / (MAX_DEPARTURES - 1):.3g} min)"
        )
    n = math.floor(count + 1e-9) + 1
    return start + step * np.arange(n, dtype=float)


def nearest_rank(times: np.ndarray, percentiles: Sequence[float], axis: int = 0) -> np.ndarray:
    """Nearest-rank percentiles of ``times`` along ``axis`` (inf: never reached -> NaN).

    The p-th percentile of n values is the ceil(p / 100 * n)-th smallest (the smallest for p
    near 0). Returns an array with the percentiles first, then the other axes.

    Parameters
    ----------
    times : numpy.ndarray
        Minutes; inf where a destination was not reached.
    percentiles : sequence of float
        In (0, 100].
    axis : int, default 0
        The axis of the samples.

    Returns
    -------
    numpy.ndarray
        The percentiles first, then the other axes; NaN where fewer than that share arrive.

    Examples
    --------
    >>> nearest_rank(np.array([10.0, 20.0, 30.0, np.inf]), [25, 50, 75, 100]).tolist()
    [10.0, 20.0, 30.0, nan]
    """
    n = times.shape[axis]
    ranks = [max(math.ceil(p / 100 * n) - 1, 0) for p in percentiles]
    # one rank: its value put in its place (numpy's partition is slower than a sort for several)
    one = len(set(ranks)) == 1 and n > 0
    ordered = np.partition(times, ranks[0], axis=axis) if one else np.sort(times, axis=axis)
    out = [np.take(ordered, k, axis=axis) for k in ranks]
    result = np.stack(out)
    return np.where(np.isinf(result), np.nan, result)


@dataclass(frozen=True)
class Sweep:
    """The engine's input for a window sweep (small enough to send to worker processes)."""

    dep: np.ndarray
    arr: np.ndarray
    frm: np.ndarray
    to: np.ndarray
    trip: np.ndarray
    board: np.ndarray
    alight: np.ndarray
    change: np.ndarray
    transit: np.ndarray
    walk_start: np.ndarray
    walk_to: np.ndarray
    walk_minutes: np.ndarray
    n_trips: int
    stations: tuple[str, ...]


def _prepare(
    c: Connections, departs: np.ndarray, horizon: float, min_transfer_minutes: float
) -> Sweep:
    k_lo, _ = _day_range(c, float(departs.min()), horizon)
    _, k_hi = _day_range(c, float(departs.max()), horizon)
    u = c.unrolled(k_lo, k_hi)
    n_trips = (int(c.trip.max()) + 1) * u.n_days if len(c) else 1
    change = np.where(np.isnan(c.change), min_transfer_minutes, c.change)
    return Sweep(
        u.dep, u.arr, u.frm, u.to, _by_first_ride(u.trip, n_trips), u.board, u.alight, change,
        c.transit,
        c.walk_start, c.walk_to, c.walk_minutes, n_trips, c.stations,
    )  # fmt: skip


def _by_first_ride(trip: np.ndarray, n_trips: int) -> np.ndarray:
    """Renumber the rides in the order of their first connection (the scan's order).

    The scan keeps a label per ride; numbered by train name, the rides running at one moment
    are scattered over the whole array (at 100x the national timetable, 7 MB: a cache miss per
    connection); numbered as they start, they lie close together.
    """
    if not len(trip):
        return trip
    first = np.full(n_trips, len(trip))
    np.minimum.at(first, trip, np.arange(len(trip)))
    starts = np.zeros(len(trip), dtype=bool)  # where a ride has its first connection
    starts[first[first < len(trip)]] = True
    rank = np.zeros(n_trips, dtype=np.int64)
    rank[trip[starts]] = np.arange(int(starts.sum()))
    renumbered: np.ndarray = rank[trip]
    return renumbered


def _run(
    sw: Sweep,
    origins: np.ndarray,
    departs: np.ndarray,
    horizon: float,
    buffer: np.ndarray | None = None,
) -> np.ndarray:
    """Arrivals ``[origin, departure, station]`` of one block, on the compiled engine.

    One profile scan per origin serves every departure (:func:`~._kernels.sweep_profile`,
    which takes the departures in increasing order). ``buffer``: a flat float array to hold
    the arrivals (reused by the caller), large enough.
    """
    from . import _kernels

    kernel = getattr(_kernels, _KERNEL)
    order = np.argsort(departs, kind="stable")
    ordered = np.asarray(departs, dtype=float)[order]
    shape = (len(origins), len(departs), len(sw.stations))
    if buffer is None:
        out = np.empty(shape)
    else:
        out = buffer[: shape[0] * shape[1] * shape[2]].reshape(shape)
    kernel(
        sw.dep, sw.arr, sw.frm, sw.to, sw.trip, sw.board, sw.alight, sw.change, sw.transit,
        sw.walk_start, sw.walk_to, sw.walk_minutes, sw.n_trips,
        origins.astype(np.int64), ordered, float(horizon), out,
    )  # fmt: skip
    if np.array_equal(order, np.arange(len(order))):
        return out
    unsorted = np.empty_like(out)
    unsorted[:, order, :] = out
    return unsorted


def sweep_arrivals(
    conns: Connections,
    origins: Sequence[str],
    departs: Iterable[float],
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    max_hours: float = WINDOW_MAX_HOURS,
    engine: str = "auto",
) -> np.ndarray:
    """Return the earliest arrivals for every origin and departure.

    An array ``[origin, departure, station]`` of minutes after midnight of the departure day (inf
    when not reached within ``max_hours``).

    Stations are ``conns.stations``. ``engine="reference"`` runs the pure-Python scan for each
    pair (slow; what the tests compare the engine with).

    Parameters
    ----------
    conns : Connections
        The timetable's connections (:func:`~belt_graph.connections`).
    origins : sequence of str
        The origins.
    departs : iterable of float
        Departure minutes.
    min_transfer_minutes : float, default 15
        Minimum minutes to change trains at one station that has no change time of its own
        (:data:`~belt_graph.DEFAULT_MIN_TRANSFER_MINUTES`, an assumption).
    max_hours : float, default 24
        The search horizon in hours.
    engine : {"auto", "fast", "reference"}, default "auto"
        The compiled scan (numba) or the pure-Python reference scan; ``"auto"`` takes the
        compiled one when it is installed.

    Returns
    -------
    numpy.ndarray
        Shape ``(origins, departures, stations)``, float64.

    """
    departs = np.asarray(list(departs), dtype=float)
    horizon = _horizon(max_hours)
    for o in origins:
        _check_query(conns, o, float(departs.min()) if len(departs) else 0.0, min_transfer_minutes)
    idx = np.array([conns.index[o] for o in origins], dtype=np.int64)
    if engine == "reference" or (engine == "auto" and not engine_available()):
        out = np.full((len(origins), len(departs), len(conns.stations)), math.inf)
        for i, o in enumerate(origins):
            for j, d in enumerate(departs):
                s = _search(
                    conns,
                    o,
                    float(d),
                    min_transfer_minutes=min_transfer_minutes,
                    horizon=horizon,
                    engine="reference",
                )
                a = np.asarray(s.arrival, dtype=float)
                out[i, j] = np.where(a <= d + horizon, a, math.inf)
        return out
    if not len(departs) or not len(origins):
        return np.full((len(origins), len(departs), len(conns.stations)), math.inf)
    return _run(_prepare(conns, departs, horizon, min_transfer_minutes), idx, departs, horizon)


def _horizon(max_hours: float) -> float:
    max_hours = check_hours(max_hours, "max_hours")
    if not 0 < max_hours <= MAX_TIMETABLE_HOURS:
        raise ValueError(f"max_hours must be > 0 and at most {MAX_TIMETABLE_HOURS:g}")
    return max_hours * 60.0


def _summarise(
    arrivals: np.ndarray,
    origins: Sequence[str],
    departs: np.ndarray,
    keep: np.ndarray,
    stations: Sequence[str],
    percentiles: Sequence[float],
    hours: float,
) -> pd.DataFrame:
    """Return the long table of one block: a row per (origin, destination) kept."""
    # [origin, destination, departure]: each pair's departures side by side in memory
    times = np.ascontiguousarray(arrivals[:, :, keep].transpose(0, 2, 1)) - departs
    pct = nearest_rank(times, percentiles, axis=2)  # [percentile, origin, destination]
    share = (times <= hours * 60 + LIMIT_TOLERANCE_MINUTES).mean(axis=2)
    dest = [stations[int(k)] for k in np.flatnonzero(keep)]
    n_o, n_d = len(origins), len(dest)
    data: dict[str, Any] = {
        "origin": np.repeat(np.asarray(origins, dtype=object), n_d),
        "destination": np.tile(np.asarray(dest, dtype=object), n_o),
    }
    for p, values in zip(percentiles, pct, strict=True):
        data[_pct_name(p)] = values.ravel()
    data[f"share_within_{hours:g}h"] = share.ravel()
    data["departures"] = len(departs)
    df = pd.DataFrame(data)
    return df[df["origin"] != df["destination"]].reset_index(drop=True)


def _pct_name(p: float) -> str:
    return f"p{p:g}".replace(".", "_")


def _block(
    payload: tuple[Sweep, np.ndarray, float, tuple[float, ...], float, np.ndarray],
    origins: list[str],
    part: str | None,
) -> pd.DataFrame | str:
    """Run one block of origins and summarise it; write it to ``part`` (Parquet) if given."""
    sw, departs, horizon, percentiles, hours, keep = payload
    index = {s: i for i, s in enumerate(sw.stations)}
    size = max(1, CHUNK_BYTES // max(1, len(departs) * len(sw.stations) * 8))
    buffer = np.empty(min(size, len(origins)) * len(departs) * len(sw.stations))
    tables = []
    for k in range(0, len(origins), size):
        chunk = origins[k : k + size]
        at = np.array([index[o] for o in chunk], dtype=np.int64)
        arrivals = _run(sw, at, departs, horizon, buffer)
        tables.append(_summarise(arrivals, chunk, departs, keep, sw.stations, percentiles, hours))
    table = _concat(tables)
    if part is None:
        return table
    table.to_parquet(part, index=False)
    return part


def _default_origins(ds: Dataset | None, c: Connections, level: str) -> list[str]:
    if ds is None:
        return list(c.stations)
    nodes = ds.nodes
    has_places = S.PLACE in nodes.columns and bool((nodes[S.PLACE] != "").any())
    if level == "auto":
        level = "place" if has_places else "station"
    if level == "place":
        if not has_places:
            raise BeltGraphError(
                f"dataset {ds.name!r} has no places over its stations; use level 'station'"
            )
        ids = place_ids(nodes)
    elif level == "station":
        ids = [str(i) for i in nodes.index[nodes["kind"] == "station"]]
    else:
        raise ValueError(f"level must be 'auto', 'place' or 'station', got {level!r}")
    return [i for i in ids if i in c.index]


def window_accessibility(
    data: Dataset | Connections,
    origins: Sequence[str] | None = None,
    *,
    window: tuple[float, float] = (7 * 60, 9 * 60),
    step: float = 1.0,
    percentiles: Sequence[float] = (50.0,),
    hours: float = 1.0,
    max_hours: float = WINDOW_MAX_HOURS,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    level: str = "auto",
    workers: int | None = None,
    client: Any = None,
    output: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Return percentiles of travel time over a departure window, every origin to every destination.

    With the share of departures in time.

    Parameters
    ----------
    data : Dataset or Connections
        A dataset with a timetable (or its :func:`~belt_graph.connections`).
    origins : list of str, optional
        Node ids. Default: every place of a dataset of places over stations, else every
        station (``level``).
    window : (start, end)
        Departure minutes after midnight, both included; default 07:00-09:00.
    step : float, default 1
        Minutes between departures.
    percentiles : list of float, default (50,)
        Nearest-rank percentiles of the travel time, each in (0, 100].
    hours : float, default 1
        The share column counts departures arriving within this many hours.
    max_hours : float, default 24
        Travel beyond this counts as never reached.
    level : {"auto", "place", "station"}
        The origins and destinations: places (a dataset of places over stations) or stations.
    workers : int, optional
        Local processes (default: the machine's cores). 1 runs in this process.
    client : dask.distributed.Client, optional
        Run the blocks on this Dask cluster instead (``pip install "belt-graph[dask]"``).
    output : str or Path, optional
        With ``client``: a folder that gets one Parquet part per block (shared by the
        workers); the table is then read back from it.
    min_transfer_minutes : float, default 15
        Minimum minutes to change trains at one station that has no change time of its own
        (:data:`~belt_graph.DEFAULT_MIN_TRANSFER_MINUTES`, an assumption).
    progress : callable, optional
        Called as ``progress(done, total)`` as blocks of origins finish.

    Returns
    -------
    DataFrame
        One row per (origin, destination), origin first: ``origin``, ``destination``, ``p50``
        (one column per percentile, minutes, NaN where that share of departures does not arrive
        within ``max_hours``), ``share_within_1h`` (named after ``hours``) and ``departures``.

    Raises
    ------
    NoTimetableError
        If the dataset has no timetable.
    UnknownPlaceError
        If an origin is not in the timetable.
    """
    if isinstance(data, Dataset):
        ds: Dataset | None = data
        c = connections(data)
    else:
        ds, c = None, data
    departs = departures(*window, step)
    horizon = _horizon(max_hours)
    hours = check_hours(hours)
    pcts = tuple(float(p) for p in percentiles)
    if not pcts or any(not (0 < p <= 100) for p in pcts):
        raise ValueError(f"percentiles must be in (0, 100], got {list(percentiles)!r}")
    chosen = list(origins) if origins else _default_origins(ds, c, level)
    for o in chosen:
        if o not in c.index:
            raise UnknownPlaceError(o)
    dests = set(_default_origins(ds, c, level)) | set(chosen)
    keep = np.array([s in dests for s in c.stations])
    if not engine_available():  # the reference scan, in this process (about 50x slower)
        size = max(1, MAX_BLOCK_BYTES // _check_block_memory(len(departs), len(c.stations)))
        return _concat(
            [
                _summarise(
                    sweep_arrivals(
                        c,
                        block,
                        departs,
                        min_transfer_minutes=min_transfer_minutes,
                        max_hours=max_hours,
                        engine="reference",
                    ),
                    block,
                    departs,
                    keep,
                    c.stations,
                    pcts,
                    hours,
                )
                for block in _blocks(chosen, 1, max_size=size)
            ]
        )
    per_origin = _check_block_memory(len(departs), len(c.stations))
    sw = _prepare(c, departs, horizon, min_transfer_minutes)
    payload = (sw, departs, horizon, pcts, hours, keep)
    n_workers = workers if workers is not None else cores()
    blocks = _blocks(
        chosen,
        max(1, n_workers) * (4 if client is None else 8),
        max_size=max(1, MAX_BLOCK_BYTES // per_origin),
    )
    if client is not None:
        return _on_dask(client, payload, blocks, output)
    if n_workers <= 1 or len(blocks) == 1:
        parts = []
        for k, b in enumerate(blocks, start=1):
            parts.append(_block(payload, b, None))
            if progress is not None:
                progress(k, len(blocks))
        return _concat(parts)
    # fork: the workers inherit the compiled engine and the payload
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=context,
        initializer=worker_start,
        initargs=(os.getpid(),),
    ) as pool:
        futures = [pool.submit(_block, payload, b, None) for b in blocks]
        parts = []
        for k, f in enumerate(futures, start=1):
            parts.append(f.result())
            if progress is not None:
                progress(k, len(blocks))
    return _concat(parts)


def _check_block_memory(n_departures: int, n_stations: int) -> int:
    """Return the bytes of one origin's arrivals; refuse a window whose one origin is too big."""
    per_origin = max(1, n_departures * n_stations * 8)
    if per_origin > MAX_BLOCK_BYTES:
        raise ValueError(
            f"{n_departures:,} departures x {n_stations:,} stations need {per_origin:,} bytes "
            f"for one origin, over the limit of {MAX_BLOCK_BYTES:,}; take a larger `step` or a "
            "shorter `window`"
        )
    return per_origin


def _blocks(origins: list[str], n: int, *, max_size: int | None = None) -> list[list[str]]:
    """Split ``origins`` into about ``n`` blocks of at most ``max_size`` origins each."""
    n = max(1, min(n, len(origins)))
    size = math.ceil(len(origins) / n) if origins else 1
    if max_size is not None:
        size = max(1, min(size, max_size))
    return [origins[i : i + size] for i in range(0, len(origins), size)] or [[]]


def _concat(parts: list[Any]) -> pd.DataFrame:
    tables = [p for p in parts if isinstance(p, pd.DataFrame)]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def _on_dask(client: Any, payload: Any, blocks: list[list[str]], output: Any) -> pd.DataFrame:
    """Run the blocks on a Dask cluster: one task per block, the payload sent once."""
    shared = client.scatter(payload, broadcast=True)
    if output is None:
        futures = [client.submit(_block, shared, b, None, pure=False) for b in blocks]
        return _concat(client.gather(futures))
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    names = [str(folder / f"part-{k:05d}.parquet") for k in range(len(blocks))]
    futures = [
        client.submit(_block, shared, b, name, pure=False)
        for b, name in zip(blocks, names, strict=True)
    ]
    client.gather(futures)
    return pd.concat([pd.read_parquet(n) for n in names], ignore_index=True)


# --- one origin: the window summary and the day profile ------------------------------------------


def _destinations(
    ds: Dataset | None, c: Connections, level: str, origins: Sequence[str]
) -> list[str]:
    return [d for d in _default_origins(ds, c, level) if d not in set(origins)]


def _conns(data: Dataset | Connections) -> tuple[Dataset | None, Connections]:
    if isinstance(data, Dataset):
        return data, connections(data)
    return None, data


def window_summary(
    data: Dataset | Connections,
    origin: str,
    *,
    window: tuple[float, float] = (7 * 60, 9 * 60),
    step: float = 5.0,
    percentiles: Sequence[float] = (10.0, 50.0, 90.0),
    hours: Sequence[float] = (1.0, 2.0, 3.0),
    level: str = "auto",
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    max_hours: float = WINDOW_MAX_HOURS,
    conns: Connections | None = None,
) -> pd.DataFrame:
    """Return every destination from one origin over a departure window.

    Indexed by destination: nearest-rank percentiles of the minutes (``p10``, ``p50``, ``p90``) and
    the share of departures within each of ``hours`` (``share_within_1h`` ...); sorted by the
    median.

    Runs on the compiled engine when it is installed, else on the reference scan.

    Parameters
    ----------
    data : Dataset or Connections
        A dataset with a timetable, or its connections.
    origin : str
        The origin.
    window : tuple of float
        The first and last departure, in minutes after midnight.
    step : float, default 5
        Minutes between departures.
    percentiles : sequence of float
        Nearest-rank percentiles, in (0, 100].
    hours : sequence of float
        The budgets of the shares.
    level : {"auto", "place", "station"}, default "auto"
        Destinations: places (a network of stations under places) or stations; ``"auto"``
        takes places where the dataset has them.
    min_transfer_minutes : float, default 15
        Minimum minutes to change trains at one station that has no change time of its own
        (:data:`~belt_graph.DEFAULT_MIN_TRANSFER_MINUTES`, an assumption).
    max_hours : float, default 24
        The search horizon in hours.
    conns : Connections, optional
        ``data``'s connections, when already built.

    Returns
    -------
    pandas.DataFrame
        Indexed by destination, as described above.

    """
    ds, c = _conns(data) if conns is None else (data if isinstance(data, Dataset) else None, conns)
    departs = departures(*window, step)
    arrivals = sweep_arrivals(
        c, [origin], departs, min_transfer_minutes=min_transfer_minutes, max_hours=max_hours
    )[0]
    dests = _destinations(ds, c, level, [origin])
    cols = [c.index[d] for d in dests]
    times = arrivals[:, cols] - departs[:, None]
    out = pd.DataFrame(index=pd.Index(dests, name="destination"))
    for p, values in zip(percentiles, nearest_rank(times, percentiles, axis=0), strict=True):
        out[_pct_name(p)] = values
    for h in hours:
        out[f"share_within_{h:g}h"] = (times <= h * 60 + LIMIT_TOLERANCE_MINUTES).mean(axis=0)
    out["departures"] = len(departs)
    median = _pct_name(50.0) if 50.0 in [float(p) for p in percentiles] else out.columns[0]
    return out.sort_values([median], kind="stable", na_position="last")


def reach_over_day(
    data: Dataset | Connections,
    origins: Sequence[str],
    *,
    window: tuple[float, float] = (5 * 60, 23 * 60),
    step: float = 15.0,
    hours: Sequence[float] = (1.0, 2.0, 3.0),
    level: str = "auto",
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    max_hours: float = WINDOW_MAX_HOURS,
    conns: Connections | None = None,
) -> pd.DataFrame:
    """Return the share of destinations reached within each of ``hours``, for each departure time.

    Returns a long table: ``origin``, ``departure`` (minutes), ``departure_time``, ``hours``,
    ``destinations`` (besides the origin), ``reached``, ``share`` and, when the destinations
    carry a population, ``population_reached`` (people in the destinations reached, of those
    whose population is known) and ``population_share`` (of their total).

    Parameters
    ----------
    data : Dataset or Connections
        A dataset with a timetable, or its connections.
    origins : sequence of str
        The origins.
    window : tuple of float
        The first and last departure, in minutes after midnight.
    step : float, default 15
        Minutes between departures.
    hours : sequence of float
        The budgets in hours.
    level : {"auto", "place", "station"}, default "auto"
        Destinations: places (a network of stations under places) or stations; ``"auto"``
        takes places where the dataset has them.
    min_transfer_minutes : float, default 15
        Minimum minutes to change trains at one station that has no change time of its own
        (:data:`~belt_graph.DEFAULT_MIN_TRANSFER_MINUTES`, an assumption).
    max_hours : float, default 24
        The search horizon in hours.
    conns : Connections, optional
        ``data``'s connections, when already built.

    Returns
    -------
    pandas.DataFrame
        The long table described above.

    """
    from .schedule import format_clock

    ds, c = _conns(data) if conns is None else (data if isinstance(data, Dataset) else None, conns)
    departs = departures(*window, step)
    arrivals = sweep_arrivals(
        c, list(origins), departs, min_transfer_minutes=min_transfer_minutes, max_hours=max_hours
    )
    pop = None
    if ds is not None and "population" in ds.nodes.columns:
        pop = ds.nodes["population"]
    rows = []
    for i, o in enumerate(origins):
        dests = _destinations(ds, c, level, [o])
        cols = [c.index[d] for d in dests]
        times = arrivals[i][:, cols] - departs[:, None]
        weights = (
            np.array([float(pop.get(d, math.nan)) for d in dests]) if pop is not None else None
        )
        known = weights is not None and np.isfinite(weights).any()
        for h in hours:
            within = times <= h * 60 + LIMIT_TOLERANCE_MINUTES
            for j, d in enumerate(departs):
                row = {
                    "origin": o,
                    "departure": float(d),
                    "departure_time": format_clock(float(d)),
                    "hours": float(h),
                    "destinations": len(dests),
                    "reached": int(within[j].sum()),
                    "share": float(within[j].mean()) if len(dests) else math.nan,
                }
                if known:
                    assert weights is not None
                    w = np.where(np.isfinite(weights), weights, 0.0)
                    people = float((w * within[j]).sum())
                    row["population_reached"] = people
                    row["population_share"] = people / float(w.sum())
                rows.append(row)
    return pd.DataFrame(rows)
