"""Build the national datasets ``data/cn-rail-2020/`` and ``data/cn-rail-2021/`` from raw files.

Usage (from the repository root)::

    python data/build_national.py            # writes both folders' derived files
    python data/build_national.py --out DIR  # writes DIR/cn-rail-2020 and DIR/cn-rail-2021

Needs ``pypinyin`` (``pip install ".[test]"``) for the romanised station names.

Inputs (``data/raw/``, sources and licences in ``data/raw/README.md``):

- ``stop_times_keystations_2020.csv``: every scheduled call of 8,736 trains at 321 key stations
  (about Q4 2020). Times are ``HH:MM:SS`` with hours of 24 or more for later days.
- ``segments_2021_patterns.csv``: consecutive-stop segments of the 2021 merged stop patterns,
  directional, with the fastest representative minutes and the line distance in km.
- ``stations_cn_rail.csv``: province, city, railway bureau and coordinates of every station
  (WGS84 from OpenStreetMap; GCJ-02 from Amap where OpenStreetMap has none). Its telecodes are
  not used: they disagree with 12306 for 86 stations.
- ``station_name_12306.csv``: 12306's own station list (name and telecode, April 2026).

What is derived, and how:

- ``nodes.csv``: one row per station. ``id`` is the station's code in 12306's list (the code on a
  ticket); a station whose name is not in that list (closed, renamed, or not a passenger station
  today) keeps its Chinese name as id, and ``id_source`` says which. ``name`` is a machine
  romanisation (pypinyin, tone marks dropped,
  a trailing 东/西/南/北 written East/West/South/North, the city part split off as its own word);
  ``lat``/``lon`` are WGS84 from OpenStreetMap, else the GCJ-02 point converted to WGS84 with the
  standard approximation (``coord_source`` says which); a station in no coordinate source keeps
  empty coordinates with ``coord_status`` ``unknown``.
- 2020 ``links.csv``: one undirected link per pair of key stations that a train calls at, one
  after the other or not: every link is a real train's ride. ``minutes`` is the fastest
  scheduled time (arrival at the second station minus departure from the first, dwell at the
  stations between included) over all trains in both directions; ``kind`` ``track`` over the
  trains that call at the two one after the other, ``service`` over the others (kept only where
  faster than the track link, if there is one); ``fastest_train`` names the train,
  ``trains_per_day`` counts the trains of that kind that run the pair (each runs daily). ``line``
  holds the service class of that fastest train (``high-speed`` for G/D/C trains, else
  ``conventional``): the timetable does not name lines.
- 2020 ``timetable.csv``: the timetable itself, stations as node ids, times as ``HH:MM``.
- ``id_changes.csv``: every id that differs from the one earlier versions of these datasets
  used (the telecode column of ``stations_cn_rail.csv``, else the Chinese name), so that users
  of the old ids can update their work.
- 2021 ``links.csv``: directional segments merged into undirected links; ``minutes`` is the
  faster direction, ``minutes_ab``/``minutes_ba`` keep both, ``distance_km`` is the smallest
  distance any pattern gives (``km_values`` keeps them all: the larger ones are cumulative
  distances that some patterns report). Segments naming an unreadable (mis-encoded) station are
  left out and counted in the datasheet.

The script is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import re
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import build_cities
import build_rail_2023
from build_belt import PATTERNS_REF, TIMETABLE_REF  # the same sources, cited alike

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
CONTEXT = RAW / "natural_earth" / "east_asia_110m.geojson"
sys.path.insert(0, str(HERE.parent))  # a checkout's belt_graph, installed or not

DIRECTIONS = {"东": "East", "西": "West", "南": "South", "北": "North"}
CITY_SUFFIXES = ("特别行政区", "自治州", "地区", "林区", "盟", "市")
HIGH_SPEED = ("G", "D", "C")
# Readings pypinyin gets wrong in place names (polyphonic characters read in their common
# sense): whole names, two-character words and single characters, applied in that order.
ROMANISATION_FIXES = {"珲春": "Hunchun", "长子": "Zhangzi"}
WORD_FIXES = {
    "朝阳": ("chao", "yang"),
    "洪洞": ("hong", "tong"),
    "涡阳": ("guo", "yang"),
    "民乐": ("min", "le"),
}
CHAR_FIXES = {"都": "du", "长": "chang", "漯": "luo"}
# Cities whose English name is not their pinyin (names from Mongolian, Tibetan, Uyghur, Manchu):
# the forms the cities and the national gazetteer use in English. Applied to the city word.
EXONYMS = {
    "哈尔滨": "Harbin",
    "呼和浩特": "Hohhot",
    "乌鲁木齐": "Urumqi",
    "拉萨": "Lhasa",
    "齐齐哈尔": "Qiqihar",
    "海拉尔": "Hailar",
    "库尔勒": "Korla",
    "吐鲁番": "Turpan",
    "阿勒泰": "Altay",
}


# --- coordinates -------------------------------------------------------------------------------


def _gcj_delta(lat: float, lon: float) -> tuple[float, float]:
    """Offset GCJ-02 minus WGS84 at (lat, lon), the published Krasovsky-ellipsoid formula."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    wave = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += wave + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon += wave + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (a / sqrt_magic * math.cos(rad) * math.pi)
    return dlat, dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """Convert a GCJ-02 point to WGS84 by fixed-point iteration (error well under a metre)."""
    wlat, wlon = lat, lon
    for _ in range(3):
        dlat, dlon = _gcj_delta(wlat, wlon)
        wlat, wlon = lat - dlat, lon - dlon
    return wlat, wlon


# --- names -------------------------------------------------------------------------------------


def _syllables(text: str) -> str:
    from pypinyin import lazy_pinyin

    syls = lazy_pinyin(text, errors="ignore")
    if len(syls) == len(text):
        syls = [CHAR_FIXES.get(c, s) for c, s in zip(text, syls, strict=True)]
        for word, fix in WORD_FIXES.items():
            at = text.find(word)
            if at >= 0:
                syls[at : at + len(word)] = fix
    out = ""
    for i, syl in enumerate(syls):
        out += ("'" if i and syl[:1] in "aoe" else "") + syl
    return out.capitalize()


def romanise(name: str, city: str) -> str:
    """Return a romanised station name: 上海虹桥 -> Shanghai Hongqiao, 长沙南 -> Changsha South."""
    if name in ROMANISATION_FIXES:
        return ROMANISATION_FIXES[name]
    suffix = ""
    if len(name) > 2 and name[-1] in DIRECTIONS:
        name, suffix = name[:-1], DIRECTIONS[name[-1]]
    base = city
    for end in CITY_SUFFIXES:
        if base.endswith(end) and len(base) > len(end) + 1:
            base = base[: -len(end)]
            break
    words = [name]
    if base and name.startswith(base) and len(name) > len(base):
        words = [base, name[len(base) :]]
    text = " ".join(EXONYMS.get(w) or _syllables(w) for w in words)
    return f"{text} {suffix}".strip()


# --- helpers -----------------------------------------------------------------------------------


def _minutes(text: str) -> int | None:
    if not text:
        return None
    h, m, s = (int(x) for x in text.split(":"))
    return h * 60 + m + (1 if s >= 30 else 0)


def _hhmm(text: str) -> str:
    if not text:
        return ""
    h, m, _ = text.split(":")
    return f"{int(h):02d}:{m}"


def _write(path: Path, header: list[str], rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: row.get(k, "") for k in header})


def _fmt(x: float) -> str:
    return f"{x:.6f}"


def _stations() -> dict[str, dict[str, str]]:
    with (RAW / "stations_cn_rail.csv").open(encoding="utf-8") as f:
        return {r["name"]: r for r in csv.DictReader(f)}


# columns every links.csv written here starts with
LINK_HEADER = ["source", "target", "minutes", "mode", "line", "status", "confidence", "data_year"]

NODE_HEADER = [
    "id",
    "id_source",
    "name",
    "name_zh",
    "kind",
    "lat",
    "lon",
    "coord_status",
    "coord_source",
    "city",
    "province",
    "railway_bureau",
    "name_source",
]


#: Stations whose old name is not in 12306's current list because 12306 renamed them (the new
#: name, with its code, is in the list). Their ids stay the old name, the one the timetable
#: data use; the datasheet says so. Only renames named in the project's issue tracker (issue
#: 16) are listed: others are not guessed.
RENAMED = {"松江南": "上海松江", "余杭": "临平南"}

ID_FROM_12306 = "12306 station list (April 2026)"
ID_FROM_NAME = "Chinese name: not in 12306's station list"


def codes_12306() -> dict[str, str]:
    """Station name -> telecode, from 12306's own list (no name or code repeats in it)."""
    with (RAW / "station_name_12306.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    codes = {r["name"]: r["telecode"] for r in rows}
    if len(codes) != len(rows) or len(set(codes.values())) != len(rows):
        raise SystemExit("station_name_12306.csv repeats a name or a code")
    return codes


def node_rows(
    names: list[str], table: dict[str, dict[str, str]], codes: dict[str, str]
) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
    """Nodes for the given Chinese station names, sorted by id, and the ids that changed."""
    from importlib.metadata import version

    name_source = f"pypinyin {version('pypinyin')} (machine romanisation)"
    rows = []
    changes = []
    seen: dict[str, str] = {}
    for zh in names:
        info = table.get(zh)
        code = codes.get(zh)
        row: dict[str, object] = {
            "id": code or zh,
            "id_source": ID_FROM_12306 if code else ID_FROM_NAME,
            "name_zh": zh,
            "kind": "station",
            "name_source": name_source,
        }
        old = (info["telecode_12306"] if info else "") or zh
        if old != row["id"]:
            changes.append({"old_id": old, "new_id": str(row["id"]), "name_zh": zh})
        if info is None:
            row |= {"coord_status": "unknown", "coord_source": "not in any source"}
            row["name"] = romanise(zh, "")
        else:
            row |= {
                "city": info["city"],
                "province": info["province"],
                "railway_bureau": info["railway_bureau"],
                "name": romanise(zh, info["city"]),
            }
            if info["lat_wgs84_osm"]:
                lat, lon = float(info["lat_wgs84_osm"]), float(info["lon_wgs84_osm"])
                row |= {"coord_status": "sourced", "coord_source": "OpenStreetMap (WGS84)"}
            else:
                lat, lon = gcj02_to_wgs84(
                    float(info["lat_gcj02_amap"]), float(info["lon_gcj02_amap"])
                )
                row |= {
                    "coord_status": "sourced",
                    "coord_source": "Amap GCJ-02 converted to WGS84 (fixed-point inverse)",
                }
            row |= {"lat": _fmt(lat), "lon": _fmt(lon)}
        if row["id"] in seen:
            raise SystemExit(f"telecode {row['id']} used by {seen[str(row['id'])]} and {zh}")
        seen[str(row["id"])] = zh
        rows.append(row)
    return sorted(rows, key=lambda r: str(r["id"])), sorted(changes, key=lambda r: r["old_id"])


# --- cn-rail-2020 ------------------------------------------------------------------------------


CHANGES_HEADER = ["old_id", "new_id", "name_zh"]


def build_2020(out: Path, table: dict[str, dict[str, str]], codes: dict[str, str]) -> None:
    with (RAW / "stop_times_keystations_2020.csv").open(encoding="utf-8") as f:
        calls = list(csv.DictReader(f))
    names = sorted({r["station"] for r in calls})
    nodes, changes = node_rows(names, table, codes)
    ids = {str(r["name_zh"]): str(r["id"]) for r in nodes}
    _write(out / "nodes.csv", NODE_HEADER, nodes)  # type: ignore[arg-type]
    _write(out / "id_changes.csv", CHANGES_HEADER, changes)  # type: ignore[arg-type]

    by_train: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in calls:
        by_train[r["train"]].append(r)
    timetable = []
    best: dict[tuple[str, str, str], tuple[int, str, str]] = {}
    count: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for train in sorted(by_train):
        stops = sorted(by_train[train], key=lambda r: int(r["seq"]))
        for r in stops:
            timetable.append(
                {
                    "train": train,
                    "sequence": int(r["seq"]),
                    "station": ids[r["station"]],
                    "arrival": _hhmm(r["arr"]),
                    "departure": _hhmm(r["dep"]),
                    "service_type": r["service_type"],
                }
            )
        for i, j in itertools.combinations(range(len(stops)), 2):
            a, b = stops[i], stops[j]
            dep, arr = _minutes(a["dep"]), _minutes(b["arr"])
            if dep is None or arr is None or arr <= dep or a["station"] == b["station"]:
                continue
            u, v = ids[a["station"]], ids[b["station"]]
            key = (min(u, v), max(u, v))
            kind = "track" if j == i + 1 else "service"
            count[kind, *key].add(train)
            cand = (
                arr - dep,
                train,
                f"{train} {a['station']} {a['dep'][:5]} -> {b['station']} {b['arr'][:5]}",
            )
            if (kind, *key) not in best or cand < best[kind, *key]:
                best[kind, *key] = cand
    links = []
    for (kind, u, v), (minutes, train, evidence) in sorted(
        best.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0] != "track")
    ):
        if kind == "service" and ("track", u, v) in best and best["track", u, v][0] <= minutes:
            continue  # a train calling at the two one after the other is as fast
        links.append(
            {
                "source": u,
                "target": v,
                "minutes": minutes,
                "mode": "rail",
                "line": "high-speed" if train.startswith(HIGH_SPEED) else "conventional",
                "status": "open",
                "confidence": "high",
                "data_year": 2020,
                "kind": kind,
                "fastest_train": train,
                "trains_per_day": len(count[kind, u, v]),
                "evidence": evidence,
                "source_ref": TIMETABLE_REF,
            }
        )
    _write(
        out / "links.csv",
        [*LINK_HEADER, "kind", "fastest_train", "trains_per_day", "evidence", "source_ref"],
        links,
    )
    _write(
        out / "timetable.csv",
        ["train", "sequence", "station", "arrival", "departure", "service_type"],
        timetable,
    )
    _write(out / "metadata.csv", ["key", "value", "source"], METADATA_2020)


#: Facts about cn-rail-2020 as a whole (``metadata.csv``), for GTFS export: every Chinese
#: railway timetable is in China Standard Time; the source dates the timetable only to about
#: the fourth quarter of 2020, so the service period is that quarter, marked approximate.
METADATA_2020 = [
    {
        "key": "timezone",
        "value": "Asia/Shanghai",
        "source": "China Standard Time (UTC+8), the time of every Chinese railway timetable",
    },
    {
        "key": "url",
        "value": "https://github.com/thaddywu/RailwayVIS",
        "source": "the timetable's source repository (see attribution.txt)",
    },
    {"key": "language", "value": "en", "source": "stop names are romanised (name_zh: Chinese)"},
    {
        "key": "service_start",
        "value": "2020-10-01",
        "source": "approximate: the source dates the timetable to about Q4 2020",
    },
    {
        "key": "service_end",
        "value": "2020-12-31",
        "source": "approximate: the source dates the timetable to about Q4 2020",
    },
]


# --- cn-rail-2021 ------------------------------------------------------------------------------

MOJIBAKE = re.compile("\ufffd")


def build_2021(
    out: Path, table: dict[str, dict[str, str]], codes: dict[str, str]
) -> dict[str, int]:
    with (RAW / "segments_2021_patterns.csv").open(encoding="utf-8") as f:
        segs = list(csv.DictReader(f))
    kept = [s for s in segs if not (MOJIBAKE.search(s["from_station"] + s["to_station"]))]
    names = sorted({s["from_station"] for s in kept} | {s["to_station"] for s in kept})
    nodes, changes = node_rows(names, table, codes)
    ids = {str(r["name_zh"]): str(r["id"]) for r in nodes}
    _write(out / "nodes.csv", NODE_HEADER, nodes)  # type: ignore[arg-type]
    _write(out / "id_changes.csv", CHANGES_HEADER, changes)  # type: ignore[arg-type]

    directed: dict[tuple[str, str], dict[str, str]] = {}
    for s in kept:
        directed[ids[s["from_station"]], ids[s["to_station"]]] = s
    pairs = sorted({(min(u, v), max(u, v)) for u, v in directed})
    links = []
    stats = {"segments": len(segs), "dropped_mojibake": len(segs) - len(kept), "disagree": 0}
    for u, v in pairs:
        ab, ba = directed.get((u, v)), directed.get((v, u))
        minutes = [int(s["fastest_minutes"]) for s in (ab, ba) if s]
        kms = sorted(
            {int(k) for s in (ab, ba) if s for k in s["km"].split(";") if k},
        )
        trains = sorted({t for s in (ab, ba) if s for t in s["example_trains"].split(";") if t})
        if ab and ba and ab["fastest_minutes"] != ba["fastest_minutes"]:
            stats["disagree"] += 1
        links.append(
            {
                "source": u,
                "target": v,
                "minutes": min(minutes),
                "mode": "rail",
                "line": "high-speed"
                if any(t.startswith(HIGH_SPEED) for t in trains)
                else "conventional",
                "status": "open",
                "confidence": "low",
                "data_year": 2021,
                "distance_km": kms[0] if kms else "",
                "km_values": ";".join(str(k) for k in kms),
                "minutes_ab": ab["fastest_minutes"] if ab else "",
                "minutes_ba": ba["fastest_minutes"] if ba else "",
                "example_trains": ";".join(trains[:3]),
                "source_ref": PATTERNS_REF,
            }
        )
    stats["links"] = len(links)
    stats["one_way"] = sum(1 for r in links if not (r["minutes_ab"] and r["minutes_ba"]))
    _write(
        out / "links.csv",
        [
            *LINK_HEADER,
            "distance_km",
            "km_values",
            "minutes_ab",
            "minutes_ba",
            "example_trains",
            "source_ref",
        ],
        links,
    )
    return stats


# --- places over stations ------------------------------------------------------------------------


def build_2023(
    out: Path, table: dict[str, dict[str, str]], codes: dict[str, str]
) -> dict[str, object]:
    """Write cn-rail-2023's station nodes and links; return the facts its datasheet quotes."""
    by_train = build_rail_2023.trains()
    names = sorted({n for stops, _ in by_train.values() for n in stops})
    nodes, changes = node_rows(names, table, codes)
    ids = {str(r["name_zh"]): str(r["id"]) for r in nodes}
    _write(out / "nodes.csv", NODE_HEADER, nodes)  # type: ignore[arg-type]
    _write(out / "id_changes.csv", CHANGES_HEADER, changes)  # type: ignore[arg-type]
    dwell, check = build_rail_2023.dwell_check(by_train)
    links, stats = build_rail_2023.links_2023(by_train, ids, dwell)
    _write(out / "links.csv", build_rail_2023.LINK_HEADER_2023, links)
    return {
        "trains": len(by_train),
        "stations": len(nodes),
        **stats,
        "dwell": dwell,
        "check": check,
    }


def station_coords(
    table: dict[str, dict[str, str]],
) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """WGS84 position and its source of every station of the station table that has one."""
    coords, sources = {}, {}
    for name, info in table.items():
        if info["lat_wgs84_osm"]:
            coords[name] = (float(info["lat_wgs84_osm"]), float(info["lon_wgs84_osm"]))
            sources[name] = "OpenStreetMap (WGS84)"
        elif info["lat_gcj02_amap"]:
            coords[name] = gcj02_to_wgs84(
                float(info["lat_gcj02_amap"]), float(info["lon_gcj02_amap"])
            )
            sources[name] = "Amap GCJ-02 converted to WGS84"
    return coords, sources


#: No train averages more than this between two stops: a station whose median track link
#: implies a faster ride sits where the station table puts another station of the same name.
MAX_RAIL_KMH = 360.0


def reject_positions(out: Path) -> list[str]:
    """Empty the positions that the station's own links disprove; return those stations.

    A station whose median track link, to a neighbour with a position, would be ridden faster
    than :data:`MAX_RAIL_KMH` is not where the station table says (平湖 of Shenzhen was given
    平湖 of Zhejiang's place). Its position becomes unknown and it belongs to no place.
    """
    from belt_graph.place_builder import haversine_km

    with (out / "nodes.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        nodes = list(reader)
    pos = {r["id"]: (float(r["lat"]), float(r["lon"])) for r in nodes if r["lat"]}
    with (out / "links.csv").open(encoding="utf-8") as f:
        # the links to neighbouring stops (not cn-rail-2023's long rides, which would vouch
        # for a position hundreds of km off)
        track = [
            (r["source"], r["target"], float(r["minutes"]) / 60)
            for r in csv.DictReader(f)
            if r["mode"] == "rail" and r.get("kind", "") in ("track", "")
        ]
    found: dict[str, float] = {}
    while True:  # the worst first: a wrong neighbour no longer condemns a right station
        speeds: dict[str, list[float]] = defaultdict(list)
        for a, b, hours in track:
            if a in pos and b in pos:
                kmh = haversine_km(*pos[a], *pos[b]) / hours
                speeds[a].append(kmh)
                speeds[b].append(kmh)
        median = {x: statistics.median(v) for x, v in speeds.items()}
        worst = max(median, key=lambda x: (median[x], x), default=None)
        if worst is None or median[worst] <= MAX_RAIL_KMH:
            break
        found[worst] = median[worst]
        del pos[worst]
    rejected = []
    for r in nodes:
        if r["id"] in found:
            kmh = found[r["id"]]
            rejected.append(f"{r['id']} ({r['name_zh']}, {kmh:.0f} km/h)")
            r |= {
                "lat": "",
                "lon": "",
                "coord_status": "unknown",
                "coord_source": f"rejected: the station table's position ({r['coord_source']}) "
                f"would put its median track link at {kmh:.0f} km/h",
            }
    _write(out / "nodes.csv", header, nodes)  # type: ignore[arg-type]
    return rejected


def add_places(
    out: Path,
    coords: dict[str, tuple[float, float]],
    coord_sources: dict[str, str],
    assigned: dict[str, tuple[str, str]],
    known: dict[str, dict[str, str]],
    refused: list[str],
) -> dict[str, object]:
    """Turn the station dataset in ``out`` into places over stations, by build-places' rules.

    Writes ``places.csv``, rewrites ``nodes.csv`` (places, then stations with their ``place``)
    and ``links.csv`` (the station links, then access and change-of-station links), and the
    datasheet's section on the cities (``README.md``, when the folder has one).
    """
    from belt_graph.dataset.load import load_dataset
    from belt_graph.place_builder import build_places, read_places

    rejected = reject_positions(out)
    with (out / "nodes.csv").open(encoding="utf-8") as f:
        station_ids = {r["name_zh"]: r["id"] for r in csv.DictReader(f)}
    exclude = {r.split(" ", 1)[0] for r in rejected}
    rows, listed = build_cities.places_rows(
        station_ids, coords, coord_sources, assigned, known, exclude
    )
    build_cities.write_places(out / "places.csv", rows)
    with tempfile.TemporaryDirectory() as tmp:  # the station network alone, as just written
        for name in ("nodes.csv", "links.csv", "timetable.csv", "metadata.csv"):
            if (out / name).is_file():
                shutil.copyfile(out / name, Path(tmp) / name)
        stations = load_dataset(tmp)
        places = read_places(out / "places.csv", stations)
        nodes, links, facts = build_places(stations, places)
    nodes.to_csv(out / "nodes.csv", index=False, lineterminator="\n")
    links.to_csv(out / "links.csv", index=False, lineterminator="\n")
    _network_metadata(out, facts["access_rule"])
    stations_total = len(station_ids)
    build_cities.write_datasheet_section(
        out / "README.md", rows, stations_total, listed, rejected, refused
    )
    return {
        "places": len(rows),
        "with_population": sum(1 for r in rows if r.get("population")),
        "stations_placed": len(facts["owner"]),
        "access_links": facts["access"],
        "transfer_links": facts["transfer"],
        "positions_rejected": rejected,
        **{k: len(v) for k, v in listed.items()},
    }


#: The year each national dataset's network describes (its timetable's or stop patterns').
NETWORK_YEARS = {
    "cn-rail-2020": ("2020", "the key-station timetable of about Q4 2020"),
    "cn-rail-2021": ("2021", "the merged stop patterns of about 2021"),
    "cn-rail-2023": ("2023", "the running times of 2023-09-25 to 2023-10-06"),
}


def _network_metadata(out: Path, rule: object) -> None:
    """Add the network's year and its access rule to ``metadata.csv`` (kept rows first)."""
    path = out / "metadata.csv"
    rows: list[dict[str, object]] = []
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["key"] not in ("network_year", "access_rule")]
    year, what = NETWORK_YEARS[out.name]
    rows += [
        {"key": "network_year", "value": year, "source": what},
        {
            "key": "access_rule",
            "value": rule.describe(),  # type: ignore[attr-defined]
            "source": "belt_graph.network.access.DOOR_TO_DOOR: assumptions (README.md)",
        },
    ]
    _write(path, ["key", "value", "source"], rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="parent folder (default data/)")
    parser.add_argument(
        "--details", action="store_true", help="print the datasheets' lists (unplaced stations...)"
    )
    args = parser.parse_args(argv)
    table = _stations()
    codes = codes_12306()
    mismatches = build_cities.check_against_xlsx()
    if mismatches:
        raise SystemExit("the yearbook CSV disagrees with its workbook:\n" + "\n".join(mismatches))
    known = build_cities.divisions()
    coords, coord_sources = station_coords(table)
    assigned, refused = build_cities.station_divisions(table, coords, known)
    print(f"station table: {len(refused)} listed cities refused (seat too far)")
    build_2020(args.out / "cn-rail-2020", table, codes)
    stats = build_2021(args.out / "cn-rail-2021", table, codes)
    print("cn-rail-2021:", " ".join(f"{k}={v}" for k, v in stats.items()))
    print("cn-rail-2023:", build_2023(args.out / "cn-rail-2023", table, codes))
    for name in ("cn-rail-2020", "cn-rail-2021", "cn-rail-2023"):
        facts = add_places(args.out / name, coords, coord_sources, assigned, known, refused)
        print(f"{name} places:", facts)
        # the maps' land and coastlines: Natural Earth 1:110m countries (public domain)
        shutil.copyfile(CONTEXT, args.out / name / "context.geojson")


if __name__ == "__main__":
    main()
