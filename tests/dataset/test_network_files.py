"""The network's files read into plain rows: the same faults as the tables, values remembered."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from belt_graph.dataset.network_files import load_network
from belt_graph.errors import DataFileError

NODES = """id,name,kind,place,lat,lon
P,P,city,,31,121
s1,s1,station,P,31,121
s2,s2,station,,31,121
s3,s3,station,,31,121
"""


def _folder(tmp_path: Path, links: str) -> Path:
    (tmp_path / "nodes.csv").write_text(NODES, encoding="utf-8")
    (tmp_path / "links.csv").write_text(links, encoding="utf-8")
    return tmp_path


def test_a_value_read_once_is_checked_again_under_another_rule(tmp_path: Path) -> None:
    """0 minutes is good on an access link and bad on a track link; a bad value every time."""
    links = (
        "source,target,minutes,mode,status,kind,minutes_2020\n"
        "P,s1,0,walk,open,access,0\n"  # line 2: free access, good
        "s1,s2,0,rail,open,track,\n"  # line 3: the same text, now bad
        "s2,s3,x,rail,open,track,\n"  # line 4: bad
        "s1,s3,x,rail,open,track,\n"  # line 5: the same bad text, reported again
        "s1,s2,12,rail,open,track,12\n"  # line 6: good twice
        "s2,s3,12,rail,open,track,12.5\n"  # line 7
    )
    with pytest.raises(DataFileError) as caught:
        load_network(_folder(tmp_path, links))
    faults = [(p.line, p.column) for p in caught.value.problems]
    assert faults == [(3, "minutes"), (4, "minutes"), (5, "minutes")]


def test_good_values_are_numbers_on_every_row(tmp_path: Path) -> None:
    links = (
        "source,target,minutes,mode,status,kind,minutes_2020\n"
        "P,s1,0,walk,open,access,\n"
        "s1,s2,12,rail,open,track,12\n"
        "s2,s3,12,rail,open,track,\n"
        "s1,s3,12.5,rail,planned,,12\n"
    )
    network = load_network(_folder(tmp_path, links))
    got = [(r["minutes"], r["minutes_2020"]) for r in network.links]
    assert got[:2] == [(0.0, got[0][1]), (12.0, 12.0)] and math.isnan(got[0][1])
    assert got[2][0] == 12.0 and math.isnan(got[2][1])
    assert got[3] == (12.5, 12.0)
    assert [r["_line"] for r in network.links] == [2, 3, 4, 5]
