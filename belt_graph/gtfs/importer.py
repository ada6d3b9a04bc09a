"""A dataset from any public-transport GTFS feed: :func:`import_gtfs`.

:func:`import_gtfs` turns a GTFS feed (a ``.zip`` or a folder) into a dataset folder that every
belt-graph command reads with ``--data``:

- **nodes** are stations: a stop's ``parent_station`` when it has one, otherwise the stop itself,
  with the GTFS ``stop_id`` as node id, its name and coordinates;
- **timetable.csv** holds the trips of one service day (``date``; default the date with the
  most trips): ``calendar.txt`` and ``calendar_dates.txt`` honoured, ``frequencies.txt``
  expanded into trips (``trip_id@HH:MM:SS``), times to the second, times past 24:00 kept as the
  next day, missing times between timepoints interpolated, the pickup and drop-off rules kept;
- **links.csv** joins consecutive stations of every trip with the fastest in-vehicle minutes, the
  route's name as the line and its type as the mode. A link is ``track`` where no trip passes
  a station between the two, ``service`` (an express) where one does;
- **changes**: each station's minimum minutes between trips from ``transfers.txt`` (else
  ``min_transfer_minutes``), changes between stations from ``transfers.txt``, and optionally
  walks between stations within ``max_walk_meters`` as ``transfer`` links
  (:data:`~belt_graph.gtfs.build.WALK_RULE`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

import numpy as np
import pandas as pd

from .. import schema as S
from .._files import write_folder
from ..dataset._rows import Collector
from ..errors import BeltGraphError, FeedError, OutOfMemoryError
from .build import (
    FEED_MIN_TRANSFER_MINUTES,
    _collapse,
    _expand_frequencies,
    _interpolate,
    _links,
    _nodes,
    _timetable,
    _transfers,
)
from .checks import _EXTENDED, ROUTE_TYPE_NAMES, _check, _Parsed, _sort_calls, route_category
from .datasheet import WEB_URL, _attribution, _datasheet, _metadata, _write_csv
from .feed import (
    read_feed,
)

__all__ = ["ImportSummary", "import_gtfs"]


@dataclass(frozen=True)
class ImportSummary:
    """What :func:`import_gtfs` wrote.

    ``date`` is the service day imported; ``busiest`` says it was chosen as the date with the
    most trips (``trips_on_date``). ``warnings`` are what the feed gets wrong but could be read;
    ``dropped_trips`` counts the trips left out for faults of their own; ``trips`` are the
    day's own, besides ``previous_day_trips`` of the day before still running after midnight.
    """

    path: Path
    date: dt.date
    busiest: bool
    trips_on_date: int
    stations: int
    links: int
    calls: int
    trips: int
    walks: int
    warnings: list[str] = field(default_factory=list)
    dropped_trips: int = 0
    previous_day_trips: int = 0


#: How many left-out trips are named on stderr (the datasheet names them all).
MAX_DROPPED_SHOWN = 20


def _leave_out_faulty_trips(p: _Parsed, problems: Collector, *, strict: bool) -> list[str]:
    """Leave out the trips with faults of their own; return a sentence for each.

    With ``strict``, or when no trip would be left, the faults are the feed's problems and
    raise :class:`FeedError` like any other.
    """
    if not len(p.trip_faults):
        return []
    kept = ~p.trips["trip_id"].isin(p.faulty_trips)
    with_calls = p.trips["trip_id"].isin(set(p.stop_times["trip"].tolist()))
    if strict or not (kept & with_calls).any() or len(problems):  # refused: every problem
        for prob in p.trip_faults.sorted():
            problems.add(prob.path, prob.line, prob.column, prob.message)
        problems.raise_if_any(FeedError)
    p.trips = p.trips[kept]
    p.stop_times = p.stop_times[~p.stop_times["trip"].isin(p.faulty_trips)]
    said = []
    for trip_id in sorted(p.faulty_trips, key=str):
        faults = p.dropped.get(trip_id, [])
        if faults:
            first = faults[0]
            where = f"{first.path}:{first.line}: column {first.column!r}: {first.message}"
            more = f" (and {len(faults) - 1} more)" if len(faults) > 1 else ""
            said.append(f"trip {trip_id!r} left out: {where}{more}")
        else:
            said.append(f"trip {trip_id!r} left out: a fault of stop_times.txt past those listed")
    return said


#: Seconds in a day: GTFS times from 24:00:00 on are the next calendar day.
DAY_SECONDS = 86_400


def _calls_of(p: _Parsed, trips: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Return the calls of ``trips`` and how many of their times were filled.

    Missing times are filled, frequencies expanded, and the calls put in order.
    """
    st = p.stop_times[p.stop_times["trip"].isin(set(trips["trip_id"].tolist()))].copy()
    filled = _interpolate(st, p.stops)
    st["route_id"] = st["trip"].map(trips.set_index("trip_id")["route_id"])
    if len(p.frequencies):  # the copies of a trip go to the end: sort again
        st = _sort_calls(_expand_frequencies(st, p.frequencies))
    return st, filled


def _trips_per_date(services: pd.DataFrame, trips: pd.DataFrame) -> pd.Series:
    """Trips running on each date (dates with none left out), sorted by date."""
    per_service = trips["service_id"].value_counts()
    counts = services["service_id"].map(per_service).fillna(0).astype(np.int64)
    by_date = counts.groupby(services["date"].to_numpy()).sum()
    return by_date[by_date > 0].sort_index()


def _choose_date(
    services: pd.DataFrame, trips: pd.DataFrame, date: dt.date | None
) -> tuple[dt.date, bool, int]:
    per_date = _trips_per_date(services, trips)
    if not len(per_date):
        raise BeltGraphError("no trip of the feed (after the filters) runs on any date")
    if date is None:
        best = per_date[per_date == per_date.max()].index[0]  # ties: the earliest date
        return pd.Timestamp(best).date(), True, int(per_date.max())
    key = np.datetime64(date, "D")
    if key not in per_date.index:
        first = pd.Timestamp(per_date.index[0]).date()
        last = pd.Timestamp(per_date.index[-1]).date()
        raise BeltGraphError(
            f"no trip (after the filters) runs on {date.isoformat()}; the feed's trips run "
            f"on dates from {first} to {last} (without `date`: the date with the most trips)"
        )
    return date, False, int(per_date.loc[key])


def _select_routes(
    routes: pd.DataFrame,
    agencies: pd.DataFrame,
    route_types: Iterable[str] | None,
    agency: Iterable[str] | None,
) -> pd.DataFrame:
    keep = np.ones(len(routes), dtype=bool)
    if route_types:
        wanted = [str(x).strip().lower() for x in route_types if str(x).strip()]
        names = {"metro": "subway", "underground": "subway", "train": "rail"}
        cats = routes["route_type"].map(route_category)
        hit = np.zeros(len(routes), dtype=bool)
        valid = set(ROUTE_TYPE_NAMES.values()) | set(_EXTENDED.values()) | set(names)
        for w in wanted:
            if w.isdigit():
                hit |= (routes["route_type"] == int(w)).to_numpy()
            elif w in valid:
                hit |= (cats == names.get(w, w)).to_numpy()
            else:
                raise BeltGraphError(
                    f"unknown route type {w!r}: give GTFS numbers or names "
                    f"({', '.join(sorted(valid))})"
                )
        keep &= hit
    if agency:
        names_wanted = {str(a).strip().casefold() for a in agency if str(a).strip()}
        ids = {
            str(r["agency_id"])
            for r in agencies.to_dict("records")
            if str(r["agency_id"]).casefold() in names_wanted
            or str(r["agency_name"]).strip().casefold() in names_wanted
        }
        if not ids:
            listed = "; ".join(
                f"{r['agency_id'] or '(no id)'}: {r['agency_name']}"
                for r in agencies.to_dict("records")
            )
            raise BeltGraphError(
                f"no agency matches {', '.join(sorted(names_wanted))}; the feed's agencies: "
                f"{listed or 'none (no agency.txt)'}"
            )
        keep &= routes["agency_id"].isin(ids).to_numpy()
    if not keep.any():
        raise BeltGraphError("no route of the feed matches `route_types` and `agency`")
    return routes[keep]


_P = ParamSpec("_P")


_R = TypeVar("_R")


def _text_in_python_strings(f: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``f`` with pandas' text in Python strings (numpy object arrays).

    pandas keeps text in pyarrow arrays when pyarrow is installed (the [parquet] and [dask]
    extras bring it); the import works on numpy object arrays throughout, and converting every
    column back and forth made it about 60 % slower (Cairns: 247 ms against 155 ms).
    """

    @functools.wraps(f)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with pd.option_context("mode.string_storage", "python"):
            return f(*args, **kwargs)

    return wrapper


@_text_in_python_strings
def import_gtfs(
    feed: str | Path,
    output: str | Path,
    *,
    date: dt.date | None = None,
    route_types: Iterable[str] | None = None,
    agencies: Iterable[str] | None = None,
    min_transfer_minutes: float = FEED_MIN_TRANSFER_MINUTES,
    max_walk_meters: float = 0.0,
    force: bool = False,
    warn: Callable[[str], None] | None = None,
    strict: bool = False,
) -> ImportSummary:
    """Read a GTFS feed and write a dataset folder of its stations and one day's timetable.

    Parameters
    ----------
    feed : str or Path
        A GTFS ``.zip`` file or a folder of its ``.txt`` files.
    output : str or Path
        The dataset folder to write (whole or not at all; ``force`` to replace a folder).
    date : datetime.date, optional
        The service day to import. Default: the date with the most trips (earliest of ties).
    route_types : iterable of str, optional
        Keep only routes of these types: GTFS numbers (``3``, ``101``) or names (``rail``,
        ``subway`` or ``metro``, ``bus``, ``tram``, ``ferry`` ...; a name covers the extended
        types of its category, ``rail`` also 100-199).
    agencies : iterable of str, optional
        Keep only routes of these agencies (``agency_id`` or ``agency_name``).
    min_transfer_minutes : float, default 2
        Minimum minutes between arriving and departing at a station that ``transfers.txt``
        gives no time for (written to every station's ``min_transfer_minutes``).
    max_walk_meters : float, default 0 (no walks)
        Also join stations within this great-circle distance by a walk (:data:`WALK_RULE`).
    warn : callable, optional
        Told each warning (what the feed gets wrong but could be read).
    force : bool, default False
        Replace ``output`` if it is not empty (never the feed itself).
    strict : bool, default False
        Refuse a feed with any fault. By default a fault confined to one trip (a bad time,
        times that run backwards, an unknown stop) leaves that trip out, and the import says
        which, with the file, line and column of its first fault; a feed left with no trip is
        refused.

    Returns
    -------
    ImportSummary
        The folder written, the service day and why it was chosen, counts, and the warnings.

    Raises
    ------
    FeedError
        Listing every problem of the feed with its file, line and column.
    BeltGraphError
        If no trip runs on ``date`` or no route matches the filters.
    OutputError
        If ``output`` cannot or may not be written.
    """
    feed = Path(feed)
    stage = [f"reading {feed.name}"]
    try:
        return _import(
            feed, output, date, route_types, agencies, min_transfer_minutes, max_walk_meters,
            force, warn, strict, stage,
        )  # fmt: skip
    except OutOfMemoryError:
        raise
    except MemoryError:
        # the step it was in; write_folder has removed whatever it had begun to write
        raise OutOfMemoryError(stage[0]) from None


def _import(
    feed: Path,
    output: str | Path,
    date: dt.date | None,
    route_types: Iterable[str] | None,
    agencies: Iterable[str] | None,
    min_transfer_minutes: float,
    max_walk_meters: float,
    force: bool,
    warn: Callable[[str], None] | None,
    strict: bool,
    stage: list[str],
) -> ImportSummary:
    """:func:`import_gtfs`'s work; ``stage[0]`` says which step it is in."""
    if not math.isfinite(min_transfer_minutes) or not 0 <= min_transfer_minutes <= 1440:
        raise ValueError(f"min_transfer_minutes must be 0 to 1,440, got {min_transfer_minutes!r}")
    if not math.isfinite(max_walk_meters) or not 0 <= max_walk_meters <= 10_000:
        raise ValueError(f"max_walk_meters must be 0 to 10,000, got {max_walk_meters!r}")
    problems = Collector()
    f = read_feed(feed, problems)
    stage[0] = f"checking {feed.name}"
    problems.raise_if_any(FeedError)
    p = _check(f, problems)
    left_out = _leave_out_faulty_trips(p, problems, strict=strict)
    problems.raise_if_any(FeedError)
    notes = list(f.warnings)
    notes += left_out[:MAX_DROPPED_SHOWN]
    if len(left_out) > MAX_DROPPED_SHOWN:
        notes.append(f"... and {len(left_out) - MAX_DROPPED_SHOWN:,} more trips left out")
    unused = set(p.stops.loc[p.stops["location_type"] == 0, "stop_id"].tolist()) - set(
        pd.unique(p.stop_times["stop"].to_numpy()).tolist()
    )
    if unused:
        notes.append(
            f"{f['stops.txt'].label}: {len(unused):,} stop(s) no trip calls at "
            f"(e.g. {sorted(unused)[0]!r}); left out"
        )
    urls = [str(u) for u in p.agencies["agency_url"].tolist() if u and not WEB_URL.match(str(u))]
    if urls:
        notes.append(
            f"{f['agency.txt'].label}: agency_url {urls[0]!r} is not a web address "
            "(http:// or https://); left out of metadata.csv"
        )
    if p.special_transfers:
        notes.append(
            f"{f['transfers.txt'].label}: {p.special_transfers:,} rule(s) for "
            "particular routes or trips; left out (belt-graph's changes are per station)"
        )
    stage[0] = f"building the day's stations, links and timetable from {feed.name}"
    routes = _select_routes(p.routes, p.agencies, route_types, agencies)
    trips = p.trips[p.trips["route_id"].isin(set(routes["route_id"].tolist()))]
    day, busiest, n_trips = _choose_date(p.services, trips, date)
    running = set(
        p.services.loc[p.services["date"] == np.datetime64(day, "D"), "service_id"].tolist()
    )
    all_trips = trips
    trips = all_trips[all_trips["service_id"].isin(running)]
    st, interpolated = _calls_of(p, trips)
    # the trips of earlier service days still running on this one (GTFS times them past 24:00,
    # or 48:00 ...): they run on the day imported too, as service_day -1, -2 ...; this day's
    # own late trips run tonight, not last night
    parts = [st.assign(day=0)]
    longest = float(np.nanmax(p.stop_times["dep"].to_numpy(dtype=float), initial=0.0))
    if len(p.frequencies):  # a copy of a trip may start as late as its window's end
        longest += float(p.frequencies["end"].max())
    for k in range(1, int(longest // DAY_SECONDS) + 1):
        then = np.datetime64(day - dt.timedelta(days=k), "D")
        services_then = set(p.services.loc[p.services["date"] == then, "service_id"].tolist())
        earlier, _ = _calls_of(p, all_trips[all_trips["service_id"].isin(services_then)])
        late = earlier.groupby("trip")["dep"].transform("max").to_numpy() >= k * DAY_SECONDS
        if late.any():
            suffix = "@prev" if k == 1 else f"@prev{k}"
            parts.append(earlier[late].assign(trip=earlier["trip"][late] + suffix, day=-k))
    st = pd.concat(parts, ignore_index=True)
    if not (st["day"] == 0).any():
        raise BeltGraphError(
            f"no trip that runs on {day.isoformat()} has calls in stop_times.txt: nothing to import"
        )
    n_previous = int(st.loc[st["day"] < 0, "trip"].nunique())
    station_of = p.stops.set_index("stop_id")["station"]
    st["station"] = st["stop"].map(station_of).to_numpy()
    st = _collapse(st.reset_index(drop=True))
    links, zero_links = _links(st, routes, day.year, feed.name)
    nodes = _nodes(p, st, f, problems)
    problems.raise_if_any(FeedError)
    change, transfer_links, n_rule = _transfers(
        p, nodes, links, max_walk_meters, feed.name, day.year
    )
    nodes["min_transfer_minutes"] = [
        f"{change.get(i, min_transfer_minutes):.10g}" for i in nodes["id"].tolist()
    ]
    nodes["min_transfer_source"] = [
        "GTFS transfers.txt" if i in change else "assumption (--min-transfer-minutes)"
        for i in nodes["id"].tolist()
    ]
    links = pd.concat([links, transfer_links], ignore_index=True).fillna("")
    timetable = _timetable(st, routes)
    for n in notes:
        if warn is not None:
            warn(n)
    info = {
        "feed": feed,
        "date": day,
        "busiest": busiest,
        "trips": n_trips,
        "routes": routes,
        "agencies": p.agencies,
        "feed_info": f.get("feed_info.txt"),
        "attributions": f.get("attributions.txt"),
        "route_types": list(route_types or []),
        "agency_filter": list(agencies or []),
        "min_transfer": min_transfer_minutes,
        "max_walk": max_walk_meters,
        "own_change": len(change),
        "transfer_links": int((transfer_links["method"] == "transfers.txt").sum())
        if len(transfer_links)
        else 0,
        "walk_links": n_rule,
        "interpolated": interpolated,
        "zero_links": zero_links,
        "frequencies": len(p.frequencies),
        "warnings": notes,
        "dropped": left_out,
        "n_nodes": len(nodes),
        "n_links": len(links),
        "n_calls": int((timetable["service_day"] == 0).sum()),
        "n_train": timetable.loc[timetable["service_day"] == 0, "train"].nunique(),
        "n_previous": n_previous,
        "express": int((links["kind"] == "service").sum()),
    }
    out = Path(output)

    def build(tmp: Path) -> None:
        _write_csv(tmp / S.NODES_FILE, nodes)
        _write_csv(tmp / S.LINKS_FILE, links)
        _write_csv(tmp / S.TIMETABLE_FILE, timetable)
        _write_csv(tmp / S.METADATA_FILE, _metadata(info))
        (tmp / "README.md").write_text(_datasheet(info), encoding="utf-8")
        (tmp / "attribution.txt").write_text(_attribution(info) + "\n", encoding="utf-8")

    stage[0] = f"writing {out}"
    write_folder(out, build, force=force, protect=[feed])
    return ImportSummary(
        path=out,
        date=day,
        busiest=busiest,
        trips_on_date=n_trips,
        stations=len(nodes),
        links=len(links),
        calls=int(info["n_calls"]),
        trips=int(info["n_train"]),
        walks=len(transfer_links),
        warnings=notes,
        dropped_trips=len(left_out),
        previous_day_trips=n_previous,
    )
