"""Defects found by fuzzing the loader and CLI and by NetworkX's own test suites (issue 11).

Each section is one numbered item of the issue; each test failed before its fix.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph._files import atomic_write, write_folder
from belt_graph.cli import cli
from belt_graph.errors import OutputError

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = ROOT / "data" / "cn-rail-2020"
HEADER = "source,target,minutes,mode,line,status,source_ref,data_year\n"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    # click's own exits are SystemExit; anything else escaping is a traceback for the user
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


def toy_copy(tmp_path: Path, name: str = "ds", **files: str | bytes | None) -> Path:
    """A copy of the toy dataset with some files replaced (None deletes the file)."""
    folder = tmp_path / name
    shutil.copytree(bg.toy_path(), folder)
    if "links.csv" in files and not any(f.startswith("scenarios__") for f in files):
        shutil.rmtree(folder / "scenarios")  # the toy's scenarios name its own links
    for fname, content in files.items():
        p = folder / fname.replace("__", "/")
        if content is None:
            p.unlink()
        else:
            p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def problems_of(folder: Path) -> str:
    with pytest.raises(bg.DataFileError) as info:
        bg.load_dataset(folder)
    return str(info.value)


# ---- 1. timetable stops with no departure time ----------------------------------------------


def tt_frame(rows: list[tuple[str, int, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["train", "sequence", "station", "arrival_minutes", "departure_minutes"]
    )


FOUR_STOPS = tt_frame(
    [
        ("T", 1, "A", math.nan, 480),
        ("T", 2, "B", 500, math.nan),  # arrives, no departure: the ride ends here
        ("T", 3, "C", 505, 510),
        ("T", 4, "D", 540, math.nan),
    ]
)


def test_no_ride_through_a_call_without_departure() -> None:
    arrival = bg.earliest_arrival(bg.connections(FOUR_STOPS), "A", 470).to_dict()
    # B is reached; C and D only by boarding at C, which nobody who rode from A can do
    assert arrival == {"A": 470.0, "B": 500.0, "C": math.inf, "D": math.inf}


def test_the_next_ride_is_boarded_where_the_train_next_departs() -> None:
    c = bg.connections(FOUR_STOPS)
    j = bg.timetable_commute(c, "C", "D", 500)
    assert j.legs[["train", "from", "to", "departure", "arrival"]].values.tolist() == [
        ["T", "C", "D", 510.0, 540.0]
    ]
    assert len(set(c.trip.tolist())) == 2 and c.trip_train.tolist() == [0, 0]


def test_national_answer_follows_the_documented_rule() -> None:
    ds = bg.load_dataset(NATIONAL)
    arrival = bg.earliest_arrival(bg.connections(ds), "HFH", 6 * 60 + 10)
    # riding on through a call without departure gave 19:39; the rule gives 20:08
    assert bg.format_clock(arrival["ZZQ"]) == "20:08"


def test_datasheet_lists_the_calls_without_departure() -> None:
    tt = bg.load_dataset(NATIONAL).timetable
    assert tt is not None
    last = tt.groupby("train")["sequence"].transform("max") == tt["sequence"]
    mid = tt[~last & tt["departure_minutes"].isna()]
    found = {f"{t} at {s}" for t, s in zip(mid["train"], mid["station"], strict=True)}
    text = " ".join((NATIONAL / "README.md").read_text(encoding="utf-8").split())
    listed = text.split("no departure in the source (")[1].split(")")[0]
    assert set(listed.replace(" and ", ", ").split(", ")) == found


# ---- 2. hours to minutes include the limit ----------------------------------------------------


@pytest.fixture
def edge_123() -> nx.Graph:
    G = nx.Graph()
    G.add_node("N", kind="city", name="N", population=1.0)
    G.add_node("Z", kind="city", name="Z", population=2.0)
    G.add_edge("N", "Z", minutes=123.0)
    return G


def test_reach_includes_a_place_exactly_at_the_limit(edge_123: nx.Graph) -> None:
    assert 2.05 * 60 < 123  # the rounding this is about
    assert "Z" in bg.reach(edge_123, "N", 2.05).index
    assert bg.reach_bands(edge_123, "N", [2.05]).loc[2.05, "places"] == 2


def test_scenario_compare_includes_the_limit(edge_123: nx.Graph) -> None:
    cmp = bg.compare(edge_123, edge_123.copy(), hours=2.05)
    assert cmp.reach.loc["N", "places_base"] == 2  # N itself and Z, as reach counts


def test_partners_include_the_limit(edge_123: nx.Graph) -> None:
    B = nx.Graph()
    B.add_node("N", node_type="place", bipartite=0)
    B.add_node("Z", node_type="place", bipartite=0)
    for s, fam in (("a", "f"), ("b", "f")):
        B.add_node(f"sector:{s}", node_type="sector", bipartite=1, sector=s, family=fam)
    B.add_edge("N", "sector:a")
    B.add_edge("Z", "sector:b")
    assert bg.complementary_partners(edge_123, B, "N", 2.05).index.tolist() == ["Z"]


def test_timetable_reach_includes_the_limit() -> None:
    tt = tt_frame([("T", 1, "N", math.nan, 480.0), ("T", 2, "Z", 603.0, math.nan)])
    assert "Z" in bg.timetable_reach(bg.connections(tt), "N", 2.05, 480).index


def test_cli_reach_at_the_limit(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"links.csv": HEADER + "A,B,123,rail,red,open,x,2025\n"})
    code, out, _ = run("reach", "A", "--hours", "2.05", "--data", str(folder), "--format", "csv")
    assert code == 0 and "\nB," in out


# ---- 3. nearest-origin ties: the origin listed first wins -----------------------------------


def test_the_origin_listed_first_wins_a_tie() -> None:
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "x", 5), ("x", "b", 5), ("c", "b", 10)], weight="minutes")
    assert bg.nearest_origin_dijkstra(G, ["a", "c"], 60)[1]["b"] == "a"
    assert bg.nearest_origin_dijkstra(G, ["c", "a"], 60)[1]["b"] == "c"


# ---- 4. directed graphs are refused; parallel edges count their fastest ---------------------


def test_directed_graphs_are_refused() -> None:
    D = nx.DiGraph()
    D.add_edge("a", "b", minutes=1.0, kind="city")
    calls = [
        lambda: bg.closeness(D),
        lambda: bg.betweenness(D),
        lambda: bg.travel_time_matrix(D, nodes=["a", "b"]),
        lambda: bg.reach(D, "a", 1),
        lambda: bg.commute(D, "a", "b"),
        lambda: bg.centrality(D),
    ]
    for call in calls:
        with pytest.raises(bg.UnsupportedGraphError, match="directed"):
            call()


def test_parallel_edges_count_their_fastest() -> None:
    M = nx.MultiGraph()
    for n in ("a", "b", "c"):
        M.add_node(n, kind="city", name=n)
    M.add_edge("a", "b", minutes=10.0, line="fast")
    M.add_edge("a", "b", minutes=100.0, line="slow")
    M.add_edge("b", "c", minutes=5.0, line="fast")
    assert bg.travel_time_matrix(M).loc["a", "b"] == 10.0
    assert bg.closeness(M)["a"] == pytest.approx(2 / (10 + 15))
    assert bg.betweenness(M)["b"] == 1.0
    assert bg.reach(M, "a", 0.25)["minutes"].to_dict() == {"a": 0.0, "b": 10.0, "c": 15.0}
    assert bg.commute(M, "a", "c").minutes == 15.0


# ---- 5. sampled betweenness follows NetworkX 3.5+ ---------------------------------------------


def test_sampled_betweenness_on_a_star_is_at_most_one() -> None:
    G = nx.star_graph(6)
    nx.set_edge_attributes(G, 1.0, "minutes")
    ours = bg.betweenness(G, k=3, seed=1)
    theirs = nx.betweenness_centrality(G, k=3, seed=1, weight="minutes")
    assert ours.to_dict() == pytest.approx(theirs, nan_ok=True)
    assert ours.max() <= 1.0


@pytest.mark.parametrize("seed", range(5))
def test_sampled_betweenness_equals_networkx(seed: int) -> None:
    G = nx.gnm_random_graph(30, 60, seed=seed)
    for u, v in G.edges:
        G.edges[u, v]["minutes"] = float(1 + (u * 7 + v * 3) % 11)
    for k in (1, 5, 29):
        ours = bg.betweenness(G, k=k, seed=seed)
        theirs = nx.betweenness_centrality(G, k=k, seed=seed, weight="minutes")
        assert ours.to_dict() == pytest.approx(theirs, nan_ok=True)


# ---- 6. a name never picks the wrong node -----------------------------------------------------


@pytest.mark.parametrize("other", ["SUZHOU", "Ｓｕｚｈｏｕ", "suzhou"])
def test_ids_that_differ_only_by_case_or_width_are_refused(tmp_path: Path, other: str) -> None:
    nodes = (
        "id,name,kind,lat,lon\n"
        "Suzhou,Suzhou,city,31.3,120.6\n"
        f"{other},Other place,city,31.4,120.7\n"
    )
    folder = toy_copy(
        tmp_path,
        **{
            "nodes.csv": nodes,
            "links.csv": HEADER,
            "sectors.csv": None,
            "partnerships.csv": None,
            "scenarios__faster_red.csv": None,
            "scenarios__open_gold.csv": None,
        },
    )
    assert "only by case or character width" in problems_of(folder)


def test_an_exact_id_always_wins() -> None:
    nodes = pd.DataFrame({"name": ["x", "y"], "kind": ["city"] * 2}, index=["Suzhou", "SUZHOU"])
    assert bg.resolve_place(nodes, "SUZHOU") == "SUZHOU"
    assert bg.resolve_place(nodes, "Suzhou") == "Suzhou"
    with pytest.raises(bg.AmbiguousPlaceError):
        bg.resolve_place(nodes, "suzhou")


# ---- 7. no traceback, ever --------------------------------------------------------------------


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
    code, _, err = run(*args, "--data", str(folder))
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
    code, _, err = run("report", "-o", str(tmp_path / "r"), "--data", str(folder))
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
    code, _, err = run("draw", "map", "-o", str(tmp_path / "m.png"), "--data", str(folder))
    assert code == 1 and message in err


def no_coords_dataset(tmp_path: Path) -> Path:
    nodes = (
        "id,name,kind,lat,lon,coord_status\n"
        "A,Alpha,city,,,unknown\nB,Bravo,city,31,120,sourced\nC,Charlie,city,31.2,120.3,sourced\n"
    )
    links = HEADER + "A,B,20,rail,red,open,x,2025\nB,C,30,rail,red,open,x,2025\n"
    return toy_copy(
        tmp_path,
        **{
            "nodes.csv": nodes,
            "links.csv": links,
            "sectors.csv": None,
            "partnerships.csv": None,
            "scenarios__faster_red.csv": None,
            "scenarios__open_gold.csv": None,
        },
    )


@pytest.mark.parametrize("kind", ["map", "reach"])
def test_an_origin_without_coordinates_draws(tmp_path: Path, kind: str) -> None:
    folder = no_coords_dataset(tmp_path)
    out = tmp_path / "m.png"
    code, _, err = run("draw", kind, "--origin", "A", "-o", str(out), "--data", str(folder))
    assert code == 0 and out.stat().st_size > 0, err


def test_an_origin_without_coordinates_cannot_give_bearings(tmp_path: Path) -> None:
    folder = no_coords_dataset(tmp_path)
    args = ["draw", "traveltime", "--origin", "A", "-o", str(tmp_path / "m.png")]
    code, _, err = run(*args, "--data", str(folder))
    assert code == 1 and "'A' has no coordinates" in err
    code, _, err = run("report", "--origin", "A", "-o", str(tmp_path / "r"), "--data", str(folder))
    assert code == 0, err
    assert not (tmp_path / "r" / "figures" / "traveltime.png").exists()


def test_all_links_planned_and_a_single_place(tmp_path: Path) -> None:
    planned = toy_copy(
        tmp_path,
        "planned",
        **{
            "links.csv": HEADER + "A,B,20,rail,red,planned,x,2025\n",
            "scenarios__faster_red.csv": None,
            "scenarios__open_gold.csv": "op,line\nopen_planned,red\n",
        },
    )
    single = toy_copy(
        tmp_path,
        "single",
        **{
            "nodes.csv": "id,name,kind,lat,lon\nA,Alpha,city,31,120\n",
            "links.csv": HEADER,
            "sectors.csv": None,
            "partnerships.csv": None,
            "scenarios__faster_red.csv": None,
            "scenarios__open_gold.csv": None,
        },
    )
    for folder in (planned, single):
        for kind in ("map", "reach", "traveltime", "matrix", "centrality"):
            out = tmp_path / f"{folder.name}-{kind}.png"
            code, _, err = run("draw", kind, "-o", str(out), "--data", str(folder))
            assert code == 0, (folder.name, kind, err)
        code, _, err = run(
            "report", "-o", str(tmp_path / f"r-{folder.name}"), "--data", str(folder)
        )
        assert code == 0, err


def test_report_into_a_read_only_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere a user may not, but not into /sys
        ro = Path("/sys")
    code, _, err = run("report", "-o", str(ro / "r"), "--data", str(bg.toy_path()))
    assert code == 1 and f"cannot write {ro / 'r'}" in err
    assert "Permission denied" in err or "Operation not permitted" in err


def test_report_into_the_current_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    (here / "keep.txt").write_text("mine")
    monkeypatch.chdir(here)
    code, _, err = run("report", "-o", ".", "--force", "--data", str(bg.toy_path()))
    assert code == 1 and "would replace the current folder" in err
    assert (here / "keep.txt").read_text() == "mine"


def test_ctrl_c_during_start_up_is_not_a_traceback() -> None:
    code = (
        "import builtins, signal, sys\n"
        "real = builtins.__import__\n"
        "def slow(name, *a, **k):\n"
        "    if name == 'pandas': raise KeyboardInterrupt\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = slow\n"
        "sys.argv = ['belt-graph', 'info']\n"
        "from belt_graph.__main__ import main\n"
        "main()\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 130 and r.stderr == "Aborted.\n"


# ---- 8. bounded work --------------------------------------------------------------------------


def test_timetable_hours_are_capped() -> None:
    args = ["reach", "上海虹桥", "--hours", "100000", "--depart", "08:00"]
    code, _, err = run(*args, "--data", str(NATIONAL))
    assert code == 2 and "--hours" in err and "at most 168" in err
    tt = bg.connections(bg.load_dataset(NATIONAL))
    with pytest.raises(ValueError, match="at most 168"):
        bg.timetable_reach(tt, "AOH", 1000, 480)


def test_huge_names_are_refused_and_long_labels_cut(tmp_path: Path) -> None:
    folder = toy_copy(
        tmp_path,
        **{"nodes.csv": (bg.toy_path() / "nodes.csv").read_text().replace("Alpha", "A" * 20_000)},
    )
    assert "column 'name': is 20,000 characters long (at most 200)" in problems_of(folder)
    from belt_graph.plot import MAX_LABEL_CHARS, label

    assert len(label({"name": "x" * 200}, "en")) == MAX_LABEL_CHARS


def test_a_huge_query_is_not_compared_character_by_character(toy: bg.Dataset) -> None:
    with pytest.raises(bg.UnknownPlaceError):
        bg.resolve_place(toy.nodes, "x" * 1_000_000)


# ---- 9. nothing lost, nothing left ------------------------------------------------------------


def _report_cmd(out: Path, data: Path | None = None) -> list[str]:
    args = [sys.executable, "-m", "belt_graph", "report", "-o", str(out)]
    return args + (["--data", str(data)] if data else [])


def test_sigterm_during_report_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "r"
    env = {**os.environ, "MPLBACKEND": "Agg"}
    p = subprocess.Popen(_report_cmd(out, NATIONAL), env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".r.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(".r.tmp-*")), "the report never started writing"
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=60) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_a_stale_folder_of_a_killed_run_is_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".r.tmp-{dead.pid}-abc"
    stale.mkdir()
    (stale / "half.csv").write_text("x")
    live = tmp_path / f".r.tmp-{os.getpid()}-abc"  # a run still going: left alone
    live.mkdir()
    code, _, err = run("report", "-o", str(tmp_path / "r"), "--data", str(bg.toy_path()))
    assert code == 0 and "left by an interrupted run" in err
    assert not stale.exists() and live.exists()


def test_a_second_run_does_not_silently_replace_the_first(tmp_path: Path) -> None:
    out = tmp_path / "r"

    def meanwhile(tmp: Path) -> None:
        out.mkdir()
        (out / "other.txt").write_text("the other run's report")
        (tmp / "mine.txt").write_text("this run's report")

    with pytest.raises(OutputError, match="written by another run"):
        write_folder(out, meanwhile, force=False)
    assert [p.name for p in tmp_path.iterdir()] == ["r"]
    assert (out / "other.txt").exists()


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder"])
def test_force_never_replaces_what_is_not_a_file(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "m.csv"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.csv").write_text("keep")
        target.symlink_to(tmp_path / "real.csv")
    else:
        target.mkdir()
    code, _, err = run("matrix", "-o", str(target), "--force", "--data", str(bg.toy_path()))
    assert code == 2 and "is not a regular file" in err
    assert target.is_symlink() or not target.is_file()
    if kind == "symlink":
        assert (tmp_path / "real.csv").read_text() == "keep"


def test_report_never_replaces_its_input(tmp_path: Path) -> None:
    data = toy_copy(tmp_path)
    for out in (data, tmp_path):
        code, _, err = run("report", "-o", str(out), "--force", "--data", str(data))
        assert code == 1 and "would replace the input" in err
    assert (data / "nodes.csv").is_file()


def test_written_files_keep_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.txt", "x", force=False)
        code, _, _ = run("report", "-o", str(tmp_path / "r"), "--data", str(bg.toy_path()))
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "r").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "r" / "report.html").stat().st_mode) == 0o644


# ---- 10. clearly wrong data is refused --------------------------------------------------------


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


def test_population_bound(tmp_path: Path) -> None:
    nodes = (bg.toy_path() / "nodes.csv").read_text().replace(",1000,", ",1e308,")
    assert "column 'population': 1e308 is outside" in problems_of(
        toy_copy(tmp_path, **{"nodes.csv": nodes})
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("add_link,A,A,x,rail,10,", "column 'target': a link must join two different nodes"),
        ("add_link,A,B,x,teleport,10,", "column 'mode': unknown mode 'teleport'"),
    ],
)
def test_bad_scenario_rows(tmp_path: Path, row: str, message: str) -> None:
    f = tmp_path / "s.csv"
    f.write_text("op,source,target,line,mode,minutes,factor\n" + row + "\n")
    with pytest.raises(bg.ScenarioError, match=message):
        bg.read_scenario(f)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_options_are_usage_errors(value: str) -> None:
    for args in (
        ["clusters", "--resolution", value],
        ["reach", "A", "--hours", value],
        ["reach", "AOH", "--hours", "1", "--depart", "08:00", "--min-transfer-minutes", value],
        ["commute", "A", "B", "--transfer-penalty-minutes", value],
        ["centrality", "--decay-param", value],
    ):
        code, _, err = run(*args, "--data", str(bg.toy_path()))
        assert code == 2 and "finite" in err, (args, err)


# ---- 11. located errors stay located ----------------------------------------------------------


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


# ---- 12. messages -----------------------------------------------------------------------------


def test_a_long_list_of_problems_says_it_is_cut(tmp_path: Path) -> None:
    links = HEADER + "".join(f"A,B,x{i},rail,red,open,x,2025\n" for i in range(500))
    text = problems_of(toy_copy(tmp_path, **{"links.csv": links}))
    assert text.startswith("500 problems in links.csv (the first 200 are listed):")
    lines = [int(x.split(".csv:")[1].split(":")[0]) for x in text.splitlines()[1:]]
    assert lines == sorted(lines) and len(lines) == 200


def test_problems_come_in_line_order(tmp_path: Path) -> None:
    tt = "train,sequence,station,arrival,departure\nT,1,A,,08:00\nT,1,B,09:00,\nT,2,Q,10:00,\n"
    text = problems_of(toy_copy(tmp_path, **{"timetable.csv": tt}))
    lines = [int(x.split(".csv:")[1].split(":")[0]) for x in text.splitlines()[1:]]
    assert lines == sorted(lines)


def test_a_bad_scenario_argument_is_not_a_dataset_problem() -> None:
    code, _, err = run("scenario", "no_such", "--data", str(bg.toy_path()))
    assert code == 1 and "unknown scenario 'no_such'" in err and "problem" not in err


def test_quiet_after_the_command() -> None:
    code, _, err = run("reach", "A", "--hours", "1", "-q", "--data", str(bg.toy_path()))
    assert code == 0 and err == ""


def test_a_dot_dataset_is_named_after_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = toy_copy(tmp_path, "my-alliance")
    monkeypatch.chdir(folder)
    assert bg.load_dataset(".").name == "my-alliance"


# ---- 13. bring your own, as documented --------------------------------------------------------


def test_without_families_complementarity_is_explained(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"sector_taxonomy.csv": None, "partnerships.csv": None})
    (folder / "sectors.csv").write_text(
        (folder / "sectors.csv").read_text().replace("semiconductors", "chips")
    )
    code, _, err = run("partners", "A", "--hours", "2", "--data", str(folder))
    assert code == 0 and "complementarity cannot be computed" in err
    code, _, err = run("report", "-o", str(tmp_path / "r"), "--data", str(folder))
    assert code == 0
    md = (tmp_path / "r" / "report.md").read_text()
    assert "complementarity cannot be computed" in md and "complementarity 0.00" not in md


def test_a_family_column_makes_sectors_related(tmp_path: Path) -> None:
    sectors = "node,sector,family,evidence,source_ref\nA,chips,it,x,x\nB,software,it,x,x\n"
    folder = toy_copy(
        tmp_path, **{"sector_taxonomy.csv": None, "partnerships.csv": None, "sectors.csv": sectors}
    )
    ds = bg.load_dataset(folder)
    pairs = bg.sector_pairs(bg.sector_graph(ds))
    assert pairs.loc[0, "complementarity"] == 1.0


def test_optional_link_columns_may_be_left_out(tmp_path: Path) -> None:
    links = "source,target,minutes,mode,status\nA,B,20,rail,open\nB,C,30,rail,open\n"
    ds = bg.load_dataset(toy_copy(tmp_path, **{"links.csv": links}))
    assert ds.links["line"].tolist() == ["", ""] and "data_year" in ds.links
    assert "links without a source_ref: 2 of 2" in bg.dataset_summary(ds)


def test_a_dataset_s_own_scenarios_are_checked_at_load(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"scenarios__open_gold.csv": "op,line\nopen_planned,purple\n"})
    assert "open_gold.csv:2: column 'line': no planned links on 'purple'" in problems_of(folder)
