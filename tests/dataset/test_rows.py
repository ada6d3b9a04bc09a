"""belt_graph.dataset._rows: problems in line order, a long list cut with its count."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import HEADER, problems_of, toy_copy


def test_a_long_list_of_problems_says_it_is_cut(tmp_path: Path) -> None:
    links = HEADER + "".join(f"A,B,x{i},rail,red,open,x,2025\n" for i in range(500))
    text = problems_of(toy_copy(tmp_path, **{"links.csv": links}))
    assert text.startswith("500 problems in links.csv (the first 200 are listed):")
    lines = [int(x.split(".csv:")[1].split(":")[0]) for x in text.splitlines()[1:]]
    assert lines == sorted(lines) and len(lines) == 200


def test_problems_come_in_line_order(tmp_path: Path) -> None:
    tt = "train,sequence,station,arrival,departure\nT,1,A,,08:00\nT,1,B,09:00,\nT,2,Q,10:00,\n"
    text = problems_of(toy_copy(tmp_path, **{"timetable.csv": tt}))
    lines = [int(x.split(".csv:")[1].split(":")[0]) for x in text.splitlines()[1:]]
    assert lines == sorted(lines)
