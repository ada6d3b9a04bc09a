"""The README says what the code does: its two commands, and its example output."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from belt_graph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
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
    r = CliRunner().invoke(cli, ["reach", "Putuo", "--hours", "1"])
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
