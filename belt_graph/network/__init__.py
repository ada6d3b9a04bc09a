"""The journey kernel: a dataset's layers as graphs, and the fastest journeys on them.

Every question about travel (a commute, a matrix, reach, centrality) runs on what this package
builds, from the floor up:

- :mod:`~belt_graph.network.dijkstra`: Dijkstra's search over a CSR graph (compiled with numba
  where it is installed): a bucket queue for whole minutes, an indexed heap otherwise.
- :mod:`~belt_graph.network.repair`: the minutes again after some links get slower or go,
  searching only the subtrees of the fastest paths that ran over them (criticality).
- :mod:`~belt_graph.network.brandes`: betweenness and closeness sums on that search.
- :mod:`~belt_graph.network.access`: how a rider gets from a place to a station and from a
  station to a place (access and egress, door to door), and between two stations of one place
  (a change of station): the stated rules, and the network by year.
- :mod:`~belt_graph.network.arrays`: the place matrix on arrays (no NetworkX, no pandas),
  straight from a dataset's checked rows or fed from a graph; the journey graph's matrix.
- :mod:`~belt_graph.network.layers`: :func:`rail_graph` and the other layers of a dataset
  (NetworkX graphs), and the checks every weighted search runs first.
- :mod:`~belt_graph.network.journeys`: the journey graph of a network of services, where every
  change of train costs time.
- :mod:`~belt_graph.network.paths`: the searches the analyses share (chunks of origins, a
  cutoff search from several origins at once).

Each module imports only from the ones above it in this list. The names below are imported
when first asked for, so that a command reading only a network's files (``belt-graph matrix``)
imports neither NetworkX nor pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._units import lazy_attributes

if TYPE_CHECKING:
    from .access import DOOR_TO_DOOR, AccessRule, access_rule
    from .layers import (
        check_weights,
        cooperation_graph,
        is_two_level,
        multilayer_graph,
        network_label,
        rail_graph,
        sector_graph,
        simple_graph,
        with_access,
        with_year,
    )

#: public name -> the submodule that defines it, imported when first asked for
_PUBLIC = {
    "DOOR_TO_DOOR": "access",
    "AccessRule": "access",
    "access_rule": "access",
    "network_label": "layers",
    "with_access": "layers",
    "with_year": "layers",
    "check_weights": "layers",
    "cooperation_graph": "layers",
    "is_two_level": "layers",
    "multilayer_graph": "layers",
    "rail_graph": "layers",
    "sector_graph": "layers",
    "simple_graph": "layers",
}


__all__ = [
    "DOOR_TO_DOOR",
    "AccessRule",
    "access_rule",
    "check_weights",
    "cooperation_graph",
    "is_two_level",
    "multilayer_graph",
    "network_label",
    "rail_graph",
    "sector_graph",
    "simple_graph",
    "with_access",
    "with_year",
]

__getattr__, __dir__ = lazy_attributes(__name__, _PUBLIC, __all__)
