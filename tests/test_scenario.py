"""belt_graph.scenario: scenario operations, comparisons, the North-Yangtze HSR and a disruption,
the network of 2020 against 2024."""

from __future__ import annotations

import math
import statistics

import networkx as nx
import pandas as pd
import pytest

import belt_graph as bg
from tests.helpers import ROOT


def test_scenario_ops(toy: bg.Dataset, tmp_path) -> None:
    f = tmp_path / "s.csv"
    f.write_text(
        "op,source,target,line,mode,minutes,factor\n"
        "remove_link,A,H,blue,,,\nset_minutes,B,C,,,40,\nadd_link,B,D,new,rail,10,\n"
    )
    new = bg.apply_scenario(toy, f)
    G = bg.rail_graph(new)
    assert (
        not G.has_edge("A", "H")
        and G.edges["B", "C"]["minutes"] == 40
        and G.edges["B", "D"]["minutes"] == 10
    )
    assert len(toy.links) == 7 and bg.rail_graph(toy).has_edge("A", "H")  # input untouched


def test_scale_line_scales_the_trains_on_that_line_alone(belt: bg.Dataset, tmp_path) -> None:
    f = tmp_path / "s.csv"
    f.write_text("op,line,factor\nscale_line,Beijing-Shanghai HSR,0.5\n")
    old, new = belt.links, bg.apply_scenario(belt, f).links
    rails = old["railways"].fillna("")
    alone = (old["line"] == "Beijing-Shanghai HSR") | (rails == "Beijing-Shanghai HSR")
    mixed = rails.str.contains("Beijing-Shanghai HSR") & (rails != "Beijing-Shanghai HSR")
    assert (old["kind"][alone] == "service").sum() > 0 and mixed.any()
    assert (new["minutes"][alone] == old["minutes"][alone] * 0.5).all()
    assert (new["minutes"][~alone] == old["minutes"][~alone]).all()  # mixed trains too
    cmp = bg.compare(bg.rail_graph(belt), bg.rail_graph(bg.apply_scenario(belt, f)))
    assert (cmp.minutes["minutes_delta"] < 0).all() and not cmp.minutes.empty


def test_empty_scenario_changes_nothing(toy: bg.Dataset, tmp_path) -> None:
    f = tmp_path / "s.csv"
    f.write_text("op,source,target\n")
    G = bg.rail_graph(toy)
    cmp = bg.compare(G, bg.rail_graph(bg.apply_scenario(toy, f)))
    assert cmp.minutes.empty and (cmp.reach["places_delta"] == 0).all()
    assert (cmp.centrality["rank_delta"] == 0).all()


def test_scenario_errors(toy: bg.Dataset, tmp_path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "op,source,target,line,minutes,factor\nfly,A,B,,,\nscale_line,,,red,,-2\n"
        "add_link,A,,x,abc,\n"
    )
    with pytest.raises(bg.ScenarioError) as info:
        bg.read_scenario(f)
    text = str(info.value)
    assert "bad.csv:2: column 'op': unknown operation 'fly'" in text
    assert "bad.csv:3: column 'factor': expected a positive number, got '-2'" in text
    assert "bad.csv:4: column 'target': add_link needs a target" in text
    assert "bad.csv:4: column 'minutes': expected a positive number, got 'abc'" in text
    g = tmp_path / "missing.csv"
    g.write_text("op,source,target,line\nremove_link,A,D,green\n")
    with pytest.raises(bg.ScenarioError, match="no link A-D on line 'green'"):
        bg.apply_scenario(toy, g)


def test_north_yangtze_scenario(belt: bg.Dataset) -> None:
    G = bg.rail_graph(belt)
    cmp = bg.compare(G, bg.rail_graph(bg.apply_scenario(belt, "north_yangtze_hsr")))
    gains = cmp.minutes.set_index(["origin", "destination"])["minutes_delta"]
    assert (gains <= 0).all()  # opening links can only make trips faster
    assert gains.loc[("Nanjing", "Nantong")] < -30
    assert cmp.reach.loc["Taizhou", "places_delta"] > 0


def test_disruption_scenario(belt: bg.Dataset) -> None:
    G = bg.rail_graph(belt)
    cmp = bg.compare(G, bg.rail_graph(bg.apply_scenario(belt, "jinghu_hsr_closed_hongqiao_suzhou")))
    assert (cmp.minutes["minutes_delta"] >= 0).all() and len(cmp.minutes) > 0


@pytest.mark.parametrize("hours", [0.5, 1.0, 1.5, 2.0])
def test_scenario_reach_table_agrees_with_reach(belt: bg.Dataset, hours: float) -> None:
    # compare() reads reach off the matrices; reach() searches: both must count alike
    G = bg.rail_graph(belt)
    H = bg.rail_graph(bg.apply_scenario(belt, "north_yangtze_hsr"))
    r = bg.compare(G, H, hours=hours).reach
    for node in r.index:
        for graph, col in ((G, "places_base"), (H, "places_scenario")):
            got = bg.reach(graph, node, hours)
            assert r.loc[node, col] == len(got)  # the origin included, as reach counts
            assert r.loc[node, col.replace("places", "population")] == pytest.approx(
                got["population"].sum()
            )


def test_scenario_compare_includes_the_limit(edge_123: nx.Graph) -> None:
    cmp = bg.compare(edge_123, edge_123.copy(), hours=2.05)
    assert cmp.reach.loc["N", "places_base"] == 2  # N itself and Z, as reach counts


def test_year_comparison(belt: bg.Dataset) -> None:
    G20 = bg.rail_graph(belt, minutes="minutes_2020")
    G24 = bg.rail_graph(belt)
    t = bg.fastest_times({"2020": G20, "2024": G24}, ["AOH", "Putuo"], ["Wuxi", "Changzhou"])
    row = t.set_index(["origin", "destination"]).loc[("AOH", "Changzhou")]
    links = belt.links.set_index(["source", "target"])
    egress = links.loc[("Changzhou", "ESH"), "minutes"]
    # 2024-01-13: G368 35 min (上海虹桥-常州北), then egress from Changzhou North door to door
    assert row["station_2024"] == "ESH" and row["station_minutes_2024"] == 35.0
    assert row["minutes_2024"] == 35.0 + egress
    # 2020 timetable: G143 41 min to 常州北; door to door no slower than it, by whichever station
    assert links.loc[("AOH", "ESH"), "minutes_2020"] == 41.0
    assert row["minutes_2020"] <= 41.0 + egress
    at = links.loc[("Changzhou", row["station_2020"]), "minutes"]
    assert row["station_minutes_2020"] + at == row["minutes_2020"]
    # the along-river HSR (2023) is not in the network of 2020
    assert "KYH" not in set(G20.edges()) and not G20.has_edge("KYH", "WJU")


def test_the_datasheet_table_of_2020_against_2025_is_computed(belt: bg.Dataset) -> None:
    import re

    text = (ROOT / "data" / "belt" / "README.md").read_text(encoding="utf-8")
    section = text.split("## What changed since 2020")[1].split("##")[0]
    rows = [r.strip("|").split("|") for r in section.splitlines() if r.startswith("| ")][1:]
    nets = {"2020": bg.rail_graph(belt, minutes="minutes_2020"), "2025": bg.rail_graph(belt)}
    t = bg.fastest_times(nets, ["AOH", "Putuo"], [r[0].strip() for r in rows])
    t = t.set_index(["origin", "destination"])
    names = belt.nodes["name"].to_dict()
    assert len(rows) == 7
    for city, *cells in rows:
        for cell, (origin, year) in zip(
            cells,
            [("AOH", "2020"), ("AOH", "2025"), ("Putuo", "2020"), ("Putuo", "2025")],
            strict=True,
        ):
            m = re.fullmatch(r"\s*(\d+) \((\d+)(?:, (.+))?\)\s*", cell)
            assert m, cell
            row = t.loc[(origin, city.strip())]
            # door to door, then its train part, then (2025) its stations
            assert float(m.group(1)) == row[f"minutes_{year}"], (city, origin, year)
            assert float(m.group(2)) == row[f"station_minutes_{year}"], (city, origin, year)
            if m.group(3):
                last = names[row[f"station_{year}"]]
                first = names[row[f"from_station_{year}"]]
                assert m.group(3) in (last, f"{first} to {last}"), (city, origin)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km (mean earth radius 6371 km), written here apart from the build's."""
    (p1, l1), (p2, l2) = (tuple(math.radians(x) for x in p) for p in (a, b))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_north_yangtze_as_planned(belt: bg.Dataset) -> None:
    # The line starts at its Shanghai terminus, 上海宝山, located (unverified) at its metro
    # interchange; planned track at the design speed of raw/belt_rail_lines.csv plus the start-stop
    # minutes measured on the Beijing-Shanghai HSR's 2023 hops: recomputed here from the files.
    nodes, links = belt.nodes, belt.links
    assert nodes.loc["上海宝山", "coord_status"] == "unverified"
    lines = pd.read_csv(ROOT / "data" / "raw" / "belt_rail_lines.csv", dtype=str)
    speed = float(lines[lines["line_zh"].str.startswith("沪宁合高铁")]["design_speed_kmh"].iloc[0])
    assert speed == 350

    def pos(node: str) -> tuple[float, float]:
        row = nodes.loc[node]
        if pd.isna(row["lat"]):  # a planned station of unknown location: its place's point
            row = nodes.loc[row["place"]]
        return float(row["lat"]), float(row["lon"])

    def rule(a: str, b: str) -> float:
        return _km(pos(a), pos(b)) * 1.2 / speed * 60

    measured = links[
        (links["kind"] == "track")
        & (links["line"] == "Beijing-Shanghai HSR")
        & (links["method"] == "running_2023")
    ]
    assert len(measured) >= 5
    allowance = statistics.median(
        m - rule(a, b) for a, b, m in measured[["source", "target", "minutes"]].itertuples(False)
    )
    assert 3 < allowance < 6  # a 350 km/h train loses a few minutes starting and stopping
    planned = links[(links["kind"] == "track") & (links["status"] == "planned")]
    assert set(planned["source"]) | set(planned["target"]) >= {"上海宝山", "TCU", "NUH", "YDU"}
    for a, b, m in planned[["source", "target", "minutes"]].itertuples(False):
        assert m == round(rule(a, b) + allowance), (a, b)
    # from Putuo in the scenario: Shanghai West, then a train to Hongqiao and the planned metro
    H = bg.rail_graph(bg.apply_scenario(belt, "north_yangtze_hsr"))
    c = bg.commute(H, "Putuo", "上海宝山")
    assert c.legs["to"].iat[-1] == "上海宝山" and c.legs["kind"].iat[-1] == "transfer"
    # to Hongqiao door to door (its access link, or to Shanghai West and a train, 19 min in
    # 2024), then the planned metro's 25 min
    access = {s: H.edges["Putuo", s]["minutes"] for s in ("SXH", "AOH")}
    assert c.minutes == min(access["AOH"], access["SXH"] + 19) + 25
    G = bg.rail_graph(belt)
    assert G.degree("上海宝山") == 0  # nothing of it is open before the scenario
