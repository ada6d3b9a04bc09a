"""Deprecated: building places over stations moved to :mod:`belt_graph.place_builder` (0.2).

This alias warns on import and goes in 0.3.
"""

from __future__ import annotations

import warnings

from .place_builder import (
    ACCESS_RULE,
    TRANSFER_RULE,
    access_minutes,
    build_places,
    haversine_km,
    read_places,
    transfer_minutes,
    write_places,
)

warnings.warn(
    "belt_graph.places moved to belt_graph.place_builder; the old path goes in 0.3",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = [
    "ACCESS_RULE",
    "TRANSFER_RULE",
    "access_minutes",
    "build_places",
    "haversine_km",
    "read_places",
    "transfer_minutes",
    "write_places",
]
