"""Fixtures shared by the whole suite, each built once per session (loading a dataset, importing
a feed and building a graph take seconds; no test changes them)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import networkx as nx
import pytest

import belt_graph as bg
from tests.helpers import CAIRNS, ROOT


def pytest_report_header(config: pytest.Config) -> str:
    """Say how long the run takes, so that a quiet stretch is not taken for a hang."""
    return (
        "belt-graph: the full run takes 9 to 13 minutes on 2 cores (notebooks, a browser, "
        "wheel builds); python -m pytest -m 'not slow' runs the quick subset in about 4 minutes"
    )


@pytest.fixture(scope="session")
def belt() -> bg.Dataset:
    """The bundled Shanghai-Nanjing belt."""
    return bg.load_dataset()


@pytest.fixture(scope="session")
def toy() -> bg.Dataset:
    """The five-node toy network of the doctests, checkable by hand."""
    return bg.toy_dataset()


@pytest.fixture(scope="session")
def national() -> bg.Dataset:
    """China's 2020 key-station network with its timetable (``cn-rail-2020``)."""
    return bg.load_dataset("cn-rail-2020")


@pytest.fixture(scope="session")
def cairns(tmp_path_factory: pytest.TempPathFactory) -> bg.Dataset:
    """The Cairns bus feed imported for Monday 2014-06-02."""
    out: Path = tmp_path_factory.mktemp("gtfs") / "cairns"
    bg.import_gtfs(CAIRNS, out, date=dt.date(2014, 6, 2))
    return bg.load_dataset(out)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of the source tree, built once (tests that use it share an xdist group)."""
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    return next(out.glob("belt_graph-*.whl"))


@pytest.fixture()
def toy_rail(toy: bg.Dataset) -> nx.Graph:
    """The toy network's rail graph (a new one for each test: some tests change it)."""
    return bg.rail_graph(toy)


@pytest.fixture(scope="module")
def belt_rail(belt: bg.Dataset) -> nx.Graph:
    """The belt's rail graph."""
    return bg.rail_graph(belt)


@pytest.fixture()
def edge_123() -> nx.Graph:
    """Two places 123 minutes apart: 2.05 h x 60 is 122.99999999999999 in floating point."""
    G = nx.Graph()
    G.add_node("N", kind="city", name="N", population=1.0)
    G.add_node("Z", kind="city", name="Z", population=2.0)
    G.add_edge("N", "Z", minutes=123.0)
    return G


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Close every matplotlib figure a test left open (only where pyplot was imported)."""
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
