"""belt_graph.dataset.paths: datasets by name, from a checkout and from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli


def test_datasets_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert bg.load_dataset("cn-rail-2020").name == "cn-rail-2020"
    r = CliRunner().invoke(cli, ["info", "--list"])
    assert r.exit_code == 0
    assert {"belt", "cn-rail-2020", "cn-rail-2021"} <= set(r.stdout.split())
    r = CliRunner().invoke(cli, ["info", "--data", "no-such-set"])
    assert r.exit_code == 1 and "datasets by name: belt, cn-rail-2020, cn-rail-2021" in r.output


@pytest.mark.slow
@pytest.mark.xdist_group("wheel")
def test_datasets_by_name_from_an_installed_wheel(tmp_path: Path, wheel: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import belt_graph as bg; "
        "ds = bg.load_dataset('cn-rail-2020'); print(ds.installed, len(ds.timetable))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(site)], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.stdout.split() == ["True", "35146"], out.stderr
