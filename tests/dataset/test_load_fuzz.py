"""The loader on fuzzed datasets (hypothesis): it loads, or fails with located problems."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given

from tests.helpers import FILES, FUZZ, apply, base_dataset, load_or_located_error, mutated_folder


@FUZZ
@given(changes=mutated_folder())
def test_a_mutated_dataset_loads_or_fails_with_located_problems(changes: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = base_dataset(Path(tmp) / "ds")
        apply(folder, changes)
        event("loaded" if load_or_located_error(folder) is not None else "refused")


@pytest.mark.parametrize("name", FILES)
def test_each_file_of_the_base_dataset_can_be_broken(tmp_path: Path, name: str) -> None:
    """A sanity check of the harness: garbage in any file is a located problem."""
    folder = base_dataset(tmp_path / "ds")
    (folder / name).write_bytes(b"\xff\xfe\x00garbage")
    assert load_or_located_error(folder) is None
