"""belt_graph.sectors: sector scores by hand, complementarity, clusters and partners."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.cli import cli
from tests.helpers import run_in_folder, toy_copy


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("PQRS"), st.sampled_from(["s1", "s2", "s3", "s4", "s5"])),
        min_size=1,
        max_size=15,
    )
)
def test_complementarity_symmetric_in_unit_interval(rows: list[tuple[str, str]]) -> None:
    fam = {"s1": "f1", "s2": "f1", "s3": "f2", "s4": "f2", "s5": "f3"}
    B = nx.Graph()
    for p in "PQRS":
        B.add_node(p, node_type="place")
    for p, s in rows:
        B.add_node(f"sector:{s}", node_type="sector", sector=s, family=fam[s])
        B.add_edge(p, f"sector:{s}")
    B2 = nx.relabel_nodes(B, {"P": "S", "S": "P"})
    a = bg.sector_pairs(B, include_empty=True).set_index(["origin", "destination"])
    b = bg.sector_pairs(B2, include_empty=True).set_index(["origin", "destination"])
    assert a["complementarity"].between(0, 1).all() and a["overlap"].between(0, 1).all()
    # swapping two places' labels permutes, but never changes, the scores
    swap = {"P": "S", "S": "P"}
    for (o, d), row in a.iterrows():
        key = tuple(sorted((swap.get(o, o), swap.get(d, d))))
        assert b.loc[key, "complementarity"] == pytest.approx(row["complementarity"])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 6)), max_size=40),
)
def test_sector_projection_equals_networkx(n: int, edges: list[tuple[int, int]]) -> None:
    B = nx.Graph()
    places = [f"p{i}" for i in range(n)]
    B.add_nodes_from(places, node_type="place", bipartite=0)
    # one sector nobody has: NetworkX refuses to project a graph without a second side
    B.add_node("sector:none", node_type="sector", bipartite=1, sector="none", family="f")
    for p, s in edges:
        if p < n:
            B.add_node(f"sector:{s}", node_type="sector", bipartite=1, sector=str(s), family="f")
            B.add_edge(f"p{p}", f"sector:{s}")
    got = bg.sector_projection(B)
    ref = nx.bipartite.weighted_projected_graph(B, places)
    assert len(got) == ref.number_of_edges()
    for row in got.itertuples():
        assert ref.edges[row.origin, row.destination]["weight"] == row.shared
        a, b = set(B[row.origin]), set(B[row.destination])
        assert row.overlap == pytest.approx(len(a & b) / len(a | b))


def test_sector_scores_hand_checked(toy: bg.Dataset) -> None:
    p = bg.sector_pairs(bg.sector_graph(toy)).set_index(["origin", "destination"])
    assert p.loc[("A", "B"), "overlap"] == 0.5  # {chips} / {chips, software}
    assert p.loc[("A", "B"), "complementarity"] == 0.0  # software has no IT partner at B
    assert p.loc[("C", "D"), "complementarity"] == 1.0
    assert p.loc[("C", "D"), "complementary_sectors"] == "solar <> batteries"


def test_clusters_reproducible(belt: bg.Dataset) -> None:
    B = bg.sector_graph(belt)
    a, b = bg.clusters(B, seed=3), bg.clusters(B, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert set(a.query("node_type == 'place'").index) == set(belt.sectors["node"])


def test_complementary_partners(belt: bg.Dataset) -> None:
    G, B = bg.rail_graph(belt), bg.sector_graph(belt)
    p = bg.complementary_partners(G, B, "Suzhou", 1.5)
    assert {"Changzhou", "Putuo"} <= set(p.index)
    assert (p["minutes"] <= 90).all() and (p["complementarity"] > 0).all()
    # Putuo has a profile (its key industries, belt_facts_2024.csv), so it has partners too:
    # its "life and health" is related to Suzhou's biomedicine and medical devices
    q = bg.complementary_partners(G, B, "Putuo", 1.5)
    assert (
        "Suzhou" in q.index
        and "life and health <> biomedicine" in q.loc["Suzhou", "complementary_sectors"]
    )


def test_every_member_has_a_profile_apart_from_the_memoranda(belt: bg.Dataset) -> None:
    profiled = set(belt.sectors["node"])
    assert profiled == set(bg.place_ids(belt.nodes))  # Putuo and Zhenjiang included
    # the memorandum focus of Suzhou stays in partnerships.csv, not in its profile
    suzhou = set(belt.sectors.loc[belt.sectors["node"] == "Suzhou", "sector_raw"])
    assert "electronic information" not in suzhou
    focus = belt.partnerships.set_index("target").loc["Suzhou", "focus"]
    assert "electronic information" in focus


def test_partners_include_the_limit(edge_123: nx.Graph) -> None:
    B = nx.Graph()
    B.add_node("N", node_type="place", bipartite=0)
    B.add_node("Z", node_type="place", bipartite=0)
    for s, fam in (("a", "f"), ("b", "f")):
        B.add_node(f"sector:{s}", node_type="sector", bipartite=1, sector=s, family=fam)
    B.add_edge("N", "sector:a")
    B.add_edge("Z", "sector:b")
    assert bg.complementary_partners(edge_123, B, "N", 2.05).index.tolist() == ["Z"]


@pytest.mark.slow
def test_without_families_complementarity_is_explained(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"sector_taxonomy.csv": None, "partnerships.csv": None})
    (folder / "sectors.csv").write_text(
        (folder / "sectors.csv").read_text().replace("semiconductors", "chips")
    )
    code, _, err = run_in_folder("partners", "A", "--hours", "2", "--data", str(folder))
    assert code == 0 and "complementarity cannot be computed" in err
    code, _, err = run_in_folder("report", "-o", str(tmp_path / "r"), "--data", str(folder))
    assert code == 0
    md = (tmp_path / "r" / "report.md").read_text()
    assert "complementarity cannot be computed" in md and "complementarity 0.00" not in md


def test_a_family_column_makes_sectors_related(tmp_path: Path) -> None:
    sectors = "node,sector,family,evidence,source_ref\nA,chips,it,x,x\nB,software,it,x,x\n"
    folder = toy_copy(
        tmp_path, **{"sector_taxonomy.csv": None, "partnerships.csv": None, "sectors.csv": sectors}
    )
    ds = bg.load_dataset(folder)
    pairs = bg.sector_pairs(bg.sector_graph(ds))
    assert pairs.loc[0, "complementarity"] == 1.0


def test_sectors_and_partners_include_putuo() -> None:
    r = CliRunner().invoke(cli, ["sectors", "--format", "csv"])
    assert r.exit_code == 0 and "Putuo" in r.stdout
    r = CliRunner().invoke(cli, ["partners", "Putuo", "--hours", "1.5", "--format", "csv"])
    assert r.exit_code == 0 and len(r.stdout.splitlines()) > 2, r.stderr
