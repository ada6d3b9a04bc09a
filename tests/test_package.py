"""Packaging and derived data: the wheel ships every module and dataset; the build scripts
rebuild the datasets byte for byte."""

from __future__ import annotations

import filecmp
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow


@pytest.mark.xdist_group("wheel")
def test_wheel_contains_bundled_dataset(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in (
        "nodes.csv",
        "links.csv",
        "sectors.csv",
        "partnerships.csv",
        "README.md",
        "context.geojson",
        "scenarios/north_yangtze_hsr.csv",
    ):
        assert f"belt_graph/_bundled/{f}" in names
    assert "belt_graph/py.typed" in names and "belt_graph/toy/nodes.csv" in names
    # every module of the source tree, and no other (a stale build/ folder once shipped an old
    # plot.py while the plot package was missing)
    source = {str(p.relative_to(ROOT)) for p in (ROOT / "belt_graph").rglob("*.py")}
    shipped = {n for n in names if n.endswith(".py")}
    assert shipped == source, (shipped - source, source - shipped)
    # the national datasets work by name after a plain install
    for folder in ("cn_rail_2020", "cn_rail_2021", "cn_rail_2023"):
        for f in ("nodes.csv", "links.csv", "places.csv", "README.md", "attribution.txt"):
            assert f"belt_graph/_datasets/{folder}/{f}" in names
    assert "belt_graph/_datasets/cn_rail_2020/timetable.csv" in names


def test_national_build_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "data" / "build_national.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    for folder in ("cn-rail-2020", "cn-rail-2021", "cn-rail-2023"):
        for name in (
            "nodes.csv", "links.csv", "places.csv", "timetable.csv", "id_changes.csv",
            "metadata.csv",
        ):  # fmt: skip
            built = tmp_path / folder / name
            # every network says its year and access rule (metadata.csv); only 2020 is timed
            if name == "timetable.csv" and folder != "cn-rail-2020":
                assert not built.exists()
                continue
            assert filecmp.cmp(built, ROOT / "data" / folder / name, shallow=False), built


def test_derivation_script_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "data" / "build_belt.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    for name in ("nodes.csv", "links.csv", "sectors.csv", "metadata.csv"):
        assert filecmp.cmp(tmp_path / name, ROOT / "data" / "belt" / name, shallow=False), name


def test_sector_measures_rebuild_byte_for_byte(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "data" / "build_sectors.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    for folder in ("belt", "cn-rail-2020", "cn-rail-2021", "cn-rail-2023"):
        built = tmp_path / folder / "sector_measures.csv"
        assert filecmp.cmp(built, ROOT / "data" / folder / "sector_measures.csv", shallow=False)
