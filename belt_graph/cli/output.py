"""Output plumbing of the command line: tables to stdout or a file, progress and notes to stderr.

stdout carries data only; progress and diagnostics go to stderr. A user's mistake becomes
``Error: ...`` and exit code 1 (:func:`handle_errors`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from .._files import atomic_write as _atomic_write
from .._files import check_file_target
from ..errors import BeltGraphError, OutOfMemoryError, memory_step

if TYPE_CHECKING:
    import pandas as pd

    from ..dataset.core import Dataset

F = TypeVar("F", bound=Callable[..., Any])


def _place(ds: Dataset, name: str) -> str:
    from ..dataset.lookup import resolve_place

    return resolve_place(ds.nodes, name)


def _need_sectors(ds: Dataset) -> None:
    if not len(ds.sectors):
        raise BeltGraphError(
            f"dataset {ds.name!r} has no sectors (no sectors.csv), so there is nothing to compare"
        )


def render(
    df: pd.DataFrame, fmt: str, *, index: bool = True, summary: dict[str, Any] | None = None
) -> str:
    """Render a table as text, CSV or JSON records (NaN becomes empty / null).

    With ``summary``, JSON is an object: ``{"summary": summary, "legs": records}`` (a journey's
    totals beside its legs); text and CSV are the table alone.
    """
    if fmt == "csv":
        return str(df.to_csv(index=index, lineterminator="\n", float_format="%.10g"))
    if fmt == "json":
        table = df.reset_index() if index and df.index.name else df
        records = table.to_dict("records")
        clean = [{str(k): _json_value(v) for k, v in rec.items()} for rec in records]
        if summary is not None:
            whole = {"summary": {k: _json_value(v) for k, v in summary.items()}, "legs": clean}
            return json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
        return json.dumps(clean, ensure_ascii=False, indent=2) + "\n"
    import pandas as pd

    with pd.option_context(
        "display.max_rows",
        500,
        "display.max_columns",
        50,
        "display.width",
        160,
        "display.max_colwidth",
        60,
    ):
        people = _for_people(df)
        # two spaces at least between columns (one more than each column's widest text), so
        # that a header with a space in it stays one column to the eye and to a parser
        space = {
            c: max([len(str(c)), *(len(_float_fmt(v) if isinstance(v, float) else str(v))
                    for v in people[c].tolist())]) + 1
            for c in people.columns
        }  # fmt: skip
        text = people.to_string(index=index, float_format=_float_fmt, na_rep="", col_space=space)
        return str(text) + "\n"


def _for_people(df: pd.DataFrame) -> pd.DataFrame:
    """Return a table as a person reads it (the text format only; CSV and JSON stay exact).

    Shares (columns ending in ``_share``) become percentages; large numbers get thousands
    separators instead of an exponent (accessibility 2.59877e+07 is 25,987,700); minutes are
    whole; other numbers have at most 2 decimals (a column of values all below 0.1 is scaled,
    its header saying by what); a column with nothing in it is left out.
    """
    import pandas as pd

    out = df.copy()
    for col in list(out.columns):
        values = out[col]
        if values.isna().all() or (values.astype(str).str.strip() == "").all():
            if len(out.columns) > 1:
                out = out.drop(columns=col)
            continue
        if not pd.api.types.is_float_dtype(values):
            continue
        name = str(col)
        if name.endswith("_share"):
            out[col] = values.map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
        elif (values.abs() >= 1e5).any():
            out[col] = values.map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
        elif "minutes" in name.split("_"):
            out[col] = values.map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
        else:
            # at most 2 decimals; a measure whose values are all below 0.1 (closeness in
            # 1/min) is shown scaled, with the factor in its header, so that it keeps 3 digits
            top = float(values.abs().max())
            k = math.ceil(-math.log10(top)) if 0 < top < 0.1 else 0
            out[col] = values.map(lambda v, k=k: "" if pd.isna(v) else _two(v * 10**k))
            if k:
                out = out.rename(columns={col: f"{name} (x 1e-{k})"})
    return out


def _two(x: float) -> str:
    """``x`` to at most 2 decimals, trailing zeros dropped: 0.616667 -> 0.62, 1.0 -> 1."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _float_fmt(x: float) -> str:
    """Whole numbers in full (populations), others to 6 significant digits."""
    if abs(x) < 1e15 and float(x).is_integer():
        return f"{x:.0f}"
    return f"{x:.6g}"


def _plain(v: object) -> object:
    if hasattr(v, "item"):
        return v.item()  # numpy scalar
    import pandas as pd

    if v is pd.NA:
        return None
    return v


def inputs() -> list[Path]:
    """Return what the running command reads (datasets, feeds): no output may replace them."""
    ctx = click.get_current_context(silent=True)
    return list(ctx.find_root().meta.get("belt_graph.inputs", ())) if ctx else []


def add_input(path: Path) -> None:
    """Remember ``path`` as an input of the running command (see :func:`inputs`)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().meta.setdefault("belt_graph.inputs", []).append(Path(path))


def load_input(data_dir: Path | None) -> Dataset:
    """Load ``--data`` (see :func:`~belt_graph.load_dataset`) and remember it as an input."""
    from ..dataset.load import load_dataset

    with memory_step(f"loading the dataset {data_dir or 'belt'}"):
        ds = load_dataset(data_dir)
    add_input(ds.path)
    return ds


def _check_target(path: Path, *, force: bool) -> None:
    """Refuse an output file before any work (a usage error, exit 2; checked again on write)."""
    try:
        check_file_target(path, force=force, protect=inputs())
    except BeltGraphError as err:
        raise click.UsageError(as_flags(str(err)), None) from None


def atomic_write(
    path: Path, data: str | bytes | Callable[[IO[bytes]], None], *, force: bool
) -> None:
    """Write ``path`` whole or not at all, never over an input (:func:`inputs`)."""
    _atomic_write(path, data, force=force, protect=inputs())


def emit(
    df: pd.DataFrame,
    fmt: str,
    output: Path | None,
    force: bool,
    *,
    index: bool = True,
    summary: dict[str, Any] | None = None,
) -> None:
    """Write ``df`` to ``output`` in ``fmt`` (whole or not at all), or print it to stdout."""
    text = render(df, fmt, index=index, summary=summary)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text, force=force)
        note(f"wrote {output}")


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    return _plain(v)


def handle_errors(f: F) -> F:
    """Turn a BeltGraphError (or a caller's ValueError) into ``Error: ...`` and exit 1."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _STEP["now"] = ""
        try:
            return f(*args, **kwargs)
        except (BeltGraphError, ValueError) as err:
            raise click.ClickException(as_flags(str(err))) from None
        except MemoryError:
            step = _STEP["now"] or f"running {_command_path()}"
            raise click.ClickException(str(OutOfMemoryError(step))) from None

    return wrapper  # type: ignore[return-value]


def _command_path() -> str:
    ctx = click.get_current_context(silent=True)
    return ctx.command_path if ctx is not None else "belt-graph"


_PARAMETER = re.compile(r"`([a-z][a-z0-9_]*)(?:=([^`]*))?`")


def as_flags(message: str) -> str:
    """Return a library message in the words of the command line.

    The library names a caller's parameter in backticks (```force=True``, ```route_types```);
    where the running command has an option of that name, its flag takes the place
    (``--force``, ``--route-types``, ``--date 2024-01-13``). Anything else is left as it is.
    """
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return message
    flags = {
        p.name: max(p.opts, key=len)
        for p in ctx.command.params
        if isinstance(p, click.Option) and p.name
    }

    def flag(m: re.Match[str]) -> str:
        name, value = m.group(1), m.group(2)
        if name not in flags:
            return m.group(0)
        if value is None or value == "True":
            return flags[name]
        return f"{flags[name]} {value.strip(chr(39))}"

    return _PARAMETER.sub(flag, message)


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    root = ctx.find_root()
    return bool(root.params.get("quiet") or root.meta.get("belt_graph.quiet"))


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().meta["belt_graph.quiet"] = True


#: what the running command does now, for the one line that says it ran out of memory
_STEP = {"now": ""}


class _Steps:
    """``progress(done, total)`` that draws nothing and only names the step (quiet, no tty)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        _STEP["now"] = f"computing the {self.label}"

    def finish(self) -> None:
        """Nothing to end."""


class ProgressBar(_Steps):
    """``progress(done, total)`` callbacks drawn as click progress bars on stderr.

    Each pass (a new total, a count that goes back, or a call after the bar is full) gets its
    own bar; :meth:`finish` ends the current line so that a note can follow.
    """

    def __init__(self, label: str, stream: Any) -> None:
        super().__init__(label)
        self.stream = stream
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        """Advance the bar to ``done`` of ``total``."""
        super().__call__(done, total)
        bar = self.bar
        if bar is None or bar.finished or total != bar.length or done < bar.pos:
            self.finish()
            self.bar = bar = click.progressbar(length=total, label=self.label, file=self.stream)
        bar.update(done - bar.pos)

    def finish(self) -> None:
        """End the current bar's line."""
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[_Steps]:
    """Yield a :class:`ProgressBar` on stderr.

    It draws nothing when stderr is not a terminal or ``--quiet`` was given, so logs and pipes
    stay clean; either way, its first call makes ``computing the <label>`` the step that
    running out of memory names (see :func:`handle_errors`).
    """
    stream = sys.stderr
    if _quiet() or not stream.isatty():
        yield _Steps(label)
        return
    bar = ProgressBar(label, stream)
    try:
        yield bar
    finally:
        bar.finish()


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr, even with ``--quiet``: what was left out is said."""
    click.echo(f"warning: {message}", err=True)


def note(message: str) -> None:
    """Print a diagnostic line on stderr unless ``--quiet``."""
    if not _quiet():
        click.echo(message, err=True)


def _clock_text(minutes: float) -> str:
    from ..timetable.journeys import format_clock

    return format_clock(minutes)
