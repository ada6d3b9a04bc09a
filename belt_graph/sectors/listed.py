"""The listed layer: places' named sectors, what they share, complement and cluster by."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as S
from .._units import check_hours, minutes_limit
from ..errors import UnknownPlaceError
from ..network import check_weights, simple_graph
from ..network.paths import cutoff_search

__all__ = [
    "cluster_summary",
    "clusters",
    "complementarity_note",
    "complementary_partners",
    "sector_matrix",
    "sector_pairs",
    "sector_projection",
]


def _profiles(B: nx.Graph) -> dict[str, set[str]]:
    """Each place's set of canonical sectors (places without sectors have an empty set)."""
    out: dict[str, set[str]] = {}
    for n, t in B.nodes(data="node_type"):
        if t == "place":
            out[str(n)] = {str(B.nodes[s]["sector"]) for s in B[n]}
    return out


def _families(B: nx.Graph) -> dict[str, str]:
    return {
        str(d["sector"]): str(d["family"])
        for _, d in B.nodes(data=True)
        if d.get("node_type") == "sector"
    }


def _family_wide(B: nx.Graph) -> set[str]:
    """Canonical sectors that name a whole family (``scope`` ``family``): never complementary."""
    return {
        str(d["sector"])
        for _, d in B.nodes(data=True)
        if d.get("node_type") == "sector" and d.get("scope") == "family"
    }


def sector_matrix(B: nx.Graph) -> pd.DataFrame:
    """Return the place x sector presence matrix (1 = the place has the sector).

    Parameters
    ----------
    B : networkx.Graph
        The place-sector layer (:func:`~belt_graph.sector_graph`).

    Returns
    -------
    DataFrame
        Index ``node`` (places with at least one sector), columns the canonical sectors sorted by
        family then name (a two-level column index ``family``, ``sector``), values 0 or 1.
        ``attrs["family_wide"]`` lists the sectors that name a whole family (taxonomy
        ``scope`` ``family``).

    Examples
    --------
    >>> from belt_graph import sector_graph, toy_dataset
    >>> sector_matrix(sector_graph(toy_dataset())).loc["A"].tolist()
    [0, 0, 1, 1]
    """
    prof = {p: s for p, s in _profiles(B).items() if s}
    fam = _families(B)
    cols = sorted(fam, key=lambda s: (fam[s], s))
    data = [[int(s in prof[p]) for s in cols] for p in sorted(prof)]
    index = pd.MultiIndex.from_tuples([(fam[s], s) for s in cols], names=["family", "sector"])
    out = pd.DataFrame(data, index=pd.Index(sorted(prof), name="node"), columns=index)
    out.attrs["family_wide"] = sorted(_family_wide(B))
    return out


def _complementary(
    a: set[str], b: set[str], fam: dict[str, str], wide: frozenset[str] | set[str] = frozenset()
) -> tuple[float, list[tuple[str, str]]]:
    only_a, only_b = a - b, b - a
    pairs = sorted(
        (x, y)
        for x in only_a
        for y in only_b
        if fam.get(x) == fam.get(y) and x != y and x not in wide and y not in wide
    )
    if not only_a and not only_b:
        return 0.0, []
    covered = {x for x, _ in pairs} | {y for _, y in pairs}
    return len(covered) / (len(only_a) + len(only_b)), pairs


def complementarity_note(B: nx.Graph) -> str:
    """Return why complementarity is 0 for every pair, or ``""`` when it can be computed.

    Complementarity counts sectors that are related but different, and two sectors are related
    when they share a family. If no two different sectors share one (a ``sectors.csv`` without
    a ``family`` column and no ``sector_taxonomy.csv`` makes every sector its own family), every
    pair scores 0 and no partner is complementary.

    Examples
    --------
    >>> from belt_graph import sector_graph, toy_dataset
    >>> complementarity_note(sector_graph(toy_dataset()))
    ''
    """
    families = list(_families(B).values())
    if len(families) != len(set(families)):
        return ""
    return (
        "complementarity cannot be computed: no two different sectors share a family, so every "
        "pair scores 0 (give sectors.csv a 'family' column or add a sector_taxonomy.csv; "
        "see data/README.md)"
    )


def sector_pairs(B: nx.Graph, *, include_empty: bool = False) -> pd.DataFrame:
    """Return overlap and complementarity for every pair of places.

    Parameters
    ----------
    B : networkx.Graph
        The place-sector layer (:func:`~belt_graph.sector_graph`).
    include_empty : bool, default False
        Also list places without any sector (their scores are 0).

    Returns
    -------
    DataFrame
        One row per unordered pair, columns ``origin``, ``destination`` (``origin < destination``),
        ``overlap``, ``complementarity``, ``shared_sectors`` (``;``-joined) and
        ``complementary_sectors`` (``a <> b`` pairs, ``;``-joined). Sorted by complementarity,
        then overlap (both descending), then the ids.

    Notes
    -----
    With ``S_i`` the canonical sectors of place ``i`` and ``fam(s)`` a sector's family:

    - **overlap** (Jaccard): ``|S_i & S_j| / |S_i | S_j|``; 0 when both are empty.
    - **complementarity**: the share of the two places' *non-shared* sectors that have a
      related counterpart on the other side: with ``U_i = S_i - S_j``, ``U_j = S_j - S_i`` and
      ``K = {(a, b) in U_i x U_j : fam(a) = fam(b)}``,
      ``(|{a : (a, b) in K}| + |{b : (a, b) in K}|) / (|U_i| + |U_j|)``; 0 when
      ``U_i`` and ``U_j`` are both empty. Related (same family) but different sectors score;
      identical sectors do not, and neither does a sector whose taxonomy ``scope`` is
      ``family`` (a name for the whole family, such as "new materials", which overlaps with
      every member rather than complementing it). Near-synonyms (biotechnology, biomedicine,
      life and health) are one canonical sector in the taxonomy, so they count as overlap.

    Both are symmetric and lie in [0, 1].

    Examples
    --------
    >>> from belt_graph import sector_graph, toy_dataset
    >>> p = sector_pairs(sector_graph(toy_dataset()))
    >>> first = p.iloc[0]
    >>> first["origin"], first["destination"], float(first["complementarity"])
    ('C', 'D', 1.0)
    """
    prof = _profiles(B)
    fam = _families(B)
    wide = _family_wide(B)
    ids = sorted(p for p, s in prof.items() if s or include_empty)
    rows = []
    for i, j in combinations(ids, 2):
        a, b = prof[i], prof[j]
        union = a | b
        comp, pairs = _complementary(a, b, fam, wide)
        rows.append(
            {
                "origin": i,
                "destination": j,
                "overlap": len(a & b) / len(union) if union else 0.0,
                "complementarity": comp,
                "shared_sectors": ";".join(sorted(a & b)),
                "complementary_sectors": ";".join(f"{x} <> {y}" for x, y in pairs),
            }
        )
    cols = [
        "origin",
        "destination",
        "overlap",
        "complementarity",
        "shared_sectors",
        "complementary_sectors",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(
        ["complementarity", "overlap", "origin", "destination"],
        ascending=[False, False, True, True],
    )
    return df.reset_index(drop=True)


def sector_projection(B: nx.Graph) -> pd.DataFrame:
    """Return every pair of places that share at least one sector, with counts and overlap.

    The projection of the place-sector layer onto places, computed as the sparse product
    ``M @ M.T`` of the place x sector incidence matrix ``M`` (:mod:`scipy.sparse`), which stays
    fast for tens of thousands of places where building a projected NetworkX graph does not.

    Parameters
    ----------
    B : networkx.Graph
        The place-sector layer (:func:`~belt_graph.sector_graph`).

    Returns
    -------
    DataFrame
        Columns ``origin``, ``destination`` (``origin < destination`` in place order),
        ``shared`` (number of shared canonical sectors) and ``overlap`` (Jaccard:
        ``shared / |S_i | S_j|``, as in :func:`sector_pairs`); sorted by ``shared``
        descending, then by the ids.

    Examples
    --------
    >>> from belt_graph import sector_graph, toy_dataset
    >>> sector_projection(sector_graph(toy_dataset())).to_dict("records")
    [{'origin': 'A', 'destination': 'B', 'shared': 1, 'overlap': 0.5}]
    """
    from scipy import sparse

    place_ids = [n for n, t in B.nodes(data="node_type") if t == "place"]
    sector_ids = [n for n, t in B.nodes(data="node_type") if t == "sector"]
    p_index = {p: i for i, p in enumerate(place_ids)}
    s_index = {x: i for i, x in enumerate(sector_ids)}
    rows, cols = [], []
    for u, v in B.edges():
        if u in s_index:
            u, v = v, u
        rows.append(p_index[u])
        cols.append(s_index[v])
    M = sparse.csr_array(
        (np.ones(len(rows)), (rows, cols)), shape=(len(place_ids), len(sector_ids))
    )
    size = np.asarray(M.sum(axis=1)).ravel()
    shared = sparse.triu(M @ M.T, k=1).tocoo()
    i, j, c = shared.row, shared.col, shared.data
    names = np.array(place_ids, dtype=object)
    df = pd.DataFrame(
        {
            "origin": names[i],
            "destination": names[j],
            "shared": c.astype(np.int64),
            "overlap": c / (size[i] + size[j] - c),
        }
    )
    order = np.lexsort((j, i, -c))
    return df.iloc[order].reset_index(drop=True)


def clusters(
    B: nx.Graph, *, seed: int = 0, resolution: float = 1.0, related_weight: float = 0.5
) -> pd.DataFrame:
    """Return communities of places and sectors found by Louvain modularity optimisation.

    Parameters
    ----------
    B : networkx.Graph
        The place-sector layer.
    seed : int, default 0
        Passed to :func:`networkx.community.louvain_communities`: same seed, same answer.
    resolution : float, default 1.0
        Louvain resolution; higher gives more, smaller clusters.
    related_weight : float, default 0.5
        Weight of the edges added between sectors of the same family (place-sector edges
        weigh 1), so that complementary places can fall into one cluster.

    Returns
    -------
    DataFrame
        Indexed by ``node`` (place ids and ``sector:<name>`` ids); columns ``cluster``
        (0 = largest), ``node_type`` (``place`` or ``sector``), ``name`` and ``family``.
        Places without sectors are left out.

    Examples
    --------
    >>> from belt_graph import sector_graph, toy_dataset
    >>> c = clusters(sector_graph(toy_dataset()), seed=1)
    >>> c.loc[["A", "B", "C", "D"], "cluster"].tolist()
    [0, 0, 1, 2]
    """
    H = nx.Graph()
    for u, v in B.edges():
        H.add_edge(u, v, weight=1.0)
    sectors = [n for n, t in B.nodes(data="node_type") if t == "sector"]
    for s, t in combinations(sorted(sectors), 2):
        if B.nodes[s]["family"] == B.nodes[t]["family"]:
            H.add_edge(s, t, weight=related_weight)
    if H.number_of_nodes() == 0:
        return pd.DataFrame(columns=["cluster", "node_type", "name", "family"])
    comms = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    comms = sorted(comms, key=lambda c: (-len(c), sorted(c)))
    rows = []
    for k, members in enumerate(comms):
        for n in sorted(members):
            d = B.nodes[n]
            is_sector = d.get("node_type") == "sector"
            rows.append(
                {
                    "node": n,
                    "cluster": k,
                    "node_type": "sector" if is_sector else "place",
                    "name": d["sector"] if is_sector else d.get("name", n),
                    "family": d.get("family", ""),
                }
            )
    return pd.DataFrame(rows).set_index("node")


def cluster_summary(clustered: pd.DataFrame) -> pd.DataFrame:
    """Return one row per cluster from :func:`clusters`: its ``places`` and ``sectors``.

    Parameters
    ----------
    clustered : pandas.DataFrame
        :func:`clusters`'s table.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``cluster``: ``places``, ``sectors`` and ``families`` as ``;``-joined lists.

    Examples
    --------
    >>> from belt_graph import sector_graph, toy_dataset
    >>> cluster_summary(clusters(sector_graph(toy_dataset()), seed=1))["places"].tolist()
    ['A;B', 'C', 'D']
    """
    rows = []
    for k, g in clustered.groupby("cluster", sort=True):
        rows.append(
            {
                "cluster": k,
                "places": ";".join(sorted(g.index[g["node_type"] == "place"])),
                "sectors": ";".join(sorted(g.loc[g["node_type"] == "sector", "name"])),
                "families": ";".join(sorted(set(g.loc[g["node_type"] == "sector", "family"]))),
            }
        )
    return pd.DataFrame(rows, columns=["cluster", "places", "sectors", "families"]).set_index(
        "cluster"
    )


def complementary_partners(
    G: nx.Graph,
    B: nx.Graph,
    origin: str,
    hours: float,
    *,
    min_complementarity: float = 0.0,
    weight: str = S.MINUTES,
) -> pd.DataFrame:
    """Return the places within ``hours`` of ``origin`` whose sectors complement its own.

    Joins the rail layer (fastest minutes) and the sector layer (:func:`sector_pairs`).

    Parameters
    ----------
    G : networkx.Graph
        The rail layer.
    B : networkx.Graph
        The place-sector layer.
    origin : str
        A node id.
    hours : float
        The time budget (>= 0).
    min_complementarity : float, default 0
        Keep partners whose complementarity is strictly above this.
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    DataFrame
        Indexed by ``node``; columns ``name``, ``minutes``, ``complementarity``, ``overlap``,
        ``complementary_sectors``, ``shared_sectors``. Sorted by complementarity (descending),
        then minutes, then id. Empty when the origin has no sectors in the data.

    Examples
    --------
    >>> from belt_graph import rail_graph, sector_graph, toy_dataset
    >>> ds = toy_dataset()
    >>> complementary_partners(rail_graph(ds), sector_graph(ds), "C", 0.5)
    Empty DataFrame
    Columns: [name, minutes, complementarity, overlap, complementary_sectors, shared_sectors]
    Index: []
    >>> complementary_partners(rail_graph(ds), sector_graph(ds), "C", 1).index.tolist()
    ['D']
    """
    hours = check_hours(hours)
    G = simple_graph(G, weight)
    if origin not in G:
        raise UnknownPlaceError(origin)
    check_weights(G, weight)
    dist, _, _ = cutoff_search(G, [origin], minutes_limit(hours), weight)
    pairs = sector_pairs(B, include_empty=True)
    mine = pairs[(pairs["origin"] == origin) | (pairs["destination"] == origin)]
    rows = []
    for rec in mine.to_dict("records"):
        other = rec["destination"] if rec["origin"] == origin else rec["origin"]
        if other not in dist or other == origin or rec["complementarity"] <= min_complementarity:
            continue
        rows.append(
            {
                "node": other,
                "name": G.nodes[other].get("name", other),
                "minutes": float(dist[other]),
                "complementarity": rec["complementarity"],
                "overlap": rec["overlap"],
                "complementary_sectors": rec["complementary_sectors"],
                "shared_sectors": rec["shared_sectors"],
            }
        )
    cols = [
        "node",
        "name",
        "minutes",
        "complementarity",
        "overlap",
        "complementary_sectors",
        "shared_sectors",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(["complementarity", "minutes", "node"], ascending=[False, True, True])
    return df.set_index("node")
