"""Commands that write files: draw, export, import-gtfs, build-places, report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from tests.helpers import BASE, CAIRNS, NATIONAL, NATIONAL_DIR, TOY, run, write_feed


@pytest.mark.parametrize("ext", ["graphml", "gexf", "geojson", "json"])
def test_export_round_trip(tmp_path: Path, ext: str) -> None:
    f = tmp_path / f"belt.{ext}"
    code, _, err = run("export", str(f))
    assert code == 0, err
    ds = bg.load_dataset()
    if ext == "graphml":
        G = nx.read_graphml(f)
        # links.csv: SXH-KNH, G7260 上海西 18:41 -> 昆山南 18:57 (2024-01-13), on the track
        assert G.edges["SXH", "KNH"]["minutes"] == 16.0
        assert G.edges["SXH", "KNH"]["kind"] == "track"
        # SXH-SZH, G7236 上海西 10:36 -> 苏州 10:59: a train's ride past 昆山南, a service
        assert G.edges["SXH", "SZH"]["kind"] == "service"
        assert isinstance(G.nodes["Nanjing"]["population"], float)
    elif ext == "gexf":
        G = nx.read_gexf(f)
        assert G.edges["SXH", "SZH"]["minutes"] == 23.0
        assert G.nodes["Nanjing"]["viz"]["position"]["x"] == pytest.approx(
            ds.nodes.loc["Nanjing", "lon"]
        )
    elif ext == "geojson":
        data = json.loads(f.read_text())
        assert data["type"] == "FeatureCollection"
        features = data["features"]
        points = [x for x in features if x["geometry"] and x["geometry"]["type"] == "Point"]
        lines = [x for x in features if x["geometry"] and x["geometry"]["type"] == "LineString"]
        located = set(ds.nodes.index[ds.nodes["lat"].notna()])
        drawable = ds.links["source"].isin(located) & ds.links["target"].isin(located)
        # 68 nodes: 8 places and 60 stations, the planned 南京北 and 泰州南 without a position
        assert len(points) == len(located) == 66 and len(lines) == int(drawable.sum())
        # the two planned stations, whose location is unknown, have no geometry
        assert {
            x["id"] for x in features if x["geometry"] is None and x["id"] in ds.nodes.index
        } == {
            "南京北",
            "泰州南",
        }
        nj = next(p for p in points if p["id"] == "Nanjing")
        assert nj["geometry"]["coordinates"] == [
            ds.nodes.loc["Nanjing", "lon"],
            ds.nodes.loc["Nanjing", "lat"],
        ]
        assert nj["properties"]["gdp_cny_bn"] == pytest.approx(1850.08)
    else:
        data = json.loads(f.read_text())
        M = nx.node_link_graph(data, edges="links")
        assert {d["layer"] for _, _, d in M.edges(data=True)} == {"rail", "cooperation", "sector"}


@pytest.mark.slow
def test_report(tmp_path: Path) -> None:
    out = tmp_path / "rep"
    code, _, err = run("report", "--output", str(out), "--data", TOY)
    assert code == 0, err
    assert (out / "report.html").stat().st_size > 10_000
    assert (out / "figures" / "map.png").exists() and (out / "figures" / "map.svg").exists()
    assert (out / "tables" / "centrality.csv").exists()
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == len(list((out / "figures").glob("*.png")))
    code, _, err = run("report", "--output", str(out), "--data", TOY)
    assert code == 1 and "not empty" in err
    assert [p.name for p in tmp_path.iterdir()] == ["rep"]  # no temporary folder left behind


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_draw_formats(tmp_path: Path, ext: str) -> None:
    f = tmp_path / f"m.{ext}"
    code, _, err = run("draw", "matrix", "--output", str(f), "--data", TOY)
    assert code == 0, err
    assert f.stat().st_size > 1000


def test_draw_bad_extension(tmp_path: Path) -> None:
    code, _, err = run("draw", "map", "--output", str(tmp_path / "m.txt"))
    assert code == 2 and "expected a .png, .svg or .pdf file" in err


def test_draw_leaves_only_the_image(tmp_path: Path) -> None:
    code, _, err = run("draw", "centrality", "--output", str(tmp_path / "c.png"), "--data", TOY)
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["c.png"]
    code, _, err = run("draw", "map", "--output", str(tmp_path / "no" / "m.png"), "--data", TOY)
    assert code == 2 and "does not exist" in err


def test_geojson_leaves_unknown_coordinates_without_geometry(tmp_path: Path) -> None:
    target = tmp_path / "n.geojson"
    code, _, err = run("export", str(target), "--data", NATIONAL_DIR)
    assert code == 0, err
    features = json.loads(target.read_text(encoding="utf-8"))["features"]
    empty = [f for f in features if f["geometry"] is None]
    # Hunchun (no coordinates), 华山 (its listed position rejected) and their links
    unknown = {"HUL", "HGY"}
    with (Path(NATIONAL_DIR) / "links.csv").open(encoding="utf-8") as f:
        touching = sum(1 for r in csv.DictReader(f) if {r["source"], r["target"]} & unknown)
    assert len(empty) == len(unknown) + touching and "NaN" not in target.read_text(encoding="utf-8")
    for f in empty:
        p = f["properties"]
        assert unknown & {p.get("id"), p.get("source"), p.get("target")}, p


def test_cli_import_errors_and_success(tmp_path: Path) -> None:
    runner = CliRunner()
    files = dict(BASE)
    files["stop_times.txt"] += "t2,08:50:00,08:50:00,NOWHERE,3\n"
    feed = write_feed(tmp_path / "feed", files)
    # a fault confined to trip t2 leaves t2 out (issue 25, 18); --strict refuses the feed
    r = runner.invoke(cli, ["import-gtfs", str(feed), str(tmp_path / "strict"), "--strict"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "stop_times.txt:8: column 'stop_id': unknown stop_id 'NOWHERE'" in r.output
    assert not (tmp_path / "strict").exists()
    r = runner.invoke(cli, ["-q", "import-gtfs", str(feed), str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert (
        "warning: trip 't2' left out: " + str(feed) + "/stop_times.txt:8: column 'stop_id': "
        "unknown stop_id 'NOWHERE'" in r.stderr
    )
    r = runner.invoke(
        cli, ["import-gtfs", str(CAIRNS), str(tmp_path / "c"), "--date", "2014-06-02"]
    )
    assert r.exit_code == 0, r.output
    assert "imported cairns_gtfs.zip for 2014-06-02" in r.output
    r = runner.invoke(cli, ["import-gtfs", str(CAIRNS), str(tmp_path / "c")])
    assert r.exit_code == 1 and "use --force" in r.output
    r = runner.invoke(
        cli, ["import-gtfs", str(CAIRNS), str(tmp_path / "d"), "--date", "2014-13-01"]
    )
    assert r.exit_code == 2 and "expected a date YYYY-MM-DD" in r.output


def test_import_never_deletes_its_own_feed(tmp_path: Path) -> None:
    """Issue 25, 1: 'import-gtfs mine/feed.zip mine --force' deleted the feed and its folder."""
    mine = tmp_path / "mine"
    mine.mkdir()
    feed = mine / "feed.zip"
    feed.write_bytes(CAIRNS.read_bytes())
    (mine / "notes.txt").write_text("mine")
    r = CliRunner().invoke(cli, ["import-gtfs", str(feed), str(mine), "--force"])
    assert r.exit_code == 1 and "would replace the input" in r.output, r.output
    assert feed.read_bytes() == CAIRNS.read_bytes() and (mine / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in mine.iterdir()) == ["feed.zip", "notes.txt"]


def test_export_never_overwrites_a_file_of_its_dataset(tmp_path: Path) -> None:
    """Issue 25, 2: 'export mydata/nodes.csv --to json --data mydata --force' broke the dataset."""
    import shutil

    mydata = tmp_path / "mydata"
    shutil.copytree(bg.toy_path(), mydata)
    before = (mydata / "nodes.csv").read_bytes()
    for args in (
        ["export", str(mydata / "nodes.csv"), "--to", "json", "--data", str(mydata), "--force"],
        ["matrix", "--data", str(mydata), "-o", str(mydata / "links.csv"), "--force"],
        ["draw", "map", "--data", str(mydata), "-o", str(mydata / "README.png"), "--force"],
    ):
        (mydata / "README.png").write_bytes(b"not a dataset file, but an existing file inside it")
        r = CliRunner().invoke(cli, args)
        assert r.exit_code in (1, 2) and "choose another output" in r.output, (args, r.output)
        assert "Traceback" not in r.output
    assert (mydata / "nodes.csv").read_bytes() == before
    bg.load_dataset(mydata)  # still loads
    # a new file beside the dataset's own files is fine
    r = CliRunner().invoke(cli, ["matrix", "--data", str(mydata), "-o", str(mydata / "m.csv")])
    assert r.exit_code == 0 and (mydata / "m.csv").is_file()


def test_the_library_protects_its_inputs_too(tmp_path: Path) -> None:
    import shutil

    from belt_graph.errors import OutputError

    mine = tmp_path / "mine"
    mine.mkdir()
    feed = mine / "feed.zip"
    shutil.copy(CAIRNS, feed)
    with pytest.raises(OutputError, match="would replace the input"):
        bg.import_gtfs(feed, mine, force=True)
    assert feed.is_file()
    national = tmp_path / "nat"
    shutil.copytree(NATIONAL, national)
    with pytest.raises(OutputError, match="is a file of the input"):
        bg.export_gtfs(bg.load_dataset(national), national / "nodes.csv", force=True)
