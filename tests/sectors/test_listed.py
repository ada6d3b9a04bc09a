"""belt_graph.sectors.listed: sector scores by hand, complementarity, clusters and partners."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.cli import cli
from tests.helpers import ROOT, run_in_folder, toy_copy


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
    # the only related-but-different listed pair on the belt: Nanjing's power equipment
    # (GB/T 4754 C38) and Nantong's ships (C37), both in high-end equipment (SEI 2)
    p = bg.complementary_partners(G, B, "Nanjing", 3)
    assert "Nantong" in p.index
    assert p.loc["Nantong", "complementary_sectors"] == (
        "power equipment <> marine engineering and ships"
    )
    assert (p["complementarity"] > 0).all()
    # Putuo's "life and health" is the canonical biomedicine: overlap with Suzhou, not a
    # complement (it used to score "life and health <> biomedicine")
    q = bg.sector_pairs(B).set_index(["origin", "destination"])
    assert q.loc[("Putuo", "Suzhou"), "complementarity"] == 0
    assert "biomedicine" in q.loc[("Putuo", "Suzhou"), "shared_sectors"].split(";")


def test_no_complementary_pair_is_two_names_of_one_thing(belt: bg.Dataset) -> None:
    B = bg.sector_graph(belt)
    tax = belt.taxonomy
    wide = set(tax.loc[tax["scope"] == "family", "sector"])
    canonical = {str(r).casefold(): s for r, s in zip(tax["raw_name"], tax["sector"], strict=True)}
    pairs = bg.sector_pairs(B)
    seen = [p for cell in pairs["complementary_sectors"] if cell for p in cell.split(";")]
    assert seen  # the belt has related-but-different pairs (see above)
    for pair in seen:
        a, b = pair.split(" <> ")
        assert a != b and a not in wide and b not in wide, pair
    # near-synonyms the sources use map to one canonical sector
    for raw in ("biotechnology", "biomedicine", "生命健康"):
        assert canonical[raw.casefold()] == "biomedicine"
    for raw in ("new materials", "advanced materials", "新材料", "Suzhou nano new materials"):
        assert canonical[raw.casefold()] == "advanced materials"


def test_the_listed_layer_has_no_pair_of_near_synonyms(belt: bg.Dataset) -> None:
    """Issue 40: two canonical names for one thing would score as two sectors.

    Near-synonyms by the official classifications the taxonomy keeps: two names for a whole
    NBS area (scope ``family``) of one family, or two industries of one GB/T 4754 division.
    """
    tax = belt.taxonomy[belt.taxonomy["kind"] == "industry"]
    wide = tax[tax["scope"] == "family"].groupby("family")["sector"].unique()
    assert (wide.map(len) == 1).all(), wide[wide.map(len) > 1].to_dict()
    # electronic information (电子信息) is the area NBS calls new-generation IT: one name
    canonical = {str(r).casefold(): s for r, s in zip(tax["raw_name"], tax["sector"], strict=True)}
    assert canonical["electronic information"] == canonical["新一代信息技术"]
    one = tax[(tax["scope"] == "sector") & (tax["division"] != "")]
    by_division = one.groupby("division")["sector"].unique()
    assert len(by_division) >= 8 and (by_division.map(len) == 1).all(), by_division.to_dict()
    # and every division is the one the row's note or family code names
    for note, code, division in zip(one["note"], one["family_code"], one["division"], strict=True):
        assert f"GB/T 4754 {division}" in note or code == f"GBT-{division}", (note, division)
    # no place lists one canonical sector twice from one source
    listed = belt.sectors
    assert not listed.duplicated(["node", "sector", "evidence"]).any()
    # Suzhou's electronic information now overlaps with the cities that name new-generation IT
    pairs = bg.sector_pairs(bg.sector_graph(belt)).set_index(["origin", "destination"])
    assert "new-generation IT" in pairs.loc[("Nantong", "Suzhou"), "shared_sectors"].split(";")


def test_every_family_is_official_and_sourced(belt: bg.Dataset) -> None:
    industry = belt.taxonomy[belt.taxonomy["kind"] == "industry"]
    assert industry["family_code"].str.match(r"^(SEI-[1-9]|GBT-[A-T]\d*)$").all()
    assert (industry["source"].str.len() > 0).all()
    # one family per canonical sector
    assert (industry.groupby("sector")["family"].nunique() == 1).all()


def test_every_sector_the_article_names_is_in_the_data(belt: bg.Dataset) -> None:
    profiled = set(belt.sectors["node"])
    assert profiled == set(bg.place_ids(belt.nodes))  # Putuo and Zhenjiang included
    focus = pd.read_csv(ROOT / "data" / "raw" / "article_focus.csv")
    policy = set(belt.taxonomy.loc[belt.taxonomy["kind"] == "policy", "raw_name"])
    have = set(zip(belt.sectors["node"], belt.sectors["sector_raw"], strict=True))
    for node, sector in zip(focus["node"], focus["sector"], strict=True):
        if sector not in policy:
            assert (node, sector) in have, (node, sector)
    suzhou = belt.sectors[belt.sectors["node"] == "Suzhou"]
    assert "electronic information" in set(suzhou["sector_raw"])
    assert set(suzhou.loc[suzhou["sector_raw"] == "electronic information", "evidence"]) == {
        "article_focus"
    }


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
    r = CliRunner().invoke(
        cli, ["partners", "Putuo", "--hours", "1.5", "--min-support", "1", "--format", "csv"]
    )
    assert r.exit_code == 0 and len(r.stdout.splitlines()) > 2, r.stderr
    # by default a partner needs 3 specialisations and 3 sector pairs beneath its value
    r = CliRunner().invoke(cli, ["partners", "Putuo", "--hours", "1.5", "--format", "csv"])
    table = pd.read_csv(io.StringIO(r.stdout))
    assert r.exit_code == 0 and len(table) >= 1 and (table["support"] >= 3).all()
    assert "without a complementarity: fewer than 3" in r.stderr


def test_a_family_wide_name_overlaps_and_never_complements() -> None:
    # hand example: "materials" names the whole family, "nano" and "carbon" are members
    B = nx.Graph()
    for p in ("P", "Q"):
        B.add_node(p, node_type="place", bipartite=0)
    for s, scope in (("materials", "family"), ("nano", "sector"), ("carbon", "sector")):
        B.add_node(
            f"sector:{s}", node_type="sector", bipartite=1, sector=s, family="M", scope=scope
        )
    B.add_edges_from([("P", "sector:materials"), ("Q", "sector:nano")])
    row = bg.sector_pairs(B).iloc[0]
    assert row["complementarity"] == 0 and row["complementary_sectors"] == ""
    # two members are related but different: both count, (1 + 1) / (1 + 1)
    B.remove_edge("P", "sector:materials")
    B.add_edge("P", "sector:carbon")
    row = bg.sector_pairs(B).iloc[0]
    assert row["complementarity"] == 1.0 and row["complementary_sectors"] == "carbon <> nano"
