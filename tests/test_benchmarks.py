"""The benchmark scripts still run (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow

BENCH = ROOT / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_startup_runs(capsys: pytest.CaptureFixture[str]) -> None:
    ratio = _load("bench_startup").main(["--runs", "1"])
    assert ratio > 0 and "ratio" in capsys.readouterr().out


def test_run_quick_measures_every_task(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _load("run").main(["--quick", "--sizes", "120"])
    tasks = {r["task"].strip() for r in rows}
    for task in (
        "travel-time matrix",
        "weighted closeness",
        "reach search 1 h (x20)",
        "betweenness (exact)",
        "place-sector projection",
        "earliest arrival, all stations",
        "engine vs reference scan",
        "window sweep, all origins",
    ):
        assert task in tasks, task
    # the fast paths were checked against NetworkX inside the run (assertions), and every
    # ratio is a positive number
    assert all(r["ratio"] is None or r["ratio"] > 0 for r in rows)
    assert "synthetic-120" in capsys.readouterr().out


def test_bench_gtfs_runs_against_gtfs_kit(capsys: pytest.CaptureFixture[str]) -> None:
    result = _load("bench_gtfs").main(["--runs", "1", "--stop-times", "20000"])
    names = list(result)
    assert names[0] == "Cairns" and len(names) == 4
    assert names[2] == "synthetic, 20,000 stop times" or names[2].startswith("synthetic, ")
    assert names[3].startswith("rail, calendar_dates only, ")
    for ratios in result.values():
        assert ratios["time_ratio"] > 0 and ratios["memory_ratio"] > 0
        assert ratios["time_ratio_read_check"] > ratios["time_ratio"]  # the import does more
        if importlib.util.find_spec("pyarrow") is not None:  # the floor does less still
            assert ratios["time_ratio_floor"] > ratios["time_ratio"]
    assert "gtfs-kit read_feed" in capsys.readouterr().out


def test_bench_report_runs(capsys: pytest.CaptureFixture[str]) -> None:
    seconds = _load("bench_report").main(["--runs", "1", "--data", "belt"])
    assert seconds > 0 and "median" in capsys.readouterr().out


def test_bench_cities_runs_and_checks_the_peers(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _load("bench_cities").main(["--quick"])
    tools = {r["tool"] for r in rows}
    # scipy is always there; every peer's city matrix was asserted equal to ours in the run
    assert {"belt-graph", "scipy"} <= tools and all(r["seconds"] > 0 for r in rows)
    assert "city matrix 334 x 334" in capsys.readouterr().out


def test_bench_matrix_runs_and_checks_the_peers(capsys: pytest.CaptureFixture[str]) -> None:
    _load("bench_matrix").main(["--quick"])
    out = capsys.readouterr().out
    # every peer's matrix was asserted equal to ours in the run (else SystemExit)
    assert "200 x 200 station matrix (cn-rail-2021)" in out and "scipy" in out


def test_bench_window_runs_and_checks_the_engines_agree(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _load("bench_window").main(["--quick"])
    # the two engines' arrivals and tables were asserted equal in the run
    assert any(r["ratio"] for r in rows) and all(r["seconds"] > 0 for r in rows)
    assert "07:00-07:20 every minute" in capsys.readouterr().out


def test_bench_cli_matrix_runs_and_checks_the_script(capsys: pytest.CaptureFixture[str]) -> None:
    # cn-rail-2021 has no services, so changes are free and the plain script is comparable
    result = _load("bench_cli_matrix").main(["--runs", "1"])
    # the command's matrix was asserted equal to the pandas + scipy script's in the run
    assert result["time_ratio"] > 0 and result["memory_ratio"] > 0
    assert "328 x 328 matrix of cn-rail-2021" in capsys.readouterr().out


def test_bench_scaling_runs_every_size(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _load("bench_scaling").main(["--quick"])
    assert [r["factor"] for r in rows] == [0.1, 0.2]
    assert all(r["ns_per_connection"] > 0 and r["peak_mib"] > 0 for r in rows)
    assert rows[1]["calls"] > rows[0]["calls"]
    assert "0.2x:" in capsys.readouterr().out


def test_bench_versions_runs_against_this_commit(capsys: pytest.CaptureFixture[str]) -> None:
    import shutil
    import subprocess

    if (
        shutil.which("git") is None
        or subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, check=False
        ).returncode
    ):
        pytest.skip("bench_versions checks out an older commit: needs git and the repository")
    times = _load("bench_versions").main(
        ["--base", "HEAD", "--rounds", "1", "--only", "matrix belt"]
    )
    assert set(times) == {"matrix belt"}
    assert all(old > 0 and new > 0 for old, new in times.values())
    assert "new / old" in capsys.readouterr().out


def test_bench_criticality_runs_on_the_belt(capsys: pytest.CaptureFixture[str]) -> None:
    ratios = _load("bench_criticality").main(["--sample", "1", "--belt-only"])
    assert ratios["belt networkx ratio"] > 0 and "losses equal" in capsys.readouterr().out
