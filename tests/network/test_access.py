"""belt_graph.network.access: the door-to-door rule, applied to a dataset and asked for on the
command line; every expected minute from the rule's formula worked by hand or from an
independent great-circle distance."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km by the spherical law of cosines (not the haversine the code uses)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(min(1.0, max(-1.0, c)))


def test_the_rule_by_hand() -> None:
    r = bg.DOOR_TO_DOOR
    # 10 min at the station; 3 km: 1.3 x 3 km at 25 km/h = 9.36 min
    assert r.minutes(0.0) == 10.0
    assert r.minutes(3.0) == pytest.approx(19.36)
    # 30 km: 10 km at 25 km/h (24 min) and 20 km at 60 km/h (20 min), x 1.3 = 57.2 min
    assert r.minutes(30.0) == pytest.approx(67.2)
    # a station km away never costs nothing, even with no allowance at the station
    free = bg.access_rule(station_minutes=0)
    assert free.minutes(0.5) == pytest.approx(1.3 * 0.5 / 25 * 60) and free.minutes(0.5) > 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"core_km": 20}, "core_km"),
        ({"detour_factor": 0.9}, "detour_factor"),
        ({"city_kmh": 0}, "city_kmh"),
        ({"road_kmh": math.inf}, "road_kmh"),
    ],
)
def test_a_bad_rule_is_refused_by_name(overrides: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bg.access_rule(**overrides)


def test_every_belt_access_link_is_the_rule_of_its_distance(belt: bg.Dataset) -> None:
    nodes = belt.nodes
    access = belt.links[belt.links["kind"] == "access"]
    assert len(access) and set(access["method"]) == {"rule"}
    for a, b, minutes in zip(access["source"], access["target"], access["minutes"], strict=True):
        lat = (nodes.at[a, "lat"], nodes.at[b, "lat"])
        lon = (nodes.at[a, "lon"], nodes.at[b, "lon"])
        # a planned station of unknown location stands at its place: the allowance alone
        km = 0.0 if math.isnan(sum(lat) + sum(lon)) else _km(lat[0], lon[0], lat[1], lon[1])
        assert minutes == round(bg.DOOR_TO_DOOR.minutes(km)), (a, b)


def test_another_rule_retimes_the_rule_links_and_keeps_a_sourced_one(belt: bg.Dataset) -> None:
    links = belt.links.copy()
    sourced = links.index[(links["kind"] == "access") & (links["target"] == "WXH")][0]
    links.loc[sourced, ["minutes", "method"]] = [7.0, "metro"]  # as a source timing it would
    ds = dataclasses.replace(belt, links=links)
    fast = bg.access_rule(city_kmh=50, station_minutes=5)
    out = bg.with_access(ds, fast).links
    nodes = belt.nodes
    for i in links.index[links["kind"] == "access"]:
        a, b = links.at[i, "source"], links.at[i, "target"]
        if i == sourced:
            assert out.at[i, "minutes"] == 7.0
        elif not math.isnan(nodes.at[b, "lat"]):
            km = _km(nodes.at[a, "lat"], nodes.at[a, "lon"], nodes.at[b, "lat"], nodes.at[b, "lon"])
            assert out.at[i, "minutes"] == round(fast.minutes(km)), (a, b)
    others = links["kind"] != "access"
    assert out.loc[others, "minutes"].equals(links.loc[others, "minutes"])
    assert belt.links.equals(bg.load_dataset().links)  # the input is not changed


def test_door_to_door_is_the_station_journey_plus_its_two_ends(belt: bg.Dataset) -> None:
    G = bg.rail_graph(belt)
    stations = bg.rail_graph(bg.with_access(belt, ends="stations"))
    for a, b in [("Wuxi", "Changzhou"), ("Putuo", "Nanjing"), ("Nantong", "Zhenjiang")]:
        door = bg.commute(G, a, b)
        access = G.edges[a, door.from_station]["minutes"]
        egress = G.edges[door.to_station, b]["minutes"]
        assert (door.access_minutes, door.egress_minutes) == (access, egress)
        train = bg.commute(G, door.from_station, door.to_station).minutes
        assert door.minutes == access + train + egress
        # station to station reaches any station of each place, so it is never longer
        assert bg.commute(stations, a, b).minutes <= train


def test_the_command_line_asks_for_the_same_rule_and_ends(belt: bg.Dataset) -> None:
    run = CliRunner().invoke
    r = run(cli, ["commute", "Wuxi", "Changzhou", "--access-station-minutes", "0",
                  "--access-city-kmh", "40", "--format", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    rule = bg.access_rule(station_minutes=0, city_kmh=40)
    want = bg.commute(bg.rail_graph(bg.with_access(belt, rule)), "Wuxi", "Changzhou")
    answer = json.loads(r.stdout)
    assert answer["legs"][-1]["cumulative_minutes"] == want.minutes
    assert answer["summary"]["minutes"] == want.minutes
    assert "0 min at the station" in r.stderr and "40 km/h" in r.stderr
    s = run(cli, ["commute", "Wuxi", "Changzhou", "--ends", "stations"])
    assert s.exit_code == 0 and "station to station" in s.stdout + s.stderr
    bad = run(cli, ["commute", "Wuxi", "Changzhou", "--access-detour", "0.5"])
    assert bad.exit_code == 2 and "--access-detour" in bad.output
    assert "Traceback" not in bad.output


@pytest.mark.parametrize(
    "rule",
    [
        bg.DOOR_TO_DOOR,
        bg.access_rule(station_minutes=0, city_kmh=4.8, road_kmh=4.8),
        bg.access_rule(station_minutes=12.5, detour_factor=1.15, city_km=7, road_kmh=80),
    ],
)
def test_a_stated_rule_reads_back(rule: bg.AccessRule) -> None:
    from belt_graph.network.access import AccessRule

    assert AccessRule.parse(rule.describe()) == rule
    assert AccessRule.parse("0 min within 20 km") is None


def test_options_replace_a_field_of_the_dataset_s_own_rule() -> None:
    from belt_graph.network.access import ON_FOOT, asked_rule

    # a place network over buses states the walking rule: an option changes that rule's field
    walked = asked_rule({"access_rule": ON_FOOT.describe()}, {"city_kmh": 6.0})
    assert walked == dataclasses.replace(ON_FOOT, city_kmh=6.0)
    # a dataset that states no rule starts from the rail rule
    assert asked_rule({}, {"station_minutes": 5.0}) == bg.access_rule(station_minutes=5)
    assert asked_rule({}, None) is None
