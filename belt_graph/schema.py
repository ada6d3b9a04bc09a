"""Names shared by every layer: files, columns, allowed values and edge attributes."""

from __future__ import annotations

# Edge and node attributes of the network layers.
MINUTES = "minutes"
LINE = "line"
MODE = "mode"
LAYER = "layer"

# Files of a dataset folder.
NODES_FILE = "nodes.csv"
LINKS_FILE = "links.csv"
SECTORS_FILE = "sectors.csv"
TAXONOMY_FILE = "sector_taxonomy.csv"
PARTNERSHIPS_FILE = "partnerships.csv"
SCENARIOS_DIR = "scenarios"
CONTEXT_FILE = "context.geojson"
TIMETABLE_FILE = "timetable.csv"

NODE_COLUMNS = ("id", "name", "kind", "lat", "lon")
LINK_COLUMNS = ("source", "target", "minutes", "mode", "line", "status", "source_ref", "data_year")
SECTOR_COLUMNS = ("node", "sector", "evidence", "source_ref")
TAXONOMY_COLUMNS = ("raw_name", "sector", "family")
PARTNERSHIP_COLUMNS = ("source", "target", "signed_on", "focus", "source_ref")
SCENARIO_COLUMNS = ("op",)
TIMETABLE_COLUMNS = ("train", "sequence", "station", "arrival", "departure")

NODE_KINDS = frozenset({"city", "district", "station", "hub"})
# Places are what analyses list; hubs only route. A national rail dataset's nodes are stations.
PLACE_KINDS = frozenset({"city", "district", "station"})
LINK_STATUSES = frozenset({"open", "planned", "closed"})
LINK_MODES = frozenset({"rail", "metro", "bus", "road", "ferry", "walk", "air"})
VALUE_STATUSES = frozenset({"sourced", "official", "unverified", "unknown", "not_applicable"})
SCENARIO_OPS = frozenset({"add_link", "remove_link", "set_minutes", "scale_line", "open_planned"})

# Columns that hold numbers, with whether they may be empty.
NODE_NUMBERS = {"lat": False, "lon": False, "population": True, "gdp_cny_bn": True}
