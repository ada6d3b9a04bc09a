"""Names shared by every layer: files, columns, allowed values and edge attributes."""

from __future__ import annotations

# Edge and node attributes of the network layers.
MINUTES = "minutes"
LINE = "line"
MODE = "mode"
LAYER = "layer"
#: Edge attribute: the link's kind (see LINK_KINDS); empty for datasets of places only.
KIND = "kind"
#: Node attribute: False for a node that routes never pass through (a place with stations).
TRANSIT = "transit"
#: Node column and attribute: the place a station belongs to.
PLACE = "place"
#: Link column: when the link first ran (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``); the network
#: of a year (``--year``) keeps the links opened by its end. Empty: open in every year.
OPENED = "opened"

# Files of a dataset folder.
NODES_FILE = "nodes.csv"
LINKS_FILE = "links.csv"
SECTORS_FILE = "sectors.csv"
TAXONOMY_FILE = "sector_taxonomy.csv"
PARTNERSHIPS_FILE = "partnerships.csv"
SCENARIOS_DIR = "scenarios"
CONTEXT_FILE = "context.geojson"
TIMETABLE_FILE = "timetable.csv"
#: Facts about a dataset as a whole (key, value, source): time zone, URL, language, the dates
#: its timetable runs. Optional; GTFS import writes it and GTFS export reads it.
METADATA_FILE = "metadata.csv"
#: Graph attribute and metadata key: ``yes`` where a track link's line is a route whose vehicles
#: run on from stop to stop (an imported GTFS feed: the route's consecutive stops), so riding on
#: along one line's track is one ride with no change. Elsewhere (the belt, the national
#: timetables) a track link is one train's ride between consecutive stops and a longer ride is a
#: service link of its own.
RIDE_ON_TRACK = "ride_on_track"
METADATA_COLUMNS = ("key", "value")

NODE_COLUMNS = ("id", "name", "kind", "lat", "lon")
LINK_COLUMNS = ("source", "target", "minutes", "mode", "status")
#: Link columns that may be left out of the file (they default to empty).
LINK_OPTIONAL = ("line", "source_ref", "data_year", "kind", "opened")
SECTOR_COLUMNS = ("node", "sector", "evidence", "source_ref")
TAXONOMY_COLUMNS = ("raw_name", "sector", "family")
#: ``scope`` of a canonical sector in ``sector_taxonomy.csv``: ``sector`` (one industry) or
#: ``family`` (a name for a whole family, such as "new materials": it overlaps with every member
#: of its family and is never complementary to one).
SECTOR_SCOPES = ("sector", "family")
PARTNERSHIP_COLUMNS = ("source", "target", "signed_on", "focus", "source_ref")
SCENARIO_COLUMNS = ("op",)
CLAIM_COLUMNS = ("claim_id", "text", "kind", "subject", "low", "high")
CLAIM_OPTIONAL = ("param", "unit", "source_ref")
CLAIM_KINDS = frozenset(
    {"population_total", "gdp_count_above", "gdp_value", "travel_minutes", "travel_max"}
)
CLAIMS_FILE = "claims.csv"
#: A measured quantity per region and sector (employment by GB/T 4754 section): ``region`` (a
#: city of the reference table), ``place`` (the node it stands for, or empty for a region only
#: in the reference), ``sector``, ``value``, ``unit``, ``year``, ``source_ref``.
MEASURES_FILE = "sector_measures.csv"
MEASURE_COLUMNS = ("region", "sector", "value", "unit", "year", "source_ref")
MEASURE_OPTIONAL = ("place", "status", "note")
#: The largest value of sector_measures.csv: seven times China's 2023 GDP in yuan (1.26e14),
#: so that the sums behind a location quotient stay far from float overflow.
MAX_MEASURE = 1e15
TIMETABLE_COLUMNS = ("train", "sequence", "station", "arrival", "departure")
#: Optional timetable columns: the train's line and mode, and whether a traveller may board
#: (``pickup``) and leave (``drop_off``) at a call: ``no``, or ``yes`` / empty.
TIMETABLE_OPTIONAL = ("line", "mode", "pickup", "drop_off", "service_day")
#: The longest minimum change time of one station (``min_transfer_minutes`` of nodes.csv).
MAX_CHANGE_MINUTES = 24 * 60.0

NODE_KINDS = frozenset({"city", "district", "station", "hub"})
# Places are what analyses list; hubs only route. A dataset with no city or district (a national
# rail network) lists its stations as places; one with cities and stations lists the cities.
PLACE_KINDS = frozenset({"city", "district", "station"})
#: Kinds of node that can own stations (``place`` column of a station).
OWNER_KINDS = frozenset({"city", "district"})


def place_kinds(kinds: object) -> frozenset[str | None]:
    """Return the node kinds that are places, given every node's kind (any iterable).

    Cities and districts; a network with neither (stations only) lists its stations, and a
    plain graph's nodes without a ``kind`` (None) are places too.
    """
    present = set(kinds)  # type: ignore[call-overload]
    return OWNER_KINDS if present & OWNER_KINDS else frozenset({"station", None})


LINK_STATUSES = frozenset({"open", "planned", "closed"})
LINK_MODES = frozenset(
    {"rail", "metro", "tram", "bus", "road", "ferry", "cable", "walk", "air", "access"}
)
#: Kinds of link in a dataset of stations under places:
#: track (adjacent stations of one line), service (the fastest train between two stations it
#: serves, express or not), transfer (a change between two stations of one city, never free),
#: access (a place to one of its stations), section (adjacent stations of one line that no train
#: stops at both of, one after the other: trains only pass it, so it is track and never a ride).
#: Datasets of places only leave ``kind`` empty.
LINK_KINDS = frozenset({"track", "service", "transfer", "access", "section"})
#: The link kinds of each network: travel times use every link; structure (degree,
#: betweenness) the physical track, the changes between stations and the access links.
NETWORK_KINDS = {
    "service": frozenset({"track", "service", "transfer", "access", ""}),
    "track": frozenset({"track", "section", "transfer", "access", ""}),
}
VALUE_STATUSES = frozenset({"sourced", "official", "unverified", "unknown", "not_applicable"})
SCENARIO_OPS = frozenset({"add_link", "remove_link", "set_minutes", "scale_line", "open_planned"})

# Plausible bounds of numbers in a dataset (inclusive); a value outside is refused as a typo.
#: Minutes of one link: at least one second, at most a week.
MINUTES_RANGE = (1 / 60, 7 * 24 * 60.0)
#: Persons in one place: at most about the world's population.
POPULATION_RANGE = (0.0, 1e10)
#: Billion CNY of one place's GDP: at most about the world's GDP (about 750,000 bn CNY in 2024).
GDP_CNY_BN_RANGE = (0.0, 1e6)
#: Years a link's data may be from.
DATA_YEAR_RANGE = (1825, 2100)
#: Longest id and longest name (characters).
MAX_ID_CHARS = 100
MAX_NAME_CHARS = 200

#: The diagrams drawn by name (:func:`belt_graph.report.draw_kind`, ``belt-graph draw KIND``).
DRAW_KINDS = (
    "map",
    "reach",
    "traveltime",
    "matrix",
    "centrality",
    "sectors",
    "industry",
    "lq",
    "scenario",
    "timetable",
    "window",
    "day",
    "years",
    "timeline",
    "changes",
    "critical",
    "criticality",
)

#: A web address as metadata.csv takes it (``url``).
WEB_URL_PATTERN = r"https?://\S+$"

#: Minimum minutes between arriving on one train and departing on another at the same
#: station. An assumption (no source gives one national figure): set your own.
DEFAULT_MIN_TRANSFER_MINUTES = 15.0
#: The nodes.csv column of a station's own minimum change time.
MIN_TRANSFER = "min_transfer_minutes"

#: Which time answers count: ``in-vehicle`` (minutes on trains, walking and changing, as the
#: article's claims count) or ``expected`` (adding the expected wait for each boarding).
TIMES = ("in-vehicle", "expected")
#: The service day over which a link's trains per day are spread (06:00 to 24:00): the expected
#: wait for a train is half the mean headway in one direction, ``SERVICE_DAY_MINUTES /
#: trains_per_day`` (``trains_per_day`` counts both directions). An assumption.
SERVICE_DAY_MINUTES = 1080.0
#: The longest expected wait charged per boarding (also for a link whose frequency is unknown):
#: a rider facing a longer headway plans to the timetable instead of turning up. An assumption.
WAIT_CAP_MINUTES = 30.0
