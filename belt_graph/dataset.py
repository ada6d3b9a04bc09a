"""Read and validate a dataset folder of CSV files; find the bundled belt dataset.

A dataset is a folder with ``nodes.csv`` and ``links.csv`` and, optionally, ``sectors.csv``,
``sector_taxonomy.csv``, ``partnerships.csv``, ``scenarios/*.csv`` and ``context.geojson``
(see ``data/README.md`` for every column). :func:`load_dataset` checks every file and reports
all problems at once in one :class:`~belt_graph.errors.DataFileError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as S
from .errors import AmbiguousPlaceError, DataFileError, Problem, UnknownPlaceError

__all__ = [
    "Dataset",
    "bundled_path",
    "default_origin",
    "load_dataset",
    "parse_clock",
    "place_ids",
    "resolve_place",
]

MAX_PROBLEMS = 200


def bundled_path() -> Path:
    """Return the folder of the bundled Shanghai-Nanjing belt dataset.

    Installed, the dataset lives inside the package (``belt_graph/_bundled``, mapped from the
    repository's ``data/belt`` at build time); in a source checkout it is ``data/belt``.
    """
    here = Path(__file__).resolve().parent
    installed = here / "_bundled"
    if (installed / S.NODES_FILE).is_file():
        return installed
    return here.parent / "data" / "belt"


@dataclass(frozen=True)
class Dataset:
    """The validated tables of one dataset folder.

    Attributes
    ----------
    path : Path
        The folder it was read from.
    nodes : DataFrame
        Indexed by ``id``; columns of ``nodes.csv`` with ``lat``, ``lon``, ``population``
        (persons) and ``gdp_cny_bn`` (billion CNY) as floats (NaN when empty).
    links : DataFrame
        Columns of ``links.csv``; ``minutes`` as float.
    sectors : DataFrame
        Columns ``node``, ``sector`` (canonical), ``family``, ``sector_raw``, ``evidence``,
        ``source_ref``; empty when the dataset has no ``sectors.csv``.
    partnerships : DataFrame
        Columns of ``partnerships.csv``; empty when absent.
    taxonomy : DataFrame
        ``sector_taxonomy.csv`` (``raw_name``, ``sector``, ``family``, ...); empty when absent.
    scenarios : dict
        Scenario name (file stem) to path, from ``scenarios/*.csv``.
    context : Path or None
        ``context.geojson`` (rivers, lakes, coastline for maps) if the folder has one.
    timetable : DataFrame or None
        ``timetable.csv`` if the folder has one: ``train``, ``sequence`` (int), ``station``,
        ``arrival``, ``departure`` (text as in the file) and ``arrival_minutes``,
        ``departure_minutes`` (minutes after midnight of the train's first day, NaN when empty),
        sorted by train and sequence. A train rides from one stop to the next where the first
        has a departure and the second an arrival; a missing time leaves that ride out.
    """

    path: Path
    nodes: pd.DataFrame
    links: pd.DataFrame
    sectors: pd.DataFrame
    partnerships: pd.DataFrame
    taxonomy: pd.DataFrame
    scenarios: dict[str, Path] = field(default_factory=dict)
    context: Path | None = None
    timetable: pd.DataFrame | None = None

    @property
    def name(self) -> str:
        """The folder's name, e.g. ``belt`` (also for the bundled copy inside the package)."""
        return "belt" if self.path.name == "_bundled" else self.path.name

    def __repr__(self) -> str:
        places = int(self.nodes["kind"].isin(S.PLACE_KINDS).sum())
        return (
            f"<Dataset {self.name!r}: {len(self.nodes)} nodes ({places} places), "
            f"{len(self.links)} links, {len(self.sectors)} sector rows, "
            f"{len(self.partnerships)} partnerships, {len(self.scenarios)} scenarios"
            + ("" if self.timetable is None else f", timetable of {len(self.timetable)} calls")
            + ">"
        )

    def with_links(self, links: pd.DataFrame) -> Dataset:
        """Return a copy of this dataset with another links table."""
        return Dataset(
            self.path,
            self.nodes,
            links.reset_index(drop=True),
            self.sectors,
            self.partnerships,
            self.taxonomy,
            dict(self.scenarios),
            self.context,
            self.timetable,
        )


class _Collector:
    """Collects problems across files, up to a limit."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path | str, line: int | None, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(str(path), line, column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataFileError(self.problems)


def read_rows(
    path: Path, required: Iterable[str], problems: _Collector
) -> list[tuple[int, dict[str, str]]] | None:
    """Read a UTF-8 CSV file into ``(line number, row)`` pairs, recording every fault.

    Returns None when the file cannot be used at all (missing, undecodable, empty, or a required
    column is absent); problems are recorded in ``problems``.
    """
    if not path.is_file():
        problems.add(path, None, None, "file not found")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(path, line, None, f"not valid UTF-8 (byte {raw[err.start]:#04x})")
        return None
    if not text.strip():
        problems.add(path, None, None, "file is empty (a header row is required)")
        return None
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader)]
    missing = [c for c in required if c not in header]
    for c in missing:
        problems.add(path, 1, c, "required column is missing")
    dupes = {h for h in header if header.count(h) > 1}
    for c in sorted(dupes):
        problems.add(path, 1, c, "column appears more than once")
    if missing or dupes:
        return None
    rows = []
    for lineno, values in enumerate(reader, start=2):
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.add(path, lineno, None, f"expected {len(header)} fields, got {len(values)}")
            continue
        rows.append((lineno, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    return rows


def _number(
    value: str,
    problems: _Collector,
    where: tuple[Path, int, str],
    *,
    optional: bool,
    positive: bool = False,
    low: float = -math.inf,
    high: float = math.inf,
) -> float:
    path, line, column = where
    if value == "":
        if not optional:
            problems.add(path, line, column, "a value is required")
        return math.nan
    try:
        x = float(value)
    except ValueError:
        kind = "a positive number" if positive else "a number"
        problems.add(path, line, column, f"expected {kind}, got {value!r}")
        return math.nan
    if not math.isfinite(x) or (positive and x <= 0):
        kind = "a positive finite number" if positive else "a finite number"
        problems.add(path, line, column, f"expected {kind}, got {value!r}")
        return math.nan
    if not low <= x <= high:
        problems.add(path, line, column, f"{x:g} is out of range [{low:g}, {high:g}]")
        return math.nan
    return x


def _check_choice(
    value: str, allowed: frozenset[str], problems: _Collector, where: tuple[Path, int, str]
) -> None:
    if value not in allowed:
        choices = ", ".join(sorted(allowed))
        problems.add(*where, f"unknown value {value!r} (expected one of: {choices})")


def _check_date(value: str, problems: _Collector, where: tuple[Path, int, str]) -> None:
    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            problems.add(*where, f"expected a date YYYY-MM-DD, got {value!r}")


def _read_nodes(folder: Path, problems: _Collector) -> pd.DataFrame:
    path = folder / S.NODES_FILE
    rows = read_rows(path, S.NODE_COLUMNS, problems)
    if rows is None:
        return pd.DataFrame(columns=list(S.NODE_COLUMNS)).set_index("id", drop=False)
    seen: dict[str, int] = {}
    records = []
    for line, row in rows:
        node_id = row["id"]
        if not node_id:
            problems.add(path, line, "id", "a value is required")
        elif node_id in seen:
            problems.add(
                path, line, "id", f"duplicate id {node_id!r} (first on line {seen[node_id]})"
            )
        else:
            seen[node_id] = line
        _check_choice(row["kind"], S.NODE_KINDS, problems, (path, line, "kind"))
        rec: dict[str, object] = dict(row)
        # Coordinates may be empty only when the row says they are unknown.
        no_coords = row.get("coord_status") == "unknown"
        if no_coords and (row["lat"] or row["lon"]):
            problems.add(path, line, "coord_status", "is 'unknown' but lat/lon are given")
        rec["lat"] = _number(
            row["lat"], problems, (path, line, "lat"), optional=no_coords, low=-90, high=90
        )
        rec["lon"] = _number(
            row["lon"], problems, (path, line, "lon"), optional=no_coords, low=-180, high=180
        )
        for col in ("population", "gdp_cny_bn"):
            if col in row:
                rec[col] = _number(row[col], problems, (path, line, col), optional=True, low=0)
            status_col = col.replace("_cny_bn", "") + "_status"
            if row.get(status_col):
                _check_choice(row[status_col], S.VALUE_STATUSES, problems, (path, line, status_col))
        if row.get("coord_status"):
            _check_choice(
                row["coord_status"], S.VALUE_STATUSES, problems, (path, line, "coord_status")
            )
        rec["_line"] = line
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    for col in ("population", "gdp_cny_bn"):
        if col not in df.columns:
            df[col] = math.nan
    df = df.drop_duplicates("id").set_index("id", drop=False)
    df.index.name = "node"
    return df


def _read_links(folder: Path, node_ids: set[str], problems: _Collector) -> pd.DataFrame:
    path = folder / S.LINKS_FILE
    rows = read_rows(path, S.LINK_COLUMNS, problems)
    if rows is None:
        return pd.DataFrame(columns=list(S.LINK_COLUMNS))
    records = []
    for line, row in rows:
        for col in ("source", "target"):
            if not row[col]:
                problems.add(path, line, col, "a value is required")
            elif node_ids and row[col] not in node_ids:
                problems.add(path, line, col, f"unknown node {row[col]!r} (not in nodes.csv)")
        if row["source"] and row["source"] == row["target"]:
            problems.add(path, line, "target", "a link must join two different nodes")
        _check_choice(row["status"], S.LINK_STATUSES, problems, (path, line, "status"))
        _check_choice(row["mode"], S.LINK_MODES, problems, (path, line, "mode"))
        rec: dict[str, object] = dict(row)
        rec["minutes"] = _number(
            row["minutes"], problems, (path, line, "minutes"), optional=False, positive=True
        )
        rec["_line"] = line
        records.append(rec)
    columns = [*rows[0][1].keys(), "_line"] if rows else [*S.LINK_COLUMNS, "_line"]
    return pd.DataFrame.from_records(records, columns=columns)


def _read_taxonomy(folder: Path, problems: _Collector) -> pd.DataFrame:
    path = folder / S.TAXONOMY_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(S.TAXONOMY_COLUMNS))
    rows = read_rows(path, S.TAXONOMY_COLUMNS, problems) or []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        for col in S.TAXONOMY_COLUMNS:
            if not row[col]:
                problems.add(path, line, col, "a value is required")
        key = (row["raw_name"].casefold(), row["sector"])
        if key in seen:
            problems.add(path, line, "sector", f"duplicate mapping (first on line {seen[key]})")
        seen[key] = line
    return pd.DataFrame([r for _, r in rows], columns=None if rows else list(S.TAXONOMY_COLUMNS))


def _read_sectors(
    folder: Path, node_ids: set[str], taxonomy: pd.DataFrame, problems: _Collector
) -> pd.DataFrame:
    path = folder / S.SECTORS_FILE
    columns = ["node", "sector", "family", "sector_raw", "evidence", "source_ref"]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    rows = read_rows(path, S.SECTOR_COLUMNS, problems) or []
    lookup: dict[str, list[tuple[str, str]]] = {}
    for t in taxonomy.to_dict("records"):
        if t.get("kind", "industry") in ("", "industry"):
            lookup.setdefault(str(t["raw_name"]).casefold(), []).append(
                (str(t["sector"]), str(t["family"]))
            )
    records = []
    for line, row in rows:
        if row["node"] not in node_ids:
            problems.add(path, line, "node", f"unknown node {row['node']!r} (not in nodes.csv)")
        if not row["sector"]:
            problems.add(path, line, "sector", "a value is required")
            continue
        if len(taxonomy):
            mapped = lookup.get(row["sector"].casefold())
            if not mapped:
                problems.add(
                    path,
                    line,
                    "sector",
                    f"{row['sector']!r} is not an industry in {S.TAXONOMY_FILE}",
                )
                continue
        else:
            mapped = [(row["sector"], row.get("family") or row["sector"])]
        for sector, family in mapped:
            records.append(
                {
                    **row,
                    "node": row["node"],
                    "sector": sector,
                    "family": family,
                    "sector_raw": row["sector"],
                }
            )
    df = pd.DataFrame.from_records(records, columns=None if records else columns)
    return df


def _read_partnerships(
    folder: Path, node_ids: set[str], taxonomy: pd.DataFrame, problems: _Collector
) -> pd.DataFrame:
    path = folder / S.PARTNERSHIPS_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(S.PARTNERSHIP_COLUMNS))
    rows = read_rows(path, S.PARTNERSHIP_COLUMNS, problems) or []
    known = {str(r).casefold() for r in taxonomy.get("raw_name", [])}
    for line, row in rows:
        for col in ("source", "target"):
            if row[col] not in node_ids:
                problems.add(path, line, col, f"unknown node {row[col]!r} (not in nodes.csv)")
        for col in ("signed_on", "signed_from", "signed_to"):
            if col in row:
                _check_date(row[col], problems, (path, line, col))
        if known:
            for item in filter(None, (s.strip() for s in row["focus"].split(";"))):
                if item.casefold() not in known:
                    problems.add(path, line, "focus", f"{item!r} is not in {S.TAXONOMY_FILE}")
    return pd.DataFrame([r for _, r in rows], columns=None if rows else list(S.PARTNERSHIP_COLUMNS))


def parse_clock(text: str) -> float:
    """Return minutes after midnight for ``HH:MM`` or ``HH:MM:SS``; hours may be 24 or more.

    Raises ValueError for anything else.

    Examples
    --------
    >>> parse_clock("08:05"), parse_clock("25:30:30")
    (485.0, 1530.5)
    """
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) >= 2 for p in parts):
        raise ValueError(f"expected a time HH:MM or HH:MM:SS, got {text!r}")
    h, m = int(parts[0]), int(parts[1])
    s = int(parts[2]) if len(parts) == 3 else 0
    if m > 59 or s > 59:
        raise ValueError(f"minutes and seconds must be below 60, got {text!r}")
    return h * 60 + m + s / 60


def _read_timetable(folder: Path, node_ids: set[str], problems: _Collector) -> pd.DataFrame | None:
    path = folder / S.TIMETABLE_FILE
    if not path.exists():
        return None
    rows = read_rows(path, S.TIMETABLE_COLUMNS, problems)
    if rows is None:
        return None
    records = []
    for line, row in rows:
        rec: dict[str, object] = dict(row)
        if not row["train"]:
            problems.add(path, line, "train", "a value is required")
        if row["station"] not in node_ids:
            problems.add(
                path, line, "station", f"unknown node {row['station']!r} (not in nodes.csv)"
            )
        try:
            rec["sequence"] = int(row["sequence"])
        except ValueError:
            problems.add(
                path, line, "sequence", f"expected a whole number, got {row['sequence']!r}"
            )
            rec["sequence"] = -1
        for col in ("arrival", "departure"):
            rec[f"{col}_minutes"] = math.nan
            if row[col]:
                try:
                    rec[f"{col}_minutes"] = parse_clock(row[col])
                except ValueError as err:
                    problems.add(path, line, col, str(err))
        a, d = rec["arrival_minutes"], rec["departure_minutes"]
        if isinstance(a, float) and isinstance(d, float) and d < a:
            problems.add(path, line, "departure", f"departs ({row['departure']}) before it arrives")
        rec["_line"] = line
        records.append(rec)
    columns = [*rows[0][1].keys(), "arrival_minutes", "departure_minutes", "_line"] if rows else []
    df = pd.DataFrame.from_records(records, columns=columns or None)
    if not len(df):
        return df
    df = df.sort_values(["train", "sequence", "_line"], kind="stable").reset_index(drop=True)
    train = df["train"].to_numpy()
    same = train[1:] == train[:-1]
    seq = df["sequence"].to_numpy()
    lines = df["_line"].to_numpy()
    arr = df["arrival_minutes"].to_numpy()
    dep = df["departure_minutes"].to_numpy()
    for i in (same & (seq[1:] == seq[:-1])).nonzero()[0]:
        problems.add(
            path,
            int(lines[i + 1]),
            "sequence",
            f"repeats sequence {seq[i]} of train {train[i]!r} (line {lines[i]})",
        )
    with np.errstate(invalid="ignore"):
        back = same & (arr[1:] < dep[:-1])
    for i in back.nonzero()[0]:
        problems.add(
            path,
            int(lines[i + 1]),
            "arrival",
            f"arrives ({df['arrival'].iat[i + 1]}) before the train left its previous stop "
            f"({df['departure'].iat[i]}, line {lines[i]})",
        )
    return df.drop(columns="_line")


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Read and validate a dataset folder; no argument loads the bundled belt dataset.

    Parameters
    ----------
    path : str or Path, optional
        A folder in the format of ``data/README.md``. Default: :func:`bundled_path`.

    Returns
    -------
    Dataset
        The validated tables.

    Raises
    ------
    DataFileError
        Listing every problem found (up to 200), each as ``file:line: column 'x': message``:
        missing file or column, duplicate id, link to an unknown node, minutes that are not a
        positive finite number, lat/lon out of range, bad date, unknown status or mode,
        undecodable UTF-8, empty file.

    Examples
    --------
    >>> ds = load_dataset()
    >>> sorted(ds.nodes.query("kind != 'hub'").index)[:3]
    ['Changzhou', 'Nanjing', 'Nantong']
    """
    folder = bundled_path() if path is None else Path(path)
    problems = _Collector()
    if not folder.is_dir():
        problems.add(folder, None, None, "dataset folder not found")
        problems.raise_if_any()
    nodes = _read_nodes(folder, problems)
    node_ids = set(nodes.index)
    links = _read_links(folder, node_ids, problems)
    taxonomy = _read_taxonomy(folder, problems)
    sectors = _read_sectors(folder, node_ids, taxonomy, problems)
    partnerships = _read_partnerships(folder, node_ids, taxonomy, problems)
    timetable = _read_timetable(folder, node_ids, problems)
    scen_dir = folder / S.SCENARIOS_DIR
    scenarios = {p.stem: p for p in sorted(scen_dir.glob("*.csv"))} if scen_dir.is_dir() else {}
    problems.raise_if_any()
    context = folder / S.CONTEXT_FILE
    return Dataset(
        path=folder,
        nodes=nodes.drop(columns="_line"),
        links=links.drop(columns="_line").reset_index(drop=True),
        sectors=sectors.reset_index(drop=True),
        partnerships=partnerships.reset_index(drop=True),
        taxonomy=taxonomy,
        scenarios=scenarios,
        context=context if context.is_file() else None,
        timetable=timetable,
    )


def place_ids(nodes: pd.DataFrame, *, include_hubs: bool = False) -> list[str]:
    """Return the node ids of places (kind ``city`` or ``district``; hubs too if asked)."""
    mask = nodes["kind"].isin(S.PLACE_KINDS) | include_hubs
    return [str(i) for i in nodes.index[mask]]


def default_origin(ds: Dataset) -> str:
    """Return the place most partnerships start from (Putuo for the belt), else the place with
    the most links (ties: the first in ``nodes.csv``), else the first place.

    Examples
    --------
    >>> default_origin(load_dataset())
    'Putuo'
    """
    if len(ds.partnerships):
        return str(ds.partnerships["source"].value_counts().index[0])
    ids = place_ids(ds.nodes)
    ends = pd.concat([ds.links["source"], ds.links["target"]]).value_counts()
    ends = ends[ends.index.isin(ids)]
    if len(ends):
        best = ends[ends == ends.max()].index
        return next(i for i in ids if i in set(best))
    return ids[0]


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _aliases(*names_in: object) -> set[str]:
    names = {str(n) for n in names_in if isinstance(n, str) and n}
    out = set()
    for name in filter(None, names):
        out.add(_norm(name))
        zh = name
        for suffix in ("站", "区", "市"):
            if zh.endswith(suffix) and len(zh) > len(suffix) + 1:
                zh = zh[: -len(suffix)]
                out.add(_norm(zh))
        if "市" in name[:-1]:  # 上海市普陀区 -> 普陀区, 普陀
            tail = name.split("市", 1)[1]
            out |= {_norm(tail), _norm(tail.rstrip("区县"))}
    out.discard("")
    return out


def resolve_place(nodes: pd.DataFrame, query: str) -> str:
    """Return the node id that ``query`` names: id, English or Chinese name, case-insensitive.

    Chinese names match with or without the 市 / 区 suffix (``南京`` and ``南京市``). An id
    always wins; a name shared by several nodes is an error, not a guess.

    Raises
    ------
    UnknownPlaceError
        With up to three close matches as suggestions.
    AmbiguousPlaceError
        If the name belongs to several nodes (listed, with their Chinese names).

    Examples
    --------
    >>> ds = load_dataset()
    >>> resolve_place(ds.nodes, "南京"), resolve_place(ds.nodes, "suzhou")
    ('Nanjing', 'Suzhou')
    """
    key = _norm(query)
    ids = {_norm(str(i)): str(i) for i in nodes.index}
    if key in ids:  # ids are unique: an id always wins
        return ids[key]
    table: dict[str, list[str]] = {}
    zh_col = nodes["name_zh"] if "name_zh" in nodes.columns else [None] * len(nodes)
    for node_id, name, zh in zip(nodes.index, nodes["name"], zh_col, strict=True):
        for alias in _aliases(str(node_id), name, zh):
            table.setdefault(alias, []).append(str(node_id))
    if key in table:
        found = list(dict.fromkeys(table[key]))
        if len(found) == 1:
            return found[0]
        zh = nodes["name_zh"] if "name_zh" in nodes.columns else pd.Series(dtype=object)
        raise AmbiguousPlaceError(query, [(n, str(zh.get(n, "") or "")) for n in found])
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, alias).ratio(), alias) for alias in table),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    close = [alias for score, alias in scored if score >= max(0.6, best - 0.1)]
    suggestions = list(dict.fromkeys(n for c in close for n in table[c]))[:3]
    raise UnknownPlaceError(query, suggestions)
