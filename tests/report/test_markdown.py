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
