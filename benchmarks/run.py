"""Speed at scale: belt_graph's fast paths against plain NetworkX, measured in one run.

    python benchmarks/run.py                 # cn-rail-2021 and synthetic 2,000 / 10,000 nodes
    python benchmarks/run.py --quick         # small sizes, a smoke test (seconds)
    python benchmarks/run.py --json out.json # also write the results

Networks: the real ``data/cn-rail-2021`` (2,794 stations) and seeded synthetic rail-like networks
(:func:`belt_graph.synthetic.rail_like_network`). For each, in the same process:

- travel-time matrix: ``travel_time_array`` against ``dict(nx.all_pairs_dijkstra_path_length)``,
  and the peak memory of ours (tracemalloc) against the n x n float64 matrix;
- weighted closeness: ``closeness`` against ``nx.closeness_centrality(distance=...)``;
- reach with a cutoff: the search ``nearest_origin_dijkstra`` against
  ``nx.single_source_dijkstra_path_length(cutoff=...)`` (both return a dict of minutes), summed
  over 20 origins; then the whole ``reach`` call, which also builds its DataFrame;
- betweenness: ours and NetworkX's, exact up to ``BETWEENNESS_EXACT_UP_TO`` nodes and with 500
  sampled sources above; the sampling error against exact betweenness where exact is affordable;
- place-sector projection: ``sector_projection`` (sparse ``M @ M.T``) against
  ``nx.bipartite.weighted_projected_graph`` on a synthetic sector layer (every node a place with
  1-6 of ``max(400, n / 5)`` sectors);
- timetable (``data/cn-rail-2020``): a whole-network earliest-arrival query; the compiled engine
  against the reference (pure-Python) scan; the window sweep of every origin for every minute
  of 07:00-09:00 (321 x 321 x 121) on two processes.

Where NetworkX would take many minutes (all-pairs searches above 3,000 nodes) it is timed on 200
sampled sources and scaled to all n, marked ``est.``: each source's search is independent, so the
time is linear in the number of sources. Times are medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import belt_graph as bg
from belt_graph.centralities import BETWEENNESS_EXACT_UP_TO, BETWEENNESS_SAMPLE_SIZE
from belt_graph.dataset import rail_like_network, synthetic_sectors

ROOT = Path(__file__).resolve().parents[1]
FULL_NX_UP_TO = 3000
NX_SAMPLE = 200
W = "minutes"


def timed(f: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of ``repeat`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def timed_pair(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeat: int, min_seconds: float = 0.05
) -> tuple[float, float]:
    """Median seconds of ``ours`` and ``theirs``, run alternately (so drifts in machine load hit
    both alike), each sample looping until it lasts ``min_seconds``."""
    loops = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(loops):
            theirs()
        if time.perf_counter() - t0 >= min_seconds or loops >= 10_000:
            break
        loops *= 2
    a, b = [], []
    for _ in range(repeat):
        for f, out in ((ours, a), (theirs, b)):
            t0 = time.perf_counter()
            for _ in range(loops):
                f()
            out.append((time.perf_counter() - t0) / loops)
    return statistics.median(a), statistics.median(b)


def peak_bytes(f: Callable[[], Any]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        f()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class Table:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        network: str,
        task: str,
        ours: float,
        theirs: float | None,
        *,
        estimated: bool = False,
        target: float | None = None,
        note: str = "",
    ) -> None:
        ratio = theirs / ours if theirs is not None and ours > 0 else None
        ok = None if target is None or ratio is None else ratio >= target
        self.rows.append(
            {
                "network": network,
                "task": task,
                "belt_graph_s": ours,
                "networkx_s": theirs,
                "networkx_estimated": estimated,
                "ratio": ratio,
                "target": target,
                "ok": ok,
                "note": note,
            }
        )
        print(format_row(self.rows[-1]), flush=True)


def format_row(r: dict[str, Any]) -> str:
    """One printed line of the results table (4 significant digits for times)."""
    theirs = r["networkx_s"]
    est = " est." if r["networkx_estimated"] else ""
    nx_text = "" if theirs is None else f"{theirs:9.4g}{est}"
    ratio = r["ratio"]
    ratio_text = "" if ratio is None else f"{ratio:7.1f}x" if ratio >= 1 else f"{ratio:7.2g}x"
    target = r["target"]
    target_text = "" if target is None else f">= {target:g}x {'ok' if r['ok'] else 'MISSED'}"
    return (
        f"{r['network']:<16} {r['task']:<30} {r['belt_graph_s']:9.4g} {nx_text:<14} "
        f"{ratio_text:>8}  {target_text:<14} {r['note']}"
    ).rstrip()


def networks(args: argparse.Namespace) -> list[tuple[str, nx.Graph]]:
    out = []
    if not args.quick:
        ds = bg.load_dataset(ROOT / "data" / "cn-rail-2021")
        out.append(("cn-rail-2021", bg.rail_graph(ds)))
    for n in args.sizes:
        out.append((f"synthetic-{n}", rail_like_network(n, seed=args.seed)))
    return out


def bench_network(name: str, G: nx.Graph, t: Table, args: argparse.Namespace) -> None:
    n = G.number_of_nodes()
    repeat = args.repeat if n <= FULL_NX_UP_TO else 1
    rng = random.Random(args.seed)
    sample = rng.sample(list(G), min(NX_SAMPLE, n))

    # travel-time matrix
    ours, (ids, m) = timed(lambda: bg.travel_time_array(G, nodes=list(G)), repeat)
    if n <= FULL_NX_UP_TO:
        theirs, ref = timed(lambda: dict(nx.all_pairs_dijkstra_path_length(G, weight=W)), 1)
        est = False
    else:
        t0 = time.perf_counter()
        ref = {s: nx.single_source_dijkstra_path_length(G, s, weight=W) for s in sample}
        theirs, est = (time.perf_counter() - t0) * n / len(sample), True
    index = {v: i for i, v in enumerate(ids)}
    for s in sample[:20]:
        for v, d in ref[s].items():
            assert m[index[s], index[v]] == d, (s, v)
    del ref
    t.add(name, "travel-time matrix", ours, theirs, estimated=est, target=15)
    del m
    peak = peak_bytes(lambda: bg.travel_time_array(G, nodes=list(G)))
    t.add(
        name,
        "  peak memory / (n*n*8 bytes)",
        peak / (n * n * 8),
        None,
        note=f"{peak / 2**20:,.0f} MiB for n={n:,} (target <= 1.5)",
    )

    # closeness
    ours, c = timed(lambda: bg.closeness(G), repeat)
    if n <= FULL_NX_UP_TO:
        theirs, ref = timed(lambda: nx.closeness_centrality(G, distance=W), 1)
        est = False
    else:
        t0 = time.perf_counter()
        ref = {s: nx.closeness_centrality(G, u=s, distance=W) for s in sample}
        theirs, est = (time.perf_counter() - t0) * n / len(sample), True
    for s in sample[:50]:
        assert abs(c[s] - ref[s]) < 1e-12, s
    t.add(name, "weighted closeness", ours, theirs, estimated=est, target=15)

    # reach with a cutoff, summed over 20 origins, two budgets: the search against NetworkX's
    # (both return a dict of minutes), then the whole reach() table
    origins = sample[:20]
    for hours in (1.0, 3.0):
        ours, theirs = timed_pair(
            lambda h=hours: [bg.nearest_origin_dijkstra(G, [o], h * 60) for o in origins],
            lambda h=hours: [
                nx.single_source_dijkstra_path_length(G, o, cutoff=h * 60, weight=W)
                for o in origins
            ],
            max(5, args.repeat * 3),
        )
        reached = statistics.mean(len(bg.reach(G, o, hours)) for o in origins)
        t.add(
            name,
            f"reach search {hours:g} h (x20)",
            ours,
            theirs,
            target=1.0,
            note=f"{reached:,.0f} nodes reached on average",
        )
        table, theirs = timed_pair(
            lambda h=hours: [bg.reach(G, o, h) for o in origins],
            lambda h=hours: [
                nx.single_source_dijkstra_path_length(G, o, cutoff=h * 60, weight=W)
                for o in origins
            ],
            max(5, args.repeat * 3),
        )
        t.add(
            name,
            f"  reach() table {hours:g} h (x20)",
            table,
            theirs,
            note=f"the search plus {1000 * (table - ours) / len(origins):.2f} ms per call "
            "to build the DataFrame",
        )

    # betweenness
    k = None if n <= BETWEENNESS_EXACT_UP_TO else BETWEENNESS_SAMPLE_SIZE
    kind = "exact" if k is None else f"k={k} sample"
    if not args.quick or n <= 500:
        warm = nx.path_graph(3)
        nx.set_edge_attributes(warm, 1.0, W)
        bg.betweenness(warm)  # compile the engine first
        ours, mine = timed(lambda: bg.betweenness(G, k=k, seed=0), 1)
        theirs, ref = timed(lambda: nx.betweenness_centrality(G, k=k, weight=W, seed=0), 1)
        worst = max(abs(mine[v] - ref[v]) for v in G)
        assert worst < 1e-9, worst  # the same values as NetworkX
        t.add(
            name,
            f"betweenness ({kind})",
            ours,
            theirs,
            target=10 if k is None and n >= 2000 else None,
            note=f"max difference from NetworkX {worst:.1g}",
        )

    # place-sector projection
    B = synthetic_sectors(list(G), n_sectors=max(400, n // 5), seed=args.seed)
    places = [p for p, d in B.nodes(data="node_type") if d == "place"]
    ours, proj = timed(lambda: bg.sector_projection(B), repeat)
    theirs, P = timed(lambda: nx.bipartite.weighted_projected_graph(B, places), 1)
    assert len(proj) == P.number_of_edges()
    t.add(name, "place-sector projection", ours, theirs, note=f"{len(proj):,} place pairs")


def sampling_error(name: str, G: nx.Graph, t: Table) -> dict[str, float]:
    """Sampled (k=500) against exact betweenness: errors recorded in benchmarks/README.md."""
    t0 = time.perf_counter()
    exact = bg.betweenness(G)
    secs = time.perf_counter() - t0
    est = bg.betweenness(G, k=BETWEENNESS_SAMPLE_SIZE, seed=0)
    top = set(exact.nlargest(20).index)
    stats = {
        "max_abs_error": float((est - exact).abs().max()),
        "max_exact": float(exact.max()),
        "median_rel_error_top100": float(
            ((est - exact).abs() / exact)[exact.nlargest(100).index].median()
        ),
        "spearman": float(est.rank().corr(exact.rank())),
        "top20_overlap": len(top & set(est.nlargest(20).index)) / 20,
    }
    t.add(
        name,
        "betweenness exact (for error)",
        secs,
        None,
        note=", ".join(f"{k} {v:.3g}" for k, v in stats.items()),
    )
    return stats


def bench_timetable(t: Table, args: argparse.Namespace) -> None:
    ds = bg.load_dataset(ROOT / "data" / "cn-rail-2020")
    t0 = time.perf_counter()
    c = bg.connections(ds)
    t.add(
        "cn-rail-2020",
        "timetable -> connections",
        time.perf_counter() - t0,
        None,
        note=f"{len(c):,} connections",
    )
    rng = random.Random(args.seed)
    queries = [(rng.choice(c.stations), rng.uniform(0, 1440)) for _ in range(20)]
    ours, _ = timed(lambda: [bg.earliest_arrival(c, o, d) for o, d in queries], args.repeat)
    t.add(
        "cn-rail-2020",
        "earliest arrival, all stations",
        ours / len(queries),
        None,
        note="per query, whole network, 4-day horizon (target well under 1 s)",
    )
    ours, _ = timed(lambda: [bg.timetable_reach(c, o, 3, d) for o, d in queries], args.repeat)
    t.add("cn-rail-2020", "timetable reach 3 h", ours / len(queries), None, note="per query")
    from belt_graph.timetable import engine_available

    if not engine_available():
        print('(the compiled engine is not installed: pip install "belt-graph[fast]")')
        return
    # the compiled engine against the reference scan (the pure-Python scan of before)
    fast, _ = timed(
        lambda: [bg.earliest_arrival(c, o, d, engine="fast") for o, d in queries], args.repeat
    )
    ref, _ = timed(
        lambda: [bg.earliest_arrival(c, o, d, engine="reference") for o, d in queries], 1
    )
    t.add(
        "cn-rail-2020",
        "engine vs reference scan",
        fast / len(queries),
        ref / len(queries),
        target=25,
        note="per earliest-arrival query, whole network, 4-day horizon (target ~2 ms)",
    )
    from belt_graph.timetable import window_accessibility

    window = (7 * 60, 7 * 60 + 10) if args.quick else (7 * 60, 9 * 60)
    sweep, table = timed(
        lambda: window_accessibility(
            ds, window=window, step=1, percentiles=(5, 25, 50, 75, 95), workers=2
        ),
        1,
    )
    n_dep = int(table["departures"].iat[0])
    t.add(
        "cn-rail-2020",
        "window sweep, all origins",
        sweep,
        None,
        note=f"{table['origin'].nunique()} x {table['destination'].nunique()} x {n_dep} "
        "departures (07:00-09:00 every minute), 2 processes (target < 10 s)",
    )


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None, help="synthetic sizes (default 2000,10000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="small sizes, no real networks")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    default = "300" if args.quick else "2000,10000"
    args.sizes = [int(x) for x in (args.sizes or default).split(",")]
    if args.quick:
        args.repeat = 1
    print(
        f"belt_graph {bg.__version__}, networkx {nx.__version__}, numpy {np.__version__}, "
        f"python {sys.version.split()[0]}"
    )
    print(f"{'network':<16} {'task':<30} {'ours (s)':>9} {'networkx (s)':<14} {'ratio':>8}")
    t = Table()
    errors = {}
    for name, G in networks(args):
        print(f"--- {name}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
        bench_network(name, G, t, args)
        if not args.quick and G.number_of_nodes() <= FULL_NX_UP_TO:
            errors[name] = sampling_error(name, G, t)
    bench_timetable(t, args)
    missed = [r for r in t.rows if r["ok"] is False]
    memory = [r for r in t.rows if "peak memory" in r["task"]]
    print(
        f"\n{len(t.rows)} measurements; ratio targets missed: {len(missed)}; "
        f"worst memory ratio {max(r['belt_graph_s'] for r in memory):.2f} (target <= 1.5)"
    )
    if args.json:
        args.json.write_text(json.dumps({"rows": t.rows, "betweenness_errors": errors}, indent=2))
    return t.rows


if __name__ == "__main__":
    main()
