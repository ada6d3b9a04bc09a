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

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph._journeys import has_services
from belt_graph._place_matrix import network_minutes
from belt_graph.dataset.network_files import load_network
from belt_graph.errors import DataFileError
from tests.helpers import apply, base_dataset, mutated_folder


def _by_graph(folder: Path, **options: bool) -> tuple[list[str], np.ndarray]:
    G = bg.rail_graph(bg.load_dataset(folder), include_planned=options["include_planned"])
    return bg.travel_time_array(G, include_hubs=options["include_hubs"])


def _same(folder: Path, **options: bool) -> None:
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


def _csv(rows: list[list[str]]) -> str:
    return "\n".join(",".join(r) for r in rows) + "\n"


@st.composite
def network_folders(draw: st.DrawFn) -> dict[str, str]:
    """nodes.csv and links.csv of a random network of stations, some under places.

    Parallel links (fractions of minutes too), every status and kind of link but ``service``,
    free and timed access links, places with several stations and places with none, hubs.
    """
    n_places = draw(st.integers(0, 4))
    n_stations = draw(st.integers(2, 10))
    places = [f"P{i}" for i in range(n_places)]
    stations = [f"s{i}" for i in range(n_stations)]
    owner = {s: draw(st.sampled_from(["", *places])) for s in stations}
    kind_of = {s: draw(st.sampled_from(["station", "station", "hub"])) for s in stations}
    if not n_places and all(k == "hub" for k in kind_of.values()):
        kind_of[stations[0]] = "station"
    nodes = [["id", "name", "kind", "place", "lat", "lon"]]
    nodes += [[p, p, "city", "", "31", "121"] for p in places]
    nodes += [[s, s, kind_of[s], owner[s], "31", "121"] for s in stations]
    minutes = st.sampled_from(["1", "2", "5", "7.5", "12", "12.25", "30", "45", "90"])
    links = [["source", "target", "minutes", "mode", "status", "kind", "line"]]
    for s in stations:
        if owner[s]:
            access = draw(st.sampled_from(["0", "3", "5.5", "10"]))
            links.append([owner[s], s, access, "walk", "open", "access", ""])
    for k in range(draw(st.integers(0, 18))):
        a, b = draw(st.lists(st.sampled_from(stations), min_size=2, max_size=2, unique=True))
        status = draw(st.sampled_from(["open", "open", "planned", "closed"]))
        kind = draw(st.sampled_from(["track", "", "transfer"]))
        mode = "walk" if kind == "transfer" else "rail"
        links.append([a, b, draw(minutes), mode, status, kind, f"line{k}"])
    return {"nodes.csv": _csv(nodes), "links.csv": _csv(links)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_folders(), st.booleans(), st.booleans())
def test_random_networks_as_the_graph_gives_them(
    files: dict[str, str], planned: bool, hubs: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        _same(folder, include_planned=planned, include_hubs=hubs)


def test_a_network_of_services_is_left_to_the_journey_search(tmp_path: Path) -> None:
    """Changes of train cost time there: None, and the graph says the same."""
    belt = bg.dataset_path("belt")
    assert has_services(bg.rail_graph(bg.load_dataset(belt)))
    assert network_minutes(load_network(belt)) is None
    toy = tmp_path / "toy"
    shutil.copytree(bg.toy_path(), toy)
    assert network_minutes(load_network(toy)) is not None
    (toy / "metadata.csv").write_text("key,value\nride_on_track,yes\n", encoding="utf-8")
    assert has_services(bg.rail_graph(bg.load_dataset(toy)))
    assert network_minutes(load_network(toy)) is None
    (toy / "metadata.csv").unlink()
    links = (toy / "links.csv").read_text(encoding="utf-8").splitlines()
    header = links[0].split(",")
    assert "kind" not in header  # the toy's links have no kind: give them one
    rows = [links[0] + ",kind", links[1] + ",service", *(r + ",track" for r in links[2:])]
    (toy / "links.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert has_services(bg.rail_graph(bg.load_dataset(toy)))
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


def test_the_matrix_command_imports_neither_pandas_nor_networkx(tmp_path: Path) -> None:
    """A network without services: the files are read and searched without them."""
    out = tmp_path / "m.npz"
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['belt-graph', 'matrix', '--data', {str(bg.toy_path())!r}, "
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
    ids, want = _by_graph(bg.toy_path(), include_planned=False, include_hubs=False)
    assert saved["nodes"].tolist() == ids
    assert np.array_equal(saved["minutes"], want, equal_nan=True)
