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

from .dataset import Dataset, _Collector, read_rows
from .errors import DataFileError

__all__ = ["check_claims", "read_claims"]

KINDS = ("population_total", "gdp_count_above", "gdp_value", "travel_minutes", "travel_max")


def read_claims(dataset: Dataset) -> pd.DataFrame:
    """Return the dataset's ``claims.csv`` (empty DataFrame when it has none)."""
    path = dataset.path / "claims.csv"
    cols = ["claim_id", "text", "kind", "subject", "param", "low", "high", "unit", "source_ref"]
    if not path.is_file():
        return pd.DataFrame(columns=cols)
    problems = _Collector()
    rows = read_rows(path, cols, problems) or []
    for line, row in rows:
        if row["kind"] not in KINDS:
            problems.add(path, line, "kind", f"unknown claim kind {row['kind']!r}")
        for c in ("param", "low", "high"):
            if row[c]:
                try:
                    float(row[c])
                except ValueError:
                    problems.add(path, line, c, f"expected a number, got {row[c]!r}")
    if problems.problems:
        raise DataFileError(problems.problems)
    return pd.DataFrame([r for _, r in rows], columns=cols)


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
            ids = [s for s in subject.split(";") if s]
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
            targets = [d for d in dests.split(";") if d]
            dist = nx.single_source_dijkstra_path_length(G, origin, weight="minutes")
            times = {d: float(dist.get(d, math.nan)) for d in targets}
            observed = max(times.values()) if kind == "travel_max" else times[targets[0]]
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
