"""One diagram by name, from a dataset's cached results (the CLI's ``draw`` and the report)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dataset.core import Dataset
from ..dataset.lookup import has_stations_under_places, label_scores, words
from ..dataset.scenario_files import read_scenario
from ..errors import BeltGraphError
from ..plot.charts import (
    plot_centrality,
    plot_matrix,
    plot_reach_over_day,
    plot_scenario,
    plot_sectors,
    plot_timetable_vs_links,
    plot_year_comparison,
)
from ..plot.maps import plot_map
from ..plot.reach_maps import plot_reach, plot_travel_time_map
from ..schema import DRAW_KINDS
from .results import Results

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["DRAW_KINDS", "compute_for", "draw_kind"]


def compute_for(
    r: Results,
    kind: str,
    *,
    origin: str | None = None,
    scenario: str | None = None,
    window: tuple[float, float] = (7 * 60, 9 * 60),
    step: float = 5.0,
) -> None:
    """Compute into ``r`` every analysis that :func:`draw_kind` reads from it for ``kind``.

    The report calls it for each of its figures before it draws them in forked workers, so
    that the analyses are computed once, here, and inherited (a worker's own would be lost
    with it, and computed again by the next one).
    """
    o = origin or r.origin
    _ = r.names
    if kind in ("reach", "traveltime"):
        r.routes(o)
    elif kind == "matrix":
        _ = r.matrix
    elif kind == "centrality":
        _ = r.centrality
    elif kind == "sectors" and len(r.ds.sectors):
        _ = (r.sector_matrix, r.clusters, r.sector_pairs)
    elif kind == "window" and r.ds.timetable is not None:
        r.window(o, window, step)
    elif kind == "day" and r.ds.timetable is not None:
        r.day((o,))
    elif kind == "scenario":
        name = scenario or next(iter(r.ds.scenarios), None)
        if name is not None:
            _ = r.matrix
            r.scenario_matrix(name)
    elif kind == "years":
        _ = (r.years, r.networks)
    elif kind in ("timeline", "changes"):
        r.by_year(o)
    elif kind in ("critical", "criticality"):
        _ = r.criticality


def draw_kind(
    ds: Dataset,
    kind: str,
    *,
    origin: str | None = None,
    scenario: str | None = None,
    labels: str = "en",
    depart: float = 8 * 60,
    window: tuple[float, float] = (7 * 60, 9 * 60),
    step: float = 5.0,
    results: Results | None = None,
) -> Figure:
    """Return the figure of one diagram ``kind`` (see :data:`DRAW_KINDS`).

    ``results`` (a :class:`~belt_graph.report.results.Results` of ``ds``) supplies the analyses, so
    that several diagrams share them; ``depart`` (minutes after midnight) is the departure time of
    the ``timetable`` diagram, ``window`` and ``step`` the departures of the ``window`` map (median
    minutes); ``day`` draws what is reached by departure time from 05:00 to 23:00.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    kind : str
        One of :data:`DRAW_KINDS`.
    origin : str, optional
        The origin (default: the results' origin).
    scenario : str, optional
        The scenario of ``scenario`` (default: the dataset's first).
    labels : {"en", "zh", "both"}, default "en"
        Node labels in English, Chinese (with a CJK font; English without one) or both.
    depart : float, default 480
        Departure of the ``timetable`` diagram, minutes after midnight.
    window : tuple of float
        The first and last departure, in minutes after midnight.
    step : float, default 5
        Minutes between departures of ``window``.
    results : Results, optional
        Analyses already computed for ``ds``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    """
    r = results if results is not None else Results(ds, origin=origin)
    o = origin or r.origin
    names = r.names
    if kind == "map":
        fig, _ = plot_map(ds, labels=labels)
    elif kind == "reach":
        dist, parent = r.routes(o)
        fig, _ = plot_reach(ds, dist, o, routes=parent, labels=labels)
    elif kind == "traveltime":
        dist, _ = r.routes(o)
        fig, _ = plot_travel_time_map(ds, dist, o, labels=labels)
    elif kind == "matrix":
        m = r.matrix
        order = ds.nodes.loc[m.index].sort_values("lon").index.tolist()
        fig, _ = plot_matrix(
            m,
            order=order,
            names=names,
            landmarks=_landmarks(ds, list(m.index)),
            unit="places" if has_stations_under_places(ds.nodes) else words(ds).stops,
            title=f"Fastest {words(ds).mode} travel time between "
            f"{'places' if has_stations_under_places(ds.nodes) else words(ds).stops} "
            "(minutes), west to east",
        )
    elif kind == "centrality":
        w = words(ds)
        fig, _ = plot_centrality(
            r.centrality,
            unit="places" if has_stations_under_places(ds.nodes) else w.stops,
            networks=None if w.mode in ("rail", "metro") else {"track": "route"},
        )
    elif kind == "sectors":
        if not len(ds.sectors):
            raise BeltGraphError(f"dataset {ds.name!r} has no sectors (no sectors.csv) to draw")
        fig, _ = plot_sectors(r.sector_matrix, r.clusters, r.sector_pairs)
    elif kind in ("industry", "lq"):
        from ..plot import plot_industry_space, plot_lq_heatmap

        if ds.measures is None or not len(ds.measures):
            raise BeltGraphError(
                f"dataset {ds.name!r} has no measured sector layer (sector_measures.csv) to draw"
            )
        fig, _ = plot_industry_space(ds) if kind == "industry" else plot_lq_heatmap(ds)
    elif kind == "timetable":
        from ..timetable.journeys import format_clock

        table = r.timetable_vs_links(depart, origin=o)
        fig, _ = plot_timetable_vs_links(
            table,
            names=names,
            title=f"From {names.get(o, o)} leaving {format_clock(depart)}: "
            f"{len(table) - 1} {words(ds).stops} within 3 h by timetable,\n"
            f"{r.links_within(3, o)} over "
            "the fastest links (above the diagonal: waiting, dwells and changes)",
        )
    elif kind in ("window", "day"):
        from ..timetable.journeys import format_clock

        if ds.timetable is None:
            raise BeltGraphError(f"dataset {ds.name!r} has no timetable for the {kind} diagram")
        where = names.get(o, o)
        if kind == "window":
            t = r.window(o, window, step)
            span = f"{format_clock(window[0])}-{format_clock(window[1])} every {step:g} min"
            fig, _ = plot_reach(
                ds,
                t["p50"],
                o,
                bands=(1.0, 2.0, 3.0),
                labels=labels,
                title=f"Median travel time from {where} by timetable, leaving {span}\n"
                f"(waiting for the first {words(ds).vehicle} included)",
                what="median travel time",
            )
        else:
            table = r.day((o,))
            fig, _ = plot_reach_over_day(
                table,
                names=names,
                title=f"From {where}: reached within 1, 2 and 3 h by departure time "
                "(every 15 min; waiting included)",
            )
    elif kind == "scenario":
        name = scenario or next(iter(ds.scenarios), None)
        if name is None:
            raise BeltGraphError(f"dataset {ds.name!r} has no scenarios to draw")
        fig, _ = plot_scenario(
            r.matrix,
            r.scenario_matrix(name),
            names=names,
            title=f"{read_scenario(ds.scenarios[name]).title}: mean minutes to the other places",
        )
    elif kind == "years":
        table = r.years
        if table is None:
            raise BeltGraphError(
                f"dataset {ds.name!r} has no minutes_2020 (the network of 2020) to compare"
            )
        # Shanghai South (slow trains) stays in the table; the origin too where it is a
        # station: from a place (Putuo) the train part depends on the station its journey
        # door to door starts from, which the years chart (timeline) shows door to door
        stations = set(ds.nodes.index[ds.nodes["kind"] == "station"])
        shown = [o for o in ("AOH", "SHH") if o in set(table["origin"])]
        shown += [r.origin] if r.origin in stations and r.origin not in shown else []
        table = table[table["origin"].isin(shown)]
        years = tuple(sorted(r.networks, key=str))
        # the article's claims are train times: the train part of each door-to-door journey
        trains = table.assign(**{f"minutes_{y}": table[f"station_minutes_{y}"] for y in years})
        fig, _ = plot_year_comparison(
            trains,
            years=years,
            claims=_claim_ranges(r),
            names=names,
            title="Time by train from Shanghai to each city (the train part of the fastest "
            "journey door to door)",
        )
    elif kind in ("timeline", "changes"):
        from ..plot.years import plot_times_by_year, plot_year_change_map

        table = r.by_year(o)
        if table is None:
            raise BeltGraphError(
                f"the links of {ds.name!r} carry no opening dates ('opened'): no network by year"
            )
        if kind == "timeline":
            fig, _ = plot_times_by_year(table, names=names)
        else:
            fig, _ = plot_year_change_map(ds, table, names=names)
    elif kind in ("critical", "criticality"):
        from ..plot.resilience import plot_critical_links, plot_criticality_map

        table = r.criticality
        if table is None:
            raise BeltGraphError(
                f"{ds.name!r} has no track links with trains riding them: nothing to close"
            )
        if kind == "critical":
            fig, _ = plot_critical_links(table)
        else:
            fig, _ = plot_criticality_map(ds, table)
    else:
        raise BeltGraphError(f"unknown diagram kind {kind!r} (one of {', '.join(DRAW_KINDS)})")
    return fig


def _claim_ranges(r: Results) -> object:
    """Return the ranges the travel_minutes claims allow, by destination (for the years chart)."""
    import pandas as pd

    c = r.ds.claims
    if not len(c):
        return None
    rows = []
    for rec in c[c["kind"] == "travel_minutes"].to_dict("records"):
        dest = rec["subject"].partition(">")[2].strip()
        low = float(rec["low"]) if rec["low"] else float("nan")
        high = float(rec["high"]) if rec["high"] else float("nan")
        rows.append({"destination": dest, "low": low, "high": high})
    return pd.DataFrame(rows, columns=["destination", "low", "high"])


def _landmarks(ds: Dataset, ids: list[str], k: int = 14) -> list[str]:
    """Return the ``k`` places a large figure names (:func:`label_scores`)."""
    scores, _ = label_scores(ds)
    return sorted(ids, key=lambda n: (-scores.get(str(n), 0), str(n)))[:k]
