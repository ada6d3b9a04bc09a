"""The belt's trains from the 2023 running times: track hops and rides (used by build_belt.py).

Input: ``data/raw/cn_rail_2023_hops/edge_multiply.csv`` (every train's consecutive stops and
the running minutes between them, 12306, 2023-09-25 to 2023-10-06), read by
``build_rail_2023.trains``, and the dwell rule of ``build_rail_2023.dwell_check`` (fitted on the
2024-01-13 Shanghai departures; the same rule as the national 2023 dataset).

For each train that stops at two or more modelled stations:

- a **hop** joins two consecutive modelled stops of the train: running minutes plus the dwell
  at each stop in between that is not modelled (such as 安亭西 on the way from 太仓南 to
  Shanghai). A hop that passes a stop outside the belt's region (Shanghai, Yangzhou and the
  seven member prefectures) is dropped: the train has left the corridor between the two.
- a **ride** joins any two modelled stops of the train: its running minutes plus the dwell of
  every stop in between.

One per station pair: the fastest, with its train, and ``trains`` (every train that runs it, in
either direction; each train of the source counted once, as running daily).
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from build_rail_2023 import RAW, dwell_check, service_class, trains

#: Stations of these cities a train may pass between two modelled stops and stay on the belt.
REGION = ("上海", "南京", "无锡", "常州", "苏州", "南通", "镇江", "泰州", "扬州")
CITIES = RAW / "cn_rail_2023_hops" / "station_city.csv"


@dataclass
class Best:
    """The fastest ride of a station pair, the trains that run it, and what it passes."""

    minutes: int
    train: str
    passes: tuple[str, ...]
    trains: set[str] = field(default_factory=set)
    #: the stop the fastest train leaves from (the pair's key is sorted)
    first: str = ""
    #: every train's minutes (and what it passes) between the pair
    by_train: dict[str, tuple[int, tuple[str, ...], str]] = field(default_factory=dict)

    def fitting(self, design_kmh: float) -> Best | None:
        """The fastest of its trains that run on a railway of this design speed (:func:`fits`)."""
        ok = sorted((m, t, p, f) for t, (m, p, f) in self.by_train.items() if fits(t, design_kmh))
        if not ok:
            return None
        m, t, p, f = ok[0]
        trains = {x for _, x, *_ in ok}
        return Best(m, t, p, trains, f, {x: self.by_train[x] for x in trains})


def station_city() -> dict[str, str]:
    """Each station's city (Chinese name) as the source gives it."""
    with Path(CITIES).open(encoding="utf-8") as f:
        return {r["station"]: r["city"] for r in csv.DictReader(f)}


Pairs = dict[tuple[str, str], Best]


def belt_trains(modelled: set[str]) -> tuple[Pairs, Pairs, dict[str, int]]:
    """Return the hops and rides between modelled stations (keys: sorted pairs), and the dwell."""
    by_train = trains()
    dwell, _ = dwell_check(by_train)
    city = station_city()
    hops: dict[tuple[str, str], Best] = {}
    rides: dict[tuple[str, str], Best] = {}

    def keep(table: Pairs, a: str, b: str, m: int, train: str, passes: tuple[str, ...]) -> None:
        key = (min(a, b), max(a, b))
        best = table.get(key)
        if best is None:
            best = table[key] = Best(m, train, passes, first=a)
        elif (m, train) < (best.minutes, best.train):
            best.minutes, best.train, best.passes, best.first = m, train, passes, a
        best.trains.add(train)
        if train not in best.by_train or m < best.by_train[train][0]:
            best.by_train[train] = (m, passes, a)

    for train in sorted(by_train):
        stops, run = by_train[train]
        at = [k for k, s in enumerate(stops) if s in modelled]
        if len(at) < 2:
            continue
        stay = dwell[service_class(train)]
        # departure and arrival minutes along the train, a dwell at every intermediate stop
        arr = [0] * len(stops)
        dep = [0] * len(stops)
        for k in range(1, len(stops)):
            arr[k] = dep[k - 1] + run[k - 1]
            dep[k] = arr[k] + (stay if k < len(stops) - 1 else 0)
        for p, i in enumerate(at):
            for q in range(p + 1, len(at)):
                j = at[q]
                if stops[i] == stops[j]:
                    continue
                passes = tuple(stops[i + 1 : j])
                m = arr[j] - dep[i]
                if q == p + 1 and all(city.get(s, "") in REGION for s in passes):
                    keep(hops, stops[i], stops[j], m, train, passes)
                keep(rides, stops[i], stops[j], m, train, passes)
    return hops, rides, dwell


# --- the railways: physical track, which railway a hop runs on, opening dates ------------------


@dataclass(frozen=True)
class Railway:
    """A segment of a railway in ``raw/belt_railways.csv``: its stations in order, its opening."""

    line_id: str
    line: str
    line_zh: str
    stations: tuple[str, ...]
    opened: str  # YYYY-MM-DD, YYYY-MM, YYYY, or empty (open in every year)
    opened_source: str
    design_kmh: float


def railways() -> list[Railway]:
    """The railway segments of ``raw/belt_railways.csv``, in file order."""
    with (RAW / "belt_railways.csv").open(encoding="utf-8") as f:
        return [
            Railway(
                r["line_id"],
                r["line"],
                r["line_zh"],
                tuple(r["stations"].split(";")),
                r["opened"],
                r["opened_source"],
                float(r["design_kmh"]),
            )
            for r in csv.DictReader(f)
        ]


def date_key(opened: str) -> tuple[int, int, int]:
    """An opening date as (year, month, day) for comparison; empty is the earliest."""
    if not opened:
        return (0, 0, 0)
    parts = [int(x) for x in opened.split("-")] + [1, 1]
    return parts[0], parts[1], parts[2]


def latest(dates: Iterable[str]) -> str:
    """The latest of opening dates (empty when none is known)."""
    return max(dates, key=date_key, default="")


#: The least design speed of a high-speed line: G and C trains run on these where they can.
HIGH_SPEED_KMH = 250.0


def fits(train: str, design_kmh: float) -> bool:
    """Whether a train of this class runs on a railway of this design speed.

    G and C trains (high-speed and intercity EMUs) run on high-speed lines; K, T, Z and other
    locomotive-hauled trains on the conventional ones; D trains on either, as does a train of
    no known class.
    """
    high = design_kmh >= HIGH_SPEED_KMH
    if train[:1] in ("G", "C"):
        return high
    if train[:1] in ("K", "T", "Z", "L", "Y", "S") or train[:1].isdigit():
        return not high
    return True


class RailNet:
    """The physical network of the railways: consecutive modelled stations of each segment.

    ``km(a, b)`` is the great-circle distance between two stations.
    """

    def __init__(
        self, segments: list[Railway], modelled: set[str], km: Callable[[str, str], float]
    ):
        self.km = km
        # the union of every railway: an edge keeps the railways it belongs to, in file order
        # (上海 - 上海西 is on the conventional railway and on the intercity), the first its name
        self.G = nx.Graph()
        self.lines: dict[str, nx.Graph] = defaultdict(nx.Graph)
        for seg in segments:
            on = [s for s in seg.stations if s in modelled]
            for a, b in itertools.pairwise(on):
                if not self.G.has_edge(a, b):
                    self.G.add_edge(a, b, railway=seg, railways=[seg], km=km(a, b))
                elif seg.line_id not in {r.line_id for r in self.G.edges[a, b]["railways"]}:
                    self.G.edges[a, b]["railways"].append(seg)
                self.lines[seg.line_id].add_edge(a, b, railway=seg, km=km(a, b))

    def edges(self) -> list[tuple[str, str, Railway]]:
        """Every physical link once, as (a, b, railway) with a < b, sorted."""
        return sorted((min(a, b), max(a, b), d["railway"]) for a, b, d in self.G.edges(data=True))

    def railway(self, a: str, b: str) -> Railway | None:
        """The railway of the physical link a - b, None if they are not adjacent."""
        d = self.G.get_edge_data(a, b)
        return d["railway"] if d else None

    def edge_opened(self, a: str, b: str) -> str:
        """When the physical link a - b first had trains: the earliest of its railways."""
        return min((r.opened for r in self.G.edges[a, b]["railways"]), key=date_key)

    def edge_fits(self, a: str, b: str, train: str) -> Railway:
        """The railway of the link a - b that ``train`` runs on (:func:`fits`), else the first."""
        rails = self.G.edges[a, b]["railways"]
        return next((r for r in rails if fits(train, r.design_kmh)), rails[0])

    def line_path(self, a: str, b: str, train: str = "") -> tuple[Railway, list[str]] | None:
        """The railway on which a and b both lie, with its path between them.

        Of several (the conventional Beijing-Shanghai railway beside the intercity), the one
        fit for the train's class (:func:`fits`), then the one with the fewest links between.
        """
        found = []
        for line_id, L in self.lines.items():
            if a in L and b in L and nx.has_path(L, a, b):
                path = nx.shortest_path(L, a, b, weight="km")
                speed = L.edges[path[0], path[1]]["railway"].design_kmh
                found.append((not fits(train, speed), len(path), line_id, path))
        if not found:
            return None
        *_, line_id, path = min(found)
        return self.lines[line_id].edges[path[0], path[1]]["railway"], path

    def route(self, a: str, b: str, train: str = "") -> list[Railway] | None:
        """The railways between two consecutive calls of a train, link by link: along one
        railway where both lie on it (:meth:`line_path`), else the shortest route over all of
        them (km, a railway unfit for the train's class counted three times as long); None
        where the railways do not join them."""
        found = self.line_path(a, b, train)
        if found is not None:
            L = self.lines[found[0].line_id]
            return [L.edges[e]["railway"] for e in itertools.pairwise(found[1])]
        if a in self.G and b in self.G and nx.has_path(self.G, a, b):

            def cost(u: str, v: str, d: dict[str, object]) -> float:
                ok = any(fits(train, r.design_kmh) for r in d["railways"])  # type: ignore[attr-defined]
                return float(d["km"]) * (1 if ok else 3)  # type: ignore[arg-type]

            path = nx.shortest_path(self.G, a, b, weight=cost)
            return [self.edge_fits(*e, train) for e in itertools.pairwise(path)]
        return None

    def opened(self, calls: list[str], train: str = "") -> str:
        """When ``train`` calling at ``calls`` (in order) could first run: the latest opening
        along its route (:meth:`route`) between its consecutive calls; a stretch with no route
        on the railways counts the opening of its two stations."""
        dates = []
        for a, b in itertools.pairwise(calls):
            route = self.route(a, b, train)
            if route is None:
                dates += [self.station_opened(a), self.station_opened(b)]
            else:
                dates += [r.opened for r in route]
        return latest(dates)

    def railways(self, calls: list[str], train: str = "") -> list[str]:
        """The railways ``train`` calling at ``calls`` (in order) rides, in order
        (:meth:`route`; empty where none is known)."""
        names = [
            r.line for a, b in itertools.pairwise(calls) for r in self.route(a, b, train) or []
        ]
        return list(dict.fromkeys(names))

    def station_opened(self, s: str) -> str:
        """When a station first had a train: the earliest opening of its railway links."""
        if s not in self.G:
            return ""
        return min((self.edge_opened(s, x) for x in self.G[s]), key=date_key)


#: A hop A-C of no railway's list is not track when a station B lies between: hops A-B and
#: B-C together take at most this factor x the A-C time plus DETOUR_MINUTES (an express
#: skipping B): the rule of build_rail_2023 for the national network.
DETOUR_FACTOR = 1.2
DETOUR_MINUTES = 3.0


def bypassed(hops: dict[tuple[str, str], Best]) -> set[tuple[str, str]]:
    """The hops that skip a modelled station on the way (services, not track)."""
    near: dict[str, dict[str, int]] = defaultdict(dict)
    for (a, b), h in hops.items():
        near[a][b] = near[b][a] = h.minutes
    return {
        (a, b)
        for (a, b), h in hops.items()
        if any(
            near[a][x] + near[x][b] <= DETOUR_FACTOR * h.minutes + DETOUR_MINUTES
            for x in set(near[a]) & set(near[b])
        )
    }


def _rides_on(hop: Best, net: RailNet, a: str, b: str) -> bool:
    """Whether a train that runs on the link a - b stops at both its ends (a real ride)."""
    return any(hop.fitting(r.design_kmh) is not None for r in net.G.edges[a, b]["railways"])


def passing_minutes(
    net: RailNet, hops: dict[tuple[str, str], Best]
) -> dict[tuple[str, str], tuple[float, str]]:
    """Minutes for the physical links no train stops at both ends of: from a hop that runs
    through them on one railway (an express between two farther stations), in proportion to the
    great-circle km; the least such estimate, with its evidence. Keys are sorted pairs."""
    out: dict[tuple[str, str], tuple[float, str]] = {}
    for (a, b), h in sorted(hops.items()):
        found = net.line_path(a, b, h.train)
        if found is None or len(found[1]) < 3:
            continue  # no railway, or adjacent on the railway its fastest train runs on
        railway, path = found
        total = sum(net.km(x, y) for x, y in itertools.pairwise(path))
        for x, y in itertools.pairwise(path):
            key = (min(x, y), max(x, y))
            if total <= 0 or (key in hops and _rides_on(hops[key], net, x, y)):
                continue
            share = net.km(x, y) / total
            m = h.minutes * share
            cand = (
                round(m, 1),
                f"{h.train} {a} - {b} {h.minutes} min on the {railway.line}, passing here: "
                f"x {share:.2f} (the great-circle km of {x} - {y} over those of the route)",
            )
            if key not in out or cand < out[key]:
                out[key] = cand
    return out


# --- the network of about 2020: rides of the 2021 stop patterns -------------------------------

PATTERNS = RAW / "train_stop_patterns_2021.csv"
SEGMENTS = RAW / "segments_2021_patterns.csv"


def rides_2021(modelled: set[str], dwell: int) -> Pairs:
    """Rides of the 2021 high-speed trains (G, D, C) between modelled stations.

    ``train_stop_patterns_2021.csv`` gives each train's stops in order, without times;
    ``segments_2021_patterns.csv`` the fastest minutes between consecutive stops among the
    merged patterns that run them. A ride takes the segments' minutes plus ``dwell`` at each
    stop between (the high-speed dwell of the 2023 rule). Only high-speed trains: a segment's
    fastest pattern is usually a high-speed one, too fast for a conventional train. A ride with
    a segment the source does not time is left out.
    """
    seg: dict[tuple[str, str], int] = {}
    with SEGMENTS.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            seg[r["from_station"], r["to_station"]] = int(r["fastest_minutes"])
    # a train's stops in file order; its seq starting again at 1 is another pattern of it
    patterns: list[tuple[str, list[str]]] = []
    last: tuple[str, int] = ("", 0)
    with PATTERNS.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["train"].startswith(("G", "D", "C")):
                continue
            seq = int(r["seq"])
            if r["train"] != last[0] or seq <= last[1]:
                patterns.append((r["train"], []))
            patterns[-1][1].append(r["station"])
            last = (r["train"], seq)
    out: Pairs = {}
    for train, stops in sorted(patterns):
        at = [k for k, s in enumerate(stops) if s in modelled]
        if len(at) < 2:
            continue
        run = [
            seg.get((stops[k], stops[k + 1]), seg.get((stops[k + 1], stops[k])))
            for k in range(len(stops) - 1)
        ]
        for p, i in enumerate(at):
            for j in at[p + 1 :]:
                legs = run[i:j]
                if stops[i] == stops[j] or any(x is None for x in legs):
                    continue
                m = sum(x for x in legs if x is not None) + dwell * (j - i - 1)
                key = (min(stops[i], stops[j]), max(stops[i], stops[j]))
                best = out.get(key)
                if best is None:
                    best = out[key] = Best(m, train, tuple(stops[i + 1 : j]))
                elif (m, train) < (best.minutes, best.train):
                    best.minutes, best.train, best.passes = m, train, tuple(stops[i + 1 : j])
                best.trains.add(train)
    return out
