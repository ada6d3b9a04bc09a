"""The fast paths give NetworkX's answers on random graphs (NetworkX is the reference)."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph._compiled import COMPILED
from belt_graph.errors import GraphValidationError
from tests.helpers import assert_matrix_equals_networkx, weighted_graphs


@settings(max_examples=80, deadline=None)
@given(weighted_graphs())
def test_matrix_equals_networkx(G: nx.Graph) -> None:
    assert_matrix_equals_networkx(G)


@settings(max_examples=80, deadline=None)
@given(weighted_graphs(), st.integers(0, 8), st.data())
def test_cutoff_search_equals_networkx(G: nx.Graph, cutoff: int, data: st.DataObject) -> None:
    sources = data.draw(st.lists(st.sampled_from(list(G)), min_size=1, max_size=3, unique=True))
    dist, nearest = bg.nearest_origin_dijkstra(G, sources, cutoff)
    ref = nx.multi_source_dijkstra_path_length(G, set(sources), cutoff=cutoff, weight="minutes")
    assert dist == ref
    for node, origin in nearest.items():
        # the origin named is one of the nearest
        assert nx.dijkstra_path_length(G, origin, node, weight="minutes") == dist[node]


def test_reach_checks_only_the_weights_it_uses() -> None:
    G = nx.Graph([("a", "b", {"minutes": 5.0}), ("b", "c", {"minutes": 50.0})])
    G.add_edge("c", "d")  # no weight, but beyond the cutoff's reach from a
    assert bg.nearest_origin_dijkstra(G, ["a"], 10)[0] == {"a": 0.0, "b": 5.0}
    for bad in (None, -1.0, math.inf, math.nan, "5"):
        H = nx.Graph([("a", "b", {"minutes": bad})])
        with pytest.raises(GraphValidationError, match="'minutes'"):
            bg.nearest_origin_dijkstra(H, ["a"], 10)


def test_matrix_progress_and_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    from belt_graph.network import arrays as _place_matrix

    monkeypatch.setattr(_place_matrix, "CHUNK_CELLS", 30)  # ten nodes: three rows per chunk
    G = nx.path_graph(10)
    nx.set_edge_attributes(G, 2.0, "minutes")
    nx.set_node_attributes(G, "station", "kind")
    calls: list[tuple[int, int]] = []
    _ids, m = bg.travel_time_array(G, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(3, 10), (6, 10), (9, 10), (10, 10)]
    assert np.array_equal(m, 2.0 * np.abs(np.subtract.outer(np.arange(10), np.arange(10))))


def test_the_matrix_in_forked_workers_equals_networkx(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 26, 3: blocks of sources searched in worker processes give the same matrix."""
    from belt_graph import _compiled
    from belt_graph._workers import can_fork
    from belt_graph.dataset.synthetic import rail_like_network
    from belt_graph.network import arrays as _place_matrix

    if not can_fork():  # pragma: no cover - not POSIX
        pytest.skip("no fork here: the matrix is searched in one process")
    G = rail_like_network(300, seed=3)
    monkeypatch.setattr(_place_matrix, "PARALLEL_MIN_CELLS", 0)
    # scipy's search, as without numba (the compiled one runs in threads, not processes)
    monkeypatch.setattr(_place_matrix, "COMPILED_MIN_CELLS", 10**18)
    monkeypatch.setattr(_compiled, "COMPILED", False)
    import os

    assert _place_matrix.matrix_workers(300, 300) == min(os.cpu_count() or 1, 300)
    nodes = list(G.nodes)
    got = bg.travel_time_matrix(G, nodes=nodes)
    want = dict(nx.all_pairs_dijkstra_path_length(G, weight="minutes"))
    for a in nodes[::7]:
        for b in nodes[::5]:
            assert got.loc[a, b] == pytest.approx(want[a].get(b, math.nan), nan_ok=True)
    # closeness reduces each block in its worker: equal to NetworkX's
    from belt_graph.centralities import closeness

    nxc = nx.closeness_centrality(G, distance="minutes")
    mine = closeness(G)
    assert all(mine[n] == pytest.approx(nxc[n], rel=1e-12) for n in nodes)


@pytest.mark.skipif(not COMPILED, reason="numba is a test dependency")
def test_the_compiled_matrix_equals_scipys_with_places_and_fractions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The compiled search in threads (buckets for whole minutes, the heap for fractions)."""
    from belt_graph.dataset.synthetic import rail_like_network
    from belt_graph.network import arrays as _place_matrix

    for minutes in (None, 0.25):  # whole minutes as built; then a quarter minute added
        G = rail_like_network(400, seed=5)
        if minutes is not None:
            for _, _, d in G.edges(data=True):
                d["minutes"] = d["minutes"] + minutes
        stations = list(G.nodes)
        for k in range(0, 400, 20):  # places over two stations each: ends, never steps
            G.add_node(f"P{k}", kind="city", transit=False)
            G.add_edge(f"P{k}", stations[k], minutes=5.0, kind="access")
            G.add_edge(f"P{k}", stations[k + 1], minutes=7.0, kind="access")
        nodes = list(G.nodes)
        with monkeypatch.context() as m:
            m.setattr(_place_matrix, "COMPILED_MIN_CELLS", 0)
            fast = bg.travel_time_matrix(G, nodes=nodes)
        with monkeypatch.context() as m:
            m.setattr(_place_matrix, "COMPILED_MIN_CELLS", 10**18)
            slow = bg.travel_time_matrix(G, nodes=nodes)
        pd.testing.assert_frame_equal(fast, slow)
        assert np.isfinite(fast.to_numpy()).mean() > 0.9
