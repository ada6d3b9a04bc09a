"""The whole report on the large national network, timed.

    python benchmarks/bench_report.py            # cn-rail-2021, 3 runs
    python benchmarks/bench_report.py --runs 1 --data cn-rail-2020

Each run is ``belt-graph report --data cn-rail-2021`` in a fresh process (so imports and the
compiled engine's loading count, as for a user), writing to a temporary folder. The median of the
runs is printed. To compare with an older version, run the same command from that version's
checkout (``benchmarks/README.md`` records both).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="cn-rail-2021")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.runs):
            out = Path(tmp) / f"r{k}"
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "belt_graph", "report", "--data", args.data, "-o", str(out),
                 "-q"],
                check=True,
                env=env,
            )  # fmt: skip
            times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(f"belt-graph report --data {args.data}: median {median:.1f} s of {args.runs} runs "
          f"({', '.join(f'{t:.1f}' for t in times)})")  # fmt: skip
    return median


if __name__ == "__main__":
    main()
