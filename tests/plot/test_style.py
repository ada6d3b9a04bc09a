"""belt_graph.plot._style: Chinese labels with and without a CJK font."""

from __future__ import annotations

import pytest

import belt_graph as bg
from belt_graph import plot


def test_zh_labels_fall_back_without_cjk_font(
    belt: bg.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    # patch where label() looks the font up, not the re-export: the test must hold on a
    # machine that has a CJK font installed too
    from belt_graph.plot import _style

    monkeypatch.setattr(_style, "cjk_font", lambda: None)
    _fig, ax = plot.plot_map(belt, labels="zh")
    assert "Nanjing" in {t.get_text() for t in ax.texts}


@pytest.mark.skipif(plot.cjk_font() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_zh_labels_with_cjk_font(belt: bg.Dataset) -> None:
    fig, ax = plot.plot_map(belt, labels="both")
    texts = {t.get_text() for t in ax.texts}
    assert "Nanjing\n南京市" in texts
    fig.canvas.draw()  # filterwarnings=error: a missing glyph would fail here
