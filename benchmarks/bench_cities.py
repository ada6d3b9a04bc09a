"""City-level answers on the national networks, timed against the tools a user would pick.

    python benchmarks/bench_cities.py             # cn-rail-2023 matrix, cn-rail-2020 sweep
    python benchmarks/bench_cities.py --quick     # one run of each, for the tests

1. **The matrix of cities** of ``cn-rail-2023`` (334 cities over 2,426 stations):
   ``bg.travel_time_matrix(bg.rail_graph(ds))``, journeys whose changes of train cost the
   minimum change time (issue 23), against scipy, igraph or networkit (when installed) given
   the same journey graph (``belt_graph.network.journeys.journey_graph``: one state per station and
   train, changes as edges; built once, outside their timings, while ours builds it on every
   call): fastest minutes from every city's way out to every city's way in. Every peer's
   matrix is checked equal to ours.
2. **A national window sweep of cities**: ``bg.window_accessibility`` on ``cn-rail-2020`` for
   every city as origin, 07:00-09:00 every 5 min, against the same sweep on the station
   network under them (every station an origin): what answering about cities costs.

Ratios are peer time / belt-graph time (above 1: belt-graph is faster), medians of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import belt_graph as bg  # noqa: E402 - after the path is set
from belt_graph.place_builder import station_network  # noqa: E402


def median_time(f: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls of ``f``, and its last result."""
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def journey_peers(
    J: Any, sources: list[int], targets: list[int]
) -> dict[str, Callable[[], np.ndarray]]:
    """Each installed tool's minutes from ``sources`` to ``targets`` on the journey graph."""
    from scipy.sparse.csgraph import dijkstra

    A = J.matrix.tocoo()
    n = A.shape[0]
    src, tgt = np.asarray(sources), np.asarray(targets)
    out: dict[str, Callable[[], np.ndarray]] = {
        "scipy": lambda: dijkstra(J.matrix, directed=True, indices=src)[:, tgt]
    }
    a, b, w = A.row.tolist(), A.col.tolist(), A.data.tolist()
    try:
        import igraph

        g = igraph.Graph(n=n, edges=list(zip(a, b, strict=True)), directed=True)
        out["igraph"] = lambda: np.asarray(
            g.distances(source=sources, target=targets, weights=w, mode="out"), dtype=float
        )
    except ImportError:
        pass
    try:
        with warnings.catch_warnings():  # networkit imports a deprecated IPython name
            warnings.simplefilter("ignore", DeprecationWarning)
            import networkit as nk

        nk.setNumberOfThreads(2)
        h = nk.Graph(n, weighted=True, directed=True)
        for x, y, z in zip(a, b, w, strict=True):
            h.addEdge(x, y, z)

        def nk_spsp() -> np.ndarray:
            sp = nk.distance.SPSP(h, sources)
            sp.run()
            D = np.asarray(sp.getDistances(), dtype=float)[:, tgt]
            D[D > 1e300] = np.inf
            return D

        out["networkit (2 threads)"] = nk_spsp
    except ImportError:
        pass
    return out


def bench_matrix(runs: int) -> list[dict[str, Any]]:
    from belt_graph.network.journeys import journey_graph

    ds = bg.load_dataset("cn-rail-2023")
    G = bg.rail_graph(ds)
    ours_s, ours = median_time(lambda: bg.travel_time_matrix(G), runs)
    order = [str(c) for c in ours.index]
    J = journey_graph(G)
    sources, targets = [J.ready[c] for c in order], [J.arrive[c] for c in order]
    task = f"city matrix {len(order)} x {len(order)} (cn-rail-2023)"
    rows = [{"task": task, "tool": "belt-graph", "seconds": ours_s, "ratio": 1.0}]
    want = ours.to_numpy(float)
    want = np.where(np.isnan(want), np.inf, want)
    for name, f in journey_peers(J, sources, targets).items():
        secs, got = median_time(f, runs)
        np.fill_diagonal(got, 0.0)
        assert np.allclose(got, want, rtol=0, atol=1e-9), name  # the same answer
        rows.append({"task": task, "tool": name, "seconds": secs, "ratio": secs / ours_s})
    return rows


def bench_sweep(runs: int, step: float) -> list[dict[str, Any]]:
    ds = bg.load_dataset("cn-rail-2020")
    stations = station_network(ds)[0]
    window = (420.0, 540.0)
    cities_s, table = median_time(
        lambda: bg.window_accessibility(ds, window=window, step=step, workers=1), runs
    )
    st_s, st_table = median_time(
        lambda: bg.window_accessibility(stations, window=window, step=step, workers=1), runs
    )
    origins = table["origin"].nunique()
    task = f"window sweep 07:00-09:00 every {step:g} min, one thread (cn-rail-2020)"
    return [
        {"task": task, "tool": f"belt-graph, {origins} cities", "seconds": cities_s, "ratio": 1.0},
        {
            "task": task,
            "tool": f"belt-graph, {st_table['origin'].nunique()} stations",
            "seconds": st_s,
            "ratio": st_s / cities_s,
        },
    ]


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run, a coarse sweep")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    rows = bench_matrix(runs) + bench_sweep(runs, 30.0 if args.quick else 5.0)
    for r in rows:
        print(f"{r['task']:<62} {r['tool']:<24} {r['seconds']:8.3f} s  ratio {r['ratio']:.2f}")
    return rows


if __name__ == "__main__":
    main()
