"""Read and validate a dataset folder: :func:`load_dataset`.

It runs every reader and reports all problems at once in one
:class:`~belt_graph.errors.DataFileError`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema as S
from ..errors import ScenarioError
from ._rows import (
    Collector,
)
from .core import Dataset
from .network_files import Network, check_folder, read_metadata, read_network
from .paths import toy_path
from .readers import (
    _read_claims,
    _read_context,
    _read_measures,
    _read_partnerships,
    _read_sectors,
    _read_taxonomy,
    _read_timetable,
    links_frame,
    nodes_frame,
)
from .scenario_files import apply_operations, read_scenario

__all__ = ["load_dataset"]


def _check_scenarios(
    scenarios: dict[str, Path], links: pd.DataFrame, nodes: pd.DataFrame, problems: Collector
) -> None:
    """Read each scenario and apply it to the links, recording what fails."""
    for path in scenarios.values():
        try:
            apply_operations(links, nodes.index, read_scenario(path))
        except ScenarioError as err:
            for p in err.problems:
                problems.add(p.path, p.line, p.column, p.message)


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Read and validate a dataset folder; no argument loads the bundled belt dataset.

    Parameters
    ----------
    path : str or Path, optional
        A folder in the format of ``data/README.md``. Default: :func:`bundled_path`.

    Returns
    -------
    Dataset
        The validated tables.

    Raises
    ------
    DataFileError
        Listing every problem found (the first 200, and how many in all), each as
        ``file:line: column 'x': message``, in the order of the files and their lines: missing
        or unreadable file or column, duplicate id (or ids that differ only by case or width),
        link to an unknown node, a number that is not plain decimal digits or lies outside its
        plausible range (``schema.MINUTES_RANGE`` ...), bad date, unknown status or mode,
        undecodable UTF-8, NUL bytes, empty file, exact duplicate links, self-partnerships,
        sectors or partnerships on a hub, invalid claims or map context.

    Examples
    --------
    >>> from belt_graph import place_ids
    >>> ds = load_dataset()
    >>> place_ids(ds.nodes)[:3], len(ds.nodes[ds.nodes["kind"] == "station"])
    (['Putuo', 'Nanjing', 'Wuxi'], 60)
    """
    problems = Collector()
    return _load(check_folder(path, problems), problems)


def dataset_of(network: Network) -> Dataset:
    """Return the whole dataset of a network already read (:func:`load_network`).

    Its other files are read and checked now; the network's are not read again.
    """
    return _load(network.path, Collector(), network)


def _load(folder: Path, problems: Collector, network: Network | None = None) -> Dataset:
    node_rows, link_table = (
        read_network(folder, problems)
        if network is None
        else (network.node_rows, network.link_table)
    )
    nodes = nodes_frame(node_rows)
    links = links_frame(link_table)
    taxonomy = _read_taxonomy(folder, problems)
    sectors = _read_sectors(folder, nodes, taxonomy, problems)
    partnerships = _read_partnerships(folder, nodes, taxonomy, problems)
    timetable = _read_timetable(folder, set(nodes.index), problems)
    claims = _read_claims(folder, nodes, problems)
    measures = _read_measures(folder, nodes, problems)
    context, features = _read_context(folder, problems)
    metadata = read_metadata(folder, problems) if network is None else network.metadata
    if nodes.empty:  # nodes.csv could not be read: "unknown node" everywhere would bury it
        problems.problems = [
            p for p in problems.problems if not p.message.endswith("(not in nodes.csv)")
        ]
    scen_dir = folder / S.SCENARIOS_DIR
    scenarios = {p.stem: p for p in sorted(scen_dir.glob("*.csv"))} if scen_dir.is_dir() else {}
    if not problems.problems:  # a scenario can only be tried on valid links
        _check_scenarios(scenarios, links, nodes, problems)
    problems.raise_if_any()
    return Dataset(
        path=folder,
        nodes=nodes.drop(columns="_line"),
        links=links.drop(columns="_line").reset_index(drop=True),
        sectors=sectors.reset_index(drop=True),
        partnerships=partnerships.reset_index(drop=True),
        taxonomy=taxonomy,
        scenarios=scenarios,
        context=context,
        timetable=timetable,
        context_features=features,
        claims=claims,
        metadata=metadata,
        measures=measures,
    )


def toy_dataset() -> Dataset:
    """Return a five-node toy dataset whose answers can be checked by hand.

    Places A, B, C, D (cities) and hub H; lines ``red`` (A-B 20 min, B-C 50 min), ``blue``
    (A-H 10, H-C 15) and ``green`` (C-D 40), a ``yellow`` bus A-B of 35 min, plus a
    planned ``gold`` link A-D of 30 min. Partnerships A-B and A-C. Sectors: A chips,
    software; B chips; C solar; D batteries (families: ``it`` for chips and software,
    ``energy`` for solar and batteries).

    Returns
    -------
    Dataset
        The toy network of ``belt_graph/toy``.

    Examples
    --------
    >>> float(toy_dataset().nodes.loc["A", "population"])
    1000.0
    """
    return load_dataset(toy_path())
