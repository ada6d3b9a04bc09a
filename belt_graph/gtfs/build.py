"""The network built from a checked feed.

Stations, links between consecutive stations, the timetable of one day, changes of train and walks
between stations (:func:`_links`, :func:`_nodes`, :func:`_transfers`, :func:`_timetable`).
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from .. import schema as S
from ..dataset._rows import Collector
from ..errors import BeltGraphError
from .checks import _MODE, _Parsed, route_category
from .feed import (
    Feed,
)

__all__ = ["FEED_MIN_TRANSFER_MINUTES", "WALK_RULE"]


#: Minutes between arriving and departing at one station where the feed gives none: an
#: assumption for buses, trams and metros (belt-graph's national rail default is 15).
FEED_MIN_TRANSFER_MINUTES = 2.0


#: Walks between nearby stations (``max_walk_meters``): the great-circle distance times a route
#: factor, at a walking speed. An assumption, stated in the written datasheet.
WALK_RULE = {"route_factor": 1.3, "speed_kmh": 4.8}


#: Minutes of a link whose every trip takes no time between the two stops (the feed rounds two
#: close stops to the same minute): an estimate, flagged in the link's ``confidence``.
ZERO_LINK_MINUTES = 0.5


#: The most stop times that ``frequencies.txt`` may expand into (checked before expanding):
#: about 1 GB of memory while the import runs.
MAX_EXPANDED_STOP_TIMES = 5_000_000


def _expand_frequencies(st: pd.DataFrame, freq: pd.DataFrame) -> pd.DataFrame:
    """Replace each trip of ``frequencies.txt`` by one trip per start (``trip@HH:MM:SS``).

    The size is checked first (:data:`MAX_EXPANDED_STOP_TIMES`); each template trip's copies
    are made at once (repeated rows, shifted times), not one by one.
    """
    if not len(freq):
        return st
    templated = st["trip"].isin(set(freq["trip_id"].tolist()))
    plain = st[~templated]
    groups = dict(tuple(st[templated].groupby("trip", sort=True)))
    starts_of: dict[str, np.ndarray] = {}
    total = 0
    for trip_id, rows in groups.items():
        f = freq[freq["trip_id"] == trip_id]
        starts = np.concatenate(
            [
                np.arange(int(a), int(b), int(h))
                for a, b, h in zip(f["start"], f["end"], f["headway"], strict=True)
            ]
        )
        starts_of[trip_id] = starts
        total += len(starts) * len(rows)
    if total > MAX_EXPANDED_STOP_TIMES:
        raise BeltGraphError(
            f"frequencies.txt expands into {total:,} stop times, over the limit of "
            f"{MAX_EXPANDED_STOP_TIMES:,} (belt_graph.gtfs.build.MAX_EXPANDED_STOP_TIMES): "
            "check its headway_secs, or import with --date for a day with fewer trips"
        )
    parts = [plain]
    for trip_id, rows in groups.items():
        starts = starts_of[trip_id]
        if not len(starts):
            continue
        k = len(rows)
        shift = np.repeat(starts - rows["dep"].min(), k)
        block = rows.iloc[np.tile(np.arange(k), len(starts))].reset_index(drop=True)
        block["arr"] = block["arr"].to_numpy() + shift
        block["dep"] = block["dep"].to_numpy() + shift
        block["trip"] = np.repeat(np.array([f"{trip_id}@{_clock(x)}" for x in starts]), k)
        parts.append(block)
    return pd.concat(parts, ignore_index=True)


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def _interpolate(st: pd.DataFrame, stops: pd.DataFrame) -> int:
    """Fill the times of calls between timepoints, in place; return how many were filled.

    Times are linear in the distance travelled (``shape_dist_traveled`` where the trip gives it,
    else great-circle between the stops).
    """
    arr = st["arr"].to_numpy(dtype=float).copy()
    missing = np.isnan(arr)
    if not missing.any():
        return 0
    coords = stops.set_index("stop_id")[["lat", "lon"]]
    trip = st["trip"].to_numpy()
    bounds = np.flatnonzero(np.concatenate(([True], trip[1:] != trip[:-1], [True])))
    starts = bounds[:-1]
    owner = np.searchsorted(starts, np.flatnonzero(missing), side="right") - 1
    dist_all = st["dist"].to_numpy(dtype=float)
    stop_all = st["stop"].to_numpy()
    spans = [(int(bounds[k]), int(bounds[k + 1])) for k in np.unique(owner)]
    rows = np.concatenate([np.arange(lo, hi) for lo, hi in spans])
    ll_rows = coords.reindex(stop_all[rows]).to_numpy(dtype=float)
    ll_of = dict(zip(rows.tolist(), range(len(rows)), strict=True))
    for lo, hi in spans:
        dist = dist_all[lo:hi]
        if np.isnan(dist).any():
            ll = ll_rows[ll_of[lo] : ll_of[lo] + hi - lo]
            steps = _haversine_km(ll[:-1, 0], ll[:-1, 1], ll[1:, 0], ll[1:, 1])
            dist = np.concatenate(([0.0], np.cumsum(np.where(np.isnan(steps), 0.0, steps))))
            if dist[-1] == 0:
                dist = np.arange(hi - lo, dtype=float)
        a = arr[lo:hi]
        known_ = ~np.isnan(a)
        arr[lo:hi] = np.where(known_, a, np.round(np.interp(dist, dist[known_], a[known_])))
    st["dep"] = np.where(missing, arr, st["dep"].to_numpy(dtype=float))
    st["arr"] = arr
    return int(missing.sum())


def _collapse(st: pd.DataFrame) -> pd.DataFrame:
    """Merge consecutive calls of a trip at one station into one call.

    Two platforms of one station, or a repeated stop, become one call: the first's arrival and
    drop-off, the last's departure and pickup.
    """
    trip = st["trip"].to_numpy()
    station = st["station"].to_numpy()
    same = (trip[1:] == trip[:-1]) & (station[1:] == station[:-1])
    if not same.any():
        return st
    first = np.flatnonzero(np.concatenate(([True], ~same)))
    last = np.concatenate((first[1:] - 1, [len(st) - 1]))
    out = st.iloc[first].reset_index(drop=True)
    for col in ("dep", "pickup"):
        out[col] = st[col].to_numpy()[last]
    return out


def _links(
    st: pd.DataFrame, routes: pd.DataFrame, year: int, feed_name: str
) -> tuple[pd.DataFrame, int]:
    """Return one link per route and pair of stations consecutive in one of its trips.

    A route's links chain its stops, so riding on along it is one ride (see the module docstring).
    """
    trip = st["trip"].to_numpy()
    station = st["station"].to_numpy()
    codes, names = pd.factorize(station, sort=True)  # code order is id order
    nxt = (trip[1:] == trip[:-1]) & (codes[1:] != codes[:-1])
    a, b = codes[:-1][nxt], codes[1:][nxt]
    u, v = np.minimum(a, b), np.maximum(a, b)
    dep = st["dep"].to_numpy(dtype=float)[:-1][nxt]
    arr = st["arr"].to_numpy(dtype=float)[1:][nxt]
    minutes = (arr - dep) / 60.0
    route_all = st["route_id"].to_numpy()[:-1][nxt]
    route_code, _ = pd.factorize(route_all, sort=True)
    key = (u.astype(np.int64) * len(names) + v) * (int(route_code.max(initial=0)) + 1) + route_code
    zero = minutes <= 0
    ride = np.flatnonzero(nxt)  # position of each ride's first call in st
    # per pair: the fastest positive ride (ties: the earliest in the file); where every ride
    # takes 0 s, the first one, with an estimated time
    order = np.lexsort((ride, minutes, zero, key))
    first = np.concatenate(([True], key[order][1:] != key[order][:-1]))
    best = order[first]
    n_trips = np.diff(np.flatnonzero(np.concatenate((first, [True]))))
    is_zero = zero[best]
    r = routes.set_index("route_id")
    mode_of_route = r["route_type"].map(lambda x: _MODE[route_category(int(x))])
    route = route_all[best]
    trips_best = trip[:-1][nxt][best]
    names_l = list(map(str, names))
    frm = [names_l[i] for i in a[best]]
    to = [names_l[i] for i in b[best]]
    dep_t = _seconds_text(dep[best])
    arr_t = _seconds_text(arr[best])
    evidence = [
        f"every trip takes 0 s between the two stops; {ZERO_LINK_MINUTES} min estimated"
        if z
        else f"trip {t} {f} {d} -> {g} {ar}"
        for z, t, f, d, g, ar in zip(is_zero, trips_best, frm, dep_t, to, arr_t, strict=True)
    ]
    minutes_best = np.where(is_zero, ZERO_LINK_MINUTES, minutes[best])
    express = _express_pairs(st, (codes, names))
    source = [names_l[i] for i in u[best]]
    target = [names_l[i] for i in v[best]]
    links = pd.DataFrame(
        {
            "source": source,
            "target": target,
            "minutes": [f"{m:.10g}" for m in minutes_best],
            "mode": pd.Series(route).map(mode_of_route).to_numpy(),
            "line": pd.Series(route).map(r["line"]).to_numpy(),
            "status": "open",
            "kind": [
                "service" if (x, y) in express else "track"
                for x, y in zip(source, target, strict=True)
            ],
            "confidence": np.where(is_zero, "estimated", "high"),
            "data_year": str(year),
            "trips": n_trips.astype(str),
            "fastest_trip": trips_best,
            "evidence": evidence,
            "source_ref": f"GTFS feed {feed_name}: stop_times.txt",
        }
    )
    return links, int(is_zero.sum())


def _express_pairs(
    st: pd.DataFrame, factorized: tuple[np.ndarray, Any] | None = None
) -> set[tuple[str, str]]:
    """Return the pairs of consecutive stations that an express links.

    A pair consecutive in some trip that some trip calls at with other stations between them (an
    express passes stops there): their link is a ``service``, not ``track``.

    A loop that calls at a station twice counts the nearest calls of the two. Counted over the
    distinct stopping patterns: a pair is an express's where more patterns call at both
    stations than have them next to each other (the patterns calling at both, from the sparse
    product of patterns by stations; a pattern by pair took seconds on a feed of 40,000
    patterns). ``factorized``: the stations' ``pd.factorize(..., sort=True)``, if at hand.
    """
    from scipy.sparse import csr_array

    trip = st["trip"].to_numpy()
    if factorized is None:  # code order: id order
        factorized = pd.factorize(st["station"].to_numpy(), sort=True)
    codes, names = factorized
    bounds = np.flatnonzero(np.concatenate(([True], trip[1:] != trip[:-1], [True])))
    patterns = list({tuple(codes[s:e].tolist()) for s, e in itertools.pairwise(bounds)})
    if not patterns:
        return set()
    n = len(names)
    length = np.array([len(p) for p in patterns])
    stop = np.fromiter(itertools.chain.from_iterable(patterns), dtype=np.int64, count=length.sum())
    pid = np.repeat(np.arange(len(patterns)), length)
    # next to each other in a pattern: each unordered pair once per pattern
    same = (pid[1:] == pid[:-1]) & (stop[1:] != stop[:-1])
    a, b = stop[:-1][same], stop[1:][same]
    pair = np.minimum(a, b) * n + np.maximum(a, b)
    pair_code, consecutive = pd.factorize(pair)
    P = csr_array(
        (np.ones(len(pair), dtype=np.int64), (pid[:-1][same], pair_code)),
        shape=(len(patterns), len(consecutive)),
    )
    P.sum_duplicates()  # a pattern that has a pair twice (a loop) has it once
    adjacent = np.bincount(P.indices, minlength=len(consecutive))
    # calling at both: (patterns x stations)' x (patterns x stations), read at those pairs
    M = csr_array((np.ones(len(stop), dtype=np.int64), (pid, stop)), shape=(len(patterns), n))
    M.sum_duplicates()
    M.data[:] = 1  # a loop's second call at a station is the same station
    both = (M.T @ M).tocsr()
    x, y = consecutive // n, consecutive % n
    calling_both = np.asarray(both[x, y]).ravel()
    express = calling_both > adjacent
    ids = [str(v) for v in names]
    return {(ids[i], ids[j]) for i, j in zip(x[express].tolist(), y[express].tolist(), strict=True)}


def _walk_pairs(nodes: pd.DataFrame, max_meters: float) -> list[tuple[str, str, float, float]]:
    """Pairs of stations within ``max_meters`` (great-circle): (a, b, metres, minutes)."""
    if max_meters <= 0 or len(nodes) < 2:
        return []
    from scipy.spatial import cKDTree

    lat = nodes["lat"].to_numpy(dtype=float)
    lon = nodes["lon"].to_numpy(dtype=float)
    lat0 = math.radians(float(np.mean(lat)))
    xy = np.column_stack(
        (np.radians(lon) * math.cos(lat0) * 6_371_000.0, np.radians(lat) * 6_371_000.0)
    )
    tree = cKDTree(xy)
    # the planar distance is within a fraction of a percent of the great-circle one at
    # walking range; the exact check below uses the great-circle distance
    pairs = tree.query_pairs(max_meters * 1.01, output_type="ndarray")
    out = []
    ids = nodes["id"].to_numpy()
    if len(pairs):
        metres = _haversine_km(
            lat[pairs[:, 0]], lon[pairs[:, 0]], lat[pairs[:, 1]], lon[pairs[:, 1]]
        )
        metres = np.asarray(metres) * 1000.0
        rule = WALK_RULE
        for (i, j), m in zip(pairs, metres, strict=True):
            if m <= max_meters:
                minutes = m / 1000.0 * rule["route_factor"] / rule["speed_kmh"] * 60.0
                # to the second, as GTFS times are (so that an export round-trips)
                minutes = max(round(minutes * 60), 1) / 60
                a, b = sorted((str(ids[i]), str(ids[j])))
                out.append((a, b, float(m), minutes))
    return sorted(out)


def _nodes(p: _Parsed, st: pd.DataFrame, f: Feed, problems: Collector) -> pd.DataFrame:
    used = np.sort(pd.unique(st["station"].to_numpy()))
    stops = p.stops.set_index("stop_id")
    rows = stops.loc[used]
    merged = p.stops[p.stops["location_type"] == 0].groupby("station").size()
    ids = rows.index.to_numpy()
    name = rows["name"].to_numpy()
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": np.where(name == "", ids, name),
            "kind": "station",
            "lat": [f"{x:.7f}" for x in rows["lat"].tolist()],
            "lon": [f"{x:.7f}" for x in rows["lon"].tolist()],
            "coord_status": "sourced",
            "coord_source": "GTFS stops.txt",
            "stop_code": rows["code"].to_numpy(),
            "gtfs_stops": merged.reindex(ids).fillna(1).astype(int).astype(str).to_numpy(),
        }
    )
    t = f["stops.txt"]
    line_of = dict(zip(ids.tolist(), t.line(rows["_pos"].to_numpy()), strict=True))
    seen: dict[str, str] = {}
    for node_id, node_name in zip(ids.tolist(), nodes["name"].tolist(), strict=True):
        where = (t.label, line_of[node_id])
        if len(node_id) > S.MAX_ID_CHARS:
            problems.add(*where, "stop_id", f"is {len(node_id)} characters long (belt-graph "
                         f"ids: at most {S.MAX_ID_CHARS})")  # fmt: skip
        if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in node_id):
            problems.add(*where, "stop_id", "contains a control character or line break")
        if len(node_name) > S.MAX_NAME_CHARS:
            problems.add(*where, "stop_name", f"is {len(node_name)} characters long "
                         f"(belt-graph names: at most {S.MAX_NAME_CHARS})")  # fmt: skip
        key = unicodedata.normalize("NFKC", node_id).casefold()
        if key in seen:
            problems.add(*where, "stop_id",
                         f"{node_id!r} differs from {seen[key]!r} only by case or character "
                         "width; belt-graph looks stations up ignoring both")  # fmt: skip
        seen[key] = node_id
    return nodes


def _transfers(
    p: _Parsed,
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    max_walk: float,
    feed_name: str,
    year: int,
) -> tuple[dict[str, float], pd.DataFrame, int]:
    """Each station's own change minutes, and transfer links (from transfers.txt and walks)."""
    station_of = p.stops.set_index("stop_id")["station"]
    known_ = set(nodes["id"].tolist())
    change: dict[str, float] = {}
    rows: dict[tuple[str, str], dict[str, object]] = {}
    forbidden: set[tuple[str, str]] = set()
    pos = nodes.set_index("id")[["lat", "lon"]].astype(float)
    t = p.transfers
    for r in t.itertuples(index=False):
        a, b = station_of.get(r.from_stop), station_of.get(r.to_stop)
        if a not in known_ or b not in known_:
            continue
        if r.type == 3:
            forbidden.add((min(a, b), max(a, b)))
            continue
        if r.type not in (0, 1, 2):
            continue  # in-seat transfers (4, 5): the same vehicle goes on
        secs = float(r.seconds) if r.type == 2 else math.nan
        if a == b:
            if not math.isnan(secs):  # several rules of one station: the longest
                change[a] = max(change.get(a, 0.0), secs / 60.0)
            continue
        k = (min(a, b), max(a, b))
        if math.isnan(secs):
            km = float(_haversine_km(*pos.loc[a], *pos.loc[b]))
            minutes = km * WALK_RULE["route_factor"] / WALK_RULE["speed_kmh"] * 60
            how = f"transfers.txt (type {r.type}, no time): walk rule"
        else:
            minutes = secs / 60.0
            how = "transfers.txt min_transfer_time"
        old = rows.get(k)
        if old is None or float(str(old["minutes"])) > minutes:
            rows[k] = {
                "source": k[0],
                "target": k[1],
                "minutes": f"{max(minutes, 1 / 60):.10g}",
                "mode": "walk",
                "line": "",
                "status": "open",
                "kind": "transfer",
                "confidence": "high" if not math.isnan(secs) else "estimated",
                "method": "transfers.txt",
                "data_year": "" if math.isnan(secs) else str(year),
                "evidence": how,
                "source_ref": f"GTFS feed {feed_name}: transfers.txt",
            }
    walks = 0
    rule = WALK_RULE
    for a, b, metres, minutes in _walk_pairs(nodes, max_walk):
        if (a, b) in rows or (a, b) in forbidden:
            continue
        walks += 1
        rows[(a, b)] = {
            "source": a,
            "target": b,
            "minutes": f"{minutes:.10g}",
            "mode": "walk",
            "line": "",
            "status": "open",
            "kind": "transfer",
            "confidence": "estimated",
            "method": "walk_rule",
            "evidence": f"great-circle {metres:.0f} m",
            "source_ref": (
                f"estimated: great-circle distance x route factor {rule['route_factor']} / "
                f"{rule['speed_kmh']} km/h walking (max {max_walk:g} m)"
            ),
        }
    transfer = pd.DataFrame(list(rows.values()))
    return change, transfer, walks


def _timetable(st: pd.DataFrame, routes: pd.DataFrame) -> pd.DataFrame:
    trip = st["trip"].to_numpy()
    starts = np.concatenate(([True], trip[1:] != trip[:-1]))
    group = np.cumsum(starts) - 1
    first_index = np.flatnonzero(starts)
    sequence = np.arange(len(st)) - first_index[group] + 1
    r = routes.set_index("route_id")
    ends = np.concatenate((trip[1:] != trip[:-1], [True]))
    arr = st["arr"].to_numpy(dtype=float).copy()
    dep = st["dep"].to_numpy(dtype=float).copy()
    arr[starts] = np.nan  # nobody arrives at the first call, nobody leaves from the last
    dep[ends] = np.nan
    return pd.DataFrame(
        {
            "train": trip,
            "sequence": sequence,
            "station": st["station"].to_numpy(),
            "arrival": _seconds_text(arr),
            "departure": _seconds_text(dep),
            "line": st["route_id"].map(r["line"]).to_numpy(),
            "mode": st["route_id"]
            .map(r["route_type"].map(lambda x: _MODE[route_category(int(x))]))
            .to_numpy(),
            "pickup": np.where(st["pickup"].to_numpy() == 1, "no", ""),
            "drop_off": np.where(st["drop_off"].to_numpy() == 1, "no", ""),
            # one dated service day: 0 the day imported, -1 the day before's late trips
            "service_day": st["day"].to_numpy() if "day" in st.columns else 0,
        }
    )


def _seconds_text(values: np.ndarray) -> np.ndarray:
    """``HH:MM:SS`` of seconds (empty for NaN), formatting each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = np.array([_clock(v) for v in uniques] + [""], dtype=object)
    return text[codes] if len(codes) else np.zeros(0, dtype=object)
