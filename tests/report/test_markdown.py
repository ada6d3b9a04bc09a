"""belt_graph.report.markdown: table numbers read as written by hand."""

from __future__ import annotations


def test_table_numbers_read_as_written_by_hand() -> None:
    from belt_graph.report.tables import _cell

    assert [_cell(v, "hours")[0] for v in (0.5, 1.0, 1.5)] == ["0.5", "1", "1.5"]
    assert _cell(48.714, "mean_minutes_service")[0] == "48.71"
    assert _cell(0.0205279, "closeness_service")[0] == "0.021"
    assert _cell(0.0001, "closeness_service")[0] == "0.0001"  # tiny, not zero
    assert _cell(12_987_000.0, "population")[0] == "12,987,000"
    assert _cell(0.27, "population_share")[0] == "27%"


def test_a_places_note_is_said_once_under_the_listed_table() -> None:
    import pandas as pd

    from belt_graph.report.markdown import _listed_section

    note = "Shanghai's profile; agriculture left out"
    t = pd.DataFrame(
        {
            "place": ["Putuo", "Putuo", "Wuxi", "Wuxi"],
            "sector": ["software", "R&D", "chips", "new energy"],
            "family": ["it", "research", "it", "energy"],
            "section": ["I", "M", "C", ""],
            "lq": [2.59, 2.25, 2.1, float("nan")],
            "specialised": [True, True, True, None],
            "note": [note, note, "", ""],
        }
    )
    lines = _listed_section(t, lambda p: p)
    text = "\n".join(lines)
    assert text.count(note) == 1 and "- Putuo: Shanghai's profile" in text
    header = next(line for line in lines if line.startswith("| name"))
    assert "note" not in header and "| sector |" in header
    assert "3 of 3 listed industries" in text and "1 listed industries that span" in text
