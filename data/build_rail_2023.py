"""The station network of ``cn-rail-2023`` from the 2023 running times (used by build_national.py).

Input: ``data/raw/cn_rail_2023_hops/edge_multiply.csv``: every train's consecutive stops with
the running minutes between them (departure at one stop to arrival at the next, dwell excluded),
10,484 trains queried from 12306 for 2023-09-25 to 2023-10-06. No clock times, no calendar.

What is derived, and how:

- **Dwell.** A ride over several stops takes its running minutes plus a dwell at each
  intermediate stop. The dwell is estimated per service class (high-speed G/D/C, conventional
  the rest) as the median of (observed minutes - running minutes) / intermediate stops over the
  2024-01-13 Shanghai departures (``data/raw/trainvis-2024/``) of every other train (sorted by
  code), rounded to whole minutes; :func:`dwell_check` reports the error on the other half of
  the trains, which the estimate did not see (the datasheet quotes it).
- **Track links** join consecutive stops of some train. A hop A-C is not track when a station B
  lies between them on the way: hops A-B and B-C exist and together take at most
  :data:`DETOUR_FACTOR` x the A-C time plus :data:`DETOUR_MINUTES` (an express skipping B).
  Such hops stay, as ``service`` links (a ride without a stop in between).
- **Service links**: every ride of a train between two of its stops that are not consecutive:
  running minutes plus the dwell of each stop in between. One undirected link per station
  pair: the fastest ride in either direction (``fastest_train``).
- ``trains_per_day`` on every link: the trains that run it, in either direction. The source
  lists each train once over its query dates; a train is counted as running daily.
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
HOPS = RAW / "cn_rail_2023_hops" / "edge_multiply.csv"
DEPARTURES = RAW / "trainvis-2024" / "shanghai_departures_2024-01-13.csv"
HIGH_SPEED = ("G", "D", "C")
DETOUR_FACTOR = 1.2
DETOUR_MINUTES = 3.0

#: Short source keys of the links (one per row of 120,000; the datasheet spells them out): a
#: running time as 12306 gives it, and a ride's running times plus the estimated dwell.
HOP_REF = "12306-2023"
RIDE_REF = "12306-2023+dwell"


def service_class(train: str) -> str:
    """``high-speed`` for G, D and C trains, else ``conventional``."""
    return "high-speed" if train.startswith(HIGH_SPEED) else "conventional"


def trains() -> dict[str, tuple[list[str], list[int]]]:
    """Every train's stops (Chinese names) and running minutes between them, in file order."""
    out: dict[str, tuple[list[str], list[int]]] = {}
    with HOPS.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            stops, run = out.setdefault(r["train_no"], ([r["start_station_name"]], []))
            if stops[-1] != r["start_station_name"]:
                raise SystemExit(f"train {r['train_no']}: its hops do not chain at {r}")
            stops.append(r["end_station_name"])
            run.append(int(r["running_time"]))
    return out


def _observed(
    by_train: dict[str, tuple[list[str], list[int]]],
) -> list[tuple[str, int, int, int]]:
    """(train, observed minutes, running minutes, intermediate stops) of each Shanghai ride."""
    rides = []
    with DEPARTURES.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            known = by_train.get(r["train"])
            if known is None:
                continue
            stops, run = known
            if r["departure_station"] not in stops or r["arrival_station"] not in stops:
                continue
            i, j = stops.index(r["departure_station"]), stops.index(r["arrival_station"])
            if j > i:
                rides.append((r["train"], int(r["minutes"]), sum(run[i:j]), j - i - 1))
    return rides


def dwell_check(
    by_train: dict[str, tuple[list[str], list[int]]],
) -> tuple[dict[str, int], dict[str, dict[str, float]]]:
    """Estimate the dwell per intermediate stop of each class, and its error on held-out rides.

    Returns the dwell minutes by class and, by class, the held-out rides' count, mean error
    (estimated - observed minutes) and mean absolute error.
    """
    rides = _observed(by_train)
    # every other train (sorted by code) is held out; not by the last digit, which gives the
    # direction of travel and so is even for almost every train leaving Shanghai
    order = sorted({t for t, *_ in rides})
    held = set(order[1::2])

    def _held_out(train: str) -> bool:
        return train in held

    dwell = {}
    for cls in ("high-speed", "conventional"):
        fit = [
            (obs - run) / k
            for t, obs, run, k in rides
            if k and service_class(t) == cls and not _held_out(t)
        ]
        dwell[cls] = round(statistics.median(fit)) if fit else 2
    check: dict[str, dict[str, float]] = {}
    for cls in ("high-speed", "conventional"):
        errors = [
            run + dwell[cls] * k - obs
            for t, obs, run, k in rides
            if service_class(t) == cls and _held_out(t)
        ]
        check[cls] = {
            "rides": len(errors),
            "mean_error": round(statistics.fmean(errors), 2) if errors else float("nan"),
            "mean_abs_error": round(statistics.fmean(abs(e) for e in errors), 2)
            if errors
            else float("nan"),
            "within_5": round(sum(abs(e) <= 5 for e in errors) / len(errors), 3) if errors else 0,
        }
    return dwell, check


def links_2023(
    by_train: dict[str, tuple[list[str], list[int]]], ids: dict[str, str], dwell: dict[str, int]
) -> tuple[list[dict[str, object]], dict[str, int]]:
    """The track and service links of cn-rail-2023 (station ids from ``ids``), sorted."""
    hop_best: dict[tuple[str, str], tuple[int, str]] = {}
    hop_trains: dict[tuple[str, str], set[str]] = defaultdict(set)
    ride_best: dict[tuple[str, str], tuple[int, str]] = {}
    ride_trains: dict[tuple[str, str], set[str]] = defaultdict(set)
    for train in sorted(by_train):
        names, run = by_train[train]
        stops = [ids[n] for n in names]
        stay = dwell[service_class(train)]
        for i in range(len(stops) - 1):
            key = (min(stops[i], stops[i + 1]), max(stops[i], stops[i + 1]))
            hop_trains[key].add(train)
            cand = (run[i], train)
            if key not in hop_best or cand < hop_best[key]:
                hop_best[key] = cand
            minutes = run[i]
            for j in range(i + 2, len(stops)):
                minutes += stay + run[j - 1]
                if stops[i] == stops[j]:
                    continue
                key = (min(stops[i], stops[j]), max(stops[i], stops[j]))
                ride_trains[key].add(train)
                cand = (minutes, train)
                if key not in ride_best or cand < ride_best[key]:
                    ride_best[key] = cand
    neighbours: dict[str, dict[str, int]] = defaultdict(dict)
    for (a, b), (m, _) in hop_best.items():
        neighbours[a][b] = m
        neighbours[b][a] = m
    links = []
    stats = {"hops": len(hop_best), "bypassed_hops": 0, "rides": 0}
    for (a, b), (m, train) in sorted(hop_best.items()):
        via = set(neighbours[a]) & set(neighbours[b])
        bypassed = any(
            neighbours[a][x] + neighbours[x][b] <= DETOUR_FACTOR * m + DETOUR_MINUTES for x in via
        )
        stats["bypassed_hops"] += bypassed
        kind = "service" if bypassed else "track"
        links.append(_link(a, b, m, train, hop_trains[a, b], kind, HOP_REF))
    for (a, b), (m, train) in sorted(ride_best.items()):
        if (a, b) in hop_best:  # a hop of another train is at least as direct
            continue
        stats["rides"] += 1
        links.append(_link(a, b, m, train, ride_trains[a, b], "service", RIDE_REF))
    links.sort(key=lambda r: (str(r["source"]), str(r["target"]), str(r["kind"])))
    return links, stats


def _link(
    a: str, b: str, m: int, train: str, runs: set[str], kind: str, ref: str
) -> dict[str, object]:
    return {
        "source": a,
        "target": b,
        "minutes": m,
        "mode": "rail",
        "line": service_class(train),
        "status": "open",
        "kind": kind,
        "confidence": "medium",
        "data_year": 2023,
        "trains_per_day": len(runs),
        "fastest_train": train,
        "source_ref": ref,
    }


LINK_HEADER_2023 = [
    "source",
    "target",
    "minutes",
    "mode",
    "line",
    "status",
    "kind",
    "confidence",
    "data_year",
    "trains_per_day",
    "fastest_train",
    "source_ref",
]
