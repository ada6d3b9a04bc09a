"""``python -m belt_graph`` and the ``belt-graph`` console script: signals first, then the CLI.

This module imports nothing heavy, so that Ctrl-C while the libraries load (half a second or
more) ends the program with "Aborted." and exit code 130 instead of a traceback, and SIGTERM
runs the same clean-up as an error (temporary files and folders are removed).
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the command line with SIGTERM turned into a clean exit and Ctrl-C into 130.

    Ctrl-C exits with 130 and "Aborted." whenever it comes: while the libraries load, or
    while a command runs (click alone would say "Aborted!" and exit 1).
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from .cli import run

        raise SystemExit(run())
    except KeyboardInterrupt:
        sys.stderr.write("Aborted.\n")
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
