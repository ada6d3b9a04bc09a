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
