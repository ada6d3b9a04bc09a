"""Commands about travel: info, nodes, commute, matrix, reach and accessibility."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import schema as S
from ..errors import BeltGraphError

if TYPE_CHECKING:
    import networkx as nx

    from ..dataset.core import Dataset
    from ..dataset.network_files import Words
    from ..routing import Commute
from .group import command
from .journey_text import changes_text as _changes_text
from .journey_text import trains_text
from .options import (
    Number,
    _bands,
    _change_note,
    _percentiles,
    _window,
    as_asked,
    close_option,
    data_option,
    hours_option,
    network_options,
    output_options,
    planned_option,
    time_option,
    timetable_options,
)
from .output import (
    _check_target,
    _clock_text,
    _place,
    add_input,
    atomic_write,
    emit,
    handle_errors,
    load_input,
    note,
    progress_bar,
    render,
)

#: Seconds to wait for a Dask scheduler before giving up (``accessibility --scheduler``).
SCHEDULER_TIMEOUT_S = 10


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
    from ..summary import dataset_summary

    if list_all:
        from ..dataset.paths import DATASETS, dataset_path

        rows = []
        for name in DATASETS:
            from ..dataset.load import load_dataset

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
        import pandas as pd

        click.echo(render(pd.DataFrame(rows), "table", index=False), nl=False)
        note("use one with --data NAME, e.g. --data cn-rail-2020 (a folder of that name wins)")
        return
    click.echo(dataset_summary(load_input(data_dir)), nl=False)


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
    ds = load_input(data_dir)
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


def _say_time(ds: Dataset, G: nx.Graph, time_kind: str) -> None:
    """Say on stderr what the minutes count, on a network of services."""
    from ..dataset.lookup import has_stations_under_places, words
    from ..network.journeys import has_services
    from ..network.layers import network_label

    if has_services(G):
        two = has_stations_under_places(ds.nodes)
        _say_minutes(words(ds), time_kind, network_label(ds, ends=two))


def _say_minutes(w: Words, time_kind: str, label: str = "") -> None:
    """Say on stderr what the minutes of journeys count (changes, and waits if expected).

    ``label`` says which network and, between places, which ends (door to door or station to
    station).
    """
    note(
        "minutes: "
        + (label + "; " if label else "")
        + (
            f"expected, with the wait for each {w.vehicle} boarded (half its headway)"
            if time_kind == "expected"
            else "on trains, walking and changing, no waiting (--time expected adds the waits)"
        )
        + f"; each change of {w.vehicle} costs {S.DEFAULT_MIN_TRANSFER_MINUTES:g} min "
        f"unless a {w.stop} gives its own"
    )


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
@time_option
@close_option
@network_options
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
    time_kind: str,
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    close: tuple[str, ...],
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
    from ..network import rail_graph
    from ..routing import commute as run

    ds = as_asked(load_input(data_dir), ends, year, access, close)
    a, b = _place(ds, origin), _place(ds, destination)
    if depart is not None:
        from ..timetable.journeys import format_clock, timetable_commute
        from ..timetable.schedule import connections

        j = timetable_commute(
            connections(ds), a, b, depart, min_transfer_minutes=min_transfer_minutes
        )
        legs = j.legs.copy()
        names = ds.nodes["name"].to_dict()
        legs.insert(legs.columns.get_loc("from") + 1, "from_name", legs["from"].map(names))
        legs.insert(legs.columns.get_loc("to") + 1, "to_name", legs["to"].map(names))
        summary = {
            "origin": a,
            "destination": b,
            "depart": format_clock(depart),
            "arrive": format_clock(j.arrival),
            "minutes": j.minutes,
            "in_vehicle_minutes": j.in_vehicle_minutes,
            "wait_minutes": j.wait_minutes,
            "walk_minutes": j.walk_minutes,
            "changes": j.changes,
            "stations": list(dict.fromkeys([*legs["from"], *legs["to"]])),
        }
        emit(
            legs.drop(columns=["departure", "arrival"]),
            fmt,
            output,
            force,
            index=False,
            summary=summary,
        )
        walking = f", {j.walk_minutes:g} walking" if j.walk_minutes else ""
        note(
            f"{a} -> {b} leaving {format_clock(depart)}: arrive {format_clock(j.arrival)}, "
            f"{j.minutes:g} min ({j.in_vehicle_minutes:g} in vehicles, {j.wait_minutes:g} "
            f"waiting{walking}), {j.changes} change(s); " + _change_note(ds, min_transfer_minutes)
        )
        return
    G = rail_graph(ds, include_planned=include_planned, time=time_kind)
    c = run(G, a, b, transfer_penalty_minutes=transfer_penalty_minutes)
    legs = c.legs.copy()
    names = ds.nodes["name"].to_dict()
    legs.insert(1, "from_name", [names.get(x, x) for x in legs["from"]])
    legs.insert(3, "to_name", [names.get(x, x) for x in legs["to"]])
    stops = [x for x in dict.fromkeys([*legs["from"], *legs["to"]]) if x not in (a, b)]
    summary = {
        "origin": a,
        "destination": b,
        "minutes": c.minutes,
        "expected_minutes": c.expected_minutes,
        "changes": c.changes,
        "ends": c.ends,
        "from_station": c.from_station,
        "access_minutes": c.access_minutes,
        "to_station": c.to_station,
        "egress_minutes": c.egress_minutes,
        "stations": stops,
        "trains": [str(t) for t in legs["train"] if t],
        "time": time_kind,
    }
    emit(legs, fmt, output, force, index=False, summary=summary)
    via = f" via {', '.join(str(names.get(x, x)) for x in stops)}" if stops else ""
    from ..dataset.lookup import words
    from ..network.journeys import has_services
    from ..network.layers import network_label

    w = words(ds)
    if has_services(G):
        what = f"change of {w.vehicle}" if c.changes == 1 else f"changes of {w.vehicle}"
        expected = (
            ""
            if time_kind == "expected"  # said first, as the answer
            else f"; {c.expected_minutes:.0f} min expected with the waits for its {w.vehicles}"
        )
        rule = (
            f"{expected}; each change costs the {w.stop}'s min_transfer_minutes, else "
            f"{S.DEFAULT_MIN_TRANSFER_MINUTES:g} min"
        )
    else:
        what, rule = ("change of line" if c.changes == 1 else "changes of line"), ""
    what += _changes_text(legs, names)
    door = c.ends == "door" and bool({"access", "egress"} & set(legs["kind"]))
    by = ds.metadata.get("access_rule") if door else ""
    ends_text = _ends_text(c, names)
    if time_kind == "expected" and has_services(G) and math.isfinite(c.expected_minutes):
        # the route was chosen by its time with the expected waits: that is the answer
        waits = f"{c.expected_minutes - c.minutes:.0f} min expected waiting for {w.vehicles}"
        moving, _, rest = ends_text.partition(" (")
        rest = rest.replace("; no waiting)", ")").replace(", no waiting", "")
        ends_text = (
            f"{c.expected_minutes:.0f} min {moving.split(' min ', 1)[-1]} with waits "
            f"({waits}; {c.minutes:g} min moving: {rest}"
            if rest
            else f"{c.expected_minutes:.0f} min with waits ({waits}; {moving} moving)"
        )
    note(
        f"{a} -> {b}: {ends_text}, {c.changes} {what}{via}{trains_text(legs)}{rule}"
        + (f"; {c.generalized_minutes:g} min with penalties" if transfer_penalty_minutes else "")
        + (f"; access and egress: {by}" if by else "")
        + (f"; {label}" if (label := network_label(ds, ends=False)) else "")
    )


def _ends_text(c: Commute, names: dict[str, str]) -> str:
    """Say what a commute's minutes count: door to door (its ends) or station to station."""
    between = c.minutes - c.access_minutes - c.egress_minutes
    kinds = set(c.legs["kind"])
    first, last = names.get(c.from_station, c.from_station), names.get(c.to_station, c.to_station)
    if "access" not in kinds and "egress" not in kinds:
        return f"{c.minutes:g} min on trains, walking and changing (no waiting)"
    if c.ends == "stations":
        return (
            f"{c.minutes:g} min station to station, {first} to {last} (trains, walking and "
            "changing, no waiting; access and egress not counted)"
        )
    parts = []
    if "access" in kinds:
        parts.append(f"{c.access_minutes:g} min to {first}")
    parts.append(f"{between:g} min from {first} to {last} on trains, walking and changing")
    if "egress" in kinds:
        parts.append(f"{c.egress_minutes:g} min from {last}")
    return f"{c.minutes:g} min door to door ({', '.join(parts)}; no waiting)"


@command()
@click.option("--include-hubs", is_flag=True, help="Also list hub stations.")
@click.option(
    "--long",
    "long_table",
    is_flag=True,
    help="One row per pair with the ends of its journey: from_station, access_minutes, "
    "station_minutes, to_station, egress_minutes.",
)
@planned_option
@time_option
@close_option
@network_options
@data_option
@output_options(binary=(".npz",))
@handle_errors
def matrix(
    include_hubs: bool,
    long_table: bool,
    include_planned: bool,
    time_kind: str,
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    close: tuple[str, ...],
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Print the travel-time matrix between places, in minutes (empty = unreachable).

    Between places the minutes are door to door: access from a place's reference point to a
    station, the trains and changes, egress at the other end (--ends stations: station to
    station). --long lists each pair's stations and the access and egress minutes.

    With --output FILE.npz the matrix is written in numpy's .npz format instead (arrays
    "minutes", float64 with NaN where unreachable, and "nodes", the ids in the dataset's
    order): for networks too large for CSV. Read it with numpy.load.

    Only the network's files are read and checked (nodes.csv, links.csv, metadata.csv); on a
    network of services (changes of train cost time) the whole dataset is.

    \b
    Example: belt-graph matrix --format csv --output matrix.csv

    \b
    Example: belt-graph matrix --long --year 2019

    \b
    Example: belt-graph matrix --data data/cn-rail-2021 --output matrix.npz
    """
    from ..dataset.network_files import load_network, ride_words
    from ..network.access import asked_metadata, asked_rule, describe_network
    from ..network.arrays import has_services, network_minutes

    npz = output is not None and output.suffix.lower() == ".npz"
    if output is not None and npz:
        _check_target(output, force=force)
        if long_table:
            raise click.UsageError("--long writes a table (.csv, .json, .txt), not .npz")
    # read the network's files alone, and search a network without services straight from
    # them: no graph, and no pandas for an .npz
    network = load_network(data_dir)
    add_input(network.path)
    if year is not None and not any(r.get(S.OPENED) for r in network.links):
        raise click.BadParameter(
            f"the links of {network.path.name} carry no opening dates (links.csv column "
            f"'{S.OPENED}'), so there is no network by year",
            param_hint="--year",
        )
    if year is not None:
        from ..network.access import check_year

        try:
            check_year(network.metadata, year)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--year") from None
    rule = asked_rule(network.metadata, access)
    meta = asked_metadata(network.metadata, year=year, ends=ends, rule=rule)
    two_level = any(r.get(S.PLACE) for r in network.nodes.values())
    if has_services(network, include_planned=include_planned, year=year):
        kinds_modes = ((str(r.get(S.KIND) or ""), str(r["mode"])) for r in network.links)
        label = describe_network(meta) if two_level else describe_network(meta, ends=False)
        _say_minutes(ride_words(kinds_modes), time_kind, label)
    if long_table:
        from ..dataset.load import dataset_of
        from ..network import rail_graph
        from ..network.paths import ends_table, places

        ds = as_asked(dataset_of(network), ends, year, rule, close)
        G = rail_graph(ds, include_planned=include_planned, time=time_kind)
        wanted = places(G, include_hubs=include_hubs)
        table = ends_table(G, wanted, wanted)
        names = ds.nodes["name"].to_dict()
        for col in ("origin", "destination", "from_station", "to_station"):
            at = table.columns.get_loc(col) + 1
            table.insert(at, f"{col}_name", [names.get(x, x) for x in table[col]])
        emit(table, fmt, output, force, index=False)
        return
    found = None
    with progress_bar("travel times") as bar:
        found = (
            None
            if close
            else network_minutes(
                network,
                include_hubs=include_hubs,
                include_planned=include_planned,
                time=time_kind,
                ends=ends,
                access=rule,
                year=year,
                progress=bar,
            )
        )
    # a line's track ridden on, or track closed: journeys on the graph of the whole dataset
    if found is None:
        from ..dataset.load import dataset_of
        from ..network import rail_graph
        from ..routing import travel_time_array

        ds = as_asked(dataset_of(network), ends, year, rule, close)
        G = rail_graph(ds, include_planned=include_planned, time=time_kind)
        with progress_bar("travel times") as bar:
            found = travel_time_array(G, include_hubs=include_hubs, progress=bar)
    ids, m = found
    if output is not None and npz:
        import numpy as np

        atomic_write(
            output,
            lambda fh: np.savez(fh, minutes=m, nodes=np.array(ids, dtype=str)),
            force=force,
        )
        note(f"wrote {output} ({len(ids)} x {len(ids)} minutes)")
        return
    from ..network.paths import minutes_frame

    emit(minutes_frame(ids, m), fmt, output, force)


@command()
@click.argument("origins", nargs=-1, required=True)
@hours_option
@click.option(
    "--bands",
    default=None,
    callback=lambda c, p, v: None if v is None else _bands(c, p, v),
    help="Print a summary for these hours instead, e.g. 1,2,3.",
)
@timetable_options
@planned_option
@time_option
@close_option
@network_options
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
    time_kind: str,
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    close: tuple[str, ...],
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
    from ..network import rail_graph
    from ..reachability import reach as run
    from ..reachability import reach_bands, reach_summary

    ds = as_asked(load_input(data_dir), ends, year, access, close)
    ids = [_place(ds, o) for o in origins]
    G = rail_graph(ds, include_planned=include_planned, time=time_kind)
    if depart is None:
        _say_time(ds, G, time_kind)
    if depart is not None:
        from ..timetable.journeys import format_clock, timetable_vs_links
        from ..timetable.schedule import MAX_TIMETABLE_HOURS, connections

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
        from ..dataset.lookup import has_stations_under_places, place_ids

        unit = "stations"
        if has_stations_under_places(ds.nodes):  # cities over stations: the table is of cities
            keep = set(place_ids(ds.nodes)) | {ids[0]}
            table = table[[str(n) in keep for n in table.index]]
            unit = "places"
        names = ds.nodes.reindex(table.index)
        table.insert(0, "name", names["name"].to_numpy())
        if "name_zh" in names.columns:
            table.insert(1, "name_zh", names["name_zh"].to_numpy())
        emit(table, fmt, output, force)
        note(
            f"{len(table) - 1} {unit} besides {ids[0]} within {hours:g} h leaving "
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
    table = table.drop(columns=empty)
    names = ds.nodes["name"].to_dict()
    for col in ("from_station", "to_station"):  # each station's name beside its code
        if col in table:
            at = table.columns.get_loc(col) + 1
            table.insert(at, f"{col}_name", [names.get(x, x) if x else "" for x in table[col]])
    emit(table, fmt, output, force)
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

    from ..summary import short_list

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
@output_options(binary=(".parquet",))
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
    """Travel time over a departure window, from every origin to every destination.

    Nearest-rank percentiles of the minutes (waiting included) and the share of departures within
    --hours.

    The output is a long table (origin, destination, p50 ..., share_within_1h, departures);
    --output FILE.parquet (pyarrow) or .csv writes it. Needs the compiled engine
    (pip install "belt-graph[fast]") and a dataset with a timetable.

    \b
    Example: belt-graph accessibility --data cn-rail-2020 --window 07:00-09:00 --step 1 -o a.parquet
    Example: belt-graph accessibility --data cn-rail-2020 --origin 上海虹桥 --percentiles 5,50,95
    """
    from ..timetable.schedule import DEFAULT_MIN_TRANSFER_MINUTES
    from ..timetable.search import engine_available
    from ..timetable.window import window_accessibility as run

    ds = load_input(data_dir)
    ids = [_place(ds, o) for o in origins]
    if not engine_available():
        note(
            'note: the compiled engine is not installed (pip install "belt-graph[fast]"); '
            "using the reference scan, about 50 times slower"
        )
    # with a cluster, --output is a folder of Parquet parts whatever its name
    parquet = output is not None and (output.suffix.lower() == ".parquet" or scheduler is not None)
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
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as err:
            raise BeltGraphError(
                f"cannot reach the Dask scheduler at {scheduler!r} within "
                f"{SCHEDULER_TIMEOUT_S} s ({type(err).__name__}: {err}); is "
                "'dask scheduler' running there?"
            ) from None
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
