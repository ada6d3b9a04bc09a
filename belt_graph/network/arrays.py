"""Fastest minutes between places on arrays: no NetworkX, no pandas (private).

The numeric half of :func:`belt_graph.network.paths.iter_minutes`: the search from rows of a
sparse matrix of the *core* (every node a route may pass through), in chunks of origins (in
forked processes, or compiled threads, where that pays), and the places joined through their
access links afterwards. ``iter_minutes`` feeds it from a NetworkX graph (a network of services
through the journey graph of :mod:`belt_graph.network.journeys`); :func:`network_minutes` feeds it
straight from the checked rows of a dataset's files
(:mod:`belt_graph.dataset.network_files`), building the journey graph itself where changes of
train cost time, so that ``belt-graph matrix`` needs neither the graph nor pandas. Both give
the same arrays, bit for bit (tests/test_place_matrix.py). The link and station values both
read (trains per day, change minutes, expected waits) are parsed here, once for both.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from .. import schema as S
from .._workers import can_fork, cores, fork_map
from ..dataset.network_files import Network, Record, ride_on_track
from ..errors import GraphValidationError
from .access import AccessRule, asked_rule, open_in, retime_access

log = logging.getLogger("belt_graph.network.paths")

#: ``progress(done, total)``: called after each chunk of work.
Progress = Callable[[int, int], None]

#: a target's entries: (core column, minutes added there), the best of which counts
Entries = list[tuple[int, float]]

#: Upper bound on the cells of one chunk of rows (8 bytes each: 64 MB).
CHUNK_CELLS = 8_000_000

#: Least cells (sources x nodes) for the compiled search: below it scipy's search takes less
#: than importing numba and loading its compiled code (about 0.2 s and 55 MiB).
COMPILED_MIN_CELLS = 2_000_000

#: Least cells (sources x nodes) for a matrix to be searched by several processes: below it,
#: forking costs more than it saves. Measured on cn-rail-2021's 2,794 stations, 2 cores: equal
#: at 220,000 cells (0.05 s), two processes 1.3x faster at 900,000 and 1.45x at 1.8 million.
PARALLEL_MIN_CELLS = 500_000


def chunk_rows(n_columns: int, max_cells: int | None = None) -> int:
    """How many origins one chunk holds for ``n_columns`` destinations.

    At most :data:`CHUNK_CELLS` cells, and at most ``max_cells`` (at least 64 cells' worth)
    when given.
    """
    cells = CHUNK_CELLS if max_cells is None else min(CHUNK_CELLS, max(64, max_cells))
    return max(1, min(1024, cells // max(n_columns, 1)))


class Rows:
    """The minutes from rows of a sparse graph to every node: compiled in threads, or scipy."""

    def __init__(self, A: Any, cells: int) -> None:
        self.A = A
        self.compiled: Callable[[np.ndarray], np.ndarray] | None = None
        if cells >= COMPILED_MIN_CELLS:
            from .dijkstra import row_search

            self.compiled = row_search(A)
        self.threaded = self.compiled is not None

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        """Return the minutes from each of ``rows`` to every node (``inf``: not reached)."""
        if self.compiled is not None:
            return self.compiled(rows)
        from scipy.sparse.csgraph import dijkstra

        return np.asarray(dijkstra(self.A, directed=True, indices=rows))


def matrix_workers(n_sources: int, n_nodes: int) -> int:
    """Return how many processes search a matrix: every core where forking pays, else 1."""
    if n_sources * n_nodes < PARALLEL_MIN_CELLS or not can_fork():
        return 1
    return max(1, min(cores(), n_sources))


def with_start_rows(A: Any, rows: list[Entries]) -> Any:
    """Return ``A`` with one more node per entry of ``rows``: links out of it, none into it."""
    from scipy.sparse import bmat, csr_array

    n, k = A.shape[0], len(rows)
    r = [i for i, e in enumerate(rows) for _ in e]
    c = [j for e in rows for j, _ in e]
    w = [x for e in rows for _, x in e]  # explicit zeros (free access) stay edges
    out = csr_array((np.asarray(w, dtype=float), (r, c)), shape=(k, n))
    return bmat([[A, csr_array((n, k))], [out, csr_array((k, k))]], format="csr")


def iter_place_minutes(
    A: Any,
    starts: list[Entries],
    source_rows: Sequence[int],
    targets: Sequence[Entries],
    diagonal: Sequence[int],
    *,
    progress: Progress | None = None,
    max_cells: int | None = None,
    reduce: Callable[[np.ndarray], Any] | None = None,
) -> Iterator[tuple[int, Any]]:
    """Yield ``(start, D)``: the minutes from ``source_rows[start:start+len(D)]`` to ``targets``.

    ``A`` is the symmetric CSR matrix of the core. A source that routes never pass through (a
    place) is one more row, ``starts[k]`` (its links into the core, none out of it), numbered
    ``n_core + k``; every other source is its core row. A target is the best of its entries
    (core column, minutes added: an access link); a core node is ``[(its column, 0.0)]``.
    ``diagonal[i]`` is the target that source ``i`` is itself (its 0 minutes), or -1. ``D``
    has ``inf`` where unreachable. Peak memory is one chunk of searches (:func:`chunk_rows`);
    with ``reduce``, each chunk is ``reduce(D)`` instead, computed where ``D`` is (in the worker
    process, when the matrix is searched by several).
    """
    n_core = A.shape[0]
    if starts:
        A = with_start_rows(A, starts)
    simple = [j for j, e in enumerate(targets) if len(e) == 1 and e[0][1] == 0.0]
    simple_cols = np.array([targets[j][0][0] for j in simple], dtype=np.int64)
    simple_set = set(simple)  # once: a set per target made this quadratic
    other = [j for j in range(len(targets)) if j not in simple_set]
    # the other targets (places, reached through their stations), as flat arrays: target j's
    # entries are cols[o_start[k]:o_start[k + 1]] with their minutes off, for j = other[k]
    o_cols = np.array([i for j in other for i, _ in targets[j]], dtype=np.int64)
    o_off = np.array([off for j in other for _, off in targets[j]], dtype=float)
    o_count = np.array([len(targets[j]) for j in other], dtype=np.int64)
    o_start = np.concatenate([[0], np.cumsum(o_count)[:-1]]).astype(np.int64)
    o_reached = [j for j, c in zip(other, o_count, strict=True) if c]
    all_core = len(simple) == n_core == len(targets) and bool(
        np.array_equal(simple_cols, np.arange(n_core))
    )
    step = chunk_rows(max(n_core, len(targets)), max_cells)
    total = len(source_rows)
    search = Rows(A, total * A.shape[0])
    # compiled, the search runs in threads; scipy's holds the GIL, so blocks go to processes
    workers = 1 if search.threaded else matrix_workers(total, max(n_core, len(targets)))
    if workers > 1:
        # at least two chunks a worker, so that the work evens out
        step = max(1, min(step, -(-total // (2 * workers))))

    def block(start: int) -> Any:
        rows = list(source_rows[start : start + step])
        if len(set(rows)) == len(rows):
            D = search(np.asarray(rows, dtype=np.int64))  # the searches are the rows: no copy
            R = D[:, :n_core] if starts else D
        else:
            need = sorted(set(rows))
            at = {c: k for k, c in enumerate(need)}
            D = search(np.asarray(need, dtype=np.int64))
            R = D[[at[r] for r in rows], :n_core]
        del D
        if all_core:
            out = R  # every target is a core node, in core order
        else:
            out = np.full((len(rows), len(targets)), math.inf)
            if len(simple):
                out[:, simple] = R[:, simple_cols]
        if o_reached:
            # each such target: the best over its stations of minutes there + access
            best = np.minimum.reduceat(R[:, o_cols] + o_off, o_start[o_count > 0], axis=1)
            out[:, o_reached] = np.minimum(out[:, o_reached], best)
        for r, j in enumerate(diagonal[start : start + step]):
            if j >= 0:
                out[r, j] = 0.0
        return reduce(out) if reduce is not None else out

    starts_at = range(0, total, step)
    blocks: Iterator[Any] = (
        fork_map(block, starts_at, workers) if workers > 1 else map(block, starts_at)
    )
    for start, out in zip(starts_at, blocks, strict=True):
        yield start, out
        if progress is not None:
            progress(min(start + step, total), total)


def minutes_budget(n: int) -> int:
    """Return the cells of one chunk of an ``n`` x ``n`` matrix: an eighth, at least a million.

    scipy also allocates a predecessor array per chunk, so the peak stays near 1.2 x the
    result; small searches in many tiny chunks would cost more.
    """
    return max(n * n // 8, 1_000_000)


def fill_minutes(out: np.ndarray, chunks: Iterable[tuple[int, np.ndarray]]) -> np.ndarray:
    """Write each chunk ``(start, D)`` into rows ``start:`` of ``out``, NaN where unreachable."""
    for start, D in chunks:
        D[np.isinf(D)] = math.nan
        out[start : start + len(D)] = D
        del D
    return out


def per_day(value: Any) -> float:
    """Return a link's trains per day as a number (NaN where empty or unknown)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v if v > 0 else math.nan


def change_of(value: Any) -> float:
    """Return a station's minutes to change trains: its own, else the default."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return S.DEFAULT_MIN_TRANSFER_MINUTES
    return v if math.isfinite(v) and v >= 0 else S.DEFAULT_MIN_TRANSFER_MINUTES


def expected_wait(trains_per_day: float) -> float:
    """Return the expected wait for a train: half the mean headway in one direction, capped.

    ``trains_per_day`` counts both directions over the service day
    (:data:`~belt_graph.schema.SERVICE_DAY_MINUTES`), so the headway one way is
    ``2 x SERVICE_DAY_MINUTES / trains_per_day`` and half of it ``SERVICE_DAY_MINUTES /
    trains_per_day``; at most :data:`~belt_graph.schema.WAIT_CAP_MINUTES`, which is also the
    wait where the frequency is unknown.

    Examples
    --------
    >>> expected_wait(72.0), expected_wait(4.0), expected_wait(float("nan"))
    (15.0, 30.0, 30.0)
    """
    if not (trains_per_day > 0):  # NaN or none
        return S.WAIT_CAP_MINUTES
    return min(S.WAIT_CAP_MINUTES, S.SERVICE_DAY_MINUTES / trains_per_day)


def least_matrix(rows: Any, cols: Any, vals: Any, size: int) -> Any:
    """Return the CSR matrix keeping the least value of duplicate entries (scipy would add them)."""
    from scipy.sparse import csr_array

    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    w = np.asarray(vals, dtype=float)
    order = np.lexsort((w, c, r))
    r, c, w = r[order], c[order], w[order]
    keep = np.ones(len(r), dtype=bool)
    keep[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    # one entry per cell, so no sum; explicit zeros (board, alight) stay edges for csgraph
    return csr_array((w[keep], (r[keep], c[keep])), shape=(size, size))


def place_nodes(kinds: dict[Any, Any], *, include_hubs: bool = False) -> list[Any]:
    """Return the places among ``kinds`` (node id -> kind), in order; or every node with hubs.

    A network with nodes but no place says why on the ``belt_graph`` logger: the answers built
    on its places (a matrix, a centrality table) come out empty.
    """
    place_kinds = S.place_kinds(kinds.values())
    found = [n for n, k in kinds.items() if include_hubs or k in place_kinds]
    if not found and kinds:
        present = sorted({str(k) for k in kinds.values()})
        log.warning(
            "none of the graph's %d nodes is a place (their kinds: %s); places are cities and "
            "districts, or else stations and nodes without a kind; hubs only route",
            len(kinds),
            ", ".join(present),
        )
    return found


def _included(
    network: Network,
    include_planned: bool,
    *,
    ends: str = "door",
    access: AccessRule | None = None,
    year: int | None = None,
) -> Iterator[tuple[Record, float, str]]:
    """Yield the links the rail layer has (as :func:`~belt_graph.rail_graph` takes them)."""
    allowed = {"open", "planned"} if include_planned else {"open"}
    kinds_used = S.NETWORK_KINDS["service"]
    links: Iterable[Record] = (
        rec
        for rec in network.links
        if rec["status"] in allowed
        and str(rec.get(S.KIND) or "") in kinds_used
        and open_in(rec, year)
    )
    if ends != "door" or access is not None:
        coords = {n: (float(r["lat"]), float(r["lon"])) for n, r in network.nodes.items()}  # type: ignore[arg-type]
        links = retime_access(links, coords, ends=ends, rule=access)
    for rec in links:
        minutes = float(rec[S.MINUTES])  # type: ignore[arg-type]
        if not math.isnan(minutes):
            yield rec, minutes, str(rec.get(S.KIND) or "")


def has_services(
    network: Network, *, include_planned: bool = False, year: int | None = None
) -> bool:
    """Whether changes cost time on the network's rail layer (as ``journeys.has_services``)."""
    return ride_on_track(network.metadata) or any(
        kind == "service" for *_, kind in _included(network, include_planned, year=year)
    )


def network_minutes(
    network: Network,
    *,
    include_hubs: bool = False,
    include_planned: bool = False,
    time: str = "in-vehicle",
    ends: str = "door",
    access: AccessRule | Mapping[str, float] | None = None,
    year: int | None = None,
    progress: Progress | None = None,
) -> tuple[list[str], np.ndarray] | None:
    """Fastest minutes between the places of a dataset's network, straight from its rows.

    What ``travel_time_array(rail_graph(dataset, include_planned=..., time=..., ends=...,
    access=..., year=...))`` returns,
    without the graph: the open (and, with ``include_planned``, planned) links of the service
    network, the fastest of parallel links counted, places that have stations as ends of
    routes only; on a network of services, journeys where every change of train costs time
    (the journey graph of :mod:`belt_graph.network.journeys`, built here from the rows).
    Returns None where the rows cannot answer alone: a line's track ridden on as one ride (an
    imported feed's ``ride_on_track``). ``access`` is a rule, or fields replacing those of the
    network's own (:func:`~belt_graph.network.access.asked_rule`).
    """
    if ride_on_track(network.metadata):
        return None
    access = asked_rule(network.metadata, access)
    nodes = network.nodes
    ids = list(nodes)
    at = {n: i for i, n in enumerate(ids)}
    owners = {str(r.get(S.PLACE, "")) for r in nodes.values()} - {""}
    transit = np.array([n not in owners for n in ids], dtype=bool)
    links = []  # (lower end, higher end, minutes, kind, the link's row)
    for rec, minutes, kind in _included(
        network, include_planned, ends=ends, access=access, year=year
    ):
        a, b = at[str(rec["source"])], at[str(rec["target"])]
        links.append((min(a, b), max(a, b), minutes, kind, rec))
    # each pair once, with its fastest link and that link's kind
    fastest: dict[tuple[int, int], tuple[float, str]] = {}
    for a, b, minutes, kind, _ in links:
        old = fastest.get((a, b))
        if old is None or minutes < old[0]:
            fastest[(a, b)] = (minutes, kind)
    for (a, b), (minutes, kind) in fastest.items():
        free = kind == "access" and not (transit[a] and transit[b])
        if not math.isfinite(minutes) or minutes < 0 or (minutes == 0 and not free):
            raise GraphValidationError(ids[a], ids[b], S.MINUTES, minutes)
    wanted = place_nodes({n: r["kind"] for n, r in nodes.items()}, include_hubs=include_hubs)
    rows = [at[p] for p in wanted]
    out = np.empty((len(rows), len(rows)), dtype=np.float64)
    if any(kind == "service" for *_, kind, _ in links):
        J = _journey_matrix(nodes, transit, links, expected=time == "expected")
        chunks = iter_place_minutes(
            J,
            [],
            [2 * i for i in rows],
            [[(2 * i + 1, 0.0)] for i in rows],
            list(range(len(rows))),
            progress=progress,
            max_cells=minutes_budget(len(rows)),
        )
        return wanted, fill_minutes(out, chunks)
    core = np.flatnonzero(transit)
    core_of = np.full(len(ids), -1, dtype=np.int64)
    core_of[core] = np.arange(len(core))
    pairs = np.array(list(fastest), dtype=np.int64).reshape(-1, 2)
    weights = np.array([m for m, _ in fastest.values()], dtype=float)
    u, v = core_of[pairs[:, 0]], core_of[pairs[:, 1]]
    inside = (u >= 0) & (v >= 0)
    from scipy.sparse import csr_array

    n = len(core)
    A = csr_array(
        (
            np.r_[weights[inside], weights[inside]],
            (np.r_[u[inside], v[inside]], np.r_[v[inside], u[inside]]),
        ),
        shape=(n, n),
    )
    # a place's entries: its neighbours in the core, with the minutes to each
    entries: dict[int, Entries] = {}
    for (a, b), w in zip(pairs[~inside].tolist(), weights[~inside].tolist(), strict=True):
        for end, other in ((a, b), (b, a)):
            if not transit[end] and transit[other]:
                entries.setdefault(end, []).append((int(core_of[other]), w))
    start_of = {i: n + k for k, i in enumerate(r for r in rows if not transit[r])}
    source_rows = [int(core_of[i]) if transit[i] else start_of[i] for i in rows]
    starts = [entries.get(i, []) for i in start_of]
    targets = [[(int(core_of[i]), 0.0)] if transit[i] else entries.get(i, []) for i in rows]
    chunks = iter_place_minutes(
        A,
        starts,
        source_rows,
        targets,
        list(range(len(rows))),
        progress=progress,
        max_cells=minutes_budget(len(rows)),
    )
    return wanted, fill_minutes(out, chunks)


def _journey_matrix(
    nodes: dict[str, Record],
    transit: np.ndarray,
    links: list[tuple[int, int, float, str, Record]],
    *,
    expected: bool,
) -> Any:
    """Return the journey graph's matrix (:func:`journey_matrix`) from a network's rows."""
    records = list(nodes.values())
    hub = np.array([r["kind"] == "hub" for r in records], dtype=bool)
    change = np.array([change_of(r.get(S.MIN_TRANSFER)) for r in records], dtype=float)
    waits = None
    if expected:
        waits = np.array(
            [expected_wait(per_day(r.get("trains_per_day", r.get("trips")))) for *_, r in links],
            dtype=float,
        )
    return journey_matrix(
        transit,
        change,
        hub,
        np.array([x[0] for x in links], dtype=np.int64),
        np.array([x[1] for x in links], dtype=np.int64),
        np.array([x[2] for x in links], dtype=float),
        np.array([x[3] for x in links], dtype=object),
        waits,
    )


def journey_matrix(
    transit: np.ndarray,
    change: np.ndarray,
    hub: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    minutes: np.ndarray,
    kind: np.ndarray,
    waits: np.ndarray | None,
    *,
    extra: float = 0.0,
) -> Any:
    """Return the matrix of the journey graph (see :mod:`belt_graph.network.journeys`).

    Node ``i`` is ``ready`` at ``2 i`` and ``arrive`` at ``2 i + 1``. Each link ``a[k]`` -
    ``b[k]`` (given once, either way round) gives, both ways, the edges its ``kind`` gives: at a
    place that routes only end at (``transit`` False), its access; a ``transfer`` (a walk, its
    minutes plus ``extra``) to board or to end, from a train or before the first; an ``access``;
    any other a ride, plus its expected wait where ``waits`` is given. At every other node a
    journey from it is there at once, and a change costs ``change`` (plus ``extra``; nothing at
    a ``hub``, where the train runs on). The least of parallel entries is kept.
    """
    u, v = np.r_[a, b], np.r_[b, a]  # both directions of every link
    w, kind = np.r_[minutes, minutes], np.r_[kind, kind]
    ends = ~transit
    at_end = ends[u] | ends[v]
    transfer = ~at_end & (kind == "transfer")
    access = ~at_end & (kind == "access")
    ride = ~at_end & ~transfer & ~access
    ride_w = w[ride] if waits is None else w[ride] + np.r_[waits, waits][ride]
    walk_w = w[transfer] + extra
    from_end, into_end = at_end & ends[u], at_end & ~ends[u]
    here = np.flatnonzero(transit)
    parts = [
        # access at a place: out of it to its station's ready, or from arrive into it
        (2 * u[from_end], 2 * v[from_end], w[from_end]),
        (2 * u[into_end] + 1, 2 * v[into_end] + 1, w[into_end]),
        # a walk: to board or to end there, from a train or before the first
        (2 * u[transfer] + 1, 2 * v[transfer], walk_w),
        (2 * u[transfer], 2 * v[transfer], walk_w),
        (2 * u[transfer] + 1, 2 * v[transfer] + 1, walk_w),
        (2 * u[transfer], 2 * v[transfer] + 1, walk_w),
        (2 * u[access], 2 * v[access], w[access]),
        (2 * u[access] + 1, 2 * v[access] + 1, w[access]),
        (2 * u[ride], 2 * v[ride] + 1, ride_w),  # one train's ride
        # at a station: a journey from it is at it at once; then a change
        (2 * here, 2 * here + 1, np.zeros(len(here))),
        (2 * here + 1, 2 * here, np.where(hub[here], 0.0, change[here] + extra)),
    ]
    rows, cols, vals = (np.concatenate(x) for x in zip(*parts, strict=True))
    return least_matrix(rows, cols, vals, 2 * len(transit))
