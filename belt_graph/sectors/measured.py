"""Measured specialisation and relatedness of places' sectors (issue 24).

The standard measures of economic geography, on a table ``E`` of a measured quantity
(employment) per region and sector, with unknown cells missing (NaN), never 0:

- location quotient ``LQ[c, s] = (E[c, s] / E[c]) / (E[s] / E)``, where ``E[c]`` sums region
  ``c``'s known cells, ``E[s]`` sums sector ``s`` over the regions where it is known and ``E``
  sums every known cell; ``specialised[c, s] = LQ[c, s] >= 1`` (False where unknown);
- proximity of two sectors over every region of the table (Hidalgo, Klinger, Barabási and
  Hausmann 2007, *Science* 317, "The product space conditions the development of nations": the
  minimum of the two conditional probabilities):
  ``phi[s, t] = |C_s & C_t| / max(|C_s|, |C_t|)`` with ``C_s`` the regions specialised in ``s``;
  ``phi[s, s] = 1``, and 0 when no region is specialised in either;
- relatedness density (Hidalgo et al. 2007; Neffke, Henning and Boschma 2011, *Economic
  Geography* 87):
  ``density[c, s] = sum_{t != s} phi[s, t] specialised[c, t] / sum_{t != s} phi[s, t]``;
- between two places ``a`` and ``b``: **overlap**, the Jaccard index of their sets of
  specialisations, and **complementarity**, the mean ``phi[i, j]`` over ``i`` specialised in
  ``a`` but not ``b`` and ``j`` in ``b`` but not ``a`` (related but different specialisations,
  after Frenken, Van Oort and Verburg 2007, *Regional Studies* 41, on related variety); NaN,
  "nothing to complement", when either set is empty.

A dataset carries the table as ``sector_measures.csv`` (:data:`~belt_graph.schema.MEASURES_FILE`):
every region of the reference (China's cities), each with the node it stands for, if any.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from ..dataset.core import Dataset
from ..errors import BeltGraphError

__all__ = [
    "MIN_SUPPORT",
    "SECTIONS",
    "SHORT_NAMES",
    "complementarity",
    "listed_against_measured",
    "location_quotients",
    "measure_matrix",
    "measured_clusters",
    "measured_layer",
    "measured_pairs",
    "overlap",
    "place_notes",
    "proximity",
    "relatedness_density",
    "relatedness_table",
    "sector_name",
    "specialisation_table",
    "specialised",
]

#: A pair's measured complementarity needs this many specialisations on each side and this
#: many sector pairs to rest on (issue 40): one difference alone is no finding.
MIN_SUPPORT = 3

#: The 19 sections of GB/T 4754-2017 (China's industry classification) that the city yearbook
#: reports employment for: letter -> (English, Chinese).
SECTIONS = {
    "A": ("agriculture, forestry, animal husbandry and fishery", "农、林、牧、渔业"),
    "B": ("mining", "采矿业"),
    "C": ("manufacturing", "制造业"),
    "D": ("electricity, heat, gas and water supply", "电力、热力、燃气及水生产和供应业"),
    "E": ("construction", "建筑业"),
    "F": ("wholesale and retail trade", "批发和零售业"),
    "G": ("transport, storage and post", "交通运输、仓储和邮政业"),
    "H": ("accommodation and catering", "住宿和餐饮业"),
    "I": ("information transmission, software and IT services", "信息传输、软件和信息技术服务业"),
    "J": ("finance", "金融业"),
    "K": ("real estate", "房地产业"),
    "L": ("leasing and business services", "租赁和商务服务业"),
    "M": ("scientific research and technical services", "科学研究和技术服务业"),
    "N": ("water conservancy, environment and public facilities", "水利、环境和公共设施管理业"),
    "O": ("resident, repair and other services", "居民服务、修理和其他服务业"),
    "P": ("education", "教育"),
    "Q": ("health and social work", "卫生和社会工作"),
    "R": ("culture, sports and entertainment", "文化、体育和娱乐业"),
    "S": ("public administration and social organisations", "公共管理、社会保障和社会组织"),
}


#: Short English names of the sections, for sentences (:data:`SECTIONS` has the full ones).
SHORT_NAMES = {
    "A": "agriculture", "B": "mining", "C": "manufacturing", "D": "utilities",
    "E": "construction", "F": "trade", "G": "transport", "H": "hotels and catering",
    "I": "ICT", "J": "finance", "K": "real estate", "L": "business services", "M": "research",
    "N": "environment", "O": "household services", "P": "education", "Q": "health",
    "R": "culture and sport", "S": "public administration",
}  # fmt: skip


def sector_name(code: str) -> str:
    """Return a measured sector's name for a table or a sentence: a section's short name.

    A code that is not one of GB/T 4754's sections (a user's own layer) is its own name.

    Examples
    --------
    >>> sector_name("K"), sector_name("I"), sector_name("39")
    ('real estate', 'ICT', '39')
    """
    return SHORT_NAMES.get(str(code), str(code))


def measure_matrix(ds: Dataset) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return the region x sector table of a dataset's measured layer, and region -> place.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sector_measures.csv``.

    Returns
    -------
    tuple of (DataFrame, dict)
        Values indexed by region (rows, in file order) and sector (columns, sorted), NaN where
        unknown; and the node each region stands for (regions of the reference only are left
        out).

    Raises
    ------
    BeltGraphError
        If the dataset has no measured layer.

    """
    m = ds.measures
    if m is None or not len(m):
        raise BeltGraphError(
            f"the dataset {ds.name!r} has no measured sector layer (sector_measures.csv)"
        )
    E = m.pivot(index="region", columns="sector", values="value")
    E = E.reindex(index=list(dict.fromkeys(m["region"])), columns=sorted(E.columns))
    places = {str(r): str(p) for r, p in zip(m["region"], m["place"], strict=True) if p}
    return E.astype(float), places


def location_quotients(E: pd.DataFrame) -> pd.DataFrame:
    """Return ``LQ[c, s] = (E[c, s] / E[c]) / (E[s] / E)`` over the known cells (NaN elsewhere).

    Parameters
    ----------
    E : pandas.DataFrame
        A measured quantity, regions x sectors, NaN where unknown.

    Returns
    -------
    pandas.DataFrame
        The location quotients, same shape.

    Examples
    --------
    >>> E = pd.DataFrame({"x": [8.0, 2.0], "y": [2.0, 8.0]}, index=["a", "b"])
    >>> location_quotients(E).round(2).to_dict()
    {'x': {'a': 1.6, 'b': 0.4}, 'y': {'a': 0.4, 'b': 1.6}}
    """
    region = E.sum(axis=1, min_count=1)
    sector = E.sum(axis=0, min_count=1)
    total = float(np.nansum(E.to_numpy()))
    return E.div(region, axis=0).div(sector / total, axis=1)


def specialised(lq: pd.DataFrame) -> pd.DataFrame:
    """Return ``LQ >= 1`` as booleans, False where the LQ is unknown.

    Parameters
    ----------
    lq : pandas.DataFrame
        Location quotients (:func:`location_quotients`).

    Returns
    -------
    pandas.DataFrame
        True where the region is specialised in the sector.

    """
    return lq.ge(1.0) & lq.notna()


def proximity(spec: pd.DataFrame) -> pd.DataFrame:
    """Return ``phi[s, t] = |C_s & C_t| / max(|C_s|, |C_t|)`` over the regions of ``spec``.

    ``phi[s, s] = 1``; 0 for two sectors no region is specialised in.

    Parameters
    ----------
    spec : pandas.DataFrame
        Booleans, regions x sectors (:func:`specialised`).

    Returns
    -------
    pandas.DataFrame
        Sectors x sectors, symmetric.

    """
    M = spec.to_numpy(dtype=float)
    both = M.T @ M
    size = M.sum(axis=0)
    larger = np.maximum.outer(size, size)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(larger > 0, both / np.where(larger > 0, larger, 1.0), 0.0)
    np.fill_diagonal(phi, 1.0)
    return pd.DataFrame(phi, index=spec.columns, columns=spec.columns)


def relatedness_density(spec: pd.DataFrame, phi: pd.DataFrame) -> pd.DataFrame:
    """Return ``density[c, s] = sum_{t != s} phi[s, t] spec[c, t] / sum_{t != s} phi[s, t]``.

    Parameters
    ----------
    spec : pandas.DataFrame
        Booleans, regions x sectors (:func:`specialised`).
    phi : pandas.DataFrame
        Proximity, sectors x sectors (:func:`proximity`).

    Returns
    -------
    pandas.DataFrame
        Regions x sectors; NaN for a sector with no proximity to any other.

    """
    P = phi.loc[spec.columns, spec.columns].to_numpy(dtype=float).copy()
    np.fill_diagonal(P, 0.0)
    weights = P.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        D = spec.to_numpy(dtype=float) @ P / np.where(weights > 0, weights, np.nan)
    return pd.DataFrame(D, index=spec.index, columns=spec.columns)


def overlap(spec: pd.DataFrame, a: str, b: str) -> float:
    """Return the Jaccard index of the specialisations of regions ``a`` and ``b`` (NaN if none).

    Parameters
    ----------
    spec : pandas.DataFrame
        Booleans, regions x sectors (:func:`specialised`).
    a, b : str
        Two regions.

    Returns
    -------
    float
        ``|A & B| / |A | B|``.

    """
    A, B = set(spec.columns[spec.loc[a]]), set(spec.columns[spec.loc[b]])
    return len(A & B) / len(A | B) if A | B else math.nan


def complementarity(spec: pd.DataFrame, phi: pd.DataFrame, a: str, b: str) -> float:
    """Return the mean ``phi[i, j]`` over ``i`` in ``A - B`` and ``j`` in ``B - A`` (NaN if empty).

    Parameters
    ----------
    spec : pandas.DataFrame
        Booleans, regions x sectors (:func:`specialised`).
    phi : pandas.DataFrame
        Proximity (:func:`proximity`).
    a, b : str
        Two regions.

    Returns
    -------
    float
        How related the specialisations only one of them has are; NaN, nothing to complement,
        when either has none the other lacks.

    """
    A, B = set(spec.columns[spec.loc[a]]), set(spec.columns[spec.loc[b]])
    only_a, only_b = sorted(A - B), sorted(B - A)
    if not only_a or not only_b:
        return math.nan
    return float(phi.loc[only_a, only_b].to_numpy().mean())


def place_notes(ds: Dataset) -> dict[str, str]:
    """Return the measured layer's note on each place (such as a stand-in region's profile).

    Putuo has no employment by section of its own: Shanghai's stands for it, less the sections
    an urban district does not carry (agriculture), and every measured answer says both: the
    place's own note, then, for each section its profile leaves out, the section's name and
    the note of its row ("agriculture left out of Putuo's profile: ...").
    """
    m = ds.measures
    notes: dict[str, str] = {}
    if m is None or not len(m) or "note" not in m.columns:
        return notes
    place = m["place"].fillna("").astype(str)
    note = m["note"].fillna("").astype(str)
    for p, n in zip(place, note, strict=True):
        if p and n and p not in notes:
            notes[p] = n
    keys = zip(m["region"].astype(str), m["sector"].astype(str), strict=True)
    said = dict(zip(keys, note, strict=True))
    for p, (region, sectors) in _left_out(ds).items():
        for s in sectors:
            why = said.get((region, s), "")
            left = f"{sector_name(s)} {why}" if why else f"{sector_name(s)} left out"
            notes[p] = "; ".join(filter(None, (notes.get(p, ""), left)))
    return notes


def _left_out(ds: Dataset) -> dict[str, tuple[str, list[str]]]:
    """Return place -> (its region, the region's known sectors no row of the place names)."""
    m = ds.measures
    if m is None or not len(m):
        return {}
    place = m["place"].fillna("").astype(str)
    named: dict[str, set[str]] = {}
    region_of: dict[str, str] = {}
    for p, r, s in zip(place, m["region"], m["sector"], strict=True):
        if p:
            named.setdefault(p, set()).add(str(s))
            region_of[p] = str(r)
    out: dict[str, tuple[str, list[str]]] = {}
    for p, r in region_of.items():
        rest = set(m.loc[(m["region"] == r) & (place == ""), "sector"].astype(str)) - named[p]
        if rest:
            out[p] = (r, sorted(rest))
    return out


def measured_layer(
    ds: Dataset,
) -> tuple[pd.DataFrame, dict[str, str], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the measured layer, computed once: table, region -> place, LQ, specialised, phi.

    The table ``E`` and the proximity ``phi`` are the reference's (every region whole). The
    rows of ``LQ`` and ``specialised`` of a region that stands for a place are the place's
    profile: where the place's rows leave a section out (Putuo: agriculture), the section is
    unknown for it (NaN, not specialised) and its shares are of the sections it keeps.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sector_measures.csv``.

    Returns
    -------
    tuple of (DataFrame, dict, DataFrame, DataFrame, DataFrame)
        ``E``, region -> place, ``LQ``, ``specialised`` (regions x sectors) and ``phi``
        (sectors x sectors).

    """
    E, places = measure_matrix(ds)
    lq = location_quotients(E)
    phi = proximity(specialised(lq))
    left = _left_out(ds)
    if left:
        national = E.sum(axis=0, min_count=1) / float(np.nansum(E.to_numpy()))
        for region, out in left.values():
            kept = E.loc[region].drop(out)
            lq.loc[region, kept.index] = (kept / kept.sum(min_count=1)) / national[kept.index]
            lq.loc[region, out] = math.nan
    return E, places, lq, specialised(lq), phi


def specialisation_table(ds: Dataset) -> pd.DataFrame:
    """Return each place's measured sectors: employment, LQ, specialised, relatedness density.

    The measures are computed over every region of the dataset's measured layer (China's cities
    for the bundled datasets) and reported for the regions that stand for a place.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sector_measures.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``place``, ``sector`` (its code), ``name`` (:func:`sector_name`),
        ``employment``, ``lq``, ``specialised``, ``density``;
        one row per place and sector, in the order of ``nodes.csv`` and of the sections.

    """
    E, places, lq, spec, phi = measured_layer(ds)
    density = relatedness_density(spec, phi)
    left_out = {(region, s) for region, out in _left_out(ds).values() for s in out}
    order = {p: i for i, p in enumerate(map(str, ds.nodes.index))}
    rows = []
    for region, place in sorted(places.items(), key=lambda kv: order.get(kv[1], len(order))):
        for s in E.columns:
            rows.append(
                {
                    "place": place,
                    "sector": s,
                    "name": sector_name(s),
                    "employment": math.nan if (region, s) in left_out else E.at[region, s],
                    "lq": lq.at[region, s],
                    "specialised": bool(spec.at[region, s]),
                    "density": density.at[region, s],
                }
            )
    return pd.DataFrame(
        rows,
        columns=["place", "sector", "name", "employment", "lq", "specialised", "density"],
    )


def listed_against_measured(ds: Dataset) -> pd.DataFrame:
    """Return each place's listed sectors beside its measured specialisation in their section.

    The fine, qualitative layer (``sectors.csv``, mapped by ``sector_taxonomy.csv``) names
    industries such as "integrated circuits"; the taxonomy's ``section`` column gives the
    GB/T 4754 section each belongs to (C for manufacturing, I for software, ...), where one
    section holds it. This joins the two layers: does the place's measured employment make it
    specialised in the section of the industry the sources list for it?

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sectors.csv``, ``sector_taxonomy.csv`` (with ``section``) and
        ``sector_measures.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``place``, ``sector`` (canonical), ``family``, ``section`` (blank when the
        industry spans several sections), ``lq`` (NaN when the section is blank or the cell
        unknown) and ``specialised`` (``LQ >= 1``; None where ``lq`` is NaN); one row per place
        and listed sector, in the order of ``nodes.csv``; ``note``: the measured layer's
        note on the place (such as a stand-in region's profile). A section is coarse: every
        manufacturing industry shares section C, so the check says whether the place is
        specialised in manufacturing, not in that industry.

    """
    cols = ["place", "sector", "family", "section", "lq", "specialised", "note"]
    tax = ds.taxonomy
    if not len(ds.sectors) or "section" not in tax.columns:
        return pd.DataFrame(columns=cols)
    sections: dict[str, set[str]] = {}
    for sector, section in zip(tax["sector"], tax["section"], strict=True):
        sections.setdefault(str(sector), set()).add(str(section or ""))
    _, places, lq, spec, _ = measured_layer(ds)
    region_of = {p: r for r, p in places.items()}
    notes = place_notes(ds)
    order = {p: i for i, p in enumerate(map(str, ds.nodes.index))}
    listed = ds.sectors.drop_duplicates(["node", "sector"])
    rows = []
    for node, sector, family in zip(
        listed["node"], listed["sector"], listed["family"], strict=True
    ):
        held = sections.get(str(sector), {""})
        section = next(iter(held)) if len(held) == 1 else ""
        region = region_of.get(str(node))
        known = bool(section) and region is not None and section in lq.columns
        value = float(lq.at[region, section]) if known else math.nan
        rows.append(
            {
                "place": str(node),
                "sector": str(sector),
                "family": str(family),
                "section": section,
                "lq": value,
                "specialised": bool(spec.at[region, section]) if known else None,
                "note": notes.get(str(node), ""),
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    out["_o"] = out["place"].map(lambda p: order.get(p, len(order)))
    return out.sort_values(["_o", "family", "sector"]).drop(columns="_o").reset_index(drop=True)


def relatedness_table(ds: Dataset) -> pd.DataFrame:
    """Return the proximity of every unordered pair of sectors of a dataset's measured layer.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sector_measures.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``sector_a``, ``name_a``, ``sector_b``, ``name_b`` (codes, ``sector_a <
        sector_b``, and their :func:`sector_name`), ``proximity``.

    """
    phi = measured_layer(ds)[4]
    rows = [
        {
            "sector_a": s,
            "name_a": sector_name(s),
            "sector_b": t,
            "name_b": sector_name(t),
            "proximity": float(phi.at[s, t]),
        }
        for s, t in itertools.combinations(phi.columns, 2)
    ]
    return pd.DataFrame(rows, columns=["sector_a", "name_a", "sector_b", "name_b", "proximity"])


def measured_pairs(ds: Dataset, *, min_support: int = MIN_SUPPORT) -> pd.DataFrame:
    """Return the measured overlap and complementarity of every pair of places.

    Both as defined in the module docstring, on the specialisations (LQ >= 1 against every
    region of the measured layer).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sector_measures.csv``.
    min_support : int, default :data:`MIN_SUPPORT`
        A pair gets a complementarity only where each place has at least this many
        specialisations and the value rests on at least this many sector pairs (``support``);
        else it is NaN. A value resting on one difference (one sector each) says little.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair: ``origin``, ``destination`` (``origin < destination``),
        ``overlap``, ``complementarity`` (NaN: nothing to complement, or less support than
        ``min_support``), ``support`` (the sector pairs it is the mean of), ``shared_sectors`` and
        ``complementary_sectors`` (the most related specialisations only one place has, with
        their proximity), ``;``-joined, in words (:func:`sector_name`: "real estate <> ICT
        (0.35)"), and the same with the sector codes, ``shared_codes`` and
        ``complementary_codes`` ("K <> I (0.35)"). Sorted by complementarity (NaN last), then
        overlap, both descending, then the ids.

    """
    _, places, _, spec, phi = measured_layer(ds)
    region_of = {p: r for r, p in places.items()}
    # numbers, not labels, inside the loop over pairs (pandas' indexing took a minute for the
    # 42,778 pairs of China's cities); sectors taken in name order, as the sets were sorted
    names = np.array(list(map(str, spec.columns)), dtype=object)
    by_name = np.argsort(names, kind="stable")
    S = spec.to_numpy(dtype=bool)[:, by_name]
    P = phi.loc[spec.columns, spec.columns].to_numpy(dtype=float)[np.ix_(by_name, by_name)]
    sorted_names = names[by_name]
    column_order = spec.to_numpy(dtype=bool)
    row = {r: i for i, r in enumerate(spec.index)}
    rows = []
    for a, b in itertools.combinations(sorted(region_of), 2):
        ia, ib = row[region_of[a]], row[region_of[b]]
        A, B = S[ia], S[ib]
        both, either = int((A & B).sum()), int((A | B).sum())
        only_a, only_b = np.flatnonzero(A & ~B), np.flatnonzero(B & ~A)
        block = P[np.ix_(only_a, only_b)]
        # the most related specialisations only one has: by proximity, then the names
        top = np.argsort(-block.ravel(), kind="stable")[:3]
        best = [
            (sorted_names[only_a[k // len(only_b)]], sorted_names[only_b[k % len(only_b)]], k)
            for k in top.tolist()
        ]
        related = ";".join(f"{x} <> {y} ({block.ravel()[k]:.2f})" for x, y, k in best)
        in_words = ";".join(
            f"{sector_name(x)} <> {sector_name(y)} ({block.ravel()[k]:.2f})" for x, y, k in best
        )
        shared = list(map(str, spec.columns[column_order[ia] & column_order[ib]]))
        supported = block.size >= max(min_support, 1) and min(A.sum(), B.sum()) >= min_support
        rows.append(
            {
                "origin": a,
                "destination": b,
                "overlap": both / either if either else math.nan,
                # summed column by column, as pandas holds a frame's values: the same bits
                "complementarity": (
                    float(np.ascontiguousarray(block.T).mean()) if supported else math.nan
                ),
                "support": int(block.size),
                "shared_sectors": ";".join(map(sector_name, shared)),
                "complementary_sectors": in_words,
                "shared_codes": ";".join(shared),
                "complementary_codes": related,
            }
        )
    columns = [
        "origin", "destination", "overlap", "complementarity", "support", "shared_sectors",
        "complementary_sectors", "shared_codes", "complementary_codes",
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=columns)
    df = df.sort_values(
        ["complementarity", "overlap", "origin", "destination"],
        ascending=[False, False, True, True],
        na_position="last",
    )
    return df.reset_index(drop=True)


def measured_clusters(ds: Dataset, *, seed: int = 0, resolution: float = 1.0) -> pd.DataFrame:
    """Return communities of the industry space and of places by their specialisations.

    Sectors are linked by their proximity ``phi`` (the industry space); places by the Jaccard
    overlap of their specialisations. Each graph is split by Louvain modularity
    (``networkx.community.louvain_communities``), reproducible with ``seed``.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset with ``sector_measures.csv``.
    seed : int, default 0
        The random seed of the Louvain method.
    resolution : float, default 1.0
        The Louvain resolution (above 1: smaller communities).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``node`` (a section letter or a place id); columns ``kind`` (``sector`` or
        ``place``), ``cluster`` (numbered from 1 within each kind, largest first) and
        ``name``.

    """
    import networkx as nx

    _, places, _, spec, phi = measured_layer(ds)
    region_of = {p: r for r, p in places.items()}
    space = nx.Graph()
    space.add_nodes_from(phi.columns)
    for s, t in itertools.combinations(phi.columns, 2):
        if phi.at[s, t] > 0:
            space.add_edge(s, t, weight=float(phi.at[s, t]))
    profiles = nx.Graph()
    profiles.add_nodes_from(sorted(region_of))
    for a, b in itertools.combinations(sorted(region_of), 2):
        w = overlap(spec, region_of[a], region_of[b])
        if w > 0:
            profiles.add_edge(a, b, weight=w)
    rows = []
    for kind, graph in (("sector", space), ("place", profiles)):
        found = nx.community.louvain_communities(graph, seed=seed, resolution=resolution)
        ordered = sorted(found, key=lambda c: (-len(c), sorted(map(str, c))))
        for k, members in enumerate(ordered, start=1):
            for n in sorted(members, key=str):
                name = SECTIONS.get(str(n), ("",))[0] if kind == "sector" else str(n)
                rows.append({"node": n, "kind": kind, "cluster": k, "name": name})
    return pd.DataFrame(rows, columns=["node", "kind", "cluster", "name"]).set_index("node")
