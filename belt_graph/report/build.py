"""The main job: every table, every diagram and a readable summary, written to one folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from .._files import write_folder
from ..dataset.core import Dataset
from ..errors import BeltGraphError
from ..timetable.journeys import format_clock
from .explorer import explorer_data, explorer_html
from .markdown import LARGE_TABLE, _markdown
from .page import write_page
from .results import Results

__all__ = ["write_report"]


def write_report(
    ds: Dataset,
    output: str | Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    origin: str | None = None,
    window: tuple[float, float] = (7 * 60, 9 * 60),
    step: float = 5.0,
    searches: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> Path:
    """Write the full report for ``ds`` into the folder ``output`` and return its path.

    The folder gets ``tables/*.csv``, ``figures/*.png`` and ``*.svg``, ``report.md`` and a
    self-contained ``report.html`` (figures embedded). Everything is written into a hidden
    temporary folder next to ``output`` and renamed when complete, so an interruption leaves
    nothing half-written (see :func:`belt_graph._files.write_folder`); the dataset's own
    folder and the current folder are never replaced.

    ``origin`` (default :func:`~belt_graph.default_origin`) is the origin of the reach
    tables; with a timetable, the report also gives, from that origin leaving at every
    ``step`` minutes of ``window`` (minutes after midnight, default 07:00-09:00 every 5 min),
    percentiles of the travel time by timetable beside the fastest links, and the share of
    destinations reached within 1, 2 and 3 h for each departure from 05:00 to 23:00.
    ``progress(message)`` reports each step; ``searches(done, total)`` the all-pairs searches.
    Networks above :data:`LARGE_TABLE` places get their matrix as ``.npz`` (arrays
    ``minutes`` and ``nodes``).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    output : str or pathlib.Path
        The report folder.
    force : bool, default False
        Replace the output if it exists (an input is never replaced).
    progress : callable, optional
        Told each step as ``progress(message)``.
    origin : str, optional
        The origin of the reach tables and the timetable section.
    window : tuple of float
        The first and last departure, in minutes after midnight.
    step : float, default 5
        Minutes between departures of ``window``.
    searches : callable, optional
        Called as ``searches(done, total)`` by the all-pairs searches.
    workers : int, optional
        Processes that draw the figures (default: one per core; 1 draws them in this one).

    Returns
    -------
    pathlib.Path
        The report folder.

    Raises
    ------
    BeltGraphError
        If ``output`` exists and is not empty and ``force`` is false, is not a folder, is (or
        holds) the dataset or the current folder, or cannot be written.
    """
    from ..plot import save_figure
    from .figures import draw_kind

    say = progress or (lambda _m: None)
    return write_folder(
        Path(output),
        lambda tmp: _build(
            ds, tmp, say, (draw_kind, save_figure), origin, (window, step), searches, workers
        ),
        force=force,
        protect=[ds.path],
        say=say,
    )


def _build(
    ds: Dataset,
    tmp: Path,
    say: Callable[[str], None],
    drawing: tuple[Callable[..., object], Callable[..., None]],
    origin: str | None,
    when: tuple[tuple[float, float], float],
    searches: Callable[[int, int], None] | None,
    workers: int | None,
) -> None:
    r = Results(ds, origin=origin, progress=searches)
    with r.reusing_journeys():
        _build_with(ds, r, tmp, say, drawing, when, workers)


def _build_with(
    ds: Dataset,
    r: Results,
    tmp: Path,
    say: Callable[[str], None],
    drawing: tuple[Callable[..., object], Callable[..., None]],
    when: tuple[tuple[float, float], float],
    workers: int | None,
) -> None:
    draw_kind, save_figure = drawing
    window, step = when
    tables_dir, fig_dir = tmp / "tables", tmp / "figures"
    tables_dir.mkdir()
    fig_dir.mkdir()
    origin = r.origin
    name = str(ds.nodes.at[origin, "name"]) if origin in ds.nodes.index else origin
    who = name if name == origin else f"{name} ({origin})"
    say(f"analysing {ds.name} (origin for reach: {who})")
    tables: dict[str, pd.DataFrame] = {}
    tables["nodes"] = ds.nodes
    tables["links"] = ds.links
    if len(r.places) > LARGE_TABLE:
        m = r.matrix
        np.savez(
            tables_dir / "travel_time_matrix.npz",
            minutes=m.to_numpy(dtype=float),
            nodes=np.array(m.index, dtype=str),
        )
    else:
        tables["travel_time_matrix"] = r.matrix
        if r.services:
            tables["travel_time_matrix_expected"] = r.matrix_expected
    tables[f"reach_{origin}"] = r.reach(2.0)
    tables[f"reach_bands_{origin}"] = r.bands
    say("centrality")
    tables["centrality"] = r.centrality
    if len(ds.claims):
        tables["claims"] = r.claims
    if r.years is not None:
        tables["shanghai_times_2020_2025"] = r.years
    by_year = r.by_year()
    if by_year is not None:
        say(f"the network year by year, from {origin}")
        tables[f"times_by_year_{origin}"] = by_year
    if ds.timetable is not None:
        say(
            f"timetable from {origin}, leaving {format_clock(window[0])}-"
            f"{format_clock(window[1])} every {step:g} min, and over the day"
        )
        tables[f"accessibility_{origin}"] = r.window(origin, window, step)
        tables[f"reach_over_day_{origin}"] = r.day((origin,))
    critical = _critical(ds, r)
    if critical is not None:
        say("critical links: each track link closed with its trains")
        tables["criticality"] = critical
    if r.sectors.number_of_edges():
        tables["sector_pairs"] = r.sector_pairs
        tables["clusters"] = r.cluster_summary
    if r.measured:
        say("measured sectors: location quotients and relatedness")
        tables["specialisation"] = r.specialisation
        tables["measured_sector_pairs"] = r.measured_pairs
        if len(ds.sectors):
            tables["listed_against_measured"] = r.listed_against_measured
    comparisons = {}
    for name in ds.scenarios:
        say(f"scenario {name}")
        _, cmp = r.scenario(name, SCENARIO_HOURS)
        comparisons[name] = cmp
        tables[f"scenario_{name}_minutes"] = cmp.minutes
        tables[f"scenario_{name}_reach"] = cmp.reach
        tables[f"scenario_{name}_centrality"] = cmp.centrality
    for name, df in tables.items():
        index = df.index.name is not None
        df.to_csv(tables_dir / f"{name}.csv", index=index, lineterminator="\n")
    say(f"wrote {len(list(tables_dir.iterdir()))} tables")
    located = bool(ds.nodes[["lat", "lon"]].loc[origin].notna().all())
    # the travel-time map needs the origin's bearing to every place
    kinds = ["map", "reach", *(["traveltime"] if located else []), "matrix", "centrality"]
    if r.years is not None:
        kinds.append("years")
    if by_year is not None:
        kinds += ["timeline", *(["changes"] if located else [])]
    if critical is not None:
        kinds += ["critical", *(["criticality"] if located else [])]
    if r.sectors.number_of_edges():
        kinds.append("sectors")
    if r.measured:
        kinds += ["lq", "industry"]
    if ds.timetable is not None:
        kinds += ["window", "day"]
    # file stem -> (diagram kind, scenario name)
    figures: dict[str, tuple[str, str | None]] = {k: (k, None) for k in kinds}
    figures.update({f"scenario_{n}": ("scenario", n) for n in ds.scenarios})

    def draw(item: tuple[str, tuple[str, str | None]]) -> str:
        fname, (kind, scenario) = item
        fig = draw_kind(
            ds, kind, origin=origin, scenario=scenario, window=window, step=step, results=r
        )
        save_figure(fig, fig_dir / f"{fname}.svg", close=False)
        save_figure(fig, fig_dir / f"{fname}.png", dpi=150)
        del fig
        _give_back_memory()
        return fname

    from .figures import compute_for  # with matplotlib, as draw_kind

    for kind, scenario in figures.values():
        compute_for(r, kind, origin=origin, scenario=scenario, window=window, step=step)
    for fname in _drawn(draw, list(figures.items()), workers):
        say(f"drew {fname}")
    md = _markdown(ds, r, (window, step), tables, comparisons, figures)
    (tmp / "report.md").write_text(md, encoding="utf-8")
    explorer = explorer_html(explorer_data(ds, r.graph, origin))
    write_page(tmp / "report.html", md, fig_dir, f"{ds.title}: belt-graph report", explorer)
    say("wrote report.md and report.html")


#: Track links up to which the report ranks them all (the belt's 70 take 0.5 s; cn-rail-2020's
#: 1,094 would add about a minute: run ``belt-graph criticality`` for those).
REPORT_CRITICAL_LINKS = 500


def _critical(ds: Dataset, r: Results) -> pd.DataFrame | None:
    """Return the criticality table the report shows, or None (none, or too many links)."""
    from ..resilience import track_links

    if len(track_links(ds)) > REPORT_CRITICAL_LINKS:
        return None
    return r.criticality


#: The reach a scenario's table compares: 2 h door to door (within 1 h, door to door, Putuo
#: reaches no other member of the belt).
SCENARIO_HOURS = 2.0


def _drawn(
    draw: Callable[[tuple[str, tuple[str, str | None]]], str],
    items: list[tuple[str, tuple[str, str | None]]],
    workers: int | None,
) -> Iterator[str]:
    """Draw every figure, on ``workers`` forked processes (default: one per core), in order.

    Drawing is most of a small dataset's report (the belt: 8 of its 11 s on one core), and
    each figure is independent of the others. The workers inherit the analyses (every table
    is computed before the figures, :func:`~belt_graph.report.figures.compute_for` the rest),
    so no analysis runs twice, and each worker writes its own files. Where processes cannot be
    forked, or with ``workers=1``, the figures are drawn here, one after the other.
    """
    n = _figure_workers(workers, len(items))
    if n == 1:
        yield from map(draw, items)
        return
    from concurrent.futures.process import BrokenProcessPool

    from .._workers import fork_map

    try:
        yield from fork_map(draw, items, n)
    except BrokenProcessPool:
        raise BeltGraphError(
            "a process drawing the report's figures ended abruptly (out of memory?); "
            "try again with --workers 1"
        ) from None


def _figure_workers(workers: int | None, n_figures: int) -> int:
    """Return how many processes draw the figures (see :func:`_drawn`)."""
    from .._workers import can_fork, cores

    if workers is not None and workers < 1:
        raise BeltGraphError(f"workers must be at least 1 (got {workers})")
    if not can_fork():
        return 1
    asked = workers if workers is not None else cores()
    return max(1, min(asked, n_figures))


def _give_back_memory() -> None:
    """Return the memory freed by a drawing to the system (glibc keeps it otherwise).

    Each figure's rendering allocates and frees tens of MiB; without this the process kept
    growing figure after figure (cn-rail-2023: 350 MiB after the analyses, 520 MiB at the
    end). Does nothing where the C library has no ``malloc_trim``.
    """
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)
