"""Start-up of a table command against the bare imports it cannot avoid, in one run.

    python benchmarks/bench_startup.py [--runs 15]

Times ``belt-graph reach Putuo --hours 1`` (through ``python -m belt_graph`` so that the same
interpreter runs both) and ``python -c "import networkx, pandas, click"``, alternating the two,
and prints the median of each and their ratio. The target is a ratio of at most 1.5.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BASELINE = [sys.executable, "-c", "import networkx, pandas, click"]
COMMAND = [sys.executable, "-m", "belt_graph", "reach", "Putuo", "--hours", "1"]


def _once(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    _once(BASELINE), _once(COMMAND)  # warm the file cache
    base, cmd = [], []
    for _ in range(args.runs):
        base.append(_once(BASELINE))
        cmd.append(_once(COMMAND))
    b, c = statistics.median(base), statistics.median(cmd)
    ratio = c / b
    print(f"import networkx, pandas, click: median {b * 1000:.0f} ms over {args.runs} runs")
    print(f"belt-graph reach Putuo --hours 1: median {c * 1000:.0f} ms over {args.runs} runs")
    print(f"ratio {ratio:.2f} (target <= 1.5)")
    return ratio


if __name__ == "__main__":
    main()
