"""The ``belt-graph`` command line: one command per question, thin wrappers over the library.

- :mod:`~belt_graph.cli.group`: the command group, ``--quiet``, :func:`main`
- :mod:`~belt_graph.cli.options`: the shared option bundles (``--data``, ``--format`` ...)
- :mod:`~belt_graph.cli.output`: tables to stdout or a file, progress and notes to stderr
- :mod:`~belt_graph.cli.travel_commands`: info, nodes, commute, matrix, reach, accessibility
- :mod:`~belt_graph.cli.network_commands`: centrality, sectors, specialisation, relatedness,
  clusters, partners, scenario
- :mod:`~belt_graph.cli.file_commands`: draw, export, import-gtfs, build-places, report
"""

from __future__ import annotations

# the command modules register their commands on the group when imported
from . import file_commands, network_commands, travel_commands
from .group import cli, main, run

__all__ = ["cli", "file_commands", "main", "network_commands", "run", "travel_commands"]
