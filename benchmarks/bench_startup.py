"""Start-up of a table command against the bare imports it cannot avoid, in one run.

    python benchmarks/bench_startup.py [--runs 15]

Times ``belt-graph reach Putuo --hours 1`` (through ``python -m belt_graph`` so that the same
interpreter runs both) and ``python -c "import networkx, pandas, click, scipy.sparse.csgraph"``
(the belt is a network of services since issue 23: its journeys are searched with scipy's
Dijkstra), alternating the two, and prints the median of each and their ratio. The target is a
ratio of at most 1.5.

Also ``belt-graph --help`` against ``python -c "import click"``, the one library help needs
(issue 26: help must not import pandas).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BASELINE = [sys.executable, "-c", "import networkx, pandas, click, scipy.sparse.csgraph"]
COMMAND = [sys.executable, "-m", "belt_graph", "reach", "Putuo", "--hours", "1"]
HELP_BASELINE = [sys.executable, "-c", "import click"]
HELP = [sys.executable, "-m", "belt_graph", "--help"]


def _once(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    for cmd in (BASELINE, COMMAND, HELP_BASELINE, HELP):
        _once(cmd)  # warm the file cache
    times: dict[str, list[float]] = {"base": [], "cmd": [], "help_base": [], "help": []}
    for _ in range(args.runs):
        times["base"].append(_once(BASELINE))
        times["cmd"].append(_once(COMMAND))
        times["help_base"].append(_once(HELP_BASELINE))
        times["help"].append(_once(HELP))
    b, c = statistics.median(times["base"]), statistics.median(times["cmd"])
    hb, h = statistics.median(times["help_base"]), statistics.median(times["help"])
    ratio = c / b
    print(f"import networkx, pandas, click, scipy.sparse.csgraph: median {b * 1000:.0f} ms")
    print(f"belt-graph reach Putuo --hours 1: median {c * 1000:.0f} ms over {args.runs} runs")
    print(f"ratio {ratio:.2f} (target <= 1.5)")
    print(f"import click: median {hb * 1000:.0f} ms; belt-graph --help: median {h * 1000:.0f} ms")
    print(f"help ratio {h / hb:.2f}")
    return ratio


if __name__ == "__main__":
    main()
