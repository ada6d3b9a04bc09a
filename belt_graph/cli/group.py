"""The ``belt-graph`` command group, with ``--quiet`` before or after the command name."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from .output import F, _set_quiet


def command(*args: Any, **kwargs: Any) -> Callable[[F], Any]:
    """``@cli.command`` that also takes ``--quiet``/``-q`` after the command name."""

    def decorate(f: F) -> Any:
        f = click.option(
            "--quiet",
            "-q",
            is_flag=True,
            expose_value=False,
            callback=_set_quiet,
            help="No progress bars or notes on stderr (errors and warnings still).",
        )(f)
        return cli.command(*args, **kwargs)(f)

    return decorate


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: the installed version, read only when asked for (it costs 60 ms)."""
    if not value or ctx.resilient_parsing:
        return
    from .. import __version__

    click.echo(f"belt-graph, version {__version__}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bars or notes on stderr (errors and warnings still).",
)
def cli(quiet: bool) -> None:
    """Analyse a partnership network of cities: rail travel time, reach, centrality, sectors.

    Every command works on the bundled Shanghai-Nanjing Industrial Innovation Belt unless
    given --data DIR. Place names: id, English or Chinese name, case-insensitive.

    \b
    Example: belt-graph reach Putuo --hours 1

    \b
    National data: belt-graph reach 上海虹桥 --hours 3 --depart 08:00 --data data/cn-rail-2020
    """


def main() -> None:
    """Run the command line (the console script, :mod:`belt_graph.__main__`, adds signals)."""
    cli(prog_name="belt-graph")


def _no_memory(err: ImportError) -> bool:
    """Whether an import failed because the process may not map more memory."""
    text = str(err)
    return "failed to map segment" in text or "Cannot allocate memory" in text


def run(args: list[str] | None = None) -> int:
    """Run the command line; return its exit code, and let an interrupt through.

    click alone would turn Ctrl-C into "Aborted!" and exit 1; here it stays a
    ``KeyboardInterrupt``, which :func:`belt_graph.__main__.main` turns into exit 130.
    Usage errors exit 2, errors 1, ``--help`` 0.

    Parameters
    ----------
    args : list of str, optional
        The arguments (default: the command line's).

    Returns
    -------
    int
        The exit code.
    """
    try:
        code = cli.main(args=args, prog_name="belt-graph", standalone_mode=False)
    except click.exceptions.Abort:
        raise KeyboardInterrupt from None
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except (MemoryError, ImportError) as err:
        # outside a command's own steps (an option's check, loading the libraries): one line
        # still; a library that cannot be mapped into memory fails to import
        if isinstance(err, ImportError) and not _no_memory(err):
            raise
        from ..errors import OutOfMemoryError

        name = next((a for a in (args or sys.argv[1:]) if not a.startswith("-")), "")
        command = f"belt-graph {name}".strip()
        what = (
            f"loading the libraries of {command}"
            if isinstance(err, ImportError)
            else f"running {command}"
        )
        sys.stderr.write(f"Error: {OutOfMemoryError(what)}\n")
        return 1
    return code if isinstance(code, int) else 0
