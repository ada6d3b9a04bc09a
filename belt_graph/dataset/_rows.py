"""Reading CSV files of a dataset row by row, with every fault located (private).

The readers here never raise on bad content: they record a :class:`~belt_graph.errors.Problem`
(file, line, column, message) in a :class:`Collector`, so that a loader can report every problem
of a dataset at once. Lines are physical lines of the file: a quoted field that spans several
lines keeps its newline, and the next row's line number stays right (the ``csv`` module's own
line handling, not :meth:`str.splitlines`, which would also split at U+2028, form feeds and
U+0085).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import DataFileError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_PROBLEMS_SHOWN",
    "Collector",
    "check_choice",
    "check_date",
    "check_text",
    "known_timezone",
    "number",
    "parse_clock",
    "read_frame",
    "read_rows",
]

#: A DataFileError lists at most this many problems (and says how many there were in all).
MAX_PROBLEMS_SHOWN = 200

Where = tuple[Path | str, int | None, str | None]


class Collector:
    """Collects problems across the files of a dataset, then raises them all at once.

    Problems are kept in the order of the files, and by line within a file, whatever order the
    checks found them in; :meth:`raise_if_any` shows the first :data:`MAX_PROBLEMS_SHOWN` and
    says how many there were.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._files: dict[str, int] = {}

    def add(self, path: Path | str, line: int | None, column: str | None, message: str) -> None:
        self._files.setdefault(str(path), len(self._files))
        self.problems.append(Problem(str(path), line, column, message))

    def __len__(self) -> int:
        return len(self.problems)

    def sorted(self) -> list[Problem]:
        """Return the problems by file (in the order first seen), then by line (file-wide first)."""
        return sorted(
            self.problems,
            key=lambda p: (self._files[p.path], -1 if p.line is None else p.line),
        )

    def raise_if_any(self, error: type[DataFileError] = DataFileError) -> None:
        if self.problems:
            ordered = self.sorted()
            raise error(ordered[:MAX_PROBLEMS_SHOWN], total=len(ordered))


def read_rows(
    path: Path,
    required: Iterable[str],
    problems: Collector,
    *,
    optional: Iterable[str] = (),
) -> list[tuple[int, dict[str, str]]] | None:
    """Read a UTF-8 CSV file into ``(line number, row)`` pairs, recording every fault.

    ``line number`` is the physical line the row starts on. Values are stripped of surrounding
    white space. Columns in ``optional`` that the header lacks are added, empty, to every row.
    Returns None when the file cannot be used at all (missing, unreadable, binary, undecodable,
    empty, not CSV, or a required column is absent).
    """
    if not path.exists():
        problems.add(path, None, None, "file not found")
        return None
    if not path.is_file():  # a folder, a pipe (reading it would wait forever), a device
        problems.add(path, None, None, "not a regular file")
        return None
    try:
        raw = path.read_bytes()
    except OSError as err:
        problems.add(path, None, None, f"cannot read the file: {err.strerror or err}")
        return None
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        line = raw[:at].count(b"\n") + 1
        problems.add(path, line, None, "contains a NUL byte: not a text (CSV) file")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(path, line, None, f"not valid UTF-8 (byte {raw[err.start]:#04x})")
        return None
    if not text.strip():
        problems.add(path, None, None, "file is empty (a header row is required)")
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as err:
        problems.add(path, 1, None, f"cannot read the header row: {_csv_error(err)}")
        return None
    required = list(required)
    missing = [c for c in required if c not in header]
    for c in missing:
        problems.add(path, 1, c, "required column is missing")
    dupes = {h for h in header if header.count(h) > 1}
    for c in sorted(dupes):
        problems.add(path, 1, c, "column appears more than once")
    if missing or dupes:
        return None
    extra = [c for c in optional if c not in header]
    rows = []
    # one str object per distinct value: a large table repeats its modes, statuses and sources
    # on every row (128,000 links: 100 MiB less while they are checked)
    memo: dict[str, str] = {}
    keep, strip, width = memo.setdefault, str.strip, len(header)
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.add(path, start, None, f"{_csv_error(err)}; the rest of the file is unread")
            break
        stripped = list(map(strip, values))
        if not any(stripped):  # an empty line, or only white space and commas
            continue
        if len(values) != width:
            problems.add(path, start, None, f"expected {width} fields, got {len(values)}")
            continue
        row = dict(zip(header, map(keep, stripped, stripped), strict=True))
        for c in extra:
            row[c] = ""
        rows.append((start, row))
    return rows


# A value with a space or tab at either end (fields are separated by commas, rows by newlines).
_PADDED = re.compile(r"(?:^|,)[ \t]|[ \t](?:,|$)", re.M)


def read_frame(
    path: Path,
    required: Iterable[str],
    problems: Collector,
    *,
    optional: Iterable[str] = (),
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Read a CSV file like :func:`read_rows`, as a frame of text and each row's line number.

    Files without quotes whose rows all have the header's number of fields (most large
    machine-written tables) are parsed by pandas; any other file goes through
    :func:`read_rows`, which locates every fault. The result is the same either way: values
    stripped, blank rows skipped, missing optional columns empty.
    """
    import pandas as pd

    required, optional = list(required), list(optional)
    try:
        raw = path.read_bytes() if path.is_file() else b""
    except OSError:
        raw = b""
    text = None
    if raw and b'"' not in raw and b"\x00" not in raw:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
    if text is not None:
        lines = text.replace("\r\n", "\n").split("\n")
        header = [h.strip() for h in lines[0].split(",")]
        width = len(header)
        keep = [i for i in range(1, len(lines)) if lines[i].strip(" \t\r,")]
        ok = (
            "\r" not in text.replace("\r\n", "")
            and len(set(header)) == width
            and all(c in header for c in required)
            and all(lines[i].count(",") == width - 1 for i in keep)
        )
        if ok:
            body = "\n".join([lines[0], *(lines[i] for i in keep)])
            df = pd.read_csv(
                io.StringIO(body),
                dtype=object,
                keep_default_na=False,
                na_filter=False,
                index_col=False,
            )
            df.columns = header
            if _PADDED.search(body):  # a value with white space around it: strip them all
                for c in df.columns:
                    df[c] = df[c].str.strip()
            for c in optional:
                if c not in df.columns:
                    df[c] = ""
            return df, np.array([i + 1 for i in keep], dtype=np.int64)
    rows = read_rows(path, required, problems, optional=optional)
    if rows is None:
        return None
    columns = list(rows[0][1]) if rows else [*required, *optional]
    frame = pd.DataFrame([r for _, r in rows], columns=columns, dtype=object)
    return frame, np.array([line for line, _ in rows], dtype=np.int64)


def _csv_error(err: csv.Error) -> str:
    text = str(err)
    if "field limit" in text:
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return f"not valid CSV ({text})"


# Plain ASCII decimal numbers only: float() would also take '1_000', 'nan', 'inf', full-width
# and Arabic-Indic digits, none of which a CSV of numbers should hold.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def number(
    value: str,
    problems: Collector,
    where: Where,
    *,
    optional: bool,
    low: float = -math.inf,
    high: float = math.inf,
    positive: bool = False,
    unit: str = "",
) -> float:
    """Parse a plain decimal number; record a problem and return NaN if it is not one.

    ``low`` and ``high`` bound the plausible values (inclusive); ``positive`` also excludes 0.
    """
    if value == "":
        if not optional:
            problems.add(*where, "a value is required")
        return math.nan
    kind = "a positive number" if positive else "a number"
    if not _NUMBER.fullmatch(value):
        try:
            float(value)
            hint = " (plain ASCII digits, '.' for decimals, no '_', no nan or inf)"
        except ValueError:
            hint = ""
        problems.add(*where, f"expected {kind}{hint}, got {value!r}")
        return math.nan
    x = float(value)
    if positive and x <= 0:
        problems.add(*where, f"expected {kind}, got {value!r}")
        return math.nan
    if not (low <= x <= high) or not math.isfinite(x):
        problems.add(*where, f"{value} is outside the plausible range {_range(low, high, unit)}")
        return math.nan
    return x


def _range(low: float, high: float, unit: str) -> str:
    """Say a range in words: ``-90 to 90``, ``at most 1,000 km``, ``at least 0``."""
    what = f" {unit}" if unit else ""
    if math.isfinite(low) and math.isfinite(high):
        return f"{low:,.6g} to {high:,.6g}{what}"
    if math.isfinite(high):
        return f"of at most {high:,.6g}{what}"
    return f"of at least {low:,.6g}{what}"


def check_choice(value: str, allowed: Iterable[str], problems: Collector, where: Where) -> None:
    if value in allowed:  # a set, or any collection (a frozenset is not copied on every row)
        return
    choices = ", ".join(sorted(set(allowed)))
    problems.add(*where, f"unknown value {value!r} (expected one of: {choices})")


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def check_date(value: str, problems: Collector, where: Where) -> dt.date | None:
    """Check an optional date written ``YYYY-MM-DD``; return it (None when empty or invalid)."""
    if not value:
        return None
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(*where, f"expected a date YYYY-MM-DD, got {value!r}")
    return None


def check_text(
    value: str,
    problems: Collector,
    where: Where,
    *,
    max_chars: int,
    required: bool = True,
    controls: bool = True,
) -> None:
    """Check an id or a name, recording each problem.

    It must be present (if ``required``), not too long and, unless ``controls``, free of control
    characters and line breaks (ids are typed on command lines).
    """
    if not value:
        if required:
            problems.add(*where, "a value is required")
        return
    if len(value) > max_chars:
        problems.add(*where, f"is {len(value):,} characters long (at most {max_chars})")
    if controls or value.isprintable():  # printable: no control character, no line break
        return
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:
        problems.add(*where, f"contains the control character {bad!r}")


def parse_clock(text: str) -> float:
    """Return minutes after midnight for ``HH:MM`` or ``HH:MM:SS``; hours may be 24 or more.

    Raises ValueError for anything else.

    Parameters
    ----------
    text : str
        A clock time, ``HH:MM`` or ``HH:MM:SS``.

    Returns
    -------
    float
        Minutes after midnight (1,530.5 for ``25:30:30``).

    Examples
    --------
    >>> parse_clock("08:05"), parse_clock("25:30:30")
    (485.0, 1530.5)
    """
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(
        p.isascii() and p.isdigit() and 2 <= len(p) <= (3 if i == 0 else 2)
        for i, p in enumerate(parts)
    ):
        raise ValueError(f"expected a time HH:MM or HH:MM:SS, got {text!r}")
    h, m = int(parts[0]), int(parts[1])
    s = int(parts[2]) if len(parts) == 3 else 0
    if m > 59 or s > 59:
        raise ValueError(f"minutes and seconds must be below 60, got {text!r}")
    return h * 60 + m + s / 60


def raise_problems(problems: list[Problem], error: type[DataFileError] = DataFileError) -> None:
    """Raise ``error`` for a plain list of problems (sorted and cut like a Collector's)."""
    c = Collector()
    for p in problems:
        c.add(p.path, p.line, p.column, p.message)
    c.raise_if_any(error)


def known_timezone(name: str) -> bool:
    """Return whether ``name`` is an IANA time zone (any name passes where the system has none).

    Parameters
    ----------
    name : str
        A time zone name such as ``Asia/Shanghai``.

    Returns
    -------
    bool
        True when the system's time zone database knows it.
    """
    available = _timezones()
    return not available or name in available


@functools.cache
def _timezones() -> frozenset[str]:
    """Return the system's time zone names, read once (a walk over the database: 10 ms)."""
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())
