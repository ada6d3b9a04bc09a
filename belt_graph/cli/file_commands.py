"""Commands that write files: draw, export, import-gtfs, build-places and report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..schema import DRAW_KINDS
from .group import command
from .options import (
    Number,
    _date,
    access_options,
    as_asked,
    close_option,
    data_option,
    depart_at_option,
    network_options,
    window_options,
)
from .output import (
    _check_target,
    _place,
    atomic_write,
    handle_errors,
    load_input,
    note,
    progress_bar,
    warn,
)

EXPORT_FORMATS = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".geojson": "geojson",
    ".json": "json",
    ".zip": "gtfs",
}


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
    "start from, else the one most trains leave, else the one with the most links).",
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
@network_options
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
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    data_dir: Path | None,
) -> None:
    """Draw a diagram of a dataset as a PNG, SVG or PDF file.

    Kinds: map, reach, traveltime, matrix, centrality, sectors, scenario, years; with a timetable:
    timetable (one departure against the fastest links), window (median minutes over --window) or
    day (share reached by departure time, 05:00-23:00).

    \b
    Example: belt-graph draw map --output map.png

    \b
    Example: belt-graph draw reach Putuo --output reach.png

    \b
    Example: belt-graph draw window 上海虹桥 --data cn-rail-2020 -o window.png
    """
    from ..plot import cjk_font, save_figure
    from ..report.figures import draw_kind

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
    ds = as_asked(load_input(data_dir), ends, year, access)
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
@network_options
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
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    data_dir: Path | None,
) -> None:
    """Export the network (GraphML, GEXF, GeoJSON, JSON) or its timetable (GTFS).

    GraphML and GEXF open in Gephi, GeoJSON in QGIS, node-link JSON anywhere; a .zip is the
    timetable as a GTFS feed.

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
    ds = as_asked(load_input(data_dir), ends, year, access)
    _check_target(output_file, force=force)  # again, now that the dataset is known
    if fmt == "gtfs":
        from ..gtfs.export import export_gtfs

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
            warn(w)
        note(
            f"wrote {output_file} (GTFS: {summary.stops:,} stops, {summary.routes:,} routes, "
            f"{summary.trips:,} trips, {summary.stop_times:,} stop times, "
            f"{summary.transfers:,} transfers)"
        )
        return
    from ..export import export_text

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
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse a feed with any fault (default: leave out the trips with faults of their own).",
)
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
    strict: bool,
) -> None:
    """Import a GTFS feed (.zip or folder) as a dataset folder.

    The dataset holds the feed's stations and one day's timetable, for every command's --data.

    Stops with a parent_station merge into it; links join consecutive stations of every trip
    (fastest minutes); changes use transfers.txt, else --min-transfer-minutes; walks between
    stations only with --max-walk-meters (distance x 1.3 at 4.8 km/h). Problems of the feed
    are listed with file, line and column; what it gets wrong but can be read is a warning. A
    trip with a fault of its own (a bad time, times that run backwards, an unknown stop) is
    left out and named, unless --strict.

    \b
    Example: belt-graph import-gtfs cairns_gtfs.zip cairns --date 2014-06-02
    Example: belt-graph reach 750445 --hours 0.5 --depart 08:00 --data cairns
    """
    from ..gtfs.build import FEED_MIN_TRANSFER_MINUTES
    from ..gtfs.importer import import_gtfs as run

    types = [t for t in (route_types or "").split(",") if t.strip()]
    summary = run(
        feed,
        out_dir,
        date=date,
        route_types=types or None,
        agencies=agencies or None,
        min_transfer_minutes=FEED_MIN_TRANSFER_MINUTES
        if min_transfer_minutes is None
        else min_transfer_minutes,
        max_walk_meters=max_walk_meters,
        force=force,
        warn=warn,
        strict=strict,
    )
    when = (
        f"{summary.date} (the date with the most trips: {summary.trips_on_date:,}; "
        "use --date for another)"
        if summary.busiest
        else f"{summary.date}"
    )
    n = summary.dropped_trips
    left = f"; {n:,} trip{'s' if n != 1 else ''} left out" if n else ""
    note(
        f"imported {feed.name} for {when}: {summary.stations:,} stations, {summary.links:,} "
        f"links, {summary.trips:,} trips, {summary.calls:,} calls{left}"
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
    "--transfer-minutes",
    type=Number(min=0, max=24 * 60),
    default=None,
    help="Change of station: fixed minutes [default: 15 over rail, 2 on foot].",
)
@click.option(
    "--transfer-kmh",
    type=Number(min=0, min_open=True, max=1000),
    default=None,
    help="Change of station: speed over the distance, km/h [default: 30 over rail, 4.8 on foot].",
)
@access_options
@data_option
@handle_errors
def build_places(
    out_dir: Path,
    places_csv: Path,
    force: bool,
    access: dict[str, float] | None,
    transfer_minutes: float | None,
    transfer_kmh: float | None,
    data_dir: Path | None,
) -> None:
    """Turn a station network into a place network like the belt.

    Places own stations, reach them by access links, and change between them by change-of-station
    links.

    The rules (assumptions, stated in the written datasheet) default by the network's vehicles.
    Over rail, the belt's: access and egress door to door, 10 min at the station + great-circle
    km x 1.3 at 25 km/h for the first 10 km and 60 km/h beyond; a change of station 15 min +
    distance x 1.3 at 30 km/h. Over buses, trams or ferries, on foot: the distance x 1.3 at
    4.8 km/h, nothing at the stop; a change of stop 2 min + the walk. The --access-* and
    --transfer-* options replace a field of that default.

    \b
    Example: belt-graph build-places --data cairns --places cairns_places.csv cairns-places
    """
    from ..place_builder import write_places

    if data_dir is None:
        raise click.UsageError("give the station network with --data DIR")
    transfer: dict[str, float] = {}
    if transfer_minutes is not None:
        transfer["fixed_minutes"] = transfer_minutes
    if transfer_kmh is not None:
        transfer["speed_kmh"] = transfer_kmh
    summary = write_places(
        load_input(data_dir),
        places_csv,
        out_dir,
        access=access,
        transfer=transfer,
        force=force,
        say=note,
    )
    if summary.empty_places:
        from ..summary import short_list

        warn(f"no station for {short_list(summary.empty_places)}: never reached")
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
    "partnerships start from, else the one most trains leave, else the one with the most "
    "links).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=1024),
    default=None,
    help="Processes that draw the figures [default: the machine's cores; 1: this one].",
)
@window_options
@close_option
@network_options
@data_option
@handle_errors
def report(
    output: Path,
    force: bool,
    origin: str | None,
    workers: int | None,
    window: tuple[float, float],
    step: float,
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    close: tuple[str, ...],
    data_dir: Path | None,
) -> None:
    """Write every table (CSV), diagram (PNG, SVG) and a summary (Markdown, HTML) to a folder.

    \b
    Example: belt-graph report --output belt-report

    \b
    Example: belt-graph report --data data/cn-rail-2020 --origin 上海虹桥 -o national-report
    """
    from ..report.build import write_report

    ds = as_asked(load_input(data_dir), ends, year, access, close)
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
            workers=workers,
        )
    note(f"report written to {path}")
