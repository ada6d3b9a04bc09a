"""Journeys a rider can take on a network of services: every change of train costs time (private).

A *service* link is one train's ride between two of its stops (kind ``service``; the train is
the link's ``fastest_train`` where the dataset names one, else its ``line``). On a network that
has such links, the plain fastest chain of links may join two different trains at a station
with no time to change, or run a track section on from a train's stop as if the train went on.
No rider can take that journey. Here every search on such a network runs on the *journey
graph* instead, where every link is one ride and changing between rides costs time.

The journey graph (directed; two states per node):

- ``ready[s]``: at station ``s``, ready to board. A journey from ``s`` starts here.
- ``arrive[s]``: just off a train at ``s``. A journey to ``s`` ends here.
- a place with stations (``transit`` False) has ``ready[p]`` (its way out, access links to the
  ``ready`` of its stations) and ``arrive[p]`` (its way in), and nothing passes through it.

Edges:

- a *ride*, ``ready[u] -> arrive[v]`` and back, at the link's minutes: every rail link (a
  service, one train's ride between two of its stops; a track link, a train's ride between
  consecutive stops) is one train. Riding on past ``v`` on the same train is that train's
  longer ride, a link of its own where the network has it (a network of services lists a ride
  for every pair of stops of a train), so joining two links never drops the dwell between them
  and never joins two trains for free;
- a *change*, ``arrive[s] -> ready[s]``: the station's ``min_transfer_minutes`` (a node
  attribute, as the timetable search reads it) or else
  :data:`~belt_graph.schema.DEFAULT_MIN_TRANSFER_MINUTES`; at a junction (kind ``hub``, no
  platform) the train runs on, so there it costs nothing;
- a *walk* (a ``transfer`` link: a change of station, its minutes including the change), from
  ``arrive[u]`` or ``ready[u]`` (before the first train) to ``ready[v]`` (to board there) or
  ``arrive[v]`` (to end there);
- *access* between a place and its stations, and ``ready[s] -> arrive[s]`` at no cost (a
  journey from a station is at that station, and so in its place, at once).

Where a track link's line is a route whose vehicles run on from stop to stop (the graph
attribute :data:`~belt_graph.schema.RIDE_ON_TRACK`: an imported GTFS feed, whose track links
join consecutive stops of a route, one link per route), riding on along one line's track (or
an express's service links between its consecutive stops) is one ride: each station
of a line's track has an *on board* state, ``on[s, line]``, boarded from ``ready`` (the ride's
minutes), ridden on to the next ``on`` state of the same line, and left for ``arrive`` at no
cost. Elsewhere (the belt and the national timetables) a track link is one train's ride
between consecutive stops, and a longer ride is a service link of its own.

A journey's minutes are therefore minutes on trains, walking and changing; waits for a train
are not in them. On a graph whose ``time`` attribute is ``expected``
(``rail_graph(ds, time="expected")``) every boarding also costs the expected wait for its train
(:func:`expected_wait`, from the link's ``trains_per_day``): the method of frequency-based
transit accessibility, half the headway.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from .. import schema as S
from .arrays import change_of, journey_matrix, least_matrix
from .arrays import expected_wait as expected_wait

# Added to every change in the search so that, among journeys of equal minutes, the one with
# fewer changes wins; never reported.
TIE_BREAK = 1e-6


def train_of(route: Sequence[Any]) -> str:
    """Return what a journey's leg names for a route: a service's train, else its line."""
    kind = str(route[3]) if len(route) > 3 else ""
    train = str(route[4]) if len(route) > 4 and route[4] else ""
    return (train or str(route[0])) if kind == "service" else str(route[0])


def ridden_train(route: Sequence[Any]) -> str:
    """Return the train a ride on ``route`` takes (its ``train``), or empty if none is named.

    A track link's train is the one whose running minutes time it. A route of a user's graph
    with no train slot names a service's line as its train.
    """
    if len(route) > 4:
        return str(route[4]) if route[4] else ""
    return str(route[0]) if len(route) > 3 and route[3] == "service" else ""


def has_services(G: nx.Graph) -> bool:
    """Return whether changes must cost time on ``G``: a service link or routes to ride on."""
    if G.graph.get(S.RIDE_ON_TRACK):
        return True
    for _, _, d in G.edges(data=True):
        if d.get(S.KIND) == "service":
            return True
        routes = d.get("routes")
        if routes and any(len(r) > 3 and r[3] == "service" for r in routes):
            return True
    return False


def route_wait(route: Sequence[Any]) -> float:
    """Return the expected wait to board a route (its sixth item: trains per day)."""
    return expected_wait(float(route[5]) if len(route) > 5 else math.nan)


def change_minutes(G: nx.Graph, node: Any) -> float:
    """Return the minimum minutes to change trains at ``node`` (its own, else the default)."""
    return change_of(G.nodes[node].get(S.MIN_TRANSFER))


@dataclass
class JourneyGraph:
    """The journey graph of a network of services, as a CSR matrix with its index maps."""

    matrix: Any
    ready: dict[Any, int]
    arrive: dict[Any, int]
    #: the node (station or place) of every index
    node: list[Any]
    #: ``"ready"``, ``"arrive"`` or ``"on"`` (on board along a line's track), for every index
    state: list[str]
    #: the line of each ``on`` state (empty for the others)
    line: list[str] = field(default_factory=list)
    #: the cost of each change edge without the penalty, by station
    change: dict[Any, float] = field(default_factory=dict)
    #: whether boardings carry their expected wait (the graph's ``time`` is ``expected``)
    expected: bool = False


RAIL_KINDS = frozenset({"service", "track", ""})


def edge_routes(data: dict[str, Any], weight: str = S.MINUTES) -> Sequence[Sequence[Any]]:
    """Return an edge's routes ``(line, mode, minutes, kind, ...)``, true to its ``minutes``.

    An edge without routes (a user's graph) is one route of its own line, mode and kind. The
    library builds an edge's ``minutes`` as its fastest route's; where the two differ, the
    edge's ``minutes`` were changed after (a user's edit), and every route takes them.
    """
    routes = data.get("routes")
    if not routes:
        return ((data.get(S.LINE, ""), data.get(S.MODE, ""), data[weight], data.get(S.KIND, "")),)
    minutes = data.get(S.MINUTES)
    if minutes is None or min(r[2] for r in routes) == minutes:
        return routes  # type: ignore[no-any-return]
    return tuple((*r[:2], minutes, *r[3:]) for r in routes)


def rail_routes(data: dict[str, Any], weight: str = S.MINUTES) -> list[tuple[Any, ...]]:
    """Return the routes of an edge that are rides (service, track or no kind), as tuples."""
    routes = edge_routes(data, weight)
    return [tuple(r) for r in routes if (str(r[3]) if len(r) > 3 else "") in RAIL_KINDS]


@dataclass
class JourneyStore:
    """Journey graphs kept for networks that do not change (see :func:`reuse_journey_graphs`)."""

    #: the networks whose journey graphs are kept, by ``id`` (held, so no id is reused)
    networks: dict[int, nx.Graph] = field(default_factory=dict)
    #: (network id, weight, extra, expected, ride on) -> its journey graph
    built: dict[tuple[Any, ...], JourneyGraph] = field(default_factory=dict)


_STORE: ContextVar[JourneyStore | None] = ContextVar("belt_graph_journey_store", default=None)


@contextmanager
def reuse_journey_graphs(store: JourneyStore, *networks: nx.Graph | None) -> Iterator[None]:
    """Within the block, build each journey graph of ``networks`` once and keep it in ``store``.

    For a caller that owns ``networks`` and changes none of them while ``store`` is in use (the
    report's :class:`~belt_graph.report.results.Results`, whose analyses of a network are cached
    anyway): every search of a network of services builds its journey graph, which took 0.4 s
    on ``cn-rail-2023``, six times a report. Other graphs are built as always. The block is the
    current thread's (and its forked processes').
    """
    store.networks.update({id(G): G for G in networks if G is not None})
    token = _STORE.set(store)
    try:
        yield
    finally:
        _STORE.reset(token)


def journey_graph(
    G: nx.Graph, weight: str = S.MINUTES, *, penalty: float = 0.0, tie_break: bool = False
) -> JourneyGraph:
    """Return the journey graph of ``G`` (a simple graph; see the module docstring).

    ``penalty`` is added to every change and walk between trains (a generalised cost; the
    minutes reported never include it). ``tie_break`` adds :data:`TIE_BREAK` to each of them
    too, so that among journeys of equal minutes one with fewer changes is found (for a path;
    distances are exact without it). Within :func:`reuse_journey_graphs`, one built before for
    the same network and arguments is returned (the caller must not change it).
    """
    extra = penalty + (TIE_BREAK if tie_break else 0.0)
    expected = G.graph.get("time") == "expected"
    ride_on = bool(G.graph.get(S.RIDE_ON_TRACK))
    store = _STORE.get()
    kept = store.built if store is not None and store.networks.get(id(G)) is G else None
    key = (id(G), weight, extra, expected, ride_on)
    if kept is not None and key in kept:
        return kept[key]
    if not ride_on:
        J = _by_arrays(G, weight, extra=extra, expected=expected)
    else:
        J = _by_edges(G, weight, extra=extra, expected=expected, ride_on=ride_on)
    if kept is not None:
        kept[key] = J
    return J


def _by_edges(
    G: nx.Graph, weight: str, *, extra: float, expected: bool, ride_on: bool
) -> JourneyGraph:
    """:func:`journey_graph` edge by edge: any network, lines ridden on too.

    Where no line is ridden on, :func:`_by_arrays` builds the same graph (tests hold the two
    equal) in a third of the time.
    """
    order = list(G.nodes)
    ready = {n: 2 * i for i, n in enumerate(order)}
    arrive = {n: 2 * i + 1 for i, n in enumerate(order)}
    on: dict[tuple[Any, str], int] = {}  # on board along a line's track (ride_on only)

    def on_board(n: Any, line: str) -> int:
        key = (n, line)
        if key not in on:
            on[key] = 2 * len(order) + len(on)
        return on[key]

    ends = {n for n, t in G.nodes(data=S.TRANSIT) if t is False}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []

    def edge(a: int, b: int, w: float) -> None:
        rows.append(a)
        cols.append(b)
        vals.append(w)

    # the loop below runs once per link end (250,000 for cn-rail-2023): local names, and rides
    # (the common case) appended inline
    ra, ca, va = rows.append, cols.append, vals.append
    plain = weight == S.MINUTES and not expected and not ride_on
    for u, nbrs in G._adj.items():
        ru = ready[u]
        for v, d in nbrs.items():
            routes = d.get("routes")
            if plain and routes and len(routes) == 1 and u not in ends and v not in ends:
                r = routes[0]
                if len(r) > 3 and r[3] in RAIL_KINDS and r[2] == d[weight]:
                    ra(ru)
                    ca(arrive[v])
                    va(float(r[2]))
                    continue
            if u in ends or v in ends:
                # access: from a place out to its station, or from the station into the place
                w = float(d[weight])
                if u in ends:
                    edge(ready[u], ready[v], w)
                else:
                    edge(arrive[u], arrive[v], w)
                continue
            for r in edge_routes(d, weight):
                # the routes carry minutes; any other weight is the edge's, for every route
                w = float(r[2]) if weight == S.MINUTES else float(d[weight])
                kind = str(r[3]) if len(r) > 3 else ""
                if kind == "transfer":
                    # walk on to board (the change is in the minutes), or walk to end there
                    edge(arrive[u], ready[v], w + extra)
                    edge(ready[u], ready[v], w + extra)
                    edge(arrive[u], arrive[v], w + extra)
                    edge(ready[u], arrive[v], w + extra)
                elif kind == "access":
                    edge(ready[u], ready[v], w)
                    edge(arrive[u], arrive[v], w)
                elif ride_on and kind in ("track", "service"):
                    # board the line here, or ride on along it from u; leave it at v
                    line = str(r[0])
                    to = on_board(v, line)
                    edge(ready[u], to, w + (route_wait(r) if expected else 0.0))
                    edge(on_board(u, line), to, w)
                    edge(to, arrive[v], 0.0)
                else:  # one train's ride
                    edge(ready[u], arrive[v], w + (route_wait(r) if expected else 0.0))
    change: dict[Any, float] = {}
    for n, kind in G.nodes(data="kind"):
        if n in ends:
            continue
        edge(ready[n], arrive[n], 0.0)  # a journey from here is here at once
        if kind == "hub":
            edge(arrive[n], ready[n], 0.0)  # a junction: the train runs on
        else:
            change[n] = change_minutes(G, n)
            edge(arrive[n], ready[n], change[n] + extra)
    boarded = sorted(on, key=on.__getitem__)
    return JourneyGraph(
        matrix=least_matrix(rows, cols, vals, 2 * len(order) + len(on)),
        ready=ready,
        arrive=arrive,
        node=[n for n in order for _ in (0, 1)] + [n for n, _ in boarded],
        state=["ready", "arrive"] * len(order) + ["on"] * len(on),
        line=[""] * (2 * len(order)) + [line for _, line in boarded],
        change=change,
        expected=expected,
    )


def _by_arrays(G: nx.Graph, weight: str, *, extra: float, expected: bool) -> JourneyGraph:
    """:func:`journey_graph` where no line is ridden on: each edge read once, then numpy.

    The graph's edges become link arrays (an edge at a place once, at its minutes; any other
    edge once per route) for :func:`~belt_graph.network.arrays.journey_matrix`, the builder the
    matrix from a dataset's rows uses too.
    """
    order = list(G.nodes)
    index = {n: i for i, n in enumerate(order)}
    transit = np.array([t is not False for _, t in G.nodes(data=S.TRANSIT)], dtype=bool)
    a: list[int] = []
    b: list[int] = []
    minutes: list[float] = []
    kinds: list[str] = []
    waits: list[float] = []
    by_weight = weight != S.MINUTES
    for u, v, d in G.edges(data=True):
        iu, iv = index[u], index[v]
        if not (transit[iu] and transit[iv]):  # access at a place
            a.append(iu)
            b.append(iv)
            minutes.append(float(d[weight]))
            kinds.append("access")
            waits.append(0.0)
            continue
        for r in edge_routes(d, weight):
            a.append(iu)
            b.append(iv)
            # the routes carry minutes; any other weight is the edge's, for every route
            minutes.append(float(d[weight]) if by_weight else float(r[2]))
            kinds.append(str(r[3]) if len(r) > 3 else "")
            waits.append(route_wait(r) if expected else 0.0)
    hub = np.array([k == "hub" for _, k in G.nodes(data="kind")], dtype=bool)
    change_at = {n: change_minutes(G, n) for i, n in enumerate(order) if transit[i]}
    change = np.array([change_at.get(n, 0.0) for n in order], dtype=float)
    matrix = journey_matrix(
        transit,
        change,
        hub,
        np.array(a, dtype=np.int64),
        np.array(b, dtype=np.int64),
        np.array(minutes, dtype=float),
        np.array(kinds, dtype=object),
        np.array(waits, dtype=float) if expected else None,
        extra=extra,
    )
    return JourneyGraph(
        matrix=matrix,
        ready={n: 2 * i for i, n in enumerate(order)},
        arrive={n: 2 * i + 1 for i, n in enumerate(order)},
        node=[n for n in order for _ in (0, 1)],
        state=["ready", "arrive"] * len(order),
        line=[""] * (2 * len(order)),
        change={n: c for n, c in change_at.items() if not hub[index[n]]},
        expected=expected,
    )
