"""One reader per file of a dataset folder, every fault located to file, line and column.

A dataset is a folder with ``nodes.csv`` and ``links.csv`` and, optionally, ``sectors.csv``,
``sector_taxonomy.csv``, ``partnerships.csv``, ``timetable.csv``, ``claims.csv``,
``scenarios/*.csv`` and ``context.geojson`` (see ``data/README.md`` for every column). Each
reader records problems in a :class:`~belt_graph.dataset._rows.Collector` and never raises on
bad content, so that :func:`~belt_graph.dataset.load_dataset` reports every problem at once.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import schema as S
from ._rows import (
    Collector,
    check_choice,
    check_date,
    check_text,
    number,
    parse_clock,
    read_frame,
    read_rows,
)
from .network_files import Record


def nodes_frame(records: list[Record] | None) -> pd.DataFrame:
    """Return the table of ``nodes.csv`` from its checked rows (:func:`check_nodes`)."""
    if records is None:
        return pd.DataFrame(columns=list(S.NODE_COLUMNS)).set_index("id", drop=False)
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
    return df


def links_frame(table: tuple[list[str], list[Record]] | None) -> pd.DataFrame:
    """Return the table of ``links.csv`` from its checked rows (:func:`check_links`)."""
    if table is None:
        return pd.DataFrame(columns=[*S.LINK_COLUMNS, *S.LINK_OPTIONAL, "_line"])
    columns, records = table
    df = pd.DataFrame.from_records(records, columns=columns)
    for col in columns:
        if col == "minutes" or col.startswith("minutes_"):
            df[col] = df[col].astype(float)
    return df


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
        if row.get("scope"):
            check_choice(row["scope"], set(S.SECTOR_SCOPES), problems, (path, line, "scope"))
        key = (row["raw_name"].casefold(), row["sector"])
        if key in seen:
            problems.add(path, line, "sector", f"duplicate mapping (first on line {seen[key]})")
        seen[key] = line
    return pd.DataFrame([r for _, r in rows], columns=None if rows else list(S.TAXONOMY_COLUMNS))


class _Places:
    """What :func:`_check_place` needs of ``nodes.csv``, read once per file (not per row)."""

    def __init__(self, nodes: pd.DataFrame) -> None:
        self.kind_of: dict[str, str] = {str(k): str(v) for k, v in nodes["kind"].items()}
        self.stations_are_places = "station" in S.place_kinds(nodes["kind"])


def _check_place(
    value: str, places: _Places, problems: Collector, where: tuple[Path, int, str]
) -> None:
    """Check that a sector or a partnership names a place.

    A place is a known node that is not a hub (nor, in a dataset of stations under places, a
    station).
    """
    kind = places.kind_of.get(value)
    if not value:
        problems.add(*where, "a value is required")
    elif kind is None:
        problems.add(*where, f"unknown node {value!r} (not in nodes.csv)")
    elif kind == "hub":
        problems.add(*where, f"{value!r} is a hub, which routes but is not a place")
    elif kind == "station" and not places.stations_are_places:
        problems.add(*where, f"{value!r} is a station; sectors and partnerships are of places")


def _read_sectors(
    folder: Path, nodes: pd.DataFrame, taxonomy: pd.DataFrame, problems: Collector
) -> pd.DataFrame:
    path = folder / S.SECTORS_FILE
    columns = ["node", "sector", "family", "scope", "sector_raw", "evidence", "source_ref"]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    rows = read_rows(path, S.SECTOR_COLUMNS, problems) or []
    places = _Places(nodes)
    lookup: dict[str, list[tuple[str, str, str]]] = {}
    for t in taxonomy.to_dict("records"):
        if t.get("kind", "industry") in ("", "industry"):
            lookup.setdefault(str(t["raw_name"]).casefold(), []).append(
                (str(t["sector"]), str(t["family"]), str(t.get("scope") or "sector"))
            )
    records = []
    for line, row in rows:
        _check_place(row["node"], places, problems, (path, line, "node"))
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
            mapped = [(row["sector"], row.get("family") or row["sector"], "sector")]
        for sector, family, scope in mapped:
            records.append(
                {
                    **row,
                    "node": row["node"],
                    "sector": sector,
                    "family": family,
                    "scope": scope,
                    "sector_raw": row["sector"],
                }
            )
    return pd.DataFrame.from_records(records, columns=None if records else columns)


def _read_measures(folder: Path, nodes: pd.DataFrame, problems: Collector) -> pd.DataFrame:
    """Read ``sector_measures.csv``: one non-negative value per region and sector, one unit."""
    path = folder / S.MEASURES_FILE
    columns = [*S.MEASURE_COLUMNS, *S.MEASURE_OPTIONAL]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    rows = read_rows(path, S.MEASURE_COLUMNS, problems, optional=S.MEASURE_OPTIONAL) or []
    places = _Places(nodes)
    seen: dict[tuple[str, str], int] = {}
    stands_for: dict[str, tuple[str, int]] = {}
    units: dict[str, int] = {}
    records = []
    for line, row in rows:
        for col in ("region", "sector", "unit", "source_ref"):
            if not row[col]:
                problems.add(path, line, col, "a value is required")
            else:
                check_text(row[col], problems, (path, line, col), max_chars=S.MAX_NAME_CHARS)
        value = number(
            row["value"], problems, (path, line, "value"),
            optional=False, low=0.0, high=S.MAX_MEASURE,
        )  # fmt: skip
        year = number(
            row["year"], problems, (path, line, "year"), optional=False, low=1900, high=2100
        )
        if row["place"]:
            _check_place(row["place"], places, problems, (path, line, "place"))
            other = stands_for.setdefault(row["place"], (row["region"], line))
            if other[0] != row["region"]:
                problems.add(
                    path, line, "place",
                    f"{row['place']!r} already stands for region {other[0]!r} (line {other[1]})",
                )  # fmt: skip
        key = (row["region"], row["sector"])
        if key in seen:
            problems.add(
                path, line, "sector", f"{key[0]} / {key[1]} again (first on line {seen[key]})"
            )
        seen.setdefault(key, line)
        units.setdefault(row["unit"], line)
        records.append({**row, "value": value, "year": year})
    if len(units) > 1:
        listed = ", ".join(f"{u!r} (line {n})" for u, n in units.items())
        problems.add(path, None, "unit", f"one quantity per file; the units differ: {listed}")
    return pd.DataFrame.from_records(records, columns=columns if not records else None)


def _read_partnerships(
    folder: Path, nodes: pd.DataFrame, taxonomy: pd.DataFrame, problems: Collector
) -> pd.DataFrame:
    path = folder / S.PARTNERSHIPS_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(S.PARTNERSHIP_COLUMNS))
    rows = read_rows(path, S.PARTNERSHIP_COLUMNS, problems) or []
    places = _Places(nodes)
    known = {str(r).casefold() for r in taxonomy.get("raw_name", [])}
    for line, row in rows:
        for col in ("source", "target"):
            _check_place(row[col], places, problems, (path, line, col))
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
    if "service_day" in df.columns:
        # a dated timetable: 0 the day imported, -1 the day before (its trains still running
        # after midnight); see :func:`belt_graph.timetable.connections`
        each(
            df["service_day"],
            lambda v: (
                None
                if re.fullmatch(r"0|-[1-9][0-9]?", v)
                else f"expected 0, or -1, -2 ... for a day before, got {v!r}"
            ),
            "service_day",
        )
        day = pd.to_numeric(df["service_day"], errors="coerce")
        df["service_day"] = day.where(day.notna() & (day <= 0), 0).astype(np.int64)
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
