"""Travel-time matrix: belt_graph (scipy.sparse.csgraph) against NetworkX all-pairs Dijkstra.

    python benchmarks/bench_matrix.py [--sizes 500,2000,5000] [--seed 0]

On random geometric-like sparse graphs (each node joined to its 3 nearest neighbours by index
in a ring plus random chords, minutes 1-60), times ``belt_graph.travel_time_matrix`` and
``dict(networkx.all_pairs_dijkstra_path_length(G))`` in the same run, checks that they agree,
and prints the ratio.
"""

from __future__ import annotations

import argparse
import random
import time

import networkx as nx

import belt_graph as bg


def random_network(n: int, seed: int) -> nx.Graph:
    rng = random.Random(seed)
    G = nx.Graph()
    G.add_nodes_from(range(n), kind="city")
    for i in range(n):
        for k in (1, 2, 3):
            G.add_edge(i, (i + k) % n, minutes=rng.uniform(1, 60))
    for _ in range(n):
        u, v = rng.randrange(n), rng.randrange(n)
        if u != v:
            G.add_edge(u, v, minutes=rng.uniform(1, 60))
    return G


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for n in (int(x) for x in args.sizes.split(",")):
        G = random_network(n, args.seed)
        t0 = time.perf_counter()
        m = bg.travel_time_matrix(G)
        t_scipy = time.perf_counter() - t0
        t0 = time.perf_counter()
        ref = dict(nx.all_pairs_dijkstra_path_length(G, weight="minutes"))
        t_nx = time.perf_counter() - t0
        probe = list(G)[:: max(1, n // 20)]
        for u in probe:
            for v in probe:
                assert abs(m.loc[u, v] - ref[u][v]) < 1e-9
        print(
            f"n={n:>6}: belt_graph {t_scipy:7.2f} s  networkx {t_nx:7.2f} s  "
            f"ratio {t_nx / t_scipy:5.1f}x faster"
        )


if __name__ == "__main__":
    main()
