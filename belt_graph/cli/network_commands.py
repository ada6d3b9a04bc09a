"""Commands about the network's structure: centrality, sectors, clusters, partners, scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .group import command
from .options import (
    Number,
    _hours,
    as_asked,
    data_option,
    hours_option,
    network_options,
    output_options,
    time_option,
)
from .output import _need_sectors, _place, emit, handle_errors, load_input, note, progress_bar


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
@time_option
@network_options
@data_option
@output_options
@handle_errors
def centrality(
    decay: str,
    decay_param: float | None,
    structure: str,
    time_kind: str,
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
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
    from ..centralities import centrality as run
    from ..network import cooperation_graph, rail_graph

    ds = as_asked(load_input(data_dir), ends, year, access)
    G = rail_graph(ds, time=time_kind)
    H = rail_graph(ds, network=structure)
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
    # a measure with no value anywhere (PageRank of partnerships on a network without any)
    # is left out with its rank, and said so
    empty = [c for c in table.columns if not c.startswith("rank_") and table[c].isna().all()]
    table = table.drop(columns=[*empty, *(f"rank_{c}" for c in empty if f"rank_{c}" in table)])
    emit(table, fmt, output, force)
    if empty:
        note(f"left out, no value anywhere: {', '.join(empty)}")


layer_option = click.option(
    "--layer",
    type=click.Choice(["measured", "listed"]),
    default=None,
    help="Sector layer: 'measured' (employment by section, sector_measures.csv; the default "
    "where a dataset has it) or 'listed' (sectors.csv, the sectors sources name).",
)


min_support_option = click.option(
    "--min-support",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Measured layer: a pair's complementarity only where each place has at least this many "
    "specialisations and the value rests on at least this many sector pairs (else empty).",
)


def _support_note(pairs: Any, min_support: int) -> None:
    """Say how many pairs the support rule leaves without a complementarity, and why."""
    cut = int((pairs["complementarity"].isna() & (pairs["support"] > 0)).sum())
    if cut:
        note(
            f"{cut} pair(s) without a complementarity: fewer than {min_support} "
            "specialisations on a side or sector pairs to rest on (--min-support)"
        )


def _say_stand_ins(ds: Any) -> None:
    """Say which places the measured layer answers for by another region's profile."""
    from ..sectors.measured import place_notes

    for place, why in place_notes(ds).items():
        note(f"{place}: {why}")


def _use_measured(ds: Any, layer: str | None) -> bool:
    """Whether to answer from the measured layer, and say which layer answers."""
    has = ds.measures is not None and len(ds.measures) > 0
    if layer == "measured" and not has:
        raise click.UsageError(
            f"the dataset {ds.name!r} has no measured layer (sector_measures.csv)"
        )
    measured = has if layer is None else layer == "measured"
    if measured:
        m = ds.measures
        note(
            f"layer: measured ({m['unit'].iat[0]} by sector, {int(m['year'].min())}; "
            f"specialised where LQ >= 1 against {m['region'].nunique()} regions); "
            "--layer listed for the listed sectors"
        )
        _say_stand_ins(ds)
    else:
        note("layer: listed (sectors.csv)")
    return measured


@command()
@click.option("--matrix", "show_matrix", is_flag=True, help="Print the place x sector matrix.")
@layer_option
@min_support_option
@data_option
@output_options
@handle_errors
def sectors(
    show_matrix: bool,
    layer: str | None,
    min_support: int,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Print overlap and complementarity of every pair of places (or the sector matrix).

    Measured layer: overlap = Jaccard of the places' specialisations (LQ >= 1);
    complementarity = the mean proximity of the specialisations only one of them has (empty:
    nothing to complement, or less than --min-support).

    \b
    Example: belt-graph sectors --format csv
    """
    from ..network import sector_graph
    from ..sectors import complementarity_note, sector_matrix, sector_pairs

    ds = load_input(data_dir)
    if _use_measured(ds, layer):
        from ..sectors.measured import location_quotients, measure_matrix, measured_pairs

        if show_matrix:
            import pandas as pd

            E, places = measure_matrix(ds)
            lq = location_quotients(E).loc[list(places)]
            lq.index = pd.Index(list(places.values()), name="node")
            emit(lq, fmt, output, force)
        else:
            pairs = measured_pairs(ds, min_support=min_support)
            _support_note(pairs, min_support)
            emit(pairs, fmt, output, force, index=False)
        return
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
@data_option
@output_options
@handle_errors
def specialisation(data_dir: Path | None, fmt: str, output: Path | None, force: bool) -> None:
    """Print each place's measured sectors: employment, location quotient, relatedness density.

    Measured against every region of the dataset's sector_measures.csv (China's cities for the
    bundled datasets): LQ = (E[c,s]/E[c]) / (E[s]/E), specialised where LQ >= 1, density = the
    proximity-weighted share of related sectors the place is specialised in.

    \b
    Example: belt-graph specialisation --format csv --output lq.csv
    """
    from ..sectors.measured import specialisation_table

    ds = load_input(data_dir)
    table = specialisation_table(ds)
    emit(table, fmt, output, force, index=False)
    m = ds.measures
    note(
        f"{table['place'].nunique()} places x {table['sector'].nunique()} sectors; measured on "
        f"{m['region'].nunique()} regions: {m['unit'].iat[0]}, {int(m['year'].min())}"
    )
    _say_stand_ins(ds)


@command()
@data_option
@output_options
@handle_errors
def relatedness(data_dir: Path | None, fmt: str, output: Path | None, force: bool) -> None:
    """Print the proximity of every pair of sectors, measured on the dataset's regions.

    phi[s,t] = |C_s and C_t| / max(|C_s|, |C_t|), C_s the regions specialised in s (LQ >= 1):
    how often two sectors are specialisations of the same regions (Hidalgo et al. 2007).

    \b
    Example: belt-graph relatedness --data cn-rail-2023 --format csv
    """
    from ..sectors.measured import relatedness_table

    ds = load_input(data_dir)
    emit(relatedness_table(ds), fmt, output, force, index=False)


@command()
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (Louvain).")
@click.option(
    "--resolution",
    type=Number(min=0, min_open=True, max=1e6),
    default=1.0,
    show_default=True,
    help="Louvain resolution.",
)
@layer_option
@data_option
@output_options
@handle_errors
def clusters(
    seed: int,
    resolution: float,
    layer: str | None,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Find clusters of places and sectors (Louvain communities, reproducible with --seed).

    Measured layer: communities of the industry space (sectors linked by proximity) and of
    places linked by the overlap of their specialisations.

    \b
    Example: belt-graph clusters --seed 1
    """
    from ..network import sector_graph
    from ..sectors import cluster_summary
    from ..sectors import clusters as run

    ds = load_input(data_dir)
    if _use_measured(ds, layer):
        from ..sectors.measured import measured_clusters

        emit(measured_clusters(ds, seed=seed, resolution=resolution), fmt, output, force)
        return
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
@layer_option
@min_support_option
@network_options
@data_option
@output_options
@handle_errors
def partners(
    origin: str,
    hours: float,
    layer: str | None,
    min_support: int,
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """List complementary partners of a place within --hours by rail.

    \b
    Example: belt-graph partners Putuo --hours 1.5
    """
    from ..network import rail_graph, sector_graph
    from ..sectors import complementarity_note, complementary_partners

    ds = as_asked(load_input(data_dir), ends, year, access)
    o = _place(ds, origin)
    if _use_measured(ds, layer):
        from ..reachability import reach
        from ..sectors.measured import measured_pairs

        near = reach(rail_graph(ds), o, hours)
        pairs = measured_pairs(ds, min_support=min_support)
        mine = pairs[(pairs["origin"] == o) | (pairs["destination"] == o)].copy()
        _support_note(mine, min_support)
        pair = zip(mine["origin"], mine["destination"], strict=True)
        mine.insert(0, "node", [b if a == o else a for a, b in pair])
        mine = mine[mine["node"].isin(near.index) & (mine["node"] != o)]
        mine = mine[mine["complementarity"] > 0]
        mine.insert(1, "minutes", near.loc[mine["node"], "minutes"].to_numpy())
        table = mine.drop(columns=["origin", "destination"]).set_index("node")
        if not len(table) and output is None and fmt == "table":
            click.echo(f"No complementary partner of {o} within {hours:g} h.")
            return
        emit(table, fmt, output, force)
        return
    _need_sectors(ds)
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
    type=click.Choice(["minutes", "reach", "centrality", "matrix", "benefits"]),
    default="minutes",
    show_default=True,
    help="Which comparison table to print; benefits: person-hours a day (a demand proxy, an "
    "assumption), people and GDP within 1, 2 and 3 h, and the equity of accessibility (CV, "
    "Gini, Theil) before and after.",
)
@network_options
@data_option
@output_options
@handle_errors
def scenario(
    name_or_file: str,
    hours: float,
    which: str,
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Compare a scenario (bundled name or CSV file) against the base network.

    \b
    Example: belt-graph scenario north_yangtze_hsr --table reach

    \b
    Example: belt-graph scenario north_yangtze_hsr --table benefits
    """
    from ..network import rail_graph
    from ..scenario import apply_scenario, compare

    ds = as_asked(load_input(data_dir), ends, year, access)
    if which == "benefits":
        from ..equity import benefits

        table = benefits(ds, apply_scenario(ds, name_or_file))
        if fmt == "table":  # measures of every size in one column: each value as it reads
            for col in ("before", "after", "change"):
                table[col] = [_readable(v) for v in table[col]]
        emit(table, fmt, output, force, index=False)
        return
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
@click.option(
    "--by",
    type=click.Choice(["link", "station", "line"]),
    default="link",
    show_default=True,
    help="What one row closes: a track link, a station (every link at it, and the trains "
    "passing it), or every track link of a line.",
)
@click.option(
    "--horizon",
    type=Number(min=0, min_open=True),
    default=360.0,
    show_default=True,
    help="Minutes past which a pair of places counts as cut off.",
)
@click.option(
    "--top", type=click.IntRange(min=1), default=None, help="Only the N most critical rows."
)
@network_options
@data_option
@output_options
@handle_errors
def criticality(
    by: str,
    horizon: float,
    top: int | None,
    ends: str,
    year: int | None,
    access: dict[str, float] | None,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Rank the track links by what closing each (and every train riding it) costs the places.

    loss: population-weighted mean extra minutes between places (a pair cut off, or pushed
    past --horizon, counts as the horizon); gdp_loss: GDP-weighted; disconnected: ordered pairs
    of places cut off; person_hours: extra hours a day under a gravity demand proxy (an
    assumption, not a count of passengers); pair_share: the share of pairs whose fastest
    journey gets slower; trains: the rides closed. Exact: each row equals the matrix with
    --close A-B.

    \b
    Example: belt-graph criticality --top 10

    \b
    Example: belt-graph criticality --by station --data cn-rail-2023 --format csv -o stations.csv
    """
    from ..resilience import criticality as run

    ds = as_asked(load_input(data_dir), ends, year, access)
    with progress_bar("closures") as bar:
        table = run(ds, by=by, horizon=horizon, progress=bar)
    attrs = dict(table.attrs)
    if top is not None:
        table = table.head(top)
    emit(table, fmt, output, force, index=False)
    ends_said = "door to door" if attrs.get("ends", "door") == "door" else "station to station"
    note(
        f"{attrs.get('places', 0)} places, {attrs.get('weighted_pairs', 0)} ordered pairs with "
        f"both populations known; minutes {ends_said}; {attrs.get('searched', 0)} searches "
        "from a place run again"
    )


def _readable(v: float) -> str:
    """Return a number as a table shows it: whole from 100 (thousands marked), else 3 decimals."""
    if v != v:  # NaN
        return ""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3f}"
