"""belt_graph.dataset.load: every problem of a dataset reported at once, located."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import belt_graph as bg
from belt_graph.errors import DataFileError
from tests.helpers import TEST_DATA, problems_of, toy_copy

BROKEN = TEST_DATA / "broken"


def test_broken_dataset_reports_every_problem() -> None:
    with pytest.raises(DataFileError) as info:
        bg.load_dataset(BROKEN)
    text = str(info.value)
    expected = [
        "nodes.csv:3: column 'id': duplicate id 'A' (first on line 2)",
        "nodes.csv:4: column 'kind': unknown value 'town'",
        "nodes.csv:4: column 'lat': 95.0 is outside the plausible range -90 to 90",
        "nodes.csv:4: column 'population': expected a number, got 'abc'",
        "links.csv:2: column 'minutes': expected a positive number, got 'n/a'",
        "links.csv:3: column 'target': unknown node 'Z'",
        "links.csv:3: column 'status': unknown value 'maybe'",
        "links.csv:3: column 'mode': unknown value 'teleport'",
        "partnerships.csv:2: column 'signed_on': expected a date YYYY-MM-DD, got '2025-02-30'",
    ]
    for e in expected:
        assert e in text
    assert len(info.value.problems) == len(expected)


def test_missing_folder_file_and_column(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="dataset folder not found"):
        bg.load_dataset(tmp_path / "nope")
    (tmp_path / "nodes.csv").write_text("id,name,kind,lat\nA,A,city,1\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        bg.load_dataset(tmp_path)
    text = str(info.value)
    assert "nodes.csv:1: column 'lon': required column is missing" in text
    assert "links.csv: file not found" in text


def test_empty_and_undecodable_files(tmp_path: Path) -> None:
    shutil.copytree(bg.toy_path(), tmp_path / "d")
    (tmp_path / "d" / "links.csv").write_bytes(b"")
    (tmp_path / "d" / "sectors.csv").write_bytes(
        b"node,sector,evidence,source_ref\nA,\xff\xfe,x,y\n"
    )
    with pytest.raises(DataFileError) as info:
        bg.load_dataset(tmp_path / "d")
    text = str(info.value)
    assert "links.csv: file is empty" in text
    assert "sectors.csv:2: not valid UTF-8" in text


def test_extra_columns_kept_and_optional_files_absent(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "nodes.csv").write_text(
        "id,name,kind,lat,lon,colour\nA,A,city,1,2,red\nB,B,city,1,3,blue\n"
    )
    (d / "links.csv").write_text(
        "source,target,minutes,mode,line,status,source_ref,data_year\nA,B,5,rail,x,open,s,2020\n"
    )
    ds = bg.load_dataset(d)
    assert ds.nodes.loc["A", "colour"] == "red"
    assert ds.sectors.empty and ds.partnerships.empty and ds.scenarios == {}


def test_load_does_not_depend_on_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert len(bg.load_dataset().nodes) == 68


def test_header_only_links_gives_empty_network(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "nodes.csv").write_text("id,name,kind,lat,lon\nA,A,city,1,2\n")
    (d / "links.csv").write_text("source,target,minutes,mode,line,status,source_ref,data_year\n")
    ds = bg.load_dataset(d)
    assert ds.links.empty
    G = bg.rail_graph(ds)
    assert list(G.nodes) == ["A"] and G.number_of_edges() == 0


def test_a_dot_dataset_is_named_after_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = toy_copy(tmp_path, "my-alliance")
    monkeypatch.chdir(folder)
    assert bg.load_dataset(".").name == "my-alliance"


def test_a_dataset_s_own_scenarios_are_checked_at_load(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"scenarios__open_gold.csv": "op,line\nopen_planned,purple\n"})
    assert "open_gold.csv:2: column 'line': no planned links on 'purple'" in problems_of(folder)
