"""Every notebook runs top to bottom in a clean kernel, shows what is stored, uses only the API."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow

NOTEBOOKS = ROOT / "notebooks"


PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def _executor() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nb_execute", NOTEBOOKS / "execute.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_eleven_notebooks_exist() -> None:
    assert [p.name[:2] for p in PATHS] == [f"{i:02d}" for i in range(1, 12)]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_and_matches_stored_outputs(path: Path) -> None:
    ex = _executor()
    stored = nbformat.read(path, as_version=4)
    fresh = ex.execute(path)
    assert ex.text_outputs(fresh) == ex.text_outputs(stored), (
        f"{path.name}: stored outputs differ from a fresh run; run python notebooks/execute.py"
    )
    assert not any(o.output_type == "error" for c in fresh.cells for o in c.get("outputs", []))
    assert any("image/png" in o.get("data", {}) for c in stored.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_uses_public_api_only(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("belt_graph")
            ):
                assert all(not part.startswith("_") for part in node.module.split("."))
                assert all(not a.name.startswith("_") for a in node.names)
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("bg", "plot")
            ):
                assert not node.attr.startswith("_"), f"{path.name}: {node.value.id}.{node.attr}"
