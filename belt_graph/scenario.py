"""What changes when a line opens, a link gets faster, or a link is cut.

A scenario file is a CSV with one operation per row (column ``op``) applied in order to the
dataset's links table:

============== =============================================== ==================================
op             columns used                                    effect
============== =============================================== ==================================
add_link       source, target, minutes, line, mode             add an open link
remove_link    source, target, [line]                          remove the pair's links (of line)
set_minutes    source, target, minutes, [line]                 set the pair's minutes (of line)
scale_line     line, factor                                    multiply a line's minutes
open_planned   [line]                                          open planned links (of line)
============== =============================================== ==================================

Optional columns ``note`` and ``source_ref`` document each row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from ._paths import Progress, places
from .centrality import centrality
from .commute import travel_time_matrix
from .dataset import Dataset, _Collector, read_rows
from .errors import Problem, ScenarioError
from .reach import _check_hours

__all__ = ["Scenario", "ScenarioComparison", "apply_scenario", "compare", "read_scenario"]


@dataclass(frozen=True)
class Scenario:
    """A named list of operations on a network's links (see the module docstring)."""

    name: str
    operations: pd.DataFrame
    path: Path | None = None

    @property
    def description(self) -> str:
        """The operations' notes, joined."""
        if "note" not in self.operations:
            return ""
        return "; ".join(n for n in self.operations["note"] if n)


def read_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario CSV file, reporting every problem at once.

    Raises
    ------
    ScenarioError
        Naming the file, line and column of each fault (unknown op, missing or bad minutes or
        factor, missing source/target/line).

    Examples
    --------
    >>> from belt_graph.network import toy_path
    >>> read_scenario(toy_path() / "scenarios" / "faster_red.csv").operations["op"].tolist()
    ['scale_line']
    """
    path = Path(path)
    problems = _Collector()
    rows = read_rows(path, S.SCENARIO_COLUMNS, problems)
    if rows is None:
        raise ScenarioError(problems.problems)
    records = []
    for line, row in rows:
        op = row.get("op", "")
        get = row.get
        if op not in S.SCENARIO_OPS:
            problems.add(
                path,
                line,
                "op",
                f"unknown operation {op!r} (expected one of: {', '.join(sorted(S.SCENARIO_OPS))})",
            )
            continue
        if op in ("add_link", "remove_link", "set_minutes"):
            for col in ("source", "target"):
                if not get(col):
                    problems.add(path, line, col, f"{op} needs a {col}")
        if op in ("add_link", "set_minutes"):
            _positive(get("minutes", ""), problems, path, line, "minutes")
        if op == "add_link" and not get("line"):
            problems.add(path, line, "line", "add_link needs a line")
        if op == "scale_line":
            if not get("line"):
                problems.add(path, line, "line", "scale_line needs a line")
            _positive(get("factor", ""), problems, path, line, "factor")
        records.append({"_line": line, **row})
    if problems.problems:
        raise ScenarioError(problems.problems)
    ops = pd.DataFrame(records)
    return Scenario(path.stem, ops, path)


def _positive(value: str, problems: _Collector, path: Path, line: int, column: str) -> None:
    try:
        x = float(value)
        ok = math.isfinite(x) and x > 0
    except ValueError:
        ok = False
    if not ok:
        problems.add(path, line, column, f"expected a positive number, got {value!r}")


def apply_scenario(dataset: Dataset, scenario: Scenario | str | Path) -> Dataset:
    """Return a new dataset whose links have the scenario's operations applied, in order.

    The input dataset is not changed. ``scenario`` may be a :class:`Scenario`, a path, or the
    name of a scenario bundled with the dataset (``dataset.scenarios``).

    Raises
    ------
    ScenarioError
        If an operation names a node that is not in the dataset, or a link or line that does
        not exist.

    Examples
    --------
    >>> from belt_graph.network import toy_dataset
    >>> ds = toy_dataset()
    >>> new = apply_scenario(ds, "faster_red")
    >>> new.links.query("line == 'red'")["minutes"].tolist(), len(ds.links)
    ([10.0, 25.0], 7)
    """
    if not isinstance(scenario, Scenario):
        key = str(scenario)
        path = dataset.scenarios.get(key, Path(key))
        if not Path(path).is_file():
            raise ScenarioError(
                [
                    Problem(
                        key,
                        None,
                        None,
                        f"scenario not found (bundled: {', '.join(dataset.scenarios) or 'none'})",
                    )
                ]
            )
        scenario = read_scenario(path)
    where = str(scenario.path or scenario.name)
    links = dataset.links.copy()
    nodes = set(dataset.nodes.index)
    problems = []
    for rec in scenario.operations.to_dict("records"):
        line_no = int(rec["_line"])
        op = rec["op"]
        u, v, line = rec.get("source", ""), rec.get("target", ""), rec.get("line", "")
        for col, n in (("source", u), ("target", v)):
            if n and n not in nodes:
                problems.append(Problem(where, line_no, col, f"unknown node {n!r}"))
        if any(p.line == line_no for p in problems):
            continue
        pair = ((links["source"] == u) & (links["target"] == v)) | (
            (links["source"] == v) & (links["target"] == u)
        )
        on_line = links["line"] == line if line else pd.Series(True, index=links.index)
        if op == "add_link":
            new: dict[str, Any] = {c: "" for c in links.columns}
            new.update(
                source=u,
                target=v,
                minutes=float(rec["minutes"]),
                line=line,
                mode=rec.get("mode") or "rail",
                status="open",
                source_ref=rec.get("source_ref") or f"scenario {scenario.name}",
            )
            links = pd.concat([links, pd.DataFrame([new])], ignore_index=True)
        elif op in ("remove_link", "set_minutes"):
            mask = pair & on_line & (links["status"] != "closed")
            if not mask.any():
                what = f"{u}-{v}" + (f" on line {line!r}" if line else "")
                problems.append(Problem(where, line_no, "source", f"no link {what}"))
                continue
            if op == "remove_link":
                links = links[~mask].reset_index(drop=True)
            else:
                links.loc[mask, "minutes"] = float(rec["minutes"])
        elif op == "scale_line":
            mask = links["line"] == line
            if not mask.any():
                problems.append(Problem(where, line_no, "line", f"no line {line!r}"))
                continue
            links.loc[mask, "minutes"] = links.loc[mask, "minutes"] * float(rec["factor"])
        elif op == "open_planned":
            mask = (links["status"] == "planned") & on_line
            if not mask.any():
                problems.append(Problem(where, line_no, "line", f"no planned links on {line!r}"))
                continue
            links.loc[mask, "status"] = "open"
    if problems:
        raise ScenarioError(problems)
    return dataset.with_links(links)


@dataclass(frozen=True)
class ScenarioComparison:
    """Deltas between a base network and a scenario network.

    Attributes
    ----------
    reach : DataFrame
        Indexed by ``node``: ``places_base``, ``places_scenario``, ``places_delta`` (other
        places within ``hours``), ``population_base``, ``population_scenario``,
        ``population_delta`` (persons in those places, known values only).
    centrality : DataFrame
        Indexed by ``node``: ``accessibility_base``, ``accessibility_scenario``,
        ``rank_base``, ``rank_scenario``, ``rank_delta`` (negative = climbs),
        ``mean_minutes_base``, ``mean_minutes_scenario``, ``mean_minutes_delta``.
    matrix : DataFrame
        Scenario minus base travel-time matrix (negative = faster), places x places.
    minutes : DataFrame
        Pair table: ``origin``, ``destination``, ``minutes_base``, ``minutes_scenario``,
        ``minutes_delta``; pairs that changed only, largest saving first.
    hours : float
        The reach threshold used.
    """

    reach: pd.DataFrame
    centrality: pd.DataFrame
    matrix: pd.DataFrame
    minutes: pd.DataFrame
    hours: float


def compare(
    base: nx.Graph,
    scenario: nx.Graph,
    *,
    hours: float = 1.0,
    progress: Progress | None = None,
) -> ScenarioComparison:
    """Compare two rail layers: reach within ``hours``, centrality ranks and the matrix.

    Both graphs must have the same places (a scenario changes links, not places). Reach is
    read off the two travel-time matrices (a place reaches another when the fastest minutes are
    at most ``60 * hours``), so the work is two all-pairs searches and two centrality tables
    whatever the size; ``progress(done, total)`` follows each of those searches.

    Examples
    --------
    >>> from belt_graph.network import rail_graph, toy_dataset
    >>> ds = toy_dataset()
    >>> cmp = compare(rail_graph(ds), rail_graph(apply_scenario(ds, "open_gold")))
    >>> row = cmp.minutes.iloc[0]
    >>> row["origin"], row["destination"], float(row["minutes_delta"])
    ('A', 'D', -35.0)
    """
    hours = _check_hours(hours)
    ids = places(base)
    mb = travel_time_matrix(base, nodes=ids, progress=progress)
    ms = travel_time_matrix(scenario, nodes=ids, progress=progress)
    delta = ms - mb
    B, T = mb.to_numpy(), ms.to_numpy()
    pop = np.array([float(base.nodes[n].get("population", math.nan)) for n in ids])
    pop = np.where(np.isnan(pop), 0.0, pop)

    def within(minutes: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            W = minutes <= hours * 60  # NaN (unreachable) compares False
        np.fill_diagonal(W, False)
        return W

    wb, ws = within(B), within(T)
    r = pd.DataFrame(
        {
            "places_base": wb.sum(axis=1),
            "places_scenario": ws.sum(axis=1),
            "population_base": wb @ pop,
            "population_scenario": ws @ pop,
        },
        index=pd.Index(ids, name="node"),
    )
    r.insert(2, "places_delta", r["places_scenario"] - r["places_base"])
    r["population_delta"] = r["population_scenario"] - r["population_base"]
    cb = centrality(base, progress=progress)
    cs = centrality(scenario, progress=progress)
    c = pd.DataFrame(
        {
            "accessibility_base": cb["accessibility"],
            "accessibility_scenario": cs["accessibility"],
            "rank_base": cb["rank_accessibility"],
            "rank_scenario": cs["rank_accessibility"],
            "mean_minutes_base": cb["mean_minutes"],
            "mean_minutes_scenario": cs["mean_minutes"],
        }
    ).loc[ids]
    c["rank_delta"] = c["rank_scenario"] - c["rank_base"]
    c["mean_minutes_delta"] = c["mean_minutes_scenario"] - c["mean_minutes_base"]
    # pairs whose minutes change, or that become (un)reachable
    i, j = np.triu_indices(len(ids), k=1)
    b, t = B[i, j], T[i, j]
    d = t - b
    with np.errstate(invalid="ignore"):
        changed = np.where(np.isnan(d), ~(np.isnan(b) & np.isnan(t)), np.abs(d) > 1e-9)
    names = np.array(ids, dtype=object)
    m = pd.DataFrame(
        {
            "origin": names[i[changed]],
            "destination": names[j[changed]],
            "minutes_base": b[changed],
            "minutes_scenario": t[changed],
            "minutes_delta": d[changed],
        }
    ).sort_values(["minutes_delta", "origin", "destination"])
    return ScenarioComparison(r, c, delta, m.reset_index(drop=True), hours)
