"""Dataset folders in, validated tables out: reading, checking, name lookup, bundled datasets.

- :mod:`~belt_graph.dataset.paths`: where datasets are (:func:`dataset_path`, :func:`toy_path`)
- :mod:`~belt_graph.dataset.core`: the :class:`Dataset` of tables
- :mod:`~belt_graph.dataset.readers`: one reader per file, every fault located
- :mod:`~belt_graph.dataset.load`: :func:`load_dataset`, which runs them all
- :mod:`~belt_graph.dataset.lookup`: place ids, hubs, the default origin, :func:`resolve_place`
- :mod:`~belt_graph.dataset.scenario_files`: reading and applying scenario files
- :mod:`~belt_graph.dataset.synthetic`: seeded rail-like networks and timetables for benchmarks
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._units import lazy_attributes

if TYPE_CHECKING:
    from ._rows import parse_clock
    from .core import Dataset
    from .load import load_dataset, toy_dataset
    from .lookup import (
        default_origin,
        has_stations_under_places,
        hub_scores,
        place_ids,
        resolve_place,
    )
    from .paths import DATASETS, bundled_path, dataset_path, resolve_data_path, toy_path
    from .scenario_files import Scenario, read_scenario
    from .synthetic import rail_like_network, rail_like_timetable, synthetic_sectors

#: public name -> the submodule that defines it, imported when first asked for: the readers
#: that need no pandas (:mod:`~belt_graph.dataset.network_files`, :mod:`._rows`) can be used
#: without importing it
_PUBLIC = {
    "parse_clock": "_rows",
    "Dataset": "core",
    "load_dataset": "load",
    "toy_dataset": "load",
    "default_origin": "lookup",
    "has_stations_under_places": "lookup",
    "hub_scores": "lookup",
    "place_ids": "lookup",
    "resolve_place": "lookup",
    "DATASETS": "paths",
    "bundled_path": "paths",
    "dataset_path": "paths",
    "resolve_data_path": "paths",
    "toy_path": "paths",
    "Scenario": "scenario_files",
    "read_scenario": "scenario_files",
    "rail_like_network": "synthetic",
    "rail_like_timetable": "synthetic",
    "synthetic_sectors": "synthetic",
}


__all__ = [
    "DATASETS",
    "Dataset",
    "Scenario",
    "bundled_path",
    "dataset_path",
    "default_origin",
    "has_stations_under_places",
    "hub_scores",
    "load_dataset",
    "parse_clock",
    "place_ids",
    "rail_like_network",
    "rail_like_timetable",
    "read_scenario",
    "resolve_data_path",
    "resolve_place",
    "synthetic_sectors",
    "toy_dataset",
    "toy_path",
]

__getattr__, __dir__ = lazy_attributes(__name__, _PUBLIC, __all__)
