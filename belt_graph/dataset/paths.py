"""Where datasets are: the bundled ones by name, the belt, the toy network of the doctests."""

from __future__ import annotations

from pathlib import Path

from .. import schema as S

__all__ = ["DATASETS", "bundled_path", "dataset_path", "resolve_data_path"]


#: The installed package's folder (``belt_graph/``), where the bundled datasets live
PACKAGE_DIR = Path(__file__).resolve().parent.parent

#: The datasets that ship with belt-graph, by name: the folder inside the installed package,
#: and the folder of a source checkout (under ``data/``).
DATASETS = {
    "belt": ("_bundled", "belt"),
    "cn-rail-2020": ("_datasets/cn_rail_2020", "cn-rail-2020"),
    "cn-rail-2021": ("_datasets/cn_rail_2021", "cn-rail-2021"),
    "cn-rail-2023": ("_datasets/cn_rail_2023", "cn-rail-2023"),
}


def dataset_path(name: str) -> Path:
    """Return the folder of a dataset that ships with belt-graph (:data:`DATASETS`).

    Installed, the datasets live inside the package (mapped from the repository's ``data/`` at
    build time); in a source checkout they are ``data/<name>``.

    Parameters
    ----------
    name : str
        ``belt``, ``cn-rail-2020``, ``cn-rail-2021`` or ``cn-rail-2023``.

    Returns
    -------
    pathlib.Path
        The dataset's folder.

    Raises
    ------
    KeyError
        If ``name`` is not one of :data:`DATASETS`.
    """
    installed, checkout = DATASETS[name]
    here = PACKAGE_DIR
    inside = here / installed
    if (inside / S.NODES_FILE).is_file():
        return inside
    return here.parent / "data" / checkout


def bundled_path() -> Path:
    """Return the folder of the bundled Shanghai-Nanjing belt dataset (``dataset_path("belt")``).

    Returns
    -------
    pathlib.Path
        The folder of the belt dataset.

    """
    return dataset_path("belt")


def resolve_data_path(path: str | Path) -> Path:
    """Return the dataset folder a path or a bundled dataset's name names.

    A folder of that name in the current folder wins over the bundled dataset.

    Parameters
    ----------
    path : str or pathlib.Path
        A folder, or the name of a bundled dataset.

    Returns
    -------
    pathlib.Path
        The folder to load (it may not exist: the loader says so).

    """
    p = Path(path)
    if not p.exists() and str(path) in DATASETS:
        return dataset_path(str(path))
    return p


def toy_path() -> Path:
    """Return the folder of the toy dataset used in docstrings and tests.

    Returns
    -------
    pathlib.Path
        The folder of the toy dataset.

    """
    return PACKAGE_DIR / "toy"
