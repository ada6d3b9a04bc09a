"""belt_graph.dataset.lookup: names to ids, suggestions, ambiguity, the default origin."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import belt_graph as bg
from belt_graph.errors import UnknownPlaceError
from tests.helpers import CAIRNS, HEADER, ROOT, problems_of, toy_copy


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Nanjing", "Nanjing"),
        ("nanjing", "Nanjing"),
        ("南京", "Nanjing"),
        ("南京市", "Nanjing"),
        ("普陀", "Putuo"),
        ("普陀区", "Putuo"),
        ("上海市普陀区", "Putuo"),
        ("shanghai hongqiao", "AOH"),
        ("上海虹桥", "AOH"),
        ("苏州", "Suzhou"),  # the city, not its station
        ("苏州站", "SZH"),
        ("苏州北", "OHH"),
        ("szh", "SZH"),
    ],
)
def test_resolve_place(belt: bg.Dataset, query: str, expected: str) -> None:
    assert bg.resolve_place(belt.nodes, query) == expected


def test_resolve_place_suggests(belt: bg.Dataset) -> None:
    with pytest.raises(UnknownPlaceError, match="Did you mean 'Nanjing'"):
        bg.resolve_place(belt.nodes, "Nanjng")


def test_default_origin(belt: bg.Dataset, toy: bg.Dataset) -> None:
    assert bg.default_origin(belt) == "Putuo"  # source of all seven partnerships
    assert bg.default_origin(toy) == "A"


def test_a_shared_name_is_an_error_not_a_guess() -> None:
    from belt_graph.errors import AmbiguousPlaceError

    nodes = bg.load_dataset(ROOT / "data" / "cn-rail-2021").nodes
    # 阜宁, 富宁 and 抚宁 all romanise to "Funing", and no city is called so
    with pytest.raises(AmbiguousPlaceError, match="'funing' names 3 places") as info:
        bg.resolve_place(nodes, "funing")
    assert all(s in str(info.value) for s in ("AKH (阜宁)", "FNM (富宁)", "FNP (抚宁)"))
    assert bg.resolve_place(nodes, "阜宁") == "AKH"  # the Chinese name is unique
    assert bg.resolve_place(nodes, "akh") == "AKH"  # so is the id
    # "binzhou" is the id of the city 滨州 (issue 22), although three stations romanise so
    assert bg.resolve_place(nodes, "binzhou") == "Binzhou"
    assert nodes.at["Binzhou", "name_zh"] == "滨州市"


def test_a_city_name_is_the_city_and_a_station_name_the_station() -> None:
    """Issue 22: 广州, 广州市 and Guangzhou name the city; 广州南 and 广州站 the stations."""
    nodes = bg.load_dataset(ROOT / "data" / "cn-rail-2020").nodes
    for query in ("广州", "广州市", "Guangzhou", "guangzhou"):
        assert bg.resolve_place(nodes, query) == "Guangzhou", query
    assert bg.resolve_place(nodes, "广州南") == "IZQ"
    assert bg.resolve_place(nodes, "广州站") == "GZQ"
    assert nodes.at["IZQ", "place"] == nodes.at["GZQ", "place"] == "Guangzhou"


def test_default_origin_of_a_timetable_is_the_place_most_trains_leave() -> None:
    import csv
    from collections import Counter

    folder = ROOT / "data" / "cn-rail-2020"
    with (folder / "timetable.csv").open(encoding="utf-8") as f:
        leaving = Counter(r["station"] for r in csv.DictReader(f) if r["departure"])
    top, n = leaving.most_common(1)[0]
    assert (top, n) == ("IZQ", 550)  # 广州南, by a count over the raw file
    # a city counts the departures of all its stations (issue 22): by the raw station table
    with (ROOT / "data" / "raw" / "stations_cn_rail.csv").open(encoding="utf-8") as f:
        city = {r["name"]: r["city"] for r in csv.DictReader(f)}
    with (folder / "nodes.csv").open(encoding="utf-8") as f:
        zh = {r["id"]: r["name_zh"] for r in csv.DictReader(f)}
    by_city: Counter[str] = Counter()
    for station, count in leaving.items():
        by_city[city.get(zh[station], "")] += count
    best = by_city.most_common(1)[0][0]
    ds = bg.load_dataset(folder)
    assert ds.nodes.at[bg.default_origin(ds), "name_zh"] == best


def test_a_terminus_where_trips_only_end_is_never_the_default_origin(cairns: bg.Dataset) -> None:
    """Issue 27: Cairns' default origin was The Pier terminus (289 calls, no departure), so the
    report's timetable section reached nothing."""
    import csv
    import io
    import zipfile
    from collections import Counter

    with zipfile.ZipFile(CAIRNS) as z:
        name = next(n for n in z.namelist() if n.endswith("stop_times.txt"))
        rows = list(csv.DictReader(io.TextIOWrapper(z.open(name), "utf-8-sig")))
        trips_name = next(n for n in z.namelist() if n.endswith("trips.txt"))
        weekday = {
            r["trip_id"]
            for r in csv.DictReader(io.TextIOWrapper(z.open(trips_name), "utf-8-sig"))
            if r["service_id"] == "CNS2014-CNS_MUL-Weekday-00"
        }
    last = {}
    for r in rows:  # each trip's last call: nobody departs there
        if r["trip_id"] in weekday:
            seq = int(r["stop_sequence"])
            if seq >= last.get(r["trip_id"], (-1, ""))[0]:
                last[r["trip_id"]] = (seq, r["stop_id"])
    leaving = Counter(
        r["stop_id"]
        for r in rows
        if r["trip_id"] in weekday and (int(r["stop_sequence"]), r["stop_id"]) != last[r["trip_id"]]
    )
    top, _ = leaving.most_common(1)[0]
    assert top == "750047" and bg.default_origin(cairns) == top
    assert bg.default_origin(cairns) != "750449"  # The Pier Cairns - Terminus Stop E


@pytest.mark.parametrize("other", ["SUZHOU", "Ｓｕｚｈｏｕ", "suzhou"])
def test_ids_that_differ_only_by_case_or_width_are_refused(tmp_path: Path, other: str) -> None:
    nodes = (
        "id,name,kind,lat,lon\n"
        "Suzhou,Suzhou,city,31.3,120.6\n"
        f"{other},Other place,city,31.4,120.7\n"
    )
    folder = toy_copy(
        tmp_path,
        **{
            "nodes.csv": nodes,
            "links.csv": HEADER,
            "sectors.csv": None,
            "partnerships.csv": None,
            "scenarios__faster_red.csv": None,
            "scenarios__open_gold.csv": None,
        },
    )
    assert "only by case or character width" in problems_of(folder)


def test_an_exact_id_always_wins() -> None:
    nodes = pd.DataFrame({"name": ["x", "y"], "kind": ["city"] * 2}, index=["Suzhou", "SUZHOU"])
    assert bg.resolve_place(nodes, "SUZHOU") == "SUZHOU"
    assert bg.resolve_place(nodes, "Suzhou") == "Suzhou"
    with pytest.raises(bg.AmbiguousPlaceError):
        bg.resolve_place(nodes, "suzhou")


def test_a_huge_query_is_not_compared_character_by_character(toy: bg.Dataset) -> None:
    with pytest.raises(bg.UnknownPlaceError):
        bg.resolve_place(toy.nodes, "x" * 1_000_000)


def test_two_cities_of_one_name_are_the_choice_not_their_stations() -> None:
    """Issue 22: 'Suzhou' is 苏州市 or 宿州市; their stations 苏州 and 宿州 are not offered."""
    from belt_graph.errors import AmbiguousPlaceError

    nodes = bg.load_dataset(ROOT / "data" / "cn-rail-2023").nodes
    with pytest.raises(AmbiguousPlaceError, match="'Suzhou' names 2 places") as info:
        bg.resolve_place(nodes, "Suzhou")
    assert "Suzhou-Jiangsu (苏州市)" in str(info.value) and "Suzhou-Anhui (宿州市)" in str(
        info.value
    )
    assert bg.resolve_place(nodes, "苏州") == "Suzhou-Jiangsu"
    assert bg.resolve_place(nodes, "苏州站") == "SZH"
