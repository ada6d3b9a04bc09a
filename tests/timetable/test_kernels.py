"""belt_graph.timetable._kernels: the compiled engine equals the reference scan."""

from __future__ import annotations

import io
import itertools
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.dataset import parse_clock
from belt_graph.timetable import (
    build_connections,
    engine_available,
)
from tests.helpers import PLACE, networks

pytestmark = pytest.mark.skipif(not engine_available(), reason="numba is a test dependency")


@settings(max_examples=150, deadline=None)
@given(networks(), st.sampled_from(["A", "C", "P"]), st.integers(0, 1439), st.integers(0, 20))
def test_engine_equals_the_reference_scan(
    net: tuple[pd.DataFrame, pd.DataFrame, dict[str, float]],
    origin: str,
    depart: int,
    default_change: int,
) -> None:
    tt, walks, change = net
    c = build_connections(tt, walks, change, {PLACE})
    if origin not in c.stations:
        return
    kw = {"min_transfer_minutes": default_change, "max_minutes": 1440.0}
    fast = bg.earliest_arrival(c, origin, depart, engine="fast", **kw)
    ref = bg.earliest_arrival(c, origin, depart, engine="reference", **kw)
    assert fast.to_dict() == ref.to_dict()
    for node, arrival in fast.items():
        if node == origin or math.isinf(arrival):
            continue
        j = bg.timetable_commute(
            c,
            origin,
            node,
            depart,
            min_transfer_minutes=default_change,
            max_hours=24,
            engine="fast",
        )
        assert j.arrival == arrival
        legs = j.legs.to_dict("records")
        assert legs[0]["from"] == origin and legs[-1]["to"] == node
        for prev, nxt in itertools.pairwise(legs):
            assert prev["to"] == nxt["from"] and nxt["departure"] >= prev["arrival"]
            if prev["train"] and nxt["train"]:
                assert nxt["departure"] >= prev["arrival"] + change.get(prev["to"], default_change)


def test_engine_equals_the_reference_on_the_national_timetable(national: bg.Dataset) -> None:
    c = bg.connections(national)
    for origin, depart in (("AOH", "08:00"), ("VNP", "23:50"), ("HUL", "06:00"), ("KMM", "00:00")):
        t = parse_clock(depart)
        fast = bg.earliest_arrival(c, origin, t, engine="fast")
        ref = bg.earliest_arrival(c, origin, t, engine="reference")
        assert fast.equals(ref), origin
        a = bg.timetable_reach(c, origin, 6, t, engine="fast")
        b = bg.timetable_reach(c, origin, 6, t, engine="reference")
        pd.testing.assert_frame_equal(a, b)


def test_without_numba_the_reference_scan_answers(tmp_path: Path) -> None:
    env = {**os.environ, "BELT_GRAPH_NO_NUMBA": "1"}
    code = (
        "import belt_graph as bg; from belt_graph.timetable import engine_available; "
        "c = bg.connections(bg.load_dataset('cn-rail-2020')); "
        "print(engine_available(), bg.timetable_commute(c, 'AOH', 'VNP', 480).minutes)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stdout.split() == ["False", "264.0"], r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "belt_graph", "accessibility", "--data", "cn-rail-2020",
         "--origin", "AOH", "--window", "07:00-07:10"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    # the sweep still answers, on the reference scan, and says how to get the fast engine
    assert r.returncode == 0, r.stderr
    assert 'pip install "belt-graph[fast]"' in r.stderr and "Traceback" not in r.stderr
    # one row per city (issue 22), the origin station's own city included
    cities = len(bg.place_ids(bg.load_dataset("cn-rail-2020").nodes))
    assert len(pd.read_csv(io.StringIO(r.stdout), sep=r"\s{2,}", engine="python")) == cities
