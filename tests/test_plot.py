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


@pytest.mark.skipif(plot.cjk_font() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_zh_labels_with_cjk_font(belt: bg.Dataset) -> None:
    fig, ax = plot.plot_map(belt, labels="both")
    texts = {t.get_text() for t in ax.texts}
    assert "Nanjing\n南京市" in texts
    fig.canvas.draw()  # filterwarnings=error: a missing glyph would fail here


def test_attribution_comes_from_the_dataset(belt: bg.Dataset, toy: bg.Dataset) -> None:
    _, ax = plot.plot_map(belt)
    assert any("OpenStreetMap" in t.get_text() for t in ax.texts)
    _, ax = plot.plot_map(toy)
    texts = [t.get_text() for t in ax.texts]
    assert "Data: toy dataset (toy/)." in texts
    assert not any("OpenStreetMap" in t for t in texts)


@pytest.mark.parametrize(
    ("width_km", "expected"), [(300, 50.0), (4000, 500.0), (12, 2.0), (9, 1.0)]
)
def test_scale_bar_length(width_km: float, expected: float) -> None:
    assert plot.nice_length_km(width_km) == expected


def test_scale_bar_drawn(toy: bg.Dataset) -> None:
    _, ax = plot.plot_map(toy)
    assert [ln.get_gid() for ln in ax.lines].count("scalebar") == 1
    assert "10 km" in {t.get_text() for t in ax.texts}


def test_map_colour_by_metric(belt: bg.Dataset) -> None:
    c = bg.centrality(bg.rail_graph(belt))
    fig, _ = plot.plot_map(belt, color_by=c["accessibility"], color_label="accessibility (persons)")
    assert any(a.get_ylabel() == "accessibility (persons)" for a in fig.axes)


def test_travel_time_map_positions(toy: bg.Dataset) -> None:
    _, ax = plot.plot_travel_time_map(toy, "A")
    # B is due east of A at 20 min: drawn at (20, 0)
    offsets = ax.collections[0].get_offsets()
    assert any(abs(x - 20) < 1e-9 and abs(y) < 1e-9 for x, y in offsets)
