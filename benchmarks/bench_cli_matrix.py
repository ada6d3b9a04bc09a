"""``belt-graph matrix --output m.npz`` against the pandas + scipy script a user would write.

    python benchmarks/bench_cli_matrix.py [--runs 5] [--data cn-rail-2021]

For a network without services (changes are free; the script knows nothing of changes of
train), so ``cn-rail-2021``. Both run in fresh processes, alternating, from the same dataset
folder (``matrix_script.py``: read ``nodes.csv`` and ``links.csv`` with pandas, Dijkstra with
scipy, save an ``.npz``); the two matrices are checked equal. Prints the median wall time and
the peak resident memory of each (the process's own VmHWM; and that of its largest worker
process, where it forked some to search), and their ratios (script / command: above 1, the
command is faster or leaner; memory counts the main process).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# run a module or a script, then print the process's peak resident memory (KiB) to stderr
# (VmHWM: ru_maxrss keeps the parent's peak over exec, if it was larger)
# and the largest peak of its worker processes, if it forked any (ru_maxrss of the children
# that ended: the command's pool of searches ends before it does)
PEAK = (
    "import atexit, resource, runpy, sys\n"
    "def peak():\n"
    "    with open('/proc/self/status') as fh:\n"
    "        return next(x for x in fh if x.startswith('VmHWM:')).split()[1]\n"
    "def workers():\n"
    "    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "atexit.register(lambda: print('PEAK', peak(), workers(), file=sys.stderr))\n"
    "what, sys.argv = sys.argv[1], sys.argv[1:]\n"
    "runpy.run_module(what, run_name='__main__') if what == 'belt_graph' else "
    "runpy.run_path(what, run_name='__main__')\n"
)


def once(args: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak KiB and its workers' largest peak KiB (0: none) running ``args``."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(done.stderr)
    peak = [line.split()[1:] for line in done.stderr.splitlines() if line.startswith("PEAK")]
    return seconds, int(peak[-1][0]), int(peak[-1][1])


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", default="cn-rail-2021")
    args = parser.parse_args(argv)
    import belt_graph as bg

    folder = bg.load_dataset(args.data).path
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = Path(tmp) / "ours.npz", Path(tmp) / "script.npz"
        command = ["belt_graph", "matrix", "--data", str(folder), "--output", str(ours)]
        command += ["--force"]
        script = [str(ROOT / "benchmarks" / "matrix_script.py"), str(folder), str(theirs)]
        once(command), once(script)  # warm the file cache and numba's
        runs: dict[str, list[tuple[float, int, int]]] = {"command": [], "script": []}
        for _ in range(args.runs):
            runs["command"].append(once(command))
            runs["script"].append(once(script))
        a, b = np.load(ours), np.load(theirs)
        order = {str(n): i for i, n in enumerate(b["nodes"])}
        pick = [order[str(n)] for n in a["nodes"]]
        if not np.allclose(a["minutes"], b["minutes"][np.ix_(pick, pick)], equal_nan=True):
            raise SystemExit("the command's matrix differs from the script's")
    t = {k: statistics.median(s for s, _, _ in v) for k, v in runs.items()}
    m = {k: statistics.median(p for _, p, _ in v) for k, v in runs.items()}
    w = {k: statistics.median(x for _, _, x in v) for k, v in runs.items()}
    n = len(a["nodes"])
    print(f"{n:,} x {n:,} matrix of {args.data}, fresh processes, medians of {args.runs}")
    for key, label in (
        ("command", "belt-graph matrix --output"),
        ("script", "pandas + scipy script"),
    ):
        more = f"  (each worker process at most {w[key] / 1024:.0f} MiB)" if w[key] else ""
        print(f"  {label:<26}  {t[key]:6.3f} s  {m[key] / 1024:6.0f} MiB{more}")
    ratio, memory = t["script"] / t["command"], m["script"] / m["command"]
    print(f"  ratio (script / command)    time {ratio:.2f}, memory {memory:.2f}")
    return {"time_ratio": ratio, "memory_ratio": memory}


if __name__ == "__main__":
    main()
