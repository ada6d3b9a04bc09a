"""belt_graph.dataset.scenario_files: bad scenario rows are located."""

from __future__ import annotations

from pathlib import Path

import pytest

import belt_graph as bg


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("add_link,A,A,x,rail,10,", "column 'target': a link must join two different nodes"),
        ("add_link,A,B,x,teleport,10,", "column 'mode': unknown mode 'teleport'"),
    ],
)
def test_bad_scenario_rows(tmp_path: Path, row: str, message: str) -> None:
    f = tmp_path / "s.csv"
    f.write_text("op,source,target,line,mode,minutes,factor\n" + row + "\n")
    with pytest.raises(bg.ScenarioError, match=message):
        bg.read_scenario(f)
