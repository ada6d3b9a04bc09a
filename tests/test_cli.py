from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli

TOY = str(bg.toy_path())
BROKEN = str(Path(__file__).parent / "data" / "broken")


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_reach_csv_exact() -> None:
    code, out, err = run("reach", "A", "--hours", "0.5", "--data", TOY, "--format", "csv")
    assert code == 0
    assert out == (
        "node,name,minutes,hours,nearest_origin,population,gdp_cny_bn\n"
        "A,Alpha,0,0,A,1000,10\n"
        "B,Bravo,20,0.3333333333,A,2000,20\n"
        "C,Charlie,25,0.4166666667,A,3000,\n"
    )
    assert "3 places within 0.5 h" in err and "GDP unknown for C" in err


def test_commute_json_exact() -> None:
    code, out, err = run("commute", "Bravo", "丙区", "--data", TOY, "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {
            "from": "B",
            "from_name": "Bravo",
            "to": "A",
            "to_name": "Alpha",
            "kind": "",
            "line": "red",
            "mode": "rail",
            "minutes": 20.0,
            "cumulative_minutes": 20.0,
        },
        {
            "from": "A",
            "from_name": "Alpha",
            "to": "H",
            "to_name": "Hub",
            "kind": "",
            "line": "blue",
            "mode": "rail",
            "minutes": 10.0,
            "cumulative_minutes": 30.0,
        },
        {
            "from": "H",
            "from_name": "Hub",
            "to": "C",
            "to_name": "Charlie",
            "kind": "",
            "line": "blue",
            "mode": "rail",
            "minutes": 15.0,
            "cumulative_minutes": 45.0,
        },
    ]
    assert "45 min in vehicle and changing (no waiting), 1 change(s) of line via Alpha, Hub" in err


def test_matrix_csv_exact() -> None:
    _code, out, _ = run("matrix", "--data", TOY, "--format", "csv")
    assert out == "origin,A,B,C,D\nA,0,20,25,65\nB,20,0,45,85\nC,25,45,0,40\nD,65,85,40,0\n"


def test_unknown_place_suggests() -> None:
    code, out, err = run("commute", "Nanjng", "Suzhou")
    assert code == 1 and out == ""
    assert "Error: unknown place 'Nanjng'. Did you mean 'Nanjing'?" in err


def test_negative_hours_is_usage_error() -> None:
    code, _, err = run("reach", "Putuo", "--hours", "-1")
    assert code == 2 and "Invalid value for '--hours': '-1' must be >= 0" in err


def test_missing_data_folder() -> None:
    code, _, err = run("info", "--data", "/no/such/folder")
    assert code == 1 and "dataset folder not found" in err and "Traceback" not in err


def test_malformed_dataset_lists_every_fault() -> None:
    code, _, err = run("info", "--data", BROKEN)
    assert code == 1
    assert "9 problems in nodes.csv, links.csv, partnerships.csv:" in err, err
    assert "links.csv:2: column 'minutes'" in err


def test_unwritable_output(tmp_path: Path) -> None:
    code, _, err = run("matrix", "--output", str(tmp_path / "no" / "m.csv"))
    assert code == 2 and "does not exist" in err


def test_output_not_overwritten_without_force(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text("keep")
    code, _, _err = run("matrix", "--output", str(f))
    assert code == 2 and f.read_text() == "keep"
    code, _, _ = run("matrix", "--output", str(f), "--force", "--format", "csv")
    assert code == 0 and f.read_text().startswith("origin,")


def test_info_summary() -> None:
    code, out, _ = run("info")
    assert code == 0
    assert "places: 8 (7 city, 1 district); hubs: 0; stations: 27 (22 of a place, 5 of none)" in out
    assert "by kind: track 28, service 63, transfer 9, access 22" in out
    # 2024 GDP of all eight places, each with its year, status and source
    rows = [x for x in out.splitlines() if x.startswith("  ") and " bn CNY (2024, sourced; " in x]
    assert len(rows) == 8
    assert any(
        x.startswith("  Putuo: ") and "159.0 bn CNY (2024, sourced; People's Daily" in x
        for x in rows
    )
    assert "unverified for Putuo" in out  # its population is the 2020 census


def test_every_command_has_help_with_example() -> None:
    for name, _command in cli.commands.items():
        code, out, _ = run(name, "--help")
        assert code == 0, name
        assert "Example: belt-graph" in out, name


@pytest.mark.parametrize("ext", ["graphml", "gexf", "geojson", "json"])
def test_export_round_trip(tmp_path: Path, ext: str) -> None:
    f = tmp_path / f"belt.{ext}"
    code, _, err = run("export", str(f))
    assert code == 0, err
    ds = bg.load_dataset()
    if ext == "graphml":
        G = nx.read_graphml(f)
        # links.csv: SXH-SZH, G7236 上海西 10:36 -> 苏州 10:59 (2024-01-13)
        assert G.edges["SXH", "SZH"]["minutes"] == 23.0
        assert G.edges["SXH", "SZH"]["kind"] == "track"
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
        assert len(points) == len(located) == 33 and len(lines) == int(drawable.sum())
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


def test_table_commands_do_not_import_matplotlib() -> None:
    code = (
        "import sys; from belt_graph.cli import main; sys.argv=['belt-graph','reach','Putuo',"
        "'--hours','1']\ntry:\n main()\nexcept SystemExit:\n pass\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


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


def test_installed_entry_point() -> None:
    exe = Path(sys.executable).parent / "belt-graph"
    if not exe.exists():
        pytest.skip("belt-graph is not installed in this environment")
    r = subprocess.run(
        [str(exe), "reach", "Putuo", "--hours", "1", "--format", "csv"],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert r.returncode == 0
    assert r.stdout.splitlines()[1].startswith("Putuo,Putuo,0,")


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


# ---- national data, timetable, .npz, progress ---------------------------------------------

NATIONAL = str(Path(__file__).resolve().parents[1] / "data" / "cn-rail-2020")


def test_reach_by_departure_on_national_data() -> None:
    code, out, err = run(
        "reach",
        "上海虹桥",
        "--hours",
        "3",
        "--depart",
        "08:00",
        "--data",
        NATIONAL,
        "--format",
        "csv",
    )
    assert code == 0, err
    import io

    import pandas as pd

    t = pd.read_csv(io.StringIO(out), index_col="node")
    assert t.index[0] == "AOH" and t.loc["AOH", "minutes"] == 0
    assert (t["minutes"] <= 180).all() and t["minutes"].is_monotonic_increasing
    # G8 leaves Hongqiao at 08:00 and reaches Nanjing South at 09:00 (raw timetable)
    assert t.loc["NKH", "minutes"] == 60 and t.loc["NKH", "first_train"] == "G8"
    assert (t["imposed_minutes"] >= 0).all()
    assert f"{len(t) - 1} stations besides AOH within 3 h leaving 08:00" in err


def test_commute_by_departure_lists_trains() -> None:
    code, out, err = run(
        "commute", "上海虹桥", "北京南", "--depart", "08:00", "--data", NATIONAL, "--format", "json"
    )
    assert code == 0, err
    legs = json.loads(out)
    assert [(x["train"], x["departure_time"], x["arrival_time"]) for x in legs] == [
        ("G8", "08:00", "12:24")
    ]
    assert "arrive 12:24, 264 min" in err


def test_depart_errors() -> None:
    code, _, err = run("reach", "Putuo", "--hours", "1", "--depart", "08:00")
    assert code == 1 and "has no timetable.csv" in err and "Traceback" not in err
    code, _, err = run("accessibility")  # the belt has no timetable: the message fits the command
    assert code == 1 and "has no timetable.csv" in err and "accessibility" in err
    code, _, err = run("reach", "AOH", "--hours", "1", "--depart", "24:00", "--data", NATIONAL)
    assert code == 2 and "--depart" in err
    code, _, err = run(
        "reach", "AOH", "VNP", "--hours", "1", "--depart", "08:00", "--data", NATIONAL
    )
    assert code == 2 and "exactly one origin" in err


def test_info_on_national_data() -> None:
    code, out, err = run("info", "--data", NATIONAL)
    assert code == 0, err
    assert "places: 321 (321 station)" in out
    assert "timetable: 8,736 trains, 35,146 calls" in out


def test_matrix_npz_round_trip(tmp_path: Path) -> None:
    import numpy as np

    target = tmp_path / "m.npz"
    code, out, err = run("matrix", "--data", TOY, "--output", str(target))
    assert code == 0 and out == "" and "wrote" in err
    with np.load(target) as z:
        assert z["nodes"].tolist() == ["A", "B", "C", "D"]
        assert z["minutes"][0].tolist() == [0.0, 20.0, 25.0, 65.0]
    code, _, err = run("matrix", "--data", TOY, "--output", str(target))
    assert code == 2 and "--force" in err
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary file left


def test_quiet_silences_notes_and_no_bar_off_a_terminal() -> None:
    code, out, err = run("--quiet", "reach", "A", "--hours", "0.5", "--data", TOY)
    assert code == 0 and err == "" and "nearest_origin" in out.splitlines()[0]
    code, _, err = run("centrality", "--data", TOY)
    assert code == 0 and "[" not in err and "%" not in err  # stderr is not a terminal here


def test_sector_commands_say_when_a_dataset_has_no_sectors() -> None:
    for args in (["sectors"], ["clusters"], ["partners", "AOH", "--hours", "1"]):
        code, out, err = run(*args, "--data", NATIONAL)
        assert code == 1 and out == "" and "has no sectors" in err, args


def test_geojson_leaves_unknown_coordinates_without_geometry(tmp_path: Path) -> None:
    target = tmp_path / "n.geojson"
    code, _, err = run("export", str(target), "--data", NATIONAL)
    assert code == 0, err
    features = json.loads(target.read_text(encoding="utf-8"))["features"]
    empty = [f for f in features if f["geometry"] is None]
    # Hunchun (no coordinates) and its two links
    assert len(empty) == 3 and "NaN" not in target.read_text(encoding="utf-8")
    for f in empty:
        p = f["properties"]
        assert "HUL" in (p.get("id"), p.get("source"), p.get("target")), p


def test_small_things_a_newcomer_hit(tmp_path: Path) -> None:
    from belt_graph.plot import cjk_font

    runner = CliRunner()
    # draw takes the origin the way reach does
    r = runner.invoke(cli, ["draw", "reach", "Putuo", "--output", str(tmp_path / "r.png")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        cli, ["draw", "reach", "Putuo", "--origin", "Nanjing", "-o", str(tmp_path / "x.png")]
    )
    assert r.exit_code == 2 and "two origins" in r.output
    # Chinese labels without a CJK font say they fall back
    r = runner.invoke(cli, ["draw", "map", "--labels", "zh", "-o", str(tmp_path / "m.png")])
    assert r.exit_code == 0
    assert ("fall back to English" in r.stderr) == (cjk_font() is None)
    # a station network without population or GDP prints no empty columns
    r = runner.invoke(cli, ["reach", "AOH", "--hours", "1", "--data", "cn-rail-2020"])
    assert r.exit_code == 0 and "population" not in r.stdout and "gdp" not in r.stdout
    # partners with no result: a sentence, not an empty frame
    r = runner.invoke(cli, ["partners", "Taizhou", "--hours", "0.1"])
    assert r.exit_code == 0 and r.stdout == "No complementary partner of Taizhou within 0.1 h.\n"
