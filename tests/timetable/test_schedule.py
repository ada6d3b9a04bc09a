"""belt_graph.timetable.schedule: clock times."""

from __future__ import annotations

import belt_graph as bg


def test_format_clock() -> None:
    assert [bg.format_clock(m) for m in (0, 59.6, 1439, 1440, 2 * 1440 + 61)] == [
        "00:00",
        "01:00",
        "23:59",
        "00:00+1",
        "01:01+2",
    ]
