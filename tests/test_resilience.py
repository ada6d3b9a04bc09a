"""belt_graph.resilience: each closure's loss against the network closed and searched whole."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

import belt_graph as bg
from belt_graph import resilience as R
from belt_graph.network.repair import repair_rows, reverse_index
from tests.helpers import run


def _loss(before: pd.DataFrame, after: pd.DataFrame, col: str, ds: bg.Dataset) -> float:
    """The issue's formula written out here, pair by pair, with both times capped at 6 h."""
    num = den = 0.0
    ids = list(before.index)
    w = pd.to_numeric(ds.nodes[col], errors="coerce")
    for i in ids:
        for j in ids:
            t = before.at[i, j]
            if i == j or not math.isfinite(t) or not (w[i] > 0 and w[j] > 0):
                continue
            t2 = after.at[i, j]
            t2 = math.inf if not math.isfinite(t2) else t2
            num += w[i] * w[j] * (min(t2, 360.0) - min(t, 360.0))
            den += w[i] * w[j]
    return num / den


def _matrix(ds: bg.Dataset, ids: list[str]) -> pd.DataFrame:
    m = bg.travel_time_matrix(bg.rail_graph(ds)).reindex(index=ids, columns=ids)
    return m.astype(float).fillna(math.inf)


def test_the_loss_formula_by_hand() -> None:
    # three places; closing makes A-B 30 -> 50 and cuts A-C (was 400: over 6 h already)
    before = np.array([[0, 30, 400], [30, 0, 20], [400, 20, 0]], dtype=float)
    after = np.array([[0, 50, np.inf], [50, 0, 20], [np.inf, 20, 0]], dtype=float)
    P = np.array([1.0, 2.0, 3.0])
    W = np.outer(P, P)
    np.fill_diagonal(W, 0)
    # pairs: AB, BA weigh 2 (+20 each); AC, CA weigh 3 (min(inf,360) - min(400,360) = 0);
    # BC, CB weigh 6 (0): (2*20*2) / (2*2 + 3*2 + 6*2)
    assert R.closure_loss(before, after, W) == pytest.approx(80 / 22)
    # a pair unreachable before does not count, nor one without a weight
    before[0, 1] = np.inf
    assert R.closure_loss(before, after, W) == pytest.approx(40 / 20)


def test_every_belt_link_equals_the_network_closed_and_searched_whole(belt: bg.Dataset) -> None:
    table = R.criticality(belt)
    track = R.track_links(belt)
    assert len(table) == len(track) == 70
    assert table["loss"].is_monotonic_decreasing
    base = bg.travel_time_matrix(bg.rail_graph(belt)).astype(float).fillna(math.inf)
    ids = list(base.index)
    for row in table.itertuples():
        after = _matrix(bg.close_track(belt, [(row.source, row.target)]), ids)
        assert row.loss == pytest.approx(_loss(base, after, "population", belt), abs=1e-9)
        assert row.gdp_loss == pytest.approx(_loss(base, after, "gdp_cny_bn", belt), abs=1e-9)
        cut = sum(
            1
            for i in ids
            for j in ids
            if i != j and math.isfinite(base.at[i, j]) and not math.isfinite(after.at[i, j])
        )
        assert row.disconnected == cut
        slower = (after.to_numpy() > base.to_numpy() + 1e-9).sum()
        assert row.pair_share == pytest.approx(slower / (len(ids) * (len(ids) - 1)))
    # the Yangtze crossing of the Shanghai-Suzhou-Nantong railway is the belt's weakest link:
    # Nantong's trains to Shanghai and Suzhou cross it
    top = table.iloc[0]
    assert {top.source, top.target} == {"NXU", "ZAU"}
    assert top.loss > 2 * table.iloc[1].loss


@pytest.mark.parametrize("by", ["station", "line"])
def test_stations_and_lines_equal_their_closures_searched_whole(belt: bg.Dataset, by: str) -> None:
    table = R.criticality(belt, by=by)
    track = R.track_links(belt)
    on = R.trains_on_track(belt)
    base = bg.travel_time_matrix(bg.rail_graph(belt)).astype(float).fillna(math.inf)
    ids = list(base.index)
    for row in table.head(6).itertuples():
        if by == "station":
            s = row.station
            at = track.index[(track["source"] == s) | (track["target"] == s)]
            links = belt.links
            drop = set(links.index[(links["source"] == s) | (links["target"] == s)])
        else:
            at = track.index[track["line"] == row.line]
            drop = set()
        drop |= set(at) | set(on.loc[on["track"].isin(at), "ride"])
        closed = belt.with_links(belt.links.drop(index=sorted(drop)))
        after = _matrix(closed, ids)
        assert row.loss == pytest.approx(_loss(base, after, "population", belt), abs=1e-9)


def test_a_train_rides_the_track_of_its_own_railway(belt: bg.Dataset) -> None:
    on = R.trains_on_track(belt)
    links = belt.links
    # the along-river through train Nanjing South - Zhangjiagang (no change at Jiangyin)
    ride = links.index[
        (links["kind"] == "service")
        & (((links["source"] == "NKH") & (links["target"] == "ZAU"))
           | ((links["source"] == "ZAU") & (links["target"] == "NKH")))
    ]  # fmt: skip
    assert len(ride) == 1
    path = on[on["ride"] == ride[0]]["track"]
    ends = pd.concat([links.loc[path, "source"], links.loc[path, "target"]]).value_counts()
    # a chain from Nanjing South to Zhangjiagang: the two ends once, every other stop twice
    assert set(ends[ends == 1].index) == {"NKH", "ZAU"} and set(ends.unique()) <= {1, 2}
    assert links.loc[path, "railways"].str.contains("along-river").all()
    # a track link that trains ride between adjacent stops rides itself
    own = links.index[links["kind"] == "track"][0]
    assert ((on["ride"] == own) & (on["track"] == own)).any()


def test_close_track_drops_the_link_and_its_trains(belt: bg.Dataset) -> None:
    closed = bg.close_track(belt, [("NXU", "ZAU")])
    on = R.trains_on_track(belt)
    riders = set(on.loc[on["track"].isin(R.track_links(belt).query(
        "(source == 'NXU' and target == 'ZAU') or (source == 'ZAU' and target == 'NXU')"
    ).index), "ride"])  # fmt: skip
    assert len(belt.links) - len(closed.links) == len(riders) >= 10
    m0 = bg.travel_time_matrix(bg.rail_graph(belt))
    m1 = bg.travel_time_matrix(bg.rail_graph(closed))
    assert m1.at["Putuo", "Nantong"] > m0.at["Putuo", "Nantong"] + 60
    with pytest.raises(bg.BeltGraphError, match="no open track link joins Putuo-Nanjing"):
        bg.close_track(belt, [("Putuo", "Nanjing")])


def test_the_close_option_of_the_commands() -> None:
    code, out, _ = run("matrix", "--format", "csv")
    code2, out2, _ = run("matrix", "--format", "csv", "--close", "Nantong West-Zhangjiagang")
    assert code == code2 == 0
    before = pd.read_csv(io.StringIO(out), index_col=0)
    after = pd.read_csv(io.StringIO(out2), index_col=0)
    assert after.at["Putuo", "Nantong"] > before.at["Putuo", "Nantong"] + 60
    code, _, err = run("commute", "Putuo", "Nantong", "--close", "NXU-ZAU")
    assert code == 0, err
    code, _, err = run("matrix", "--close", "Foo-Bar")
    assert code == 2 and "--close" in err and "Traceback" not in err
    code, _, err = run("reach", "Putuo", "--hours", "2", "--close", "Putuo-Nanjing")
    assert code == 1 and "no open track link joins Putuo-Nanjing" in err
    code, out, err = run("criticality", "--top", "3", "--format", "csv")
    assert code == 0, err
    top = pd.read_csv(io.StringIO(out))
    assert len(top) == 3 and top["source"].iat[0] in {"NXU", "ZAU"}


@pytest.mark.parametrize("seed", range(25))
def test_the_repair_equals_a_search_from_scratch(seed: int) -> None:
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import dijkstra

    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    m = int(rng.integers(n, 5 * n))
    r, c = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = r != c
    r, c = r[keep], c[keep]
    w = rng.integers(0, 20, len(r)).astype(float)  # whole minutes, zeros and ties
    A = csr_array((w, (r, c)), shape=(n, n))
    A.sum_duplicates()
    A.sort_indices()
    sources = rng.choice(n, size=min(n, 4), replace=False)
    D, pred = dijkstra(A, directed=True, indices=sources, return_predecessors=True)
    pred = pred.astype(np.int64)
    data = A.data.copy()
    hit = rng.choice(len(data), size=max(1, len(data) // 6), replace=False)
    data[hit] = np.where(rng.random(len(hit)) < 0.5, np.inf, data[hit] + rng.integers(1, 30))
    rows_of = np.repeat(np.arange(n), np.diff(A.indptr))
    roots_list = []
    for i in range(len(sources)):
        roots_list.append(
            np.array([A.indices[k] for k in hit if pred[i, A.indices[k]] == rows_of[k]])
        )
    roots_of = np.concatenate([[0], np.cumsum([len(x) for x in roots_list])]).astype(np.int64)
    roots = np.concatenate(roots_list).astype(np.int64) if len(hit) else np.zeros(0, np.int64)
    target = rng.random(n) < 0.5
    out = np.empty((len(sources), n))
    ri, rs, rp = reverse_index(A)
    repair_rows(
        A.indptr.astype(np.int64), A.indices.astype(np.int64), data, ri, rs, rp,
        D, pred, roots, roots_of, target, out,
    )  # fmt: skip
    ok = np.isfinite(data)
    A2 = csr_array((data[ok], (rows_of[ok], A.indices[ok])), shape=(n, n))
    truth = dijkstra(A2, directed=True, indices=sources)
    assert np.array_equal(out[:, target], truth[:, target])
    assert (out >= truth - 1e-9).all()  # the others: exact or larger, never smaller


@pytest.mark.slow
def test_every_national_track_link_has_its_row_and_the_top_ones_are_exact() -> None:
    ds = bg.load_dataset("cn-rail-2023")
    table = R.criticality(ds)
    assert len(table) == len(R.track_links(ds)) == 2926
    base = bg.travel_time_matrix(bg.rail_graph(ds)).astype(float).fillna(math.inf)
    ids = list(base.index)
    P = pd.to_numeric(ds.nodes["population"].reindex(ids), errors="coerce").to_numpy()
    W = np.outer(np.nan_to_num(P), np.nan_to_num(P))
    np.fill_diagonal(W, 0)
    for row in table.head(2).itertuples():
        after = _matrix(bg.close_track(ds, [(row.source, row.target)]), ids)
        assert row.loss == pytest.approx(
            R.closure_loss(base.to_numpy(), after.to_numpy(), W), abs=1e-9
        )
    # the most critical: on the Beijing-Shanghai HSR, the country's busiest trunk
    assert table.iloc[0]["line"] == "high-speed" and table.iloc[0]["trains"] > 1000


def test_inequality_by_hand() -> None:
    e = bg.equity.inequality(np.array([2.0, 2.0, 2.0]))
    assert e == {"cv": 0.0, "gini": 0.0, "theil": 0.0}
    # one place holds everything of four: Gini (n-1)/n, Theil ln n
    e = bg.equity.inequality(np.array([0.0, 0.0, 0.0, 8.0]))
    assert e["gini"] == pytest.approx(0.75) and e["theil"] == pytest.approx(math.log(4))
    assert e["cv"] == pytest.approx(math.sqrt(3))


def test_benefits_of_the_north_yangtze_line_and_of_a_closure(belt: bg.Dataset) -> None:
    new = bg.apply_scenario(belt, "north_yangtze_hsr")
    b = bg.benefits(belt, new)
    whole = b[b["place"] == ""].set_index("measure")
    assert whole.at["person_hours", "change"] < 0  # time saved
    # equity: the new line serves the north bank, the least accessible; inequality falls
    for k in ("cv", "gini", "theil"):
        assert whole.at[f"accessibility_{k}", "after"] < whole.at[f"accessibility_{k}", "before"]
    # people within 2 h of Taizhou, from the two matrices directly
    m0 = bg.travel_time_matrix(bg.rail_graph(belt))
    m1 = bg.travel_time_matrix(bg.rail_graph(new)).reindex(index=m0.index, columns=m0.columns)
    pop = belt.nodes["population"].astype(float)
    row = b[(b["measure"] == "population_within_2h") & (b["place"] == "Taizhou")].iloc[0]
    for m, col in ((m0, "before"), (m1, "after")):
        within = [p for p in m.columns if p != "Taizhou" and m.at["Taizhou", p] <= 120]
        assert row[col] == pytest.approx(pop[within].sum())
    # a closure's extra person-hours are criticality's for that link
    closed = bg.benefits(belt, bg.close_track(belt, [("NXU", "ZAU")]))
    extra = closed[(closed["measure"] == "person_hours") & (closed["place"] == "")]["change"]
    crit = R.criticality(belt)
    top = crit[(crit["source"] == "NXU") & (crit["target"] == "ZAU")]["person_hours"]
    assert float(extra.iloc[0]) == pytest.approx(float(top.iloc[0]))
    code, out, err = run("scenario", "north_yangtze_hsr", "--table", "benefits", "--format", "csv")
    assert code == 0, err
    assert "accessibility_gini" in out and "population_within_3h" in out
