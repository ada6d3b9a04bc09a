"""Rebuild the derived files of the bundled belt dataset from the raw files in ``data/raw/``.

Usage (from the repository root)::

    python data/build_belt.py            # writes data/belt/{nodes,links,sectors}.csv
    python data/build_belt.py --out DIR  # writes them into DIR instead (used by the tests)

Inputs (``data/raw/``, see ``data/raw/README.md`` for their sources and licences):

- ``belt_nodes.csv``: the eight places, coordinates, population, GDP (copied from the shared
  reference data).
- ``hubs.csv``: the stations the routing needs besides the places (hand-written, station names).
- ``stations_cn_rail.csv``: station coordinates (OpenStreetMap, ODbL).
- ``link_plan.csv``: which modelled stops are adjacent on which line (hand-written from
  ``belt_rail_lines.csv``).
- ``stop_times_keystations_2020.csv``: the real 2020 timetable at key stations.
- ``segments_2021_patterns.csv``: consecutive-stop segments of the 2021 stop patterns.
- ``article_focus.csv``, ``belt_industries.csv``: sector evidence.

How a link's minutes are derived, in order of preference:

1. ``timetable_2020``: the fastest scheduled in-vehicle time (arrival at the second station minus
   departure from the first) of any train in the 2020 key-station timetable that calls at a station
   of both places, in either direction, without calling at a third modelled place's station in
   between. Confidence ``high``.
2. ``patterns_2021``: the shortest chain of consecutive-stop segments of the 2021 stop patterns
   between a station of each place, passing only through stations that belong to no modelled place.
   Sums of segments leave out the dwell time at intermediate stops. Confidence ``low``.
3. ``assumption``: for links no timetable covers (the metro access link and the planned
   North-Yangtze HSR): great-circle distance x route factor / assumed average speed, with the
   parameters in ``ASSUMPTIONS`` and written into the row's ``source_ref``. Confidence
   ``assumption``.

The script is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import itertools
import math
from pathlib import Path

import networkx as nx
import pandas as pd

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
OUT = HERE / "belt"

MEMBERS = ["Putuo", "Nanjing", "Wuxi", "Changzhou", "Suzhou", "Nantong", "Zhenjiang", "Taizhou"]

TIMETABLE_REF = (
    "Timetable: China Railway Online Map via thaddywu/RailwayVIS (Apache-2.0), "
    "data/raw/stop_times_keystations_2020.csv"
)
PATTERNS_REF = (
    "epcm/TrainVis@ef9e560 MergedTrainInfo.json (2021 merged stop patterns), "
    "data/raw/segments_2021_patterns.csv"
)
LINES_REF = "data/raw/belt_rail_lines.csv"

# Documented assumptions for links that no timetable covers. Each row of links.csv built from
# these says so in `confidence` and repeats the parameters in `source_ref`.
ASSUMPTIONS: dict[str, dict[str, float]] = {
    # Shanghai Metro from Putuo's centre to Hongqiao station: no sourced journey time was found.
    "metro": {"route_factor": 1.3, "speed_kmh": 30.0},
    # Planned North-Yangtze HSR: 350 km/h design speed (belt_rail_lines.csv); an average of
    # 250 km/h between stops allows for acceleration and braking.
    "rail": {"route_factor": 1.2, "speed_kmh": 250.0},
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km (mean Earth radius 6371.0 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _clock_minutes(value: object) -> float:
    """Minutes since midnight of a GTFS-style ``HH:MM:SS`` (hours may exceed 23)."""
    if not isinstance(value, str) or not value:
        return math.nan
    h, m, s = (int(x) for x in value.split(":"))
    return h * 60 + m + s / 60


def build_nodes() -> pd.DataFrame:
    """Return nodes.csv: the eight places and the hub stations."""
    raw = pd.read_csv(RAW / "belt_nodes.csv", dtype=str, keep_default_na=False)
    rows = []
    for r in raw.itertuples(index=False):
        kind = "district" if r.id == "Putuo" else "city"
        stations = ";".join(dict.fromkeys(s for s in (r.main_station, r.hsr_station) if s))
        pop_status = r.population_status
        if pop_status.startswith("unverified"):
            # Putuo: only the 2020 census figure is in the raw note ("about 123.98" 10k persons).
            pop_10k = float(pop_status.split("about")[1].strip())
            population, pop_year, status = round(pop_10k * 1e4), "2020", "unverified"
            pop_source = "2020 census figure quoted in shared reference data (belt_nodes.csv)"
        else:
            population = round(float(r.population_end2023_10k) * 1e4)
            pop_year, status, pop_source = "2023", "sourced", r.population_source
        gdp = f"{float(r.gdp_2024_100m_cny) / 10:.2f}" if r.gdp_2024_100m_cny else ""
        gdp_status = r.gdp_status.split(" ")[0] if r.gdp_status else "unknown"
        if gdp_status not in {"unverified", "unknown"}:
            gdp_status = "sourced"
        rows.append(
            {
                "id": r.id,
                "name": r.id,
                "name_zh": r.name_zh,
                "kind": kind,
                "lat": r.centre_lat,
                "lon": r.centre_lon,
                "coord_source": r.centre_coord_source,
                "stations": stations,
                "population": population,
                "population_year": pop_year,
                "population_status": status,
                "population_source": pop_source,
                "gdp_cny_bn": gdp,
                "gdp_year": "2024" if gdp else "",
                "gdp_status": gdp_status,
                "gdp_source": r.gdp_source,
            }
        )
    stations = pd.read_csv(RAW / "stations_cn_rail.csv", dtype=str, keep_default_na=False)
    coords = stations.set_index("name")[["lat_wgs84_osm", "lon_wgs84_osm"]]
    hubs = pd.read_csv(RAW / "hubs.csv", dtype=str, keep_default_na=False)
    osm = "OpenStreetMap (ODbL) via github:wensimehrp/chinese-railway-gtfs@3f527cf; WGS84"
    for h in hubs.itertuples(index=False):
        lat, lon = coords.loc[h.station]
        rows.append(
            {
                "id": h.id,
                "name": h.name,
                "name_zh": h.name_zh,
                "kind": "hub",
                "lat": f"{float(lat):.7f}",
                "lon": f"{float(lon):.7f}",
                "coord_source": f"station {h.station}: {osm}",
                "stations": h.station,
                "population": "",
                "population_year": "",
                "population_status": "not_applicable",
                "population_source": "",
                "gdp_cny_bn": "",
                "gdp_year": "",
                "gdp_status": "not_applicable",
                "gdp_source": "",
            }
        )
    return pd.DataFrame(rows)


def _timetable_legs(modelled: set[str]) -> pd.DataFrame:
    """Every (from, to) pair of calls of each 2020 train with no modelled station between them."""
    st = pd.read_csv(RAW / "stop_times_keystations_2020.csv", dtype=str, keep_default_na=False)
    st = st[st["station"].isin(modelled)].copy()
    st["seq"] = st["seq"].astype(int)
    st["arr_min"] = st["arr"].map(_clock_minutes)
    st["dep_min"] = st["dep"].map(_clock_minutes)
    legs = []
    for train, calls in st.sort_values(["train", "seq"]).groupby("train", sort=True):
        c = calls.reset_index(drop=True)
        for i in range(len(c) - 1):
            a, b = c.iloc[i], c.iloc[i + 1]
            minutes = b["arr_min"] - a["dep_min"]
            if math.isfinite(minutes) and minutes > 0:
                legs.append(
                    {
                        "a": a["station"],
                        "b": b["station"],
                        "minutes": minutes,
                        "train": train,
                        "dep": a["dep"],
                        "arr": b["arr"],
                    }
                )
    return pd.DataFrame(legs)


def _segment_graph() -> nx.Graph:
    """Undirected graph of 2021 consecutive-stop segments, fastest minutes per station pair."""
    seg = pd.read_csv(RAW / "segments_2021_patterns.csv", dtype=str, keep_default_na=False)
    G = nx.Graph()
    for r in seg.itertuples(index=False):
        minutes = float(r.fastest_minutes)
        km = float(r.km.split(";")[0]) if r.km else math.nan
        train = r.example_trains.split(";")[0]
        old = G.get_edge_data(r.from_station, r.to_station)
        if old is None or minutes < old["minutes"]:
            G.add_edge(r.from_station, r.to_station, minutes=minutes, km=km, train=train)
    return G


def build_links(nodes: pd.DataFrame) -> pd.DataFrame:
    """Return links.csv: one row per adjacent pair of modelled stops on each line."""
    plan = pd.read_csv(RAW / "link_plan.csv", dtype=str, keep_default_na=False)
    modelled = {s for cell in plan["source_stations"] for s in cell.split(";") if s}
    modelled |= {s for cell in plan["target_stations"] for s in cell.split(";") if s}
    modelled |= {s for cell in nodes["stations"] for s in cell.split(";") if s}
    legs = _timetable_legs(modelled)
    seg = _segment_graph()
    pos = nodes.set_index("id")[["lat", "lon"]].astype(float)
    rows = []
    for p in plan.itertuples(index=False):
        sa = [s for s in p.source_stations.split(";") if s]
        sb = [s for s in p.target_stations.split(";") if s]
        row = {
            "source": p.source,
            "target": p.target,
            "minutes": "",
            "mode": p.mode,
            "line": p.line,
            "line_zh": p.line_zh,
            "status": p.status,
            "confidence": "",
            "method": "",
            "data_year": "",
            "distance_km": "",
            "source_stations": p.source_stations,
            "target_stations": p.target_stations,
            "evidence": "",
            "source_ref": "",
            "note": p.note,
        }
        if p.status == "planned" or not sa or not sb:
            a, b = pos.loc[p.source], pos.loc[p.target]
            km = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
            params = ASSUMPTIONS[p.mode]
            minutes = km * params["route_factor"] / params["speed_kmh"] * 60
            row.update(
                minutes=str(round(minutes)),
                confidence="assumption",
                method="assumption",
                distance_km=f"{km * params['route_factor']:.1f}",
                source_ref=(
                    f"assumption: great-circle {km:.1f} km between the places' coordinates "
                    f"x route factor {params['route_factor']} / {params['speed_kmh']:.0f} km/h"
                    + (f"; line facts: {LINES_REF}" if p.mode == "rail" else "")
                ),
            )
            rows.append(row)
            continue
        hit = legs[
            (legs["a"].isin(sa) & legs["b"].isin(sb)) | (legs["a"].isin(sb) & legs["b"].isin(sa))
        ]
        if len(hit):
            best = hit.sort_values(["minutes", "train"]).iloc[0]
            row.update(
                minutes=str(round(best["minutes"])),
                confidence="high",
                method="timetable_2020",
                data_year="2020",
                evidence=f"{best['train']} {best['a']} {best['dep'][:5]} -> {best['b']} "
                f"{best['arr'][:5]}",
                source_ref=TIMETABLE_REF,
            )
            rows.append(row)
            continue
        others = (modelled - set(sa) - set(sb)) & set(seg.nodes)
        H = seg.subgraph(set(seg.nodes) - others)
        best_path: list[str] | None = None
        best_minutes = math.inf
        for a in sa:
            for b in sb:
                if a in H and b in H and nx.has_path(H, a, b):
                    m, path = nx.single_source_dijkstra(H, a, b, weight="minutes")
                    if m < best_minutes:
                        best_minutes, best_path = m, path
        if best_path is None:
            raise SystemExit(f"no timetable or segment data for {p.source}-{p.target} ({p.line})")
        edges = list(itertools.pairwise(best_path))
        km = sum(seg.edges[e]["km"] for e in edges)
        trains = ";".join(seg.edges[e]["train"] for e in edges)
        via = best_path[1:-1]
        row.update(
            minutes=str(round(best_minutes)),
            confidence="low",
            method="patterns_2021",
            data_year="2021",
            distance_km=f"{km:.0f}" if math.isfinite(km) else "",
            evidence=" -> ".join(best_path) + f" ({trains})",
            source_ref=PATTERNS_REF,
            note="; ".join(
                x
                for x in (
                    p.note,
                    f"sum of segments via {', '.join(via)}; excludes dwell there" if via else "",
                )
                if x
            ),
        )
        rows.append(row)
    return pd.DataFrame(rows)


def build_sectors() -> pd.DataFrame:
    """Return sectors.csv: the sector evidence per place, names as the sources word them."""
    rows = pd.read_csv(RAW / "article_focus.csv", dtype=str, keep_default_na=False).to_dict(
        "records"
    )
    clusters = pd.read_csv(RAW / "belt_industries.csv", dtype=str, keep_default_na=False)
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
    return pd.DataFrame(rows, columns=["node", "sector", "evidence", "source_ref"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default data/belt)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    nodes = build_nodes()
    links = build_links(nodes)
    tables = {"nodes.csv": nodes, "links.csv": links, "sectors.csv": build_sectors()}
    for name, table in tables.items():
        table.to_csv(args.out / name, index=False, lineterminator="\n")
        print(f"wrote {args.out / name} ({len(table)} rows)")


if __name__ == "__main__":
    main()
