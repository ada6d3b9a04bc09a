"""Check a dataset's claims (e.g. a news article's figures) against its own data.

Claims are data: an optional ``claims.csv`` in the dataset folder, one row per claim, with the
range the claim allows written down before the check is run. Kinds:

- ``population_total``: the summed population of ``subject`` (``;``-separated ids).
- ``gdp_count_above``: how many of ``subject`` have GDP above ``param`` (bn CNY).
- ``gdp_value``: one place's GDP (bn CNY).
- ``travel_minutes``: the minutes by train ``origins>destination`` on the open rail network:
  the part of the fastest journey (door to door, where the network counts access and egress)
  from its first station to its last, as an article's "Shanghai is an hour from Nanjing"
  counts; ``detail`` gives the stations and the door-to-door minutes too.
- ``travel_max``: the largest such minutes from an origin to ``dest1;dest2;...``.

A travel claim lists its origins (``AOH;SHH;SXH;SNH;Putuo>Wuxi``): "Shanghai is half an hour
from Wuxi" does not say from which Shanghai station, so it is checked from each one, and from
Putuo through its own station and access link. A destination that is a place is reached at any
of its stations, its access link included.

A claim ``agrees`` when ``low <= observed <= high`` (an empty bound is open), ``disagrees``
otherwise, and is ``unknown`` when a value it needs is missing (an unknown GDP, an unreachable
destination).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx
import pandas as pd

from . import schema as S
from .dataset.core import Dataset
from .network import simple_graph
from .network.paths import cutoff_search_ends, ends_only

__all__ = ["check_claims", "read_claims"]

KINDS = tuple(sorted(S.CLAIM_KINDS))


def read_claims(dataset: Dataset) -> pd.DataFrame:
    """Return the dataset's ``claims.csv``, validated at load (empty when it has none).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).

    Returns
    -------
    pandas.DataFrame
        One row per claim, with the columns of ``claims.csv`` (``data/README.md``).

    """
    return dataset.claims


def _num(x: str) -> float:
    return float(x) if x else math.nan


def _verdict(kind: str, observed: float, low: float, high: float) -> str:
    if math.isnan(observed):
        return "unknown"
    ok = (math.isnan(low) or observed >= low) and (math.isnan(high) or observed <= high)
    if kind == "population_total" and not math.isnan(low):
        ok = observed > low and (math.isnan(high) or observed <= high)  # "in excess of"
    return "agrees" if ok else "disagrees"


def check_claims(dataset: Dataset, networks: nx.Graph | Mapping[str, nx.Graph]) -> pd.DataFrame:
    """Return each claim with the value observed in the data and a verdict.

    Parameters
    ----------
    dataset : Dataset
    networks : networkx.Graph or mapping of label to graph
        The rail layer to measure travel times on, or several (``{"2024": G, "2020": G2020}``)
        to check the travel claims on each.

    Returns
    -------
    DataFrame
        One row per claim and, for travel claims, per origin. Columns ``claim_id``, ``origin``
        (empty for the other kinds), ``text``, ``low``, ``high``, ``unit``, then for each
        network ``observed`` and ``verdict`` (``agrees``, ``disagrees``, ``unknown``) and
        ``detail`` (per-place values, the station each place is reached at, unknowns), suffixed
        ``_<label>`` when several networks are given, and ``source_ref``.

    Examples
    --------
    >>> from belt_graph import load_dataset, rail_graph
    >>> ds = load_dataset()
    >>> c = check_claims(ds, rail_graph(ds))
    >>> c.set_index("claim_id").loc["people_50m", "verdict"]
    'agrees'
    """
    graphs = {"": networks} if isinstance(networks, nx.Graph) else dict(networks)
    claims = read_claims(dataset)
    nodes = dataset.nodes
    names = nodes["name"].to_dict()
    rows = []
    for c in claims.to_dict("records"):
        kind, subject = c["kind"], c["subject"]
        low, high = _num(c["low"]), _num(c["high"])
        head = {
            "claim_id": c["claim_id"],
            "text": c["text"],
            "low": low,
            "high": high,
            "unit": c.get("unit", ""),
        }
        if kind in ("population_total", "gdp_count_above", "gdp_value"):
            observed, detail = _place_values(kind, subject, c.get("param", ""), nodes)
            row = {**head, "origin": ""}
            for label in graphs:
                sfx = f"_{label}" if label else ""
                row |= {
                    f"observed{sfx}": observed,
                    f"verdict{sfx}": _verdict(kind, observed, low, high),
                    f"detail{sfx}": detail,
                }
            rows.append(row | {"source_ref": c.get("source_ref", "")})
            continue
        origins, _, dests = subject.partition(">")
        targets = [d.strip() for d in dests.split(";") if d.strip()]
        for origin in (o.strip() for o in origins.split(";") if o.strip()):
            row = {**head, "origin": origin}
            for label, G in graphs.items():
                sfx = f"_{label}" if label else ""
                observed, detail = _travel(kind, G, origin, targets, names)
                row |= {
                    f"observed{sfx}": observed,
                    f"verdict{sfx}": _verdict(kind, observed, low, high),
                    f"detail{sfx}": detail,
                }
            rows.append(row | {"source_ref": c.get("source_ref", "")})
    measured = [
        f"{col}{'_' + label if label else ''}"
        for label in graphs
        for col in ("observed", "verdict", "detail")
    ]
    cols = ["claim_id", "origin", "text", "low", "high", "unit", *measured, "source_ref"]
    return pd.DataFrame(rows, columns=cols)


def _place_values(kind: str, subject: str, param: str, nodes: pd.DataFrame) -> tuple[float, str]:
    ids = [s.strip() for s in subject.split(";") if s.strip()]
    col = "population" if kind == "population_total" else "gdp_cny_bn"
    values = nodes.reindex(ids)[col]
    unknown = [i for i in ids if math.isnan(float(values.get(i, math.nan)))]
    if kind == "population_total":
        observed = float(values.sum())
    elif kind == "gdp_count_above":
        observed = float((values > _num(param)).sum())
    else:
        observed = float(values.iloc[0])
    detail = "; ".join(f"{i} {v:,.6g}" for i, v in values.items() if not math.isnan(v))
    if unknown:
        detail += f"; unknown: {', '.join(unknown)}"
        if kind == "gdp_value":
            observed = math.nan
    return observed, detail


def _travel(
    kind: str, G: nx.Graph, origin: str, targets: list[str], names: dict[str, str]
) -> tuple[float, str]:
    G = simple_graph(G)
    if origin not in G:
        return math.nan, f"{origin} is not in this network"
    ends = ends_only(G)
    dist, _, parent, first = cutoff_search_ends(G, [origin], math.inf, S.MINUTES)
    times = {}
    parts = []
    for d in targets:
        if d not in dist:
            times[d] = math.nan
            parts.append(f"{d} unreachable")
            continue
        at = parent.get(d) if d in ends else None
        start, access = first[d]
        egress = dist[d] - dist[at] if at is not None else 0.0
        # a claim of the time from Shanghai to a city is a train time: the train part of the
        # fastest journey door to door, from its first station to its last
        times[d] = dist[d] - access - egress
        if access or egress:
            parts.append(
                f"{d} {times[d]:g} min by train ({names.get(str(start), start)} to "
                f"{names.get(str(at), at)}), {dist[d]:g} door to door"
            )
        else:
            where = f" at {names.get(str(at), at)}" if at is not None else ""
            parts.append(f"{d} {times[d]:g} min{where}")
    values = list(times.values())
    if any(math.isnan(t) for t in values):
        return math.nan, "; ".join(parts)
    return (max(values) if kind == "travel_max" else values[0]), "; ".join(parts)
