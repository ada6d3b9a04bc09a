from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

import belt_graph as bg
from belt_graph import plot


@pytest.fixture(autouse=True)
def _close() -> None:
    yield
    plt.close("all")


def test_map_content(belt: bg.Dataset) -> None:
    _fig, ax = plot.plot_map(belt)
    texts = {t.get_text() for t in ax.texts}
    assert {"Nanjing", "Putuo", "Taizhou"} <= texts
    links = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("link:")]
    dashed = [ln for ln in links if ln.get_linestyle() == "--"]
    assert len(dashed) == 4  # the four planned North-Yangtze links
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Beijing-Shanghai HSR" in legend and "planned" in legend
    assert ax.get_aspect() == pytest.approx(1 / 0.853, rel=0.02)  # 1 / cos(~31.5°)


def test_reach_map_bands(toy: bg.Dataset) -> None:
    _fig, ax = plot.plot_reach(toy, "A")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:4] == ["≤ 0.5 h", "≤ 1 h", "≤ 2 h", "> 2 h"]
    assert any(t.get_text().startswith("Delta 65") for t in ax.texts)


def test_matrix_heatmap_annotations(toy: bg.Dataset) -> None:
    m = bg.travel_time_matrix(bg.rail_graph(toy))
    _fig, ax = plot.plot_matrix(m)
    assert sorted(t.get_text() for t in ax.texts if t.get_text() != "0") == sorted(
        ["20", "25", "65", "20", "45", "85", "25", "45", "40", "65", "85", "40"]
    )


def test_all_kinds_render(toy: bg.Dataset, tmp_path) -> None:
    for kind in ("map", "reach", "traveltime", "matrix", "centrality", "sectors", "scenario"):
        fig = plot.draw_kind(toy, kind)
        plot.save_figure(fig, tmp_path / f"{kind}.png")
        assert (tmp_path / f"{kind}.png").stat().st_size > 5000


def test_zh_labels_fall_back_without_cjk_font(
    belt: bg.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plot, "cjk_font", lambda: None)
    _fig, ax = plot.plot_map(belt, labels="zh")
    assert "Nanjing" in {t.get_text() for t in ax.texts}
