"""belt_graph.summary: the dataset summary in the data's own words (issue 39)."""

from __future__ import annotations

import belt_graph as bg


def test_a_bus_feeds_summary_speaks_of_buses_and_stops(cairns: bg.Dataset) -> None:
    text = bg.dataset_summary(cairns)
    assert "bus network (open links)" in text and "buses" in text and " stops" in text
    for word in ("rail network", "trains", "stations", "track by line"):
        assert word not in text, word
    assert "(416 stop)" in text


def test_the_belts_summary_still_speaks_of_rail() -> None:
    text = bg.dataset_summary(bg.load_dataset())
    assert "rail network (open links)" in text and "track by line:" in text
    assert "stations: 60 (54 of a place, 6 of none)" in text
