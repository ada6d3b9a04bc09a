"""China's prefecture-level divisions as places over a national station network.

Used by ``build_national.py``; not run on its own. Every national dataset becomes a network of
**places over stations**: each prefecture-level division (the 297 prefecture-level cities and
municipalities of the *China City Statistical Yearbook 2024*, plus the autonomous prefectures,
leagues, regions and province-administered cities that have stations) is a place; its stations
belong to it, and ``belt_graph.place_builder`` (the code behind ``belt-graph build-places``, with
its stated rules) adds the access and change-of-station links.

Inputs (``data/raw/``, sources in ``data/raw/README.md``):

- ``china_cities/china_city_yearbook2024_prefecture_2023.csv``: 2023 resident population, GDP,
  the three sectors' shares of GDP and the national high-tech enterprises of each city, a tidy
  extract of ``china_city_statistical_yearbook_2024_prefecture.xlsx`` beside it;
  :func:`check_against_xlsx` compares every value used here with the workbook.
- ``china_cities/jiangsu_prefecture_gdp_pop_2024.csv``: 2024 population and GDP of Jiangsu's 13
  cities (secondary source): used instead of 2023 for those cities, marked ``unverified``.
- ``prefecture_divisions_extra.csv`` (hand-written): the English name, kind and seat station of
  each prefecture-level division with stations that the yearbook leaves out; no population or
  GDP.
- ``stations_cn_rail.csv`` (the ``city`` column: the station's prefecture) and
  ``cn_rail_2023_hops/station_city.csv`` (a second list, used where the first has no city).

Which division a station belongs to, in order: the prefecture of ``stations_cn_rail.csv``; else
the city of ``station_city.csv`` when it names a division (``苏州`` -> 苏州市; a county-level
name such as ``常熟`` does not); else the division of the nearest station that has one, within
:data:`NEAREST_KM` (marked ``estimated``). The others belong to no place and are listed in the
datasheet.

A place's reference point (the access rule's centre) is its **namesake station** (the station
named like the division: 广州 for 广州市, 喀什 for 喀什地区), the old central station of almost
every Chinese city, or for the divisions of ``prefecture_divisions_extra.csv`` the station of their
seat (伊宁 for Ili); a division without either takes the mean position of its stations.
"""

from __future__ import annotations

import csv
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
sys.path.insert(0, str(HERE.parent))  # a checkout's belt_graph, installed or not

from belt_graph.place_builder import PLACES_COLUMNS, PLACES_OPTIONAL  # noqa: E402

CITIES = RAW / "china_cities"
YEARBOOK = CITIES / "china_city_yearbook2024_prefecture_2023.csv"
WORKBOOK = CITIES / "china_city_statistical_yearbook_2024_prefecture.xlsx"
JIANGSU_2024 = CITIES / "jiangsu_prefecture_gdp_pop_2024.csv"
EXTRA = RAW / "prefecture_divisions_extra.csv"
STATION_CITY = RAW / "cn_rail_2023_hops" / "station_city.csv"

#: A station with no prefecture in either list takes that of the nearest station within this
#: distance (km) that has one.
NEAREST_KM = 25.0
#: A station farther than this from its division's seat is not placed: the station table
#: gives some stations the city of another station of the same name (the widest prefectures,
#: in Xinjiang and Qinghai, are about 800 km across).
MAX_SEAT_KM = 800.0

YEARBOOK_REF = "China City Statistical Yearbook 2024 (NBS), 2023"
JIANGSU_REF = "Lianhe Ratings, Jiangsu regional report 2025, table 6 (secondary)"
EXTRA_REF = "hand-written: data/raw/prefecture_divisions_extra.csv"
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
SUFFIXES = ("特别行政区", "自治州", "自治县", "地区", "林区", "盟", "市", "县")
#: Peoples named in autonomous divisions' names, dropped from the end (延边朝鲜族 -> 延边).
PEOPLES = (
    "哈萨克",
    "柯尔克孜",
    "蒙古",
    "朝鲜",
    "傈僳",
    "土家",
    "哈尼",
    "布依",
    "彝",
    "白",
    "苗",
    "壮",
    "回",
    "藏",
    "侗",
    "羌",
    "黎",
)

#: Workbook columns (0-based) of the values taken from the yearbook: whole city, not only the
#: urban districts.
WORKBOOK_COLUMNS = {
    "resident_pop_10k": 2,
    "gdp_100m_yuan": 17,
    "primary_share_pct": 23,
    "secondary_share_pct": 25,
    "tertiary_share_pct": 27,
    "national_high_tech_enterprises": 69,
}

#: The columns of ``places.csv``: those ``belt-graph build-places`` reads (no radius: every
#: station is listed), then the division and its economy, carried over to ``nodes.csv``.
PLACE_HEADER = [
    *PLACES_COLUMNS,
    *(c for c in PLACES_OPTIONAL if c != "radius_km"),
    "division",
    "province",
    "primary_share_pct",
    "secondary_share_pct",
    "tertiary_share_pct",
    "high_tech_enterprises",
    "economy_year",
    "economy_status",
    "economy_source",
]


def short_name(division: str) -> str:
    """Return a division's name without its suffix: 广州市 -> 广州, 延边朝鲜族自治州 -> 延边."""
    for suffix in SUFFIXES:
        if division.endswith(suffix) and len(division) > len(suffix) + 1:
            base = division[: -len(suffix)]
            stripped = True
            while stripped and suffix in ("自治州", "自治县"):
                stripped = False
                for people in PEOPLES:
                    if base.endswith(people + "族") and len(base) > len(people) + 2:
                        base, stripped = base[: -len(people) - 1], True
            return base
    return division


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _number(text: str) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _clean(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.10g}"


def check_against_xlsx() -> list[str]:
    """Compare every yearbook value used here with the workbook the tidy CSV was taken from.

    Returns the disagreements (city, column, CSV value, workbook value); empty when they all
    agree. Needs ``openpyxl`` (installed with ``pip install ".[test]"``).
    """
    import openpyxl  # the workbook is read only here

    book = openpyxl.load_workbook(WORKBOOK, read_only=True)
    sheet = book.worksheets[0]
    by_city: dict[str, tuple[object, ...]] = {}
    for row in sheet.iter_rows(values_only=True):
        name = row[0]
        if isinstance(name, str) and name.strip().endswith("市"):
            by_city[name.strip()] = row
    book.close()
    problems = []
    for r in _read(YEARBOOK):
        row = by_city.get(r["city"])
        if row is None:
            problems.append(f"{r['city']}: not in the workbook")
            continue
        for col, at in WORKBOOK_COLUMNS.items():
            cell = row[at]
            want = _number(r[col])
            got = None if cell in (None, "") else float(str(cell).replace(",", ""))
            if (want is None) != (got is None) or (
                want is not None and got is not None and abs(want - got) > 1e-9
            ):
                problems.append(f"{r['city']} {col}: CSV {r[col]!r}, workbook {cell!r}")
    return problems


def divisions() -> dict[str, dict[str, str]]:
    """Every prefecture-level division by Chinese name, with its facts as ``places.csv`` columns."""
    jiangsu = {r["city"]: r for r in _read(JIANGSU_2024)}
    rows = _read(YEARBOOK)
    names = Counter(r["city_en"] for r in rows)
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        zh, en = r["city"], r["city_en"].strip()
        province_en = ""
        if names[en] > 1:  # Suzhou (Jiangsu) and Suzhou (Anhui): the id says which
            province_en = PROVINCE_EN[r["province"]]
        pop = _number(r["resident_pop_10k"])
        gdp = _number(r["gdp_100m_yuan"])
        row = {
            "id": _ascii_id(en, province_en),
            "name": en,
            "name_zh": zh,
            "division": "municipality" if zh in MUNICIPALITIES else "prefecture-level city",
            "province": r["province"],
            "population": "" if pop is None else _clean(round(pop * 10_000)),
            "population_year": "" if pop is None else r["year"],
            "population_status": "unknown" if pop is None else "official",
            "population_source": YEARBOOK_REF if pop is not None else "not in the yearbook",
            "gdp_cny_bn": "" if gdp is None else _clean(gdp / 10),
            "gdp_year": "" if gdp is None else r["year"],
            "gdp_status": "unknown" if gdp is None else "official",
            "gdp_source": YEARBOOK_REF if gdp is not None else "not in the yearbook",
            "primary_share_pct": r["primary_share_pct"],
            "secondary_share_pct": r["secondary_share_pct"],
            "tertiary_share_pct": r["tertiary_share_pct"],
            "high_tech_enterprises": r["national_high_tech_enterprises"],
            "economy_year": r["year"],
            "economy_status": "official",
            "economy_source": YEARBOOK_REF,
        }
        if zh in jiangsu:  # 2024 where a source has it: population and GDP, weaker evidence
            j = jiangsu[zh]
            row |= {
                "population": _clean(round(float(j["resident_population_10k"]) * 10_000)),
                "population_year": j["year"],
                "population_status": "unverified",
                "population_source": JIANGSU_REF,
                "gdp_cny_bn": _clean(round(float(j["gdp_100m_yuan"]) / 10, 4)),
                "gdp_year": j["year"],
                "gdp_status": "unverified",
                "gdp_source": JIANGSU_REF,
            }
        out[zh] = row
    for r in _read(EXTRA):
        out[r["name_zh"]] = {
            "id": _ascii_id(r["name"], ""),
            "name": r["name"],
            "name_zh": r["name_zh"],
            "division": r["division"],
            "province": r["province"],
            "population_status": "unknown",
            "population_source": "not in the yearbook",
            "gdp_status": "unknown",
            "gdp_source": "not in the yearbook",
            "economy_status": "unknown",
            "economy_source": EXTRA_REF,
            "seat_station": r["seat_station"],
        }
    ids = Counter(r["id"] for r in out.values())
    if any(n > 1 for n in ids.values()):
        raise SystemExit(f"place ids repeat: {[i for i, n in ids.items() if n > 1]}")
    return out


def _ascii_id(name: str, province: str) -> str:
    text = name.replace("ê", "e").replace("'", "").replace(" ", "")
    text += f"-{province}" if province else ""
    if not re.fullmatch(r"[A-Za-z-]+", text):
        raise SystemExit(f"no ASCII id for {name!r}")
    return text


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from belt_graph.place_builder import haversine_km

    return haversine_km(lat1, lon1, lat2, lon2)


def station_divisions(
    table: dict[str, dict[str, str]],
    coords: dict[str, tuple[float, float]],
    known: dict[str, dict[str, str]],
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Return, for every station name of ``table``, its division and how it was found.

    ``how`` is ``sourced`` (the station table), ``sourced (2023 list)`` or ``estimated
    (nearest station ...)``. A listed division whose seat is more than :data:`MAX_SEAT_KM` from
    the station is refused (the station table gives some stations the city of a homonym) and
    the nearest-station rule decides; the refusals are returned, as sentences. Stations with
    no division are left out.
    """
    by_short: dict[str, str] = {}
    for zh in known:
        by_short.setdefault(short_name(zh), zh)
        by_short.setdefault(zh, zh)
    second = {r["station"]: r["city"] for r in _read(STATION_CITY)}
    listed: dict[str, tuple[str, str]] = {}
    names = sorted(set(table) | set(second))
    for name in names:
        city = (table.get(name) or {}).get("city", "")
        if city in known:
            listed[name] = (city, "sourced")
            continue
        other = second.get(name, "")
        if other in by_short:
            listed[name] = (by_short[other], "sourced (2023 list)")
            continue
        for zh in sorted(known, key=len, reverse=True):  # 锡林郭勒盟二连浩特 -> 锡林郭勒盟
            if other.startswith(zh):
                listed[name] = (zh, "sourced (2023 list)")
                break
    seats = _seats(listed, coords, known)
    found: dict[str, tuple[str, str]] = {}
    refused = []
    for name, (zh, how) in listed.items():
        if name in coords and zh in seats:
            km = _haversine_km(*coords[name], *seats[zh])
            if km > MAX_SEAT_KM:
                refused.append(f"{name}: listed in {zh}, whose seat is {km:.0f} km away")
                continue
        found[name] = (zh, how)
    placed = [(n, coords[n]) for n in sorted(found) if n in coords]
    for name in names:
        if name in found or name not in coords:
            continue
        lat, lon = coords[name]
        best: tuple[float, str] | None = None
        for other_name, (la, lo) in placed:
            if abs(la - lat) > 0.3 or abs(lo - lon) > 0.4:
                continue
            km = _haversine_km(lat, lon, la, lo)
            if km <= NEAREST_KM and (best is None or km < best[0]):
                best = (km, other_name)
        if best is not None:
            found[name] = (
                found[best[1]][0],
                f"estimated (nearest station {best[1]}, {best[0]:.0f} km)",
            )
    return found, refused


def _seats(
    listed: dict[str, tuple[str, str]],
    coords: dict[str, tuple[float, float]],
    known: dict[str, dict[str, str]],
) -> dict[str, tuple[float, float]]:
    """Each division's seat: its seat or namesake station, else the median of its stations."""
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for name, (zh, _) in listed.items():
        if name in coords:
            members[zh].append(coords[name])
    seats = {}
    for zh, facts in known.items():
        seat = facts.get("seat_station") or short_name(zh)
        if seat in coords:
            seats[zh] = coords[seat]
        elif members[zh]:
            pts = members[zh]
            seats[zh] = (
                statistics.median(p[0] for p in pts),
                statistics.median(p[1] for p in pts),
            )
    return seats


def places_rows(
    station_ids: dict[str, str],
    coords: dict[str, tuple[float, float]],
    coord_sources: dict[str, str],
    assigned: dict[str, tuple[str, str]],
    known: dict[str, dict[str, str]],
    exclude: set[str],
) -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """Return the ``places.csv`` rows of one dataset and what its datasheet lists.

    ``station_ids`` maps the dataset's station names to node ids; ``coords`` and
    ``coord_sources`` hold every station of the national station table (for the namesake
    station, which need not be in the dataset). Stations of ``exclude`` (ids whose position
    is rejected) belong to no place. Only divisions with at least one station in the dataset
    become places.
    """
    members: dict[str, list[str]] = defaultdict(list)
    unplaced = []
    estimated = []
    for name, sid in sorted(station_ids.items(), key=lambda kv: kv[1]):
        if name not in assigned or name not in coords:
            unplaced.append(f"{sid} ({name})")
            continue
        if sid in exclude:
            unplaced.append(f"{sid} ({name}): its position is rejected")
            continue
        zh, how = assigned[name]
        members[zh].append(name)
        if how.startswith("estimated"):
            estimated.append(f"{sid} ({name}) -> {zh}: {how}")
    rows = []
    for zh, facts in sorted(known.items(), key=lambda kv: kv[1]["id"]):
        if zh not in members:
            continue
        namesake = facts.get("seat_station") or short_name(zh)
        if namesake in coords:
            lat, lon = coords[namesake]
            what = "seat station" if facts.get("seat_station") else "namesake station"
            source = f"the {what} {namesake} ({coord_sources[namesake]})"
        else:
            pts = [coords[n] for n in members[zh]]
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
            source = f"estimated: mean position of its {len(pts)} stations (no namesake station)"
        rows.append(
            {
                **facts,
                "kind": "city",
                "lat": f"{lat:.6f}",
                "lon": f"{lon:.6f}",
                "coord_source": source,
                "stations": ";".join(sorted(station_ids[n] for n in members[zh])),
            }
        )
    absent = sorted(
        f"{f['name']} ({zh})"
        for zh, f in known.items()
        if zh not in members and f.get("population")
    )
    return rows, {"unplaced": unplaced, "estimated": estimated, "absent": absent}


def write_places(path: Path, rows: list[dict[str, str]]) -> None:
    """Write ``places.csv`` (the header of :data:`PLACE_HEADER`)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=PLACE_HEADER, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: row.get(k, "") for k in PLACE_HEADER})


#: Provinces in English, to tell apart cities of one English name (the ids of Suzhou-Jiangsu
#: and Suzhou-Anhui).
PROVINCE_EN = {
    "黑龙江省": "Heilongjiang",
    "江苏省": "Jiangsu",
    "浙江省": "Zhejiang",
    "安徽省": "Anhui",
    "福建省": "Fujian",
    "江西省": "Jiangxi",
    "广西壮族自治区": "Guangxi",
    "陕西省": "Shaanxi",
}


SECTION = "## Cities over stations"

SECTION_TEXT = """## Cities over stations

The stations sit under **places** (issue 22): every prefecture-level division with a station in
this dataset is a node of kind `city` with a stable ASCII id (`Guangzhou`, `Suzhou-Jiangsu`,
`Suzhou-Anhui`), its Chinese name (`广州市`) and its stations (the `place` column of each
station). A question asked of a city (`belt-graph commute Guangzhou Shenzhen`) answers from any
of its stations; a station's name (`广州南`, `广州站`) still names the station. `places.csv` is
the table the places were built from; `data/build_national.py` (with `data/build_cities.py`)
derives it, runs `belt_graph.place_builder.build_places` (the code behind `belt-graph
build-places`) with its stated rules, and writes this section:

- **access and egress**, door to door, between a city's reference point and each of its
  stations: 10 min at the station (security, ticket checks, the walk to the platform or out)
  plus the great-circle distance x 1.3 at 25 km/h for the first 10 km and at 60 km/h beyond
  (`belt_graph.network.access.DOOR_TO_DOOR`, assumptions; `metadata.csv` states the rule): a
  station km away never counts as the city for nothing, and a county-level city's station,
  such as 昆山南 for Suzhou, costs more; `confidence` `estimated`, `method` `rule` (the
  commands' `--access-*` options time them again, `--ends stations` counts them as 0);
- **change of station** between two stations of one city at most 50 km apart: 15 min + the
  distance x 1.3 at 30 km/h (metro or road); never free; `confidence` `estimated`. It assumes a
  direct metro or road trip and no wait beyond the fixed 15 min; it knows no metro line.

The reference point is the city's **namesake station** (广州 for 广州市), or for the divisions
the yearbook lacks the station of their seat (伊宁 for Ili,
`data/raw/prefecture_divisions_extra.csv`); `coord_source` says which. A station belongs to
the `city` of `stations_cn_rail.csv`; else to the division `cn_rail_2023_hops/station_city.csv`
names; else to that of the nearest station within 25 km (`estimated`). A listed city whose seat
is more than 800 km from the station is refused ({refused} rows of the station table: it gives
some stations the city of another station of the same name, 大石头南 in Jilin listed in
Xinjiang's Changji), and the nearest-station rule decides. A station whose median track link
would be ridden faster than 360 km/h from its listed position (the worst first, again until
none is) has that position emptied (`coord_status` `unknown`) and belongs to no city: 滨海西 of
Tianjin carried the position of Binhai in Jiangsu.

**People and economy** (columns of the city rows): resident population and GDP of 2023 from the
*China City Statistical Yearbook 2024* (NBS; status `official`), except Jiangsu's 13 cities,
which carry 2024 values from a secondary source (Lianhe Ratings, status `unverified`); the
primary / secondary / tertiary shares of GDP, the national high-tech enterprises
(`high_tech_enterprises`), with `economy_year`, `economy_status`, `economy_source`. The build
checks every value taken from the tidy CSV against the yearbook's workbook (`.xlsx`) beside it.
Shenyang's population is blank in the yearbook and stays unknown; the divisions outside the
yearbook (autonomous prefectures, leagues, Hong Kong, province-administered cities) have no
population or GDP.

**In this dataset:** {cities} cities ({with_pop} with population and GDP) over {stations}
stations.

- Stations of no city ({n_unplaced}): {unplaced}.
- Positions rejected ({n_rejected}): {rejected}.
- Placed by the nearest-station estimate ({n_estimated}): {estimated}.
- Yearbook cities with no station here ({n_absent}): {absent}.

"""


def write_datasheet_section(
    readme: Path,
    rows: list[dict[str, str]],
    stations: int,
    listed: dict[str, list[str]],
    rejected: list[str],
    refused: list[str],
) -> None:
    """Write the datasheet's section on the cities into ``readme`` (before ``## Columns``).

    An earlier version of the section is replaced; a folder without a datasheet gets none.
    """
    if not readme.is_file():
        return
    text = readme.read_text(encoding="utf-8")
    section = SECTION_TEXT.format(
        refused=len(refused),
        cities=len(rows),
        with_pop=sum(1 for r in rows if r.get("population")),
        stations=f"{stations:,}",
        n_unplaced=len(listed["unplaced"]),
        unplaced=", ".join(listed["unplaced"]) or "none",
        n_rejected=len(rejected),
        rejected=", ".join(rejected) or "none",
        n_estimated=len(listed["estimated"]),
        estimated="; ".join(listed["estimated"]) or "none",
        n_absent=len(listed["absent"]),
        absent=", ".join(listed["absent"]) or "none",
    )
    if SECTION in text:
        start = text.index(SECTION)
        after = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[after + 1 :] if after >= 0 else "")
    elif "## Columns" in text:
        text = text.replace("## Columns", section + "## Columns", 1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    readme.write_text(text, encoding="utf-8")
