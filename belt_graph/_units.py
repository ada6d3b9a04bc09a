"""Unit conversions shared by every layer (private).

Time budgets are given in hours and compared with minutes that are sums of floats. ``2.05 * 60``
is ``122.99999999999999`` in binary floating point, so a place exactly 123 minutes away would fall
just outside a 2.05-hour limit. Every comparison of minutes with a limit therefore goes through
:func:`minutes_limit`, which allows :data:`LIMIT_TOLERANCE_MINUTES` of rounding error: a place at
the limit is always reached.

Also :func:`lazy_attributes`, the lazy public names of the subpackages.
"""

from __future__ import annotations

import datetime
import importlib
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = [
    "LIMIT_TOLERANCE_MINUTES",
    "check_hours",
    "lazy_attributes",
    "minutes_limit",
    "opened_year",
]

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


#: An ``opened`` value: a year, optionally its month and day.
_YEAR = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*$")


def opened_year(value: object) -> int | None:
    """Return the year of an ``opened`` value (``2023-09-28``, ``2016-05``, ``1908``), or None.

    None for an empty value; a value of another form (or an impossible date) raises
    ``ValueError``: the reader refuses it, located, before any answer is computed.

    Examples
    --------
    >>> opened_year("2023-09-28"), opened_year("1908"), opened_year("")
    (2023, 1908, None)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    m = _YEAR.match(str(value))
    if m:
        year, month, day = (int(x) if x else 1 for x in m.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            m = None
    if not m:
        raise ValueError(f"expected a date YYYY-MM-DD, YYYY-MM or a year YYYY, got {value!r}")
    return int(m.group(1))


def lazy_attributes(
    package: str, where: Mapping[str, str], names: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__``, its public names imported lazily.

    Each name in ``where`` (name to submodule) is imported from its submodule on first use,
    then kept in the package.
    """

    def getattr_(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(f".{where[name]}", package), name)
            setattr(sys.modules[package], name, value)
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    listed = sorted(names)
    return getattr_, lambda: list(listed)
