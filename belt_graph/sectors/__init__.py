"""Places' sectors: what they share, what complements what, and which places cluster.

Two layers, one room (issue 40):

- :mod:`~belt_graph.sectors.listed`: the sectors sources *name* for a place (``sectors.csv``,
  mapped to one canonical taxonomy by ``sector_taxonomy.csv``), on the place-sector graph of
  :func:`belt_graph.sector_graph`: overlap, complementarity within a family, clusters,
  partners within reach;
- :mod:`~belt_graph.sectors.measured`: the sectors a place's *measured* employment makes it
  specialised in (``sector_measures.csv``), against every region of the reference: location
  quotients, proximity, relatedness density, complementarity with minimum support.

The article's claims (travel times, population, GDP) are not sectors: they live in
:mod:`belt_graph.claims`.
"""

from __future__ import annotations

from .listed import (
    cluster_summary,
    clusters,
    complementarity_note,
    complementary_partners,
    sector_matrix,
    sector_pairs,
    sector_projection,
)
from .measured import (
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

__all__ = [
    "MIN_SUPPORT",
    "SECTIONS",
    "SHORT_NAMES",
    "cluster_summary",
    "clusters",
    "complementarity",
    "complementarity_note",
    "complementary_partners",
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
    "sector_matrix",
    "sector_name",
    "sector_pairs",
    "sector_projection",
    "specialisation_table",
    "specialised",
]
