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
    assert r.returncode == 130 and r.stderr == "Aborted.\n"
