"""Criticality of every track link against the naive loop, and against NetworkX on the belt.

    python benchmarks/bench_criticality.py                   # cn-rail-2023 and the belt
    python benchmarks/bench_criticality.py --sample 3 --belt-only

The naive loop closes each track link (with every train riding it) and computes one city
matrix of the closed network; it is timed on ``--sample`` links drawn with a fixed seed and
multiplied by the number of track links (running it whole on cn-rail-2023 takes about an hour).
Two naive figures are printed: the city matrix alone (``travel_time_matrix`` of the closed
graph: the issue's "track links x one city matrix"), and everything a user's loop would do
(close, build the graph, the matrix). Each sampled link's loss is checked equal to
``criticality``'s row. On the belt, NetworkX brute force: for every track link, the closed
network's journey graph as a ``networkx.DiGraph`` and ``single_source_dijkstra_path_length``
from every place (every loss checked equal).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

import belt_graph as bg
from belt_graph import resilience as R


def _weights(ds: bg.Dataset, ids: list[str]) -> np.ndarray:
    P = pd.to_numeric(ds.nodes["population"].reindex(ids), errors="coerce").to_numpy()
    P = np.where(np.isfinite(P) & (P > 0), P, 0.0)
    W = np.outer(P, P)
    np.fill_diagonal(W, 0.0)
    return W


def naive(ds: bg.Dataset, table: pd.DataFrame, sample: int) -> dict[str, float]:
    """Time the naive loop on ``sample`` links; check each loss against ``table``."""
    base = bg.travel_time_matrix(bg.rail_graph(ds)).astype(float)
    ids = list(base.index)
    W = _weights(ds, ids)
    rng = np.random.default_rng(38)
    picks = rng.choice(len(table), size=min(sample, len(table)), replace=False)
    matrix_s, whole_s = [], []
    for k in picks:
        row = table.iloc[int(k)]
        t0 = time.perf_counter()
        closed = bg.close_track(ds, [(row["source"], row["target"])])
        G = bg.rail_graph(closed)
        t1 = time.perf_counter()
        after = bg.travel_time_matrix(G).reindex(index=ids, columns=ids).astype(float)
        t2 = time.perf_counter()
        matrix_s.append(t2 - t1)
        whole_s.append(t2 - t0)
        loss = R.closure_loss(base.to_numpy(), after.to_numpy(), W)
        if not math.isclose(loss, float(row["loss"]), rel_tol=1e-12, abs_tol=1e-9):
            raise SystemExit(f"{row['source']}-{row['target']}: naive {loss} != {row['loss']}")
    n = len(table)
    return {
        "matrix": float(np.mean(matrix_s)) * n,
        "whole": float(np.mean(whole_s)) * n,
        "sampled": len(picks),
    }


def networkx_belt(ds: bg.Dataset, table: pd.DataFrame) -> float:
    """NetworkX brute force over every track link of the belt; every loss checked equal."""
    import networkx as nx

    from belt_graph.network.journeys import journey_graph
    from belt_graph.network.paths import places

    G0 = bg.rail_graph(ds)
    ids = [str(p) for p in places(G0)]
    W = _weights(ds, ids)

    def matrix(G: nx.Graph) -> np.ndarray:
        J = journey_graph(G)
        D = nx.from_scipy_sparse_array(J.matrix, create_using=nx.DiGraph)
        out = np.full((len(ids), len(ids)), math.inf)
        for i, a in enumerate(ids):
            dist = nx.single_source_dijkstra_path_length(D, J.ready[a])
            for j, b in enumerate(ids):
                out[i, j] = 0.0 if i == j else dist.get(J.arrive[b], math.inf)
        return out

    t0 = time.perf_counter()
    before = matrix(G0)
    for row in table.itertuples():
        after = matrix(bg.rail_graph(bg.close_track(ds, [(row.source, row.target)])))
        loss = R.closure_loss(before, after, W)
        if not math.isclose(loss, float(row.loss), rel_tol=1e-12, abs_tol=1e-9):
            raise SystemExit(f"{row.source}-{row.target}: networkx {loss} != {row.loss}")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=8, help="links timed in the naive loop")
    parser.add_argument("--belt-only", action="store_true", help="skip cn-rail-2023")
    args = parser.parse_args(argv)
    out: dict[str, float] = {}
    names = ["belt"] if args.belt_only else ["belt", "cn-rail-2023"]
    for name in names:
        ds = bg.load_dataset(name)
        t0 = time.perf_counter()
        table = bg.criticality(ds)
        ours = time.perf_counter() - t0
        loop = naive(ds, table, args.sample)
        print(
            f"{name}: {len(table)} track links, criticality {ours:.2f} s "
            f"({table.attrs['searched']} searches from a place again, of "
            f"{len(table) * table.attrs['places']})"
        )
        print(
            f"  naive loop, track links x one city matrix: {loop['matrix']:.1f} s "
            f"({loop['matrix'] / ours:.1f}x); close + graph + matrix: {loop['whole']:.1f} s "
            f"({loop['whole'] / ours:.1f}x); {loop['sampled']:.0f} links timed, losses equal"
        )
        out[f"{name} ratio"] = loop["matrix"] / ours
        if name == "belt":
            nxt = networkx_belt(ds, table)
            print(f"  NetworkX brute force: {nxt:.2f} s ({nxt / ours:.1f}x), losses equal")
            out["belt networkx ratio"] = nxt / ours
    return out


if __name__ == "__main__":
    main()
