"""Read and validate a dataset folder of CSV files; find the bundled belt dataset.

A dataset is a folder with ``nodes.csv`` and ``links.csv`` and, optionally, ``sectors.csv``,
``sector_taxonomy.csv``, ``partnerships.csv``, ``timetable.csv``, ``claims.csv``,
``scenarios/*.csv`` and ``context.geojson`` (see ``data/README.md`` for every column).
:func:`load_dataset` checks every file and reports all problems at once in one
:class:`~belt_graph.errors.DataFileError`.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import schema as S
from ._scenarios import apply_operations, read_scenario
from ._tables import (
    Collector,
    check_choice,
    check_date,
    check_text,
    number,
    parse_clock,
    read_frame,
    read_rows,
)
from .errors import AmbiguousPlaceError, ScenarioError, UnknownPlaceError

__all__ = [
    "DATASETS",
    "Dataset",
    "bundled_path",
    "dataset_path",
    "default_origin",
    "hub_scores",
    "load_dataset",
    "parse_clock",
    "place_ids",
    "resolve_data_path",
    "resolve_place",
]


#: The datasets that ship with belt-graph, by name: the folder inside the installed package,
#: and the folder of a source checkout (under ``data/``).
DATASETS = {
    "belt": ("_bundled", "belt"),
    "cn-rail-2020": ("_datasets/cn_rail_2020", "cn-rail-2020"),
    "cn-rail-2021": ("_datasets/cn_rail_2021", "cn-rail-2021"),
}


def dataset_path(name: str) -> Path:
    """Return the folder of a dataset that ships with belt-graph (:data:`DATASETS`).

    Installed, the datasets live inside the package (mapped from the repository's ``data/`` at
    build time); in a source checkout they are ``data/<name>``.

    Raises
    ------
    KeyError
        If ``name`` is not one of :data:`DATASETS`.
    """
    installed, checkout = DATASETS[name]
    here = Path(__file__).resolve().parent
    inside = here / installed
    if (inside / S.NODES_FILE).is_file():
        return inside
    return here.parent / "data" / checkout


def bundled_path() -> Path:
    """Return the folder of the bundled Shanghai-Nanjing belt dataset (``dataset_path("belt")``)."""
    return dataset_path("belt")


def resolve_data_path(path: str | Path) -> Path:
    """A dataset folder from ``--data``: an existing path, else the name of a bundled dataset.

    A folder of that name in the current folder wins over the bundled dataset.
    """
    p = Path(path)
    if not p.exists() and str(path) in DATASETS:
        return dataset_path(str(path))
    return p


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
    context_features : list of dict
        Its GeoJSON features, validated (lines and polygons in lon, lat).
    claims : DataFrame
        ``claims.csv`` (claims to check against the data, see :mod:`belt_graph.claims`);
        empty when absent.
    metadata : dict
        ``metadata.csv`` as key to value (``timezone``, ``url``, ``language``,
        ``service_start``, ``service_end`` ...); empty when absent.
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
    context_features: list[dict[str, Any]] = field(default_factory=list)
    claims: pd.DataFrame = field(default_factory=pd.DataFrame)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The folder's name, e.g. ``belt`` (also for the bundled copy inside the package).

        A relative path such as ``.`` is named after the folder it stands for.
        """
        name = self.path.name or self.path.resolve().name
        installed = {Path(inside).name: n for n, (inside, _) in DATASETS.items()}
        return installed.get(name, name)

    @property
    def installed(self) -> bool:
        """Whether this is a dataset installed inside the package (``--data cn-rail-2020``)."""
        return self.path.resolve().is_relative_to(Path(__file__).resolve().parent)

    @property
    def title(self) -> str:
        """A readable name for figures and reports: the first heading of the dataset's
        datasheet (``README.md``) without its "Datasheet:" prefix and folder names, else the
        folder's name.

        Examples
        --------
        >>> load_dataset().title
        'Shanghai-Nanjing Industrial Innovation Belt'
        """
        try:
            text = (self.path / "README.md").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return self.name
        heading = next((x[2:] for x in text.splitlines() if x.startswith("# ")), "")
        heading = re.sub(r"^\s*datasheet\s*:\s*", "", heading, flags=re.I)
        heading = re.sub(r"\(\s*`[^`]*`\s*\)|`[^`]*`", "", heading)
        heading = re.sub(r"^\s*(the\s+)?", "", heading, flags=re.I).strip(" ,:;-")
        return heading[:120] or self.name

    def __repr__(self) -> str:
        places = int(self.nodes["kind"].isin(S.place_kinds(self.nodes["kind"])).sum())
        return (
            f"<Dataset {self.name!r}: {len(self.nodes)} nodes ({places} places), "
            f"{len(self.links)} links, {len(self.sectors)} sector rows, "
            f"{len(self.partnerships)} partnerships, {len(self.scenarios)} scenarios"
            + ("" if self.timetable is None else f", timetable of {len(self.timetable)} calls")
            + ">"
        )

    def with_links(self, links: pd.DataFrame) -> Dataset:
        """Return a copy of this dataset with another links table."""
        return dataclasses.replace(self, links=links.reset_index(drop=True))


def _norm_id(text: str) -> str:
    """An id folded for comparison: case and character width (Ｓ and S) ignored."""
    return unicodedata.normalize("NFKC", text).casefold()


def _read_nodes(folder: Path, problems: Collector) -> pd.DataFrame:
    path = folder / S.NODES_FILE
    rows = read_rows(path, S.NODE_COLUMNS, problems)
    if rows is None:
        return pd.DataFrame(columns=list(S.NODE_COLUMNS)).set_index("id", drop=False)
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
        rec: dict[str, object] = dict(row)
        # Coordinates may be empty only when the row says they are unknown.
        no_coords = row.get("coord_status") == "unknown"
        if no_coords and (row["lat"] or row["lon"]):
            problems.add(path, line, "coord_status", "is 'unknown' but lat/lon are given")
        for col, low, high in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
            rec[col] = number(
                row[col], problems, (path, line, col), optional=no_coords, low=low, high=high
            )
        for col, (low, high), unit in (
            ("population", S.POPULATION_RANGE, "persons"),
            ("gdp_cny_bn", S.GDP_CNY_BN_RANGE, "bn CNY"),
        ):
            if col in row:
                rec[col] = number(
                    row[col],
                    problems,
                    (path, line, col),
                    optional=True,
                    low=low,
                    high=high,
                    unit=unit,
                )
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
    df = pd.DataFrame.from_records(records, columns=None if records else list(S.NODE_COLUMNS))
    if "min_transfer_minutes" in df.columns:
        df["min_transfer_minutes"] = pd.to_numeric(df["min_transfer_minutes"], errors="coerce")
    for col in ("population", "gdp_cny_bn"):
        if col not in df.columns:
            df[col] = math.nan
    for col in ("population", "gdp_cny_bn", "lat", "lon"):
        df[col] = df[col].astype(float)
    df = df.drop_duplicates("id").set_index("id", drop=False)
    df.index.name = "node"
    if records and not df["kind"].isin(S.PLACE_KINDS).any():
        problems.add(path, None, "kind", "no node is a place (city, district or station)")
    if S.PLACE in df.columns:
        kinds = df["kind"].to_dict()
        for node_id, place, line in zip(df.index, df[S.PLACE], df["_line"], strict=True):
            if not place:
                continue
            if kinds.get(node_id) not in ("station", "hub"):
                problems.add(path, line, S.PLACE, "only a station belongs to a place")
            elif place not in kinds:
                problems.add(path, line, S.PLACE, f"unknown place {place!r} (not in nodes.csv)")
            elif kinds[place] not in S.OWNER_KINDS:
                problems.add(
                    path, line, S.PLACE, f"{place!r} is a {kinds[place]}, not a city or district"
                )
    return df


def _read_links(folder: Path, nodes: pd.DataFrame, problems: Collector) -> pd.DataFrame:
    path = folder / S.LINKS_FILE
    rows = read_rows(path, S.LINK_COLUMNS, problems, optional=S.LINK_OPTIONAL)
    if rows is None:
        return pd.DataFrame(columns=[*S.LINK_COLUMNS, *S.LINK_OPTIONAL, "_line"])
    node_ids = set(nodes.index)
    kind_of = nodes["kind"].to_dict() if "kind" in nodes else {}
    owner = nodes[S.PLACE].to_dict() if S.PLACE in nodes else {}
    two_level = any(owner.values())
    low, high = S.MINUTES_RANGE
    minute_columns = [c for c in rows[0][1] if c.startswith("minutes_")] if rows else []
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
        ends = [row["source"], row["target"]]
        if all(e in node_ids for e in ends):
            _check_link_ends(kind, ends, kind_of, owner, two_level, problems, (path, line))
        rec: dict[str, object] = dict(row)
        # an access link may take no time: a place is reached at its own stations
        for col in ("minutes", *minute_columns):
            rec[col] = number(
                row[col],
                problems,
                (path, line, col),
                optional=col != "minutes",
                positive=kind != "access",
                low=0.0 if kind == "access" else low,
                high=high,
                unit="minutes",
            )
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
        key = tuple(row.values())
        if key in seen:
            problems.add(path, line, None, f"repeats line {seen[key]} exactly")
        else:
            seen[key] = line
        rec["_line"] = line
        records.append(rec)
    columns = (
        [*rows[0][1].keys(), "_line"] if rows else [*S.LINK_COLUMNS, *S.LINK_OPTIONAL, "_line"]
    )
    df = pd.DataFrame.from_records(records, columns=columns)
    for col in ("minutes", *minute_columns):
        df[col] = df[col].astype(float)
    return df


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
            if owner.get(station) != place:
                problems.add(
                    *where,
                    "target" if station == ends[1] else "source",
                    f"station {station!r} does not belong to {place!r} (its 'place' in nodes.csv)",
                )
    elif kind == "transfer" and any(is_place):
        problems.add(*where, col, "a transfer (change of station) joins two stations")
    elif two_level and any(is_place):
        what = f"a {kind} link" if kind else "a link without a kind"
        problems.add(
            *where, col, f"{what} joins stations; a place reaches its stations by access links"
        )


def _read_taxonomy(folder: Path, problems: Collector) -> pd.DataFrame:
    path = folder / S.TAXONOMY_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(S.TAXONOMY_COLUMNS))
    rows = read_rows(path, S.TAXONOMY_COLUMNS, problems) or []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        for col in S.TAXONOMY_COLUMNS:
            check_text(row[col], problems, (path, line, col), max_chars=S.MAX_NAME_CHARS)
        if row.get("kind"):
            check_choice(row["kind"], {"industry", "policy"}, problems, (path, line, "kind"))
        key = (row["raw_name"].casefold(), row["sector"])
        if key in seen:
            problems.add(path, line, "sector", f"duplicate mapping (first on line {seen[key]})")
        seen[key] = line
    return pd.DataFrame([r for _, r in rows], columns=None if rows else list(S.TAXONOMY_COLUMNS))


def _check_place(
    value: str, nodes: pd.DataFrame, problems: Collector, where: tuple[Path, int, str]
) -> None:
    """A sector or a partnership names a place: a known node that is not a hub (nor, in a
    dataset of stations under places, a station)."""
    if not value:
        problems.add(*where, "a value is required")
    elif value not in nodes.index:
        problems.add(*where, f"unknown node {value!r} (not in nodes.csv)")
    elif nodes.at[value, "kind"] == "hub":
        problems.add(*where, f"{value!r} is a hub, which routes but is not a place")
    elif nodes.at[value, "kind"] == "station" and "station" not in S.place_kinds(nodes["kind"]):
        problems.add(*where, f"{value!r} is a station; sectors and partnerships are of places")


def _read_sectors(
    folder: Path, nodes: pd.DataFrame, taxonomy: pd.DataFrame, problems: Collector
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
        _check_place(row["node"], nodes, problems, (path, line, "node"))
        if not row["sector"]:
            problems.add(path, line, "sector", "a value is required")
            continue
        check_text(row["sector"], problems, (path, line, "sector"), max_chars=S.MAX_NAME_CHARS)
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
    return pd.DataFrame.from_records(records, columns=None if records else columns)


def _read_partnerships(
    folder: Path, nodes: pd.DataFrame, taxonomy: pd.DataFrame, problems: Collector
) -> pd.DataFrame:
    path = folder / S.PARTNERSHIPS_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(S.PARTNERSHIP_COLUMNS))
    rows = read_rows(path, S.PARTNERSHIP_COLUMNS, problems) or []
    known = {str(r).casefold() for r in taxonomy.get("raw_name", [])}
    for line, row in rows:
        for col in ("source", "target"):
            _check_place(row[col], nodes, problems, (path, line, col))
        if row["source"] and row["source"] == row["target"]:
            problems.add(path, line, "target", "a place cannot partner with itself")
        dates = {
            col: check_date(row[col], problems, (path, line, col))
            for col in ("signed_on", "signed_from", "signed_to")
            if col in row
        }
        start, end, on = dates.get("signed_from"), dates.get("signed_to"), dates.get("signed_on")
        if start and end and start > end:
            problems.add(path, line, "signed_to", f"{end} is before signed_from {start}")
        if on and ((start and on < start) or (end and on > end)):
            problems.add(path, line, "signed_on", f"{on} is outside signed_from..signed_to")
        if known:
            for item in filter(None, (s.strip() for s in row["focus"].split(";"))):
                if item.casefold() not in known:
                    problems.add(path, line, "focus", f"{item!r} is not in {S.TAXONOMY_FILE}")
    return pd.DataFrame([r for _, r in rows], columns=None if rows else list(S.PARTNERSHIP_COLUMNS))


def _read_timetable(folder: Path, node_ids: set[str], problems: Collector) -> pd.DataFrame | None:
    path = folder / S.TIMETABLE_FILE
    if not path.exists():
        return None
    read = read_frame(path, S.TIMETABLE_COLUMNS, problems)
    if read is None:
        return None
    df, lines = read
    if not len(df):
        if not any(p.path == str(path) for p in problems.problems):
            problems.add(path, None, None, "the file has a header but no calls")
        return None

    def each(values: pd.Series, check: Callable[[str], str | None], column: str) -> None:
        """Check each distinct value once; record a problem on every row that has a bad one."""
        codes, uniques = pd.factorize(values)
        why = [check(str(u)) for u in uniques]
        bad = np.array([w is not None for w in why], dtype=bool)
        if len(codes) and bad.any():
            for i in np.flatnonzero(bad[codes]):
                problems.add(path, int(lines[i]), column, str(why[codes[i]]))

    def train_problem(value: str) -> str | None:
        c = Collector()
        check_text(value, c, (path, 0, "train"), max_chars=S.MAX_ID_CHARS, controls=False)
        return c.problems[0].message if c.problems else None

    each(df["train"], train_problem, "train")
    each(
        df["station"],
        lambda v: None if v in node_ids else f"unknown node {v!r} (not in nodes.csv)",
        "station",
    )
    each(
        df["sequence"],
        lambda v: (
            None
            if v.isascii() and v.isdigit() and len(v) <= 9
            else f"expected a whole number, got {v!r}"
        ),
        "sequence",
    )
    seq_codes, seq_uniques = pd.factorize(df["sequence"])
    seq_values = np.array(
        [int(v) if v.isascii() and v.isdigit() and len(v) <= 9 else -1 for v in seq_uniques],
        dtype=np.int64,
    )
    df["sequence"] = seq_values[seq_codes] if len(seq_codes) else np.zeros(0, dtype=np.int64)
    for col in ("arrival", "departure"):
        codes, uniques = pd.factorize(df[col])
        minutes = np.full(len(uniques), math.nan)
        why: list[str | None] = []
        for i, u in enumerate(uniques):
            if not u:
                why.append(None)
                continue
            try:
                minutes[i] = parse_clock(u)
                why.append(None)
            except ValueError as err:
                why.append(str(err))
        df[f"{col}_minutes"] = minutes[codes] if len(codes) else np.zeros(0)
        for k in np.flatnonzero(np.array([w is not None for w in why], dtype=bool)[codes]):
            problems.add(path, int(lines[k]), col, str(why[codes[k]]))
    for col in ("pickup", "drop_off"):
        if col in df.columns:
            each(
                df[col],
                lambda v: (
                    None
                    if v in ("", "yes", "no")
                    else f"unknown value {v!r} (expected one of: no, yes)"
                ),
                col,
            )
    if "mode" in df.columns:
        modes = ", ".join(sorted(S.LINK_MODES))
        each(
            df["mode"],
            lambda v: (
                None
                if v == "" or v in S.LINK_MODES
                else f"unknown value {v!r} (expected one of: {modes})"
            ),
            "mode",
        )
    a = df["arrival_minutes"].to_numpy(dtype=float)
    d = df["departure_minutes"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        for k in np.flatnonzero(d < a):
            problems.add(
                path,
                int(lines[k]),
                "departure",
                f"departs ({df['departure'].iat[k]}) before it arrives",
            )
    df["_line"] = lines
    df = df.sort_values(["train", "sequence", "_line"], kind="stable").reset_index(drop=True)
    train = df["train"].to_numpy()
    same = train[1:] == train[:-1]
    seq = df["sequence"].to_numpy()
    lines = df["_line"].to_numpy()
    arr = df["arrival_minutes"].to_numpy(dtype=float)
    dep = df["departure_minutes"].to_numpy(dtype=float)
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


def _read_claims(folder: Path, nodes: pd.DataFrame, problems: Collector) -> pd.DataFrame:
    path = folder / S.CLAIMS_FILE
    columns = [*S.CLAIM_COLUMNS, *S.CLAIM_OPTIONAL]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    rows = read_rows(path, S.CLAIM_COLUMNS, problems, optional=S.CLAIM_OPTIONAL) or []
    seen: dict[str, int] = {}
    node_ids = set(nodes.index)

    def known(ids: list[str], line: int) -> None:
        for i in ids:
            if i not in node_ids:
                problems.add(path, line, "subject", f"unknown node {i!r} (not in nodes.csv)")

    for line, row in rows:
        cid = row["claim_id"]
        check_text(
            cid, problems, (path, line, "claim_id"), max_chars=S.MAX_ID_CHARS, controls=False
        )
        if cid in seen:
            problems.add(
                path, line, "claim_id", f"duplicate id {cid!r} (first on line {seen[cid]})"
            )
        elif cid:
            seen[cid] = line
        kind, subject = row["kind"], row["subject"]
        check_choice(kind, S.CLAIM_KINDS, problems, (path, line, "kind"))
        if kind.startswith("travel_"):
            origin, arrow, dests = subject.partition(">")
            starts = [o.strip() for o in origin.split(";") if o.strip()]
            targets = [d.strip() for d in dests.split(";") if d.strip()]
            if not arrow or not starts or not targets:
                problems.add(
                    path,
                    line,
                    "subject",
                    f"a {kind} claim needs 'origin>destination' (';' between origins and "
                    f"between destinations), got {subject!r}",
                )
            else:
                known([*starts, *targets], line)
                if kind == "travel_minutes" and len(targets) != 1:
                    problems.add(path, line, "subject", "travel_minutes takes one destination")
        elif kind in S.CLAIM_KINDS:
            ids = [s.strip() for s in subject.split(";") if s.strip()]
            if not ids:
                problems.add(path, line, "subject", "a value is required")
            known(ids, line)
            if kind == "gdp_value" and len(ids) > 1:
                problems.add(path, line, "subject", "gdp_value takes one place")
        where_param = (path, line, "param")
        param = number(row["param"], problems, where_param, optional=kind != "gdp_count_above")
        del param
        low = number(row["low"], problems, (path, line, "low"), optional=True)
        high = number(row["high"], problems, (path, line, "high"), optional=True)
        if not row["low"] and not row["high"]:
            problems.add(path, line, "low", "a claim needs a low or a high bound (or both)")
        if low > high:
            problems.add(path, line, "high", f"{row['high']} is below low {row['low']}")
    return pd.DataFrame([r for _, r in rows], columns=columns)


def _read_metadata(folder: Path, problems: Collector) -> dict[str, str]:
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
        if key == "timezone" and value and not _known_timezone(value):
            problems.add(path, line, "value", f"unknown time zone {value!r} (an IANA name)")
        elif key in ("service_start", "service_end"):
            check_date(value, problems, (path, line, "value"))
        elif key == "url" and value and not re.match(r"https?://\S+$", value):
            problems.add(path, line, "value", f"expected an http(s) URL, got {value!r}")
        out[key] = value
    start, end = out.get("service_start", ""), out.get("service_end", "")
    if start and end and start > end:
        problems.add(path, seen["service_end"], "value", f"{end} is before service_start {start}")
    return out


def _known_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone (any name passes where the system has none)."""
    import zoneinfo

    available = zoneinfo.available_timezones()
    return not available or name in available


def _check_scenarios(
    scenarios: dict[str, Path], links: pd.DataFrame, nodes: pd.DataFrame, problems: Collector
) -> None:
    """Read each scenario and apply it to the links, recording what fails."""
    for path in scenarios.values():
        try:
            apply_operations(links, nodes.index, read_scenario(path))
        except ScenarioError as err:
            for p in err.problems:
                problems.add(p.path, p.line, p.column, p.message)


def _read_context(folder: Path, problems: Collector) -> tuple[Path | None, list[dict[str, Any]]]:
    """Read ``context.geojson``: a FeatureCollection of lines and polygons (lon, lat)."""
    path = folder / S.CONTEXT_FILE
    if not path.exists():
        return None, []
    if not path.is_file():
        problems.add(path, None, None, "not a regular file")
        return None, []
    try:
        raw = path.read_bytes()
    except OSError as err:
        problems.add(path, None, None, f"cannot read the file: {err.strerror or err}")
        return None, []
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(path, line, None, f"not valid UTF-8 (byte {raw[err.start]:#04x})")
        return None, []
    except json.JSONDecodeError as err:
        problems.add(path, err.lineno, None, f"not valid JSON: {err.msg} (column {err.colno})")
        return None, []
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.add(path, None, None, "expected a GeoJSON FeatureCollection")
        return None, []
    features = data.get("features")
    if not isinstance(features, list):
        problems.add(path, None, None, "a FeatureCollection needs a 'features' list")
        return None, []
    good = []
    for i, feat in enumerate(features, start=1):
        why = _geometry_problem(feat)
        if why:
            problems.add(path, None, None, f"feature {i}: {why}")
        else:
            good.append(feat)
    return path, good


#: Nesting depth of the coordinates of each geometry type that maps draw.
_DEPTH = {"Point": 1, "LineString": 2, "MultiLineString": 3, "Polygon": 3, "MultiPolygon": 4}


def _geometry_problem(feat: object) -> str:
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        return "not a GeoJSON Feature"
    props = feat.get("properties")
    if props is not None and not isinstance(props, dict):
        return "'properties' must be an object"
    geom = feat.get("geometry")
    if geom is None:
        return ""
    if not isinstance(geom, dict) or geom.get("type") not in _DEPTH:
        return f"geometry type must be one of {', '.join(_DEPTH)}"
    depth = _DEPTH[str(geom["type"])]

    def ok(x: object, d: int) -> bool:
        if d == 1:
            return (
                isinstance(x, list)
                and len(x) >= 2
                and all(
                    isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                    for v in x
                )
            )
        return isinstance(x, list) and len(x) > 0 and all(ok(y, d - 1) for y in x)

    if not ok(geom.get("coordinates"), depth):
        return f"{geom['type']} coordinates must be nested lists of finite [lon, lat] numbers"
    return ""


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
        Listing every problem found (the first 200, and how many in all), each as
        ``file:line: column 'x': message``, in the order of the files and their lines: missing
        or unreadable file or column, duplicate id (or ids that differ only by case or width),
        link to an unknown node, a number that is not plain decimal digits or lies outside its
        plausible range (``schema.MINUTES_RANGE`` ...), bad date, unknown status or mode,
        undecodable UTF-8, NUL bytes, empty file, exact duplicate links, self-partnerships,
        sectors or partnerships on a hub, invalid claims or map context.

    Examples
    --------
    >>> ds = load_dataset()
    >>> place_ids(ds.nodes)[:3], len(ds.nodes[ds.nodes["kind"] == "station"])
    (['Putuo', 'Nanjing', 'Wuxi'], 27)
    """
    folder = bundled_path() if path is None else resolve_data_path(path)
    problems = Collector()
    if not folder.is_dir():
        what = (
            "is not a folder"
            if folder.exists()
            else "dataset folder not found (datasets by name: " + ", ".join(DATASETS) + ")"
        )
        problems.add(folder, None, None, what)
        problems.raise_if_any()
    nodes = _read_nodes(folder, problems)
    links = _read_links(folder, nodes, problems)
    taxonomy = _read_taxonomy(folder, problems)
    sectors = _read_sectors(folder, nodes, taxonomy, problems)
    partnerships = _read_partnerships(folder, nodes, taxonomy, problems)
    timetable = _read_timetable(folder, set(nodes.index), problems)
    claims = _read_claims(folder, nodes, problems)
    context, features = _read_context(folder, problems)
    metadata = _read_metadata(folder, problems)
    if nodes.empty:  # nodes.csv could not be read: "unknown node" everywhere would bury it
        problems.problems = [
            p for p in problems.problems if not p.message.endswith("(not in nodes.csv)")
        ]
    scen_dir = folder / S.SCENARIOS_DIR
    scenarios = {p.stem: p for p in sorted(scen_dir.glob("*.csv"))} if scen_dir.is_dir() else {}
    if not problems.problems:  # a scenario can only be tried on valid links
        _check_scenarios(scenarios, links, nodes, problems)
    problems.raise_if_any()
    return Dataset(
        path=folder,
        nodes=nodes.drop(columns="_line"),
        links=links.drop(columns="_line").reset_index(drop=True),
        sectors=sectors.reset_index(drop=True),
        partnerships=partnerships.reset_index(drop=True),
        taxonomy=taxonomy,
        scenarios=scenarios,
        context=context,
        timetable=timetable,
        context_features=features,
        claims=claims,
        metadata=metadata,
    )


def place_ids(nodes: pd.DataFrame, *, include_hubs: bool = False) -> list[str]:
    """Return the node ids of places, in file order (hubs too if asked).

    Places are the cities and districts; a dataset with neither (a rail network of stations)
    lists its stations. Stations of a dataset with places, and hubs, route but are not listed.
    """
    mask = nodes["kind"].isin(S.place_kinds(nodes["kind"])) | include_hubs
    return [str(i) for i in nodes.index[mask]]


def has_stations_under_places(nodes: pd.DataFrame) -> bool:
    """Whether any node is a station of a place (a ``place`` column that is not all empty)."""
    return S.PLACE in nodes.columns and bool((nodes[S.PLACE] != "").any())


def hub_scores(ds: Dataset) -> tuple[dict[str, int], str]:
    """Return how much of a hub each node is, and what was counted.

    With a timetable, the trains calling at each node (its rows in ``timetable.csv``): a
    station served by many trains is a hub even where the key-station links are few. Without
    one, each node's number of open links. Nodes with neither are left out.

    Examples
    --------
    >>> scores, what = hub_scores(load_dataset())
    >>> what, scores["SZH"] > 0
    ('open links', True)
    """
    tt = ds.timetable
    if tt is not None and len(tt):
        counts = tt["station"].astype(str).value_counts()
        return {str(k): int(v) for k, v in counts.items()}, "trains calling"
    links = ds.links[ds.links["status"] == "open"]
    ends = pd.concat([links["source"], links["target"]]).astype(str).value_counts()
    return {str(k): int(v) for k, v in ends.items()}, "open links"


def default_origin(ds: Dataset) -> str:
    """Return the place most partnerships start from (Putuo for the belt), else the place that
    is most of a hub by :func:`hub_scores` (the station most trains call at, with a timetable;
    else the one with the most links; ties: the first in ``nodes.csv``), else the first place.

    Examples
    --------
    >>> default_origin(load_dataset())
    'Putuo'
    """
    if len(ds.partnerships):
        return str(ds.partnerships["source"].value_counts().index[0])
    ids = place_ids(ds.nodes)
    scores, _ = hub_scores(ds)
    best = max((scores.get(i, 0) for i in ids), default=0)
    if best > 0:
        return next(i for i in ids if scores.get(i, 0) == best)
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

    Chinese names match with or without the 市 / 区 / 站 suffix (``南京`` and ``南京市``).
    An exact id always wins, then an id ignoring case and character width, then a full name,
    then a shortened Chinese name; a name shared by several nodes is an error, not a guess,
    except that a place wins over its own stations (``南京`` is the city; its station is
    ``南京站`` or ``NJH``).

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
    if query in nodes.index:  # an exact id always wins
        return str(query)
    if len(query) > S.MAX_NAME_CHARS:
        raise UnknownPlaceError(query[:40] + "...")
    key = _norm(query)
    zh_col = nodes["name_zh"] if "name_zh" in nodes.columns else [None] * len(nodes)
    triples = list(zip(map(str, nodes.index), nodes["name"], zh_col, strict=True))
    kinds = nodes["kind"].to_dict() if "kind" in nodes.columns else {}
    owner = nodes[S.PLACE].to_dict() if S.PLACE in nodes.columns else {}
    # from the strongest match to the weakest: the id ignoring case and width; a full name (a
    # place's Chinese name also without 市 / 区, a station's also with 站); then any shortened
    # Chinese name. A tie at one level is ambiguous, unless it is a place and its own stations
    levels: list[dict[str, list[str]]] = [{}, {}, {}]
    for node_id, name, zh in triples:
        levels[0].setdefault(_norm(node_id), []).append(node_id)
        full = {n for n in (name, zh) if isinstance(n, str) and n}
        if isinstance(zh, str) and zh:
            if kinds.get(node_id) in S.OWNER_KINDS:
                full |= {zh[:-1]} if zh[-1:] in ("市", "区") and len(zh) > 2 else set()
            elif kinds.get(node_id) == "station" and not zh.endswith("站"):
                full.add(zh + "站")
        for alias in full:
            levels[1].setdefault(_norm(alias), []).append(node_id)
        for alias in _aliases(node_id, name, zh):
            levels[2].setdefault(alias, []).append(node_id)
    for table in levels:
        found = list(dict.fromkeys(table.get(key, [])))
        if len(found) > 1:
            places = [n for n in found if kinds.get(n) in S.OWNER_KINDS]
            if len(places) == 1 and all(owner.get(n) == places[0] for n in found if n != places[0]):
                found = places  # a place beats its own stations (南京: the city, not 南京站)
        if len(found) == 1:
            return found[0]
        if found:
            zh = nodes["name_zh"] if "name_zh" in nodes.columns else pd.Series(dtype=object)
            raise AmbiguousPlaceError(query, [(n, str(zh.get(n, "") or "")) for n in found])
    aliases = levels[2]
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, alias).ratio(), alias) for alias in aliases),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    close = [alias for score, alias in scored if score >= max(0.6, best - 0.1)]
    suggestions = list(dict.fromkeys(n for c in close for n in aliases[c]))[:3]
    raise UnknownPlaceError(query, suggestions)
