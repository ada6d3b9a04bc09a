"""Check a dataset's claims (e.g. a news article's figures) against its own data.

Claims are data: an optional ``claims.csv`` in the dataset folder, one row per claim, with the
range the claim allows written down before the check is run. Kinds:

- ``population_total``: the summed population of ``subject`` (``;``-separated ids).
- ``gdp_count_above``: how many of ``subject`` have GDP above ``param`` (bn CNY).
- ``gdp_value``: one place's GDP (bn CNY).
- ``travel_minutes``: fastest minutes ``origin>destination`` on the open rail network.
- ``travel_max``: the largest fastest minutes from ``origin`` to ``dest1;dest2;...``.

A claim ``agrees`` when ``low <= observed <= high`` (an empty bound is open), ``disagrees``
otherwise, and is ``unknown`` when a value it needs is missing.
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd

from . import schema as S
from .dataset import Dataset

__all__ = ["check_claims", "read_claims"]

KINDS = tuple(sorted(S.CLAIM_KINDS))


def read_claims(dataset: Dataset) -> pd.DataFrame:
    """Return the dataset's ``claims.csv``, validated at load (empty when it has none)."""
    return dataset.claims


def _num(x: str) -> float:
    return float(x) if x else math.nan


def check_claims(dataset: Dataset, G: nx.Graph) -> pd.DataFrame:
    """Return each claim with the value observed in the data and a verdict.

    Parameters
    ----------
    dataset : Dataset
    G : networkx.Graph
        The rail layer to measure travel times on.

    Returns
    -------
    DataFrame
        Indexed by ``claim_id``; columns ``text``, ``observed``, ``low``, ``high``, ``unit``,
        ``verdict`` (``agrees``, ``disagrees``, ``unknown``), ``detail`` (per-place values,
        unknowns) and ``source_ref``.

    Examples
    --------
    >>> from belt_graph import load_dataset, rail_graph
    >>> ds = load_dataset()
    >>> check_claims(ds, rail_graph(ds)).loc["people_50m", "verdict"]
    'agrees'
    """
    claims = read_claims(dataset)
    nodes = dataset.nodes
    rows = []
    for c in claims.to_dict("records"):
        kind, subject = c["kind"], c["subject"]
        observed, detail = math.nan, ""
        if kind in ("population_total", "gdp_count_above", "gdp_value"):
            ids = [s.strip() for s in subject.split(";") if s.strip()]
            col = "population" if kind == "population_total" else "gdp_cny_bn"
            values = nodes.reindex(ids)[col]
            unknown = [i for i in ids if math.isnan(float(values.get(i, math.nan)))]
            if kind == "population_total":
                observed = float(values.sum())
            elif kind == "gdp_count_above":
                observed = float((values > _num(c["param"])).sum())
            else:
                observed = float(values.iloc[0])
            detail = "; ".join(f"{i} {v:,.6g}" for i, v in values.items() if not math.isnan(v))
            if unknown:
                detail += f"; unknown: {', '.join(unknown)}"
                if kind == "gdp_value":
                    observed = math.nan
        else:
            origin, _, dests = subject.partition(">")
            origin = origin.strip()
            targets = [d.strip() for d in dests.split(";") if d.strip()]
            dist = (
                nx.single_source_dijkstra_path_length(G, origin, weight="minutes")
                if origin in G
                else {}
            )
            times = {d: float(dist.get(d, math.nan)) for d in targets}
            # an unreachable destination makes the observed value unknown (NaN)
            observed = max(times.values()) if kind == "travel_max" else times[targets[0]]
            if any(math.isnan(t) for t in times.values()):
                observed = math.nan
            detail = "; ".join(f"{d} {t:g} min" for d, t in times.items())
        low, high = _num(c["low"]), _num(c["high"])
        if math.isnan(observed):
            verdict = "unknown"
        else:
            ok = (math.isnan(low) or observed >= low) and (math.isnan(high) or observed <= high)
            if kind == "population_total" and not math.isnan(low):
                ok = observed > low and (math.isnan(high) or observed <= high)
            verdict = "agrees" if ok else "disagrees"
        rows.append(
            {
                "claim_id": c["claim_id"],
                "text": c["text"],
                "observed": observed,
                "low": low,
                "high": high,
                "unit": c["unit"],
                "verdict": verdict,
                "detail": detail,
                "source_ref": c["source_ref"],
            }
        )
    cols = [
        "claim_id",
        "text",
        "observed",
        "low",
        "high",
        "unit",
        "verdict",
        "detail",
        "source_ref",
    ]
    return pd.DataFrame(rows, columns=cols).set_index("claim_id")
