"""What changes when a line opens, a link gets faster, or a link is cut.

A scenario file is a CSV with one operation per row (``add_link``, ``remove_link``,
``set_minutes``, ``scale_line``, ``open_planned``) applied in order to the dataset's links; the
format, column by column, is in :mod:`belt_graph.dataset.scenario_files`, which reads it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from ._units import check_hours, minutes_limit
from .centralities import decay_function
from .dataset.core import Dataset
from .dataset.scenario_files import Scenario, apply_operations, read_scenario
from .errors import UnknownPlaceError, UnknownScenarioError
from .network import simple_graph
from .network.paths import Progress, cutoff_search_ends, ends_only, places
from .routing import travel_time_matrix

__all__ = [
    "Scenario",
    "ScenarioComparison",
    "apply_scenario",
    "compare",
    "fastest_times",
    "read_scenario",
]


def apply_scenario(dataset: Dataset, scenario: Scenario | str | Path) -> Dataset:
    """Return a new dataset whose links have the scenario's operations applied, in order.

    The input dataset is not changed. ``scenario`` may be a :class:`Scenario`, a path, or the
    name of a scenario bundled with the dataset (``dataset.scenarios``).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    scenario : Scenario, str or pathlib.Path
        A scenario, a file, or the name of one of the dataset's.

    Returns
    -------
    Dataset
        A new dataset with the changed links.

    Raises
    ------
    ScenarioError
        If an operation names a node that is not in the dataset, or a link or line that does
        not exist.

    Examples
    --------
    >>> from belt_graph import toy_dataset
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
        Indexed by ``node``: ``places_base``, ``places_scenario``, ``places_delta`` (places
        within ``hours``, the place itself included, as :func:`~belt_graph.reach` counts),
        ``population_base``, ``population_scenario``, ``population_delta`` (persons in those
        places, known values only).
    centrality : DataFrame
        Indexed by ``node``: ``accessibility_base``, ``accessibility_scenario``,
        ``rank_base``, ``rank_scenario``, ``rank_delta`` (negative = climbs),
        ``mean_minutes_base``, ``mean_minutes_scenario``, ``mean_minutes_delta``.
    matrix : DataFrame
        Scenario minus base travel-time matrix (negative = faster), places x places.
    minutes : DataFrame
        Pair table: ``origin``, ``destination``, ``minutes_base``, ``minutes_scenario``,
        ``minutes_delta``; pairs that changed only, the largest change (in size) first.
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
    base_matrix: pd.DataFrame | None = None,
    scenario_matrix: pd.DataFrame | None = None,
) -> ScenarioComparison:
    """Compare two rail layers: reach within ``hours``, accessibility ranks and the matrix.

    Both graphs must have the same places (a scenario changes links, not places). Everything
    is read off the two travel-time matrices: reach (a place reaches another when the fastest
    minutes are at most ``60 * hours``), mean minutes and accessibility (population, exponential
    decay of 60 min, as :func:`~belt_graph.centralities.centrality`), so the work is two all-pairs
    searches whatever the size, or one when ``base_matrix`` (the base network's
    :func:`~belt_graph.travel_time_matrix` over its places) is given; ``progress(done, total)``
    follows each search.

    Parameters
    ----------
    base : networkx.Graph
        The base rail layer.
    scenario : networkx.Graph
        The scenario's rail layer.
    hours : float, default 1
        The reach budget in hours.
    progress : callable, optional
        Called as ``progress(done, total)`` as the searches advance.
    base_matrix : pandas.DataFrame, optional
        The base network's matrix, when already computed.
    scenario_matrix : pandas.DataFrame, optional
        The scenario's matrix, when already computed.

    Returns
    -------
    ScenarioComparison
        Per place reach, mean minutes and accessibility before and after, and the pairs
        whose minutes changed.

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> ds = toy_dataset()
    >>> cmp = compare(rail_graph(ds), rail_graph(apply_scenario(ds, "open_gold")))
    >>> row = cmp.minutes.iloc[0]
    >>> row["origin"], row["destination"], float(row["minutes_delta"])
    ('A', 'D', -35.0)
    """
    hours = check_hours(hours)
    base, scenario = simple_graph(base), simple_graph(scenario)
    ids = places(base)
    if base_matrix is not None and list(base_matrix.index) == list(ids):
        mb = base_matrix
    else:
        mb = travel_time_matrix(base, nodes=ids, progress=progress)
    if scenario_matrix is not None and list(scenario_matrix.index) == list(ids):
        ms = scenario_matrix
    else:
        ms = travel_time_matrix(scenario, nodes=ids, progress=progress)
    delta = ms - mb
    B, T = mb.to_numpy(), ms.to_numpy()
    pop = np.array([float(base.nodes[n].get("population", math.nan)) for n in ids])
    pop = np.where(np.isnan(pop), 0.0, pop)

    def within(minutes: np.ndarray) -> np.ndarray:
        """Who reaches whom, the place itself included (as ``reach`` counts it)."""
        with np.errstate(invalid="ignore"):
            return minutes <= minutes_limit(hours)  # NaN (unreachable) compares False

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
    known = bool(np.any(pop > 0))
    c = pd.DataFrame(
        {
            "accessibility_base": _accessibility(B, pop) if known else math.nan,
            "accessibility_scenario": _accessibility(T, pop) if known else math.nan,
            "mean_minutes_base": _mean_minutes(B),
            "mean_minutes_scenario": _mean_minutes(T),
        },
        index=pd.Index(ids, name="node"),
    )
    c.insert(2, "rank_base", c["accessibility_base"].rank(ascending=False, method="min"))
    c.insert(3, "rank_scenario", c["accessibility_scenario"].rank(ascending=False, method="min"))
    c[["rank_base", "rank_scenario"]] = c[["rank_base", "rank_scenario"]].astype("Int64")
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
    )
    # the largest change first, whichever its sign (a closure makes every change an increase);
    # pairs that become reachable or unreachable come first of all
    size = m["minutes_delta"].abs().fillna(np.inf)
    m = m.assign(_size=size).sort_values(
        ["_size", "origin", "destination"], ascending=[False, True, True]
    )
    return ScenarioComparison(r, c, delta, m.drop(columns="_size").reset_index(drop=True), hours)


def _accessibility(D: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Hansen accessibility from a matrix, as centrality computes it (exponential, 60 min)."""
    with np.errstate(invalid="ignore", over="ignore"):
        W = decay_function("exponential")(D)
    W = np.where(np.isfinite(D), W, 0.0)
    np.fill_diagonal(W, 0.0)
    return np.asarray(W @ mass)


def _mean_minutes(D: np.ndarray) -> np.ndarray:
    X = D.copy()
    np.fill_diagonal(X, np.nan)
    finite = np.isfinite(X)
    count = finite.sum(axis=1)
    total = np.where(finite, X, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def fastest_times(
    networks: Mapping[str, nx.Graph],
    origins: Sequence[Any],
    destinations: Sequence[Any],
    *,
    weight: str = S.MINUTES,
) -> pd.DataFrame:
    """Return the fastest minutes from each origin to each destination on several networks.

    For comparing years (``{"2020": rail_graph(ds, minutes="minutes_2020"), "2024":
    rail_graph(ds)}``) or a base and a scenario, route by route.

    Parameters
    ----------
    networks : mapping of str to networkx.Graph
        The networks compared, by label (``2020``, ``2024``).
    origins : sequence of nodes
        The origins.
    destinations : sequence of nodes
        The destinations.
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    DataFrame
        One row per (origin, destination); for each network label ``L`` the columns
        ``minutes_L`` (NaN: unreachable; between places door to door where the graph's access
        links say so), ``from_station_L`` (where the journey leaves from: the origin's station,
        or the origin itself), ``station_L`` (where a place is reached; empty otherwise) and
        ``station_minutes_L`` (from the first station to the last: the minutes without the
        access and egress at the two ends), then ``minutes_delta`` (the last network minus the
        first).

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> ds = toy_dataset()
    >>> nets = {"base": rail_graph(ds), "gold": rail_graph(ds, include_planned=True)}
    >>> fastest_times(nets, ["A"], ["D"])[["minutes_base", "minutes_gold"]].values.tolist()
    [[65.0, 30.0]]
    """
    labels = list(networks)
    rows = {(o, d): {"origin": o, "destination": d} for o in origins for d in destinations}
    for label, G in networks.items():
        G = simple_graph(G, weight)
        ends = ends_only(G)
        for o in origins:
            if o not in G:
                raise UnknownPlaceError(o)
            dist, _, parent, first = cutoff_search_ends(G, [o], math.inf, weight)
            for d in destinations:
                at = parent.get(d) if d in ends else None
                m = float(dist.get(d, math.nan))
                start, access = first.get(d, ("", math.nan))
                egress = m - dist[at] if at is not None else 0.0
                rows[o, d][f"minutes_{label}"] = m
                rows[o, d][f"from_station_{label}"] = str(start) if d in dist else ""
                rows[o, d][f"station_{label}"] = "" if at is None else str(at)
                rows[o, d][f"station_minutes_{label}"] = m - access - egress
    df = pd.DataFrame(list(rows.values()))
    df["minutes_delta"] = df[f"minutes_{labels[-1]}"] - df[f"minutes_{labels[0]}"]
    return df
