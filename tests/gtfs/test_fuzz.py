"""Fuzzing the GTFS import (hypothesis): every feed is imported or refused with located
problems, never a traceback, and nothing is left half-written.

The mutations are the families real and hostile feeds bring: other encodings and byte order
marks, CR or CRLF line ends, empty and header-only files, missing columns, garbage in any cell,
extreme calendars and frequencies, a zip or a folder. ``BELT_GRAPH_FUZZ_EXAMPLES`` sets how many
examples a run tries (CI: the default below).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.gtfs import import_gtfs
from tests.helpers import BASE

EXAMPLES = int(os.environ.get("BELT_GRAPH_FUZZ_EXAMPLES", "60"))

FILES = {
    **BASE,
    "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nt1,06:00:00,07:00:00,600\n",
}
GARBAGE = ["", " ", "-1", "0", "99:99:99", "24:00:00", "47:59:59", "00010101", "99991231",
           "nan", "1e309", "\x00", "é", "Mars/Base", "\"", ",", "\r", "NOWHERE", "t1", "HBF"]  # fmt: skip


@st.composite
def feeds(draw: st.DrawFn) -> tuple[dict[str, bytes], bool]:
    """A mutated copy of a small valid feed, and whether it goes in a zip."""
    files = {name: text for name, text in FILES.items()}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        lines = files[name].split("\n")
        kind = draw(
            st.sampled_from(["cell", "cell", "cell", "drop_column", "header_only", "empty",
                             "delete", "duplicate_row", "huge_frequency", "calendar"])
        )  # fmt: skip
        if kind == "cell" and len(lines) > 2:
            row = draw(st.integers(1, len(lines) - 2))
            cells = lines[row].split(",")
            col = draw(st.integers(0, len(cells) - 1))
            cells[col] = draw(st.sampled_from(GARBAGE) | st.text(max_size=8))
            lines[row] = ",".join(cells)
        elif kind == "drop_column":
            header = lines[0].split(",")
            col = draw(st.integers(0, len(header) - 1))
            lines = [",".join(c for i, c in enumerate(x.split(",")) if i != col) for x in lines]
        elif kind == "header_only":
            lines = [*lines[:1], ""]
        elif kind == "empty":
            lines = [""]
        elif kind == "delete":
            del files[name]
            continue
        elif kind == "duplicate_row" and len(lines) > 2:
            lines.insert(1, lines[1])
        elif kind == "huge_frequency":
            name = "frequencies.txt"
            lines = ["trip_id,start_time,end_time,headway_secs",
                     f"t1,00:00:00,{draw(st.sampled_from(['48:00:00', '24:00:00']))},"
                     f"{draw(st.sampled_from(['1', '5', '60']))}", ""]  # fmt: skip
        elif kind == "calendar":
            name = "calendar.txt"
            a, b = draw(st.sampled_from([("00010101", "99991231"), ("20241231", "20240101"),
                                         ("20240101", "20240101"), ("19000101", "21001231")]))  # fmt: skip
            lines = [FILES["calendar.txt"].split("\n")[0], f"D,1,1,1,1,1,1,1,{a},{b}", ""]
        files[name] = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    ends = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = {}
    for name, text in files.items():
        text = text.replace("\n", ends)
        try:
            out[name] = text.encode(encoding)
        except UnicodeEncodeError:
            out[name] = text.encode("utf-8")
    return out, draw(st.booleans())


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(feeds())
def test_a_fuzzed_feed_imports_or_is_refused_cleanly(
    tmp_path: Path, feed: tuple[dict[str, bytes], bool]
) -> None:
    files, zipped = feed
    case = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    case.mkdir()
    if zipped:
        source = case / "feed.zip"
        with zipfile.ZipFile(source, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, data in files.items():
                z.writestr(name, data)
    else:
        source = case / "feed"
        source.mkdir()
        for name, data in files.items():
            (source / name).write_bytes(data)
    out = case / "out"
    try:
        import_gtfs(source, out)
    except bg.BeltGraphError as err:  # refused: with a message, and nothing written
        assert str(err)
        assert not out.exists()
        assert [p.name for p in case.iterdir()] == [source.name]
        return
    ds = bg.load_dataset(out)  # what was written loads
    assert ds.timetable is not None and len(ds.timetable) > 0
