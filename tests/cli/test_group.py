"""The command group: help with an example for every command, --quiet, the entry point, start-up
without matplotlib."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from tests.helpers import TOY, run, run_in_folder


def test_every_command_has_help_with_example() -> None:
    for name, _command in cli.commands.items():
        code, out, _ = run(name, "--help")
        assert code == 0, name
        assert "Example: belt-graph" in out, name


def test_table_commands_do_not_import_matplotlib() -> None:
    code = (
        "import sys; from belt_graph.cli import main; sys.argv=['belt-graph','reach','Putuo',"
        "'--hours','1']\ntry:\n main()\nexcept SystemExit:\n pass\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_installed_entry_point() -> None:
    exe = Path(sys.executable).parent / "belt-graph"
    if not exe.exists():
        pytest.skip("belt-graph is not installed in this environment")
    r = subprocess.run(
        [str(exe), "reach", "Putuo", "--hours", "1", "--format", "csv"],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert r.returncode == 0
    assert r.stdout.splitlines()[1].startswith("Putuo,Putuo,0,")


def test_quiet_silences_notes_and_no_bar_off_a_terminal() -> None:
    code, out, err = run("--quiet", "reach", "A", "--hours", "0.5", "--data", TOY)
    assert code == 0 and err == "" and "nearest_origin" in out.splitlines()[0]
    code, _, err = run("centrality", "--data", TOY)
    assert code == 0 and "[" not in err and "%" not in err  # stderr is not a terminal here


@pytest.mark.slow
def test_small_things_a_newcomer_hit(tmp_path: Path) -> None:
    from belt_graph.plot import cjk_font

    runner = CliRunner()
    # draw takes the origin the way reach does
    r = runner.invoke(cli, ["draw", "reach", "Putuo", "--output", str(tmp_path / "r.png")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        cli, ["draw", "reach", "Putuo", "--origin", "Nanjing", "-o", str(tmp_path / "x.png")]
    )
    assert r.exit_code == 2 and "two origins" in r.output
    # Chinese labels without a CJK font say they fall back
    r = runner.invoke(cli, ["draw", "map", "--labels", "zh", "-o", str(tmp_path / "m.png")])
    assert r.exit_code == 0
    assert ("fall back to English" in r.stderr) == (cjk_font() is None)
    # a station network without population or GDP prints no empty columns
    net = tmp_path / "stations"
    net.mkdir()
    (net / "nodes.csv").write_text(
        "id,name,kind,lat,lon\nA,Aa,station,31,121\nB,Bb,station,32,120\n"
    )
    (net / "links.csv").write_text("source,target,minutes,mode,status\nA,B,40,rail,open\n")
    r = runner.invoke(cli, ["reach", "A", "--hours", "1", "--data", str(net)])
    assert r.exit_code == 0 and "population" not in r.stdout and "gdp" not in r.stdout
    assert "Bb" in r.stdout
    # partners with no result: a sentence, not an empty frame
    r = runner.invoke(cli, ["partners", "Taizhou", "--hours", "0.1"])
    assert r.exit_code == 0 and r.stdout == "No complementary partner of Taizhou within 0.1 h.\n"


def test_quiet_after_the_command() -> None:
    code, _, err = run_in_folder("reach", "A", "--hours", "1", "-q", "--data", str(bg.toy_path()))
    assert code == 0 and err == ""


def test_help_imports_neither_pandas_nor_numpy() -> None:
    """Issue 26, 7: 'belt-graph --help' imported pandas (about 0.9 s of a 1 s start)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.argv = ['belt-graph', '--help']\n"
        "from belt_graph.cli import run\n"
        "code = run()\n"
        "heavy = [m for m in ('pandas', 'numpy', 'networkx', 'scipy', 'matplotlib') if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip().splitlines()[-1] == "0 []", r.stdout + r.stderr
