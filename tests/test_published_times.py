"""The belt as it runs, against published travel times (issue 37).

``data/raw/belt_published_times.csv`` holds times the press or the railway published, each with
its address, its date and the range it allows (written into the file before these tests
ran). The in-vehicle answers (station to station, trains and changes, no waiting) are held to
them; then the journeys the issue names, and the network by year.
"""

from __future__ import annotations

import csv
import math

import networkx as nx
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from tests.helpers import ROOT

FACTS = ROOT / "data" / "raw" / "belt_published_times.csv"


def _facts(use: str) -> list[dict[str, str]]:
    with FACTS.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["use"] == use]


def _ids(belt: bg.Dataset, names: str) -> list[str]:
    by_zh = {zh: i for i, zh in belt.nodes["name_zh"].items()}
    return [by_zh[n] for n in names.split(";")]


def _no_change_minutes(G: nx.Graph, a: str, b: str) -> float:
    """The fastest ride of one train between two stations: a rail link joining them."""
    if not G.has_edge(a, b):
        return math.inf
    rides = [r[2] for r in G.edges[a, b]["routes"] if r[3] in ("track", "service")]
    return min(rides, default=math.inf)


def test_every_fact_has_its_address_date_and_range() -> None:
    rows = _facts("check") + _facts("estimate")
    assert len(rows) == 9
    for r in rows:
        assert r["source_url"] and r["published_on"][:4].isdigit() and r["status"], r["fact_id"]
    for r in _facts("check"):
        assert float(r["low"]) < float(r["high"]), r["fact_id"]


#: Published facts the data disagrees with, and why (shown, not hidden: the datasheet says so).
DISAGREE = {
    "huning_nonstop_2010": "the 73-min non-stop of 2010 no longer runs: today's fastest "
    "Shanghai-Nanjing train on the intercity (G7010, 2024-01-13) takes 99 min with stops, and "
    "the network by year keeps today's trains",
}


@pytest.mark.parametrize(
    "fact",
    [
        pytest.param(r, marks=pytest.mark.xfail(strict=True, reason=DISAGREE[r["fact_id"]]))
        if r["fact_id"] in DISAGREE
        else r
        for r in _facts("check")
    ],
    ids=lambda r: r["fact_id"],
)
def test_in_vehicle_answers_hold_to_the_published_times(
    belt: bg.Dataset, fact: dict[str, str]
) -> None:
    year = int(fact["year"])
    ds = bg.with_year(belt, year) if year < int(belt.metadata["network_year"]) else belt
    G = bg.rail_graph(ds)
    origins, dests = _ids(belt, fact["origins"]), _ids(belt, fact["destinations"])
    if fact["max_changes"] == "0":
        minutes = min(_no_change_minutes(G, a, b) for a in origins for b in dests)
    else:
        minutes = min(bg.commute(G, a, b).minutes for a in origins for b in dests)
    assert float(fact["low"]) <= minutes <= float(fact["high"]), (fact["fact_id"], minutes)


def test_the_husuhu_estimate_is_the_published_time_shared_by_distance(belt: bg.Dataset) -> None:
    fact = _facts("estimate")[0]
    assert fact["fact_id"] == "hongqiao_huzhou_2024" and fact["minutes"] == "55"
    links = belt.links.set_index(["source", "target"])
    first, second = links.loc[("AOH", "SMU")], links.loc[("SJU", "SMU")]
    assert (first["method"], second["method"]) == ("estimate", "estimate")
    assert first["opened"] == second["opened"] == "2024-12-26"
    # shares of one 55 min, so the two legs and the whole stay under it, in the order of the line
    whole = links.loc[("AOH", "SJU"), "minutes"]
    assert first["minutes"] < whole < 55 and abs(first["minutes"] + second["minutes"] - whole) <= 1


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize(
    ("a", "b", "at_most"),
    [
        ("南京南", "张家港", 90),  # an along-river through train, boarded at Zhangjiagang
        ("上海虹桥", "苏州南", 35),  # the Shanghai-Suzhou-Huzhou HSR
        ("南通西", "上海虹桥", 75),  # the Shanghai-Suzhou-Nantong railway
    ],
)
def test_the_issues_journeys_take_one_train(a: str, b: str, at_most: int) -> None:
    code, out, err = _run("commute", a, b, "--time", "in-vehicle", "--format", "json")
    assert code == 0, err
    import json

    legs = json.loads(out)["legs"]
    assert [leg["kind"] for leg in legs] in (["service"], ["track"])
    assert legs[0]["minutes"] <= at_most and "0 changes of train" in err


def test_jiangyin_to_nanjing_south(belt_rail: nx.Graph) -> None:
    assert bg.commute(belt_rail, "KYH", "NKH").minutes <= 60


def test_the_network_by_year_in_the_matrix() -> None:
    def matrix(year: int) -> dict[str, dict[str, float]]:
        code, out, err = _run("matrix", "--year", str(year), "--format", "json")
        assert code == 0, err
        import json

        rows = json.loads(out)
        return {r["origin"]: r for r in rows}

    m19, m21, m22, m24 = (matrix(y) for y in (2019, 2021, 2022, 2024))
    # the Shanghai-Suzhou-Nantong railway (2020-07-01)
    assert m19["Putuo"]["Nantong"] - m21["Putuo"]["Nantong"] >= 40
    # the along-river HSR (2023-09-28)
    assert m22["Changzhou"]["Nantong"] - m24["Changzhou"]["Nantong"] >= 20


def test_a_year_before_any_opening_date_is_refused_for_a_network_without_dates() -> None:
    code, _, err = _run("matrix", "--year", "2019", "--data", "cn-rail-2021")
    assert code == 2 and "carry no opening dates" in err and "Traceback" not in err


def test_a_year_after_the_network_is_refused() -> None:
    code, _, err = _run("reach", "Putuo", "--hours", "1", "--year", "2026")
    assert code == 2 and "after the network this dataset describes (2025)" in err


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cn-rail-2020", "cn-rail-2023"])
def test_national_main_cities_start_and_end_at_main_stations(name: str) -> None:
    ds = bg.load_dataset(name)
    G = bg.rail_graph(ds)
    zh = ds.nodes["name_zh"].to_dict()
    # each city's old central station and its main high-speed station (12306 names)
    main = {"南京", "南京南", "合肥", "合肥南", "上海", "上海虹桥", "杭州", "杭州东"}
    for a, b in (("南京", "合肥"), ("上海", "杭州")):
        c = bg.commute(G, bg.resolve_place(ds.nodes, a), bg.resolve_place(ds.nodes, b))
        assert {zh[c.from_station], zh[c.to_station]} <= main, (a, b, c.from_station, c.to_station)
        assert c.access_minutes >= 10 and c.egress_minutes >= 10  # door to door
