"""Shared shortest-path helpers for the analysis modules (private)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from .network import check_weights


def places(G: nx.Graph, *, include_hubs: bool = False) -> list[Any]:
    """Node ids (unchanged) of places (kind city or district), in graph order; hubs if asked."""
    return [n for n, k in G.nodes(data="kind") if include_hubs or k in S.PLACE_KINDS]


def minutes_matrix(
    G: nx.Graph, nodes: Sequence[str] | None = None, *, weight: str = S.MINUTES
) -> pd.DataFrame:
    """All-pairs fastest minutes between ``nodes`` (default: all), routing through every node.

    Uses :func:`scipy.sparse.csgraph.dijkstra` on the weighted adjacency matrix; unreachable
    pairs are NaN.
    """
    from scipy.sparse.csgraph import dijkstra

    check_weights(G, weight)
    order = list(G.nodes)
    wanted = order if nodes is None else list(nodes)
    index = {n: i for i, n in enumerate(order)}
    A = nx.to_scipy_sparse_array(G, nodelist=order, weight=weight, format="csr")
    rows = [index[n] for n in wanted]
    D = dijkstra(A, directed=False, indices=rows) if rows else np.zeros((0, len(order)))
    D = D[:, rows] if rows else D[:, :0]
    D[np.isinf(D)] = math.nan
    df = pd.DataFrame(D, index=pd.Index(wanted, name="origin"), columns=wanted)
    df.columns.name = "destination"
    return df
