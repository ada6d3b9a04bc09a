"""Stations under places, track apart from services (issue 12).

The place-level answers are checked against independent NetworkX computations on the station
network: a place is reached at its stations through its access links, and never passed
through, so a change between two stations of one city costs its change-of-station link.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.cli import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def G(belt: bg.Dataset) -> nx.Graph:
    return bg.rail_graph(belt)


def _stations_of(G: nx.Graph, place: str) -> dict[str, float]:
    return {s: d["minutes"] for s, d in G.adj[place].items()}


def _brute_force(G: nx.Graph, a: str, b: str) -> float:
    """Place to place: the best over their stations of access + station network + access."""
    core = G.subgraph([n for n, t in G.nodes(data="transit") if t is not False])
    best = math.inf
    for s, ma in _stations_of(G, a).items():
        dist = nx.single_source_dijkstra_path_length(core, s, weight="minutes")
        for t, mb in _stations_of(G, b).items():
            best = min(best, ma + dist.get(t, math.inf) + mb)
    return best


def test_place_minutes_match_a_brute_force_search(belt: bg.Dataset, G: nx.Graph) -> None:
    places = bg.place_ids(belt.nodes)
    m = bg.travel_time_matrix(G)
    for a, b in itertools.permutations(places, 2):
        assert m.loc[a, b] == pytest.approx(_brute_force(G, a, b)), (a, b)


def test_no_free_change_of_station(belt: bg.Dataset, G: nx.Graph) -> None:
    stations = belt.nodes[belt.nodes["place"] != ""]
    stations = stations[[G.degree(s) > 1 for s in stations.index]]  # planned ones: access only
    ids = list(stations.index)
    core = G.subgraph([n for n, t in G.nodes(data="transit") if t is not False])
    m = bg.travel_time_matrix(G, nodes=ids)
    for place, group in stations.groupby("place"):
        for a, b in itertools.permutations(group.index, 2):
            # never through the place: exactly the station network's minutes, never 0
            want = nx.dijkstra_path_length(core, a, b, weight="minutes")
            assert m.loc[a, b] == pytest.approx(want) and m.loc[a, b] > 0, (place, a, b)
    # 苏州北 to 苏州: the estimated change of station, not 0
    assert m.loc["OHH", "SZH"] == 43


def test_commute_names_stations_and_every_change_is_a_leg(G: nx.Graph) -> None:
    for a, b in (("Putuo", "Nanjing"), ("Suzhou", "Nantong"), ("Nantong", "Zhenjiang")):
        c = bg.commute(G, a, b, transfer_penalty_minutes=10)
        legs = c.legs
        assert legs["from"].iloc[0] == a and legs["to"].iloc[-1] == b
        assert (legs["from"].iloc[1:].to_numpy() == legs["to"].iloc[:-1].to_numpy()).all()
        assert legs.loc[legs["kind"] == "transfer", "minutes"].gt(0).all()
        access = legs[legs["kind"] == "access"]
        assert set(access.index) <= {legs.index[0], legs.index[-1]}
        assert set(access["from"]) | set(access["to"]) <= {a, b} | set(G.adj[a]) | set(G.adj[b])
        assert c.minutes == pytest.approx(_brute_force(G, a, b) if not c.changes else c.minutes)


def test_commute_without_penalty_is_the_matrix(belt: bg.Dataset, G: nx.Graph) -> None:
    m = bg.travel_time_matrix(G)
    for a, b in itertools.permutations(bg.place_ids(belt.nodes), 2):
        assert bg.commute(G, a, b).minutes == pytest.approx(m.loc[a, b])


def test_cli_commute_json_joins_up() -> None:
    r = CliRunner().invoke(cli, ["commute", "Putuo", "Nanjing", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    legs = json.loads(r.stdout)
    assert legs[0]["from"] == "Putuo" and legs[-1]["to"] == "Nanjing"
    for before, after in itertools.pairwise(legs):
        assert before["to"] == after["from"]
    assert all(leg["minutes"] > 0 for leg in legs if leg["kind"] == "transfer")
    assert {"from_name", "to_name"} <= set(legs[0])


def test_reach_says_where_a_place_is_reached(G: nx.Graph) -> None:
    r = bg.reach(G, "Putuo", 1.0)
    assert r.loc["Putuo", "station"] == ""
    assert r.loc["Suzhou", "station"] in {"SZH", "OHH"}
    assert "SXH" not in r.index  # stations are not places


def test_a_far_station_is_not_the_city(G: nx.Graph) -> None:
    # Hai'an is Nantong's (a county-level city 68 km out): its access link costs the distance
    # beyond 20 km, so Nantong-Taizhou is not the 27 min of the Hai'an-Taizhou track
    assert G.edges["Nantong", "HIH"]["minutes"] == 94
    assert bg.commute(G, "Nantong", "Taizhou").minutes > 27 + 10


# ---- track apart from services ------------------------------------------------------------


def test_wuxi_lies_between_places_on_the_track(belt: bg.Dataset, G: nx.Graph) -> None:
    T = bg.rail_graph(belt, network="track")
    assert not any(d["kind"] == "service" for _, _, d in T.edges(data=True))
    c = bg.centrality(G, bg.cooperation_graph(belt), structure=T)
    assert c.loc["Wuxi", "betweenness_track"] > 0
    assert {
        "degree_track",
        "betweenness_track",
        "closeness_service",
        "accessibility_service",
        "pagerank_partnerships",
    } <= set(c.columns)
    # on the service network expresses run past Wuxi
    s = bg.centrality(G, bg.cooperation_graph(belt))
    assert s.loc["Wuxi", "betweenness_service"] < c.loc["Wuxi", "betweenness_track"]


def test_cli_centrality_columns_name_their_network() -> None:
    r = CliRunner().invoke(cli, ["centrality", "--format", "csv"])
    assert r.exit_code == 0, r.stderr
    header = r.stdout.splitlines()[0].split(",")
    assert "betweenness_track" in header and "closeness_service" in header
    r = CliRunner().invoke(cli, ["centrality", "--structure", "service", "--format", "csv"])
    assert "betweenness_service" in r.stdout.splitlines()[0].split(",")


def _as_two_level(H: nx.Graph) -> nx.Graph:
    """Each node of H becomes a station with its own place attached by a 0-minute access."""
    G = nx.Graph()
    for n in H:
        G.add_node(f"s{n}", kind="station", place=f"P{n}", transit=True)
        G.add_node(f"P{n}", kind="city", transit=False)
        G.add_edge(f"P{n}", f"s{n}", minutes=0.0, kind="access")
    for u, v, d in H.edges(data=True):
        G.add_edge(f"s{u}", f"s{v}", minutes=d["minutes"], kind="track")
    return G


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(3, 9),
    edges=st.lists(
        st.tuples(st.integers(0, 8), st.integers(0, 8), st.sampled_from([1, 2, 3])),
        min_size=2,
        max_size=20,
    ),
)
def test_place_betweenness_equals_networkx_on_one_station_per_place(
    n: int, edges: list[tuple[int, int, int]]
) -> None:
    H = nx.Graph()
    H.add_nodes_from(range(n))
    for u, v, w in edges:
        if u < n and v < n and u != v:
            H.add_edge(u, v, minutes=float(w))
    ours = bg.betweenness(_as_two_level(H))
    theirs = nx.betweenness_centrality(H, weight="minutes")
    for v in H:
        assert ours[f"P{v}"] == pytest.approx(theirs[v]), v


def test_place_betweenness_counts_a_route_through_two_stations_once() -> None:
    # places A and C at the ends; B has two stations b1, b2 on the only route between them
    G = nx.Graph()
    for p in "ABC":
        G.add_node(p, kind="city", transit=False)
    for s, p in (("a", "A"), ("b1", "B"), ("b2", "B"), ("c", "C")):
        G.add_node(s, kind="station", place=p, transit=True)
        G.add_edge(p, s, minutes=0.0, kind="access")
    G.add_edge("a", "b1", minutes=5.0, kind="track")
    G.add_edge("b1", "b2", minutes=5.0, kind="track")
    G.add_edge("b2", "c", minutes=5.0, kind="track")
    b = bg.betweenness(G)
    # B lies on every route between the other two places: both ordered pairs, once each
    assert b["B"] == pytest.approx(1.0) and b["A"] == 0 and b["C"] == 0


# ---- old format, sectors, info, report ----------------------------------------------------


def test_the_places_only_format_still_works(toy: bg.Dataset) -> None:
    track, service = bg.rail_graph(toy, network="track"), bg.rail_graph(toy)
    assert nx.utils.graphs_equal(track, service) is False or set(track.edges) == set(service.edges)
    assert not bg.network.is_two_level(service)
    assert "station" not in bg.reach(service, "A", 1).columns
    assert bg.travel_time_matrix(service).loc["A", "C"] == 25.0


def test_sectors_and_partners_include_putuo() -> None:
    r = CliRunner().invoke(cli, ["sectors", "--format", "csv"])
    assert r.exit_code == 0 and "Putuo" in r.stdout
    r = CliRunner().invoke(cli, ["partners", "Putuo", "--hours", "1.5", "--format", "csv"])
    assert r.exit_code == 0 and len(r.stdout.splitlines()) > 2, r.stderr


def test_year_comparison(belt: bg.Dataset) -> None:
    G20 = bg.rail_graph(belt, minutes="minutes_2020")
    G24 = bg.rail_graph(belt)
    t = bg.fastest_times({"2020": G20, "2024": G24}, ["AOH", "Putuo"], ["Wuxi", "Changzhou"])
    row = t.set_index(["origin", "destination"]).loc[("AOH", "Changzhou")]
    # 2020 timetable: G143 41 min (上海虹桥-常州北); 2024-01-13: G368 35 min
    assert (row["minutes_2020"], row["minutes_2024"]) == (41.0, 35.0)
    assert row["station_2024"] == "ESH"
    # the along-river HSR (2023) is not in the network of 2020
    assert "KYH" not in set(G20.edges()) and not G20.has_edge("KYH", "WJU")


def test_the_datasheet_table_of_2020_against_2024_is_computed(belt: bg.Dataset) -> None:
    text = (ROOT / "data" / "belt" / "README.md").read_text(encoding="utf-8")
    section = text.split("## What changed since 2020")[1].split("##")[0]
    rows = [r.strip("|").split("|") for r in section.splitlines() if r.startswith("| ")][1:]
    nets = {"2020": bg.rail_graph(belt, minutes="minutes_2020"), "2024": bg.rail_graph(belt)}
    t = bg.fastest_times(nets, ["AOH", "Putuo"], [r[0].strip() for r in rows])
    t = t.set_index(["origin", "destination"])
    for city, hq20, hq24, pt20, pt24 in ((c.strip(), *map(float, v)) for c, *v in rows):
        assert (t.loc[("AOH", city), "minutes_2020"], t.loc[("AOH", city), "minutes_2024"]) == (
            hq20,
            hq24,
        ), city
        assert (t.loc[("Putuo", city), "minutes_2020"], t.loc[("Putuo", city), "minutes_2024"]) == (
            pt20,
            pt24,
        ), city
