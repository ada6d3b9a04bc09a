"""Build the network layers of a dataset: rail, cooperation and place-sector.

The layers are never mixed in one weighted computation: only the rail layer carries ``minutes``,
and :func:`check_weights` makes sure every edge has a finite weight of 0 or more before any weighted
algorithm runs (NetworkX would silently take a missing weight as 1).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pandas as pd

from .. import schema as S
from ..dataset.core import Dataset
from ..dataset.network_files import ride_on_track
from ..errors import GraphValidationError, UnsupportedGraphError
from .access import (
    ENDS,
    LABEL_KEYS,
    AccessRule,
    asked_metadata,
    check_year,
    describe_network,
    open_in,
    retime_access,
)
from .arrays import per_day

__all__ = [
    "check_weights",
    "cooperation_graph",
    "is_two_level",
    "multilayer_graph",
    "network_label",
    "rail_graph",
    "sector_graph",
    "simple_graph",
    "with_access",
    "with_year",
]


def _records(df: pd.DataFrame, index: bool = False) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Yield ``(index, row as a dict of Python values)`` for every row of ``df``.

    As ``iterrows`` or ``to_dict("records")`` give them, column by column: iterating text held
    in Arrow arrays one value at a time took most of the graph's build (0.4 s for
    cn-rail-2021).
    """
    names = [str(c) for c in df.columns]
    # one str object per distinct text (lines, modes, statuses and sources repeat on every
    # link): 125,000 links held 160 MiB of graph with a copy per row
    memo: dict[str, str] = {}
    columns = [
        [memo.setdefault(v, v) if isinstance(v, str) else v for v in df[c].astype(object)]
        for c in df.columns
    ]
    keys = df.index.tolist() if index else [None] * len(df)
    rows = zip(*columns, strict=True) if columns else iter([()] * len(df))
    for key, values in zip(keys, rows, strict=True):
        yield key, dict(zip(names, values, strict=True))


NETWORKS = tuple(S.NETWORK_KINDS)


def rail_graph(
    dataset: Dataset,
    *,
    include_planned: bool = False,
    network: str = "service",
    minutes: str = S.MINUTES,
    time: str = "in-vehicle",
    ends: str | None = None,
    access: AccessRule | None = None,
    year: int | None = None,
) -> nx.Graph:
    """Return the rail layer: nodes and links as edges weighted in minutes.

    Parameters
    ----------
    dataset : Dataset
        From :func:`~belt_graph.load_dataset`.
    include_planned : bool, default False
        Also add links whose status is ``planned`` (links ``closed`` are always left out).
    network : {"service", "track"}, default "service"
        Which links: ``service`` every link (travel times use it: the fastest train between two
        stations, express or not, and the changes of station); ``track`` the physical network
        only (adjacent stations of each line, changes of station and access links), for
        structural measures. A dataset whose links have no ``kind`` gives both the same graph.
    minutes : str, default "minutes"
        The links column holding the weight, e.g. ``"minutes_2020"`` for the network of an
        earlier year: links with that column empty are left out.
    time : {"in-vehicle", "expected"}, default "in-vehicle"
        What journeys on a network of services count (the graph attribute ``time``):
        ``expected`` adds to each boarding the expected wait for its train, from the link's
        ``trains_per_day`` (see :data:`~belt_graph.schema.SERVICE_DAY_MINUTES`).
    ends : {"door", "stations"}, optional
        What the access links between a place and its stations count: ``door`` to door (their
        minutes: access from the place's reference point to the station, and egress at the
        other end), or ``stations``: nothing, so that a place is reached at any of its
        stations and place-to-place minutes are station to station. Default: the dataset's
        (``door``, unless :func:`with_access` made it ``stations``).
    access : AccessRule, optional
        Time again every access link the rule times (``method`` ``rule``) by this rule
        (:class:`~belt_graph.network.access.AccessRule`), from the great-circle distance
        between the place's reference point and the station; a link a source times keeps its
        minutes. Default: the dataset's own minutes.
    year : int, optional
        The network as it ran at the end of ``year``: links whose ``opened`` is later are left
        out (a service link is dated by the lines its train rides, so those trains go too).
        Links with no ``opened`` count in every year. The minutes are the dataset's own.

    Returns
    -------
    networkx.Graph
        Node attributes: every column of ``nodes.csv`` (``name``, ``kind``, ``lat``, ``lon``,
        ``population``, ``gdp_cny_bn``, ``place`` ...) and ``transit``: False for a place with
        stations, which a route may start or end at but never pass through (so two stations of
        one place are joined only by their change-of-station link, never for free through the
        place). Edge attributes: ``minutes`` (the fastest of the parallel links joining the
        pair), its ``kind``, ``line``, ``mode``, ``status``, ``confidence``, ``data_year`` and
        ``source_ref``, and ``routes``: a tuple of ``(line, mode, minutes, kind, train,
        trains_per_day)`` for every parallel link (``train``: the link's ``fastest_train``;
        where links.csv has no such column, a service's line; else empty; ``trains_per_day``:
        NaN where unknown), fastest first (the commute search uses
        it to change lines). Graph attributes ``network``, ``minutes``, ``time``, ``ends``
        and ``meta`` (the dataset's ``network_year``, ``network_by_year``, ``ends`` and
        ``access_rule``: what :func:`network_label` says of it) say what it was built from.

    Examples
    --------
    >>> from belt_graph import toy_dataset
    >>> G = rail_graph(toy_dataset())
    >>> G.number_of_nodes(), G.number_of_edges(), G.edges["A", "B"]["minutes"]
    (5, 5, 20.0)
    """
    if network not in S.NETWORK_KINDS:
        raise ValueError(f"network must be one of {', '.join(NETWORKS)}, got {network!r}")
    if minutes not in dataset.links.columns:
        raise ValueError(f"links.csv has no column {minutes!r}")
    if time not in S.TIMES:
        raise ValueError(f"time must be one of {', '.join(S.TIMES)}, got {time!r}")
    if ends is not None and ends not in ENDS:
        raise ValueError(f"ends must be one of {', '.join(ENDS)}, got {ends!r}")
    if year is not None:
        dataset = with_year(dataset, year)
    if (ends is not None and ends != "door") or access is not None:
        dataset = with_access(dataset, access, ends=ends or "door")
    G = nx.Graph(
        name=dataset.name,
        layer="rail",
        network=network,
        minutes=minutes,
        time=time,
        ends=dataset.metadata.get("ends", "door"),
        meta={k: v for k, v in dataset.metadata.items() if k in LABEL_KEYS},
    )
    G.graph[S.RIDE_ON_TRACK] = rides_on_track(dataset)
    owners = set(dataset.nodes[S.PLACE]) - {""} if S.PLACE in dataset.nodes else set()
    for node_id, attrs in _records(dataset.nodes, index=True):
        attrs.pop("id", None)
        attrs[S.TRANSIT] = str(node_id) not in owners
        G.add_node(str(node_id), **attrs)
    allowed = {"open", "planned"} if include_planned else {"open"}
    links = dataset.links[dataset.links["status"].isin(allowed)]
    kinds = links["kind"] if "kind" in links else pd.Series("", index=links.index)
    links = links[kinds.isin(S.NETWORK_KINDS[network]) & links[minutes].notna()]
    links = links.sort_values([minutes, S.LINE], kind="stable")
    named_trains = "fastest_train" in links.columns
    for _, rec in _records(links):
        u, v = str(rec["source"]), str(rec["target"])
        kind = str(rec.get(S.KIND, "") or "")
        train = rec.get("fastest_train")
        train = "" if train is None or (isinstance(train, float) and math.isnan(train)) else train
        if not named_trains and kind == "service":
            train = rec[S.LINE]  # no fastest_train column: a service's line is its train
        # trains per day, both ways; an imported feed counts the trips of the day instead
        per = per_day(rec.get("trains_per_day", rec.get("trips")))
        route = (str(rec[S.LINE]), str(rec[S.MODE]), float(rec[minutes]), kind, str(train), per)
        if G.has_edge(u, v):
            G.edges[u, v]["routes"] = (*G.edges[u, v]["routes"], route)
            continue
        attrs = {
            k: rec[k]
            for k in ("line", "mode", "status", "confidence", "source_ref", "data_year")
            if k in rec
        }
        G.add_edge(u, v, minutes=float(rec[minutes]), routes=(route,), kind=kind, **attrs)
    check_weights(G)
    return G


def with_year(dataset: Dataset, year: int) -> Dataset:
    """Return the dataset with the network as it ran at the end of ``year``.

    Links whose ``opened`` is later are left out: lines, the trains that ride them (a service
    link is dated by the lines its train rides), changes of station and access links of
    stations that had no train yet. Links with no ``opened`` count in every year. The minutes
    are the dataset's own (its timetables of today, on the lines open then). ``metadata``'s
    ``network_year`` says which year it is.

    Parameters
    ----------
    dataset : Dataset
        A dataset whose links carry ``opened``.
    year : int
        The year, at most the dataset's own ``network_year`` (a planned line is a scenario).

    Returns
    -------
    Dataset
        A new dataset; the input is not changed.

    Raises
    ------
    ValueError
        If ``year`` is not a whole year from 1825 to 2100, or after the dataset's network.

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> ds = load_dataset()
    >>> len(with_year(ds, 2019).links) < len(ds.links)
    True
    """
    check_year(dataset.metadata, year)
    links = dataset.links
    if S.OPENED in links.columns:
        links = links[[open_in({S.OPENED: v}, year) for v in links[S.OPENED].tolist()]]
    meta = asked_metadata(dataset.metadata, year=year)
    return dataclasses.replace(dataset, links=links.reset_index(drop=True), metadata=meta)


def with_access(dataset: Dataset, rule: AccessRule | None = None, *, ends: str = "door") -> Dataset:
    """Return the dataset with its access links timed for ``ends`` and ``rule``.

    ``ends="stations"``: every access link takes 0 minutes, so that place-to-place answers
    are station to station (a place is reached at any of its stations). ``rule``: every access
    link timed by the rule (``method`` ``rule``) is timed again by this one, from the
    great-circle distance between the place's reference point and the station (see
    :class:`~belt_graph.network.access.AccessRule`); those a source times keep their minutes.
    ``metadata`` keeps what was asked (``ends``, ``access_rule``).

    Parameters
    ----------
    dataset : Dataset
        Any dataset (one without access links comes back as it is).
    rule : AccessRule, optional
        The door-to-door rule to time access links by (default: their own minutes).
    ends : {"door", "stations"}, default "door"
        Door to door, or station to station.

    Returns
    -------
    Dataset
        A new dataset; the input is not changed.

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> ds = with_access(load_dataset(), ends="stations")
    >>> float(ds.links.loc[ds.links["kind"] == "access", "minutes"].max())
    0.0
    """
    if ends not in ENDS:
        raise ValueError(f"ends must be one of {', '.join(ENDS)}, got {ends!r}")
    meta = asked_metadata(dataset.metadata, ends=ends, rule=rule)
    links = dataset.links
    if (ends != "door" or rule is not None) and S.KIND in links.columns:
        access = links.index[links[S.KIND] == "access"]
        rows = [dict(links.loc[i]) for i in access]
        timed = [
            float(r[S.MINUTES])
            for r in retime_access(rows, node_positions(dataset.nodes), ends=ends, rule=rule)
        ]
        links = links.copy()
        # every year's minutes of an access link (minutes, minutes_2020 ...) where it has them
        for col in [c for c in links.columns if c == S.MINUTES or c.startswith("minutes_")]:
            have = links.loc[access, col].notna().to_numpy()
            links.loc[access[have], col] = [m for m, h in zip(timed, have, strict=True) if h]
    return dataclasses.replace(dataset, links=links, metadata=meta)


def network_label(dataset: Dataset | nx.Graph, *, ends: bool = True) -> str:
    """Return what a dataset's (or a graph's) answers describe: which year, which ends.

    For a note under an answer (:func:`~belt_graph.network.access.describe_network`).

    Parameters
    ----------
    dataset : Dataset or networkx.Graph
        A dataset (its ``metadata``), or a graph of :func:`rail_graph` (its ``meta``).
    ends : bool, default True
        Also say what place-to-place minutes count (door to door, or station to station).

    Returns
    -------
    str
        ``network at the end of 2019 (lines opened by then, timed by today's trains); door to
        door (...)``; empty for a dataset that says nothing of its year, without ``ends``.

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> network_label(with_year(load_dataset(), 2019), ends=False)
    "network at the end of 2019 (lines opened by then, timed by today's trains)"
    """
    meta = dataset.metadata if isinstance(dataset, Dataset) else dataset.graph.get("meta", {})
    return describe_network(meta, ends=ends)


def node_positions(nodes: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Return each node's (lat, lon), NaN where unknown (for the access rule's distances)."""
    lat = pd.to_numeric(nodes["lat"], errors="coerce").tolist()
    lon = pd.to_numeric(nodes["lon"], errors="coerce").tolist()
    return {str(n): (a, b) for n, a, b in zip(nodes.index, lat, lon, strict=True)}


def rides_on_track(dataset: Dataset) -> bool:
    """Return whether riding on along one line's track is one ride.

    ``metadata.csv``'s ``ride_on_track``; a feed imported before that key (it names a
    ``source_feed``) too.
    """
    return ride_on_track(dataset.metadata or {})


def check_weights(G: nx.Graph, weight: str = S.MINUTES) -> None:
    """Raise unless every edge of ``G`` has a finite ``weight`` of 0 or more.

    A link of 0 minutes is allowed (two ids for one station, an access link of a place that
    routes never pass through); shortest paths and betweenness count it as in
    :func:`~belt_graph.betweenness`.

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Raises
    ------
    GraphValidationError
        Naming the first offending edge and the attribute.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> check_weights(G)
    Traceback (most recent call last):
    ...
    belt_graph.errors.GraphValidationError: edge ('a', 'b'): attribute 'minutes' must be a \
finite number of 0 or more, got None
    """
    for u, v, data in G.edges(data=True):
        value = data.get(weight)
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise GraphValidationError(u, v, weight, value)


def is_two_level(G: nx.Graph) -> bool:
    """Whether ``G`` has places that routes never pass through (stations under places)."""
    return any(t is False for _, t in G.nodes(data=S.TRANSIT))


def simple_graph(G: nx.Graph, weight: str = S.MINUTES) -> nx.Graph:
    """Return ``G`` as an undirected graph with one edge per pair, for the weighted analyses.

    A plain ``Graph`` is returned as it is. A ``MultiGraph`` (parallel edges built by hand)
    becomes a ``Graph`` that keeps, for each pair, the fastest parallel edge (its attributes)
    and, in ``routes``, every parallel edge's ``(line, mode, minutes)``, fastest first: the
    same as :func:`rail_graph` does with parallel links. The input is not changed.

    Parameters
    ----------
    G : networkx.Graph or networkx.MultiGraph
        Any undirected graph.
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    networkx.Graph
        ``G`` itself when it is a ``Graph``, else a new ``Graph``.

    Raises
    ------
    UnsupportedGraphError
        If ``G`` is directed: rail links run both ways, and closeness, reach and betweenness
        here are defined on undirected networks (use ``G.to_undirected()``).
    GraphValidationError
        If a parallel edge lacks a finite ``weight`` of 0 or more.

    Examples
    --------
    >>> M = nx.MultiGraph()
    >>> _ = M.add_edge("a", "b", minutes=100, line="slow")
    >>> _ = M.add_edge("a", "b", minutes=10, line="fast")
    >>> simple_graph(M).edges["a", "b"]["minutes"]
    10
    """
    if G.is_directed():
        raise UnsupportedGraphError(
            f"{type(G).__name__} is directed; belt_graph's analyses take undirected networks "
            "(rail links run both ways): pass G.to_undirected()"
        )
    if not G.is_multigraph():
        return G
    H = nx.Graph(**G.graph)
    H.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        value = data.get(weight)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise GraphValidationError(u, v, weight, value)
        route = (
            str(data.get(S.LINE, "")),
            str(data.get(S.MODE, "")),
            float(value),
            str(data.get(S.KIND, "")),
            str(data.get("fastest_train", "") or ""),
            per_day(data.get("trains_per_day")),
        )
        if H.has_edge(u, v):
            old = H.edges[u, v]
            routes = tuple(sorted((*old["routes"], route), key=lambda r: r[2]))
            if value < old[weight]:
                H.remove_edge(u, v)
                H.add_edge(u, v, **{**data, "routes": routes})
            else:
                old["routes"] = routes
        else:
            H.add_edge(u, v, **{**data, "routes": (route,)})
    return H


def cooperation_graph(dataset: Dataset) -> nx.Graph:
    """Return the cooperation layer: every place, an edge per signed partnership.

    Edge attributes: ``signed_on`` (may be empty), ``signed_from``/``signed_to`` when given,
    ``focus`` (a ``;``-separated string) and ``source_ref``. No weights: analyses of this layer
    are unweighted.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).

    Returns
    -------
    networkx.Graph
        Places joined by their partnerships (edge attributes from ``partnerships.csv``).

    Examples
    --------
    >>> from belt_graph import toy_dataset
    >>> sorted(cooperation_graph(toy_dataset()).edges())
    [('A', 'B'), ('A', 'C')]
    """
    G = nx.Graph(name=dataset.name, layer="cooperation")
    places = dataset.nodes[dataset.nodes["kind"].isin(S.place_kinds(dataset.nodes["kind"]))]
    for node_id, attrs in _records(places, index=True):
        attrs.pop("id", None)
        G.add_node(str(node_id), **attrs)
    for rec in dataset.partnerships.to_dict("records"):
        attrs = {k: v for k, v in rec.items() if k not in ("source", "target")}
        G.add_edge(str(rec["source"]), str(rec["target"]), **attrs)
    return G


def sector_graph(dataset: Dataset) -> nx.Graph:
    """Return the bipartite place-sector layer.

    Place nodes have ``bipartite=0`` and ``node_type="place"``; sector nodes are named
    ``"sector:<canonical name>"`` with ``bipartite=1``, ``node_type="sector"``, ``sector`` and
    ``family``. An edge joins a place to each of its canonical sectors, with ``evidence`` and
    ``sector_raw`` (the source's own words, ``;``-joined when several map to one sector).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).

    Returns
    -------
    networkx.Graph
        Bipartite: places joined to their sectors (``kind`` ``sector``).

    Examples
    --------
    >>> from belt_graph import toy_dataset
    >>> B = sector_graph(toy_dataset())
    >>> sorted(n for n, d in B.nodes(data="node_type") if d == "sector")
    ['sector:batteries', 'sector:chips', 'sector:software', 'sector:solar']
    """
    B = nx.Graph(name=dataset.name, layer="sector")
    for node_id, row in dataset.nodes[
        dataset.nodes["kind"].isin(S.place_kinds(dataset.nodes["kind"]))
    ].iterrows():
        B.add_node(str(node_id), bipartite=0, node_type="place", name=row.get("name", node_id))
    for rec in dataset.sectors.to_dict("records"):
        s = f"sector:{rec['sector']}"
        B.add_node(
            s,
            bipartite=1,
            node_type="sector",
            sector=rec["sector"],
            family=rec["family"],
            scope=str(rec.get("scope") or "sector"),
        )
        place = str(rec["node"])
        if B.has_edge(place, s):
            edge = B.edges[place, s]
            for key in ("evidence", "sector_raw"):
                parts = [*str(edge[key]).split(";"), str(rec[key])]
                edge[key] = ";".join(dict.fromkeys(parts))
        else:
            B.add_edge(place, s, evidence=rec["evidence"], sector_raw=rec["sector_raw"])
    return B


def multilayer_graph(dataset: Dataset, *, include_planned: bool = True) -> nx.MultiGraph:
    """Return the rail, cooperation and sector layers in one MultiGraph, for export and drawing.

    Every edge has a ``layer`` attribute (``rail``, ``cooperation``, ``sector``). Do not run
    weighted algorithms on it: only rail edges carry ``minutes``.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    include_planned : bool, default True
        Include planned links (``status`` ``planned``).

    Returns
    -------
    networkx.MultiGraph
        A new graph with a ``layer`` on every edge.

    Examples
    --------
    >>> from belt_graph import toy_dataset
    >>> M = multilayer_graph(toy_dataset())
    >>> sorted({layer for _, _, layer in M.edges(data="layer")})
    ['cooperation', 'rail', 'sector']
    """
    M = nx.MultiGraph(name=dataset.name)
    R = rail_graph(dataset, include_planned=include_planned)
    M.add_nodes_from(R.nodes(data=True))
    for u, v, d in R.edges(data=True):
        M.add_edge(u, v, layer="rail", **{k: x for k, x in d.items() if k != "routes"})
    for u, v, d in cooperation_graph(dataset).edges(data=True):
        M.add_edge(u, v, layer="cooperation", **d)
    B = sector_graph(dataset)
    for n, d in B.nodes(data=True):
        if d.get("node_type") == "sector":
            M.add_node(n, kind="sector", name=d["sector"], family=d["family"])
    for u, v, d in B.edges(data=True):
        M.add_edge(u, v, layer="sector", **d)
    return M
