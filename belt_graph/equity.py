"""What a change of the network is worth, and to whom: person-hours, reach, and equity.

:func:`benefits` compares a base network with a changed one (a scenario, a closure) place by
place: the hours a day spent travelling under a stated demand proxy (:func:`daily_trips`, an
assumption), the people and GDP within 1, 2 and 3 h, and the inequality of gravity
accessibility over the places (:func:`inequality`: coefficient of variation, Gini, Theil).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .dataset.core import Dataset
from .network import rail_graph
from .network.paths import places

__all__ = [
    "BENEFIT_HOURS",
    "TRIPS_PER_RESIDENT_DAY",
    "benefits",
    "daily_trips",
    "inequality",
]

#: Past this many minutes a pair counts as cut off (as
#: :data:`~belt_graph.resilience.HORIZON_MINUTES`).
HORIZON_MINUTES = 360.0

#: Rail trips a resident makes per day, for the demand proxy (an assumption of scale): China's
#: railways carried about 3.85 billion passengers in 2023 (National Railway Administration,
#: 2023 statistical bulletin; unverified here) for about 1.41 billion people: 0.0075 a day.
TRIPS_PER_RESIDENT_DAY = 3.85e9 / 1.41e9 / 365

#: The e-folding minutes of the demand proxy's decay with travel time (as the gravity
#: accessibility's default, :func:`~belt_graph.centralities.decay_function`).
DEMAND_DECAY_MINUTES = 60.0


def daily_trips(
    minutes: np.ndarray, population: np.ndarray, *, rate: float = TRIPS_PER_RESIDENT_DAY
) -> np.ndarray:
    """Return the demand proxy: rail trips a day from each place to each other (an assumption).

    Each resident of place ``i`` makes ``rate`` trips a day (:data:`TRIPS_PER_RESIDENT_DAY`),
    shared among the other places reachable in proportion to ``P_j exp(-t_ij / 60)`` (a
    production-constrained gravity model, the decay of the gravity accessibility): ``T_ij =
    rate P_i P_j f(t_ij) / sum_k P_k f(t_ik)``. Not calibrated on any count of passengers: it
    scales person-hours, and ranks closures by who travels where, no more. Unknown populations
    give no trips.
    """
    M = np.asarray(minutes, dtype=float)
    P = np.nan_to_num(np.asarray(population, dtype=float), nan=0.0)
    with np.errstate(invalid="ignore", over="ignore"):
        f = np.exp(-np.where(np.isfinite(M), M, np.inf) / DEMAND_DECAY_MINUTES)
    np.fill_diagonal(f, 0.0)
    w = f * P[None, :]
    total = w.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, w / total, 0.0)
    trips: np.ndarray = rate * P[:, None] * share
    return trips


#: The hours of the reach bands in :func:`benefits`.
BENEFIT_HOURS = (1.0, 2.0, 3.0)


def inequality(x: np.ndarray) -> dict[str, float]:
    """Return the coefficient of variation, Gini and Theil index of ``x`` (each place once).

    With ``mu`` the mean and ``n`` the count of the finite values: ``cv = sd / mu`` (sd with
    divisor ``n``); ``gini = sum_ij |x_i - x_j| / (2 n^2 mu)`` (Gini 1912); ``theil = (1/n)
    sum_i (x_i / mu) ln(x_i / mu)``, with ``0 ln 0 = 0`` (Theil, *Economics and Information
    Theory*, 1967). 0 when every value is equal; larger, the more unequal. These are the
    measures studies of high-speed rail and equity apply to accessibility, e.g. Monzon, Ortega
    & Lopez, *Cities* 30 (2013), and Kim & Sultana, *Journal of Transport Geography* 45 (2015).

    Examples
    --------
    >>> {k: round(v, 4) for k, v in inequality(np.array([1.0, 1.0, 4.0])).items()}
    {'cv': 0.7071, 'gini': 0.3333, 'theil': 0.231}
    """
    v = np.asarray(x, dtype=float)
    v = v[np.isfinite(v)]
    if not len(v) or v.mean() <= 0:
        return {"cv": math.nan, "gini": math.nan, "theil": math.nan}
    mu = float(v.mean())
    s = v / mu
    with np.errstate(divide="ignore", invalid="ignore"):
        theil = float(np.where(s > 0, s * np.log(s), 0.0).mean())
    gini = float(np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) ** 2 * mu))
    return {"cv": float(v.std() / mu), "gini": gini, "theil": theil}


def benefits(
    base: Dataset,
    scenario: Dataset,
    *,
    hours: Sequence[float] = BENEFIT_HOURS,
    horizon: float = HORIZON_MINUTES,
) -> pd.DataFrame:
    """Return what ``scenario`` (the base dataset changed) is worth to the places of ``base``.

    One row per measure and place (``place`` empty for the whole network); columns
    ``measure``, ``place``, ``name``, ``before``, ``after``, ``change``:

    - ``person_hours``: hours a day spent travelling between places under the demand proxy
      of :func:`daily_trips` (an assumption: the base network's trips, fixed, none induced),
      each pair capped at ``horizon`` minutes; per origin place and in all. ``change`` below
      0 is time saved.
    - ``population_within_{h}h`` and ``gdp_within_{h}h``: the people and the GDP (CNY bn) of
      the other places reachable within ``h`` hours (unknown values count 0).
    - ``accessibility``: the gravity accessibility of each place (the population of every
      other place, weighted by ``exp(-t / 60)``, as :func:`~belt_graph.centrality`), and its
      ``accessibility_cv``, ``accessibility_gini`` and ``accessibility_theil`` over the places
      (:func:`inequality`): equity before and after.

    Minutes are each network's door-to-door fastest journeys between the base's places.

    Parameters
    ----------
    base : Dataset
        The network before.
    scenario : Dataset
        The network after: ``base`` with a scenario applied
        (:func:`~belt_graph.apply_scenario`) or track closed (:func:`~belt_graph.close_track`).
    hours : sequence of float, default (1, 2, 3)
        The reach bands.
    horizon : float, default 360
        Minutes at which a pair's travel time is capped (a pair cut off counts as this).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``place``, ``name``, ``before``, ``after``, ``change``.
    """
    from .routing import travel_time_matrix
    from .scenario import _accessibility

    G0, G1 = rail_graph(base), rail_graph(scenario)
    ids = [str(p) for p in places(G0)]
    t0 = travel_time_matrix(G0, nodes=ids).astype(float).to_numpy()
    t1 = travel_time_matrix(G1, nodes=[p for p in ids if p in G1]).reindex(index=ids, columns=ids)
    t0 = np.where(np.isfinite(t0), t0, np.inf)
    t1 = np.where(np.isfinite(t1.astype(float).to_numpy()), t1.astype(float).to_numpy(), np.inf)
    names = base.nodes["name"].reindex(ids).fillna("").astype(str).to_numpy()

    def values(col: str) -> np.ndarray:
        if col not in base.nodes:
            return np.zeros(len(ids))
        x = pd.to_numeric(base.nodes[col].reindex(ids), errors="coerce").to_numpy(dtype=float)
        return np.where(np.isfinite(x), x, 0.0)

    P, gdp = values("population"), values("gdp_cny_bn")
    trips = daily_trips(t0, P)
    rows: list[tuple[str, str, str, float, float]] = []

    def per_place(measure: str, before: np.ndarray, after: np.ndarray) -> None:
        rows.extend(
            (measure, p, n, float(b), float(a))
            for p, n, b, a in zip(ids, names, before, after, strict=True)
        )

    h0 = (trips * np.minimum(t0, horizon)).sum(axis=1) / 60.0
    h1 = (trips * np.minimum(t1, horizon)).sum(axis=1) / 60.0
    rows.append(("person_hours", "", "all places", float(h0.sum()), float(h1.sum())))
    per_place("person_hours", h0, h1)
    off = ~np.eye(len(ids), dtype=bool)
    for h in hours:
        for col, mass in (("population", P), ("gdp", gdp)):
            b = ((t0 <= h * 60 + 1e-9) & off) @ mass
            a = ((t1 <= h * 60 + 1e-9) & off) @ mass
            per_place(f"{col}_within_{h:g}h", b, a)
    a0, a1 = _accessibility(t0, P), _accessibility(t1, P)
    per_place("accessibility", a0, a1)
    e0, e1 = inequality(a0), inequality(a1)
    for k in ("cv", "gini", "theil"):
        rows.append((f"accessibility_{k}", "", "all places", e0[k], e1[k]))
    out = pd.DataFrame(rows, columns=["measure", "place", "name", "before", "after"])
    out["change"] = out["after"] - out["before"]
    return out
