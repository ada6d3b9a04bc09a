"""GTFS in and out: a feed becomes a dataset of stations and one day's timetable, and back.

- :mod:`~belt_graph.gtfs.feed`: reading a feed's files, each check beside the reader it uses
- :mod:`~belt_graph.gtfs.checks`: the checks of each file, every fault located
- :mod:`~belt_graph.gtfs.build`: the network built from a feed (stations, links, changes)
- :mod:`~belt_graph.gtfs.datasheet`: the datasheet and metadata written with the dataset
- :mod:`~belt_graph.gtfs.importer`: :func:`import_gtfs`, which runs them in order
- :mod:`~belt_graph.gtfs.export`: :func:`export_gtfs`, any timetable back to GTFS
"""

from __future__ import annotations

from ..errors import FeedError
from .build import FEED_MIN_TRANSFER_MINUTES, WALK_RULE
from .checks import ROUTE_TYPE_NAMES, route_category
from .export import ExportSummary, export_gtfs
from .feed import Feed, read_feed
from .importer import ImportSummary, import_gtfs

__all__ = [
    "FEED_MIN_TRANSFER_MINUTES",
    "ROUTE_TYPE_NAMES",
    "WALK_RULE",
    "ExportSummary",
    "Feed",
    "FeedError",
    "ImportSummary",
    "export_gtfs",
    "import_gtfs",
    "read_feed",
    "route_category",
]
