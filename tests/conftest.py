from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest

import belt_graph as bg


@pytest.fixture(scope="session")
def belt() -> bg.Dataset:
    return bg.load_dataset()


@pytest.fixture(scope="session")
def toy() -> bg.Dataset:
    return bg.toy_dataset()
