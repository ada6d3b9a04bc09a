"""belt_graph.dataset.readers: one reader per file, every fault located to file, line and column."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import belt_graph as bg
from belt_graph.errors import (
    DataFileError,
)
from tests.helpers import HEADER, problems_of, run_in_folder, toy_copy


@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["reach", "A", "--hours", "1", "--depart", "08:00"],
        ["draw", "timetable", "-o", "OUT.png"],
        ["report", "-o", "OUT"],
    ],
)
def test_header_only_timetable(tmp_path: Path, args: list[str]) -> None:
    folder = toy_copy(tmp_path, **{"timetable.csv": "train,sequence,station,arrival,departure\n"})
    args = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    code, _, err = run_in_folder(*args, "--data", str(folder))
    assert code == 1 and "timetable.csv: the file has a header but no calls" in err


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ("c1,t,travel_minutes,A>Z,,1,2,min,x", "claims.csv:2: column 'subject': unknown node 'Z'"),
        ("c1,t,travel_minutes,A,,1,2,min,x", "needs 'origin>destination'"),
        ("c1,t,travel_max,A>,,1,2,min,x", "needs 'origin>destination'"),
        ("c1,t,population_total,Q;A,,1,,p,x", "claims.csv:2: column 'subject': unknown node 'Q'"),
    ],
)
def test_bad_claims_are_located(tmp_path: Path, claims: str, message: str) -> None:
    header = "claim_id,text,kind,subject,param,low,high,unit,source_ref\n"
    folder = toy_copy(tmp_path, **{"claims.csv": header + claims + "\n"})
    code, _, err = run_in_folder("report", "-o", str(tmp_path / "r"), "--data", str(folder))
    assert code == 1 and message in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[]", "context.geojson: expected a GeoJSON FeatureCollection"),
        (b"{bad", "context.geojson:1: not valid JSON"),
        (b"\xff\xfe", "context.geojson:1: not valid UTF-8"),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
            b'{"type": "LineString", "coordinates": [[1, "x"]]}}]}',
            "context.geojson: feature 1: LineString coordinates",
        ),
    ],
)
def test_bad_map_context_names_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    folder = toy_copy(tmp_path, **{"context.geojson": content})
    code, _, err = run_in_folder(
        "draw", "map", "-o", str(tmp_path / "m.png"), "--data", str(folder)
    )
    assert code == 1 and message in err


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"partnerships.csv": "source,target,signed_on,focus,source_ref\nA,A,,,x\n"},
            "partnerships.csv:2: column 'target': a place cannot partner with itself",
        ),
        (
            {"partnerships.csv": "source,target,signed_on,focus,source_ref\nA,H,,,x\n"},
            "column 'target': 'H' is a hub, which routes but is not a place",
        ),
        (
            {"sectors.csv": "node,sector,evidence,source_ref\nH,chips,x,x\n"},
            "sectors.csv:2: column 'node': 'H' is a hub",
        ),
        ({"links.csv": HEADER + "A,B,1e308,rail,red,open,x,2025\n"}, "1e308 is outside"),
        ({"links.csv": HEADER + "A,B,1e-320,rail,red,open,x,2025\n"}, "1e-320 is outside"),
        ({"links.csv": HEADER + "A,B,1_000,rail,red,open,x,2025\n"}, "got '1_000'"),
        ({"links.csv": HEADER + "A,B,１０,rail,red,open,x,2025\n"}, "got '１０'"),
        ({"links.csv": HEADER + "A,B,٣٠,rail,red,open,x,2025\n"}, "got '٣٠'"),
        ({"links.csv": HEADER + "A,B,nan,rail,red,open,x,2025\n"}, "got 'nan'"),
        (
            {"partnerships.csv": "source,target,signed_on,focus,source_ref\nA,B,20250217,,x\n"},
            "expected a date YYYY-MM-DD, got '20250217'",
        ),
        (
            {
                "partnerships.csv": "source,target,signed_on,signed_from,signed_to,focus,"
                "source_ref\nA,B,,2025-03-01,2025-02-01,,x\n"
            },
            "column 'signed_to': 2025-02-01 is before signed_from 2025-03-01",
        ),
        (
            {"links.csv": HEADER + "A,B,20,rail,red,open,x,2025\nA,B,20,rail,red,open,x,2025\n"},
            "links.csv:3: repeats line 2 exactly",
        ),
        ({"links.csv": HEADER.encode() + b"A,B,2\x000,rail,red,open,x,2025\n"}, "NUL byte"),
        (
            {
                "claims.csv": "claim_id,text,kind,subject,param,low,high,unit,source_ref\n"
                "c,t,gdp_value,A,,nan,,u,x\n"
            },
            "claims.csv:2: column 'low': expected a number",
        ),
        (
            {
                "claims.csv": "claim_id,text,kind,subject,param,low,high,unit,source_ref\n"
                "c,t,gdp_value,A,,1,,u,x\nc,t,gdp_value,B,,1,,u,x\n"
            },
            "claims.csv:3: column 'claim_id': duplicate id 'c' (first on line 2)",
        ),
    ],
)
def test_clearly_wrong_data_is_refused(tmp_path: Path, files: dict[str, str], message: str) -> None:
    assert message in problems_of(toy_copy(tmp_path, **files))


def test_header_only_nodes(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"nodes.csv": "id,name,kind,lat,lon\n"})
    assert "nodes.csv: the file has a header but no nodes" in problems_of(folder)


def test_every_node_row_broken(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"nodes.csv": "id,name,kind,lat,lon\n,N,city,1,1\nA\n"})
    text = problems_of(folder)
    assert "nodes.csv:2: column 'id': a value is required" in text
    assert "nodes.csv:3: expected 5 fields, got 1" in text


def test_an_unreadable_nodes_file_is_not_buried_under_its_consequences(tmp_path: Path) -> None:
    # a NUL byte makes nodes.csv unusable; every link then names an "unknown node", which
    # buried the one real fault under a page of consequences
    raw = (bg.toy_path() / "nodes.csv").read_bytes() + b"x\x00y\n"
    links = (bg.toy_path() / "links.csv").read_text(encoding="utf-8").splitlines()
    header = links[0].split(",")
    bad = links[1].split(",")
    bad[header.index("minutes")] = "n/a"
    folder = toy_copy(
        tmp_path, **{"nodes.csv": raw, "links.csv": "\n".join([links[0], ",".join(bad), ""])}
    )
    text = problems_of(folder)
    assert "contains a NUL byte" in text
    assert "unknown node" not in text and text.startswith("2 problems in nodes.csv, links.csv")
    assert "links.csv:2: column 'minutes'" in text  # the other files' own faults still come


def test_a_field_over_the_csv_limit(tmp_path: Path) -> None:
    folder = toy_copy(
        tmp_path, **{"nodes.csv": "id,name,kind,lat,lon\nA," + "x" * 140_000 + ",city,1,1\n"}
    )
    assert "nodes.csv:2: a field is longer than 131,072 characters" in problems_of(folder)


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = toy_copy(tmp_path)
    (folder / "links.csv").chmod(0)
    if os.geteuid() == 0:  # root reads any file: make the read fail as it would for a user
        real = Path.read_bytes

        def denied(self: Path) -> bytes:
            if self.name == "links.csv":
                raise PermissionError(13, "Permission denied")
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", denied)
    assert "links.csv: cannot read the file: Permission denied" in problems_of(folder)


def test_a_pipe_where_a_file_should_be_is_not_read(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"links.csv": None})
    os.mkfifo(folder / "links.csv")  # reading it would wait forever
    assert "links.csv: not a regular file" in problems_of(folder)


def test_a_folder_where_a_file_should_be(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"links.csv": None})
    (folder / "links.csv").mkdir()
    assert "links.csv: not a regular file" in problems_of(folder)


def test_huge_names_are_refused_and_long_labels_cut(tmp_path: Path) -> None:
    folder = toy_copy(
        tmp_path,
        **{"nodes.csv": (bg.toy_path() / "nodes.csv").read_text().replace("Alpha", "A" * 20_000)},
    )
    assert "column 'name': is 20,000 characters long (at most 200)" in problems_of(folder)
    from belt_graph.plot import MAX_LABEL_CHARS, label

    cut = label({"name": "x" * 200}, "en")
    assert len(cut.replace("\n", "")) == MAX_LABEL_CHARS and cut.endswith("…")
    # a long name keeps its words on two lines
    two = label({"name": "Evergreen St - Hail and Ride Location"}, "en")
    assert two == "Evergreen St - Hail and\nRide Location"


def test_population_bound(tmp_path: Path) -> None:
    nodes = (bg.toy_path() / "nodes.csv").read_text().replace(",1000,", ",1e308,")
    assert "column 'population': 1e308 is outside" in problems_of(
        toy_copy(tmp_path, **{"nodes.csv": nodes})
    )


def test_a_quoted_newline_keeps_later_lines_right(tmp_path: Path) -> None:
    nodes = (bg.toy_path() / "nodes.csv").read_text().replace("Alpha", '"Al\npha"')
    nodes = nodes.replace("B,Bravo,乙市,city,31.0,", "B,Bravo,乙市,city,95.0,")
    text = problems_of(toy_copy(tmp_path, **{"nodes.csv": nodes}))
    # B's row starts on physical line 4: line 2 holds a quoted newline
    assert "nodes.csv:4: column 'lat'" in text


def test_a_quoted_newline_stays_in_the_value(tmp_path: Path) -> None:
    nodes = (bg.toy_path() / "nodes.csv").read_text().replace("Alpha", '"Al\npha"')
    ds = bg.load_dataset(toy_copy(tmp_path, **{"nodes.csv": nodes}))
    assert ds.nodes.loc["A", "name"] == "Al\npha"


@pytest.mark.parametrize("char", ["\u2028", "\x0c", "\x85"])
def test_unusual_line_breaks_do_not_split_a_row(tmp_path: Path, char: str) -> None:
    links = (
        (bg.toy_path() / "links.csv").read_text().replace(",toy,2025\nB,C", f",to{char}y,2025\nB,C")
    )
    ds = bg.load_dataset(toy_copy(tmp_path, **{"links.csv": links}))
    assert len(ds.links) == 7 and ds.links.loc[0, "source_ref"] == f"to{char}y"


def test_optional_link_columns_may_be_left_out(tmp_path: Path) -> None:
    links = "source,target,minutes,mode,status\nA,B,20,rail,open\nB,C,30,rail,open\n"
    ds = bg.load_dataset(toy_copy(tmp_path, **{"links.csv": links}))
    assert ds.links["line"].tolist() == ["", ""] and "data_year" in ds.links
    assert "links without a source_ref: 2 of 2" in bg.dataset_summary(ds)


def test_timetable_loader_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "nodes.csv").write_text(
        "id,name,kind,lat,lon\nA,A,station,30,120\nB,B,station,31,121\n", encoding="utf-8"
    )
    (tmp_path / "links.csv").write_text(
        "source,target,minutes,mode,line,status,source_ref,data_year\n"
        "A,B,10,rail,x,open,test,2020\n",
        encoding="utf-8",
    )
    (tmp_path / "timetable.csv").write_text(
        "train,sequence,station,arrival,departure\n"
        "T1,1,A,,08:00\n"
        "T1,2,Z,08:30,08:20\n"  # line 3: unknown station; departs before it arrives
        "T2,1,A,,8h00\n"  # line 4: bad time
        "T2,1,B,09:00,\n"  # line 5: repeated sequence
        "T3,1,A,,10:00\n"
        "T3,2,B,09:50,\n",  # line 7: arrives before it left
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        bg.load_dataset(tmp_path)
    text = str(info.value)
    for expected in (
        "timetable.csv:3: column 'station': unknown node 'Z'",
        "timetable.csv:3: column 'departure': departs (08:20) before it arrives",
        "timetable.csv:4: column 'departure': expected a time HH:MM or HH:MM:SS, got '8h00'",
        "timetable.csv:5: column 'sequence': repeats sequence 1",
        "timetable.csv:7: column 'arrival': arrives (09:50) before the train left",
    ):
        assert expected in text, text
