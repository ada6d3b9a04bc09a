"""numba when it is installed (private): :func:`jit` compiles a kernel, or leaves it as Python.

numba is optional (``pip install "belt-graph[fast]"``); without it, or with the environment
variable ``BELT_GRAPH_NO_NUMBA`` set, :data:`COMPILED` is False and the kernels run as plain
Python (the callers then choose their pure-Python reference paths instead, which give the same
answers, slower).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

numba: Any
try:  # optional: the fast paths only
    if os.environ.get("BELT_GRAPH_NO_NUMBA"):
        raise ImportError("disabled by BELT_GRAPH_NO_NUMBA")
    import numba

    COMPILED = True
except ImportError:  # pragma: no cover - exercised where numba is not installed
    numba = None
    COMPILED = False

__all__ = ["COMPILED", "jit"]


def jit(f: Callable[..., Any]) -> Callable[..., Any]:
    """Return ``f`` compiled by numba (cached on disk, releasing the GIL), or ``f`` itself.

    Parameters
    ----------
    f : callable
        A function over numpy arrays and scalars that numba can compile.

    Returns
    -------
    callable
        The compiled function, or ``f`` without numba.
    """
    if numba is None:
        return f
    compiled: Callable[..., Any] = numba.njit(cache=True, nogil=True)(f)
    return compiled
