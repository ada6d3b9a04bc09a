"""Worker processes that end with their parent (private): the window sweep's and the matrix's.

:func:`worker_start` is a process pool's initializer; :func:`fork_map` runs a function of the
parent's over items in forked workers, which inherit the parent's memory (the search's matrix,
the compiled engine), so that only the items and the results cross between processes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["can_fork", "cores", "fork_map", "worker_start"]

# the function fork_map's workers run: set in the parent just before the fork
_JOB: Callable[[Any], Any] | None = None


def can_fork() -> bool:
    """Return whether worker processes can be forked here (POSIX: they share the memory)."""
    import multiprocessing

    return os.name == "posix" and "fork" in multiprocessing.get_all_start_methods()


def cores() -> int:
    """Return the cores this process may run on (its CPU affinity where the system has one).

    A batch job or a container given 2 of a machine's 64 cores gets 2 workers, not 64
    (``os.cpu_count`` counts the machine's).
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _run(item: Any) -> Any:
    assert _JOB is not None
    return _JOB(item)


def fork_map(job: Callable[[Any], Any], items: Iterable[Any], workers: int) -> Iterator[Any]:
    """Yield ``job(item)`` for each item, in order, computed by ``workers`` forked processes.

    The workers inherit ``job`` (a closure over the parent's data: nothing is pickled but the
    items and the results) and end with the parent, whatever ends it (:func:`worker_start`).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _JOB
    _JOB = job
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=worker_start,
            initargs=(os.getpid(),),
        ) as pool:
            yield from pool.map(_run, items)
    finally:
        _JOB = None


def worker_start(parent: int) -> None:
    """Make a worker process die with its parent and let go of the caller's terminal.

    On Linux the kernel sends the worker SIGKILL when the parent dies, whatever killed it
    (an out-of-memory killer, a batch scheduler's SIGKILL); the worker's stdout and stderr
    go to /dev/null, so a pipe reading the command's output closes when the command ends;
    SIGTERM and SIGINT get their default meaning (the parent's clean-up handlers are its own).
    """
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent:  # pragma: no cover - the parent died before prctl
        os._exit(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
