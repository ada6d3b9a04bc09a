"""Which places can be reached within N hours, and how many people and how much GDP that is."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from ._units import check_hours, minutes_limit
from .errors import UnknownPlaceError
from .network import simple_graph
from .network.paths import cutoff_search, cutoff_search_ends, ends_only, places

__all__ = ["fastest_routes", "nearest_origin_dijkstra", "reach", "reach_bands", "reach_summary"]

#: Door to door (access and egress included), half an hour reaches little beyond the origin.
DEFAULT_BANDS_HOURS = (1.0, 2.0, 3.0)


def _origins(G: nx.Graph, origins: Any) -> list[Any]:
    out = list(origins) if isinstance(origins, list | tuple | set | frozenset) else [origins]
    if not out:
        raise ValueError("origins must name at least one place, got an empty list")
    for o in out:
        if o not in G:
            raise UnknownPlaceError(o)
    return list(dict.fromkeys(out))


def reach(
    G: nx.Graph,
    origins: str | Sequence[str],
    hours: float,
    *,
    include_hubs: bool = False,
    weight: str = S.MINUTES,
) -> pd.DataFrame:
    """Return the places reachable from ``origins`` within ``hours``, with their minutes.

    Parameters
    ----------
    G : networkx.Graph
        The rail layer.
    origins : str or sequence of str
        One node id or several; with several, each place counts its nearest origin.
    hours : float
        The time budget in hours (>= 0); a place exactly at the limit is reached.
    include_hubs : bool, default False
        List hub nodes too (they are always used for routing).
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    DataFrame
        Indexed by ``node``; columns ``name``, ``minutes``, ``hours``, ``nearest_origin``; on a
        network of stations under places only, the ends of each journey: ``from_station``
        and ``access_minutes`` (where it leaves, and the minutes from the origin place to that
        station: 0 from a station), ``to_station`` and ``egress_minutes`` (the station a place
        is reached at and the minutes from it into the place; empty and 0 for an origin and
        for a station); then ``population`` (persons) and ``gdp_cny_bn`` (billion CNY; NaN when
        unknown). Sorted by minutes, then id. The origins themselves are included
        at 0 minutes.

    Raises
    ------
    ValueError
        If ``hours`` is negative or not finite, or ``origins`` is empty.
    UnknownPlaceError
        If an origin is not in ``G``.

    Notes
    -----
    :func:`nearest_origin_dijkstra` with ``cutoff = 60 * hours`` (plus a rounding tolerance of
    :data:`~belt_graph._units.LIMIT_TOLERANCE_MINUTES`, so that 2.05 h includes 123 min): only
    the part of the network within reach is searched. A ``MultiGraph`` counts its fastest
    parallel edge; a directed graph is refused.

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> G = rail_graph(toy_dataset())
    >>> reach(G, "A", 0.5)["minutes"].to_dict()
    {'A': 0.0, 'B': 20.0, 'C': 25.0}
    """
    hours = check_hours(hours)
    G = simple_graph(G, weight)
    sources = _origins(G, origins)
    ends = ends_only(G)
    dist, nearest, parent, first = cutoff_search_ends(G, sources, minutes_limit(hours), weight)
    node_data = G._node
    origin_set = set(sources)
    kinds = S.place_kinds(d.get("kind") for d in node_data.values())
    # an origin that is a station of a place is not listed: its place stands for it (reached
    # by its access link), so that counts, people and GDP are of places only
    ids = [
        n
        for n in dist
        if include_hubs
        or node_data[n].get("kind") in kinds
        or (n in origin_set and not node_data[n].get(S.PLACE))
    ]
    # settled in order of minutes; break ties by id (as text, so mixed id types sort too)
    ids.sort(key=lambda n: (dist[n], str(n)))
    data = [node_data[n] for n in ids]
    minutes = [dist[n] for n in ids]
    m = np.array(minutes, dtype=float)
    numbers = (
        np.column_stack(
            [
                m,
                m / 60,
                np.array([float(d.get("population", math.nan)) for d in data]),
                np.array([float(d.get("gdp_cny_bn", math.nan)) for d in data]),
            ]
        )
        if ids
        else np.zeros((0, 4))
    )
    # one float block, then the two text columns: the quickest way pandas builds this table
    df = pd.DataFrame(
        numbers,
        columns=["minutes", "hours", "population", "gdp_cny_bn"],
        index=pd.Index(ids, name="node", dtype=object),
    )
    df.insert(0, "name", [d.get("name", n) for n, d in zip(ids, data, strict=True)])
    df.insert(3, "nearest_origin", [nearest[n] for n in ids])
    if ends:  # stations under places: say where each journey leaves and where it arrives
        at = [_arrival(n, parent, ends) for n in ids]
        df.insert(
            4, "from_station", [str(first[n][0]) if parent.get(n) is not None else "" for n in ids]
        )
        df.insert(5, "access_minutes", [first[n][1] for n in ids])
        df.insert(6, "to_station", at)
        df.insert(
            7,
            "egress_minutes",
            [dist[n] - dist[s] if s else 0.0 for n, s in zip(ids, at, strict=True)],
        )
    return df


def _arrival(node: Any, parent: dict[Any, Any], ends: set[Any]) -> str:
    """Return the station a place is reached at (its predecessor); empty for an origin."""
    before = parent.get(node)
    return "" if before is None or node not in ends else str(before)


def nearest_origin_dijkstra(
    G: nx.Graph, sources: Sequence[Any], cutoff: float, *, weight: str = S.MINUTES
) -> tuple[dict[Any, float], dict[Any, Any]]:
    """Return the minutes to every node within ``cutoff`` of the nearest source, and that source.

    A Dijkstra search from all sources at once that stops at ``cutoff``: it only visits the
    part of the graph within reach, and checks the weight of each edge it relaxes (a missing,
    negative or non-finite weight, or 0 anywhere but on an access link of a place, raises
    :class:`~belt_graph.errors.GraphValidationError`). Among sources at equal distance, the one
    listed first wins. A place that is an end only (``transit`` False) is reached but never
    passed through, unless it is a source.

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    sources : sequence of nodes
        The origins.
    cutoff : float
        The largest minutes searched.
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    tuple of (dict, dict)
        Minutes by node, and the source each node is reached from.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"minutes": 10}), ("b", "c", {"minutes": 10})])
    >>> nearest_origin_dijkstra(G, ["a", "c"], 15)
    ({'a': 0.0, 'c': 0.0, 'b': 10.0}, {'a': 'a', 'c': 'c', 'b': 'a'})
    """
    G = simple_graph(G, weight)
    dist, origin, _ = cutoff_search(G, list(dict.fromkeys(sources)), cutoff, weight)
    return dist, origin


def fastest_routes(
    G: nx.Graph, origin: Any, cutoff: float = math.inf, *, weight: str = S.MINUTES
) -> tuple[dict[Any, float], dict[Any, Any]]:
    """Return the fastest minutes from ``origin``, and each node's predecessor.

    Minutes to every node within ``cutoff``, and the node before each on its fastest route (``None``
    for the origin).

    Follow the predecessors back to the origin to get a route. Places that are ends only are
    never passed through, as in :func:`nearest_origin_dijkstra`.

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    origin : node
        The origin.
    cutoff : float, default inf
        The largest minutes searched.
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    tuple of (dict, dict)
        Minutes by node, and the node before each on its route.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"minutes": 10}), ("b", "c", {"minutes": 10})])
    >>> fastest_routes(G, "a")
    ({'a': 0.0, 'b': 10.0, 'c': 20.0}, {'a': None, 'b': 'a', 'c': 'b'})
    """
    G = simple_graph(G, weight)
    if origin not in G:
        raise UnknownPlaceError(origin)
    dist, _, parent = cutoff_search(G, [origin], cutoff, weight)
    return dist, parent


def _totals(G: nx.Graph) -> tuple[float, float]:
    ps = places(G)
    pop = sum(v for n in ps if not math.isnan(v := float(G.nodes[n].get("population", math.nan))))
    gdp = sum(v for n in ps if not math.isnan(v := float(G.nodes[n].get("gdp_cny_bn", math.nan))))
    return pop, gdp


def reach_summary(
    G: nx.Graph, origins: str | Sequence[str], hours: float, *, weight: str = S.MINUTES
) -> pd.DataFrame:
    """Return one row summarising what ``origins`` reach within ``hours``.

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    origins : str or sequence of str
        The origin node id(s).
    hours : float
        The time budget in hours (a place at exactly the limit is reached).
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    DataFrame
        One row indexed by ``hours``; columns ``places`` (count, origins included),
        ``population`` (persons reached, known values only; NaN when none is known),
        ``population_share`` (of the known population of all places in ``G``), ``gdp_cny_bn``,
        ``gdp_share``, and
        ``population_unknown`` / ``gdp_unknown``: the reached places whose value is unknown
        (``;``-joined ids, empty when none).

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> s = reach_summary(rail_graph(toy_dataset()), "A", 0.5)
    >>> s[["places", "population", "population_share", "gdp_unknown"]].to_dict("records")
    [{'places': 3, 'population': 6000.0, 'population_share': 0.6, 'gdp_unknown': 'C'}]
    """
    return reach_bands(G, origins, [hours], weight=weight)


def reach_bands(
    G: nx.Graph,
    origins: str | Sequence[str],
    bands: Iterable[float] = DEFAULT_BANDS_HOURS,
    *,
    weight: str = S.MINUTES,
) -> pd.DataFrame:
    """Return :func:`reach_summary` rows for several thresholds (default 1, 2 and 3 hours).

    Each band is cumulative: the 1-hour row counts every place within one hour.

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    origins : str or sequence of str
        The origin node id(s).
    bands : iterable of float, default (1, 2, 3)
        The thresholds in hours.
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    pandas.DataFrame
        One :func:`reach_summary` row per band, indexed by ``hours``.

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> reach_bands(rail_graph(toy_dataset()), "A")["places"].tolist()
    [3, 4, 4]
    """
    hours_list = sorted({check_hours(h, "bands") for h in bands})
    if not hours_list:
        raise ValueError("bands must hold at least one number of hours")
    G = simple_graph(G, weight)
    pop_total, gdp_total = _totals(G)
    widest = reach(G, origins, hours_list[-1], weight=weight)
    # places only: an origin station of no place is listed by reach, not counted as a place
    kinds = S.place_kinds(d.get("kind") for d in G._node.values())
    widest = widest[[G._node[n].get("kind") in kinds for n in widest.index]]
    rows = []
    for h in hours_list:
        r = widest[widest["minutes"] <= minutes_limit(h)]
        # a sum of unknowns is unknown (NaN), not 0
        pop, gdp = r["population"].sum(min_count=1), r["gdp_cny_bn"].sum(min_count=1)
        rows.append(
            {
                "hours": h,
                "places": len(r),
                "population": float(pop),
                "population_share": float(pop / pop_total) if pop_total else math.nan,
                "gdp_cny_bn": float(gdp),
                "gdp_share": float(gdp / gdp_total) if gdp_total else math.nan,
                "population_unknown": ";".join(r.index[r["population"].isna()]),
                "gdp_unknown": ";".join(r.index[r["gdp_cny_bn"].isna()]),
            }
        )
    return pd.DataFrame(rows).set_index("hours")
