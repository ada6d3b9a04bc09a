"""Running out of memory is one line that names the step, exit 1, and nothing half-written.

The MemoryError is raised on purpose inside a step (a real ``ulimit -v`` depends on the
machine's memory layout); ``belt-graph`` in a process with a small address space is tried once
at the end, at a limit where the libraries load but a 1,000,000-stop-time feed cannot be held.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, run

CAIRNS = ROOT / "tests" / "data" / "gtfs" / "cairns_gtfs.zip"


def _no_memory(*args: Any, **kwargs: Any) -> Any:
    raise MemoryError


def test_import_gtfs_out_of_memory_while_checking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("belt_graph.gtfs.importer._check", _no_memory)
    out = tmp_path / "a" / "b" / "cairns"
    code, stdout, stderr = run("-q", "import-gtfs", str(CAIRNS), str(out))
    assert code == 1 and stdout == ""
    assert stderr.strip().splitlines() == [
        "Error: out of memory while checking cairns_gtfs.zip; nothing was written (free memory, "
        "or give the process more)"
    ]
    assert not (tmp_path / "a").exists()


def test_import_gtfs_out_of_memory_while_writing_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belt_graph.gtfs import importer

    written: list[Path] = []
    real = importer._write_csv

    def second_file_fails(path: Path, df: Any) -> None:
        if written:
            raise MemoryError
        written.append(path)
        real(path, df)

    monkeypatch.setattr(importer, "_write_csv", second_file_fails)
    out = tmp_path / "cairns"
    code, _, stderr = run("-q", "import-gtfs", str(CAIRNS), str(out))
    assert code == 1 and len(stderr.strip().splitlines()) == 1
    assert f"out of memory while writing {out}" in stderr
    assert written and not out.exists() and list(tmp_path.iterdir()) == []


def test_centrality_out_of_memory_names_the_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    import belt_graph.centralities as c

    def travel_times_then_no_memory(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        progress(1, 10)
        raise MemoryError

    monkeypatch.setattr(c, "centrality", travel_times_then_no_memory)
    code, _, stderr = run("-q", "centrality")
    assert code == 1 and "Traceback" not in stderr
    assert stderr.startswith("Error: out of memory while computing the travel times;")


def test_out_of_memory_while_loading_names_the_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    import belt_graph.dataset.load as load

    monkeypatch.setattr(load, "load_dataset", _no_memory)
    code, _, stderr = run("-q", "info")
    assert code == 1
    assert stderr.strip() == (
        "Error: out of memory while loading the dataset belt; nothing was written (free memory, "
        "or give the process more)"
    )


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limits as on Linux")
def test_a_real_small_address_space(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic_feed import make_feed

    feed = tmp_path / "big.zip"
    make_feed(feed, 1_000_000, seed=1)
    out = tmp_path / "out"

    def limit() -> None:  # 450 MB: the libraries load; the feed's checked tables do not fit
        resource.setrlimit(resource.RLIMIT_AS, (450 * 2**20, 450 * 2**20))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "belt_graph", "-q", "import-gtfs", str(feed), str(out)],
        capture_output=True, text=True, preexec_fn=limit, env=env, timeout=300,
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: out of memory while "), r.stderr
    assert "big.zip" in lines[0] and not out.exists()
