"""A dataset's timetable as a GTFS feed: :func:`export_gtfs`.

For checking our answers with other tools (OpenTripPlanner, r5py, gtfs-kit ...).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from .. import schema as S
from .._files import atomic_write
from ..dataset._rows import known_timezone
from ..dataset.core import Dataset
from ..errors import BeltGraphError, NoTimetableError
from .build import _seconds_text
from .feed import (
    WEEKDAYS,
)

__all__ = ["ExportSummary", "export_gtfs"]


@dataclass(frozen=True)
class ExportSummary:
    """What :func:`export_gtfs` wrote: counts of the feed's files and what was left out."""

    path: Path
    stops: int
    routes: int
    trips: int
    stop_times: int
    transfers: int
    warnings: list[str] = field(default_factory=list)


_TRAIN_CLASS = re.compile(r"[A-Za-z]+")


def export_gtfs(
    ds: Dataset,
    path: str | Path,
    *,
    timezone: str | None = None,
    url: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_transfer_minutes: float = 15.0,
    force: bool = False,
) -> ExportSummary:
    """Write a dataset's timetable as a GTFS feed (a ``.zip``).

    Every train runs every day from ``start`` to ``end`` (one ``daily`` service): belt-graph's
    timetable is one day's, repeated. A ride between calls with missing times becomes its own
    trip (``train``, ``train#2`` ...), so that no one rides through a missing time; a train's
    calls at a station without coordinates are left out (GTFS needs them; said in the
    warnings). Routes are the timetable's ``line`` (else ``service_type``, else the train
    number's letter prefix, e.g. ``G``); ``transfers.txt`` carries every station's change
    minutes (its ``min_transfer_minutes``, else ``min_transfer_minutes``) and the dataset's
    changes between stations.

    Parameters
    ----------
    timezone, url : str, optional
        The agency's time zone and URL, required by GTFS. Default: the dataset's
        ``metadata.csv`` (``timezone``, ``url``).
    start, end : datetime.date, optional
        The dates the feed's service runs. Default: ``service_start`` / ``service_end`` of
        ``metadata.csv``.
    min_transfer_minutes : float, default 15
        The change time written for stations that have none of their own.
    ds : Dataset
        A dataset with a timetable.
    path : str or pathlib.Path
        The ``.zip`` feed to write.
    force : bool, default False
        Replace the output if it exists (an input is never replaced).

    Returns
    -------
    ExportSummary
        The path written, counts of each file's rows, and warnings (what was left out).

    Raises
    ------
    NoTimetableError
        If the dataset has no timetable.
    BeltGraphError
        If the time zone, URL or dates are neither given nor in ``metadata.csv``.
    """
    if ds.timetable is None:
        raise NoTimetableError(ds.name)
    meta = ds.metadata
    timezone = timezone or meta.get("timezone")
    url = url or meta.get("url")
    start = start or _date_or_none(meta.get("service_start"))
    end = end or _date_or_none(meta.get("service_end"))
    missing = [
        f"{name} (`{option}`)"
        for name, option, value in (
            ("a time zone", "timezone", timezone),
            ("an agency URL", "url", url),
            ("a first service date", "start", start),
            ("a last service date", "end", end),
        )
        if not value
    ]
    if missing:
        raise BeltGraphError(
            f"a GTFS feed needs {', '.join(missing)}: give them, or add them to the dataset's "
            "metadata.csv (keys timezone, url, service_start, service_end)"
        )
    assert timezone and url and start and end
    if not known_timezone(timezone):
        raise BeltGraphError(
            f"unknown time zone {timezone!r} (`timezone`): an IANA name such as Asia/Shanghai"
        )
    if start > end:
        raise BeltGraphError(f"the first service date {start} is after the last {end}")
    tables, notes = _feed_tables(ds, timezone, url, start, end, min_transfer_minutes)
    out = Path(path)

    def write(fh: IO[bytes]) -> None:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, df in tables.items():
                buf = io.StringIO()
                df.to_csv(buf, index=False, lineterminator="\n")
                zf.writestr(name, buf.getvalue())
            zf.writestr("README.txt", _readme(ds, start, end, notes))

    atomic_write(out, write, force=force, protect=[ds.path])
    return ExportSummary(
        path=out,
        stops=len(tables["stops.txt"]),
        routes=len(tables["routes.txt"]),
        trips=len(tables["trips.txt"]),
        stop_times=len(tables["stop_times.txt"]),
        transfers=len(tables["transfers.txt"]),
        warnings=notes,
    )


def _readme(ds: Dataset, start: dt.date, end: dt.date, notes: list[str]) -> str:
    """Return the feed's own note: where it comes from and what the export left out.

    GTFS readers ignore files they do not know; a person opening the zip reads this one.
    """
    lines = [
        f"GTFS feed exported by belt-graph from the dataset {ds.name!r}, service {start} to {end}.",
        "The same timetable runs every day of the service; see the dataset's datasheet for",
        "the sources of its times.",
        "",
    ]
    if notes:
        lines.append("Left out or changed by the export:")
        lines += [f"- {n}" for n in notes]
    else:
        lines.append("Nothing of the timetable was left out.")
    return "\n".join(lines) + "\n"


def _date_or_none(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _feed_tables(
    ds: Dataset,
    timezone: str,
    url: str,
    start: dt.date,
    end: dt.date,
    min_transfer_minutes: float,
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    tt = ds.timetable
    assert tt is not None
    notes: list[str] = []
    if "service_day" in tt.columns and (tt["service_day"] < 0).any():
        # a GTFS import's previous-day trips: a feed of one pattern every day has no place
        # for them (that day's own late trips already run past midnight every night)
        before = tt["service_day"] < 0
        notes.append(
            f"{tt.loc[before, 'train'].nunique():,} trip(s) of earlier service days left "
            "out: the feed runs one day's trips every day, its late trips past midnight"
        )
        tt = tt[~before]
    nodes = ds.nodes
    placed = nodes["lat"].notna() & nodes["lon"].notna()
    unplaced = set(nodes.index[~placed])
    tt = tt.sort_values(["train", "sequence"], kind="stable")
    dropped = tt["station"].isin(unplaced)
    if dropped.any():
        names = ", ".join(sorted(map(str, set(tt.loc[dropped, "station"]))))
        notes.append(
            f"{int(dropped.sum()):,} call(s) at {names} left out: no coordinates (GTFS needs "
            "them); the trains still run between their other calls"
        )
    calls = tt[~dropped].reset_index(drop=True)
    train = calls["train"].astype(str).to_numpy()
    arr = calls["arrival_minutes"].to_numpy(dtype=float)
    dep = calls["departure_minutes"].to_numpy(dtype=float)
    same = np.concatenate(([False], train[1:] == train[:-1]))
    # a ride continues to the next call only where this one departs and the next arrives
    link = np.concatenate((same[1:] & ~np.isnan(dep[:-1]) & ~np.isnan(arr[1:]), [False]))
    into = np.concatenate(([False], link[:-1]))
    keep = link | into  # calls on some ride; a call on none (a lone call) is left out
    new_ride = keep & ~into
    ride = np.cumsum(new_ride) - 1
    calls = calls.assign(_ride=ride, _keep=keep)
    calls = calls[keep].reset_index(drop=True)
    ride = calls["_ride"].to_numpy()
    train = calls["train"].astype(str).to_numpy()
    first_of_ride = np.concatenate(([True], ride[1:] != ride[:-1]))
    last_of_ride = np.concatenate((ride[1:] != ride[:-1], [True]))
    # trips: the first ride of a train keeps its number, later ones get #2, #3 ...
    ride_train = train[first_of_ride]
    nth = pd.Series(ride_train).groupby(ride_train).cumcount().to_numpy() + 1
    trip_ids = np.array([t if k == 1 else f"{t}#{k}" for t, k in zip(ride_train, nth, strict=True)])
    split = int((nth > 1).sum())
    if split:
        notes.append(
            f"{split:,} trip(s) split where a call has a missing time (named train#2 ...): "
            "nobody rides through a missing time"
        )
    a = calls["arrival_minutes"].to_numpy(dtype=float)
    d = calls["departure_minutes"].to_numpy(dtype=float)
    a = np.where(first_of_ride | np.isnan(a), d, a)
    d = np.where(last_of_ride | np.isnan(d), a, d)
    route_key = _route_keys(calls)
    routes_u = sorted(set(route_key))
    route_id = {r: f"R{i + 1}" for i, r in enumerate(routes_u)}
    mode_of = (
        calls["mode"].astype(str).replace("", "rail")
        if "mode" in calls.columns
        else pd.Series("rail", index=calls.index)
    )
    route_mode: dict[str, str] = {}
    for k, m in zip(route_key, mode_of, strict=True):
        route_mode.setdefault(k, m)
    gtfs_type = {"rail": 2, "metro": 1, "tram": 0, "bus": 3, "ferry": 4, "cable": 6, "air": 1100}
    # a stop that no exported trip calls at is left out, even at the end of a change of
    # station (a validator flags a stop without stop times)
    stops = nodes[placed & nodes.index.isin(set(calls["station"]))]
    stops_df = pd.DataFrame(
        {
            "stop_id": stops.index.astype(str),
            "stop_name": stops["name"].astype(str).to_numpy(),
            "stop_desc": stops["name_zh"].fillna("").astype(str).to_numpy()
            if "name_zh" in stops.columns
            else "",
            "stop_lat": [f"{x:.7f}" for x in stops["lat"]],
            "stop_lon": [f"{x:.7f}" for x in stops["lon"]],
            "location_type": 0,
        }
    )
    title = ds.title
    agency = pd.DataFrame(
        [
            {
                "agency_id": "A1",
                "agency_name": title,
                "agency_url": url,
                "agency_timezone": timezone,
            }
        ]
    )
    routes = pd.DataFrame(
        {
            "route_id": [route_id[r] for r in routes_u],
            "agency_id": "A1",
            "route_short_name": routes_u,
            "route_long_name": "",
            "route_type": [gtfs_type.get(route_mode[r], 3) for r in routes_u],
        }
    )
    ride_route = route_key[first_of_ride]
    trips = pd.DataFrame(
        {
            "route_id": [route_id[r] for r in ride_route],
            "service_id": "daily",
            "trip_id": trip_ids,
            "trip_short_name": ride_train,
        }
    )
    stop_seq = np.arange(len(calls)) - np.flatnonzero(first_of_ride)[ride - ride.min()] + 1
    stop_times = pd.DataFrame(
        {
            "trip_id": trip_ids[ride - ride.min()],
            "arrival_time": _seconds_text(np.round(a * 60)),
            "departure_time": _seconds_text(np.round(d * 60)),
            "stop_id": calls["station"].astype(str).to_numpy(),
            "stop_sequence": stop_seq,
        }
    )
    for col, gtfs in (("pickup", "pickup_type"), ("drop_off", "drop_off_type")):
        if col in calls.columns:
            stop_times[gtfs] = np.where(calls[col].astype(str) == "no", 1, 0)
    calendar = pd.DataFrame(
        [
            {
                "service_id": "daily",
                **dict.fromkeys(WEEKDAYS, 1),
                "start_date": start.strftime("%Y%m%d"),
                "end_date": end.strftime("%Y%m%d"),
            }
        ]
    )
    transfers = _export_transfers(ds, stops.index, min_transfer_minutes)
    feed_info = pd.DataFrame(
        [
            {
                "feed_publisher_name": f"belt-graph export of {title}",
                "feed_publisher_url": url,
                "feed_lang": ds.metadata.get("language", "en") or "en",
                "feed_start_date": start.strftime("%Y%m%d"),
                "feed_end_date": end.strftime("%Y%m%d"),
            }
        ]
    )
    tables = {
        "agency.txt": agency,
        "stops.txt": stops_df,
        "routes.txt": routes,
        "trips.txt": trips,
        "stop_times.txt": stop_times,
        "calendar.txt": calendar,
        "transfers.txt": transfers,
        "feed_info.txt": feed_info,
    }
    return tables, notes


def _route_keys(calls: pd.DataFrame) -> np.ndarray:
    """Return a route per line.

    The timetable's ``line``, else ``service_type``, else the letters that start the train number
    (``G`` for G8), else ``other``.
    """
    for col in ("line", "service_type"):
        if col in calls.columns and (calls[col].astype(str) != "").any():
            first = calls.groupby("train")[col].agg(lambda s: next((x for x in s if x), ""))
            keys = calls["train"].map(first).replace("", "other").astype(str)
            return np.asarray(keys.to_numpy(), dtype=object)
    prefix = (
        calls["train"]
        .astype(str)
        .map(lambda t: m[0].upper() if (m := _TRAIN_CLASS.match(t)) else "other")
    )
    return np.asarray(prefix.to_numpy(), dtype=object)


def _transfer_ends(ds: Dataset) -> set[str]:
    links = ds.links
    if S.KIND not in links.columns:
        return set()
    t = links[(links[S.KIND] == "transfer") & (links["status"] == "open")]
    return set(t["source"]) | set(t["target"])


def _export_transfers(ds: Dataset, stops: pd.Index, default: float) -> pd.DataFrame:
    nodes = ds.nodes
    own = (
        pd.to_numeric(nodes["min_transfer_minutes"], errors="coerce")
        if "min_transfer_minutes" in nodes.columns
        else pd.Series(np.nan, index=nodes.index)
    )
    rows = [
        {
            "from_stop_id": s,
            "to_stop_id": s,
            "transfer_type": 2,
            "min_transfer_time": round(
                (default if math.isnan(own.get(s, np.nan)) else own[s]) * 60
            ),
        }
        for s in map(str, stops)
    ]
    links = ds.links
    if S.KIND in links.columns:
        t = links[(links[S.KIND] == "transfer") & (links["status"] == "open")]
        for r in t.itertuples(index=False):
            if r.source in stops and r.target in stops:
                secs = round(float(r.minutes) * 60)
                rows.append(
                    {
                        "from_stop_id": r.source,
                        "to_stop_id": r.target,
                        "transfer_type": 2,
                        "min_transfer_time": secs,
                    }
                )
                rows.append(
                    {
                        "from_stop_id": r.target,
                        "to_stop_id": r.source,
                        "transfer_type": 2,
                        "min_transfer_time": secs,
                    }
                )
    return pd.DataFrame(
        rows, columns=["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"]
    )
