"""Reading and checking the files of a GTFS feed, every fault located (private).

A feed is a ``.zip`` file or a folder of ``.txt`` CSV files (the files may sit in one subfolder of
the zip, as many publishers ship them). Tables are read with pandas as text (every value a string)
and checked with vectorised masks; a fault is recorded as ``feed.zip/stops.txt:12: column
'stop_lat': ...`` in a :class:`~belt_graph.dataset._rows.Collector`, so that every problem of a feed
is reported at once. Line numbers are the physical lines of the file, counted with the ``csv``
module when a quoted value spans lines (only when a fault needs one).

What a real feed commonly gets wrong but can still be read (an unknown column, an empty optional
file, stops that no trip uses) is a warning, not an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..dataset._rows import Collector

__all__ = [
    "FEED_FILES",
    "Feed",
    "Table",
    "parse_dates",
    "parse_times",
    "read_feed",
]

#: Every problem of one kind in one file is listed up to this many rows; the rest are counted.
MAX_ROWS_PER_CHECK = 50

#: The largest file of a feed that is read, uncompressed (bytes): reading one takes about four
#: times its size in memory. Checked before the file is read.
MAX_FILE_BYTES = 2 * 1024**3
#: A zip member that expands by more than this ratio, and past :data:`ZIP_BOMB_MIN_BYTES`, is
#: refused as a zip bomb: CSV text compresses 5 to 20 times, hardly ever 100.
MAX_ZIP_RATIO = 100
ZIP_BOMB_MIN_BYTES = 64 * 1024**2

#: The files read, with their required and known optional columns (GTFS Schedule reference).
FEED_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    # name: (required columns, optional columns, required file)
    "agency.txt": (
        ("agency_name", "agency_url", "agency_timezone"),
        ("agency_id", "agency_lang", "agency_phone", "agency_fare_url", "agency_email"),
        False,
    ),
    "stops.txt": (
        ("stop_id",),
        (
            "stop_code",
            "stop_name",
            "tts_stop_name",
            "stop_desc",
            "stop_lat",
            "stop_lon",
            "zone_id",
            "stop_url",
            "location_type",
            "parent_station",
            "stop_timezone",
            "wheelchair_boarding",
            "level_id",
            "platform_code",
        ),
        True,
    ),
    "routes.txt": (
        ("route_id", "route_type"),
        (
            "agency_id",
            "route_short_name",
            "route_long_name",
            "route_desc",
            "route_url",
            "route_color",
            "route_text_color",
            "route_sort_order",
            "continuous_pickup",
            "continuous_drop_off",
            "network_id",
        ),
        True,
    ),
    "trips.txt": (
        ("route_id", "service_id", "trip_id"),
        (
            "trip_headsign",
            "trip_short_name",
            "direction_id",
            "block_id",
            "shape_id",
            "wheelchair_accessible",
            "bikes_allowed",
        ),
        True,
    ),
    "stop_times.txt": (
        ("trip_id", "stop_id", "stop_sequence"),
        (
            "arrival_time",
            "departure_time",
            "stop_headsign",
            "pickup_type",
            "drop_off_type",
            "continuous_pickup",
            "continuous_drop_off",
            "shape_dist_traveled",
            "timepoint",
            "location_group_id",
            "location_id",
            "start_pickup_drop_off_window",
            "end_pickup_drop_off_window",
            "pickup_booking_rule_id",
            "drop_off_booking_rule_id",
        ),
        True,
    ),
    "calendar.txt": (
        (
            "service_id",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "start_date",
            "end_date",
        ),
        (),
        False,
    ),
    "calendar_dates.txt": (("service_id", "date", "exception_type"), (), False),
    "frequencies.txt": (
        ("trip_id", "start_time", "end_time", "headway_secs"),
        ("exact_times",),
        False,
    ),
    "transfers.txt": (
        ("from_stop_id", "to_stop_id", "transfer_type"),
        ("from_route_id", "to_route_id", "from_trip_id", "to_trip_id", "min_transfer_time"),
        False,
    ),
    "feed_info.txt": (
        ("feed_publisher_name", "feed_publisher_url", "feed_lang"),
        (
            "default_lang",
            "feed_start_date",
            "feed_end_date",
            "feed_version",
            "feed_contact_email",
            "feed_contact_url",
        ),
        False,
    ),
    "attributions.txt": (
        ("organization_name",),
        (
            "attribution_id",
            "agency_id",
            "route_id",
            "trip_id",
            "is_producer",
            "is_operator",
            "is_authority",
            "attribution_url",
            "attribution_email",
            "attribution_phone",
        ),
        False,
    ),
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_TIME = re.compile(r"\s*([0-9]{1,3}):([0-5][0-9]):([0-5][0-9])\s*")
_DATE = re.compile(r"[0-9]{8}")
_INT = re.compile(r"\s*[0-9]{1,9}\s*")
_NUMBER = re.compile(r"\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*")


@dataclass
class Table:
    """One file of the feed: its rows as text, and how to find a row's line in the file."""

    name: str
    label: str
    df: pd.DataFrame
    data: bytes = field(repr=False)
    _lines: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.df)

    def col(self, name: str) -> pd.Series:
        """Return a column's values as text; an optional column the file lacks is all empty."""
        if name in self.df.columns:
            return self.df[name]
        return pd.Series([""] * len(self.df), index=self.df.index, dtype=object)

    def line(self, positions: Iterable[int]) -> list[int]:
        """Physical line numbers of rows at ``positions`` (0-based, as in ``df``)."""
        if self._lines is None:
            self._lines = _record_lines(self.data, len(self.df))
        return [int(self._lines[i]) for i in positions]


def _record_lines(data: bytes, n: int) -> np.ndarray:
    """Return the line each record starts on (the header is line 1)."""
    newlines = data.count(b"\n")
    ends_with_newline = data.endswith(b"\n")
    simple = b'"' not in data and b"\r\n\r\n" not in data and b"\n\n" not in data
    if simple and newlines - (1 if ends_with_newline else 0) == n:
        return np.arange(2, n + 2)
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    starts = []
    line = 1
    for i, row in enumerate(reader):
        if i and row:
            starts.append(line)
        line = reader.line_num + 1
    return np.array(starts[:n] + [0] * max(0, n - len(starts)))


@dataclass
class Feed:
    """The tables of a feed that were found and could be read."""

    path: Path
    tables: dict[str, Table]
    warnings: list[str]

    def get(self, name: str) -> Table | None:
        """Return the table of file ``name``, or None when the feed lacks it."""
        return self.tables.get(name)

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]


class _Source:
    """The files of a feed: a zip (files in its top folder or one subfolder) or a folder."""

    def __init__(self, path: Path, problems: Collector) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.members: dict[str, str] = {}
        if path.is_dir():
            for p in sorted(path.iterdir()):
                if p.is_file() and p.suffix == ".txt":
                    self.members[p.name] = p.name
        elif path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as err:
                problems.add(path, None, None, f"not a GTFS feed: cannot open it as a zip ({err})")
                return
            depth: dict[str, int] = {}
            for info in self.zip.infolist():
                if info.is_dir():
                    continue
                name = info.filename.rsplit("/", 1)[-1]
                d = info.filename.count("/")
                if name.endswith(".txt") and (name not in depth or d < depth[name]):
                    self.members[name], depth[name] = info.filename, d
        elif path.exists():
            problems.add(path, None, None, "not a regular file or folder")
        else:
            problems.add(path, None, None, "feed not found (a GTFS .zip or folder)")

    def label(self, name: str) -> str:
        return f"{self.path}/{self.members.get(name, name)}"

    def read(self, name: str) -> bytes:
        member = self.members[name]
        if self.zip is not None:
            return self.zip.read(member)
        return (self.path / member).read_bytes()

    def too_large(self, name: str) -> str | None:
        """Say why file ``name`` is not read (too large, or a zip bomb), or None: read it."""
        member = self.members[name]
        if self.zip is not None:
            info = self.zip.getinfo(member)
            size, packed = info.file_size, info.compress_size
        else:
            size = packed = (self.path / member).stat().st_size
        if size > MAX_FILE_BYTES:
            return (
                f"{size:,} bytes uncompressed, over the limit of {MAX_FILE_BYTES:,} "
                "(belt_graph.gtfs.feed.MAX_FILE_BYTES); split the feed or filter it first"
            )
        if size > ZIP_BOMB_MIN_BYTES and size > MAX_ZIP_RATIO * max(packed, 1):
            return (
                f"expands from {packed:,} to {size:,} bytes ({size / max(packed, 1):,.0f} "
                f"times, over the limit of {MAX_ZIP_RATIO}): not read, as a likely zip bomb"
            )
        return None


def read_feed(
    path: str | Path, problems: Collector, *, files: Iterable[str] = tuple(FEED_FILES)
) -> Feed:
    """Read the feed's files (those in ``files`` that it has) and check their structure.

    Records missing required files and columns, undecodable text, NUL bytes, rows with too many
    fields, duplicate column names; unknown columns and empty optional files become warnings.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.zip`` feed or a folder of ``.txt`` files.
    problems : Collector
        Where faults are recorded (nothing is raised on bad content).
    files : iterable of str
        The files to read when present.

    Returns
    -------
    Feed
        The tables read, as text, with their line numbers.

    """
    src = _Source(Path(path), problems)
    feed = Feed(Path(path), {}, [])
    if problems.problems:
        return feed
    for name in files:
        required, optional, must = FEED_FILES[name]
        label = src.label(name)
        if name not in src.members:
            if must:
                problems.add(label, None, None, "file not found (a GTFS feed needs it)")
            continue
        refused = src.too_large(name)
        if refused is not None:
            problems.add(label, None, None, refused)
            continue
        try:
            data = src.read(name)
        except (OSError, zipfile.BadZipFile, RuntimeError, zlib.error, EOFError) as err:
            problems.add(label, None, None, f"cannot read the file (a damaged zip?): {err}")
            continue
        table = _read_table(name, label, data, required, optional, must, problems, feed.warnings)
        if table is not None:
            feed.tables[name] = table
    if "calendar.txt" not in src.members and "calendar_dates.txt" not in src.members:
        problems.add(
            src.label("calendar.txt"),
            None,
            None,
            "file not found: a feed needs calendar.txt or calendar_dates.txt (or both)",
        )
    return feed


def _read_table(
    name: str,
    label: str,
    data: bytes,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    must: bool,
    problems: Collector,
    notes: list[str],
) -> Table | None:
    if b"\x00" in data:
        at = data.index(b"\x00")
        problems.add(label, data[:at].count(b"\n") + 1, None, "contains a NUL byte")
        return None
    if not data.strip():
        if must:
            problems.add(label, None, None, "file is empty (a header row is required)")
        else:
            notes.append(f"{label}: the file is empty; it is ignored")
        return None
    if b"\r" in data and re.search(rb"\r(?!\n)", data):
        # old Mac line ends (CR alone): read them as line breaks, as spreadsheet programs do
        data = re.sub(rb"\r(?!\n)", b"\n", data)
        notes.append(f"{label}: line ends are CR alone (old Mac); read as line breaks")
    first = data.split(b"\n", 1)[0]
    try:
        header_line = first.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.add(label, 1, None, f"not valid UTF-8 (byte {first[err.start]:#04x})")
        return None
    header = [h.strip() for h in next(csv.reader([header_line.rstrip("\r")]), [])]
    dupes = sorted({h for h in header if header.count(h) > 1})
    for h in dupes:
        problems.add(label, 1, h, "the column appears more than once in the header")
    missing = [c for c in required if c not in header]
    for c in missing:
        problems.add(label, 1, c, "required column is missing")
    if dupes or missing:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                io.BytesIO(data),
                dtype=object,
                keep_default_na=False,
                na_filter=False,
                index_col=False,
                encoding="utf-8-sig",
            )
    except UnicodeDecodeError:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            problems.add(label, line, None, f"not valid UTF-8 (byte {data[err.start]:#04x})")
        return None
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        _report_long_rows(label, data, len(header), problems)
        return None
    df.columns = [str(c).strip() for c in df.columns]
    unknown = [c for c in df.columns if c not in required and c not in optional]
    if unknown:
        notes.append(
            f"{label}: unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(c) for c in unknown)} (not in the GTFS reference; ignored)"
        )
    if not len(df):
        if not must:
            notes.append(f"{label}: the file has a header but no rows; it is ignored")
            return None
        problems.add(label, None, None, "the file has a header but no rows (a feed needs some)")
        return None
    return Table(name, label, df, data)


def _report_long_rows(label: str, data: bytes, width: int, problems: Collector) -> None:
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    line, shown, total = 1, 0, 0
    try:
        for i, row in enumerate(reader):
            if i and len(row) > width:
                total += 1
                if shown < MAX_ROWS_PER_CHECK:
                    problems.add(
                        label, line, None, f"{len(row)} values, but the header has {width} columns"
                    )
                    shown += 1
            line = reader.line_num + 1
    except csv.Error as err:
        problems.add(label, line, None, f"cannot read the row: {err}")
        return
    if total > shown:
        problems.add(label, None, None, f"{total - shown:,} more rows have too many values")
    if not total:
        problems.add(label, None, None, "cannot be read as CSV")


# --- checks --------------------------------------------------------------------------------------


def flag(
    table: Table,
    mask: np.ndarray | pd.Series,
    column: str | None,
    message: str | Callable[[int], str],
    problems: Collector,
) -> int:
    """Record a problem on every row where ``mask`` is true (the first few, then a count).

    ``message`` is a text or a function of the row's position. Returns how many rows.
    """
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(positions):
        return 0
    shown = positions[:MAX_ROWS_PER_CHECK]
    for pos, line in zip(shown, table.line(shown), strict=True):
        text = message(int(pos)) if callable(message) else message
        problems.add(table.label, line, column, text)
    if len(positions) > len(shown):
        what = message if isinstance(message, str) else "the same problem"
        problems.add(
            table.label,
            None,
            column,
            f"{len(positions) - len(shown):,} more rows: {what}",
        )
    return len(positions)


def required_values(table: Table, columns: Iterable[str], problems: Collector) -> None:
    """Every row needs a value in each of ``columns``."""
    for c in columns:
        flag(table, table.col(c).str.strip() == "", c, "a value is required", problems)


def unique(table: Table, columns: list[str], problems: Collector, what: str) -> None:
    """No two rows may share the values of ``columns``."""
    df = pd.DataFrame({c: table.col(c) for c in columns})
    dup = df.duplicated(columns, keep="first").to_numpy()
    if not dup.any():
        return
    involved = df.duplicated(columns, keep=False).to_numpy()
    firsts = np.flatnonzero(involved & ~dup)

    def key(pos: int) -> tuple[str, ...]:
        return tuple(str(df[c].iat[pos]) for c in columns)

    first_line = dict(zip((key(int(p)) for p in firsts), table.line(firsts), strict=True))

    def message(pos: int) -> str:
        k = key(pos)
        shown = k[0] if len(k) == 1 else ", ".join(k)
        return f"duplicate {what} {shown!r} (first on line {first_line[k]})"

    flag(table, dup, columns[-1], message, problems)


def known(
    table: Table,
    column: str,
    allowed: set[str] | pd.Index,
    problems: Collector,
    what: str,
    *,
    optional: bool = False,
) -> np.ndarray:
    """Values of ``column`` must be among ``allowed``; returns the mask of unknown ones."""
    return known_codes(table, column, allowed, problems, what, optional=optional)[0]


def known_codes(
    table: Table,
    column: str,
    allowed: set[str] | pd.Index,
    problems: Collector,
    what: str,
    *,
    optional: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`known`, and the column's codes and distinct values (``pd.factorize``).

    Each distinct value is looked up once; a caller that needs the column's values again (to
    map them, to group by them) reuses the codes instead of hashing a million texts twice.
    """
    values = table.col(column)
    codes, uniques = pd.factorize(values, sort=False)
    distinct = np.asarray(uniques, dtype=object)
    bad_u = ~pd.Index(distinct).isin(list(allowed) if isinstance(allowed, set) else allowed)
    if optional:
        bad_u &= distinct != ""
    bad = bad_u[codes] if len(codes) else np.zeros(0, dtype=bool)
    flag(table, bad, column, lambda pos: f"unknown {what} {values.iat[pos]!r}", problems)
    return np.asarray(bad, dtype=bool), codes, distinct


def integers(
    table: Table,
    column: str,
    problems: Collector,
    *,
    low: int,
    high: int,
    optional: bool,
    default: int = 0,
) -> np.ndarray:
    """Parse a column of whole numbers in [low, high]; bad values are recorded and give -1."""
    if optional and column not in table.df.columns:
        return np.full(len(table), default, dtype=np.int64)
    values = table.col(column)
    codes, uniques = pd.factorize(values, sort=False)
    parsed = np.empty(len(uniques), dtype=np.int64)
    for i, u in enumerate(uniques):
        if u.strip() == "" and optional:
            parsed[i] = default
        elif _INT.fullmatch(u) and low <= int(u) <= high:
            parsed[i] = int(u)
        else:
            parsed[i] = -(2**62)
    out = parsed[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    bad = out == -(2**62)
    flag(
        table,
        bad,
        column,
        lambda pos: f"expected a whole number from {low} to {high}, got {values.iat[pos]!r}",
        problems,
    )
    return np.where(bad, -1, out)


def numbers(
    table: Table,
    column: str,
    problems: Collector,
    *,
    low: float,
    high: float,
    optional: bool,
) -> np.ndarray:
    """Parse a column of decimal numbers in [low, high]; empty or bad values give NaN."""
    if optional and column not in table.df.columns:
        return np.full(len(table), np.nan)
    values = table.col(column)
    codes, uniques = pd.factorize(values, sort=False)
    parsed = np.full(len(uniques), np.nan)
    bad_u = np.zeros(len(uniques), dtype=bool)
    for i, u in enumerate(uniques):
        if u.strip() == "":
            bad_u[i] = not optional
        elif _NUMBER.fullmatch(u) and low <= float(u) <= high:
            parsed[i] = float(u)
        else:
            bad_u[i] = True
    out = parsed[codes] if len(codes) else np.zeros(0)
    bad = bad_u[codes] if len(codes) else np.zeros(0, dtype=bool)
    flag(
        table,
        bad,
        column,
        lambda pos: (
            "a value is required"
            if values.iat[pos].strip() == ""
            else f"expected a number from {low:g} to {high:g}, got {values.iat[pos]!r}"
        ),
        problems,
    )
    return out


def parse_times(table: Table, column: str, problems: Collector) -> np.ndarray:
    """Seconds after noon minus 12 h (GTFS service-day time) of ``H:MM:SS`` values; empty NaN.

    Hours may pass 24 (a trip that runs past midnight). Bad values are recorded (NaN).
    """
    values = table.col(column)
    codes, uniques = pd.factorize(values, sort=False)
    parsed = _hh_mm_ss(np.asarray(uniques, dtype=object))
    bad_u = np.zeros(len(uniques), dtype=bool)
    for i in np.flatnonzero(np.isnan(parsed)).tolist():  # any other form: the pattern decides
        u = uniques[i]
        if u.strip() == "":
            continue
        m = _TIME.fullmatch(u)
        if m:
            parsed[i] = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])
        else:
            bad_u[i] = True
    out = parsed[codes] if len(codes) else np.zeros(0)
    if len(codes):
        flag(
            table,
            bad_u[codes],
            column,
            lambda pos: f"expected a time H:MM:SS or HH:MM:SS, got {values.iat[pos]!r}",
            problems,
        )
    return out


def _hh_mm_ss(texts: np.ndarray) -> np.ndarray:
    """Seconds of the values written exactly ``HH:MM:SS`` (digits, MM and SS below 60); NaN else.

    The form nearly every feed uses, read as code points all at once; :func:`parse_times` reads the
    rest (``H:MM:SS``, hours past 99, white space) with the pattern, one value at a time.
    """
    out = np.full(len(texts), np.nan)
    eight = np.flatnonzero(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) == 8)
    if not len(eight):
        return out
    # eight code points a value (any character: one that is no ASCII digit fails below)
    points = np.asarray(texts[eight].tolist(), dtype="<U8").view(np.uint32).reshape(-1, 8)
    d = points.astype(np.int64) - ord("0")
    digits = d[:, [0, 1, 3, 4, 6, 7]]
    ok = (
        ((digits >= 0) & (digits <= 9)).all(axis=1)
        & (d[:, 2] == ord(":") - ord("0"))
        & (d[:, 5] == ord(":") - ord("0"))
        & (d[:, 3] <= 5)
        & (d[:, 6] <= 5)
    )
    seconds = (d[:, 0] * 10 + d[:, 1]) * 3600 + (d[:, 3] * 10 + d[:, 4]) * 60 + d[:, 6] * 10
    out[eight[ok]] = (seconds + d[:, 7])[ok]
    return out


def parse_dates(table: Table, column: str, problems: Collector) -> np.ndarray:
    """Dates written ``YYYYMMDD`` as numpy ``datetime64[D]``; bad values recorded (NaT)."""
    values = table.col(column)
    codes, uniques = pd.factorize(values, sort=False)
    parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[D]")
    bad_u = np.zeros(len(uniques), dtype=bool)
    for i, u in enumerate(uniques):
        text = u.strip()
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            parsed[i] = np.datetime64(dt.date(int(text[:4]), int(text[4:6]), int(text[6:])))
        except ValueError:
            bad_u[i] = True
    out = parsed[codes] if len(codes) else np.zeros(0, dtype="datetime64[D]")
    if len(codes):
        flag(
            table,
            bad_u[codes],
            column,
            lambda pos: f"expected a date YYYYMMDD, got {values.iat[pos]!r}",
            problems,
        )
    return out
