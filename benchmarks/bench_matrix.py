"""The station matrix and exact centrality of ``cn-rail-2021`` against scipy, igraph, networkit.

    python benchmarks/bench_matrix.py             # medians of 5 runs
    python benchmarks/bench_matrix.py --quick     # one run, 200 stations, for the tests

``bg.travel_time_matrix(G, nodes=stations)`` (every station to every station: 2,794 x 2,794;
the cities over them are ends of routes, not steps; ``cn-rail-2021`` has no services, so
changes are free and the search is plain Dijkstra) against each peer given the same sparse
graph, built once outside its timing: ``scipy.sparse.csgraph.dijkstra`` (one call, all
sources), igraph ``distances`` and networkit's ``APSP`` (2 threads). belt-graph searches blocks
of sources in forked processes, one per core (``network.arrays.PARALLEL_MIN_CELLS``); scipy's
Dijkstra holds the GIL, so threads would not help (measured: 2 threads 0.99x one call). Every
peer's matrix is checked equal to ours.
Ratios are peer time / belt-graph time (above 1: belt-graph is faster).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_cities import median_time  # noqa: E402 - the same medians as the city benchmark

import belt_graph as bg  # noqa: E402 - after the path is set
from belt_graph.network import simple_graph  # noqa: E402
from belt_graph.network.paths import link_matrix  # noqa: E402


def peers(A: Any, rows: np.ndarray, quick: bool) -> dict[str, Callable[[], np.ndarray]]:
    """Each installed peer's minutes between ``rows`` on the symmetric sparse graph ``A``."""
    from scipy.sparse.csgraph import dijkstra

    out: dict[str, Callable[[], np.ndarray]] = {
        "scipy": lambda: dijkstra(A, directed=False, indices=rows)[:, rows]
    }
    coo = A.tocoo()
    keep = coo.row < coo.col
    edges = list(zip(coo.row[keep].tolist(), coo.col[keep].tolist(), strict=True))
    weights = coo.data[keep].tolist()
    try:
        import igraph

        g = igraph.Graph(n=A.shape[0], edges=edges)
        g.es["w"] = weights
        idx = rows.tolist()
        out["igraph"] = lambda: np.asarray(g.distances(idx, idx, weights="w"))
    except ImportError:
        pass
    try:
        if quick:
            raise ImportError  # all pairs: too slow for a smoke test
        import networkit as nk

        nk.setNumberOfThreads(2)
        h = nk.Graph(A.shape[0], weighted=True)
        for (u, v), w in zip(edges, weights, strict=True):
            h.addEdge(u, v, w)

        def apsp() -> np.ndarray:
            run = nk.distance.APSP(h)
            run.run()
            return np.asarray(run.getDistances())[np.ix_(rows, rows)]

        out["networkit (2 threads)"] = apsp
    except ImportError:
        pass
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run, 200 stations (tests)")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    ds = bg.load_dataset("cn-rail-2021")
    G = bg.rail_graph(ds)
    stations = [str(n) for n in ds.nodes.index[ds.nodes["kind"] == "station"] if n in G]
    stations = stations[:200] if args.quick else stations
    # the peers get the stations' graph: routes never pass through a city (its access links
    # would join its stations at no cost)
    H = simple_graph(G)
    H = H.subgraph(n for n in H if H.nodes[n].get("transit", True) is not False)
    index = {n: i for i, n in enumerate(H)}
    A = link_matrix(H, index, "minutes")
    rows = np.array([index[s] for s in stations])
    ours_t, ours = median_time(lambda: bg.travel_time_matrix(G, nodes=stations), runs)
    mine = ours.to_numpy(float)
    print(f"{len(stations):,} x {len(stations):,} station matrix ({ds.name}), medians of {runs}")
    print(f"  {'belt-graph':<24}{ours_t:8.3f} s  ratio 1.00")
    for name, run in peers(A, rows, args.quick).items():
        t, got = median_time(run, runs)
        got = np.where(np.isfinite(got) & (got < 1e300), got, np.nan)
        if not np.allclose(got, mine, equal_nan=True):
            raise SystemExit(f"{name}'s matrix differs from belt-graph's")
        print(f"  {name:<24}{t:8.3f} s  ratio {t / ours_t:.2f}")
    if not args.quick:
        closeness_run(H, runs)


def closeness_run(H: Any, runs: int) -> None:
    """Exact weighted closeness and betweenness of every station against igraph and networkit."""
    from belt_graph.centralities import betweenness, closeness

    nodes = list(H)
    n = len(nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    edges = [(idx[u], idx[v]) for u, v in H.edges()]
    weights = [float(d["minutes"]) for _, _, d in H.edges(data=True)]
    import igraph
    import networkit as nk

    g = igraph.Graph(n=n, edges=edges)
    g.es["w"] = weights
    nk.setNumberOfThreads(2)
    h = nk.Graph(n, weighted=True)
    for (u, v), w in zip(edges, weights, strict=True):
        h.addEdge(u, v, w)

    def nk_closeness() -> list[float]:
        run = nk.centrality.Closeness(h, True, nk.centrality.ClosenessVariant.GENERALIZED)
        run.run()
        return list(run.scores())

    def nk_betweenness() -> list[float]:
        run = nk.centrality.Betweenness(h, normalized=False)
        run.run()
        return list(run.scores())

    pairs = (n - 1) * (n - 2) / 2  # ours are shares of the pairs of other nodes
    for measure, ours_f, peer_fs, as_ours in (
        (
            "closeness",
            lambda: closeness(H),
            (("igraph", lambda: g.closeness(weights="w")), ("networkit (2 threads)", nk_closeness)),
            lambda x: np.nan_to_num(np.asarray(x, float)),
        ),
        (
            "betweenness",
            lambda: betweenness(H),
            (
                ("igraph", lambda: g.betweenness(weights="w")),
                ("networkit (2 threads)", nk_betweenness),
            ),
            lambda x: np.asarray(x, float) / pairs,
        ),
    ):
        ours_t, ours = median_time(ours_f, runs)
        mine = ours.loc[nodes].to_numpy(float)
        print(f"exact {measure} of {n:,} stations, medians of {runs}")
        print(f"  {'belt-graph':<24}{ours_t:8.3f} s  ratio 1.00")
        for name, run in peer_fs:
            t, got = median_time(run, runs)
            # networkit counts each unordered pair twice in betweenness; compare igraph's only
            if name == "igraph" and not np.allclose(as_ours(got), mine, rtol=1e-9, atol=1e-12):
                raise SystemExit(f"igraph's {measure} differs from belt-graph's")
            print(f"  {name:<24}{t:8.3f} s  ratio {t / ours_t:.2f}")


if __name__ == "__main__":
    main()
