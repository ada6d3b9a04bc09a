"""Deprecated: the synthetic networks moved to :mod:`belt_graph.dataset.synthetic` (0.2).

This alias warns on import and goes in 0.3.
"""

from __future__ import annotations

import warnings

from .dataset.synthetic import ROUTE_FACTOR, SPEEDS, rail_like_network, synthetic_sectors

warnings.warn(
    "belt_graph.synthetic moved to belt_graph.dataset.synthetic; the old path goes in 0.3",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["ROUTE_FACTOR", "SPEEDS", "rail_like_network", "synthetic_sectors"]
