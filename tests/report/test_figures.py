"""belt_graph.report.figures: every diagram kind renders."""

from __future__ import annotations

import belt_graph as bg
from belt_graph import plot
from belt_graph.report import draw_kind


def test_all_kinds_render(toy: bg.Dataset, tmp_path) -> None:
    for kind in ("map", "reach", "traveltime", "matrix", "centrality", "sectors", "scenario"):
        fig = draw_kind(toy, kind)
        plot.save_figure(fig, tmp_path / f"{kind}.png")
        assert (tmp_path / f"{kind}.png").stat().st_size > 5000


_EVERY_KIND = """
import hashlib, io
import matplotlib
matplotlib.use("Agg")
from belt_graph import load_dataset
from belt_graph.report.figures import DRAW_KINDS, draw_kind
from belt_graph.report.results import Results
ds = load_dataset()
r = Results(ds)
for kind in DRAW_KINDS:
    if kind in ("timetable", "window", "day"):
        continue  # the belt has no timetable
    out = io.BytesIO()
    draw_kind(ds, kind, results=r).savefig(out, format="png", dpi=50)
    print(kind, hashlib.sha256(out.getvalue()).hexdigest())
"""


def test_every_figure_is_the_same_whatever_the_hash_seed():
    # the fastest routes were drawn in a set's order: the belt's reach map changed pixels from
    # one run to the next (string hashes are seeded per process)
    import os
    import subprocess
    import sys

    def draw(seed: str) -> list[str]:
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "Agg"}
        done = subprocess.run(
            [sys.executable, "-c", _EVERY_KIND], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.splitlines()

    first, second = draw("1"), draw("2")
    assert len(first) == len(bg.report.figures.DRAW_KINDS) - 3 >= 10
    assert first == second
