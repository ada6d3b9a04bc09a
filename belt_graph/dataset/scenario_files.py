"""Scenario files: reading them and applying their operations to a links table (private).

The data layer of :mod:`belt_graph.scenario`, so that :func:`~belt_graph.load_dataset` can check a
dataset's own scenarios with the rest of its files.

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

``scale_line`` multiplies the links whose ``line`` is the line and, where the links table names
the railways each train runs on (column ``railways``, ``;``-separated), the trains that run on
that line alone. A train that runs on it and on another railway keeps its minutes: which of its
minutes fall on which railway is not known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import schema as S
from ..errors import Problem, ScenarioError
from ._rows import Collector, number, raise_problems, read_rows

__all__ = ["Scenario", "apply_operations", "read_scenario"]


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

    def _first(self, column: str) -> str:
        if column not in self.operations or not len(self.operations):
            return ""
        return str(self.operations[column].iloc[0] or "").strip()

    @property
    def title(self) -> str:
        """A heading: the first sentence of the first row's note, else the name in words.

        Examples
        --------
        >>> from belt_graph import toy_path
        >>> read_scenario(toy_path() / "scenarios" / "faster_red.csv").title
        'Red line twice as fast'
        """
        head = self._first("note").split(". ", 1)[0].rstrip(".") or self.name.replace("_", " ")
        return head[:1].upper() + head[1:]

    @property
    def summary(self) -> str:
        """What the scenario does and its caveats.

        The first row's note after its first sentence (empty when the note is one sentence).
        """
        parts = self._first("note").split(". ", 1)
        return parts[1].strip() if len(parts) == 2 else ""

    @property
    def sources(self) -> str:
        """The first row's ``source_ref``: where the scenario's facts come from."""
        return self._first("source_ref")


def read_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario CSV file, reporting every problem at once.

    Parameters
    ----------
    path : str or pathlib.Path
        A scenario CSV file.

    Returns
    -------
    Scenario
        Its name (the file's stem) and operations, checked row by row.

    Raises
    ------
    ScenarioError
        Naming the file, line and column of each fault (unknown op, missing or bad minutes or
        factor, missing source/target/line).

    Examples
    --------
    >>> from belt_graph import toy_path
    >>> read_scenario(toy_path() / "scenarios" / "faster_red.csv").operations["op"].tolist()
    ['scale_line']
    """
    path = Path(path)
    problems = Collector()
    optional = ("source", "target", "line", "mode", "minutes", "factor", "note", "source_ref")
    rows = read_rows(path, S.SCENARIO_COLUMNS, problems, optional=optional)
    if rows is None:
        problems.raise_if_any(ScenarioError)
        return Scenario(path.stem, pd.DataFrame(columns=["_line", *S.SCENARIO_COLUMNS]), path)
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
            if get("source") and get("source") == get("target"):
                problems.add(path, line, "target", "a link must join two different nodes")
        low, high = S.MINUTES_RANGE
        if op in ("add_link", "set_minutes"):
            number(
                get("minutes", ""),
                problems,
                (path, line, "minutes"),
                optional=False,
                positive=True,
                low=low,
                high=high,
                unit="minutes",
            )
        if op == "add_link":
            if not get("line"):
                problems.add(path, line, "line", "add_link needs a line")
            if get("mode") and get("mode") not in S.LINK_MODES:
                choices = ", ".join(sorted(S.LINK_MODES))
                problems.add(
                    path, line, "mode", f"unknown mode {get('mode')!r} (expected one of: {choices})"
                )
        if op == "scale_line":
            if not get("line"):
                problems.add(path, line, "line", "scale_line needs a line")
            number(
                get("factor", ""),
                problems,
                (path, line, "factor"),
                optional=False,
                positive=True,
                low=0.01,
                high=100.0,
            )
        records.append({"_line": line, **row})
    problems.raise_if_any(ScenarioError)
    ops = pd.DataFrame(records, columns=["_line", *S.SCENARIO_COLUMNS, *optional])
    return Scenario(path.stem, ops, path)


def apply_operations(
    links: pd.DataFrame, node_ids: Iterable[str], scenario: Scenario
) -> pd.DataFrame:
    """Return ``links`` with the scenario's operations applied in order (the input unchanged).

    Raises
    ------
    ScenarioError
        If an operation names a node not in ``node_ids``, or a link or line that does not
        exist (every such row is listed).
    """
    where = str(scenario.path or scenario.name)
    links = links.copy()
    nodes = set(node_ids)
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
            if "railways" in links.columns:
                mask |= links["railways"].fillna("").astype(str).str.strip() == line
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
        raise_problems(problems, ScenarioError)
    return links.reset_index(drop=True)
