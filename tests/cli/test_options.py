"""Shared options: --data, bad values as usage errors, --scenario."""

from __future__ import annotations

import pytest

import belt_graph as bg
from tests.helpers import TEST_DATA, run, run_in_folder

BROKEN = str(TEST_DATA / "broken")


def test_missing_data_folder() -> None:
    code, _, err = run("info", "--data", "/no/such/folder")
    assert code == 1 and "dataset folder not found" in err and "Traceback" not in err


def test_malformed_dataset_lists_every_fault() -> None:
    code, _, err = run("info", "--data", BROKEN)
    assert code == 1
    assert "9 problems in nodes.csv, links.csv, partnerships.csv:" in err, err
    assert "links.csv:2: column 'minutes'" in err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_options_are_usage_errors(value: str) -> None:
    for args in (
        ["clusters", "--resolution", value],
        ["reach", "A", "--hours", value],
        ["reach", "AOH", "--hours", "1", "--depart", "08:00", "--min-transfer-minutes", value],
        ["commute", "A", "B", "--transfer-penalty-minutes", value],
        ["centrality", "--decay-param", value],
    ):
        code, _, err = run_in_folder(*args, "--data", str(bg.toy_path()))
        assert code == 2 and "finite" in err, (args, err)


def test_a_bad_scenario_argument_is_not_a_dataset_problem() -> None:
    code, _, err = run_in_folder("scenario", "no_such", "--data", str(bg.toy_path()))
    assert code == 1 and "unknown scenario 'no_such'" in err and "problem" not in err
