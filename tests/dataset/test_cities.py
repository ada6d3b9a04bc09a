"""China's cities as places over the national stations (issue 22), checked against raw files."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

import belt_graph as bg
from belt_graph.place_builder import haversine_km
from tests.helpers import ROOT

RAW = ROOT / "data" / "raw"


def raw_city_of() -> dict[str, str]:
    with (RAW / "stations_cn_rail.csv").open(encoding="utf-8") as f:
        return {r["name"]: r["city"] for r in csv.DictReader(f)}


def raw_direct_minutes(a_city: str, b_city: str) -> dict[tuple[str, str], int]:
    """Fastest direct train between each key station of one city and each of another, either
    way, from the raw 2020 file (station names as the file gives them)."""
    city = raw_city_of()
    by_train: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (RAW / "stop_times_keystations_2020.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            by_train[r["train"]].append(r)

    def clock(t: str) -> int:
        h, m, s = (int(x) for x in t.split(":"))
        return h * 60 + m + (1 if s >= 30 else 0)

    best: dict[tuple[str, str], int] = {}
    for calls in by_train.values():
        calls.sort(key=lambda r: int(r["seq"]))
        for i, a in enumerate(calls):
            if not a["dep"]:
                continue
            for b in calls[i + 1 :]:
                ends = (city.get(a["station"]), city.get(b["station"]))
                if b["arr"] and ends in ((a_city, b_city), (b_city, a_city)):
                    # either way: the network's links are undirected, the faster way counted
                    key = (a["station"], b["station"])
                    key = key if ends[0] == a_city else key[::-1]
                    m = clock(b["arr"]) - clock(a["dep"])
                    best[key] = min(best.get(key, m), m)
    return best


PAIRS = [
    ("Guangzhou", "Shenzhen", "广州市", "深圳市"),
    ("Beijing", "Tianjin", "北京市", "天津市"),
    ("Shanghai", "Hangzhou", "上海市", "杭州市"),
    ("Chengdu", "Chongqing", "成都市", "重庆市"),
    ("Wuhan", "Changsha", "武汉市", "长沙市"),
    ("Nanjing", "Hefei", "南京市", "合肥市"),
]


@pytest.mark.parametrize(("a", "b", "a_zh", "b_zh"), PAIRS)
def test_city_commutes_are_the_fastest_direct_train(a: str, b: str, a_zh: str, b_zh: str) -> None:
    """Between two big cities the answer is, door to door, the best of the direct trains
    between any of their stations with the access and egress the rule gives at each end."""
    ds = bg.load_dataset("cn-rail-2020")
    direct = raw_direct_minutes(a_zh, b_zh)
    r = bg.commute(bg.rail_graph(ds), a, b)
    access = ds.links[ds.links["kind"] == "access"].set_index(["source", "target"])["minutes"]
    ids = {zh: i for i, zh in ds.nodes["name_zh"].items() if ds.nodes.at[i, "kind"] == "station"}
    expected = min(
        m + access[a, ids[s]] + access[b, ids[t]]
        for (s, t), m in direct.items()
        if s in ids and t in ids and (a, ids[s]) in access and (b, ids[t]) in access
    )
    # the links hold each segment's fastest train, so the network is never slower than the
    # best direct train and, between these cities, at most 2 min faster (two trains' fastest
    # segments joined at a junction)
    assert expected - 2 <= r.minutes <= expected, (r.minutes, expected)
    assert r.legs["kind"].iat[0] == "access" and r.legs["kind"].iat[-1] == "egress"
    assert r.minutes < 150  # about an hour by train, not 358 min via Guilin (issue 22)


def test_guangzhou_to_shenzhen_by_timetable_leaves_from_any_station() -> None:
    ds = bg.load_dataset("cn-rail-2020")
    j = bg.timetable_commute(bg.connections(ds), "Guangzhou", "Shenzhen", 480)
    # door to door: out of the city by an access link, into the other by one
    assert j.legs["mode"].iat[0] == "access" and j.legs["to"].iat[-1] == "Shenzhen"
    # never faster than the fastest links (no waiting), and about two hours, not via Guilin
    fastest = bg.commute(bg.rail_graph(ds), "Guangzhou", "Shenzhen").minutes
    assert fastest <= j.minutes < 150


def test_city_facts_match_the_yearbook_and_say_where_they_come_from() -> None:
    ds = bg.load_dataset("cn-rail-2023")
    cities = ds.nodes[ds.nodes["kind"] == "city"]
    with (RAW / "china_cities" / "china_city_yearbook2024_prefecture_2023.csv").open(
        encoding="utf-8"
    ) as f:
        book = {r["city"]: r for r in csv.DictReader(f)}
    with (RAW / "china_cities" / "jiangsu_prefecture_gdp_pop_2024.csv").open(encoding="utf-8") as f:
        jiangsu = {r["city"]: r for r in csv.DictReader(f)}
    checked = 0
    for _, c in cities.iterrows():
        if c["name_zh"] in jiangsu:
            j = jiangsu[c["name_zh"]]
            assert c["population"] == pytest.approx(float(j["resident_population_10k"]) * 1e4)
            assert c["population_status"] == "unverified" and int(c["gdp_year"]) == 2024
        elif c["name_zh"] in book and book[c["name_zh"]]["gdp_100m_yuan"]:
            assert c["gdp_cny_bn"] == pytest.approx(float(book[c["name_zh"]]["gdp_100m_yuan"]) / 10)
            assert c["gdp_status"] == "official" and "Yearbook 2024" in c["gdp_source"]
            checked += 1
        else:
            assert c["population_status"] == "unknown"
    assert checked > 250 and 290 <= cities["population"].notna().sum() <= 297
    # Shenyang's population is blank in the yearbook: unknown, not zero
    assert cities.loc["Shenyang", "population_status"] == "unknown"


def test_every_station_far_from_its_city_is_refused() -> None:
    """A station's city comes from the station table, which gives some stations a homonym's
    city (大石头南, in Jilin, listed in Xinjiang's Changji): such stations belong to no city."""
    ds = bg.load_dataset("cn-rail-2023")
    nodes = ds.nodes
    st = nodes[(nodes["kind"] == "station") & (nodes["place"] != "")]
    seat = nodes.loc[st["place"]]
    km = [
        haversine_km(a, b, c, d)
        for a, b, c, d in zip(st["lat"], st["lon"], seat["lat"], seat["lon"], strict=True)
    ]
    assert max(km) <= 800 + 1e-9
    assert nodes.at["DAL", "place"] != "Changji"


def test_reach_from_shanghai_counts_people_and_gdp() -> None:
    ds = bg.load_dataset("cn-rail-2023")
    r = bg.reach(bg.rail_graph(ds), "Shanghai", 3)
    assert set(ds.nodes.loc[r.index, "kind"]) == {"city"}
    assert {"Nanjing", "Hangzhou", "Suzhou-Jiangsu", "Hefei"} <= set(r.index)
    assert "Beijing" not in r.index  # 4 h 18 min at best in 2023


def raw_2023_direct(a: str, b: str) -> tuple[int, str]:
    """Fastest train from station a to station b in the raw 2023 hops, 2 min per stop between."""
    best = (10**9, "")
    stops: list[str] = []
    run: list[int] = []
    train = None
    with (RAW / "cn_rail_2023_hops" / "edge_multiply.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in [*rows, {"train_no": None}]:
        if r["train_no"] != train:
            if a in stops and b in stops and stops.index(a) < stops.index(b):
                i, j = stops.index(a), stops.index(b)
                best = min(best, (sum(run[i:j]) + 2 * (j - i - 1), str(train)))
            train = r["train_no"]
            stops, run = ([r["start_station_name"]], []) if train else ([], [])
        if train:
            stops.append(r["end_station_name"])
            run.append(int(r["running_time"]))
    return best


def test_no_phantom_change_of_station_between_beijing_and_shanghai() -> None:
    """Tianjin's 滨海西 carried Jiangsu's position in the station table, so a 'change of
    station' joined it to 滨海港 (Yancheng): Beijing - Shanghai came out at 216 min."""
    ds = bg.load_dataset("cn-rail-2023")
    assert ds.nodes.at["FHP", "coord_status"] == "unknown" and ds.nodes.at["FHP", "place"] == ""
    r = bg.commute(bg.rail_graph(ds), "Beijing", "Shanghai")
    minutes, train = raw_2023_direct("北京南", "上海虹桥")
    assert train == "G21" and minutes == 258
    assert not set(r.legs["kind"]) & {"transfer"}
    # door to door, never slower than G21 with Beijing South's access and Hongqiao's egress
    access = ds.links[ds.links["kind"] == "access"].set_index(["source", "target"])["minutes"]
    assert r.minutes <= access["Beijing", "VNP"] + minutes + access["Shanghai", "AOH"]
    # its train part is one train's ride between its two stations, or a few minutes under it
    # (the services' fastest rides can still be joined without a change cost, issue 23)
    zh = ds.nodes["name_zh"].to_dict()
    train_part = r.minutes - r.access_minutes - r.egress_minutes
    one, _ = raw_2023_direct(zh[r.from_station], zh[r.to_station])
    assert one - 10 <= train_part <= one
