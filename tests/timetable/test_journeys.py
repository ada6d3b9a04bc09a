"""belt_graph.timetable.journeys: journeys and reach by departure time, the national timetable."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import belt_graph as bg
from belt_graph.timetable import build_connections
from tests.helpers import at, rules_timetable, tt_frame


def test_timetable_reach_includes_the_limit() -> None:
    tt = tt_frame([("T", 1, "N", math.nan, 480.0), ("T", 2, "Z", 603.0, math.nan)])
    assert "Z" in bg.timetable_reach(bg.connections(tt), "N", 2.05, 480).index


def test_hongqiao_to_beijing_south_at_eight(national: bg.Dataset) -> None:
    # data/raw/stop_times_keystations_2020.csv: G8 上海虹桥 08:00 -> 北京南 12:24 (nonstop
    # among key stations except 南京南 and 济南西)
    j = bg.timetable_commute(bg.connections(national), "AOH", "VNP", at("08:00"))
    assert j.legs["train"].tolist() == ["G8"] and j.minutes == 264.0


def test_timetable_never_beats_the_fastest_links(national: bg.Dataset) -> None:
    # every ride is at least the fastest ride on its link, so waiting can only add
    G = bg.rail_graph(national)
    c = bg.connections(national)
    for origin, depart in (("AOH", "08:00"), ("VNP", "18:30"), ("HUL", "06:00")):
        t = bg.timetable_vs_links(c, G, origin, 12, at(depart))
        assert (t["imposed_minutes"].dropna() >= -1e-9).all()
        assert t["link_minutes"].notna().all()


def test_change_of_station_walks_and_counts_its_minutes() -> None:
    # T1 A 08:00 -> B 08:30; walk B -> X (12 min); T2 X 08:45 -> C 09:15
    tt = rules_timetable(
        ("T1", [("A", "", "08:00"), ("B", "08:30", "")]),
        ("T2", [("X", "", "08:45"), ("C", "09:15", "")]),
    )
    walks = pd.DataFrame(
        [
            {"source": "B", "target": "X", "minutes": 12.0, "mode": "metro"},
            {"source": "X", "target": "B", "minutes": 12.0, "mode": "metro"},
        ]
    )
    c = build_connections(tt, walks)
    j = bg.timetable_commute(c, "A", "C", 7 * 60 + 50, min_transfer_minutes=30)
    assert j.legs[["train", "mode", "from", "to"]].values.tolist() == [
        ["T1", "rail", "A", "B"],
        ["", "metro", "B", "X"],
        ["T2", "rail", "X", "C"],
    ]
    # 10 min waiting at A, 30 + 30 on trains, 12 walking, 3 waiting at X
    assert (j.minutes, j.in_vehicle_minutes, j.walk_minutes, j.wait_minutes, j.changes) == (
        85.0,
        60.0,
        12.0,
        13.0,
        1,
    )
    # a walk of 16 min misses T2
    slow = walks.assign(minutes=16.0)
    with pytest.raises(bg.NoRouteError):
        bg.timetable_commute(build_connections(tt, slow), "A", "C", 470, max_hours=3)
