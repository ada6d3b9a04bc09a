"""Which track link would hurt the network most: each one closed, with every train that rides it.

A *track link* is a row of kind ``track`` or ``section`` (physical track between adjacent
stations). Closing one closes the trains that ride it: a service link (one train's ride
between two of its stops) rides the fastest track path between its stops on its own
railways (:func:`trains_on_track`). :func:`close_track` gives that network as a dataset (the
CLI's ``--close A-B``); :func:`criticality` ranks every track link (or station, or line) by
what closing it costs the places, exactly and without searching again what cannot change:

1. one search from every place on the journey graph of the base network
   (:mod:`belt_graph.network.journeys`), with its tree of fastest journeys;
2. for each closure, the entries of the journey graph that get slower or go (the rides of
   the closed links; every entry at a closed station);
3. only the places whose tree uses one of them on the way to another place are searched
   again, on the journey graph with those entries changed; the others' minutes cannot change,
   because the closure only removes links and no journey gets faster.

The loss of a closure (one row) weighs each ordered pair of distinct places reachable before
by the product of their populations (``loss``) or GDPs (``gdp_loss``)::

    loss = sum_ij P_i P_j (min(t'_ij, H) - min(t_ij, H)) / sum_ij P_i P_j

with ``t`` the fastest minutes before, ``t'`` after (``inf`` where cut off) and ``H`` the
horizon (:data:`HORIZON_MINUTES`, 6 h): a pair cut off, or pushed past 6 h, counts as 6 h.
Issue 38 wrote ``min(t', H) - t``; for a pair already over 6 h apart that is negative though
nothing changed (half of cn-rail-2023's pairs), so ``t`` is capped too. ``person_hours`` uses
the demand proxy of :func:`~belt_graph.equity.daily_trips` (an assumption, labelled so).
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from .dataset.core import Dataset
from .equity import daily_trips
from .errors import BeltGraphError
from .network import check_weights, rail_graph, simple_graph
from .network.journeys import JourneyGraph, edge_routes, has_services, journey_graph
from .network.paths import Progress, places

__all__ = [
    "HORIZON_MINUTES",
    "close_track",
    "closure_loss",
    "criticality",
    "graph_dataset",
    "track_links",
    "trains_on_track",
]

#: Past this many minutes a pair counts as cut off (6 h: no day trip; see the module docstring).
HORIZON_MINUTES = 360.0

#: A train's path over track prefers its own railways: track of another railway counts this
#: many times its minutes when the path is chosen (never in any answer's minutes).
OTHER_RAILWAY_FACTOR = 3.0

TRACK_KINDS = frozenset({"track", "section"})
RIDE_KINDS = frozenset({"track", "service", ""})
BY = ("link", "station", "line")

#: Columns of :func:`criticality` (``by="link"``; ``station`` and ``line`` rows lead with
#: their own key instead of ``source``, ``target``, their names, ``line`` and ``kind``).
COLUMNS = [
    "loss",
    "gdp_loss",
    "extra_minutes",
    "disconnected",
    "person_hours",
    "pair_share",
    "trains",
]


# --- the track a train rides -------------------------------------------------------------------


def _open_links(ds: Dataset) -> pd.DataFrame:
    links = ds.links[ds.links["status"] == "open"]
    kinds = links[S.KIND] if S.KIND in links else pd.Series("", index=links.index)
    return links.assign(_kind=kinds.fillna("").astype(str))


def track_links(ds: Dataset) -> pd.DataFrame:
    """Return the open track links of ``ds`` (kinds ``track`` and ``section``), one row each.

    Indexed by the row of ``ds.links``; columns ``source``, ``target``, their ``source_name``
    and ``target_name``, ``line``, ``kind`` and ``minutes``. A dataset whose links carry no
    kind has every open rail link as track.
    """
    links = _open_links(ds)
    if (links["_kind"] == "").all():
        track = links[links[S.MODE].astype(str) != "access"] if S.MODE in links else links
    else:
        track = links[links["_kind"].isin(TRACK_KINDS)]
    names = ds.nodes["name"] if "name" in ds.nodes else pd.Series(dtype=str)
    out = pd.DataFrame(
        {
            "source": track["source"].astype(str),
            "target": track["target"].astype(str),
            "line": track[S.LINE].astype(str) if S.LINE in track else "",
            "kind": track["_kind"].replace("", "track"),
            "minutes": track[S.MINUTES].astype(float),
        },
        index=track.index,
    )
    out.insert(2, "source_name", out["source"].map(names).fillna(out["source"]))
    out.insert(3, "target_name", out["target"].map(names).fillna(out["target"]))
    return out


def _railways(named: Any, line: Any) -> frozenset[str]:
    """Return the railways a link runs on: its ``railways`` (;-separated), else its line."""
    parts = [p.strip() for p in str(named or "").split(";") if p.strip()]
    return frozenset(parts or [str(line)])


def _railways_of(links: pd.DataFrame) -> list[frozenset[str]]:
    named = links["railways"] if "railways" in links else pd.Series("", index=links.index)
    lines = links[S.LINE] if S.LINE in links else pd.Series("", index=links.index)
    cache: dict[tuple[str, str], frozenset[str]] = {}
    out = []
    for r, line in zip(named.fillna("").astype(str), lines.fillna("").astype(str), strict=True):
        key = (r, line)
        if key not in cache:
            cache[key] = _railways(r, line)
        out.append(cache[key])
    return out


def trains_on_track(ds: Dataset) -> pd.DataFrame:
    """Return the track links each train rides: one row per (ride link, track link) pair.

    A ride link (kind ``service``: one train's ride between two of its stops) rides the
    fastest path over the open track links between its two stops, where track of another
    railway than the train's own (its ``railways``, else its ``line``: the service class on
    the national datasets) counts :data:`OTHER_RAILWAY_FACTOR` times its minutes. A track link
    that trains ride between adjacent stops rides itself. Columns: ``ride`` and ``track`` (rows
    of ``ds.links``), ``ride_minutes`` (the ride's own minutes) and ``track_minutes`` (the sum
    over its path: running time without the dwell at the stops it calls at on the way). A ride
    whose stops no track joins is not in the table (no closure of track reaches it).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset whose links have kinds (``track``, ``section``, ``service``).

    Returns
    -------
    pandas.DataFrame
        Columns ``ride``, ``track``, ``ride_minutes``, ``track_minutes``.
    """
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import dijkstra

    links = _open_links(ds)
    track = track_links(ds)
    stations = sorted(set(track["source"]) | set(track["target"]))
    at = {s: i for i, s in enumerate(stations)}
    n = len(stations)
    rails = dict(zip(track.index, _railways_of(links.loc[track.index]), strict=True))
    rides = links[(links["_kind"] == "service") & links[S.MINUTES].notna()]
    rides = rides[rides["source"].astype(str).isin(at) & rides["target"].astype(str).isin(at)]
    own_track = track[track["kind"] == "track"]
    parts = [
        pd.DataFrame(
            {
                "ride": own_track.index.to_numpy(dtype=np.int64),
                "track": own_track.index.to_numpy(dtype=np.int64),
                "ride_minutes": own_track["minutes"].to_numpy(dtype=float),
                "track_minutes": own_track["minutes"].to_numpy(dtype=float),
            }
        )
    ]
    keys = _railways_of(rides)
    groups: dict[frozenset[str], list[int]] = defaultdict(list)
    for k, key in enumerate(keys):
        groups[key].append(k)
    tu = track["source"].map(at).to_numpy(dtype=np.int64)
    tv = track["target"].map(at).to_numpy(dtype=np.int64)
    tm = track["minutes"].to_numpy(dtype=float)
    tidx = track.index.to_numpy(dtype=np.int64)
    lo, hi = np.minimum(tu, tv), np.maximum(tu, tv)
    r_u = rides["source"].astype(str).map(at).to_numpy(dtype=np.int64)
    r_v = rides["target"].astype(str).map(at).to_numpy(dtype=np.int64)
    r_idx = rides.index.to_numpy(dtype=np.int64)
    r_min = rides[S.MINUTES].to_numpy(dtype=float)
    for railways, members_list in groups.items():
        members = np.asarray(members_list, dtype=np.int64)
        own = np.array([bool(rails[i] & railways) for i in tidx], dtype=bool)
        cost = np.where(own, tm, tm * OTHER_RAILWAY_FACTOR)
        # the best track row of each station pair for this group (parallel rows of two lines)
        order = np.lexsort((cost, hi, lo))
        first = np.ones(len(order), dtype=bool)
        first[1:] = (lo[order][1:] != lo[order][:-1]) | (hi[order][1:] != hi[order][:-1])
        pick = order[first]
        pair_key = lo[pick] * n + hi[pick]  # sorted, one per station pair
        A = csr_array(
            (np.r_[cost[pick], cost[pick]], (np.r_[lo[pick], hi[pick]], np.r_[hi[pick], lo[pick]])),
            shape=(n, n),
        )
        starts, start_row = np.unique(r_u[members], return_inverse=True)
        _, pred = dijkstra(A, directed=True, indices=starts, return_predecessors=True)
        # walk every ride of the group back from its end to its start at once
        ride = members.copy()
        cur = r_v[members]
        srow = start_row.reshape(-1)
        goal = r_u[members]
        live = cur != goal
        got_ride, got_track = [], []
        for _ in range(n):
            if not live.any():
                break
            prev = pred[srow[live], cur[live]]
            cut = prev < 0
            if cut.any():  # no track joins this ride's stops
                dead = np.flatnonzero(live)[cut]
                live[dead] = False
                ride[dead] = -1
                prev = prev[~cut]
            here = cur[live]
            k = np.searchsorted(pair_key, np.minimum(here, prev) * n + np.maximum(here, prev))
            got_ride.append(np.flatnonzero(live))
            got_track.append(tidx[pick[k]])
            cur[live] = prev
            live &= cur != goal
        if not got_ride:
            continue
        which = np.concatenate(got_ride)
        on = np.concatenate(got_track)
        keep = ride[which] >= 0  # rides cut off part way drop out whole
        which, on = which[keep], on[keep]
        frame = pd.DataFrame(
            {
                "ride": r_idx[members[which]],
                "track": on,
                "ride_minutes": r_min[members[which]],
            }
        )
        frame["track_minutes"] = (
            pd.Series(track.loc[on, "minutes"].to_numpy(dtype=float))
            .groupby(frame["ride"].to_numpy())
            .transform("sum")
            .to_numpy()
        )
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["ride", "track"], kind="stable").reset_index(drop=True)


def _closed_rows(
    ds: Dataset, track: pd.DataFrame, on_track: pd.DataFrame, chosen: Iterable[Any]
) -> set[int]:
    """Return the rows of ``ds.links`` that closing the track rows ``chosen`` removes."""
    chosen = set(chosen)
    riders = on_track.loc[on_track["track"].isin(chosen), "ride"]
    return {int(i) for i in chosen} | {int(i) for i in riders}


def close_track(ds: Dataset, pairs: Sequence[tuple[str, str]]) -> Dataset:
    """Return ``ds`` with the track between each pair closed, and every train that rides it.

    Each pair names two stations (ids, or names as the commands take them) joined by a track
    link; every track link between them is closed (of any line), with every service link that
    rides it (:func:`trains_on_track`). Nothing else changes: a scenario with no file.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    pairs : sequence of (str, str)
        The station ids at the two ends of each track link to close.

    Returns
    -------
    Dataset
        A new dataset without those links and their trains.

    Raises
    ------
    BeltGraphError
        If a pair is not joined by an open track link (the message names the pair).
    """
    track = track_links(ds)
    on_track = trains_on_track(ds)
    chosen: list[int] = []
    wrong: list[str] = []
    for a, b in pairs:
        hit = track[
            ((track["source"] == a) & (track["target"] == b))
            | ((track["source"] == b) & (track["target"] == a))
        ]
        if hit.empty:
            wrong.append(f"{a}-{b}")
        chosen.extend(int(i) for i in hit.index)
    if wrong:
        raise BeltGraphError(
            f"no open track link joins {', '.join(wrong)} in {ds.name} (see `belt-graph "
            "criticality` for the track links)"
        )
    drop = _closed_rows(ds, track, on_track, chosen)
    return ds.with_links(ds.links.drop(index=sorted(drop)))


# --- the demand proxy and the loss -------------------------------------------------------------


@dataclass(frozen=True)
class _Weights:
    pop: np.ndarray  # P_i P_j over ordered pairs of distinct places, 0 where unknown
    gdp: np.ndarray
    trips: np.ndarray  # the demand proxy's trips a day, i to j


def closure_loss(
    before: np.ndarray,
    after: np.ndarray,
    weights: np.ndarray,
    *,
    horizon: float = HORIZON_MINUTES,
) -> float:
    """Return the weighted mean extra minutes of ``after`` over ``before`` (the module's formula).

    ``before`` and ``after`` are place x place minutes (``inf`` or NaN: unreachable);
    ``weights`` the weight of each ordered pair (``P_i P_j``). Pairs unreachable before, and a
    place to itself, do not count. NaN when no pair with a weight is reachable before.
    """
    t = np.where(np.isnan(before), np.inf, before)
    t2 = np.where(np.isnan(after), np.inf, after)
    ok = np.isfinite(t) & (weights > 0)
    np.fill_diagonal(ok, False)
    W = weights[ok].sum()
    if W <= 0:
        return math.nan
    extra = np.minimum(t2[ok], horizon) - np.minimum(t[ok], horizon)
    return float((weights[ok] * extra).sum() / W)


# --- the ranking --------------------------------------------------------------------------------


@dataclass
class _Base:
    """The base network's journey graph, and the fastest journeys from every place on it."""

    J: JourneyGraph
    rows: np.ndarray  # the ready state of each place
    cols: np.ndarray  # the arrive state of each place
    D: np.ndarray  # minutes from each place to every state
    pred: np.ndarray  # the tree of fastest journeys from each place
    on_path: np.ndarray  # whether a state lies on the tree's way from the place to a place
    reverse: tuple[np.ndarray, np.ndarray, np.ndarray]  # links into each state
    is_target: np.ndarray  # the arrive states of the places


def _base(G: nx.Graph, ids: list[str]) -> _Base:
    from scipy.sparse.csgraph import dijkstra

    from .network.repair import reverse_index

    J = journey_graph(G)
    A = J.matrix
    A.sort_indices()
    rows = np.array([J.ready[p] for p in ids], dtype=np.int64)
    cols = np.array([J.arrive[p] for p in ids], dtype=np.int64)
    D, pred = dijkstra(A, directed=True, indices=rows, return_predecessors=True)
    pred = pred.astype(np.int64)
    n = A.shape[0]
    on = np.zeros((len(ids), n), dtype=bool)
    at = np.broadcast_to(np.arange(len(ids))[:, None], (len(ids), len(ids)))
    cur = np.tile(cols, (len(ids), 1))  # walk back from every place's arrive state at once
    live = np.isfinite(D[at, cur])
    while live.any():
        on[at[live], cur[live]] = True
        nxt = np.where(live, pred[at, cur], -9999)
        live = nxt >= 0
        cur = np.where(live, nxt, 0)
        live &= ~on[at, cur]  # joined a way already marked
    target = np.zeros(n, dtype=bool)
    target[cols] = True
    return _Base(J, rows, cols, D, pred, on, reverse_index(A), target)


def criticality(
    data: Dataset | nx.Graph,
    *,
    by: str = "link",
    horizon: float = HORIZON_MINUTES,
    progress: Progress | None = None,
    graph: nx.Graph | None = None,
) -> pd.DataFrame:
    """Rank the track links (or stations, or lines) by what closing each costs the places.

    Each closure closes the track link(s) and every train that rides them
    (:func:`trains_on_track`); ``by="station"`` closes a station (every link at it, and the
    trains that pass it without stopping); ``by="line"`` every track link of a line. The
    minutes are the dataset's own (door to door where it has places over stations). Exact:
    every row equals the loss of :func:`close_track`'s network searched whole (the tests
    check it), but only the places whose fastest journeys use what is closed are searched
    again, and only over the part of their tree that can change (:mod:`belt_graph.network.repair`).

    Parameters
    ----------
    data : Dataset or networkx.Graph
        A loaded dataset whose links have kinds (``track``, ``service`` ...), or a graph such
        as :func:`~belt_graph.rail_graph` gives (a plain graph weighted in ``minutes``: every
        edge a track link, no trains riding it; :func:`graph_dataset`).
    by : {"link", "station", "line"}, default "link"
        What one row closes.
    horizon : float, default 360
        Minutes past which a pair counts as cut off (:data:`HORIZON_MINUTES`).
    progress : callable, optional
        ``progress(done, total)`` after each closure.
    graph : networkx.Graph, optional
        ``rail_graph(data)``, where the caller has it already (it is not changed).

    Returns
    -------
    pandas.DataFrame
        One row per track link (``source``, ``target``, ``source_name``, ``target_name``,
        ``line``, ``kind``), station (``station``, ``name``) or line (``line``), sorted by
        ``loss``, the largest first: ``loss`` (population-weighted mean extra minutes between
        places, the module's formula; NaN where no population is known), ``gdp_loss``
        (GDP-weighted), ``extra_minutes`` (the same, every pair weighing alike),
        ``disconnected`` (ordered pairs of places reachable before and not after),
        ``person_hours`` (extra hours a day under the demand proxy
        :func:`~belt_graph.equity.daily_trips`, an assumption),
        ``pair_share`` (the share of ordered pairs of places reachable before whose fastest
        journey gets slower: every fastest journey of theirs uses what is closed) and
        ``trains`` (the ride links closed).
        The frame's ``attrs`` say what it counts (``horizon``, ``ends``, ``places``,
        ``weighted_pairs``, ``searched``: the searches from a place run again).

    Raises
    ------
    BeltGraphError
        If ``by`` is not one of ``link``, ``station``, ``line``, or the dataset has no track
        links or no places.
    """
    if by not in BY:
        raise BeltGraphError(f"`by` must be one of {', '.join(BY)} (got {by!r})")
    if not horizon > 0:
        raise BeltGraphError(f"`horizon` must be positive (got {horizon!r})")
    if isinstance(data, nx.Graph):
        data, graph = graph_dataset(data), None
    track = track_links(data)
    if track.empty:
        raise BeltGraphError(
            f"{data.name} has no open track links (links of kind 'track' or 'section'): "
            "nothing to close"
        )
    on_track = trains_on_track(data)
    G = rail_graph(data) if graph is None else graph
    ids = [str(p) for p in places(G)]
    if not has_services(G):
        # no trains: a change costs nothing, as in the plain search (every station a junction)
        G = G.copy()
        for _, d in G.nodes(data=True):
            if d.get(S.TRANSIT, True) is not False:
                d[S.KIND] = "hub"
    if not ids:
        raise BeltGraphError(f"{data.name} has no places: no pair of places to lose time")
    base = _base(G, ids)
    closures, keys = _closures(data, track, on_track, by)
    before = _place_minutes(base.D, base.cols)
    weights = _weights(data, ids, before)
    edges = _Edges(data, base.J)
    out = []
    searched = 0
    for k, (closed, stations) in enumerate(closures):
        after, n = _after(base, edges, closed, stations, before)
        searched += n
        out.append(_row(before, after, weights, horizon, edges.rides(closed)))
        if progress is not None:
            progress(k + 1, len(closures))
    table = pd.concat([keys.reset_index(drop=True), pd.DataFrame(out, columns=COLUMNS)], axis=1)
    table = table.sort_values(
        ["loss", "extra_minutes", "disconnected"], ascending=False, kind="stable"
    )
    table = table.reset_index(drop=True)
    table.attrs.update(
        horizon=horizon,
        ends=str(data.metadata.get("ends", "door")),
        places=len(ids),
        weighted_pairs=int((weights.pop > 0).sum()),
        searched=searched,
    )
    return table


def graph_dataset(G: nx.Graph) -> Dataset:
    """Return a dataset of ``G``'s nodes and edges (one link per route of each edge).

    For the functions of this module on a graph: an edge's ``routes`` (as
    :func:`~belt_graph.rail_graph` gives them) become its links, else the edge is one link of
    its ``kind`` (none: track), ``line``, ``mode`` and ``minutes``. Node attributes become
    columns (``name`` defaults to the id, ``kind`` to ``station``).

    Parameters
    ----------
    G : networkx.Graph
        A graph weighted in ``minutes``.

    Returns
    -------
    Dataset
        Its nodes and links (no sectors, partnerships, scenarios or timetable).
    """
    from .dataset import toy_dataset

    if G.is_directed() or G.is_multigraph():
        G = simple_graph(G)
    check_weights(G)
    nodes = []
    for n, d in G.nodes(data=True):
        row = {k: v for k, v in d.items() if k != S.TRANSIT}
        row.setdefault("name", str(n))
        row.setdefault(S.KIND, "station")
        row.setdefault(S.PLACE, "")
        row.setdefault("lat", math.nan)
        row.setdefault("lon", math.nan)
        row.setdefault("population", math.nan)
        nodes.append({"id": str(n), **row})
    rows = []
    for u, v, d in G.edges(data=True):
        routes: Sequence[Sequence[Any]] = (
            edge_routes(d)
            if d.get("routes")
            else (
                (d.get(S.LINE, ""), d.get(S.MODE, "rail"), d[S.MINUTES], d.get(S.KIND, "") or ""),
            )
        )
        for r in routes:
            kind = str(r[3]) if len(r) > 3 else ""
            rows.append(
                {
                    "source": str(u),
                    "target": str(v),
                    "kind": kind if kind else "track",
                    S.MINUTES: float(r[2]),
                    S.LINE: str(r[0]),
                    S.MODE: str(r[1]) or "rail",
                    "status": "open",
                    "fastest_train": str(r[4]) if len(r) > 4 else "",
                    "trains_per_day": r[5] if len(r) > 5 else math.nan,
                }
            )
    links = pd.DataFrame(
        rows,
        columns=["source", "target", "kind", S.MINUTES, S.LINE, S.MODE, "status",
                 "fastest_train", "trains_per_day"],
    )  # fmt: skip
    template = toy_dataset()
    return dataclasses.replace(
        template,
        path=Path(str(G.graph.get("name") or "graph")),
        nodes=pd.DataFrame(nodes).set_index("id"),
        links=links,
        scenarios={},
        metadata={k: v for k, v in (G.graph.get("meta") or {}).items()},
    )


def _closures(
    ds: Dataset, track: pd.DataFrame, on_track: pd.DataFrame, by: str
) -> tuple[list[tuple[set[int], set[str]]], pd.DataFrame]:
    """Each closure's removed rows of ``ds.links`` and closed stations, with the row keys."""
    riders = on_track.groupby("track")["ride"].agg(list).to_dict()

    def closed(chosen: Iterable[Any]) -> set[int]:
        out = {int(i) for i in chosen}
        for i in list(out):
            out.update(int(r) for r in riders.get(i, ()))
        return out

    if by == "link":
        closures: list[tuple[set[int], set[str]]] = [(closed([i]), set()) for i in track.index]
        keys = track[["source", "target", "source_name", "target_name", "line", "kind"]]
        return closures, keys
    if by == "line":
        lines = sorted(set(track["line"]))
        closures = [(closed(track.index[track["line"] == line]), set()) for line in lines]
        return closures, pd.DataFrame({"line": lines})
    stations = sorted(set(track["source"]) | set(track["target"]))
    links = ds.links
    names = ds.nodes["name"] if "name" in ds.nodes else pd.Series(dtype=str)
    ends = pd.concat([links["source"].astype(str), links["target"].astype(str)])
    at_station = ends.groupby(ends.values).apply(lambda x: list(x.index)).to_dict()
    t_ends = pd.concat([track["source"], track["target"]])
    t_at = t_ends.groupby(t_ends.values).apply(lambda x: list(x.index)).to_dict()
    closures = []
    for s in stations:
        rows = closed(t_at.get(s, []))
        rows |= {int(i) for i in at_station.get(s, [])}
        closures.append((rows, {s}))
    keys = pd.DataFrame({"station": stations, "name": [names.get(s, s) for s in stations]})
    return closures, keys


class _Edges:
    """The rides of the journey graph by link row: where each lies in its matrix, what it costs.

    A ride entry ``ready[u] -> arrive[v]`` is the least of the rides (and walks) of the links
    joining ``u`` and ``v``; closing some of them leaves the least of the others.
    """

    def __init__(self, ds: Dataset, J: JourneyGraph) -> None:
        links = _open_links(ds)
        links = links[links["_kind"].isin(S.NETWORK_KINDS["service"]) & links[S.MINUTES].notna()]
        self.ride_kind: dict[int, bool] = {}
        self.edge_of: dict[int, tuple[str, str]] = {}
        self.on_edge: dict[tuple[str, str], list[tuple[int, float, str]]] = defaultdict(list)
        for i, u, v, w, kind in zip(
            links.index,
            links["source"].astype(str),
            links["target"].astype(str),
            links[S.MINUTES].astype(float),
            links["_kind"],
            strict=True,
        ):
            key = (min(u, v), max(u, v))
            self.edge_of[int(i)] = key
            self.on_edge[key].append((int(i), float(w), kind))
            self.ride_kind[int(i)] = kind in RIDE_KINDS
        self.J = J
        self.A = J.matrix

    def rides(self, closed: set[int]) -> int:
        """How many of ``closed`` are rides (one train's ride: a track or service link)."""
        return sum(1 for i in closed if self.ride_kind.get(i, False))

    def slower(self, closed: set[int], stations: set[str]) -> tuple[np.ndarray, ...]:
        """Return the entries that get slower or go: rows, columns, positions, new minutes."""
        J, A = self.J, self.A
        touched: dict[tuple[str, str], set[int]] = defaultdict(set)
        for i in closed:
            key = self.edge_of.get(i)
            if key is not None and key[0] not in stations and key[1] not in stations:
                touched[key].add(i)
        r, c, w = [], [], []
        for (u, v), gone in touched.items():
            if u not in J.ready or v not in J.ready:
                continue
            left = [
                m
                for i, m, k in self.on_edge[(u, v)]
                if i not in gone and k in RIDE_KINDS | {"transfer"}
            ]
            new = min(left, default=math.inf)
            r += [J.ready[u], J.ready[v]]
            c += [J.arrive[v], J.arrive[u]]
            w += [new, new]
        rr = np.asarray(r, dtype=np.int64)
        cc = np.asarray(c, dtype=np.int64)
        pos = _positions(A, rr, cc)
        ww = np.asarray(w, dtype=float)
        old = np.where(pos >= 0, A.data[np.maximum(pos, 0)], math.inf)
        up = (pos >= 0) & (ww > old)
        return rr[up], cc[up], pos[up], ww[up]


def _positions(A: Any, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Return the position in ``A.data`` of each entry ``(rows[k], cols[k])`` (-1 where none)."""
    out = np.full(len(rows), -1, dtype=np.int64)
    for k, (r, c) in enumerate(zip(rows, cols, strict=True)):
        lo, hi = A.indptr[r], A.indptr[r + 1]
        j = lo + np.searchsorted(A.indices[lo:hi], c)
        if j < hi and A.indices[j] == c:
            out[k] = j
    return out


def _place_minutes(D: np.ndarray, cols: np.ndarray) -> np.ndarray:
    M = D[:, cols].copy()
    np.fill_diagonal(M, 0.0)
    return M


def _weights(ds: Dataset, ids: list[str], before: np.ndarray) -> _Weights:
    def values(col: str) -> np.ndarray:
        if col not in ds.nodes:
            return np.full(len(ids), np.nan)
        x: np.ndarray = pd.to_numeric(ds.nodes[col].reindex(ids), errors="coerce").to_numpy(
            dtype=float
        )
        return x

    def pairs(x: np.ndarray) -> np.ndarray:
        x = np.where(np.isfinite(x) & (x > 0), x, 0.0)
        w = np.outer(x, x)
        np.fill_diagonal(w, 0.0)
        return w

    P = values("population")
    return _Weights(pairs(P), pairs(values("gdp_cny_bn")), daily_trips(before, P))


def _after(
    base: _Base, edges: _Edges, closed: set[int], stations: set[str], before: np.ndarray
) -> tuple[np.ndarray, int]:
    """Return the place minutes with ``closed`` and ``stations`` gone, and the places searched."""
    J = base.J
    A = J.matrix
    r, c, pos, w = edges.slower(closed, stations)
    gone = np.array(
        [J.ready[s] for s in stations if s in J.ready]
        + [J.arrive[s] for s in stations if s in J.arrive],
        dtype=np.int64,
    )
    # the places whose tree of fastest journeys to places runs over an entry that changes;
    # each searches again the subtrees under every tree entry that changes, on a place's way
    # or not (a node off the way, left at its old minutes, would pass them on)
    in_tree = base.pred[:, c] == r[None, :]
    uses = base.on_path[:, c] & in_tree
    hit_gone = base.on_path[:, gone] if len(gone) else np.zeros((len(before), 0), dtype=bool)
    reached_gone = np.isfinite(base.D[:, gone]) if len(gone) else hit_gone
    affected = uses.any(axis=1) | hit_gone.any(axis=1)
    if not affected.any():
        return before, 0
    data = A.data.astype(float, copy=True)
    data[pos] = w
    if len(gone):
        at_gone = np.zeros(A.shape[0], dtype=bool)
        at_gone[gone] = True
        row_of = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
        data[at_gone[row_of] | at_gone[A.indices]] = math.inf
    src = np.flatnonzero(affected)
    roots_list = [
        np.concatenate([c[in_tree[i]], gone[reached_gone[i]] if len(gone) else gone]) for i in src
    ]
    roots_of = np.concatenate([[0], np.cumsum([len(x) for x in roots_list])]).astype(np.int64)
    roots = np.concatenate(roots_list).astype(np.int64)
    from .network.repair import repair_rows

    out = np.empty((len(src), A.shape[0]))
    ri, rs, rp = base.reverse
    repair_rows(
        np.asarray(A.indptr, dtype=np.int64),
        np.asarray(A.indices, dtype=np.int64),
        data,
        ri,
        rs,
        rp,
        base.D[src],
        base.pred[src],
        roots,
        roots_of,
        base.is_target,
        out,
    )
    after = before.copy()
    after[src] = out[:, base.cols]
    after[src, src] = 0.0
    return after, len(src)


def _row(
    before: np.ndarray, after: np.ndarray, w: _Weights, horizon: float, trains: int
) -> tuple[float, float, float, int, float, float, int]:
    t = np.where(np.isnan(before), np.inf, before)
    t2 = np.where(np.isnan(after), np.inf, after)
    reach = np.isfinite(t)
    np.fill_diagonal(reach, False)
    cut = int((reach & ~np.isfinite(t2)).sum())
    extra = np.where(reach, np.minimum(t2, horizon) - np.minimum(t, horizon), 0.0)
    hours = float((w.trips * extra).sum() / 60.0)
    slower = reach & (t2 > t + 1e-9)
    share = float(slower.sum() / reach.sum()) if reach.any() else math.nan
    plain = float(extra[reach].mean()) if reach.any() else math.nan
    return (
        closure_loss(before, after, w.pop, horizon=horizon),
        closure_loss(before, after, w.gdp, horizon=horizon),
        plain,
        cut,
        hours,
        share,
        trains,
    )
