"""The ``belt-graph`` command line: one command per question, thin wrappers over the library.

stdout carries data only; progress and diagnostics go to stderr. A user's mistake becomes
``Error: ...`` and exit code 1 (bad option values: click's usage message and exit code 2).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click
import pandas as pd

from . import __version__
from ._files import atomic_write as _atomic_write
from ._files import check_file_target
from .dataset import Dataset, load_dataset, parse_clock, resolve_place
from .errors import BeltGraphError
from .summary import short_list

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "csv", "json")
DRAW_KINDS = (
    "map",
    "reach",
    "traveltime",
    "matrix",
    "centrality",
    "sectors",
    "scenario",
    "timetable",
    "window",
    "day",
    "years",
)
EXPORT_FORMATS = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".geojson": "geojson",
    ".json": "json",
    ".zip": "gtfs",
}


def data_option(f: F) -> F:
    """Add ``--data DIR`` (default: the bundled belt dataset)."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Dataset folder (default: the bundled Shanghai-Nanjing belt).",
    )(f)


def output_options(f: F) -> F:
    """Add ``--format``, ``--output`` and ``--force``; refuse a bad --output before any work."""

    inner = f

    @functools.wraps(inner)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("output") is not None:
            _check_target(kwargs["output"], force=kwargs["force"])
        return inner(*args, **kwargs)

    g = click.option("--force", is_flag=True, help="Overwrite --output if it exists.")(checked)
    g = click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path),
        default=None,
        help="Write to this file instead of stdout.",
    )(g)
    return click.option(  # type: ignore[return-value]
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Table format (json = a list of records).",
    )(g)


def _place(ds: Dataset, name: str) -> str:
    return resolve_place(ds.nodes, name)


def _need_sectors(ds: Dataset) -> None:
    if not len(ds.sectors):
        raise BeltGraphError(
            f"dataset {ds.name!r} has no sectors (no sectors.csv), so there is nothing to compare"
        )


def render(df: pd.DataFrame, fmt: str, *, index: bool = True) -> str:
    """Render a table as text, CSV or JSON records (NaN becomes empty / null)."""
    if fmt == "csv":
        return str(df.to_csv(index=index, lineterminator="\n", float_format="%.10g"))
    if fmt == "json":
        table = df.reset_index() if index and df.index.name else df
        records = table.to_dict("records")
        clean = [
            {
                str(k): (None if isinstance(v, float) and math.isnan(v) else _plain(v))
                for k, v in rec.items()
            }
            for rec in records
        ]
        return json.dumps(clean, ensure_ascii=False, indent=2) + "\n"
    with pd.option_context(
        "display.max_rows",
        500,
        "display.max_columns",
        50,
        "display.width",
        160,
        "display.max_colwidth",
        60,
    ):
        return str(df.to_string(index=index, float_format=_float_fmt, na_rep="")) + "\n"


def _float_fmt(x: float) -> str:
    """Whole numbers in full (populations), others to 6 significant digits."""
    if abs(x) < 1e15 and float(x).is_integer():
        return f"{x:.0f}"
    return f"{x:.6g}"


def _plain(v: object) -> object:
    if hasattr(v, "item"):
        return v.item()  # numpy scalar
    if v is pd.NA:
        return None
    return v


def _check_target(path: Path, *, force: bool) -> None:
    """Refuse an output file before any work (a usage error, exit 2; checked again on write)."""
    try:
        check_file_target(path, force=force)
    except BeltGraphError as err:
        raise click.UsageError(str(err), None) from None


def atomic_write(
    path: Path, data: str | bytes | Callable[[IO[bytes]], None], *, force: bool
) -> None:
    """Write ``path`` whole or not at all (see :func:`belt_graph._files.atomic_write`)."""
    _atomic_write(path, data, force=force)


def emit(
    df: pd.DataFrame, fmt: str, output: Path | None, force: bool, *, index: bool = True
) -> None:
    text = render(df, fmt, index=index)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text, force=force)
        note(f"wrote {output}")


def handle_errors(f: F) -> F:
    """Turn a BeltGraphError (or a caller's ValueError) into ``Error: ...`` and exit 1."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except BeltGraphError as err:
            raise click.ClickException(str(err)) from None
        except ValueError as err:
            raise click.ClickException(str(err)) from None

    return wrapper  # type: ignore[return-value]


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
hours_option = click.option(
    "--hours", type=Number(min=0), required=True, callback=_hours, help="Time budget in hours."
)


def _depart(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
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
    from .timetable import DEFAULT_MIN_TRANSFER_MINUTES

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


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    root = ctx.find_root()
    return bool(root.params.get("quiet") or root.meta.get("belt_graph.quiet"))


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().meta["belt_graph.quiet"] = True


def command(*args: Any, **kwargs: Any) -> Callable[[F], Any]:
    """``@cli.command`` that also takes ``--quiet``/``-q`` after the command name."""

    def decorate(f: F) -> Any:
        f = click.option(
            "--quiet",
            "-q",
            is_flag=True,
            expose_value=False,
            callback=_set_quiet,
            help="No progress bars or notes on stderr (errors still).",
        )(f)
        return cli.command(*args, **kwargs)(f)

    return decorate


class ProgressBar:
    """``progress(done, total)`` callbacks drawn as click progress bars on stderr.

    Each pass (a new total, a count that goes back, or a call after the bar is full) gets its
    own bar; :meth:`finish` ends the current line so that a note can follow.
    """

    def __init__(self, label: str, stream: Any) -> None:
        self.label, self.stream = label, stream
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        bar = self.bar
        if bar is None or bar.finished or total != bar.length or done < bar.pos:
            self.finish()
            self.bar = bar = click.progressbar(length=total, label=self.label, file=self.stream)
        bar.update(done - bar.pos)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[ProgressBar | None]:
    """Yield a :class:`ProgressBar` on stderr, or None.

    None (no bar) when stderr is not a terminal or ``--quiet`` was given, so logs and pipes
    stay clean.
    """
    stream = sys.stderr
    if _quiet() or not stream.isatty():
        yield None
        return
    bar = ProgressBar(label, stream)
    try:
        yield bar
    finally:
        bar.finish()


def note(message: str) -> None:
    """Print a diagnostic line on stderr unless ``--quiet``."""
    if not _quiet():
        click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="belt-graph")
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress bars or notes on stderr (errors still)."
)
def cli(quiet: bool) -> None:
    """Analyse a partnership network of cities: rail travel time, reach, centrality, sectors.

    Every command works on the bundled Shanghai-Nanjing Industrial Innovation Belt unless
    given --data DIR. Place names: id, English or Chinese name, case-insensitive.

    \b
    Example: belt-graph reach Putuo --hours 1

    \b
    National data: belt-graph reach 上海虹桥 --hours 3 --depart 08:00 --data data/cn-rail-2020
    """


@command()
@click.option(
    "--list", "list_all", is_flag=True, help="List the datasets that ship with belt-graph."
)
@data_option
@handle_errors
def info(list_all: bool, data_dir: Path | None) -> None:
    """Summarise a dataset: places, links by line and status, totals, gaps, sources.

    \b
    Example: belt-graph info --data data/belt
    Example: belt-graph info --list
    """
    from .summary import dataset_summary

    if list_all:
        from .dataset import DATASETS, dataset_path

        rows = []
        for name in DATASETS:
            ds = load_dataset(dataset_path(name))
            rows.append(
                {
                    "name": name,
                    "title": ds.title,
                    "nodes": len(ds.nodes),
                    "links": len(ds.links),
                    "timetable_calls": 0 if ds.timetable is None else len(ds.timetable),
                }
            )
        click.echo(render(pd.DataFrame(rows), "table", index=False), nl=False)
        note("use one with --data NAME, e.g. --data cn-rail-2020 (a folder of that name wins)")
        return
    click.echo(dataset_summary(load_dataset(data_dir)), nl=False)


@command()
@data_option
@output_options
@click.option("--include-hubs", is_flag=True, help="Also list hub stations.")
@handle_errors
def nodes(
    data_dir: Path | None, fmt: str, output: Path | None, force: bool, include_hubs: bool
) -> None:
    """List the places with their population and GDP (and their status).

    \b
    Example: belt-graph nodes --format csv
    """
    ds = load_dataset(data_dir)
    cols = [
        c
        for c in (
            "name",
            "name_zh",
            "kind",
            "city",
            "province",
            "lat",
            "lon",
            "population",
            "population_year",
            "population_status",
            "gdp_cny_bn",
            "gdp_year",
            "gdp_status",
        )
        if c in ds.nodes.columns
    ]
    table = ds.nodes if include_hubs else ds.nodes[ds.nodes["kind"] != "hub"]
    emit(table[cols], fmt, output, force)


@command()
@click.argument("origin")
@click.argument("destination")
@click.option(
    "--transfer-penalty-minutes",
    type=Number(min=0, max=24 * 60),
    default=0.0,
    show_default=True,
    help="Extra minutes charged per change of line.",
)
@timetable_options
@planned_option
@data_option
@output_options
@handle_errors
def commute(
    origin: str,
    destination: str,
    transfer_penalty_minutes: float,
    depart: float | None,
    min_transfer_minutes: float,
    include_planned: bool,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Show the fastest route between two places, leg by leg.

    With --depart (datasets with a timetable): the journey that arrives first, train by train.

    \b
    Example: belt-graph commute Nantong Zhenjiang --transfer-penalty-minutes 10

    \b
    Example: belt-graph commute 上海虹桥 北京南 --depart 08:00 --data data/cn-rail-2020
    """
    from .commute import commute as run
    from .network import rail_graph

    ds = load_dataset(data_dir)
    a, b = _place(ds, origin), _place(ds, destination)
    if depart is not None:
        from .timetable import connections, format_clock, timetable_commute

        j = timetable_commute(
            connections(ds), a, b, depart, min_transfer_minutes=min_transfer_minutes
        )
        legs = j.legs.copy()
        names = ds.nodes["name"].to_dict()
        legs.insert(legs.columns.get_loc("from") + 1, "from_name", legs["from"].map(names))
        legs.insert(legs.columns.get_loc("to") + 1, "to_name", legs["to"].map(names))
        emit(legs.drop(columns=["departure", "arrival"]), fmt, output, force, index=False)
        walking = f", {j.walk_minutes:g} walking" if j.walk_minutes else ""
        note(
            f"{a} -> {b} leaving {format_clock(depart)}: arrive {format_clock(j.arrival)}, "
            f"{j.minutes:g} min ({j.in_vehicle_minutes:g} in vehicles, {j.wait_minutes:g} "
            f"waiting{walking}), {j.changes} change(s); " + _change_note(ds, min_transfer_minutes)
        )
        return
    c = run(
        rail_graph(ds, include_planned=include_planned),
        a,
        b,
        transfer_penalty_minutes=transfer_penalty_minutes,
    )
    legs = c.legs.copy()
    names = ds.nodes["name"].to_dict()
    legs.insert(1, "from_name", [names.get(x, x) for x in legs["from"]])
    legs.insert(3, "to_name", [names.get(x, x) for x in legs["to"]])
    emit(legs, fmt, output, force, index=False)
    stops = [x for x in dict.fromkeys([*legs["from"], *legs["to"]]) if x not in (a, b)]
    via = f" via {', '.join(str(names.get(x, x)) for x in stops)}" if stops else ""
    note(
        f"{a} -> {b}: {c.minutes:g} min in vehicle and changing (no waiting), "
        f"{c.changes} change(s) of line{via}"
        + (f"; {c.generalized_minutes:g} min with penalties" if transfer_penalty_minutes else "")
    )


@command()
@click.option("--include-hubs", is_flag=True, help="Also list hub stations.")
@planned_option
@data_option
@output_options
@handle_errors
def matrix(
    include_hubs: bool,
    include_planned: bool,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Print the travel-time matrix between places, in minutes (empty = unreachable).

    With --output FILE.npz the matrix is written in numpy's .npz format instead (arrays
    "minutes", float64 with NaN where unreachable, and "nodes", the ids in the dataset's
    order): for networks too large for CSV. Read it with numpy.load.

    \b
    Example: belt-graph matrix --format csv --output matrix.csv

    \b
    Example: belt-graph matrix --data data/cn-rail-2021 --output matrix.npz
    """
    from .commute import travel_time_array, travel_time_matrix
    from .network import rail_graph

    ds = load_dataset(data_dir)
    G = rail_graph(ds, include_planned=include_planned)
    if output is not None and output.suffix.lower() == ".npz":
        import numpy as np

        _check_target(output, force=force)
        with progress_bar("travel times") as bar:
            ids, m = travel_time_array(G, include_hubs=include_hubs, progress=bar)
        atomic_write(
            output,
            lambda fh: np.savez(fh, minutes=m, nodes=np.array(ids, dtype=str)),
            force=force,
        )
        note(f"wrote {output} ({len(ids)} x {len(ids)} minutes)")
        return
    with progress_bar("travel times") as bar:
        m = travel_time_matrix(G, include_hubs=include_hubs, progress=bar)
    emit(m, fmt, output, force)


@command()
@click.argument("origins", nargs=-1, required=True)
@hours_option
@click.option(
    "--bands",
    default=None,
    callback=lambda c, p, v: None if v is None else _bands(c, p, v),
    help="Print a summary for these hours instead, e.g. 0.5,1,2.",
)
@timetable_options
@planned_option
@data_option
@output_options
@handle_errors
def reach(
    origins: tuple[str, ...],
    hours: float,
    bands: list[float] | None,
    depart: float | None,
    min_transfer_minutes: float,
    include_planned: bool,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """List the places within --hours of the origins (the nearest origin counts).

    A summary (places, population and GDP reached, shares, unknowns) goes to stderr;
    with --bands the summary table for each band is the output.

    With --depart (datasets with a timetable): the stations reached by real trains leaving
    at that time, with arrival times, waits and changes, beside the fastest-link minutes
    (link_minutes; imposed_minutes is what the timetable adds).

    \b
    Example: belt-graph reach Putuo --hours 2 --format csv

    \b
    Example: belt-graph reach 上海虹桥 --hours 3 --depart 08:00 --data data/cn-rail-2020
    """
    from .network import rail_graph
    from .reach import reach as run
    from .reach import reach_bands, reach_summary

    ds = load_dataset(data_dir)
    ids = [_place(ds, o) for o in origins]
    G = rail_graph(ds, include_planned=include_planned)
    if depart is not None:
        from .timetable import MAX_TIMETABLE_HOURS, connections, format_clock, timetable_vs_links

        if len(ids) != 1 or bands:
            raise click.UsageError("--depart takes exactly one origin and no --bands")
        if hours > MAX_TIMETABLE_HOURS:
            raise click.BadParameter(
                f"at most {MAX_TIMETABLE_HOURS:g} with --depart (a week of daily trains)",
                param_hint="--hours",
            )
        table = timetable_vs_links(
            connections(ds), G, ids[0], hours, depart, min_transfer_minutes=min_transfer_minutes
        )
        names = ds.nodes.reindex(table.index)
        table.insert(0, "name", names["name"].to_numpy())
        if "name_zh" in names.columns:
            table.insert(1, "name_zh", names["name_zh"].to_numpy())
        emit(table, fmt, output, force)
        note(
            f"{len(table) - 1} stations besides {ids[0]} within {hours:g} h leaving "
            f"{format_clock(depart)} ({_change_note(ds, min_transfer_minutes)}); the timetable "
            f"adds a median {table['imposed_minutes'].iloc[1:].median():g} min to the "
            "fastest-link minutes"
            if len(table) > 1
            else f"nothing reached within {hours:g} h of {ids[0]} leaving {format_clock(depart)}"
        )
        return
    if bands:
        emit(reach_bands(G, ids, sorted({*bands, hours})), fmt, output, force)
        return
    table = run(G, ids, hours)
    # a dataset without population or GDP (a station network) gets no empty columns
    empty = [c for c in ("population", "gdp_cny_bn") if c in table and table[c].isna().all()]
    emit(table.drop(columns=empty), fmt, output, force)
    s = reach_summary(G, ids, hours).iloc[0]
    if ds.nodes["population"].isna().all() and ds.nodes["gdp_cny_bn"].isna().all():
        note(
            f"{int(s['places'])} places within {hours:g} h (this dataset has no population or GDP)"
        )
        return

    def part(label: str, value: float, share: float, unit: str) -> str:
        if math.isnan(value):
            return f"{label} unknown"
        return f"{label} {value:,.0f}{unit} ({share:.0%} of the known total)"

    msg = (
        f"{int(s['places'])} places within {hours:g} h; "
        + part("population", s["population"], s["population_share"], "")
        + "; "
        + part("GDP", s["gdp_cny_bn"], s["gdp_share"], " bn CNY")
    )
    if s["gdp_unknown"]:
        msg += f"; GDP unknown for {short_list(s['gdp_unknown'].split(';'))}"
    if s["population_unknown"]:
        msg += f"; population unknown for {short_list(s['population_unknown'].split(';'))}"
    note(msg)


def _window(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, float]:
    start, dash, end = value.partition("-")
    try:
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


@command()
@click.option(
    "--origin",
    "origins",
    multiple=True,
    help="Origin (repeatable; default: every place, or every station of a station network).",
)
@click.option(
    "--window",
    default="07:00-09:00",
    show_default=True,
    callback=_window,
    metavar="HH:MM-HH:MM",
    help="Departure window (both ends included).",
)
@click.option(
    "--step",
    type=Number(min=0, min_open=True, max=24 * 60),
    default=1.0,
    show_default=True,
    help="Minutes between departures.",
)
@click.option(
    "--percentiles",
    default="50",
    show_default=True,
    callback=_percentiles,
    help="Nearest-rank percentiles of travel time, e.g. 5,25,50,75,95.",
)
@click.option(
    "--hours",
    type=Number(min=0),
    default=1.0,
    show_default=True,
    help="The share column counts departures arriving within this many hours.",
)
@click.option(
    "--max-hours",
    type=Number(min=0, min_open=True, max=168),
    default=24.0,
    show_default=True,
    help="Travel beyond this counts as never reached.",
)
@click.option(
    "--level",
    type=click.Choice(["auto", "place", "station"]),
    default="auto",
    show_default=True,
    help="Origins and destinations: places (a network of places over stations) or stations.",
)
@click.option(
    "--min-transfer-minutes",
    type=Number(min=0, max=24 * 60),
    default=None,
    help="Change minutes at a station without its own [default: 15].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=1024),
    default=None,
    help="Local processes [default: the machine's cores].",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run on this Dask cluster (tcp://host:8786); --output then names a folder of Parquet "
    "parts the workers can write to.",
)
@data_option
@output_options
@handle_errors
def accessibility(
    origins: tuple[str, ...],
    window: tuple[float, float],
    step: float,
    percentiles: list[float],
    hours: float,
    max_hours: float,
    level: str,
    min_transfer_minutes: float | None,
    workers: int | None,
    scheduler: str | None,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Travel time over a departure window, every origin to every destination: nearest-rank
    percentiles of the minutes (waiting included) and the share of departures within --hours.

    The output is a long table (origin, destination, p50 ..., share_within_1h, departures);
    --output FILE.parquet (pyarrow) or .csv writes it. Needs the compiled engine
    (pip install "belt-graph[fast]") and a dataset with a timetable.

    \b
    Example: belt-graph accessibility --data cn-rail-2020 --window 07:00-09:00 --step 1 -o a.parquet
    Example: belt-graph accessibility --data cn-rail-2020 --origin 上海虹桥 --percentiles 5,50,95
    """
    from .accessibility import accessibility as run
    from .timetable import DEFAULT_MIN_TRANSFER_MINUTES, engine_available

    ds = load_dataset(data_dir)
    ids = [_place(ds, o) for o in origins]
    if not engine_available():
        note(
            'note: the compiled engine is not installed (pip install "belt-graph[fast]"); '
            "using the reference scan, about 50 times slower"
        )
    parquet = output is not None and output.suffix.lower() == ".parquet"
    if parquet:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise click.UsageError(
                'writing .parquet needs pyarrow: pip install "belt-graph[parquet]"'
            ) from None
    client = None
    if scheduler is not None:
        try:
            from dask.distributed import Client
        except ImportError:
            raise click.UsageError(
                '--scheduler needs Dask: pip install "belt-graph[dask]"'
            ) from None
        client = Client(scheduler)  # type: ignore[no-untyped-call]
    try:
        with progress_bar("origins") as bar:
            table = run(
                ds,
                ids or None,
                window=window,
                step=step,
                percentiles=percentiles,
                hours=hours,
                max_hours=max_hours,
                min_transfer_minutes=DEFAULT_MIN_TRANSFER_MINUTES
                if min_transfer_minutes is None
                else min_transfer_minutes,
                level=level,
                workers=workers,
                client=client,
                output=output if client is not None and parquet else None,
                progress=bar,
            )
    finally:
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]
    names = ds.nodes["name"].to_dict()
    note(
        f"{table['origin'].nunique()} origin(s) x {table['destination'].nunique()} "
        f"destinations, {int(table['departures'].iat[0]) if len(table) else 0} departures "
        f"from {_clock_text(window[0])} to {_clock_text(window[1])} every {step:g} min; "
        + _change_note(ds, min_transfer_minutes or DEFAULT_MIN_TRANSFER_MINUTES)
    )
    if parquet and client is None:
        assert output is not None
        atomic_write(output, lambda fh: table.to_parquet(fh, index=False), force=force)
        note(f"wrote {output} ({len(table):,} rows)")
        return
    if parquet:
        note(f"wrote {output}/ (one Parquet part per block, {len(table):,} rows)")
        return
    if output is None and len(table) <= 2000:
        table.insert(1, "origin_name", table["origin"].map(names))
        table.insert(3, "destination_name", table["destination"].map(names))
    emit(table, fmt, output, force, index=False)


def _clock_text(minutes: float) -> str:
    from .timetable import format_clock

    return format_clock(minutes)


@command()
@click.option(
    "--decay",
    type=click.Choice(["exponential", "power", "cumulative"]),
    default="exponential",
    show_default=True,
    help="Decay of travel time.",
)
@click.option(
    "--decay-param",
    type=Number(min=0, min_open=True),
    default=None,
    help="e-folding minutes (exponential, 60), exponent (power, 1), cut-off minutes "
    "(cumulative, 60).",
)
@click.option(
    "--structure",
    type=click.Choice(["track", "service"]),
    default="track",
    show_default=True,
    help="Network for degree and betweenness: the track, or every service.",
)
@data_option
@output_options
@handle_errors
def centrality(
    decay: str,
    decay_param: float | None,
    structure: str,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Rank places by degree, closeness, betweenness, PageRank and accessibility.

    Each column's name ends in the network it was computed on: travel-time measures on the
    service network (every train, expresses included), degree and betweenness on the track
    (--structure, default track: which places lie between others on the rails), PageRank on
    the partnerships.

    \b
    Example: belt-graph centrality --decay cumulative --decay-param 60
    """
    from .centrality import centrality as run
    from .network import cooperation_graph, rail_graph

    ds = load_dataset(data_dir)
    G = rail_graph(ds)
    H = G if structure == "service" else rail_graph(ds, network=structure)
    with progress_bar("travel times") as bar, progress_bar("betweenness") as bbar:
        table = run(
            G,
            cooperation_graph(ds),
            structure=H,
            decay=decay,
            param=decay_param,
            progress=bar,
            betweenness_progress=bbar,
        )
    emit(table, fmt, output, force)


@command()
@click.option("--matrix", "show_matrix", is_flag=True, help="Print the place x sector matrix.")
@data_option
@output_options
@handle_errors
def sectors(
    show_matrix: bool, data_dir: Path | None, fmt: str, output: Path | None, force: bool
) -> None:
    """Print overlap and complementarity of every pair of places (or the sector matrix).

    \b
    Example: belt-graph sectors --format csv
    """
    from .network import sector_graph
    from .sectors import complementarity_note, sector_matrix, sector_pairs

    ds = load_dataset(data_dir)
    _need_sectors(ds)
    B = sector_graph(ds)
    if show_matrix:
        m = sector_matrix(B)
        m.columns = [s for _, s in m.columns]
        emit(m, fmt, output, force)
    else:
        emit(sector_pairs(B), fmt, output, force, index=False)
        if why := complementarity_note(B):
            note(f"note: {why}")


@command()
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (Louvain).")
@click.option(
    "--resolution",
    type=Number(min=0, min_open=True, max=1e6),
    default=1.0,
    show_default=True,
    help="Louvain resolution.",
)
@data_option
@output_options
@handle_errors
def clusters(
    seed: int, resolution: float, data_dir: Path | None, fmt: str, output: Path | None, force: bool
) -> None:
    """Find clusters of places and sectors (Louvain communities, reproducible with --seed).

    \b
    Example: belt-graph clusters --seed 1
    """
    from .network import sector_graph
    from .sectors import cluster_summary
    from .sectors import clusters as run

    ds = load_dataset(data_dir)
    _need_sectors(ds)
    emit(
        cluster_summary(run(sector_graph(ds), seed=seed, resolution=resolution)),
        fmt,
        output,
        force,
    )


@command()
@click.argument("origin")
@hours_option
@data_option
@output_options
@handle_errors
def partners(
    origin: str, hours: float, data_dir: Path | None, fmt: str, output: Path | None, force: bool
) -> None:
    """List complementary partners of a place within --hours by rail.

    \b
    Example: belt-graph partners Suzhou --hours 1.5
    """
    from .network import rail_graph, sector_graph
    from .sectors import complementarity_note, complementary_partners

    ds = load_dataset(data_dir)
    _need_sectors(ds)
    o = _place(ds, origin)
    B = sector_graph(ds)
    table = complementary_partners(rail_graph(ds), B, o, hours)
    if why := complementarity_note(B):
        note(f"note: {why}")
    elif not (ds.sectors["node"] == o).any():
        note(f"note: the data holds no sectors for {o}, so it has no complementary partners")
    if not len(table) and output is None and fmt == "table":
        click.echo(f"No complementary partner of {o} within {hours:g} h.")
        return
    emit(table, fmt, output, force)


@command()
@click.argument("name_or_file")
@click.option(
    "--hours",
    type=Number(min=0),
    default=1.0,
    show_default=True,
    callback=_hours,
    help="Reach threshold for the comparison.",
)
@click.option(
    "--table",
    "which",
    type=click.Choice(["minutes", "reach", "centrality", "matrix"]),
    default="minutes",
    show_default=True,
    help="Which comparison table to print.",
)
@data_option
@output_options
@handle_errors
def scenario(
    name_or_file: str,
    hours: float,
    which: str,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Compare a scenario (bundled name or CSV file) against the base network.

    \b
    Example: belt-graph scenario north_yangtze_hsr --table reach
    """
    from .network import rail_graph
    from .scenario import apply_scenario, compare

    ds = load_dataset(data_dir)
    with progress_bar("scenario") as bar:
        cmp = compare(
            rail_graph(ds), rail_graph(apply_scenario(ds, name_or_file)), hours=hours, progress=bar
        )
    table = {
        "minutes": cmp.minutes,
        "reach": cmp.reach,
        "centrality": cmp.centrality,
        "matrix": cmp.matrix,
    }[which]
    emit(table, fmt, output, force, index=which != "minutes")


@command()
@click.argument("kind", type=click.Choice(DRAW_KINDS))
@click.argument("place", required=False, default=None)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="Image file: .png, .svg or .pdf.",
)
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@click.option(
    "--origin",
    default=None,
    help="Origin for reach / traveltime / timetable (default: the place most partnerships "
    "start from, else the one most trains call at, else the one with the most links).",
)
@click.option(
    "--scenario",
    "scenario_name",
    default=None,
    help="Scenario for 'scenario' (default: the first bundled one).",
)
@click.option(
    "--labels",
    type=click.Choice(["en", "zh", "both"]),
    default="en",
    show_default=True,
    help="Label language (zh needs a CJK font).",
)
@depart_at_option("Departure time for 'timetable'.")
@window_options
@data_option
@handle_errors
def draw(
    kind: str,
    place: str | None,
    output: Path,
    force: bool,
    origin: str | None,
    scenario_name: str | None,
    labels: str,
    depart: float,
    window: tuple[float, float],
    step: float,
    data_dir: Path | None,
) -> None:
    """Draw a diagram: map, reach, traveltime, matrix, centrality, sectors, scenario, years;
    with a timetable: timetable (one departure against the fastest links), window (median
    minutes over --window) or day (share reached by departure time, 05:00-23:00).

    \b
    Example: belt-graph draw map --output map.png

    \b
    Example: belt-graph draw reach Putuo --output reach.png

    \b
    Example: belt-graph draw window 上海虹桥 --data cn-rail-2020 -o window.png
    """
    from .plot import cjk_font, draw_kind, save_figure

    if output.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise click.BadParameter("expected a .png, .svg or .pdf file", param_hint="--output")
    if place and origin and place != origin:
        raise click.UsageError(f"two origins: {place!r} and --origin {origin!r}; give one")
    origin = place or origin
    _check_target(output, force=force)
    if labels in ("zh", "both") and cjk_font() is None:
        note(
            "note: no CJK font is installed (e.g. Debian's fonts-noto-cjk), so the labels "
            "fall back to English"
        )
    ds = load_dataset(data_dir)
    o = _place(ds, origin) if origin else None
    fig = draw_kind(
        ds,
        kind,
        origin=o,
        scenario=scenario_name,
        labels=labels,
        depart=depart,
        window=window,
        step=step,
    )
    atomic_write(
        output, lambda fh: save_figure(fig, fh, fmt=output.suffix[1:].lower()), force=force
    )
    note(f"wrote {output}")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


@command()
@click.argument("output_file", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "to",
    type=click.Choice(sorted(set(EXPORT_FORMATS.values()))),
    default=None,
    help="Format (default: from the extension; .zip is GTFS).",
)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT_FILE if it exists.")
@click.option(
    "--include-planned/--no-planned",
    default=True,
    show_default=True,
    help="Include planned links (marked by status; not for GTFS).",
)
@click.option("--timezone", default=None, help="GTFS: the agency's time zone (IANA name).")
@click.option("--url", default=None, help="GTFS: the agency's URL.")
@click.option("--start", default=None, callback=_date, help="GTFS: first service date.")
@click.option("--end", default=None, callback=_date, help="GTFS: last service date.")
@click.option(
    "--min-transfer-minutes",
    type=Number(min=0, max=24 * 60),
    default=15.0,
    show_default=True,
    help="GTFS: change minutes of a station without its own (transfers.txt).",
)
@data_option
@handle_errors
def export(
    output_file: Path,
    to: str | None,
    force: bool,
    include_planned: bool,
    timezone: str | None,
    url: str | None,
    start: Any,
    end: Any,
    min_transfer_minutes: float,
    data_dir: Path | None,
) -> None:
    """Export the network as GraphML, GEXF (Gephi), GeoJSON (QGIS), node-link JSON, or its
    timetable as a GTFS feed (.zip).

    GTFS needs a time zone, an agency URL and the dates the service runs: from the dataset's
    metadata.csv, or --timezone, --url, --start and --end.

    \b
    Example: belt-graph export belt.graphml
    Example: belt-graph export cn2020.zip --data cn-rail-2020
    """
    fmt = to or EXPORT_FORMATS.get(output_file.suffix.lower())
    if fmt is None:
        raise click.BadParameter(
            f"cannot tell the format from {output_file.name!r}; use --to", param_hint="--to"
        )
    _check_target(output_file, force=force)
    ds = load_dataset(data_dir)
    if fmt == "gtfs":
        from .gtfs import export_gtfs

        summary = export_gtfs(
            ds,
            output_file,
            timezone=timezone,
            url=url,
            start=start,
            end=end,
            min_transfer_minutes=min_transfer_minutes,
            force=force,
        )
        for w in summary.warnings:
            note(f"warning: {w}")
        note(
            f"wrote {output_file} (GTFS: {summary.stops:,} stops, {summary.routes:,} routes, "
            f"{summary.trips:,} trips, {summary.stop_times:,} stop times, "
            f"{summary.transfers:,} transfers)"
        )
        return
    from .export import export_text

    text = export_text(ds, fmt, include_planned=include_planned)
    atomic_write(output_file, text, force=force)
    note(f"wrote {output_file} ({fmt})")


@command("import-gtfs")
@click.argument("feed", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option(
    "--date",
    default=None,
    callback=_date,
    help="Service day YYYY-MM-DD (default: the date with the most trips).",
)
@click.option(
    "--route-types",
    default=None,
    help="Keep these route types: GTFS numbers or names, e.g. rail,subway or 2,101.",
)
@click.option(
    "--agency",
    "agencies",
    multiple=True,
    help="Keep routes of this agency (agency_id or agency_name); repeatable.",
)
@click.option(
    "--min-transfer-minutes",
    type=Number(min=0, max=24 * 60),
    default=None,
    help="Change minutes at a station transfers.txt gives none for (an assumption) [default: 2].",
)
@click.option(
    "--max-walk-meters",
    type=Number(min=0, max=10_000),
    default=0.0,
    show_default=True,
    help="Also walk between stations this close (great-circle; 0: no walks).",
)
@click.option("--force", is_flag=True, help="Replace OUT_DIR if it is not empty.")
@handle_errors
def import_gtfs(
    feed: Path,
    out_dir: Path,
    date: Any,
    route_types: str | None,
    agencies: tuple[str, ...],
    min_transfer_minutes: float | None,
    max_walk_meters: float,
    force: bool,
) -> None:
    """Import a GTFS feed (.zip or folder) as a dataset folder of stations and one day's
    timetable, for every command's --data.

    Stops with a parent_station merge into it; links join consecutive stations of every trip
    (fastest minutes); changes use transfers.txt, else --min-transfer-minutes; walks between
    stations only with --max-walk-meters (distance x 1.3 at 4.8 km/h). Problems of the feed
    are listed with file, line and column; what it gets wrong but can be read is a warning.

    \b
    Example: belt-graph import-gtfs cairns_gtfs.zip cairns --date 2014-06-02
    Example: belt-graph reach 750445 --hours 0.5 --depart 08:00 --data cairns
    """
    from .gtfs import DEFAULT_MIN_TRANSFER_MINUTES
    from .gtfs import import_gtfs as run

    types = [t for t in (route_types or "").split(",") if t.strip()]
    summary = run(
        feed,
        out_dir,
        date=date,
        route_types=types or None,
        agencies=agencies or None,
        min_transfer_minutes=DEFAULT_MIN_TRANSFER_MINUTES
        if min_transfer_minutes is None
        else min_transfer_minutes,
        max_walk_meters=max_walk_meters,
        force=force,
        warn=lambda w: note(f"warning: {w}"),
    )
    when = (
        f"{summary.date} (the date with the most trips: {summary.trips_on_date:,}; "
        "use --date for another)"
        if summary.busiest
        else f"{summary.date}"
    )
    note(
        f"imported {feed.name} for {when}: {summary.stations:,} stations, {summary.links:,} "
        f"links, {summary.trips:,} trips, {summary.calls:,} calls"
    )
    note(f"wrote {summary.path} (use it with --data {summary.path})")


@command("build-places")
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option(
    "--places",
    "places_csv",
    type=click.Path(path_type=Path),
    required=True,
    help="places.csv: id, name, lat, lon and stations (';') or radius_km.",
)
@click.option("--force", is_flag=True, help="Replace OUT_DIR if it is not empty.")
@click.option(
    "--access-core-km",
    type=Number(min=0, max=1000),
    default=None,
    help="Access: free within this many km of a place [default: 20].",
)
@click.option(
    "--access-kmh",
    type=Number(min=0, min_open=True, max=1000),
    default=None,
    help="Access: speed beyond that, km/h [default: 40].",
)
@click.option(
    "--transfer-minutes",
    type=Number(min=0, max=24 * 60),
    default=None,
    help="Change of station: fixed minutes [default: 15].",
)
@click.option(
    "--transfer-kmh",
    type=Number(min=0, min_open=True, max=1000),
    default=None,
    help="Change of station: speed over the distance, km/h [default: 30].",
)
@data_option
@handle_errors
def build_places(
    out_dir: Path,
    places_csv: Path,
    force: bool,
    access_core_km: float | None,
    access_kmh: float | None,
    transfer_minutes: float | None,
    transfer_kmh: float | None,
    data_dir: Path | None,
) -> None:
    """Turn a station network into a place network like the belt: places own stations, reach
    them by access links, and change between them by change-of-station links.

    The rules (assumptions, stated in the written datasheet) default to the belt's: access
    free within 20 km of a place, beyond it x 1.3 at 40 km/h; a change of station 15 min +
    distance x 1.3 at 30 km/h.

    \b
    Example: belt-graph build-places --data cairns --places cairns_places.csv cairns-places
    """
    from .places import ACCESS_RULE, TRANSFER_RULE, write_places

    if data_dir is None:
        raise click.UsageError("give the station network with --data DIR")
    access = dict(ACCESS_RULE)
    transfer = dict(TRANSFER_RULE)
    if access_core_km is not None:
        access["core_km"] = access_core_km
    if access_kmh is not None:
        access["speed_kmh"] = access_kmh
    if transfer_minutes is not None:
        transfer["fixed_minutes"] = transfer_minutes
    if transfer_kmh is not None:
        transfer["speed_kmh"] = transfer_kmh
    summary = write_places(
        load_dataset(data_dir),
        places_csv,
        out_dir,
        access=access,
        transfer=transfer,
        force=force,
        say=note,
    )
    if summary.empty_places:
        note(f"warning: no station for {short_list(summary.empty_places)}: never reached")
    note(
        f"wrote {summary.path}: {summary.places} places, {summary.stations_assigned} stations "
        f"assigned, {summary.access_links} access links, {summary.transfer_links} changes of "
        "station"
    )


@command()
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("belt-report"),
    show_default=True,
    help="Folder to write.",
)
@click.option("--force", is_flag=True, help="Replace the folder if it is not empty.")
@click.option(
    "--origin",
    default=None,
    help="Origin for reach and the timetable comparison (default: the place most "
    "partnerships start from, else the one most trains call at, else the one with the most "
    "links).",
)
@window_options
@data_option
@handle_errors
def report(
    output: Path,
    force: bool,
    origin: str | None,
    window: tuple[float, float],
    step: float,
    data_dir: Path | None,
) -> None:
    """Write every table (CSV), diagram (PNG, SVG) and a summary (Markdown, HTML) to a folder.

    \b
    Example: belt-graph report --output belt-report

    \b
    Example: belt-graph report --data data/cn-rail-2020 --origin 上海虹桥 -o national-report
    """
    from .report import write_report

    ds = load_dataset(data_dir)
    o = _place(ds, origin) if origin else None
    with progress_bar("travel times") as bar:

        def say(message: str) -> None:
            if bar is not None:
                bar.finish()
            note(message)

        path = write_report(
            ds,
            output,
            force=force,
            progress=say,
            origin=o,
            window=window,
            step=step,
            searches=bar,
        )
    note(f"report written to {path}")


def main() -> None:
    """Run the command line (the console script, :mod:`belt_graph._entry`, adds signal handling)."""
    cli(prog_name="belt-graph")
