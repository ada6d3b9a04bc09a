"""The network's files checked row by row into plain records, without pandas.

``nodes.csv``, ``links.csv`` and ``metadata.csv``, every fault located to file, line and
column, exactly as :func:`~belt_graph.dataset.load_dataset` reports them (its readers build
their tables from these records); what the links say of the network's rides (their words,
whether a line's track is ridden on as one ride). A command that needs only the network
(``belt-graph matrix``) reads these three files with :func:`load_network` and runs without
importing pandas.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, cast

from .. import schema as S
from .._units import opened_year
from ._rows import (
    Collector,
    check_choice,
    check_date,
    check_text,
    known_timezone,
    number,
    read_rows,
)
from .paths import DATASETS, bundled_path, resolve_data_path

__all__ = [
    "Network",
    "Words",
    "check_economy",
    "check_folder",
    "check_links",
    "check_nodes",
    "load_network",
    "read_metadata",
    "read_network",
    "ride_on_track",
    "ride_words",
]

#: one row of a file: its columns' values (numbers parsed) and ``_line``, its line
Record = dict[str, object]


def _norm_id(text: str) -> str:
    """Return an id folded for comparison: case and character width (Ｓ and S) ignored."""
    return unicodedata.normalize("NFKC", text).casefold()


def check_nodes(folder: Path, problems: Collector) -> list[Record] | None:
    """Check ``nodes.csv`` row by row; return its rows (None when the file cannot be read).

    Numbers are parsed (NaN where empty or invalid); every row is kept, repeated ids too (the
    table keeps the first of each).
    """
    path = folder / S.NODES_FILE
    rows = read_rows(path, S.NODE_COLUMNS, problems)
    if rows is None:
        return None
    if not rows and not any(p.path == str(path) for p in problems.problems):
        problems.add(path, None, None, "the file has a header but no nodes")
    seen: dict[str, int] = {}
    folded: dict[str, tuple[str, int]] = {}
    records = []
    for line, row in rows:
        node_id = row["id"]
        check_text(node_id, problems, (path, line, "id"), max_chars=S.MAX_ID_CHARS, controls=False)
        if node_id in seen:
            problems.add(
                path, line, "id", f"duplicate id {node_id!r} (first on line {seen[node_id]})"
            )
        elif node_id:
            seen[node_id] = line
            key = _norm_id(node_id)
            if key in folded:
                other, at = folded[key]
                problems.add(
                    path,
                    line,
                    "id",
                    f"id {node_id!r} differs from {other!r} (line {at}) only by case or "
                    "character width, so a name could pick either",
                )
            else:
                folded[key] = (node_id, line)
        check_text(row["name"], problems, (path, line, "name"), max_chars=S.MAX_NAME_CHARS)
        if "name_zh" in row:
            check_text(
                row["name_zh"],
                problems,
                (path, line, "name_zh"),
                max_chars=S.MAX_NAME_CHARS,
                required=False,
            )
        check_choice(row["kind"], S.NODE_KINDS, problems, (path, line, "kind"))
        rec: Record = dict(row)
        # Coordinates may be empty only when the row says they are unknown.
        no_coords = row.get("coord_status") == "unknown"
        if no_coords and (row["lat"] or row["lon"]):
            problems.add(path, line, "coord_status", "is 'unknown' but lat/lon are given")
        for col, low, high in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
            rec[col] = number(
                row[col], problems, (path, line, col), optional=no_coords, low=low, high=high
            )
        rec.update(check_economy(row, problems, path, line))
        if row.get("min_transfer_minutes"):
            rec["min_transfer_minutes"] = number(
                row["min_transfer_minutes"],
                problems,
                (path, line, "min_transfer_minutes"),
                optional=True,
                low=0.0,
                high=S.MAX_CHANGE_MINUTES,
                unit="minutes",
            )
        for status_col in ("population_status", "gdp_status", "coord_status"):
            if row.get(status_col):
                check_choice(row[status_col], S.VALUE_STATUSES, problems, (path, line, status_col))
        rec["_line"] = line
        records.append(rec)
    first = first_of_each(records)
    if records and not any(r["kind"] in S.PLACE_KINDS for r in first.values()):
        problems.add(path, None, "kind", "no node is a place (city, district or station)")
    if records and S.PLACE in records[0]:
        kinds = {node_id: r["kind"] for node_id, r in first.items()}
        for node_id, r in first.items():
            place, at = str(r[S.PLACE]), cast(int, r["_line"])
            if not place:
                continue
            if kinds.get(node_id) not in ("station", "hub"):
                problems.add(path, at, S.PLACE, "only a station belongs to a place")
            elif place not in kinds:
                problems.add(path, at, S.PLACE, f"unknown place {place!r} (not in nodes.csv)")
            elif kinds[place] not in S.OWNER_KINDS:
                problems.add(
                    path, at, S.PLACE, f"{place!r} is a {kinds[place]}, not a city or district"
                )
    return records


def check_economy(
    row: dict[str, str], problems: Collector, path: Path, line: int
) -> dict[str, float]:
    """Check a place's optional ``population`` and ``gdp_cny_bn``; return those it has, parsed.

    NaN where empty or not a plausible number (each fault recorded, located).
    """
    out = {}
    for col, (low, high), unit in (
        ("population", S.POPULATION_RANGE, "persons"),
        ("gdp_cny_bn", S.GDP_CNY_BN_RANGE, "bn CNY"),
    ):
        if col in row:
            out[col] = number(
                row[col], problems, (path, line, col), optional=True, low=low, high=high, unit=unit
            )
    return out


def first_of_each(records: list[Record]) -> dict[str, Record]:
    """Return each id's first row, in the order of the file (as the table keeps them)."""
    first: dict[str, Record] = {}
    for r in records:
        first.setdefault(str(r["id"]), r)
    return first


def check_links(
    folder: Path,
    kind_of: dict[str, str],
    owner: dict[str, str],
    problems: Collector,
) -> tuple[list[str], list[Record]] | None:
    """Check ``links.csv`` row by row; return its columns and rows (None when unreadable).

    ``kind_of`` and ``owner`` give each node's ``kind`` and ``place`` (empty for a node under
    no place); with no nodes known, links are not checked against them. ``minutes`` (and every
    ``minutes_*`` column) are parsed, NaN where empty or invalid.
    """
    path = folder / S.LINKS_FILE
    rows = read_rows(path, S.LINK_COLUMNS, problems, optional=S.LINK_OPTIONAL)
    if rows is None:
        return None
    node_ids = set(kind_of)
    two_level = any(owner.values())
    low, high = S.MINUTES_RANGE
    minute_columns = [c for c in rows[0][1] if c.startswith("minutes_")] if rows else []
    minutes_columns = ("minutes", *minute_columns)
    owner_kinds = S.OWNER_KINDS
    good: dict[tuple[str, str, bool], float] = {}
    seen: dict[tuple[str, ...], int] = {}
    records = []
    for line, row in rows:
        for col in ("source", "target"):
            if not row[col]:
                problems.add(path, line, col, "a value is required")
            elif node_ids and row[col] not in node_ids:
                problems.add(path, line, col, f"unknown node {row[col]!r} (not in nodes.csv)")
        if row["source"] and row["source"] == row["target"]:
            problems.add(path, line, "target", "a link must join two different nodes")
        check_choice(row["status"], S.LINK_STATUSES, problems, (path, line, "status"))
        check_choice(row["mode"], S.LINK_MODES, problems, (path, line, "mode"))
        kind = row["kind"]
        if kind:
            check_choice(kind, S.LINK_KINDS, problems, (path, line, "kind"))
        a, b = row["source"], row["target"]
        # only an access link, or one with a place at an end, has rules for its ends
        if (
            a in node_ids
            and b in node_ids
            and (kind == "access" or kind_of[a] in owner_kinds or kind_of[b] in owner_kinds)
        ):
            _check_link_ends(kind, [a, b], kind_of, owner, two_level, problems, (path, line))
        key = tuple(row.values())  # before the numbers are parsed: the file's own text
        if key in seen:
            problems.add(path, line, None, f"repeats line {seen[key]} exactly")
        else:
            seen[key] = line
        rec: Record = row  # type: ignore[assignment] # parsed in place (no copy)
        # an access link may take no time: a place is reached at its own stations
        access = kind == "access"
        for col in minutes_columns:
            # a value read once is known for every row with the same rule (only good values
            # are remembered: a bad one is reported on every line it is on)
            text = row[col]
            known = good.get((text, col, access))
            if known is None:
                before = len(problems)
                known = number(
                    text,
                    problems,
                    (path, line, col),
                    optional=col != "minutes",
                    positive=not access,
                    low=0.0 if access else low,
                    high=high,
                    unit="minutes",
                )
                if len(problems) == before:
                    good[(text, col, access)] = known
            rec[col] = known
        if row.get(S.OPENED):
            try:
                opened_year(row[S.OPENED])
            except ValueError as err:
                problems.add(path, line, S.OPENED, str(err))
        if row["data_year"]:
            year = number(
                row["data_year"],
                problems,
                (path, line, "data_year"),
                optional=True,
                low=S.DATA_YEAR_RANGE[0],
                high=S.DATA_YEAR_RANGE[1],
            )
            if math.isfinite(year) and not year.is_integer():
                problems.add(path, line, "data_year", f"expected a year, got {row['data_year']!r}")
        rec["_line"] = line
        records.append(rec)
    columns = (
        [*rows[0][1].keys(), "_line"] if rows else [*S.LINK_COLUMNS, *S.LINK_OPTIONAL, "_line"]
    )
    return columns, records


def _check_link_ends(
    kind: str,
    ends: list[str],
    kind_of: dict[str, str],
    owner: dict[str, str],
    two_level: bool,
    problems: Collector,
    where: tuple[Path, int],
) -> None:
    """Which nodes each kind of link may join (stations under places)."""
    is_place = [kind_of.get(e) in S.OWNER_KINDS for e in ends]
    col = "target" if is_place[1] and not is_place[0] else "source"
    if kind == "access":
        if is_place.count(True) != 1:
            problems.add(*where, col, "an access link joins a place and one of its stations")
        else:
            place, station = (ends[0], ends[1]) if is_place[0] else (ends[1], ends[0])
            # a place reaches its own stations, and stations of no place (Putuo, a district,
            # also uses Shanghai's main stations), never another place's
            if owner.get(station) not in (place, ""):
                problems.add(
                    *where,
                    "target" if station == ends[1] else "source",
                    f"station {station!r} belongs to {owner.get(station)!r}, not {place!r} (its "
                    "'place' in nodes.csv); a place reaches its own stations and those of no "
                    "place",
                )
    elif kind == "transfer" and any(is_place):
        problems.add(*where, col, "a transfer (change of station) joins two stations")
    elif two_level and any(is_place):
        what = f"a {kind} link" if kind else "a link without a kind"
        problems.add(
            *where, col, f"{what} joins stations; a place reaches its stations by access links"
        )


def read_metadata(folder: Path, problems: Collector) -> dict[str, str]:
    """Check ``metadata.csv`` (key, value) if there is one; return its keys and values."""
    path = folder / S.METADATA_FILE
    if not path.exists():
        return {}
    rows = read_rows(path, S.METADATA_COLUMNS, problems, optional=("source",)) or []
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line, row in rows:
        key, value = row["key"], row["value"]
        check_text(key, problems, (path, line, "key"), max_chars=S.MAX_ID_CHARS, controls=False)
        check_text(value, problems, (path, line, "value"), max_chars=2000, required=False)
        if key in seen:
            problems.add(path, line, "key", f"duplicate key {key!r} (first on line {seen[key]})")
            continue
        seen[key] = line
        if key == "timezone" and value and not known_timezone(value):
            problems.add(path, line, "value", f"unknown time zone {value!r} (an IANA name)")
        elif key in ("service_start", "service_end"):
            check_date(value, problems, (path, line, "value"))
        elif key == "url" and value and not re.match(S.WEB_URL_PATTERN, value):
            problems.add(path, line, "value", f"expected an http(s) URL, got {value!r}")
        elif key == S.RIDE_ON_TRACK and value.strip().lower() not in ("yes", "no"):
            problems.add(path, line, "value", f"expected yes or no, got {value!r}")
        out[key] = value
    start, end = out.get("service_start", ""), out.get("service_end", "")
    if start and end and start > end:
        problems.add(path, seen["service_end"], "value", f"{end} is before service_start {start}")
    return out


class Words(NamedTuple):
    """The words a report uses for a network's mode, its vehicles and its stops."""

    mode: str  # "rail", "bus", "public transport"
    vehicle: str  # "train", "bus", "vehicle"
    vehicles: str
    stop: str  # "station", "stop"
    stops: str


_WORDS = {
    "rail": Words("rail", "train", "trains", "station", "stations"),
    "metro": Words("metro", "train", "trains", "station", "stations"),
    "tram": Words("tram", "tram", "trams", "stop", "stops"),
    "bus": Words("bus", "bus", "buses", "stop", "stops"),
    "ferry": Words("ferry", "ferry", "ferries", "stop", "stops"),
    "cable": Words("cable car", "cable car", "cable cars", "station", "stations"),
    "air": Words("air", "flight", "flights", "airport", "airports"),
}
_MIXED = Words("public transport", "vehicle", "vehicles", "stop", "stops")
#: Link modes that are not a ride: getting to a station, walking, changing by road
_NOT_RIDES = frozenset({"", "access", "walk", "road"})


def ride_words(links: Iterable[tuple[str, str]]) -> Words:
    """Return the words for a network's rides, from the ``(kind, mode)`` of each link.

    Only rides count (kind ``track``, ``service`` or none; not a mode such as ``walk``). One
    mode gives its own words (a GTFS feed's route types become ``bus``, ``tram``, ``metro``,
    ``rail``, ``ferry``...); rail and metro together are rail; any other mix is ``public
    transport`` with ``vehicles`` and ``stops``; no mode at all is rail.
    """
    modes = {mode for kind, mode in links if kind in _RIDE_KINDS} - _NOT_RIDES
    if not modes or modes <= {"rail", "metro"}:
        return _WORDS["rail"] if "rail" in modes or not modes else _WORDS["metro"]
    if len(modes) == 1:
        return _WORDS.get(next(iter(modes)), _MIXED)
    return _MIXED


_RIDE_KINDS = frozenset({"track", "service", ""})


def ride_on_track(metadata: dict[str, str]) -> bool:
    """Return whether riding on along one line's track is one ride (``ride_on_track: yes``).

    A feed imported before that key (its metadata names a ``source_feed``) too.
    """
    value = metadata.get(S.RIDE_ON_TRACK)
    if value is not None:
        return str(value).strip().lower() == "yes"  # the reader allows yes or no
    return bool(metadata.get("source_feed"))


@dataclass(frozen=True)
class Network:
    """A dataset's network files, checked: see :func:`read_network`."""

    path: Path
    #: every row of ``nodes.csv`` (None: the file could not be read)
    node_rows: list[Record] | None
    #: the columns and rows of ``links.csv``, numbers parsed (None: the file could not be read)
    link_table: tuple[list[str], list[Record]] | None
    metadata: dict[str, str]

    @functools.cached_property
    def nodes(self) -> dict[str, Record]:
        """Each node id's row (the first, where an id repeats), in the order of the file."""
        return first_of_each(self.node_rows or [])

    @property
    def links(self) -> list[Record]:
        """Every row of ``links.csv``."""
        return self.link_table[1] if self.link_table else []


def check_folder(path: str | Path | None, problems: Collector) -> Path:
    """Return the dataset folder ``path`` names (None: the bundled belt), or raise if none.

    A name of a bundled dataset works where no folder of that name exists.
    """
    folder = bundled_path() if path is None else resolve_data_path(path)
    if not folder.is_dir():
        what = (
            "is not a folder"
            if folder.exists()
            else "dataset folder not found (datasets by name: " + ", ".join(DATASETS) + ")"
        )
        problems.add(folder, None, None, what)
        problems.raise_if_any()
    return folder


def load_network(path: str | Path | None = None) -> Network:
    """Read and check only the network files of a dataset folder.

    ``nodes.csv``, ``links.csv`` and ``metadata.csv``; the other files are not read.

    Raises
    ------
    DataFileError
        Every problem of those files, located, as :func:`~belt_graph.dataset.load_dataset`
        reports them.
    """
    problems = Collector()
    folder = check_folder(path, problems)
    node_rows, link_table = read_network(folder, problems)
    metadata = read_metadata(folder, problems)
    problems.raise_if_any()
    return Network(folder, node_rows, link_table, metadata)


def read_network(
    folder: Path, problems: Collector
) -> tuple[list[Record] | None, tuple[list[str], list[Record]] | None]:
    """Check a dataset's ``nodes.csv`` and ``links.csv``: their rows, as :class:`Network` holds.

    Every problem is recorded in ``problems`` (the caller raises them).
    """
    node_rows = check_nodes(folder, problems)
    first = first_of_each(node_rows or [])
    kind_of = {k: str(r["kind"]) for k, r in first.items()}
    owner = {k: str(r.get(S.PLACE, "")) for k, r in first.items()}
    link_table = check_links(folder, kind_of, owner, problems)
    if node_rows is None:  # nodes.csv could not be read: "unknown node" everywhere would bury it
        problems.problems = [
            p for p in problems.problems if not p.message.endswith("(not in nodes.csv)")
        ]
    return node_rows, link_table
