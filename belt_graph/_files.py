"""Writing output safely: whole files and whole folders, or nothing (private).

Every file a command writes goes to a temporary file beside its target and is renamed into place
when complete; a report folder is built in a hidden temporary folder and renamed likewise. So an
error, Ctrl-C or SIGTERM leaves the old output as it was and no half-written file. A run killed
outright (SIGKILL) can leave its hidden temporary folder behind: the next run into the same
folder removes it (the folder's name records the process that made it). Written files and
folders get the permissions of the user's umask, like any file the user creates.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from .errors import OutputError

__all__ = ["OutputError", "atomic_write", "check_file_target", "write_folder"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_file_target(path: Path, *, force: bool, protect: Iterable[Path] = ()) -> None:
    """Refuse ``path`` unless it is new, or a regular file and ``force`` is given.

    A symbolic link, a folder, a device or a pipe is never replaced: writing a report there
    with ``--force`` would destroy something that is not an earlier output. Nor is an input:
    a path in ``protect`` (a dataset or feed folder, a feed file), or a file that already
    exists inside one of them (``nodes.csv`` of the dataset being read).
    """
    _refuse_inputs(path, protect)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputError(
            f"{path} exists and is not a regular file (a folder, link, device or pipe); "
            "choose another output"
        )
    if path.exists() and not force:
        raise OutputError(f"{path} exists; use `force=True` to overwrite it")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")


def _refuse_inputs(path: Path, protect: Iterable[Path]) -> None:
    """Refuse an output that is an input, or an existing file inside an input folder."""
    target = path.resolve()
    for keep in protect:
        keep = Path(keep).resolve()
        if target == keep or (keep.is_dir() and keep in target.parents and target.exists()):
            what = "the input" if target == keep else f"a file of the input {keep}"
            raise OutputError(f"{path} is {what}; choose another output")


def atomic_write(
    path: Path,
    data: str | bytes | Callable[[IO[bytes]], None],
    *,
    force: bool,
    protect: Iterable[Path] = (),
) -> None:
    """Write to a temporary file beside ``path``, then rename it: never a half-written file.

    ``data`` is text (UTF-8), bytes, or a function that writes to the open binary file;
    ``protect`` lists the inputs that ``path`` may not replace (see :func:`check_file_target`).

    Raises
    ------
    OutputError
        If ``path`` may not be replaced (see :func:`check_file_target`) or cannot be written.
    """
    check_file_target(path, force=force, protect=protect)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        check_file_target(path, force=force, protect=protect)  # again: made meanwhile?
        os.replace(tmp, path)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _stale(parent: Path, name: str) -> list[Path]:
    """Hidden temporary folders of runs into ``name`` whose process is gone."""
    pattern = re.compile(rf"\.{re.escape(name)}\.(?:tmp|old)-(\d+)-.+")
    out = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m and entry.is_dir() and not entry.is_symlink() and not _alive(int(m.group(1))):
            out.append(entry)
    return out


def write_folder(
    output: Path,
    build: Callable[[Path], None],
    *,
    force: bool,
    protect: Iterable[Path] = (),
    say: Callable[[str], None] | None = None,
) -> Path:
    """Build a folder with ``build(tmp)`` in a hidden temporary folder, then rename it.

    Parameters
    ----------
    output : Path
        The folder to write. If it exists and is not empty, ``force`` must be given; it is then
        replaced only once the new folder is complete.
    build : callable
        Writes everything into the temporary folder it is given.
    protect : paths
        Folders that must survive (the input dataset): refused as ``output``, and ``output``
        may not contain them. The current folder is always protected.
    say : callable, optional
        Told when a stale temporary folder of an interrupted run is removed.

    Missing parent folders are made (as ``mkdir -p``), and removed again when the build
    fails.

    Raises
    ------
    OutputError
        If ``output`` may not or cannot be written, or another run wrote it meanwhile.
    """
    out = Path(output)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(f"{out} exists and is not a folder; choose another output")
    target = out.resolve()
    for keep in [Path.cwd(), *protect]:
        keep = keep.resolve()
        if _inside(keep, target):
            what = "the current folder" if keep == Path.cwd().resolve() else f"the input {keep}"
            raise OutputError(f"{out} would replace {what}; choose another output folder")
        inside_input = keep.is_dir() and keep in target.parents and keep != Path.cwd().resolve()
        if inside_input and target.exists():
            raise OutputError(f"{out} is a folder inside the input {keep}; choose another output")
    if out.exists() and any(out.iterdir()) and not force:
        raise OutputError(f"{out} exists and is not empty; use `force=True` to replace it")
    parent = target.parent
    # missing parent folders are made, like mkdir -p, and removed again if the build fails
    made = [p for p in [parent, *parent.parents] if not p.exists()][::-1]
    for folder in made:
        if folder.exists() and not folder.is_dir():
            break
        try:
            folder.mkdir()
        except OSError as err:
            _remove_empty(made)
            raise OutputError(f"cannot write {out}: {err.strerror or err} ({folder})") from None
    if not parent.is_dir():
        _remove_empty(made)
        raise OutputError(f"cannot write {out}: {parent} is not a folder")
    try:
        return _write_into(out, target, parent, build, force=force, say=say)
    except BaseException:
        _remove_empty(made)
        raise


def _remove_empty(made: list[Path]) -> None:
    """Remove the folders ``made`` (outermost first in the list), deepest first, where empty."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return


def _write_into(
    out: Path,
    target: Path,
    parent: Path,
    build: Callable[[Path], None],
    *,
    force: bool,
    say: Callable[[str], None] | None,
) -> Path:
    """Build into a temporary folder in ``parent`` and rename it to ``target`` (write_folder)."""
    for old in _stale(parent, target.name):
        shutil.rmtree(old, ignore_errors=True)
        if say is not None:
            say(f"removed {old}, left by an interrupted run")
    tag = f".{target.name}.tmp-{os.getpid()}-"
    try:
        tmp = Path(tempfile.mkdtemp(prefix=tag, dir=parent))
    except OSError as err:
        raise OutputError(f"cannot write {out}: {err.strerror or err}") from None
    try:
        build(tmp)
        tmp.chmod(0o777 & ~_umask())
        if not out.exists():
            try:
                tmp.rename(target)
            except OSError as err:
                if err.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                    raise OutputError(
                        f"{out} was written by another run while this one worked; "
                        "it was not replaced (use `force=True` to replace it)"
                    ) from None
                raise
        else:
            if any(target.iterdir()) and not force:
                raise OutputError(
                    f"{out} was written by another run while this one worked; "
                    "it was not replaced (use `force=True` to replace it)"
                )
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=parent))
            target.rename(old / "old")
            try:
                tmp.rename(target)
            except BaseException:
                (old / "old").rename(target)
                raise
            shutil.rmtree(old, ignore_errors=True)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write {out}: {err.strerror or err}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
