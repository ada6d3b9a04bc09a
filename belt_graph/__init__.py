"""belt_graph: analyse a partnership network of cities by rail travel time and sector cooperation.

The public API: load a dataset, build its layers, ask questions that return DataFrames.

>>> import belt_graph as bg
>>> ds = bg.load_dataset()                      # the bundled Shanghai-Nanjing belt
>>> G = bg.rail_graph(ds)
>>> bg.commute(G, "Putuo", "Nanjing").minutes > 0
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .centrality import DECAYS, accessibility, betweenness, centrality, closeness, decay_function
from .claims import check_claims, read_claims
from .commute import Commute, commute, travel_time_array, travel_time_matrix
from .dataset import (
    Dataset,
    bundled_path,
    default_origin,
    load_dataset,
    place_ids,
    resolve_place,
)
from .errors import (
    AmbiguousPlaceError,
    BeltGraphError,
    DataFileError,
    GraphValidationError,
    NoRouteError,
    NoTimetableError,
    ScenarioError,
    UnknownPlaceError,
)
from .network import (
    check_weights,
    cooperation_graph,
    multilayer_graph,
    rail_graph,
    sector_graph,
    toy_dataset,
    toy_path,
)
from .reach import nearest_origin_dijkstra, reach, reach_bands, reach_summary
from .scenario import Scenario, ScenarioComparison, apply_scenario, compare, read_scenario
from .sectors import (
    cluster_summary,
    clusters,
    complementary_partners,
    sector_matrix,
    sector_pairs,
    sector_projection,
)
from .summary import dataset_summary
from .timetable import (
    DEFAULT_MIN_TRANSFER_MINUTES,
    Connections,
    Journey,
    connections,
    earliest_arrival,
    format_clock,
    timetable_commute,
    timetable_reach,
    timetable_vs_links,
)

try:
    __version__ = version("belt-graph")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "DECAYS",
    "DEFAULT_MIN_TRANSFER_MINUTES",
    "AmbiguousPlaceError",
    "BeltGraphError",
    "Commute",
    "Connections",
    "DataFileError",
    "Dataset",
    "GraphValidationError",
    "Journey",
    "NoRouteError",
    "NoTimetableError",
    "Scenario",
    "ScenarioComparison",
    "ScenarioError",
    "UnknownPlaceError",
    "__version__",
    "accessibility",
    "apply_scenario",
    "betweenness",
    "bundled_path",
    "centrality",
    "check_claims",
    "check_weights",
    "closeness",
    "cluster_summary",
    "clusters",
    "commute",
    "compare",
    "complementary_partners",
    "connections",
    "cooperation_graph",
    "dataset_summary",
    "decay_function",
    "default_origin",
    "earliest_arrival",
    "format_clock",
    "load_dataset",
    "multilayer_graph",
    "nearest_origin_dijkstra",
    "place_ids",
    "rail_graph",
    "reach",
    "reach_bands",
    "reach_summary",
    "read_claims",
    "read_scenario",
    "resolve_place",
    "sector_graph",
    "sector_matrix",
    "sector_pairs",
    "sector_projection",
    "timetable_commute",
    "timetable_reach",
    "timetable_vs_links",
    "toy_dataset",
    "toy_path",
    "travel_time_array",
    "travel_time_matrix",
]
