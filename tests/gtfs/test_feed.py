"""belt_graph.gtfs.feed: hostile files are located problems, never tracebacks (issue 25: 5, 7)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from belt_graph.cli import cli
from belt_graph.errors import FeedError
from belt_graph.gtfs import feed as feed_module
from belt_graph.gtfs import import_gtfs
from tests.helpers import BASE, write_feed


def _zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def test_a_required_file_with_a_header_and_no_rows(tmp_path: Path) -> None:
    files = dict(BASE)
    files["stop_times.txt"] = BASE["stop_times.txt"].split("\n", 1)[0] + "\n"
    with pytest.raises(FeedError, match=r"stop_times.txt: the file has a header but no rows"):
        import_gtfs(write_feed(tmp_path / "f", files), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cr_only_line_ends_are_read_as_line_breaks(tmp_path: Path) -> None:
    files = dict(BASE)
    files["stops.txt"] = BASE["stops.txt"].replace("\n", "\r")
    warned: list[str] = []
    s = import_gtfs(write_feed(tmp_path / "f", files), tmp_path / "out", warn=warned.append)
    same = import_gtfs(write_feed(tmp_path / "g", dict(BASE)), tmp_path / "out2")
    assert (s.stations, s.links, s.calls) == (same.stations, same.links, same.calls)
    assert any("line ends are CR alone" in w for w in warned)


def test_a_damaged_zip_member_is_a_located_problem(tmp_path: Path) -> None:
    path = _zip(tmp_path / "d.zip", {k: v * 50 for k, v in BASE.items()})
    data = bytearray(path.read_bytes())
    at = data.find(b"agency.txt") + 40  # inside the first member's compressed data
    for i in range(at, at + 30):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    r = CliRunner().invoke(cli, ["import-gtfs", str(path), str(tmp_path / "out")])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "d.zip/agency.txt: cannot read the file (a damaged zip?)" in r.output


def test_a_zip_bomb_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25, 5: a 3 MB feed expanding to 1 GB grew to 3.6 GB, then a MemoryError."""
    monkeypatch.setattr(feed_module, "ZIP_BOMB_MIN_BYTES", 1_000_000)
    files: dict[str, str | bytes] = dict(BASE)
    header = BASE["stop_times.txt"]
    files["stop_times.txt"] = header + "t1,08:00:00,08:00:00,WEST,1\n" * 200_000  # 5.4 MB
    path = _zip(tmp_path / "bomb.zip", files)
    info = zipfile.ZipFile(path).getinfo("stop_times.txt")
    ratio = info.file_size / info.compress_size
    assert ratio > feed_module.MAX_ZIP_RATIO  # the fixture is what it says
    with pytest.raises(FeedError) as err:
        import_gtfs(path, tmp_path / "out")
    assert (
        f"bomb.zip/stop_times.txt: expands from {info.compress_size:,} to {info.file_size:,}"
        in str(err.value)
    )
    assert "as a likely zip bomb" in str(err.value)


def test_a_file_over_the_size_limit_is_refused_with_the_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed_module, "MAX_FILE_BYTES", 100)
    folder = write_feed(tmp_path / "f", dict(BASE))
    size = (folder / "stops.txt").stat().st_size
    with pytest.raises(
        FeedError, match=rf"stops.txt: {size:,} bytes uncompressed, over the limit of 100"
    ):
        import_gtfs(folder, tmp_path / "out")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet="0123456789:  ０٠a\x00", min_size=0, max_size=10)
        | st.from_regex(r"[0-9]{2}:[0-9]{2}:[0-9]{2}", fullmatch=True),
        min_size=1,
        max_size=30,
    )
)
def test_times_read_at_once_as_the_pattern_reads_them(values: list[str]) -> None:
    """HH:MM:SS read as code points all at once; every value gets what the pattern gives it."""
    import numpy as np
    import pandas as pd

    from belt_graph.dataset._rows import Collector
    from belt_graph.gtfs.feed import _TIME, Table, parse_times

    problems = Collector()
    table = Table("stop_times.txt", "stop_times.txt", pd.DataFrame({"t": values}), b"")
    got = parse_times(table, "t", problems)
    bad = 0
    for v, g in zip(values, got.tolist(), strict=True):
        m = _TIME.fullmatch(v)
        if m:
            assert g == int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])
        else:
            assert np.isnan(g)
            bad += v.strip() != ""
    shown = [p for p in problems.problems if p.line is not None]
    assert len(shown) == min(bad, 50)
