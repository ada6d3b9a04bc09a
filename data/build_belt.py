"""Rebuild the derived files of the bundled belt dataset from the raw files in ``data/raw/``.

Usage (from the repository root)::

    python data/build_belt.py            # writes data/belt/{nodes,links,sectors}.csv
    python data/build_belt.py --out DIR  # writes them into DIR instead (used by the tests)

The belt is a network of **stations under places**. Places (Putuo District and the seven Jiangsu
cities) carry people, GDP, sectors and partnerships; stations carry the rail. Each station belongs
to one place, its prefecture (苏州北 and 太仓 to Suzhou, 江阴 to Wuxi), or to none (Shanghai's
stations beyond Putuo, Yangzhou's). Links are of four kinds:

- ``track``: adjacent modelled stations of one line (``raw/belt_track.csv``, hand-written from
  ``raw/belt_rail_lines.csv``): the physical network, for degree and betweenness.
- ``service``: the fastest train between two stations it serves that are not adjacent (an
  express, or a train through stations we do not model): travel times use these with the track.
- ``transfer``: a change between two stations of one city (``raw/intra_city_station_links.csv``
  names the metro line; no source gives minutes, so they are estimated by one rule).
- ``access``: a place to each of its stations, by one rule (below).

Inputs (``data/raw/``, see ``data/raw/README.md`` for their sources and licences):
``belt_nodes.csv`` (the places' reference points), ``belt_facts_2024.csv`` (2024 GDP, end-2024
population, memorandum dates, key industries), ``belt_stations.csv`` (the modelled stations and
their place, hand-written), ``stations_cn_rail.csv`` (station coordinates, OpenStreetMap),
``station_name_12306.csv`` (station codes), ``belt_track.csv``, ``intra_city_station_links.csv``,
``trainvis-2024/shanghai_departures_2024-01-13.csv`` (every 2024-01-13 train from a Shanghai
station into the seven cities), ``stop_times_keystations_2020.csv`` (2020 timetable, key stations
only), ``segments_2021_patterns.csv`` (2021 consecutive-stop segments), ``article_focus.csv``
and ``belt_industries.csv`` (sector evidence).

A link's ``minutes``, in order of preference (``method`` says which; ``data_year`` the year):

1. ``timetable_2024``: the fastest 2024-01-13 train between the two stations (only rides that
   start at a Shanghai station are in that source). Confidence ``high``.
2. ``timetable_2020``: the fastest train of the 2020 key-station timetable calling at both (for
   a track link: with no modelled station called at between them). Confidence ``high``.
3. ``patterns_2021``: the shortest chain of 2021 consecutive-stop segments through stations we
   do not model (dwell at those stops left out). Confidence ``low``.
4. ``arrivals_2024``: for the along-river HSR (opened 2023-09-28), which no other source covers:
   the least difference between one 2024 train's arrivals at the two stations, so the dwell at
   the first station is inside it. Confidence ``low``.
5. ``rule`` (transfers and access, confidence ``estimated``) and ``assumption`` (a link no
   timetable covers: distance x route factor / speed), with the parameters in ``ASSUMPTIONS``
   and repeated in the row's ``source_ref``.

``minutes_2020`` is the same link in the network before the along-river HSR: the 2020 timetable
where it covers the pair, else the 2021 patterns (``method_2020`` says which); empty for links
that did not exist then or that only a 2024 source gives, so ``rail_graph(ds,
minutes="minutes_2020")`` is the network of about 2020.

The script is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import re
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # a checkout's belt_graph, installed or not

from build_belt_rail import (  # noqa: E402
    Best,
    RailNet,
    Railway,
    belt_trains,
    bypassed,
    date_key,
    latest,
    passing_minutes,
    railways,
    rides_2021,
)

from belt_graph.place_builder import (  # noqa: E402 - after the path is set
    ACCESS_RULE,
    TRANSFER_RULE,
    access_link,
    haversine_km,
    transfer_link,
)

RAW = HERE / "raw"
OUT = HERE / "belt"

MEMBERS = ["Putuo", "Nanjing", "Wuxi", "Changzhou", "Suzhou", "Nantong", "Zhenjiang", "Taizhou"]
SHANGHAI = ("上海虹桥", "上海", "上海西", "上海南")

TIMETABLE_2024_REF = (
    "Timetable 2024-01-13: 12306 via Zhu-Shatong/trainVis (GPL-3.0), "
    "data/raw/trainvis-2024/shanghai_departures_2024-01-13.csv"
)
TIMETABLE_REF = (
    "Timetable: China Railway Online Map via thaddywu/RailwayVIS (Apache-2.0), "
    "data/raw/stop_times_keystations_2020.csv"
)
PATTERNS_REF = (
    "epcm/TrainVis@ef9e560 MergedTrainInfo.json (2021 merged stop patterns), "
    "data/raw/segments_2021_patterns.csv"
)
RUNNING_2023_REF = (
    "Running times 2023: 12306 via data/raw/cn_rail_2023_hops/edge_multiply.csv "
    "(dwell at passed stops estimated as for cn-rail-2023)"
)
FREQ_2023 = "trains of the pair in the 2023 running times, either direction, one run a day"
FREQ_2024 = "2 x the 2024-01-13 trains from the Shanghai station (inbound taken equal)"
FREQ_2024_CALLS = "2 x the 2024-01-13 trains from Shanghai calling at both (inbound taken equal)"
LINES_REF = "data/raw/belt_rail_lines.csv"
INTRA_REF = "data/raw/intra_city_station_links.csv"
OSM = "OpenStreetMap (ODbL) via github:wensimehrp/chinese-railway-gtfs@3f527cf; WGS84"
FACTS = "data/raw/belt_facts_2024.csv"

# Stated rules for what no source gives. Each row built from one says so (confidence
# ``estimated`` or ``assumption``) and repeats the parameters in its ``source_ref``. Access and
# changes of station use belt_graph.place_builder's rules, the same as `belt-graph build-places`:
# - access: a place is reached at any station within its city proper, taken as `core_km` of its
#   reference point (city seat, district centre): 0 minutes. A station farther out (a
#   county-level city's, such as 太仓 for Suzhou or 海安 for Nantong) costs the distance beyond
#   `core_km`, x route factor, at an assumed road speed: reaching Hai'an is not reaching Nantong.
# - transfer: a change of station: a fixed time to leave one station, wait and enter the other,
#   plus the distance between them x route factor at an assumed urban (metro or road) speed.
#   Cross-check against the stop counts in intra_city_station_links.csv: about 2.5 minutes per
#   metro stop plus the same 15 minutes gives within a few minutes of the rule (datasheet).
ASSUMPTIONS_ACCESS = ACCESS_RULE  # door to door (belt_graph.network.access.AccessRule)
ASSUMPTIONS: dict[str, dict[str, float]] = {
    "transfer": TRANSFER_RULE,
    # Open track no timetable covers (张家港-江阴 of the along-river HSR): 350 km/h design
    # speed, 250 km/h taken as the average between stops.
    "rail": {"route_factor": 1.2, "speed_kmh": 250.0},
    # The planned North-Yangtze HSR: its design speed (raw/belt_rail_lines.csv, read and checked
    # by _design_speed), as the line is planned: a best case, since no train holds its design
    # speed from stop to stop.
    "planned_rail": {"route_factor": 1.2, "speed_kmh": 350.0},
}
PLANNED_LINE_ZH = "沪宁合高铁"
#: The network of about 2020 (``minutes_2020``): the lines opened before this date (the 2020
#: timetable and the 2021 stop patterns cover them).
NETWORK_2020_BEFORE = "2022"
PUBLISHED = "data/raw/belt_published_times.csv"
EVENTS = "data/raw/belt_line_events_2020_2027.csv"
PLANNED_FACTS = "data/raw/planned_station_facts.csv"


TRAIN_CODE = re.compile(r"[A-Z]?\d{1,5}")  # a train number: G7050, D3056, K1511, 5611


def _clock_minutes(value: object) -> float:
    """Minutes since midnight of a GTFS-style ``HH:MM[:SS]`` (hours may exceed 23)."""
    if not isinstance(value, str) or not value:
        return math.nan
    parts = [int(x) for x in value.split(":")]
    return parts[0] * 60 + parts[1] + (parts[2] / 60 if len(parts) > 2 else 0)


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(RAW / name, dtype=str, keep_default_na=False)


def _fmt(x: float) -> str:
    """Minutes as written in links.csv: whole minutes stay whole."""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


# --- places and stations -----------------------------------------------------------------------


def _facts() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["place"], r["fact"]): r for r in _read("belt_facts_2024.csv").to_dict("records")}


def _status(text: str) -> str:
    """belt_facts_2024.csv writes 'sourced (secondary)' etc.; the qualifier goes to the source."""
    word = text.split(" ")[0] if text else "unknown"
    return word if word in {"sourced", "official", "unverified", "unknown"} else "unverified"


def _places() -> list[dict[str, object]]:
    facts = _facts()
    raw = _read("belt_nodes.csv")
    rows: list[dict[str, object]] = []
    for r in raw.itertuples(index=False):
        gdp = facts[(r.id, "gdp")]
        pop = facts.get((r.id, "population_end2024"))
        if pop is not None:
            population = round(float(pop["value"]) * 1e4)
            pop_year, pop_status = pop["year"], _status(pop["status"])
            pop_source = f"{pop['source']} [{pop['status']}]; {FACTS}"
        else:  # Putuo: no 2024 figure; only the 2020 census in the raw note ("about 123.98")
            pop_10k = float(r.population_status.split("about")[1].strip())
            population, pop_year, pop_status = round(pop_10k * 1e4), "2020", "unverified"
            pop_source = "2020 census figure quoted in shared reference data (belt_nodes.csv)"
        rows.append(
            {
                "id": r.id,
                "name": r.id,
                "name_zh": r.name_zh,
                "kind": "district" if r.id == "Putuo" else "city",
                "place": "",
                "lat": r.centre_lat,
                "lon": r.centre_lon,
                "coord_status": "sourced",
                "coord_source": r.centre_coord_source,
                "population": population,
                "population_year": pop_year,
                "population_status": pop_status,
                "population_source": pop_source,
                "gdp_cny_bn": f"{float(gdp['value']) / 10:.2f}",
                "gdp_year": gdp["year"],
                "gdp_status": _status(gdp["status"]),
                "gdp_source": f"{gdp['source']} [{gdp['status']}]; {FACTS}",
                "note": "",
            }
        )
    return rows


def _stations_table() -> tuple[dict[str, str], dict[str, tuple[float, float]]]:
    codes = {r["name"]: r["telecode"] for r in _read("station_name_12306.csv").to_dict("records")}
    st = _read("stations_cn_rail.csv")
    coords = {
        r["name"]: (float(r["lat_wgs84_osm"]), float(r["lon_wgs84_osm"]))
        for r in st.to_dict("records")
        if r["lat_wgs84_osm"]
    }
    return codes, coords


def _design_speed(line_zh: str) -> float:
    """The design speed of a line in raw/belt_rail_lines.csv (the row whose name starts so)."""
    lines = _read("belt_rail_lines.csv")
    row = lines[lines["line_zh"].str.startswith(line_zh)].iloc[0]
    return float(row["design_speed_kmh"])


def _planned_facts() -> dict[tuple[str, str], dict[str, str]]:
    """Facts of planned stations (location, planned links) from raw/planned_station_facts.csv."""
    rows = _read("planned_station_facts.csv").to_dict("records")
    return {(r["station"], r["fact"]): r for r in rows}


def build_nodes() -> pd.DataFrame:
    """Return nodes.csv: the eight places, then the modelled stations."""
    rows = _places()
    codes, coords = _stations_table()
    planned = _planned_facts()
    for r in _read("belt_stations.csv").itertuples(index=False):
        row: dict[str, object] = {
            "id": codes.get(r.name_zh, r.name_zh),
            "name": r.name,
            "name_zh": r.name_zh,
            "kind": "station",
            "place": r.place,
            "population_status": "not_applicable",
            "gdp_status": "not_applicable",
            "note": r.note,
        }
        if r.name_zh in coords:
            lat, lon = coords[r.name_zh]
            row |= {
                "lat": f"{lat:.7f}",
                "lon": f"{lon:.7f}",
                "coord_status": "sourced",
                "coord_source": f"station {r.name_zh}: {OSM}",
            }
        elif (r.name_zh, "lat") in planned:
            lat_fact, lon_fact = planned[r.name_zh, "lat"], planned[r.name_zh, "lon"]
            row |= {
                "lat": lat_fact["value"],
                "lon": lon_fact["value"],
                "coord_status": lat_fact["status"],
                "coord_source": f"{lat_fact['note']}: {lat_fact['source']}; {PLANNED_FACTS}",
            }
        else:
            row |= {"lat": "", "lon": "", "coord_status": "unknown", "coord_source": ""}
        rows.append(row)
    columns = list(rows[0])
    return pd.DataFrame([{c: r.get(c, "") for c in columns} for r in rows], columns=columns)


# --- timetable evidence ------------------------------------------------------------------------


Found = dict[tuple[str, str], tuple[float, str]]


Counts = dict[tuple[str, str], int]


class Departures(NamedTuple):
    """What the 2024-01-13 Shanghai departures give (see :func:`_departures_2024`)."""

    #: fastest ride per (Shanghai station, station)
    direct: Found
    #: per sorted pair of one train's consecutive modelled arrivals: the arrival difference
    diffs: Found
    #: per sorted pair of any two of one train's modelled arrivals
    anyway: Found
    #: trains per (Shanghai station, station)
    counts: Counts
    #: trains calling at both stations of a sorted pair that day
    calls: Counts
    #: the calls (in order) of the train behind each ride of ``direct``, ``diffs``, ``anyway``
    chains: dict[tuple[str, str, str], list[str]]
    #: the trains of the day that call at an along-river station (江阴, 武进, 金坛, 句容)
    along_river: set[str]


ALONG_RIVER = ("江阴", "武进", "金坛", "句容")


def _departures_2024(modelled: set[str]) -> Departures:
    """Fastest 2024 ride per (Shanghai station, station); per consecutive pair of one train's
    modelled arrivals and per any pair of them (the arrival difference, dwell at the first
    included); and the trains per (Shanghai station, station) and per sorted pair of stations
    they call at that day."""
    dep = _read("trainvis-2024/shanghai_departures_2024-01-13.csv")
    dep = dep[dep["arrival_station"].isin(modelled)]
    direct: Found = {}
    chains: dict[tuple[str, str, str], list[str]] = {}
    count = dep.groupby(["departure_station", "arrival_station"])["train"].nunique()
    counts = {(str(a), str(b)): int(n) for (a, b), n in count.items()}
    diffs: Found = {}
    anyway: Found = {}
    both: dict[tuple[str, str], set[str]] = {}
    along: set[str] = set()
    for (train, origin), calls in dep.groupby(["train", "departure_station"], sort=True):
        ordered = sorted(calls.itertuples(index=False), key=lambda c: int(c.minutes))
        stops = [str(origin)] + [c.arrival_station for c in ordered]
        if set(stops) & set(ALONG_RIVER):
            along.add(str(train))
        for k, c in enumerate(ordered):
            key = (c.departure_station, c.arrival_station)
            cand = (
                float(c.minutes),
                f"{c.train} {c.departure_station} {c.departure_time} -> "
                f"{c.arrival_station} {c.arrival_time} (2024-01-13)",
            )
            if key not in direct or cand < direct[key]:
                direct[key] = cand
                chains[("direct", *key)] = stops[: k + 2]
        for i, j in itertools.combinations(range(len(ordered)), 2):
            a, b = ordered[i], ordered[j]
            key = tuple(sorted((a.arrival_station, b.arrival_station)))
            m = float(int(b.minutes) - int(a.minutes))
            cand = (
                m,
                f"{train} arrives {a.arrival_station} {a.arrival_time}, "
                f"{b.arrival_station} {b.arrival_time} (2024-01-13, from {origin})",
            )
            if m > 0:
                both.setdefault(key, set()).add(str(train))  # type: ignore[arg-type]
            if m > 0 and (key not in anyway or cand < anyway[key]):
                anyway[key] = cand  # type: ignore[index]
                chains[("anyway", *key)] = stops[i + 1 : j + 2]  # type: ignore[arg-type]
            if m > 0 and j == i + 1 and (key not in diffs or cand < diffs[key]):
                diffs[key] = cand  # type: ignore[index]
                chains[("diffs", *key)] = stops[i + 1 : j + 2]  # type: ignore[arg-type]
    calls_count = {k: len(v) for k, v in both.items()}
    return Departures(direct, diffs, anyway, counts, calls_count, chains, along)


def _timetable_2020(
    modelled: set[str],
) -> tuple[dict[tuple[str, str], tuple[float, str]], dict[tuple[str, str], tuple[float, str]]]:
    """Fastest 2020 ride per unordered pair of modelled stations: any two calls of a train, and
    only calls with no modelled station called at between them."""
    st = _read("stop_times_keystations_2020.csv")
    st = st[st["station"].isin(modelled)].copy()
    st["seq"] = st["seq"].astype(int)
    anyway: dict[tuple[str, str], tuple[float, str]] = {}
    adjacent: dict[tuple[str, str], tuple[float, str]] = {}
    for train, calls in st.sort_values(["train", "seq"]).groupby("train", sort=True):
        c = calls.to_dict("records")
        for i, j in itertools.combinations(range(len(c)), 2):
            a, b = c[i], c[j]
            minutes = _clock_minutes(b["arr"]) - _clock_minutes(a["dep"])
            if not (math.isfinite(minutes) and minutes > 0) or a["station"] == b["station"]:
                continue
            key = tuple(sorted((a["station"], b["station"])))
            cand = (
                minutes,
                f"{train} {a['station']} {a['dep'][:5]} -> {b['station']} {b['arr'][:5]} (2020)",
            )
            if key not in anyway or cand < anyway[key]:
                anyway[key] = cand  # type: ignore[index]
            if j == i + 1 and (key not in adjacent or cand < adjacent[key]):
                adjacent[key] = cand  # type: ignore[index]
    return anyway, adjacent


def _segments_2021() -> nx.Graph:
    """Undirected graph of 2021 consecutive-stop segments, fastest minutes per station pair."""
    seg = _read("segments_2021_patterns.csv")
    G = nx.Graph()
    for r in seg.itertuples(index=False):
        minutes = float(r.fastest_minutes)
        km = float(r.km.split(";")[0]) if r.km else math.nan
        train = r.example_trains.split(";")[0]
        old = G.get_edge_data(r.from_station, r.to_station)
        if old is None or minutes < old["minutes"]:
            G.add_edge(r.from_station, r.to_station, minutes=minutes, km=km, train=train)
    return G


def _chain_2021(seg: nx.Graph, a: str, b: str, modelled: set[str]) -> tuple[float, str] | None:
    """The shortest chain of 2021 segments from a to b through stations we do not model."""
    H = seg.subgraph(set(seg.nodes) - (modelled - {a, b}))
    if a not in H or b not in H or not nx.has_path(H, a, b):
        return None
    minutes, path = nx.single_source_dijkstra(H, a, b, weight="minutes")
    trains = ";".join(seg.edges[e]["train"] for e in itertools.pairwise(path))
    return float(minutes), " -> ".join(path) + f" ({trains}; 2021)"


# --- links -------------------------------------------------------------------------------------


def _distance(
    a: str, b: str, pos: dict[str, tuple[float, float]], place_pos: dict[str, tuple[float, float]]
) -> float:
    """Great-circle km between two stations; a station without coordinates stands at its
    place's reference point."""
    pa, pb = pos.get(a) or place_pos[a], pos.get(b) or place_pos[b]
    return haversine_km(*pa, *pb)


def build_links(nodes: pd.DataFrame) -> pd.DataFrame:
    """Return links.csv: track, service, transfer and access links (see the module docstring)."""
    stations = nodes[nodes["kind"] == "station"]
    ids = dict(zip(stations["name_zh"], stations["id"], strict=True))
    place_of = dict(zip(stations["name_zh"], stations["place"], strict=True))
    planned = set(_read("belt_stations.csv").query("status == 'planned'")["name_zh"])
    modelled = set(ids)
    pos = {
        zh: (float(lat), float(lon))
        for zh, lat, lon in zip(stations["name_zh"], stations["lat"], stations["lon"], strict=True)
        if lat
    }
    places = nodes[nodes["kind"] != "station"].set_index("id")
    centre = {p: (float(r["lat"]), float(r["lon"])) for p, r in places.iterrows()}
    place_pos = {zh: centre[place_of[zh]] for zh in planned if zh not in pos}
    if ASSUMPTIONS["planned_rail"]["speed_kmh"] != _design_speed(PLANNED_LINE_ZH):
        raise SystemExit("planned_rail speed differs from the design speed in belt_rail_lines.csv")
    d24 = _departures_2024(modelled)
    direct24, diffs24, any24, count24, calls24 = d24[:5]
    any20, adjacent20 = _timetable_2020(modelled)
    seg = _segments_2021()
    track = _read("belt_track.csv")  # the planned line's track
    hops, rides23, dwell = belt_trains(modelled - planned)
    rides21 = rides_2021(modelled - planned, dwell["high-speed"])
    net = RailNet(railways(), modelled - planned, lambda a, b: _distance(a, b, pos, place_pos))
    # hops on no railway's list (no line known): track unless they skip a modelled station
    unidentified = {
        k: h for k, h in hops.items() if net.railway(*k) is None and net.line_path(*k) is None
    }
    skipping = bypassed(hops) & set(unidentified)
    passing = passing_minutes(net, hops)
    estimates = _line_estimates(net, d24, rides23, pos, dwell["high-speed"])
    rows: list[dict[str, object]] = []

    def base(a: str, b: str, kind: str, **kw: object) -> dict[str, object]:
        row: dict[str, object] = {
            "source": ids[a],
            "target": ids.get(b, b),
            "kind": kind,
            "minutes": "",
            "mode": "rail",
            "line": "",
            "line_zh": "",
            "fastest_train": "",
            "status": "open",
            "confidence": "",
            "method": "",
            "data_year": "",
            "evidence": "",
            "source_ref": "",
            "trains_per_day": "",
            "frequency_source": "",
            "opened": "",
            "railways": "",
            "minutes_2020": "",
            "method_2020": "",
            "evidence_2020": "",
            "note": "",
        }
        row.update(kw)
        return row

    def timed(row: dict[str, object], year: str, found: tuple[float, str], method: str) -> None:
        refs = {
            "2024": TIMETABLE_2024_REF,
            "2023": RUNNING_2023_REF,
            "2020": TIMETABLE_REF,
            "2021": PATTERNS_REF,
        }
        conf = {"patterns_2021": "low", "arrivals_2024": "low", "rides_2023": "medium"}
        # the train whose times these are: the evidence starts with it (G7050 上海 - 上海西 ...)
        first = found[1].split(" ", 1)[0]
        row.update(
            fastest_train=first if TRAIN_CODE.fullmatch(first) else "",
            minutes=_fmt(found[0]),
            method=method,
            confidence=conf.get(method, "high"),
            data_year=year,
            evidence=found[1],
            source_ref=refs[year],
        )

    def frequency(row: dict[str, object], key: tuple[str, str], a: str, b: str) -> None:
        """Trains per day: the 2023 trains of the pair, else twice the 2024 ones from Shanghai."""
        found = fit_hop(key) if row["kind"] == "track" else rides23.get(key) or hops.get(key)
        if found is not None:
            row.update(trains_per_day=len(found.trains), frequency_source=FREQ_2023)
        elif (a, b) in count24 or (b, a) in count24:
            n = count24.get((a, b)) or count24.get((b, a))
            row.update(trains_per_day=2 * int(n or 0), frequency_source=FREQ_2024)
        elif key in calls24:
            row.update(trains_per_day=2 * calls24[key], frequency_source=FREQ_2024_CALLS)

    def assumed(row: dict[str, object], km: float, why: str) -> None:
        p = ASSUMPTIONS["rail"]
        minutes = km * p["route_factor"] / p["speed_kmh"] * 60
        row.update(
            minutes=str(round(minutes)),
            method="assumption",
            confidence="assumption",
            source_ref=(
                f"assumption: great-circle {km:.1f} km x route factor {p['route_factor']} / "
                f"{p['speed_kmh']:.0f} km/h; line facts: {LINES_REF}"
            ),
            note=why,
        )

    def fit_hop(key: tuple[str, str]) -> Best | None:
        """The hops of the trains that run on the link's railway (a G train does not run on
        the conventional railway beside the intercity): the fastest, and all of them."""
        h = hops.get(key)
        if h is not None and net.railway(*key) is not None:
            fit = [h.fitting(r.design_kmh) for r in net.G.edges[key]["railways"]]
            h = min((x for x in fit if x is not None), key=lambda x: x.minutes, default=None)
        return h

    def hop_found(key: tuple[str, str]) -> tuple[float, str] | None:
        h = fit_hop(key)
        if h is None:
            return None
        passing = f", passing {'/'.join(h.passes)} (dwell estimated)" if h.passes else ""
        return float(h.minutes), f"{h.train} {key[0]} - {key[1]}: running minutes{passing} (2023)"

    # track: the physical links of the railways (raw/belt_railways.csv: consecutive modelled
    # stations of each segment), each timed by a train that stops at both (a 2023 hop, a 2024
    # ride from Shanghai or arrival difference), else by an estimate of the line (the
    # Shanghai-Suzhou-Huzhou HSR, the along-river HSR's 张家港 - 江阴); a link that trains only
    # pass is a `section` (no train stops at both), timed from a train passing it; then the
    # hops on no railway's list, and the planned line (raw/belt_track.csv)
    plan: list[tuple[Railway | None, str, str, str, str]] = [
        (r, a, b, "open", "") for a, b, r in net.edges()
    ]
    for key in sorted(unidentified):
        if key in skipping:
            continue
        passes = hops[key].passes
        note = f"passes {', '.join(passes)}; " if passes else ""
        plan.append((None, *key, "open", note + "no railway of raw/belt_railways.csv has both"))
    planned_track: list[tuple[dict[str, object], str, str, str]] = []
    for t_ in track.itertuples(index=False):
        row = base(
            t_.station_a,
            t_.station_b,
            "track",
            line=t_.line,
            line_zh=t_.line_zh,
            status="planned",
            note=t_.note,
        )
        planned_track.append((row, t_.station_a, t_.station_b, t_.note))
    adjacent_pairs = {tuple(sorted(p[1:3])) for p in plan} | {
        tuple(sorted((a, b))) for _, a, b, _ in planned_track
    }
    T = nx.Graph()
    for railway, a, b, status, note in plan:
        key = tuple(sorted((a, b)))
        row = base(
            a,
            b,
            "track",
            line=railway.line if railway else "railway not identified",
            line_zh=railway.line_zh if railway else "",
            status=status,
            note=note,
            opened=net.edge_opened(a, b) if railway else latest(map(net.station_opened, key)),
            railways=";".join(r.line for r in net.G.edges[a, b]["railways"]) if railway else "",
        )
        shanghai = a in SHANGHAI or b in SHANGHAI
        m24 = direct24.get((a, b)) or direct24.get((b, a)) if shanghai else None
        m23 = hop_found(key)  # type: ignore[arg-type]
        m20 = adjacent20.get(key)  # type: ignore[arg-type]
        m21 = _chain_2021(seg, a, b, modelled)
        if m24:
            timed(row, "2024", m24, "timetable_2024")
        elif m23:
            timed(row, "2023", m23, "running_2023")
        elif key in diffs24:
            timed(row, "2024", diffs24[key], "arrivals_2024")  # type: ignore[index]
            row["note"] = "; ".join(
                x for x in (note, "includes the dwell at the first station") if x
            )
        elif key in estimates:
            e = estimates[key]  # type: ignore[index]
            row.update(
                **e.fields(),
                trains_per_day=e.trains_per_day,
                frequency_source=e.frequency_source,
                note="; ".join(x for x in (note, "minutes are an estimate") if x),
            )
        elif key in passing:
            minutes, evidence = passing[key]  # type: ignore[index]
            row.update(
                kind="section",
                minutes=_fmt(minutes),
                method="passing_2023",
                confidence="estimated",
                data_year="2023",
                evidence=evidence,
                source_ref=RUNNING_2023_REF,
                note="; ".join(
                    x
                    for x in (note, "no train stops at both: trains pass it, never ridden alone")
                    if x
                ),
            )
        else:
            km = _distance(a, b, pos, place_pos)
            assumed(row, km, "; ".join(x for x in (note, "no source times this stretch") if x))
        if row["kind"] == "track":
            frequency(row, key, a, b)  # type: ignore[arg-type]
        if date_key(str(row["opened"])) < date_key(NETWORK_2020_BEFORE):
            old = m20 or m21
            if old:
                row.update(
                    minutes_2020=_fmt(old[0]),
                    method_2020="timetable_2020" if m20 else "patterns_2021",
                    evidence_2020=old[1],
                )
        rows.append(row)
        if row["kind"] == "track":
            T.add_edge(a, b, line=row["line"])

    # planned track: the design speed, plus the minutes that trains of a line built for the same
    # speed lose starting and stopping, measured on the belt's 2023 hops
    allowance = _start_stop_allowance(rows, pos, ids)
    for row, a, b, note in planned_track:
        km = _distance(a, b, pos, place_pos)
        p = ASSUMPTIONS["planned_rail"]
        cruise = km * p["route_factor"] / p["speed_kmh"] * 60
        row.update(
            minutes=str(round(cruise + allowance.minutes)),
            method="assumption",
            confidence="assumption",
            source_ref=(
                f"assumption: great-circle {km:.1f} km x route factor {p['route_factor']} / "
                f"{p['speed_kmh']:.0f} km/h (the design speed) + {allowance.minutes:.1f} min "
                f"starting and stopping ({allowance.how}); line facts: {LINES_REF}"
            ),
            note="; ".join(x for x in (note, "minutes are an assumption") if x),
        )
        rows.append(row)

    # a planned line's trains: a ride between every two of its stations, its track's assumed
    # minutes plus the high-speed dwell at each station between (no timetable exists yet)
    for line_id in dict.fromkeys(t.line_id for t in track.itertuples() if t.status == "planned"):
        legs = [t for t in track.itertuples() if t.line_id == line_id]
        stops = [legs[0].station_a] + [t.station_b for t in legs]
        minutes = {
            (r["source"], r["target"]): float(str(r["minutes"]))
            for r in rows
            if r["kind"] == "track" and r["status"] == "planned"
        }
        run = [minutes[ids[a], ids.get(b, b)] for a, b in itertools.pairwise(stops)]
        for i, j in itertools.combinations(range(len(stops)), 2):
            if j == i + 1:
                continue
            m = sum(run[i:j]) + dwell["high-speed"] * (j - i - 1)
            a, b = stops[i], stops[j]
            row = base(
                a,
                b,
                "service",
                line=f"{legs[0].line} (planned trains)",
                line_zh=legs[0].line_zh,
                status="planned",
                minutes=_fmt(m),
                method="assumption",
                confidence="assumption",
                source_ref=(
                    "assumption: the planned track's minutes "
                    f"{' + '.join(_fmt(x) for x in run[i:j])} plus {dwell['high-speed']} min "
                    f"at each of {j - i - 1} stations between "
                    f"(the high-speed dwell of the 2023 rule); line facts: {LINES_REF}"
                ),
                note="a train of the planned line, calling at every modelled station",
            )
            rows.append(row)

    # service: one real train's ride between two stations that are not adjacent: from a
    # Shanghai station, the 2024-01-13 departures; between Jiangsu stations, the 2023 rides;
    # along the along-river HSR (after the 2023 source), 2024 arrival differences
    pairs = {tuple(sorted(k)) for k in direct24} | set(rides23) | set(any24)
    for key in sorted(pairs):
        a, b = key
        if key in adjacent_pairs or a in planned or b in planned:
            continue
        shanghai = a in SHANGHAI or b in SHANGHAI
        m24 = direct24.get((a, b)) or direct24.get((b, a))
        r23 = rides23.get(key)  # type: ignore[arg-type]
        m20 = any20.get(key)  # type: ignore[arg-type]
        if shanghai and m24:
            found, year, method = m24, "2024", "timetable_2024"
        elif r23 is not None:
            passing = f", {len(r23.passes)} stops between" if r23.passes else ""
            found = (float(r23.minutes), f"{r23.train} {a} - {b}: running minutes{passing} (2023)")
            year, method = "2023", "rides_2023"
        elif key in any24 and not shanghai:
            found, year, method = any24[key], "2024", "arrivals_2024"  # type: ignore[index]
        else:
            continue
        train = found[1].split(" ")[0]
        if method == "timetable_2024":
            way = (a, b) if (a, b) in direct24 else (b, a)
            calls = d24.chains[("direct", *way)]
        elif method == "rides_2023":
            assert r23 is not None
            calls = [
                r23.first,
                *(s for s in r23.passes if s in modelled),
                b if r23.first == a else a,
            ]
        else:
            calls = d24.chains[("anyway", *key)]
        # one train, no change on the way: the line of a service is its train
        row = base(
            a,
            b,
            "service",
            line=found[1].split(" ")[0],
            note=_lines_between(T, a, b),
            opened=net.opened(calls, train),
            railways=";".join(net.railways(calls, train)),
        )
        timed(row, year, found, method)
        if method == "arrivals_2024":
            row["note"] = f"{row['note']}; includes the dwell at the first station"
        frequency(row, key, a, b)  # type: ignore[arg-type]
        r21 = rides21.get(key)  # type: ignore[arg-type]
        if m20:
            row.update(
                minutes_2020=_fmt(m20[0]), method_2020="timetable_2020", evidence_2020=m20[1]
            )
        elif r21 is not None:
            row.update(
                minutes_2020=_fmt(r21.minutes),
                method_2020="rides_2021",
                evidence_2020=f"{r21.train} {a} - {b}: 2021 segments plus dwell (2021)",
            )
        rows.append(row)

    # trains no source times at every call: the along-river HSR's through trains at 张家港,
    # 常熟 and 太仓, and the Shanghai-Suzhou-Huzhou HSR's between its stations
    rows += _estimated_services(base, net, rides23, any24, estimates, dwell["high-speed"])

    # transfer: changes of station inside one city
    for r in _read("intra_city_station_links.csv").itertuples(index=False):
        a, b = r.station_a, r.station_b
        km = haversine_km(*pos[a], *pos[b])
        # a metro where the row names metro lines; 'bus 71' (Yangzhou) is a bus, by road
        metro = bool(r.metro_lines) and r.metro_lines.startswith("Line")
        what = r.metro_lines or "no link found"
        stops = f", {r.metro_stops} stops" if r.metro_stops else ""
        link = transfer_link(
            ids[a],
            ids[b],
            km,
            ASSUMPTIONS["transfer"],
            mode="metro" if metro else "road",
            line=f"{r.city} Metro" if metro else f"{r.city} (road)",
            connection=f"{INTRA_REF} ({what}{stops}; source: {r.source or 'none'})",
        )
        fields = {k: v for k, v in link.items() if k not in ("source", "target", "kind")}
        opened = latest((net.station_opened(a), net.station_opened(b)))
        rows.append(
            base(
                a,
                b,
                "transfer",
                **fields,
                opened=opened,
                note="change of station: minutes estimated (no source gives them)",
            )
        )
        if date_key(opened) < date_key(NETWORK_2020_BEFORE):
            rows[-1].update(minutes_2020=link["minutes"], method_2020="rule")

    # transfer: a planned station's changes of station (status planned: they open with the line)
    facts = _planned_facts()
    for zh in sorted(planned & set(pos)):
        if place_of[zh]:
            continue  # reached from its own place by an access link
        for other in ("上海西", "上海", "上海虹桥"):
            known = facts.get((zh, f"minutes_to_{other}"))
            if known is not None:
                fields = {
                    "minutes": known["value"],
                    "mode": "metro",
                    "line": "Shanghai Metro",
                    "confidence": known["status"],
                    "method": "planned",
                    "data_year": known["source"].split(", ")[1][:4],  # the source's year
                    "source_ref": f"{known['source']}; {PLANNED_FACTS}",
                    "note": f"change of station: {known['note']}",
                }
            else:
                link = transfer_link(
                    ids[zh],
                    ids[other],
                    haversine_km(*pos[zh], *pos[other]),
                    ASSUMPTIONS["transfer"],
                    mode="metro",
                    line="Shanghai Metro",
                    connection="no source names the metro route (the new station is not open)",
                )
                fields = {k: v for k, v in link.items() if k not in ("source", "target", "kind")}
                fields["note"] = "change of station: minutes estimated (no source gives them)"
            rows.append(base(zh, other, "transfer", **{**fields, "status": "planned"}))

    # access: each place to its stations (and Putuo to Shanghai's main stations), door to door
    reached = _read("belt_stations.csv").set_index("name_zh")["also_reached_from"].to_dict()
    ends = [(zh, p, True) for zh, p in zip(stations["name_zh"], stations["place"], strict=True)]
    ends += [(zh, p, False) for zh, p in reached.items() if p]
    for zh, place, own in ends:
        if not place:
            continue
        km = haversine_km(*centre[place], *pos[zh]) if zh in pos else None
        link = access_link(
            place,
            ids[zh],
            km,
            ASSUMPTIONS_ACCESS,
            status="planned" if zh in planned else "open",
        )
        why = f"{zh} belongs to {place}" if own else f"{place} residents also use {zh}"
        opened = net.station_opened(zh)
        row = {**base(zh, place, "access"), **link, "opened": opened, "note": why}
        if zh not in planned and date_key(opened) < date_key(NETWORK_2020_BEFORE):
            row.update(minutes_2020=link["minutes"], method_2020="rule")
        rows.append(row)
    return pd.DataFrame(rows)


class Estimate(NamedTuple):
    """A link's minutes estimated from a line's sourced times (``method`` ``estimate``)."""

    minutes: float
    year: str
    evidence: str
    source_ref: str
    trains_per_day: str
    frequency_source: str

    def fields(self) -> dict[str, str]:
        """The link columns this estimate gives (minutes, method, evidence and its source)."""
        return {
            "minutes": _fmt(self.minutes),
            "method": "estimate",
            "confidence": "low",
            "data_year": self.year,
            "evidence": self.evidence,
            "source_ref": self.source_ref,
        }


def _published(fact_id: str) -> dict[str, str]:
    facts = _read("belt_published_times.csv").set_index("fact_id")
    return dict(facts.loc[fact_id])


def _line_estimates(
    net: RailNet,
    d24: Departures,
    rides23: dict[tuple[str, str], Best],
    pos: dict[str, tuple[float, float]],
    dwell: int,
) -> dict[tuple[str, str], Estimate]:
    """Minutes of the links of lines no timetable here covers, from the line's sourced times.

    - The Shanghai-Suzhou-Huzhou HSR (opened 2024-12-26, after every timetable here): the
      published fastest 上海虹桥 - 湖州 time, shared out by the great-circle km between the
      line's stations in order (raw/belt_line_events_2020_2027.csv), between every two of its
      modelled stations.
    - The along-river HSR's 张家港 - 江阴, which no train of the sources is timed over: the
      great-circle km x route factor at an average speed (ASSUMPTIONS["rail"]), checked
      against the difference of two sourced rides from 上海虹桥 (to 江阴 in 2024, to 张家港 in
      2023).
    """
    out: dict[tuple[str, str], Estimate] = {}
    events = _read("belt_line_events_2020_2027.csv").set_index("line_zh")
    line = events.loc["沪苏湖高铁"]
    order = line["stations_in_order"].split(";")
    _, coords = _stations_table()
    cum = [0.0]
    for a, b in itertools.pairwise(order):
        cum.append(cum[-1] + haversine_km(*coords[a], *coords[b]))
    fact = _published("hongqiao_huzhou_2024")
    first, last = order.index(fact["origins"]), order.index(fact["destinations"])
    total = float(fact["minutes"])
    span = cum[last] - cum[first]
    modelled = [s for s in order if s in pos]
    per_day = line["fact"].split("about ")[1].split(" train pairs")[0]  # "66.5"
    for a, b in itertools.combinations(modelled, 2):
        share = (cum[order.index(b)] - cum[order.index(a)]) / span
        busy = a == "上海虹桥" and b == "苏州南"
        out[(min(a, b), max(a, b))] = Estimate(
            round(total * share),
            fact["year"],
            f"{total:g} min {fact['origins']} - {fact['destinations']} (fastest at the opening, "
            f"{fact['published_on']}) x {share:.3f}, the great-circle km of {a} - {b} along "
            f"the line's stations over those of {fact['origins']} - {fact['destinations']}",
            f"{fact['source_url']} ({PUBLISHED}); stations: {line['source']} ({EVENTS})",
            str(round(2 * float(per_day))) if busy else "",
            f"about {per_day} train pairs a day at 苏州南 by 2025-04 ({line['source']}), taken to "
            "run on to 上海虹桥"
            if busy
            else "",
        )
    # the along-river HSR's 张家港 - 江阴
    a, b = "张家港", "江阴"
    km = haversine_km(*pos[a], *pos[b])
    p = ASSUMPTIONS["rail"]
    minutes = round(km * p["route_factor"] / p["speed_kmh"] * 60)
    to_jiangyin = d24.direct[("上海虹桥", "江阴")]
    to_zhangjiagang = rides23[("上海虹桥", "张家港")]
    check = to_jiangyin[0] - to_zhangjiagang.minutes
    out[(a, b)] = Estimate(
        minutes,
        "",
        f"great-circle {km:.1f} km x route factor {p['route_factor']} / {p['speed_kmh']:.0f} "
        f"km/h; against {to_jiangyin[1]} ({to_jiangyin[0]:g} min) less "
        f"{to_zhangjiagang.train} 上海虹桥 - 张家港 ({to_zhangjiagang.minutes} min, 2023): "
        f"{check:g} min",
        f"estimate: the line's km and the sourced rides beside it; line facts: {LINES_REF}",
        "",
        "",
    )
    return out


#: The along-river HSR's stations west of 江阴 and its shared stations east of it (in order).
ALONG_RIVER_WEST = ("南京南", "句容", "金坛", "武进", "江宁西")
ALONG_RIVER_EAST = ("张家港", "常熟", "太仓")


def _estimated_services(
    base: Callable[..., dict[str, object]],
    net: RailNet,
    rides23: dict[tuple[str, str], Best],
    any24: Found,
    estimates: dict[tuple[str, str], Estimate],
    dwell: int,
) -> list[dict[str, object]]:
    """Rides of trains the sources do not time at every call (``method`` ``estimate``).

    - The along-river HSR's through trains, boarded at 张家港, 常熟 or 太仓 (the 2024 source has
      no calls there, the 2023 one no along-river train): a train that runs as the fastest
      sourced ride of 2024 from a station west of 江阴 to 江阴, then calls at each station on to
      太仓 (张家港 - 江阴 estimated; 张家港 - 常熟 - 太仓 the 2023 running times of the shared
      track), with the high-speed dwell at every call between.
    - The Shanghai-Suzhou-Huzhou HSR between two of its stations that are not adjacent.
    """
    rows = []
    east = {}
    at, sofar, parts = "江阴", 0.0, []
    for x in ALONG_RIVER_EAST:
        key = (min(at, x), max(at, x))
        if key in estimates:
            m, what = estimates[key].minutes, f"{at} - {x} {estimates[key].minutes:g} (estimate)"
        else:
            m, what = (
                rides23[key].minutes,
                f"{at} - {x} {rides23[key].minutes} ({rides23[key].train}, 2023)",
            )
        sofar += (dwell if parts else 0) + m
        parts.append(what)
        east[x] = (sofar, list(parts))
        at = x
    west = []
    for y in ALONG_RIVER_WEST:
        key = (min(y, "江阴"), max(y, "江阴"))
        if key in any24:
            west.append((y, any24[key][0], any24[key][1]))
    west.append(("江阴", 0.0, ""))
    for y, m_y, ev in west:
        for x, (m_x, parts) in east.items():
            if y == "江阴" and x == "张家港":
                continue  # the track link
            calls = len(parts) - 1 + (1 if y != "江阴" else 0)
            calls_of = [y, "江阴", *ALONG_RIVER_EAST[: ALONG_RIVER_EAST.index(x) + 1]]
            calls_of = list(dict.fromkeys(calls_of))
            minutes = m_y + m_x + (dwell if y != "江阴" else 0)
            head = f"{ev}: {m_y:g} min, then {dwell} min at 江阴, " if y != "江阴" else ""
            rows.append(
                base(
                    y,
                    x,
                    "service",
                    line="along-river through train (estimated)",
                    line_zh="沪宁沿江高铁",
                    minutes=_fmt(minutes),
                    method="estimate",
                    confidence="low",
                    evidence=head + " + ".join(parts) + f"; {dwell} min at each call between",
                    source_ref=(
                        f"estimate: 2024 arrival differences ({TIMETABLE_2024_REF}), 2023 running "
                        f"times ({RUNNING_2023_REF}) and the 张家港 - 江阴 estimate; {calls} "
                        "calls between, each with the high-speed dwell of the 2023 rule"
                    ),
                    frequency_source="no source counts the along-river trains calling here",
                    opened=net.opened(calls_of, "G"),
                    railways=";".join(net.railways(calls_of, "G")),
                    note="a through train of the along-river HSR: no source times its call here",
                )
            )
    for (a, b), e in sorted(estimates.items()):
        if net.railway(a, b) is not None or a == "张家港":
            continue
        rows.append(
            base(
                a,
                b,
                "service",
                line="Shanghai-Suzhou-Huzhou HSR train (estimated)",
                line_zh="沪苏湖高铁",
                **e.fields(),
                opened=net.opened([a, b], "G"),
                railways=";".join(net.railways([a, b], "G")),
                note="a train calling at both: the line opened after every timetable here",
            )
        )
    return rows


class Allowance(NamedTuple):
    minutes: float
    how: str


#: The measured line for the planned line's start-stop allowance: built for the same 350 km/h.
ALLOWANCE_LINE = "Beijing-Shanghai HSR"


def _start_stop_allowance(
    rows: list[dict[str, object]], pos: dict[str, tuple[float, float]], ids: dict[str, str]
) -> Allowance:
    """The median excess of a 2023 stop-to-stop running time over the planned line's rule
    (great-circle x route factor at the design speed) on the track links of ALLOWANCE_LINE:
    the minutes a 350 km/h train loses starting and stopping, measured rather than assumed."""
    p = ASSUMPTIONS["planned_rail"]
    code_zh = {v: k for k, v in ids.items()}
    excess = []
    for r in rows:
        if r["kind"] != "track" or r["line"] != ALLOWANCE_LINE or r["method"] != "running_2023":
            continue
        a, b = code_zh.get(str(r["source"])), code_zh.get(str(r["target"]))
        if a in pos and b in pos:
            km = haversine_km(*pos[a], *pos[b])
            excess.append(float(str(r["minutes"])) - km * p["route_factor"] / p["speed_kmh"] * 60)
    if not excess:
        raise SystemExit(f"no 2023 running time on the {ALLOWANCE_LINE} to measure the allowance")
    median = statistics.median(excess)
    how = (
        f"the median excess of the {len(excess)} stop-to-stop 2023 running times on the "
        f"{ALLOWANCE_LINE} over the same rule"
    )
    return Allowance(median, how)


def _lines_between(T: nx.Graph, a: str, b: str) -> str:
    """A note on the modelled track between two stations: the lines of the route with the fewest
    modelled stations between them. The source does not say which track a train takes."""
    if a not in T or b not in T or not nx.has_path(T, a, b):
        return "no modelled track joins the two stations"
    path = nx.shortest_path(T, a, b)
    lines = " / ".join(dict.fromkeys(T.edges[e]["line"] for e in itertools.pairwise(path)))
    return f"nearest modelled track: {lines}"


# --- sectors -----------------------------------------------------------------------------------


def build_sectors() -> pd.DataFrame:
    """Return sectors.csv: every sector a source names for a place, as the source words it.

    The article names some as a city's own strengths (evidence ``article``) and some as the
    fields of its memorandum with Putuo (``article_focus``: Suzhou's electronic information,
    biomedicine and advanced materials; Nanjing's culture and tourism); both are kept, since a
    memorandum names fields the city is strong in. The article's policy aims (innovation
    ecosystem, opening-up, public services) are not sectors and stay in partnerships.csv only.
    """
    focus = _read("article_focus.csv")
    policy = {"innovation ecosystem", "opening-up", "public services"}
    rows = [
        {
            "node": r.node,
            "sector": r.sector,
            "evidence": "article" if r.role == "profile" else "article_focus",
            "source_ref": r.source_ref,
        }
        for r in focus.itertuples(index=False)
        if r.sector not in policy
    ]
    clusters = _read("belt_industries.csv")
    last_source = ""
    for c in clusters.itertuples(index=False):
        source = c.source.replace("same as above", last_source).strip("; ")
        if not c.source.startswith("same as above"):
            last_source = c.source
        for city in c.belt_cities.split(";"):
            name = city.split("(")[0].strip()
            if name in MEMBERS:
                rows.append(
                    {
                        "node": name,
                        "sector": c.cluster_en,
                        "evidence": "miit_cluster",
                        "source_ref": f"{c.cluster_zh} ({c.designation}): {source}",
                    }
                )
    facts = _read("belt_facts_2024.csv")
    for r in facts[facts["fact"] == "key_industries"].itertuples(index=False):
        for item in (x.strip() for x in r.value.split(";")):
            rows.append(
                {
                    "node": r.place,
                    "sector": item,
                    "evidence": "key_industries",
                    "source_ref": f"{r.source} [{r.status}, {r.year}]; {FACTS}",
                }
            )
    return pd.DataFrame(rows, columns=["node", "sector", "evidence", "source_ref"])


def build_metadata() -> pd.DataFrame:
    """Return metadata.csv: which year the network is, and the access rule of its links."""
    latest_line = max(railways(), key=lambda r: date_key(r.opened))
    rows = [
        {
            "key": "network_year",
            "value": "2025",
            "source": (
                f"the lines open in 2025 (the latest of raw/belt_railways.csv: the "
                f"{latest_line.line}, opened {latest_line.opened}), timed by the 2023 running "
                "times and the 2024-01-13 Shanghai departures; the planned North-Yangtze HSR is "
                "a scenario"
            ),
        },
        {
            "key": "access_rule",
            "value": ASSUMPTIONS_ACCESS.describe(),
            "source": "belt_graph.network.access.DOOR_TO_DOOR: assumptions, stated in README.md",
        },
    ]
    return pd.DataFrame(rows, columns=["key", "value", "source"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default data/belt)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    nodes = build_nodes()
    links = build_links(nodes)
    tables = {
        "nodes.csv": nodes,
        "links.csv": links,
        "sectors.csv": build_sectors(),
        "metadata.csv": build_metadata(),
    }
    for name, table in tables.items():
        table.to_csv(args.out / name, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        print(f"wrote {args.out / name} ({len(table)} rows)")
    years = links["data_year"].replace("", "none").value_counts().sort_index()
    print("links by data_year: " + ", ".join(f"{k} {v}" for k, v in years.items()))


if __name__ == "__main__":
    main()
