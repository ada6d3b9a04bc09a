from __future__ import annotations

import ast
import filecmp
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_bundled_dataset(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("belt_graph-*.whl"))
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
    for folder in ("cn_rail_2020", "cn_rail_2021"):
        for f in ("nodes.csv", "links.csv", "README.md", "attribution.txt"):
            assert f"belt_graph/_datasets/{folder}/{f}" in names
    assert "belt_graph/_datasets/cn_rail_2020/timetable.csv" in names


def test_national_build_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "data" / "build_national.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    for folder in ("cn-rail-2020", "cn-rail-2021"):
        for name in ("nodes.csv", "links.csv", "timetable.csv", "id_changes.csv", "metadata.csv"):
            built = tmp_path / folder / name
            if name in ("timetable.csv", "metadata.csv") and folder == "cn-rail-2021":
                assert not built.exists()
                continue
            assert filecmp.cmp(built, ROOT / "data" / folder / name, shallow=False), built


def _units() -> dict[str, list[Path]]:
    """Each top-level module, or subpackage, of belt_graph and its files."""
    pkg = ROOT / "belt_graph"
    units = {p.stem: [p] for p in pkg.glob("*.py")}
    for sub in pkg.iterdir():
        if (sub / "__init__.py").is_file():
            units[sub.name] = sorted(sub.glob("*.py"))
    return units


def test_every_module_has_a_layer() -> None:
    modules = set(_units())
    assert modules == set(LAYERS), modules ^ set(LAYERS)


def test_derivation_script_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "data" / "build_belt.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    for name in ("nodes.csv", "links.csv", "sectors.csv"):
        assert filecmp.cmp(tmp_path / name, ROOT / "data" / "belt" / name, shallow=False), name


LAYERS = {
    "errors": 0,
    "schema": 0,
    "_datasets": 0,
    "_engine": 0,
    "_page": 0,
    "_units": 0,
    "_tables": 1,
    "_files": 1,
    "_scenarios": 2,
    "_gtfs_read": 2,
    "dataset": 3,
    "network": 4,
    "synthetic": 4,
    "gtfs": 4,
    "places": 4,
    "_explorer": 4,
    "_paths": 5,
    "commute": 6,
    "reach": 6,
    "centrality": 6,
    "sectors": 6,
    "claims": 6,
    "timetable": 7,
    "scenario": 7,
    "summary": 9,
    "export": 9,
    "results": 8,
    "accessibility": 7.5,
    "plot": 9,
    "report": 10,
    "cli": 11,
    "_entry": 12,
    "__main__": 13,
    "__init__": 13,
}


@pytest.mark.parametrize("module", sorted(LAYERS))
def test_import_direction(module: str) -> None:
    for path in _units()[module]:
        in_subpackage = path.parent.name != "belt_graph"
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            top = 2 if in_subpackage else 1  # the import level that reaches belt_graph
            if isinstance(node, ast.ImportFrom) and node.level == top and node.module:
                target = node.module.split(".")[0]
                if module == "__init__" or target not in LAYERS:
                    continue
                assert LAYERS[target] < LAYERS[module] or (module, target) == (
                    "cli",
                    "__init__",
                ), f"{path.name} of {module} imports {target}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                if any(n.startswith("click") for n in names):
                    assert module in ("cli",), f"{module} imports click"
