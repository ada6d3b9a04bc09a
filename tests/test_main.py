"""belt_graph.__main__: the console script's signal handling."""

from __future__ import annotations

import subprocess
import sys


def test_ctrl_c_during_start_up_is_not_a_traceback() -> None:
    code = (
        "import builtins, signal, sys\n"
        "real = builtins.__import__\n"
        "def slow(name, *a, **k):\n"
        "    if name == 'pandas': raise KeyboardInterrupt\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = slow\n"
        "sys.argv = ['belt-graph', 'info']\n"
        "from belt_graph.__main__ import main\n"
        "main()\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 130 and r.stderr.strip() == "Aborted."


def test_ctrl_c_while_a_command_runs_exits_130_too() -> None:
    """Issue 25, 13: later, click said "Aborted!" and exit 1; one exit code for an interrupt."""
    code = (
        "import sys\n"
        "import belt_graph.dataset.load as load\n"
        "def interrupted(*a, **k): raise KeyboardInterrupt\n"
        "load.load_dataset = interrupted\n"
        "sys.argv = ['belt-graph', 'info']\n"
        "from belt_graph.__main__ import main\n"
        "main()\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 130 and r.stderr.strip() == "Aborted.", r.stderr


def test_a_real_sigint_during_a_report_exits_130(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import signal
    import time

    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "belt_graph",
            "report",
            "--data",
            "cn-rail-2021",
            "-o",
            str(tmp_path / "r"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # past start-up, into the work
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130 and err.strip().endswith("Aborted.") and "Traceback" not in err, err
    assert not (tmp_path / "r").exists() and not list(tmp_path.iterdir())


def test_usage_errors_and_help_keep_their_exit_codes() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "belt_graph", *args], capture_output=True, text=True
        )

    assert run("--help").returncode == 0
    r = run("reach", "Putuo", "--hours", "-1")
    assert r.returncode == 2 and "Invalid value for '--hours'" in r.stderr
    r = run("reach", "Nowhere", "--hours", "1")
    assert r.returncode == 1 and "unknown place 'Nowhere'" in r.stderr
