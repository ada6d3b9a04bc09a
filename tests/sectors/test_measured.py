"""Measured specialisation and relatedness (issue 24), against a hand computation and numpy."""

from __future__ import annotations

import csv
import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import belt_graph as bg
from belt_graph.sectors.measured import (
    SHORT_NAMES,
    complementarity,
    location_quotients,
    overlap,
    proximity,
    relatedness_density,
    specialised,
)
from tests.helpers import ROOT, run, toy_copy

RAW = ROOT / "data" / "raw" / "china_cities" / "china_city_employment_by_sector_2019.csv"

# Four cities, three sectors; d's y is unknown (not zero).
E4 = pd.DataFrame(
    {"x": [6.0, 1.0, 3.0, 2.0], "y": [2.0, 3.0, 3.0, math.nan], "z": [2.0, 6.0, 4.0, 2.0]},
    index=["a", "b", "c", "d"],
)


def test_location_quotients_by_hand() -> None:
    # totals: a 10, b 10, c 10, d 4 (its known cells); x 12, y 8, z 14; all 34
    lq = location_quotients(E4)
    assert lq.at["a", "x"] == pytest.approx((6 / 10) / (12 / 34))  # 1.7
    assert lq.at["b", "z"] == pytest.approx((6 / 10) / (14 / 34))  # 1.457
    assert lq.at["d", "x"] == pytest.approx((2 / 4) / (12 / 34))  # 1.417
    assert lq.at["c", "y"] == pytest.approx((3 / 10) / (8 / 34))  # 1.275
    assert math.isnan(lq.at["d", "y"])
    spec = specialised(lq)
    # by hand: a {x}; b {y, z}; c {y}: y 1.275, z (4/10)/(14/34) = 0.971; d {x, z}: z 1.214
    assert {c: set(spec.columns[spec.loc[c]]) for c in spec.index} == {
        "a": {"x"}, "b": {"y", "z"}, "c": {"y"}, "d": {"x", "z"},
    }  # fmt: skip
    assert not spec.at["d", "y"]  # unknown is not specialised


def test_proximity_density_overlap_complementarity_by_hand() -> None:
    spec = specialised(location_quotients(E4))
    phi = proximity(spec)
    # C_x = {a, d}, C_y = {b, c}, C_z = {b, d}
    assert phi.at["x", "y"] == 0.0
    assert phi.at["x", "z"] == pytest.approx(1 / 2)  # {d} / max(2, 2)
    assert phi.at["y", "z"] == pytest.approx(1 / 2)  # {b} / 2
    assert (np.diag(phi) == 1).all() and (phi.to_numpy() == phi.to_numpy().T).all()
    dens = relatedness_density(spec, phi)
    # density[a, z] = (phi[z,x] * 1 + phi[z,y] * 0) / (1/2 + 1/2) = 0.5
    assert dens.at["a", "z"] == pytest.approx(0.5)
    # density[c, x] = (phi[x,y] * 1 + phi[x,z] * 0) / (0 + 1/2) = 0
    assert dens.at["c", "x"] == 0.0
    # density[b, x] = (0 * 1 + 1/2 * 1) / (1/2) = 1
    assert dens.at["b", "x"] == pytest.approx(1.0)
    assert overlap(spec, "b", "d") == pytest.approx(1 / 3)  # {z} / {x, y, z}
    # b - d = {y}, d - b = {x}: phi[y, x] = 0
    assert complementarity(spec, phi, "b", "d") == 0.0
    # a - d is empty: nothing to complement
    assert math.isnan(complementarity(spec, phi, "a", "d"))
    assert complementarity(spec, phi, "a", "b") == pytest.approx((0.0 + 0.5) / 2)


def _numpy_measures() -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    """LQ, specialisation and proximity from the raw file, written without pandas or the package."""
    with RAW.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cols = [c for c in rows[0] if len(c) > 2 and c[1] == "_" and c[0].isupper()]
    cities = [r["city"] for r in rows]
    E = np.array([[float(r[c]) if r[c].strip() else np.nan for c in cols] for r in rows])
    known = ~np.isnan(E)
    Z = np.where(known, E, 0.0)
    region = Z.sum(axis=1)
    sector = Z.sum(axis=0)
    total = Z.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        lq = np.where(known, (Z / region[:, None]) / (sector / total)[None, :], np.nan)
    M = (np.nan_to_num(lq, nan=0.0) >= 1.0) & known
    k = len(cols)
    phi = np.eye(k)
    for s, t in itertools.combinations(range(k), 2):
        both = int(np.sum(M[:, s] & M[:, t]))
        larger = max(int(M[:, s].sum()), int(M[:, t].sum()))
        phi[s, t] = phi[t, s] = both / larger if larger else 0.0
    return cities, [c[0] for c in cols], lq, M, phi


def test_the_whole_table_against_an_independent_numpy_computation() -> None:
    cities, sectors, lq, M, phi = _numpy_measures()
    ds = bg.load_dataset("cn-rail-2023")
    table = bg.specialisation_table(ds)
    _, places = bg.measure_matrix(ds)
    index = {c: i for i, c in enumerate(cities)}
    place_region = {p: r for r, p in places.items()}
    assert len(table) == len(places) * 19 > 5000
    for row in table.itertuples(index=False):
        i, j = index[place_region[row.place]], sectors.index(row.sector)
        if math.isnan(lq[i, j]):
            assert math.isnan(row.lq) and not row.specialised
        else:
            assert row.lq == pytest.approx(lq[i, j], rel=1e-12)
            assert row.specialised == bool(M[i, j])
    rel = bg.relatedness_table(ds)
    assert len(rel) == 19 * 18 // 2
    for row in rel.itertuples(index=False):
        assert row.proximity == pytest.approx(
            phi[sectors.index(row.sector_a), sectors.index(row.sector_b)], abs=1e-15
        )
    # density from the numpy proximity, for every place and sector
    P = phi - np.eye(len(sectors))
    dens = M.astype(float) @ P / P.sum(axis=0)
    for row in table.itertuples(index=False):
        i, j = index[place_region[row.place]], sectors.index(row.sector)
        assert row.density == pytest.approx(dens[i, j], rel=1e-12)


def test_belt_places_are_measured_against_china_and_putuo_says_whose_profile() -> None:
    ds = bg.load_dataset()
    table = bg.specialisation_table(ds)
    assert set(table["place"]) == {
        "Putuo", "Nanjing", "Wuxi", "Changzhou", "Suzhou", "Nantong", "Zhenjiang", "Taizhou",
    }  # fmt: skip
    # the same LQs as on the national table: the reference is China's cities, not the belt
    national = bg.specialisation_table(bg.load_dataset("cn-rail-2023")).set_index(
        ["place", "sector"]
    )
    suzhou = table[table["place"] == "Suzhou"].set_index("sector")["lq"]
    assert np.allclose(suzhou, national.loc["Suzhou-Jiangsu"]["lq"].loc[suzhou.index])
    code, out, err = run("specialisation", "--format", "csv")
    assert code == 0 and "Putuo: Shanghai's profile" in err
    assert out.splitlines()[0] == "place,sector,name,employment,lq,specialised,density"
    assert "Putuo,K,real estate," in out  # the section's name beside its code


def test_commands_without_a_measured_layer_say_so(tmp_path: object) -> None:
    code, _, err = run("relatedness", "--data", str(ROOT / "belt_graph" / "toy"))
    assert code == 1 and "no measured sector layer" in err and "Traceback" not in err


def test_a_faulty_measures_file_is_reported_whole(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path)
    (folder / "sector_measures.csv").write_text(
        "region,place,sector,value,unit,year,source_ref\n"
        "R1,A,x,10,persons,2019,test\n"
        "R1,A,x,11,persons,2019,test\n"
        "R2,Nowhere,y,-3,persons,2019,test\n"
        "R3,,y,5,yuan,20x9,\n"
        "R4,,y,1e308,persons,2019,test\n",
        encoding="utf-8",
    )
    code, _, err = run("specialisation", "--data", str(folder))
    assert code == 1 and "Traceback" not in err
    for where in (
        "sector_measures.csv:3: column 'sector'",  # R1 / x again
        "sector_measures.csv:4: column 'place'",  # unknown node
        "sector_measures.csv:4: column 'value'",  # negative
        "sector_measures.csv:5: column 'year'",
        "sector_measures.csv:5: column 'source_ref'",
        "sector_measures.csv:6: column 'value'",  # beyond any real quantity (LQ would overflow)
        "column 'unit'",  # two units in one file
    ):
        assert where in err, where


def test_measured_pairs_of_the_belt_against_numpy() -> None:
    from belt_graph.sectors.measured import measured_pairs

    cities, sectors, _, M, phi = _numpy_measures()
    # every value the mean computes (no minimum support): the rule is tested on its own below
    pairs = measured_pairs(bg.load_dataset(), min_support=0).set_index(["origin", "destination"])
    zh = {"Suzhou": "苏州市", "Wuxi": "无锡市", "Nantong": "南通市", "Taizhou": "泰州市"}
    for a, b in (("Suzhou", "Wuxi"), ("Nantong", "Taizhou"), ("Nantong", "Suzhou")):
        A = {s for s, x in zip(sectors, M[cities.index(zh[a])], strict=True) if x}
        B = {s for s, x in zip(sectors, M[cities.index(zh[b])], strict=True) if x}
        row = pairs.loc[(a, b)]
        assert row["overlap"] == pytest.approx(len(A & B) / len(A | B))
        if A - B and B - A:
            ij = [phi[sectors.index(i), sectors.index(j)] for i in A - B for j in B - A]
            assert row["complementarity"] == pytest.approx(sum(ij) / len(ij))
        else:  # Nantong and Taizhou: both construction only, nothing to complement
            assert math.isnan(row["complementarity"]) and A == B == {"E"}


@pytest.mark.parametrize(("name", "every"), [("belt", 1), ("cn-rail-2020", 37)])
def test_every_measured_pair_as_the_rules_read_pair_by_pair(name: str, every: int) -> None:
    """The table's loop over pairs against the public per-pair functions and the named rule.

    China's cities have many ties of proximity among their top pairs (which the names break).
    """
    from belt_graph.sectors.measured import measured_layer, measured_pairs

    ds = bg.load_dataset(name)
    _, places, _, spec, phi = measured_layer(ds)
    region_of = {p: r for r, p in places.items()}
    pairs = measured_pairs(ds)
    assert len(pairs) == len(region_of) * (len(region_of) - 1) // 2
    for row in pairs.iloc[::every].itertuples():
        ra, rb = region_of[row.origin], region_of[row.destination]
        assert row.overlap == overlap(spec, ra, rb)
        A = {str(x) for x in spec.columns[spec.loc[ra]]}
        B = {str(x) for x in spec.columns[spec.loc[rb]]}
        # issue 40: a value only with 3 specialisations a side and 3 sector pairs beneath it
        assert row.support == len(A - B) * len(B - A)
        enough = min(len(A), len(B)) >= 3 and row.support >= 3
        c = complementarity(spec, phi, ra, rb) if enough else math.nan
        assert (math.isnan(c) and math.isnan(row.complementarity)) or row.complementarity == c
        assert row.shared_codes == ";".join(x for x in map(str, spec.columns) if x in A & B)
        assert row.shared_sectors == ";".join(
            SHORT_NAMES[x] for x in row.shared_codes.split(";") if x
        )
        # the three most related specialisations only one has: proximity, then the names
        best = sorted(
            ((float(phi.at[i, j]), i, j) for i in A - B for j in B - A),
            key=lambda t: (-t[0], t[1], t[2]),
        )[:3]
        assert row.complementary_codes == ";".join(f"{i} <> {j} ({v:.2f})" for v, i, j in best)
        assert row.complementary_sectors == ";".join(  # in words, as GB/T 4754's sections
            f"{SHORT_NAMES[i]} <> {SHORT_NAMES[j]} ({v:.2f})" for v, i, j in best
        )


def test_the_two_figures_show_what_they_say() -> None:
    from matplotlib.collections import PathCollection

    from belt_graph.plot import plot_industry_space, plot_lq_heatmap
    from belt_graph.sectors.measured import location_quotients, measure_matrix

    ds = bg.load_dataset()
    _fig, ax = plot_industry_space(ds)
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(dots) == 1 and len(dots[0].get_offsets()) == 19  # every section a node
    # a spanning tree at least: 18 links joining the 19 sections
    assert len(ax.lines) >= 18
    labels = " ".join(t.get_text() for t in ax.texts)
    assert "C manufacturing" in labels and "Nantong, Taizhou" in labels  # E: construction
    _fig, ax = plot_lq_heatmap(ds)
    E, places = measure_matrix(ds)
    lq = location_quotients(E).loc[list(places)]
    lq.loc["上海市"] = _putuo_by_hand(E)  # Putuo's profile, agriculture left out
    shown = [t for t in ax.texts if t.get_text()]
    assert len(shown) == int(lq.notna().sum().sum())
    bold = sum(1 for t in shown if t.get_fontweight() == "bold")
    assert bold == int((lq >= 1).sum().sum())
    assert "Putuo (Shanghai's profile less agriculture)" in [
        t.get_text() for t in ax.get_yticklabels()
    ]


def _putuo_by_hand(E: pd.DataFrame) -> pd.Series:
    """Putuo's LQs: Shanghai's row less agriculture, its shares of what is left, against China."""
    national = E.sum(axis=0) / float(np.nansum(E.to_numpy()))  # Shanghai's farms included
    row = E.loc["上海市"].copy()
    row["A"] = np.nan
    return (row / row.sum()) / national


def test_putuo_is_shanghai_less_its_farms_against_china_whole() -> None:
    """Issue 40: Putuo's profile leaves agriculture out; the reference keeps Shanghai whole."""
    from belt_graph.sectors.measured import measured_layer

    ds = bg.load_dataset()
    E, places, lq, spec, phi = measured_layer(ds)
    assert places["上海市"] == "Putuo" and E.at["上海市", "A"] == 76301  # the yearbook's row
    expected = _putuo_by_hand(E)
    assert np.allclose(lq.loc["上海市"].drop("A"), expected.drop("A"), rtol=1e-12, atol=0)
    assert (spec.loc["上海市"] == expected.ge(1)).all()  # NaN for A: not specialised
    table = bg.specialisation_table(ds).set_index(["place", "sector"])
    putuo = table.loc["Putuo"]
    assert math.isnan(putuo.at["A", "lq"]) and not putuo.at["A", "specialised"]
    assert math.isnan(putuo.at["A", "employment"])
    for s in "BCDEFGHIJKLMNOPQRS":
        assert putuo.at[s, "lq"] == pytest.approx(expected[s], rel=1e-12)
        assert putuo.at[s, "specialised"] == (expected[s] >= 1)
    # Shanghai whole still stands in the proximities (the numpy reference counts its farms)
    _, sectors, _, _, phi_np = _numpy_measures()
    assert np.allclose(phi.loc[sectors, sectors].to_numpy(), phi_np, rtol=0, atol=1e-15)
    # and every measured answer says so
    code, _, err = run("specialisation", "--format", "csv")
    assert code == 0 and "agriculture left out of Putuo's profile" in err


def test_listed_industries_beside_the_measured_lq_of_their_section() -> None:
    ds = bg.load_dataset()
    t = bg.listed_against_measured(ds)
    lq = bg.specialisation_table(ds).set_index(["place", "sector"])["lq"]
    # every row with a section carries that place's LQ in it; the others carry nothing
    with_section = t[t["section"] != ""]
    assert len(with_section) and (t["section"] == "").any()
    for r in with_section.itertuples():
        assert r.lq == pytest.approx(lq.loc[(r.place, r.section)])
        assert r.specialised == (r.lq >= 1)
    assert t.loc[t["section"] == "", "lq"].isna().all()
    assert t.loc[t["section"] == "", "specialised"].isna().all()
    # by hand from the taxonomy: Wuxi's software is section I, Nanjing's culture section R
    row = t[(t["place"] == "Wuxi") & (t["sector"] == "software and IT services")].iloc[0]
    assert row["section"] == "I"
    row = t[(t["place"] == "Nanjing") & (t["sector"] == "culture and tourism")].iloc[0]
    assert row["section"] == "R"
    (note,) = set(t.loc[t["place"] == "Putuo", "note"])
    assert note.startswith(
        "Shanghai's profile: no source gives Putuo District's employment by section; "
        "agriculture left out of Putuo's profile: Putuo is an urban district"
    )


def test_a_bad_taxonomy_scope_is_located(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path)
    path = folder / "sector_taxonomy.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",scope"
    lines[1] += ",everything"
    lines[2:] = [line + ",sector" for line in lines[2:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run("sectors", "--data", str(folder))
    assert code == 1 and "Traceback" not in err
    assert "sector_taxonomy.csv:2: column 'scope'" in err


def test_the_national_top_pair_rests_on_three_sector_pairs() -> None:
    """Issue 40: Shuozhou-Wuhai (0.86) rested on one difference; with the rule it has no value,
    and the top pair rests on at least 3; --min-support 1 gives the old answer back."""
    from belt_graph.sectors.measured import measured_pairs

    ds = bg.load_dataset("cn-rail-2023")
    top = measured_pairs(ds).iloc[0]
    assert top["support"] >= 3 and len(str(top["complementary_codes"]).split(";")) == 3
    loose = measured_pairs(ds, min_support=1)
    first = loose.iloc[0]
    assert first["support"] < 3 and first["complementarity"] > top["complementarity"]
    code, out, err = run(
        "sectors", "--data", "cn-rail-2023", "--min-support", "1", "--format", "csv"
    )
    assert code == 0 and out.splitlines()[1].startswith(
        f"{first['origin']},{first['destination']},"
    )
    code, _, err = run("sectors", "--data", "cn-rail-2023", "--format", "csv")
    assert code == 0 and "without a complementarity: fewer than 3" in err
