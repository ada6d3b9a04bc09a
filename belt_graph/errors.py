"""The exception hierarchy of belt_graph: one root, subclasses that also inherit a built-in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class BeltGraphError(Exception):
    """Root of every error belt_graph raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One fault in a data file: where it is and what is wrong."""

    path: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        col = f" column '{self.column}':" if self.column else ""
        return f"{where}:{col} {self.message}"


class DataFileError(BeltGraphError, ValueError):
    """A data file is missing, unreadable or invalid; lists every problem found.

    Attributes
    ----------
    problems : list of Problem
        The faults shown, each with its file, line and column (at most 200).
    total : int
        How many faults were found in all (more than ``len(problems)`` when the list is cut).
    path, line, column : the first problem's location (for convenience).
    """

    def __init__(self, problems: Sequence[Problem], *, total: int | None = None) -> None:
        self.problems = list(problems)
        self.total = max(total or 0, len(self.problems))
        first = self.problems[0]
        self.path, self.line, self.column = first.path, first.line, first.column
        files = list(dict.fromkeys(Path(p.path).name or p.path for p in self.problems))
        n = self.total
        head = f"{n:,} problem{'s' if n != 1 else ''} in {', '.join(files)}"
        if n > len(self.problems):
            head += f" (the first {len(self.problems)} are listed)"
        super().__init__("\n".join([head + ":", *(f"  {p}" for p in self.problems)]))


class UnknownPlaceError(BeltGraphError, LookupError):
    """A place name matches no node; carries close matches as suggestions."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        msg = f"unknown place {name!r}."
        if self.suggestions:
            msg += " Did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(msg)

    def __str__(self) -> str:
        return str(self.args[0])


class AmbiguousPlaceError(BeltGraphError, LookupError):
    """A place name matches several nodes (e.g. 苏州 and 宿州 are both "Suzhou")."""

    def __init__(self, name: str, matches: Sequence[tuple[str, str]]) -> None:
        self.name = name
        self.matches = list(matches)
        listed = ", ".join(
            f"{node} ({label})" if label and label != node else node for node, label in self.matches
        )
        super().__init__(
            f"{name!r} names {len(self.matches)} places: {listed}; use the id or the Chinese name"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class NoRouteError(BeltGraphError, LookupError):
    """No route joins two places in the network."""

    def __init__(self, origin: str, destination: str) -> None:
        self.origin, self.destination = origin, destination
        super().__init__(f"no route from {origin!r} to {destination!r} in this network")

    def __str__(self) -> str:
        return str(self.args[0])


class GraphValidationError(BeltGraphError, ValueError):
    """An edge lacks a usable weight; names the edge and the attribute."""

    def __init__(self, u: object, v: object, attribute: str, value: object) -> None:
        self.edge, self.attribute, self.value = (u, v), attribute, value
        super().__init__(
            f"edge ({u!r}, {v!r}): attribute {attribute!r} must be a finite number of 0 or more, "
            f"got {value!r}"
        )


class UnsupportedGraphError(BeltGraphError, ValueError):
    """A graph of a kind the analyses do not take (directed)."""


class ScenarioError(DataFileError):
    """A scenario file is invalid or names links that do not exist."""


class UnknownScenarioError(BeltGraphError, LookupError):
    """A scenario name is neither a scenario of the dataset nor a file."""

    def __init__(self, name: str, bundled: Sequence[str] = ()) -> None:
        self.name, self.bundled = name, list(bundled)
        known = ", ".join(self.bundled) or "none"
        super().__init__(
            f"unknown scenario {name!r}: not a scenario of this dataset ({known}) and not a file"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class NoTimetableError(BeltGraphError):
    """A departure-time question was asked of a dataset without ``timetable.csv``."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"dataset {name!r} has no timetable.csv, which questions by departure time need "
            "(a departure time, accessibility over a window, GTFS export); try the bundled dataset "
            "'cn-rail-2020', or see data/README.md for the format"
        )


class FeedError(DataFileError):
    """A GTFS feed cannot be read: every problem found, each with its file, line and column."""


class OutputError(BeltGraphError):
    """An output path cannot or may not be written."""


class OutOfMemoryError(BeltGraphError, MemoryError):
    """The machine ran out of memory in a named step; nothing was written."""

    def __init__(self, step: str) -> None:
        self.step = step
        super().__init__(
            f"out of memory while {step}; nothing was written (free memory, or give the "
            "process more)"
        )


@contextmanager
def memory_step(step: str) -> Iterator[None]:
    """Turn a :class:`MemoryError` in the block into an :class:`OutOfMemoryError` of ``step``.

    Nested, the innermost step names it.
    """
    try:
        yield
    except OutOfMemoryError:
        raise
    except MemoryError:
        raise OutOfMemoryError(step) from None
