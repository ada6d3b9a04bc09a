"""belt_graph._files: whole files and folders or nothing, never replacing an input, the umask,
SIGTERM and a killed run's leftovers."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import belt_graph as bg
from belt_graph._files import atomic_write, write_folder
from belt_graph.errors import OutputError
from tests.helpers import NATIONAL, run_in_folder, toy_copy

pytestmark = pytest.mark.slow


def _report_cmd(out: Path, data: Path | None = None) -> list[str]:
    args = [sys.executable, "-m", "belt_graph", "report", "-o", str(out)]
    return args + (["--data", str(data)] if data else [])


def test_report_into_a_read_only_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere a user may not, but not into /sys
        ro = Path("/sys")
    code, _, err = run_in_folder("report", "-o", str(ro / "r"), "--data", str(bg.toy_path()))
    assert code == 1 and f"cannot write {ro / 'r'}" in err
    assert "Permission denied" in err or "Operation not permitted" in err


def test_report_into_the_current_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    (here / "keep.txt").write_text("mine")
    monkeypatch.chdir(here)
    code, _, err = run_in_folder("report", "-o", ".", "--force", "--data", str(bg.toy_path()))
    assert code == 1 and "would replace the current folder" in err
    assert (here / "keep.txt").read_text() == "mine"


def test_sigterm_during_report_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "r"
    env = {**os.environ, "MPLBACKEND": "Agg"}
    p = subprocess.Popen(_report_cmd(out, NATIONAL), env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".r.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(".r.tmp-*")), "the report never started writing"
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=60) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_a_stale_folder_of_a_killed_run_is_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".r.tmp-{dead.pid}-abc"
    stale.mkdir()
    (stale / "half.csv").write_text("x")
    live = tmp_path / f".r.tmp-{os.getpid()}-abc"  # a run_in_folder still going: left alone
    live.mkdir()
    code, _, err = run_in_folder("report", "-o", str(tmp_path / "r"), "--data", str(bg.toy_path()))
    assert code == 0 and "left by an interrupted run" in err
    assert not stale.exists() and live.exists()


def test_a_second_run_does_not_silently_replace_the_first(tmp_path: Path) -> None:
    out = tmp_path / "r"

    def meanwhile(tmp: Path) -> None:
        out.mkdir()
        (out / "other.txt").write_text("the other run's report")
        (tmp / "mine.txt").write_text("this run's report")

    with pytest.raises(OutputError, match="written by another run"):
        write_folder(out, meanwhile, force=False)
    assert [p.name for p in tmp_path.iterdir()] == ["r"]
    assert (out / "other.txt").exists()


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder"])
def test_force_never_replaces_what_is_not_a_file(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "m.csv"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.csv").write_text("keep")
        target.symlink_to(tmp_path / "real.csv")
    else:
        target.mkdir()
    code, _, err = run_in_folder(
        "matrix", "-o", str(target), "--force", "--data", str(bg.toy_path())
    )
    assert code == 2 and "is not a regular file" in err
    assert target.is_symlink() or not target.is_file()
    if kind == "symlink":
        assert (tmp_path / "real.csv").read_text() == "keep"


def test_report_never_replaces_its_input(tmp_path: Path) -> None:
    data = toy_copy(tmp_path)
    for out in (data, tmp_path):
        code, _, err = run_in_folder("report", "-o", str(out), "--force", "--data", str(data))
        assert code == 1 and "would replace the input" in err
    assert (data / "nodes.csv").is_file()


def test_written_files_keep_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.txt", "x", force=False)
        code, _, _ = run_in_folder(
            "report", "-o", str(tmp_path / "r"), "--data", str(bg.toy_path())
        )
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "r").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "r" / "report.html").stat().st_mode) == 0o644


def test_a_library_message_names_the_parameter_not_a_flag(tmp_path: Path) -> None:
    target = tmp_path / "kept.txt"
    target.write_text("old")
    with pytest.raises(OutputError, match=r"use `force=True` to overwrite it") as err:
        atomic_write(target, "new", force=False)
    assert "--force" not in str(err.value) and target.read_text() == "old"
    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "x").write_text("x")
    with pytest.raises(OutputError, match=r"use `force=True` to replace it"):
        write_folder(folder, lambda tmp: None, force=False)


def test_write_folder_makes_missing_parents_and_removes_them_on_failure(tmp_path: Path) -> None:
    """Issue 39: an output a/b/c with a/b missing is made, like mkdir -p."""
    from belt_graph._files import write_folder

    out = tmp_path / "a" / "b" / "c"
    write_folder(out, lambda tmp: (tmp / "x.txt").write_text("x"), force=False)
    assert (out / "x.txt").read_text() == "x"

    def fails(tmp: Path) -> None:
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_folder(tmp_path / "d" / "e" / "f", fails, force=False)
    assert not (tmp_path / "d").exists()  # nothing half-written, no empty folders left
    (tmp_path / "file").write_text("")
    with pytest.raises(bg.OutputError, match="cannot write"):
        write_folder(tmp_path / "file" / "g" / "h", fails, force=False)
