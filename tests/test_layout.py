"""The package's layout: layers imported one way only, small modules, one table of public names.

The layer order is written once here and once in the README's Development section.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import belt_graph as bg
from tests.helpers import ROOT

PKG = ROOT / "belt_graph"


#: lowest first; a unit (top-level module or subpackage) imports only from earlier layers
LAYERS: list[list[str]] = [
    ["errors", "schema", "_units", "_datasets", "_compiled"],
    ["_files", "_workers"],
    ["dataset"],
    ["network"],
    ["gtfs", "place_builder"],
    ["routing", "reachability", "sectors", "claims", "summary"],
    ["history"],
    ["timetable"],
    ["centralities"],
    ["scenario"],
    ["equity"],
    ["resilience"],
    ["plot", "export"],
    ["report"],
    ["cli"],
    ["__main__", "__init__"],
    # deprecated aliases of moved modules (0.2; removed in 0.3)
    ["synthetic", "places", "specialisation"],
]


RANK = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


MAX_LINES = 800
DEPRECATED = {
    "belt_graph.synthetic": "belt_graph.dataset.synthetic",
    "belt_graph.places": "belt_graph.place_builder",
    "belt_graph.specialisation": "belt_graph.sectors.measured",
}


def _units(pkg: Path = PKG) -> dict[str, list[Path]]:
    """Each top-level module or subpackage of the package, with its Python files."""
    units = {p.stem: [p] for p in pkg.glob("*.py")}
    for sub in pkg.iterdir():
        if (sub / "__init__.py").is_file():
            units[sub.name] = sorted(sub.rglob("*.py"))
    return units


def _upward(unit: str, pkg: Path = PKG) -> list[str]:
    """Every import of ``unit`` from a unit of the same or a higher layer, located."""
    found = []
    for path in _units(pkg)[unit]:
        for target, line in _targets(path, pkg):
            if target not in RANK or unit == "__init__":
                continue  # __version__, or the package's own table of lazy names
            if RANK[target] >= RANK[unit]:
                found.append(
                    f"{path.relative_to(pkg.parent)}:{line}: {unit} (layer {RANK[unit]}) imports "
                    f"{target} (layer {RANK[target]})"
                )
    return found


def _targets(path: Path, pkg: Path = PKG) -> list[tuple[str, int]]:
    """The units of belt_graph that ``path`` imports from, with the line of each import."""
    depth = len(path.relative_to(pkg).parts)  # the import level that reaches belt_graph
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").startswith("belt_graph"):
                parts = (node.module or "").split(".")
                names = parts[1:2] or [a.name for a in node.names]
            elif node.level == depth:
                names = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            else:
                continue
            found += [(n, node.lineno) for n in names]
    return found


def _submodules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages([str(PKG)], prefix="belt_graph.")
        if m.name not in ("belt_graph.__main__", *DEPRECATED)
    )


def _packages() -> list[str]:
    return ["belt_graph"] + [
        m.name
        for m in pkgutil.walk_packages([str(PKG)], prefix="belt_graph.")
        if m.ispkg and not m.name.startswith("belt_graph._datasets")
    ]


def test_every_unit_has_a_layer() -> None:
    assert set(_units()) == set(RANK), set(_units()) ^ set(RANK)


@pytest.mark.parametrize("unit", sorted(RANK))
def test_imports_go_down_the_layers(unit: str) -> None:
    assert not _upward(unit)


#: the journey kernel's modules, lowest first (its docstring lists them in this order): each
#: imports only from the ones before it
KERNEL = ["dijkstra", "repair", "brandes", "access", "arrays", "layers", "journeys", "paths"]


def _kernel_upward(folder: Path = PKG / "network") -> list[str]:
    found = []
    rank = {m: i for i, m in enumerate(KERNEL)}
    for path in sorted(folder.glob("*.py")):
        if path.stem == "__init__":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                for target in names:
                    if rank.get(target, -1) >= rank[path.stem]:
                        found.append(f"network/{path.name}:{node.lineno} imports {target}")
    return found


def test_the_journey_kernel_imports_go_down_its_own_order() -> None:
    modules = {p.stem for p in (PKG / "network").glob("*.py")} - {"__init__"}
    assert modules == set(KERNEL), modules ^ set(KERNEL)
    assert not _kernel_upward()
    doc = importlib.import_module("belt_graph.network").__doc__ or ""
    positions = [doc.index(f"belt_graph.network.{m}`") for m in KERNEL]
    assert positions == sorted(positions), "the docstring lists the modules in another order"


def test_the_kernel_check_finds_an_upward_import(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "network"
    shutil.copytree(PKG / "network", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "dijkstra.py").write_text(
        (copy / "dijkstra.py").read_text() + "\nfrom .paths import places\n"
    )
    assert [x.split(":")[0] for x in _kernel_upward(copy)] == ["network/dijkstra.py"]


def test_the_layer_check_finds_an_upward_import(tmp_path: Path) -> None:
    """On a copy of the package with one upward import added (never in the source tree)."""
    import shutil

    copy = tmp_path / "belt_graph"
    shutil.copytree(PKG, copy, ignore=shutil.ignore_patterns("__pycache__", "_datasets"))
    (copy / "_datasets").mkdir()
    (copy / "dataset" / "_upward_probe.py").write_text("from ..report import write_report\n")
    assert _upward("dataset", copy) == [
        "belt_graph/dataset/_upward_probe.py:1: dataset (layer 2) imports report "
        f"(layer {RANK['report']})"
    ]


def test_only_the_command_line_imports_click() -> None:
    for unit, paths in _units().items():
        for path in paths:
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                    if any(n.split(".")[0] == "click" for n in names):
                        assert unit == "cli", f"{path.relative_to(ROOT)} imports click"


def test_no_module_over_800_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in PKG.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long, long


def test_every_exception_class_lives_in_errors() -> None:
    for path in PKG.rglob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b) for b in node.bases}
                is_error = node.name.endswith("Error") or any(
                    b.endswith(("Error", "Exception")) for b in bases
                )
                assert not is_error or path == PKG / "errors.py", (
                    f"{path.relative_to(ROOT)}: class {node.name}"
                )


def test_the_public_table_is_all() -> None:
    assert sorted(bg.__all__) == sorted([*bg._PUBLIC, "__version__"])
    assert len(set(bg.__all__)) == len(bg.__all__)
    for name in bg.__all__:
        assert getattr(bg, name) is not None, name


@pytest.mark.parametrize("package", _packages())
def test_no_public_name_is_also_a_submodule(package: str) -> None:
    mod = importlib.import_module(package)
    folder = Path(mod.__file__ or "").parent
    submodules = {m.name for m in pkgutil.iter_modules([str(folder)])}
    public = set(getattr(mod, "__all__", ())) | set(getattr(mod, "_PUBLIC", ()))
    modules_in_all = {n for n in public if inspect.ismodule(getattr(mod, n))}
    assert not (public - modules_in_all) & submodules, (public - modules_in_all) & submodules


def test_importing_every_submodule_changes_no_public_name() -> None:
    """Run in a fresh interpreter: bind every public name, import everything, compare."""
    code = (
        "import importlib, inspect, belt_graph as bg\n"
        "before = {n: getattr(bg, n) for n in bg.__all__}\n"
        f"for m in {_submodules()!r}:\n"
        "    importlib.import_module(m)\n"
        "changed = [n for n in bg.__all__ if getattr(bg, n) is not before[n]]\n"
        "modules = [n for n in bg.__all__ if inspect.ismodule(getattr(bg, n))]\n"
        "print(changed, modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[] []", r.stdout + r.stderr


def test_the_issue_reproduction_works() -> None:
    """Importing the report's figures (and so the window sweep) keeps bg.accessibility callable."""
    code = (
        "import belt_graph as bg\n"
        "from belt_graph.report.figures import draw_kind\n"
        "import belt_graph.timetable.window\n"
        "G = bg.rail_graph(bg.toy_dataset())\n"
        "a = bg.accessibility(G, decay='cumulative', param=30)\n"
        "print(callable(bg.accessibility), callable(bg.window_accessibility), len(a))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["True", "True", "4"], r.stdout + r.stderr


def test_one_value_per_constant_name() -> None:
    """A public constant name (UPPER_CASE) means one thing: defined once, or with one value."""
    values: dict[str, set[str]] = {}
    for path in PKG.rglob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id.isupper() and not t.id.startswith("_"):
                        values.setdefault(t.id, set()).add(ast.unparse(node.value))
    clashes = {k: v for k, v in values.items() if len(v) > 1}
    assert not clashes, clashes


@pytest.mark.parametrize("old", sorted(DEPRECATED))
def test_a_moved_module_still_imports_for_one_release_with_a_warning(old: str) -> None:
    code = (
        "import warnings, importlib\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        f"    old = importlib.import_module({old!r})\n"
        f"new = importlib.import_module({DEPRECATED[old]!r})\n"
        "same = all(getattr(old, n) is getattr(new, n) for n in old.__all__)\n"
        "print(same, [str(x.category.__name__) for x in w])\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "True ['DeprecationWarning']", r.stdout + r.stderr
