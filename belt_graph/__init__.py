"""belt_graph: analyse a partnership network of cities by rail travel time and sector cooperation.

The public API: load a dataset, build its layers, ask questions that return DataFrames.

>>> import belt_graph as bg
>>> ds = bg.load_dataset()                      # the bundled Shanghai-Nanjing belt
>>> G = bg.rail_graph(ds)
>>> bg.commute(G, "Putuo", "Nanjing").minutes > 0
True

Every public name is listed once, in ``_PUBLIC`` with the module that defines it, and imported
when first used (``bg.load_dataset`` imports pandas on first access), so that ``import
belt_graph`` and the command line start quickly. No submodule has the name of a public
function (``commute`` is the function; its module is :mod:`belt_graph.routing`), so importing
any submodule leaves every public name as it is.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .centralities import (
        DECAYS,
        accessibility,
        betweenness,
        centrality,
        closeness,
        decay_function,
        place_degree,
    )
    from .claims import (
        check_claims,
        read_claims,
    )
    from .dataset import (
        Dataset,
        Scenario,
        bundled_path,
        dataset_path,
        default_origin,
        has_stations_under_places,
        hub_scores,
        load_dataset,
        parse_clock,
        place_ids,
        read_scenario,
        resolve_place,
        toy_dataset,
        toy_path,
    )
    from .equity import benefits
    from .errors import (
        AmbiguousPlaceError,
        BeltGraphError,
        DataFileError,
        FeedError,
        GraphValidationError,
        NoRouteError,
        NoTimetableError,
        OutputError,
        ScenarioError,
        UnknownPlaceError,
        UnknownScenarioError,
        UnsupportedGraphError,
    )
    from .gtfs import (
        FEED_MIN_TRANSFER_MINUTES,
        export_gtfs,
        import_gtfs,
    )
    from .history import (
        line_openings,
        times_by_year,
    )
    from .network import (
        DOOR_TO_DOOR,
        AccessRule,
        access_rule,
        check_weights,
        cooperation_graph,
        multilayer_graph,
        network_label,
        rail_graph,
        sector_graph,
        simple_graph,
        with_access,
        with_year,
    )
    from .place_builder import (
        build_places,
        write_places,
    )
    from .reachability import (
        fastest_routes,
        nearest_origin_dijkstra,
        reach,
        reach_bands,
        reach_summary,
    )
    from .report import (
        Results,
        write_report,
    )
    from .resilience import (
        close_track,
        criticality,
        trains_on_track,
    )
    from .routing import (
        Commute,
        commute,
        travel_time_array,
        travel_time_matrix,
        travel_time_table,
    )
    from .scenario import (
        ScenarioComparison,
        apply_scenario,
        compare,
        fastest_times,
    )
    from .sectors import (
        cluster_summary,
        clusters,
        complementary_partners,
        sector_matrix,
        sector_pairs,
        sector_projection,
    )
    from .sectors.measured import (
        listed_against_measured,
        location_quotients,
        measure_matrix,
        measured_pairs,
        relatedness_table,
        specialisation_table,
    )
    from .summary import (
        dataset_summary,
    )
    from .timetable import (
        DEFAULT_MIN_TRANSFER_MINUTES,
        MAX_TIMETABLE_HOURS,
        WINDOW_MAX_HOURS,
        Connections,
        Journey,
        connections,
        earliest_arrival,
        engine_available,
        format_clock,
        reach_over_day,
        timetable_commute,
        timetable_reach,
        timetable_vs_links,
        window_accessibility,
        window_summary,
    )

#: the installed version (read when first asked for: ``import belt_graph`` stays instant)
__version__: str

#: public name -> the module (or subpackage) that exports it
_PUBLIC = {
    "DECAYS": "centralities",
    "accessibility": "centralities",
    "betweenness": "centralities",
    "centrality": "centralities",
    "closeness": "centralities",
    "decay_function": "centralities",
    "place_degree": "centralities",
    "check_claims": "claims",
    "read_claims": "claims",
    "Dataset": "dataset",
    "Scenario": "dataset",
    "bundled_path": "dataset",
    "dataset_path": "dataset",
    "default_origin": "dataset",
    "has_stations_under_places": "dataset",
    "hub_scores": "dataset",
    "load_dataset": "dataset",
    "parse_clock": "dataset",
    "place_ids": "dataset",
    "read_scenario": "dataset",
    "resolve_place": "dataset",
    "toy_dataset": "dataset",
    "toy_path": "dataset",
    "AmbiguousPlaceError": "errors",
    "BeltGraphError": "errors",
    "DataFileError": "errors",
    "FeedError": "errors",
    "GraphValidationError": "errors",
    "NoRouteError": "errors",
    "NoTimetableError": "errors",
    "OutputError": "errors",
    "ScenarioError": "errors",
    "UnknownPlaceError": "errors",
    "UnknownScenarioError": "errors",
    "UnsupportedGraphError": "errors",
    "FEED_MIN_TRANSFER_MINUTES": "gtfs",
    "export_gtfs": "gtfs",
    "import_gtfs": "gtfs",
    "line_openings": "history",
    "times_by_year": "history",
    "DOOR_TO_DOOR": "network",
    "AccessRule": "network",
    "access_rule": "network",
    "network_label": "network",
    "with_access": "network",
    "with_year": "network",
    "check_weights": "network",
    "cooperation_graph": "network",
    "multilayer_graph": "network",
    "rail_graph": "network",
    "sector_graph": "network",
    "simple_graph": "network",
    "build_places": "place_builder",
    "write_places": "place_builder",
    "fastest_routes": "reachability",
    "nearest_origin_dijkstra": "reachability",
    "reach": "reachability",
    "reach_bands": "reachability",
    "reach_summary": "reachability",
    "Results": "report",
    "write_report": "report",
    "Commute": "routing",
    "commute": "routing",
    "travel_time_array": "routing",
    "travel_time_matrix": "routing",
    "travel_time_table": "routing",
    "benefits": "equity",
    "close_track": "resilience",
    "criticality": "resilience",
    "trains_on_track": "resilience",
    "ScenarioComparison": "scenario",
    "apply_scenario": "scenario",
    "compare": "scenario",
    "fastest_times": "scenario",
    "cluster_summary": "sectors",
    "clusters": "sectors",
    "complementary_partners": "sectors",
    "sector_matrix": "sectors",
    "sector_pairs": "sectors",
    "sector_projection": "sectors",
    "dataset_summary": "summary",
    "listed_against_measured": "sectors",
    "location_quotients": "sectors",
    "measure_matrix": "sectors",
    "measured_pairs": "sectors",
    "relatedness_table": "sectors",
    "specialisation_table": "sectors",
    "Connections": "timetable",
    "DEFAULT_MIN_TRANSFER_MINUTES": "timetable",
    "Journey": "timetable",
    "MAX_TIMETABLE_HOURS": "timetable",
    "WINDOW_MAX_HOURS": "timetable",
    "connections": "timetable",
    "earliest_arrival": "timetable",
    "engine_available": "timetable",
    "format_clock": "timetable",
    "reach_over_day": "timetable",
    "timetable_commute": "timetable",
    "timetable_reach": "timetable",
    "timetable_vs_links": "timetable",
    "window_accessibility": "timetable",
    "window_summary": "timetable",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("belt-graph")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            found = "0+unknown"
        globals()[name] = found
        return found
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    try:  # a submodule (``bg.plot``, ``bg.report``): no public name is also a submodule's
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DECAYS",
    "DEFAULT_MIN_TRANSFER_MINUTES",
    "DOOR_TO_DOOR",
    "FEED_MIN_TRANSFER_MINUTES",
    "MAX_TIMETABLE_HOURS",
    "WINDOW_MAX_HOURS",
    "AccessRule",
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
    "OutputError",
    "Results",
    "Scenario",
    "ScenarioComparison",
    "ScenarioError",
    "UnknownPlaceError",
    "UnknownScenarioError",
    "UnsupportedGraphError",
    "__version__",
    "access_rule",
    "accessibility",
    "apply_scenario",
    "benefits",
    "betweenness",
    "build_places",
    "bundled_path",
    "centrality",
    "check_claims",
    "check_weights",
    "close_track",
    "closeness",
    "cluster_summary",
    "clusters",
    "commute",
    "compare",
    "complementary_partners",
    "connections",
    "cooperation_graph",
    "criticality",
    "dataset_path",
    "dataset_summary",
    "decay_function",
    "default_origin",
    "earliest_arrival",
    "engine_available",
    "export_gtfs",
    "fastest_routes",
    "fastest_times",
    "format_clock",
    "has_stations_under_places",
    "hub_scores",
    "import_gtfs",
    "line_openings",
    "listed_against_measured",
    "load_dataset",
    "location_quotients",
    "measure_matrix",
    "measured_pairs",
    "multilayer_graph",
    "nearest_origin_dijkstra",
    "network_label",
    "parse_clock",
    "place_degree",
    "place_ids",
    "rail_graph",
    "reach",
    "reach_bands",
    "reach_over_day",
    "reach_summary",
    "read_claims",
    "read_scenario",
    "relatedness_table",
    "resolve_place",
    "sector_graph",
    "sector_matrix",
    "sector_pairs",
    "sector_projection",
    "simple_graph",
    "specialisation_table",
    "times_by_year",
    "timetable_commute",
    "timetable_reach",
    "timetable_vs_links",
    "toy_dataset",
    "toy_path",
    "trains_on_track",
    "travel_time_array",
    "travel_time_matrix",
    "travel_time_table",
    "window_accessibility",
    "window_summary",
    "with_access",
    "with_year",
    "write_places",
    "write_report",
]
