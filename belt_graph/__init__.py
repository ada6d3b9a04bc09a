"""belt_graph: analyse a partnership network of cities by rail travel time and sector cooperation.

The public API: load a dataset, build its layers, ask questions that return DataFrames.

>>> import belt_graph as bg
>>> ds = bg.load_dataset()                      # the bundled Shanghai-Nanjing belt
>>> G = bg.rail_graph(ds)
>>> bg.commute(G, "Putuo", "Nanjing").minutes > 0
True

The names below are imported when first used (``bg.load_dataset`` imports pandas on first
access), so that ``import belt_graph`` and the command line start quickly.
"""

from __future__ import annotations

import importlib
import sys
import types
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .centrality import (
        DECAYS,
        accessibility,
        betweenness,
        centrality,
        closeness,
        decay_function,
    )
    from .claims import check_claims, read_claims
    from .commute import Commute, commute, travel_time_array, travel_time_matrix
    from .dataset import (
        Dataset,
        bundled_path,
        dataset_path,
        default_origin,
        hub_scores,
        load_dataset,
        parse_clock,
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
        UnknownScenarioError,
        UnsupportedGraphError,
    )
    from .gtfs import FeedError, export_gtfs, import_gtfs
    from .network import (
        check_weights,
        cooperation_graph,
        multilayer_graph,
        rail_graph,
        sector_graph,
        simple_graph,
        toy_dataset,
        toy_path,
    )
    from .places import build_places, write_places
    from .reach import fastest_routes, nearest_origin_dijkstra, reach, reach_bands, reach_summary
    from .scenario import (
        Scenario,
        ScenarioComparison,
        apply_scenario,
        compare,
        fastest_times,
        read_scenario,
    )
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
        MAX_TIMETABLE_HOURS,
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

#: public name -> the module that defines it
_PUBLIC = {
    "DECAYS": "centrality",
    "accessibility": "centrality",
    "betweenness": "centrality",
    "centrality": "centrality",
    "closeness": "centrality",
    "decay_function": "centrality",
    "place_degree": "centrality",
    "check_claims": "claims",
    "read_claims": "claims",
    "Commute": "commute",
    "commute": "commute",
    "travel_time_array": "commute",
    "travel_time_matrix": "commute",
    "Dataset": "dataset",
    "bundled_path": "dataset",
    "dataset_path": "dataset",
    "default_origin": "dataset",
    "hub_scores": "dataset",
    "load_dataset": "dataset",
    "parse_clock": "dataset",
    "place_ids": "dataset",
    "resolve_place": "dataset",
    "AmbiguousPlaceError": "errors",
    "BeltGraphError": "errors",
    "DataFileError": "errors",
    "GraphValidationError": "errors",
    "NoRouteError": "errors",
    "NoTimetableError": "errors",
    "ScenarioError": "errors",
    "UnknownPlaceError": "errors",
    "UnknownScenarioError": "errors",
    "UnsupportedGraphError": "errors",
    "FeedError": "gtfs",
    "export_gtfs": "gtfs",
    "import_gtfs": "gtfs",
    "build_places": "places",
    "write_places": "places",
    "check_weights": "network",
    "cooperation_graph": "network",
    "multilayer_graph": "network",
    "rail_graph": "network",
    "sector_graph": "network",
    "simple_graph": "network",
    "toy_dataset": "network",
    "toy_path": "network",
    "nearest_origin_dijkstra": "reach",
    "fastest_routes": "reach",
    "reach": "reach",
    "reach_bands": "reach",
    "reach_summary": "reach",
    "Scenario": "scenario",
    "ScenarioComparison": "scenario",
    "apply_scenario": "scenario",
    "compare": "scenario",
    "fastest_times": "scenario",
    "read_scenario": "scenario",
    "cluster_summary": "sectors",
    "clusters": "sectors",
    "complementary_partners": "sectors",
    "sector_matrix": "sectors",
    "sector_pairs": "sectors",
    "sector_projection": "sectors",
    "dataset_summary": "summary",
    "DEFAULT_MIN_TRANSFER_MINUTES": "timetable",
    "MAX_TIMETABLE_HOURS": "timetable",
    "Connections": "timetable",
    "Journey": "timetable",
    "connections": "timetable",
    "earliest_arrival": "timetable",
    "format_clock": "timetable",
    "timetable_commute": "timetable",
    "timetable_reach": "timetable",
    "timetable_vs_links": "timetable",
}


class _Package(types.ModuleType):
    """The package module: ``commute``, ``reach`` and ``centrality`` name functions.

    Importing a submodule binds it as an attribute of its package; three submodules share
    their name with the function they define, so that binding is skipped and ``bg.commute``
    stays the function (the modules remain in ``sys.modules``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _PUBLIC.get(name) == name:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    try:
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DECAYS",
    "DEFAULT_MIN_TRANSFER_MINUTES",
    "MAX_TIMETABLE_HOURS",
    "AmbiguousPlaceError",
    "BeltGraphError",
    "Commute",
    "Connections",
    "DataFileError",
    "Dataset",
    "FeedError",
    "GraphValidationError",
    "Journey",
    "NoRouteError",
    "NoTimetableError",
    "Scenario",
    "ScenarioComparison",
    "ScenarioError",
    "UnknownPlaceError",
    "UnknownScenarioError",
    "UnsupportedGraphError",
    "__version__",
    "accessibility",
    "apply_scenario",
    "betweenness",
    "build_places",
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
    "dataset_path",
    "dataset_summary",
    "decay_function",
    "default_origin",
    "earliest_arrival",
    "export_gtfs",
    "fastest_routes",
    "fastest_times",
    "format_clock",
    "hub_scores",
    "import_gtfs",
    "load_dataset",
    "multilayer_graph",
    "nearest_origin_dijkstra",
    "parse_clock",
    "place_degree",
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
    "simple_graph",
    "timetable_commute",
    "timetable_reach",
    "timetable_vs_links",
    "toy_dataset",
    "toy_path",
    "travel_time_array",
    "travel_time_matrix",
    "write_places",
]
