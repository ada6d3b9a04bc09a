"""The place matrix straight from a dataset's files equals the graph's (issue 26, CLI matrix).

``network_minutes`` reads no graph: the reference is ``travel_time_array(rail_graph(...))`` on
the whole dataset, which every other test of the matrix holds to NetworkX.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.dataset.network_files import load_network
from belt_graph.errors import DataFileError
from belt_graph.network.arrays import has_services, network_minutes
from belt_graph.network.journeys import has_services as graph_has_services
from belt_graph.network.journeys import journey_graph
from tests.helpers import apply, base_dataset, mutated_folder, network_folders


def _by_graph(folder: Path, **options: Any) -> tuple[list[str], np.ndarray]:
    G = bg.rail_graph(
        bg.load_dataset(folder),
        include_planned=options["include_planned"],
        time=options.get("time", "in-vehicle"),
    )
    return bg.travel_time_array(G, include_hubs=options["include_hubs"])


def _same(folder: Path, **options: Any) -> None:
    found = network_minutes(load_network(folder), **options)
    assert found is not None
    ids, m = found
    want_ids, want = _by_graph(folder, **options)
    assert ids == want_ids
    assert m.dtype == want.dtype and m.shape == want.shape
    assert np.array_equal(m, want, equal_nan=True)


@pytest.mark.parametrize("planned", [False, True])
@pytest.mark.parametrize("hubs", [False, True])
def test_the_national_network_as_the_graph_gives_it(planned: bool, hubs: bool) -> None:
    """cn-rail-2021: 2,794 stations under 328 places, planned links, parallel links."""
    _same(bg.dataset_path("cn-rail-2021"), include_planned=planned, include_hubs=hubs)


def test_the_toy_network_as_the_graph_gives_it() -> None:
    for planned in (False, True):
        for hubs in (False, True):
            _same(bg.toy_path(), include_planned=planned, include_hubs=hubs)


def _folder(files: dict[str, str], tmp: str) -> Path:
    folder = Path(tmp)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_folders(), st.booleans(), st.booleans())
def test_random_networks_as_the_graph_gives_them(
    files: dict[str, str], planned: bool, hubs: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _same(_folder(files, tmp), include_planned=planned, include_hubs=hubs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_folders(services=True), st.booleans(), st.sampled_from(["in-vehicle", "expected"]))
def test_random_networks_of_services_as_the_journey_graph_gives_them(
    files: dict[str, str], planned: bool, time: str
) -> None:
    """Journeys: the journey graph built from the rows is the graph's, entry for entry."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(files, tmp)
        network = load_network(folder)
        G = bg.rail_graph(bg.load_dataset(folder), include_planned=planned, time=time)
        assert has_services(network, include_planned=planned) == graph_has_services(G)
        _same(folder, include_planned=planned, include_hubs=False, time=time)
        if graph_has_services(G):
            _same_journey_matrix(network, G, include_planned=planned, time=time)


def _same_journey_matrix(network: Any, G: Any, *, include_planned: bool, time: str) -> None:
    """The rows' journey graph, caught as network_minutes builds it, against the graph's."""
    from belt_graph.network import arrays as _place_matrix

    built: list[Any] = []
    real = _place_matrix._journey_matrix

    def keep(*args: Any, **kwargs: Any) -> Any:
        built.append(real(*args, **kwargs))
        return built[-1]

    _place_matrix._journey_matrix = keep  # type: ignore[assignment]
    try:
        network_minutes(network, include_planned=include_planned, time=time)
    finally:
        _place_matrix._journey_matrix = real  # type: ignore[assignment]
    want = journey_graph(G).matrix
    assert built[0].shape == want.shape
    assert (built[0] != want).nnz == 0
    # explicit zeros (free boarding, free access) are edges: the same pattern too
    assert np.array_equal(built[0].indptr, want.indptr)
    assert np.array_equal(built[0].indices, want.indices)


@pytest.mark.parametrize("time", ["in-vehicle", "expected"])
def test_the_belt_and_the_2020_network_as_the_journey_graph_gives_them(time: str) -> None:
    for name in ("belt", "cn-rail-2020"):
        folder = bg.dataset_path(name)
        _same(folder, include_planned=False, include_hubs=False, time=time)
        G = bg.rail_graph(bg.load_dataset(folder), time=time)
        _same_journey_matrix(load_network(folder), G, include_planned=False, time=time)


def test_a_line_ridden_on_is_left_to_the_graph(tmp_path: Path) -> None:
    """An imported feed's track links (ride_on_track): None, the graph answers."""
    toy = tmp_path / "toy"
    shutil.copytree(bg.toy_path(), toy)
    assert network_minutes(load_network(toy)) is not None
    assert not has_services(load_network(toy))
    (toy / "metadata.csv").write_text("key,value\nride_on_track,yes\n", encoding="utf-8")
    assert graph_has_services(bg.rail_graph(bg.load_dataset(toy)))
    assert has_services(load_network(toy))
    assert network_minutes(load_network(toy)) is None


Located = list[tuple[str, int | None, str | None, str]]


def _problems(load: object, folder: Path) -> tuple[Located, int]:
    """The problems shown (the first 200) and how many there were."""
    try:
        load(folder)  # type: ignore[operator]
    except DataFileError as err:
        return [(p.path, p.line, p.column, p.message) for p in err.problems], err.total
    return [], 0


NETWORK_FILES = ("nodes.csv", "links.csv", "metadata.csv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_folder())
def test_the_network_files_faults_are_the_datasets(changes: dict[str, bytes]) -> None:
    """Every fault of nodes.csv and links.csv, located as load_dataset locates it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = base_dataset(Path(tmp) / "ds")
        apply(folder, changes)
        network, _ = _problems(load_network, folder)
        whole, total = _problems(bg.load_dataset, folder)
        # the other files' faults are not the network's; the files come in the same order
        of_network = [p for p in whole if Path(p[0]).name in NETWORK_FILES]
        if total <= len(whole):  # all shown
            assert network == of_network
        else:
            assert network[: len(of_network)] == of_network


@pytest.mark.parametrize("name", ["toy", "belt"])
def test_the_matrix_command_imports_neither_pandas_nor_networkx(name: str, tmp_path: Path) -> None:
    """The files are read and searched without them (the belt: a network of services)."""
    folder = bg.toy_path() if name == "toy" else bg.dataset_path(name)
    out = tmp_path / "m.npz"
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['belt-graph', 'matrix', '--data', {str(folder)!r}, "
        f"'--output', {str(out)!r}]\n"
        "try:\n"
        "    runpy.run_module('belt_graph', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print(sorted(m for m in ('pandas', 'networkx', 'matplotlib') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    saved = np.load(out)
    ids, want = _by_graph(folder, include_planned=False, include_hubs=False)
    assert saved["nodes"].tolist() == ids
    assert np.array_equal(saved["minutes"], want, equal_nan=True)
