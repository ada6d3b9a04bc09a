"""City-level answers on the national networks, timed against the tools a user would pick.

    python benchmarks/bench_cities.py             # cn-rail-2023 matrix, cn-rail-2020 sweep
    python benchmarks/bench_cities.py --quick     # one run of each, for the tests

1. **The matrix of cities** of ``cn-rail-2023`` (334 cities over 2,426 stations):
   ``bg.travel_time_matrix(bg.rail_graph(ds))`` against what a user would write with scipy,
   igraph or networkit (when installed): all-pairs fastest minutes between the *stations*
   (their links, changes of station included), then each city pair's minimum over its stations
   with the access minutes added at both ends. Every peer's matrix is checked equal to ours.
   The graph is built once, outside the timings, for every tool alike.
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
import pandas as pd

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


#: Each city's stations (their row in the station matrix) with the access minutes to each.
Cities = dict[str, list[tuple[int, float]]]


def station_problem(ds: bg.Dataset) -> tuple[list[str], pd.DataFrame, Cities]:
    """Return the stations, their links (the fastest of parallel ones) and the cities."""
    nodes = ds.nodes
    stations = [str(n) for n in nodes.index[nodes["kind"] == "station"]]
    at = {s: i for i, s in enumerate(stations)}
    links = ds.links[ds.links["status"] == "open"]
    access = links[links["kind"] == "access"]
    rail = links[links["source"].isin(at) & links["target"].isin(at)]
    edges = pd.DataFrame(
        {
            "a": rail["source"].map(at).to_numpy(),
            "b": rail["target"].map(at).to_numpy(),
            "w": rail["minutes"].astype(float).to_numpy(),
        }
    )
    edges = edges.groupby(["a", "b"], as_index=False)["w"].min()
    cities: Cities = {}
    for p, s, m in zip(access["source"], access["target"], access["minutes"], strict=True):
        place, station = (str(p), str(s)) if str(p) not in at else (str(s), str(p))
        cities.setdefault(place, []).append((at[station], float(m)))
    return stations, edges, cities


def to_cities(D: np.ndarray, cities: Cities, order: list[str]) -> np.ndarray:
    """Return city x city minutes from station x station ones: the best station at each end."""
    rows = np.vstack([np.min([D[i] + m for i, m in cities[c]], axis=0) for c in order])
    out = np.column_stack([np.min([rows[:, j] + m for j, m in cities[c]], axis=0) for c in order])
    np.fill_diagonal(out, 0.0)
    return out


def peers(edges: pd.DataFrame, n: int) -> dict[str, Callable[[], np.ndarray]]:
    """Each installed tool's all-pairs station minutes, on the undirected station graph."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import dijkstra

    a, b, w = edges["a"].to_numpy(), edges["b"].to_numpy(), edges["w"].to_numpy()
    A = coo_array((w, (a, b)), shape=(n, n)).tocsr()
    out: dict[str, Callable[[], np.ndarray]] = {"scipy": lambda: dijkstra(A, directed=False)}
    try:
        import igraph

        g = igraph.Graph(n=n, edges=list(zip(a.tolist(), b.tolist(), strict=True)))
        out["igraph"] = lambda: np.asarray(g.distances(weights=w.tolist()), dtype=float)
    except ImportError:
        pass
    try:
        with warnings.catch_warnings():  # networkit imports a deprecated IPython name
            warnings.simplefilter("ignore", DeprecationWarning)
            import networkit as nk

        nk.setNumberOfThreads(2)
        h = nk.Graph(n, weighted=True)
        for x, y, z in zip(a.tolist(), b.tolist(), w.tolist(), strict=True):
            h.addEdge(x, y, z)

        def nk_apsp() -> np.ndarray:
            apsp = nk.distance.APSP(h)
            apsp.run()
            D = np.asarray(apsp.getDistances(), dtype=float)
            D[D > 1e300] = np.inf
            return D

        out["networkit (2 threads)"] = nk_apsp
    except ImportError:
        pass
    return out


def bench_matrix(runs: int) -> list[dict[str, Any]]:
    ds = bg.load_dataset("cn-rail-2023")
    G = bg.rail_graph(ds)
    stations, edges, cities = station_problem(ds)
    ours_s, ours = median_time(lambda: bg.travel_time_matrix(G), runs)
    order = [str(c) for c in ours.index]
    task = f"city matrix {len(order)} x {len(order)} (cn-rail-2023)"
    rows = [{"task": task, "tool": "belt-graph", "seconds": ours_s, "ratio": 1.0}]
    for name, f in peers(edges, len(stations)).items():
        secs, got = median_time(lambda f=f: to_cities(f(), cities, order), runs)
        assert np.array_equal(got, ours.to_numpy()), name  # the same answer, to the minute
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
