"""The README says what the code does: its two commands, and its example output."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from belt_graph.cli import cli
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


BLOCKS = re.findall(r"```\n(.*?)```", README, flags=re.S)


def test_readme_starts_with_the_two_commands() -> None:
    assert BLOCKS[0].strip() == "pip install . && belt-graph report"
    assert BLOCKS[1].strip() == 'pip install ".[test]" && python -m pytest'


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q ".[dev]"' in ci and "\npython -m pytest\n" in ci


def test_readme_reach_example_is_real_output() -> None:
    block = next(b for b in BLOCKS if b.lstrip().startswith("name") or "nearest_origin" in b)
    r = CliRunner().invoke(cli, ["reach", "Putuo", "--hours", "2"])
    assert r.exit_code == 0
    assert block == r.stdout + r.stderr


def test_readme_figure_exists() -> None:
    for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / target).is_file(), target


def test_readme_national_commute_example_is_real_output(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shlex

    block = next(b for b in BLOCKS if b.startswith("belt-graph commute 上海虹桥"))
    command, *expected = block.splitlines()
    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert r.exit_code == 0
    assert r.stdout + r.stderr == "\n".join(expected) + "\n"


def _public_functions() -> dict[str, object]:
    """Every public function of the package and its subpackages, by qualified name."""
    import importlib
    import inspect

    found: dict[str, object] = {}
    for name in (
        "belt_graph",
        "belt_graph.dataset",
        "belt_graph.gtfs",
        "belt_graph.timetable",
        "belt_graph.report",
        "belt_graph.plot",
        "belt_graph.export",
        "belt_graph.summary",
    ):
        mod = importlib.import_module(name)
        for attr in mod.__all__:
            obj = getattr(mod, attr)
            if inspect.isfunction(obj):
                found[f"{obj.__module__}.{obj.__name__}"] = obj
    return found


@pytest.mark.parametrize("qualname", sorted(_public_functions()))
def test_public_functions_have_numpydoc_parameters_and_returns(qualname: str) -> None:
    import inspect
    import re

    f = _public_functions()[qualname]
    doc = inspect.getdoc(f) or ""
    sig = inspect.signature(f)  # type: ignore[arg-type]
    if sig.parameters:
        assert re.search(r"^Parameters\n-{10}$", doc, re.M), "no Parameters section"
        section = doc.split("Parameters\n----------\n", 1)[1]
        section = re.split(r"\n\n(?=[A-Z][a-z ]+\n-{3,})", section)[0]
        named = set(re.findall(r"^(\w+)(?:, \w+)* :", section, re.M))
        named |= {
            n for line in re.findall(r"^(\w+(?:, \w+)+) :", section, re.M) for n in line.split(", ")
        }
        missing = set(sig.parameters) - named
        assert not missing, f"parameters not described: {sorted(missing)}"
    if sig.return_annotation not in ("None", None):
        assert re.search(r"^(Returns|Yields)\n-{7,}$", doc, re.M), "no Returns section"
