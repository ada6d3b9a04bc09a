"""Deprecated: the measured sector layer moved to :mod:`belt_graph.sectors.measured` (after 0.2.0).

This alias warns on import and goes in 0.3.
"""

from __future__ import annotations

import warnings

from .sectors.measured import (
    MIN_SUPPORT,
    SECTIONS,
    SHORT_NAMES,
    complementarity,
    listed_against_measured,
    location_quotients,
    measure_matrix,
    measured_clusters,
    measured_layer,
    measured_pairs,
    overlap,
    place_notes,
    proximity,
    relatedness_density,
    relatedness_table,
    sector_name,
    specialisation_table,
    specialised,
)

warnings.warn(
    "belt_graph.specialisation moved to belt_graph.sectors.measured; the old path goes in 0.3",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = [
    "MIN_SUPPORT",
    "SECTIONS",
    "SHORT_NAMES",
    "complementarity",
    "listed_against_measured",
    "location_quotients",
    "measure_matrix",
    "measured_clusters",
    "measured_layer",
    "measured_pairs",
    "overlap",
    "place_notes",
    "proximity",
    "relatedness_density",
    "relatedness_table",
    "sector_name",
    "specialisation_table",
    "specialised",
]
