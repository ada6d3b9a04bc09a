"""Unit conversions shared by every layer (private).

Time budgets are given in hours and compared with minutes that are sums of floats. ``2.05 * 60``
is ``122.99999999999999`` in binary floating point, so a place exactly 123 minutes away would fall
just outside a 2.05-hour limit. Every comparison of minutes with a limit therefore goes through
:func:`minutes_limit`, which allows :data:`LIMIT_TOLERANCE_MINUTES` of rounding error: a place at
the limit is always reached.
"""

from __future__ import annotations

import math

__all__ = ["LIMIT_TOLERANCE_MINUTES", "check_hours", "minutes_limit"]

#: Minutes within which a value counts as at a limit (0.06 ms: far below any timetable's
#: resolution of one second, far above the rounding error of summing a few hundred minutes).
LIMIT_TOLERANCE_MINUTES = 1e-6


def check_hours(hours: object, name: str = "hours") -> float:
    """Return ``hours`` as a float, or raise ValueError naming ``name`` unless finite and >= 0."""
    if (
        isinstance(hours, bool)
        or not isinstance(hours, int | float)
        or not math.isfinite(hours)
        or hours < 0
    ):
        raise ValueError(f"{name} must be a finite number >= 0, got {hours!r}")
    return float(hours)


def minutes_limit(hours: float) -> float:
    """Return the largest number of minutes that counts as within ``hours``.

    Examples
    --------
    >>> 123.0 <= minutes_limit(2.05)
    True
    >>> 123.01 <= minutes_limit(2.05)
    False
    """
    return hours * 60.0 + LIMIT_TOLERANCE_MINUTES
