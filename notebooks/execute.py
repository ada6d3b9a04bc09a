"""Execute the research notebooks from a clean kernel and store their outputs.

    python notebooks/execute.py            # re-run every notebook in place
    python notebooks/execute.py 02_*.ipynb # only some

The tests (``tests/test_notebooks.py``) run each notebook the same way and compare the text of
its outputs with what is stored here, so stored outputs cannot drift from the code: after a
change that alters a result, re-run this script and commit the notebooks.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
TIMEOUT_S = 120


def execute(path: Path) -> nbformat.NotebookNode:
    """Return the notebook at ``path`` executed top to bottom in a fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}
    )
    # the kernel inherits the environment: let it use the inline backend so figures are stored
    saved = os.environ.pop("MPLBACKEND", None)
    try:
        client.execute()
    finally:
        if saved is not None:
            os.environ["MPLBACKEND"] = saved
    return nb


def text_outputs(nb: nbformat.NotebookNode) -> list[list[str]]:
    """The text each code cell shows (streams, text/plain results, errors), per cell.

    Memory addresses (``0x7f...``) are masked; images are left out.
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                texts.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                if "image/png" not in out.get("data", {}):
                    texts.append(out["data"].get("text/plain", ""))
            elif out.output_type == "error":
                texts.append(f"{out.ename}: {out.evalue}")
        cells.append([re.sub(r"0x[0-9a-f]+", "0x…", t) for t in texts])
    return cells


def main(argv: list[str]) -> None:
    paths = [HERE / a for a in argv] if argv else sorted(HERE.glob("*.ipynb"))
    for path in paths:
        nb = execute(path)
        for cell in nb.cells:
            cell.get("metadata", {}).pop("execution", None)
        nbformat.write(nb, path)
        print(f"executed {path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
