"""This checkout against an older version of belt-graph: the same commands, timed in one run.

    python benchmarks/bench_versions.py --base b6ad021            # 3 rounds
    python benchmarks/bench_versions.py --base HEAD~3 --rounds 5 --only matrix

The older version is checked out with ``git worktree`` into a temporary folder and run from
there (``PYTHONPATH``), so both use the same installed dependencies. Each command runs in a fresh
process (imports and the compiled engine's loading count, as for a user), the two versions
interleaved round by round so that a slow stretch of the machine hits both; the median of the
rounds is printed with the ratio new / old. Each version answers on its own bundled data: the
question is what a user of each version waits for.
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

ROOT = Path(__file__).resolve().parents[1]

#: name -> the command's arguments after ``belt-graph``; ``{out}`` is a fresh output path.
COMMANDS: dict[str, list[str]] = {
    "matrix belt": ["matrix", "-q", "--output", "{out}.csv"],
    "matrix cn-rail-2021": ["matrix", "-q", "--data", "cn-rail-2021", "--output", "{out}.npz"],
    "matrix cn-rail-2023": ["matrix", "-q", "--data", "cn-rail-2023", "--output", "{out}.npz"],
    "report belt": ["report", "-q", "-o", "{out}"],
    "report cn-rail-2021": ["report", "-q", "--data", "cn-rail-2021", "-o", "{out}"],
}


def _run(source: Path, args: list[str], out: Path) -> float:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(source)}
    argv = [a.replace("{out}", str(out)) for a in args]
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "belt_graph", *argv], check=True, env=env, cwd=source,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> dict[str, tuple[float, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the older version: a git commit or tag")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the commands whose name has this")
    args = parser.parse_args(argv)
    chosen = {k: v for k, v in COMMANDS.items() if args.only in k}
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(base), args.base],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for c, (name, command) in enumerate(chosen.items()):
                old: list[float] = []
                new: list[float] = []
                for k in range(args.rounds):
                    old.append(_run(base, command, Path(tmp) / f"old-{c}-{k}"))
                    new.append(_run(ROOT, command, Path(tmp) / f"new-{c}-{k}"))
                o, n = statistics.median(old), statistics.median(new)
                results[name] = (o, n)
                print(f"{name:22s} {args.base}: {o:6.2f} s   this checkout: {n:6.2f} s   "
                      f"new / old {n / o:.2f}", flush=True)  # fmt: skip
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)], check=False, cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
    return results


if __name__ == "__main__":
    main()
