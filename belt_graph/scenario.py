"""What changes when a line opens, a link gets faster, or a link is cut.

A scenario file is a CSV with one operation per row (column ``op``) applied in order to the
dataset's links table:

============== =============================================== ==================================
op             columns used                                    effect
============== =============================================== ==================================
add_link       source, target, minutes, line, mode             add an open link
remove_link    source, target, [line]                          remove the pair's links (of line)
set_minutes    source, target, minutes, [line]                 set the pair's minutes (of line)
scale_line     line, factor                                    multiply a line's minutes
open_planned   [line]                                          open planned links (of line)
============== =============================================== ==================================

Optional columns ``note`` and ``source_ref`` document each row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from ._paths import Progress, places
from ._scenarios import Scenario, apply_operations, read_scenario
from ._units import check_hours, minutes_limit
from .centrality import centrality
from .commute import travel_time_matrix
from .dataset import Dataset
from .errors import UnknownScenarioError
from .network import simple_graph

__all__ = ["Scenario", "ScenarioComparison", "apply_scenario", "compare", "read_scenario"]


def apply_scenario(dataset: Dataset, scenario: Scenario | str | Path) -> Dataset:
    """Return a new dataset whose links have the scenario's operations applied, in order.

    The input dataset is not changed. ``scenario`` may be a :class:`Scenario`, a path, or the
    name of a scenario bundled with the dataset (``dataset.scenarios``).

    Raises
    ------
    ScenarioError
        If an operation names a node that is not in the dataset, or a link or line that does
        not exist.

    Examples
    --------
    >>> from belt_graph.network import toy_dataset
    >>> ds = toy_dataset()
    >>> new = apply_scenario(ds, "faster_red")
    >>> new.links.query("line == 'red'")["minutes"].tolist(), len(ds.links)
    ([10.0, 25.0], 7)
    """
    if not isinstance(scenario, Scenario):
        key = str(scenario)
        path = dataset.scenarios.get(key, Path(key))
        if not Path(path).is_file():
            raise UnknownScenarioError(key, list(dataset.scenarios))
        scenario = read_scenario(path)
    return dataset.with_links(apply_operations(dataset.links, dataset.nodes.index, scenario))


@dataclass(frozen=True)
class ScenarioComparison:
    """Deltas between a base network and a scenario network.

    Attributes
    ----------
    reach : DataFrame
        Indexed by ``node``: ``places_base``, ``places_scenario``, ``places_delta`` (other
        places within ``hours``), ``population_base``, ``population_scenario``,
        ``population_delta`` (persons in those places, known values only).
    centrality : DataFrame
        Indexed by ``node``: ``accessibility_base``, ``accessibility_scenario``,
        ``rank_base``, ``rank_scenario``, ``rank_delta`` (negative = climbs),
        ``mean_minutes_base``, ``mean_minutes_scenario``, ``mean_minutes_delta``.
    matrix : DataFrame
        Scenario minus base travel-time matrix (negative = faster), places x places.
    minutes : DataFrame
        Pair table: ``origin``, ``destination``, ``minutes_base``, ``minutes_scenario``,
        ``minutes_delta``; pairs that changed only, largest saving first.
    hours : float
        The reach threshold used.
    """

    reach: pd.DataFrame
    centrality: pd.DataFrame
    matrix: pd.DataFrame
    minutes: pd.DataFrame
    hours: float


def compare(
    base: nx.Graph,
    scenario: nx.Graph,
    *,
    hours: float = 1.0,
    progress: Progress | None = None,
) -> ScenarioComparison:
    """Compare two rail layers: reach within ``hours``, centrality ranks and the matrix.

    Both graphs must have the same places (a scenario changes links, not places). Reach is
    read off the two travel-time matrices (a place reaches another when the fastest minutes are
    at most ``60 * hours``), so the work is two all-pairs searches and two centrality tables
    whatever the size; ``progress(done, total)`` follows each of those searches.

    Examples
    --------
    >>> from belt_graph.network import rail_graph, toy_dataset
    >>> ds = toy_dataset()
    >>> cmp = compare(rail_graph(ds), rail_graph(apply_scenario(ds, "open_gold")))
    >>> row = cmp.minutes.iloc[0]
    >>> row["origin"], row["destination"], float(row["minutes_delta"])
    ('A', 'D', -35.0)
    """
    hours = check_hours(hours)
    base, scenario = simple_graph(base), simple_graph(scenario)
    ids = places(base)
    mb = travel_time_matrix(base, nodes=ids, progress=progress)
    ms = travel_time_matrix(scenario, nodes=ids, progress=progress)
    delta = ms - mb
    B, T = mb.to_numpy(), ms.to_numpy()
    pop = np.array([float(base.nodes[n].get("population", math.nan)) for n in ids])
    pop = np.where(np.isnan(pop), 0.0, pop)

    def within(minutes: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            W = minutes <= minutes_limit(hours)  # NaN (unreachable) compares False
        np.fill_diagonal(W, False)
        return W

    wb, ws = within(B), within(T)
    r = pd.DataFrame(
        {
            "places_base": wb.sum(axis=1),
            "places_scenario": ws.sum(axis=1),
            "population_base": wb @ pop,
            "population_scenario": ws @ pop,
        },
        index=pd.Index(ids, name="node"),
    )
    r.insert(2, "places_delta", r["places_scenario"] - r["places_base"])
    r["population_delta"] = r["population_scenario"] - r["population_base"]
    cb = centrality(base, progress=progress)
    cs = centrality(scenario, progress=progress)
    c = pd.DataFrame(
        {
            "accessibility_base": cb["accessibility"],
            "accessibility_scenario": cs["accessibility"],
            "rank_base": cb["rank_accessibility"],
            "rank_scenario": cs["rank_accessibility"],
            "mean_minutes_base": cb["mean_minutes"],
            "mean_minutes_scenario": cs["mean_minutes"],
        }
    ).loc[ids]
    c["rank_delta"] = c["rank_scenario"] - c["rank_base"]
    c["mean_minutes_delta"] = c["mean_minutes_scenario"] - c["mean_minutes_base"]
    # pairs whose minutes change, or that become (un)reachable
    i, j = np.triu_indices(len(ids), k=1)
    b, t = B[i, j], T[i, j]
    d = t - b
    with np.errstate(invalid="ignore"):
        changed = np.where(np.isnan(d), ~(np.isnan(b) & np.isnan(t)), np.abs(d) > 1e-9)
    names = np.array(ids, dtype=object)
    m = pd.DataFrame(
        {
            "origin": names[i[changed]],
            "destination": names[j[changed]],
            "minutes_base": b[changed],
            "minutes_scenario": t[changed],
            "minutes_delta": d[changed],
        }
    ).sort_values(["minutes_delta", "origin", "destination"])
    return ScenarioComparison(r, c, delta, m.reset_index(drop=True), hours)
