"""Option bundles shared by the commands, and the types that check their values.

The bundles: ``--data``, ``--format``/``--output``, ``--depart``, ``--window`` ...; a bad value
exits 2 with click's usage message.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import click

from ..schema import DEFAULT_MIN_TRANSFER_MINUTES
from .output import F, _check_target

if TYPE_CHECKING:
    from ..dataset.core import Dataset

FORMATS = ("table", "csv", "json")


def data_option(f: F) -> F:
    """Add ``--data DIR`` (default: the bundled belt dataset)."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Dataset folder (default: the bundled Shanghai-Nanjing belt).",
    )(f)


#: The table format an --output file's extension implies.
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".txt": "table"}


def output_format(output: Path | None, fmt: str | None, binary: tuple[str, ...] = ()) -> str:
    """Return the table format of a command: the --output extension's, or --format's.

    An extension and an explicit --format that disagree, or an extension that no writer
    knows (``.xlsx``), is a usage error: nothing is written in a format the name does not say.
    """
    suffix = output.suffix.lower() if output is not None else ""
    known = sorted([*SUFFIX_FORMATS, *binary])
    if suffix in binary:
        if fmt not in (None, "table"):
            raise click.BadParameter(
                f"{output} is written as {suffix}, not {fmt}; drop --format or change the name",
                param_hint="--format",
            )
        return "table"
    if suffix in SUFFIX_FORMATS:
        implied = SUFFIX_FORMATS[suffix]
        if fmt is not None and fmt != implied:
            raise click.BadParameter(
                f"--format {fmt} does not match {output} ({suffix} is {implied})",
                param_hint="--format",
            )
        return implied
    if suffix:
        raise click.BadParameter(
            f"cannot write {suffix} files; name the output {', '.join(known)}, or give no "
            "extension and a --format",
            param_hint="--output",
        )
    return fmt or "table"


@overload
def output_options(f: F) -> F: ...
@overload
def output_options(*, binary: tuple[str, ...]) -> Callable[[F], F]: ...
def output_options(f: F | None = None, *, binary: tuple[str, ...] = ()) -> Any:
    """Add ``--format``, ``--output`` and ``--force``; refuse a bad --output before any work.

    The format follows the output's extension (``.csv``, ``.json``, ``.txt``, or one of the
    command's own ``binary`` suffixes such as ``.npz``), see :func:`output_format`.
    """

    def decorate(inner: F) -> F:
        @functools.wraps(inner)
        def checked(*args: Any, **kwargs: Any) -> Any:
            kwargs["fmt"] = output_format(kwargs.get("output"), kwargs.get("fmt"), binary)
            if kwargs.get("output") is not None:
                _check_target(kwargs["output"], force=kwargs["force"])
            return inner(*args, **kwargs)

        g = click.option("--force", is_flag=True, help="Overwrite --output if it exists.")(checked)
        g = click.option(
            "--output",
            "-o",
            type=click.Path(path_type=Path),
            default=None,
            help="Write to this file instead of stdout; its extension sets the format ("
            + ", ".join(sorted([*SUFFIX_FORMATS, *binary]))
            + ").",
        )(g)
        return click.option(  # type: ignore[return-value]
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default=None,
            help="Table format (default: from --output's extension, else table; json = a list "
            "of records).",
        )(g)

    return decorate(f) if f is not None else decorate


class Number(click.ParamType):  # type: ignore[type-arg]
    """A finite number, optionally bounded: ``nan`` and ``inf`` are refused like any bad value."""

    name = "number"

    def __init__(
        self, min: float | None = None, *, min_open: bool = False, max: float | None = None
    ) -> None:
        self.min, self.min_open, self.max = min, min_open, max

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        """Return ``value`` as a float within the bounds, or fail with click's usage error."""
        try:
            x = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(x):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if self.min is not None and (x < self.min or (self.min_open and x == self.min)):
            op = ">" if self.min_open else ">="
            self.fail(f"{value!r} must be {op} {self.min:g}", param, ctx)
        if self.max is not None and x > self.max:
            self.fail(f"{value!r} must be <= {self.max:g}", param, ctx)
        return x


def _hours(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise click.BadParameter("must be a number of hours >= 0", ctx, param)
    return value


def _bands(ctx: click.Context, param: click.Parameter, value: str) -> list[float]:
    try:
        out = [float(x) for x in value.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(f"expected numbers separated by commas, got {value!r}") from None
    if not out or any(not math.isfinite(x) or x < 0 for x in out):
        raise click.BadParameter("expected numbers of hours >= 0 separated by commas")
    return out


planned_option = click.option("--include-planned", is_flag=True, help="Use planned links too.")
time_option = click.option(
    "--time",
    "time_kind",
    type=click.Choice(["in-vehicle", "expected"]),
    default="in-vehicle",
    show_default=True,
    help="What a journey's minutes count on a network of services: in-vehicle (on trains, "
    "walking and changing) or expected (adding the expected wait for each train boarded: half "
    "its headway over 06:00-24:00, at most 30 min).",
)


#: The access rule's options: (option, field of AccessRule, bounds, help).
_ACCESS_FIELDS = (
    (
        "--access-station-minutes",
        "station_minutes",
        Number(min=0, max=600),
        "minutes at the station, each end",
    ),
    ("--access-detour", "detour_factor", Number(min=1, max=10), "route over great-circle distance"),
    ("--access-city-km", "city_km", Number(min=0, max=1000), "km travelled at the city speed"),
    ("--access-city-kmh", "city_kmh", Number(min=0, min_open=True, max=1000), "city speed, km/h"),
    (
        "--access-road-kmh",
        "road_kmh",
        Number(min=0, min_open=True, max=1000),
        "road speed beyond, km/h",
    ),
)


def access_options(f: F) -> F:
    """Add the door-to-door rule's options; the command gets ``access``: the fields given.

    None when no option is given: the dataset's own access minutes (its links.csv) count.
    A given option replaces that field of the dataset's own rule (its metadata's
    ``access_rule``, see :func:`~belt_graph.network.access.asked_rule`; the defaults shown are
    :data:`~belt_graph.network.access.DOOR_TO_DOOR`'s, the bundled datasets' rule), and every
    access link timed by the rule is timed again.
    """
    fields = [(opt, name) for opt, name, *_ in _ACCESS_FIELDS]

    @functools.wraps(f)
    def combined(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for _, name in fields}
        access = {k: v for k, v in given.items() if v is not None} or None
        return f(*args, access=access, **kwargs)

    from ..network.access import DOOR_TO_DOOR

    g: Any = combined
    for opt, name, kind, text in reversed(_ACCESS_FIELDS):
        g = click.option(
            opt,
            name,
            type=kind,
            default=None,
            help=f"Door to door: {text} [default: the dataset's rule; "
            f"{getattr(DOOR_TO_DOOR, name):g} over rail].",
        )(g)
    return g  # type: ignore[no-any-return]


ends_option = click.option(
    "--ends",
    type=click.Choice(["door", "stations"]),
    default="door",
    show_default=True,
    help="What a place-to-place time counts: door to door (access from the place's reference "
    "point to a station and egress at the other end, by the stated rule) or station to "
    "station (any station of a place counts as the place).",
)
year_option = click.option(
    "--year",
    type=click.IntRange(min=1825, max=2100),
    default=None,
    help="The network as it ran at the end of this year: links opened later are left out, "
    "and the trains that ride them (timed by the dataset's trains).",
)


def network_options(f: F) -> F:
    """Add ``--ends``, ``--year`` and the access rule's options (see :func:`as_asked`)."""
    return ends_option(year_option(access_options(f)))


close_option = click.option(
    "--close",
    "close",
    multiple=True,
    metavar="A-B",
    help="Close the track between stations A and B (ids or names), with every train that "
    "rides it; repeatable. See `belt-graph criticality` for the track links.",
)


def closed_pairs(ds: Dataset, close: Sequence[str]) -> list[tuple[str, str]]:
    """Return the station pairs of ``--close A-B`` values, each end resolved to its id.

    A name may hold a hyphen: every split of the value into two names that both resolve is
    tried, and exactly one must work.
    """
    from ..dataset.lookup import resolve_place
    from ..errors import BeltGraphError

    pairs = []
    for value in close:
        found = []
        for k, ch in enumerate(value):
            if ch != "-":
                continue
            a, b = value[:k].strip(), value[k + 1 :].strip()
            try:
                found.append((resolve_place(ds.nodes, a), resolve_place(ds.nodes, b)))
            except BeltGraphError:
                continue
        if len(found) != 1:
            why = "no two stations" if not found else "more than one pair of stations"
            raise click.BadParameter(
                f"{value!r} names {why} (expected A-B, two stations joined by track)",
                param_hint="--close",
            )
        pairs.append(found[0])
    return pairs


def as_asked(
    ds: Dataset, ends: str, year: int | None, access: Any, close: Sequence[str] = ()
) -> Dataset:
    """Return the dataset as the network options ask: the network of ``year``, its ends.

    ``--year`` needs links that carry opening dates (``opened``); a dataset without them is
    refused, naming the option. ``close`` (``--close A-B`` values) closes track links
    (:func:`~belt_graph.resilience.close_track`), after the year is applied.
    """
    from .. import schema as S
    from ..network.layers import with_access, with_year

    if year is not None:
        dated = S.OPENED in ds.links.columns and (ds.links[S.OPENED].astype(str) != "").any()
        if not dated:
            raise click.BadParameter(
                f"the links of {ds.name} carry no opening dates (links.csv column "
                f"'{S.OPENED}'), so there is no network by year",
                param_hint="--year",
            )
        try:
            ds = with_year(ds, year)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--year") from None
    if ends != "door" or access is not None:
        from ..network.access import asked_rule

        ds = with_access(ds, asked_rule(ds.metadata, access), ends=ends)
    if close:
        from ..resilience import close_track

        ds = close_track(ds, closed_pairs(ds, close))
    return ds


hours_option = click.option(
    "--hours", type=Number(min=0), required=True, callback=_hours, help="Time budget in hours."
)


def _depart(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        from ..dataset._rows import parse_clock

        minutes = parse_clock(value)
    except ValueError:
        minutes = math.nan
    if not 0 <= minutes < 1440:
        raise click.BadParameter(f"expected a time of day HH:MM (00:00-23:59), got {value!r}")
    return minutes


def depart_at_option(help_text: str) -> Callable[[F], F]:
    """``--depart HH:MM`` defaulting to 08:00 (for diagrams and the report)."""
    return click.option(
        "--depart",
        callback=_depart,
        default="08:00",
        show_default=True,
        metavar="HH:MM",
        help=help_text,
    )


def timetable_options(f: F) -> F:
    """Add ``--depart HH:MM`` and ``--min-transfer-minutes``."""
    f = click.option(
        "--min-transfer-minutes",
        type=Number(min=0, max=24 * 60),
        default=DEFAULT_MIN_TRANSFER_MINUTES,
        show_default=True,
        help="With --depart: least minutes between arriving and the next train (an assumption).",
    )(f)
    return click.option(
        "--depart",
        callback=_depart,
        default=None,
        metavar="HH:MM",
        help="Use the dataset's timetable: leave at this time, real trains, waits and changes.",
    )(f)


def _change_note(ds: Dataset, default: float) -> str:
    """How long changes take in a timetable search: the stations' own minutes, else the option."""
    import pandas as pd

    own = (
        pd.to_numeric(ds.nodes["min_transfer_minutes"], errors="coerce").dropna()
        if "min_transfer_minutes" in ds.nodes.columns
        else pd.Series(dtype=float)
    )
    if not len(own):
        return f"min transfer {default:g} min"
    low, high = float(own.min()), float(own.max())
    shown = f"{low:g} min" if low == high else f"{low:g}-{high:g} min"
    stations = int((ds.nodes["kind"] == "station").sum())
    rest = "" if len(own) >= stations else f", else {default:g} min"
    return f"change times: the stations' own ({shown}){rest}"


def window_options(f: F) -> F:
    """``--window HH:MM-HH:MM`` and ``--step`` for the timetable's departure window."""
    f = click.option(
        "--step",
        type=Number(min=0, min_open=True, max=24 * 60),
        default=5.0,
        show_default=True,
        help="Minutes between departures of --window.",
    )(f)
    return click.option(
        "--window",
        default="07:00-09:00",
        show_default=True,
        callback=_window,
        metavar="HH:MM-HH:MM",
        help="Departure window of the timetable's percentiles (datasets with a timetable).",
    )(f)


def _window(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, float]:
    start, dash, end = value.partition("-")
    try:
        from ..dataset._rows import parse_clock

        a, b = parse_clock(start.strip()), parse_clock(end.strip())
    except ValueError:
        a = b = math.nan
    if not dash or not (0 <= a <= b <= 48 * 60):
        raise click.BadParameter(f"expected HH:MM-HH:MM with the start first, got {value!r}")
    return a, b


def _percentiles(ctx: click.Context, param: click.Parameter, value: str) -> list[float]:
    try:
        out = [float(x) for x in value.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(f"expected numbers separated by commas, got {value!r}") from None
    if not out or any(not (0 < x <= 100) for x in out):
        raise click.BadParameter("expected percentiles in (0, 100] separated by commas")
    return out


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None
