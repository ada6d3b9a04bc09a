"""info, nodes, commute, matrix, reach and accessibility on the command line, with exact output."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from belt_graph.timetable import (
    departures,
    nearest_rank,
    sweep_arrivals,
)
from tests.helpers import (
    HEADER,
    NATIONAL_DIR,
    TOY,
    cairns_brute_force,
    run,
    run_in_folder,
    toy_copy,
)


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
    assert json.loads(out)["legs"] == [
        {
            "from": "B",
            "from_name": "Bravo",
            "to": "A",
            "to_name": "Alpha",
            "kind": "",
            "line": "red",
            "train": "",
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
            "train": "",
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
            "train": "",
            "mode": "rail",
            "minutes": 15.0,
            "cumulative_minutes": 45.0,
        },
    ]
    assert (
        "45 min on trains, walking and changing (no waiting), 1 change of line via Alpha, Hub"
        in err
    )


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


def test_info_summary() -> None:
    code, out, _ = run("info")
    assert code == 0
    assert "places: 8 (7 city, 1 district); hubs: 0; stations: 60 (54 of a place, 6 of none)" in out
    # the kinds as links.csv counts them (read here with the csv module, not belt_graph)
    import csv
    from collections import Counter

    from tests.helpers import ROOT

    with (ROOT / "data" / "belt" / "links.csv").open(encoding="utf-8") as f:
        kinds = Counter(r["kind"] for r in csv.DictReader(f))
    order = ("track", "section", "service", "transfer", "access")
    assert "by kind: " + ", ".join(f"{k} {kinds[k]}" for k in order) in out
    assert kinds["section"] == 10 and kinds["access"] == 56
    # 2024 GDP of all eight places, each with its year, status and source
    rows = [x for x in out.splitlines() if x.startswith("  ") and " bn CNY (2024, sourced; " in x]
    assert len(rows) == 8
    assert any(
        x.startswith("  Putuo: ") and "159.0 bn CNY (2024, sourced; People's Daily" in x
        for x in rows
    )
    assert "unverified for Putuo" in out  # its population is the 2020 census


def test_reach_by_departure_on_national_data() -> None:
    code, out, err = run(
        "reach",
        "上海虹桥",
        "--hours",
        "3",
        "--depart",
        "08:00",
        "--data",
        NATIONAL_DIR,
        "--format",
        "csv",
    )
    assert code == 0, err
    import io

    import pandas as pd

    t = pd.read_csv(io.StringIO(out), index_col="node")
    assert t.index[0] == "AOH" and t.loc["AOH", "minutes"] == 0
    assert (t["minutes"] <= 180).all() and t["minutes"].is_monotonic_increasing
    # the rows are the cities (issue 22): G8 leaves Hongqiao at 08:00 and reaches Nanjing South
    # at 09:00 (raw timetable), then the egress from Nanjing South into Nanjing, door to door
    ds = bg.load_dataset(NATIONAL_DIR)
    links = ds.links
    egress = float(
        links.loc[(links["source"] == "Nanjing") & (links["target"] == "NKH"), "minutes"].iat[0]
    )
    assert egress > 10
    assert t.loc["Nanjing", "minutes"] == 60 + egress and t.loc["Nanjing", "first_train"] == "G8"
    assert (t["imposed_minutes"] >= 0).all()
    assert f"{len(t) - 1} places besides AOH within 3 h leaving 08:00" in err


def test_commute_by_departure_lists_trains() -> None:
    code, out, err = run(
        "commute",
        "上海虹桥",
        "北京南",
        "--depart",
        "08:00",
        "--data",
        NATIONAL_DIR,
        "--format",
        "json",
    )
    assert code == 0, err
    whole = json.loads(out)
    legs = whole["legs"]
    assert [(x["train"], x["departure_time"], x["arrival_time"]) for x in legs] == [
        ("G8", "08:00", "12:24")
    ]
    s = whole["summary"]
    assert (s["depart"], s["arrive"], s["minutes"], s["changes"]) == ("08:00", "12:24", 264, 0)
    assert "arrive 12:24, 264 min" in err


def test_depart_errors() -> None:
    code, _, err = run("reach", "Putuo", "--hours", "1", "--depart", "08:00")
    assert code == 1 and "has no timetable.csv" in err and "Traceback" not in err
    code, _, err = run("accessibility")  # the belt has no timetable: the message fits the command
    assert code == 1 and "has no timetable.csv" in err and "accessibility" in err
    code, _, err = run("reach", "AOH", "--hours", "1", "--depart", "24:00", "--data", NATIONAL_DIR)
    assert code == 2 and "--depart" in err
    code, _, err = run(
        "reach", "AOH", "VNP", "--hours", "1", "--depart", "08:00", "--data", NATIONAL_DIR
    )
    assert code == 2 and "exactly one origin" in err


def test_info_on_national_data() -> None:
    code, out, err = run("info", "--data", NATIONAL_DIR)
    assert code == 0, err
    # cities over stations (issue 22): the places are the cities with a key station
    with (Path(NATIONAL_DIR) / "places.csv").open(encoding="utf-8") as f:
        cities = sum(1 for _ in f) - 1
    assert f"places: {cities} ({cities} city)" in out and "stations: 321" in out
    assert "timetable: 8,736 trains, 35,146 calls" in out


def test_matrix_npz_round_trip(tmp_path: Path) -> None:

    target = tmp_path / "m.npz"
    code, out, err = run("matrix", "--data", TOY, "--output", str(target))
    assert code == 0 and out == "" and "wrote" in err
    with np.load(target) as z:
        assert z["nodes"].tolist() == ["A", "B", "C", "D"]
        assert z["minutes"][0].tolist() == [0.0, 20.0, 25.0, 65.0]
    code, _, err = run("matrix", "--data", TOY, "--output", str(target))
    assert code == 2 and "--force" in err
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary file left


def test_cli_accessibility(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["accessibility", "--data", "cn-rail-2020", "--origin", "上海虹桥", "--origin", "NKH",
            "--window", "07:00-08:00", "--step", "10", "--percentiles", "5,50,95", "--hours", "2"]  # fmt: skip
    r = runner.invoke(cli, [*args, "--format", "csv", "--output", str(tmp_path / "a.csv")])
    assert r.exit_code == 0, r.output
    table = pd.read_csv(tmp_path / "a.csv")
    assert list(table.columns) == [
        "origin", "destination", "p5", "p50", "p95", "share_within_2h", "departures"
    ]  # fmt: skip
    # destinations: every city (issue 22) and the two origin stations, less the origin itself
    cities = len(bg.place_ids(bg.load_dataset("cn-rail-2020").nodes))
    assert len(table) == 2 * (cities + 1) and (table["departures"] == 7).all()
    assert f"2 origin(s) x {cities + 2} destinations, 7 departures from 07:00 to 08:00" in r.stderr
    # the same numbers as a direct computation
    c = bg.connections(bg.load_dataset("cn-rail-2020"))
    arr = sweep_arrivals(c, ["AOH"], departures(420, 480, 10))[0]
    times = arr - departures(420, 480, 10)[:, None]
    nkh = c.index["NKH"]
    got = table[(table["origin"] == "AOH") & (table["destination"] == "NKH")].iloc[0]
    assert got["p50"] == nearest_rank(times[:, nkh], [50])[0]
    assert got["share_within_2h"] == pytest.approx((times[:, nkh] <= 120).mean())
    r = runner.invoke(cli, [*args, "--output", str(tmp_path / "a.parquet")])
    assert r.exit_code == 0, r.output
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a.parquet"), table, check_dtype=False)
    r = runner.invoke(cli, ["accessibility", "--data", "cn-rail-2020", "--window", "09:00-08:00"])
    assert r.exit_code == 2 and "start first" in r.output
    r = runner.invoke(cli, ["accessibility", "--window", "07:00-07:10"])
    assert r.exit_code == 1 and "has no timetable" in r.output


def test_cli_reach_and_commute_on_an_imported_feed(cairns: bg.Dataset) -> None:
    runner = CliRunner()
    data = str(cairns.path)
    r = runner.invoke(
        cli,
        [
            "reach",
            "750450",
            "--hours",
            "0.5",
            "--depart",
            "08:00",
            "--data",
            data,
            "--format",
            "csv",
        ],
    )
    assert r.exit_code == 0, r.output
    table = pd.read_csv(io.StringIO(r.stdout), dtype={"node": str}).set_index("node")
    want = cairns_brute_force("750450", 480.0, 30.0, change=2.0)
    assert set(table.index) == set(want)
    assert "change times: the stations' own" in r.stderr
    r = runner.invoke(
        cli,
        [
            "commute",
            "The Pier Cairns - Terminus Stop A",
            "750033",
            "--depart",
            "08:00",
            "--data",
            data,
        ],
    )
    assert r.exit_code == 0, r.output
    assert "arrive 09:26" in r.stderr


def test_cli_reach_at_the_limit(tmp_path: Path) -> None:
    folder = toy_copy(tmp_path, **{"links.csv": HEADER + "A,B,123,rail,red,open,x,2025\n"})
    code, out, _ = run_in_folder(
        "reach", "A", "--hours", "2.05", "--data", str(folder), "--format", "csv"
    )
    assert code == 0 and "\nB," in out


def test_cli_commute_json_joins_up() -> None:
    r = CliRunner().invoke(cli, ["commute", "Putuo", "Nanjing", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    whole = json.loads(r.stdout)
    legs, summary = whole["legs"], whole["summary"]
    assert legs[0]["from"] == "Putuo" and legs[-1]["to"] == "Nanjing"
    # issue 39: the totals beside the legs, for a machine reader
    assert summary["minutes"] == sum(leg["minutes"] for leg in legs)
    assert summary["changes"] == sum(1 for leg in legs if leg["kind"] == "change")
    assert summary["from_station"] == legs[0]["to"] and summary["to_station"] == legs[-1]["from"]
    assert summary["access_minutes"] == legs[0]["minutes"] and summary["ends"] == "door"
    assert summary["expected_minutes"] >= summary["minutes"]
    for before, after in itertools.pairwise(legs):
        assert before["to"] == after["from"]
    assert all(leg["minutes"] > 0 for leg in legs if leg["kind"] == "transfer")
    assert {"from_name", "to_name"} <= set(legs[0])


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    """Issue 25, 8: an OSError traceback after 30 s."""
    code, _, err = run(
        "accessibility",
        "--data",
        "cn-rail-2020",
        "--origin",
        "AOH",
        "--scheduler",
        "tcp://127.0.0.1:1",
    )
    assert code == 1 and "Traceback" not in err
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:1' within 10 s" in err


def _commute(*args: str) -> tuple[dict[str, object], str]:
    r = CliRunner().invoke(cli, ["commute", *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout), r.stderr


def test_commute_summary_names_each_change_from_the_legs() -> None:
    """Issue 41, 1: a change of station by road is said as one, with its minutes."""
    answer, said = _commute("Wuxi", "Taizhou")
    legs = answer["legs"]
    assert isinstance(legs, list)
    (road,) = [x for x in legs if x["kind"] == "transfer"]
    assert road["mode"] == "road"
    want = f"by road from {road['from_name']} to {road['to_name']}, {road['minutes']:g} min"
    assert f"1 change of train ({want})" in said
    answer, said = _commute("Zhenjiang", "Nantong")
    changes = [f"at {x['from_name']}, {x['minutes']:g} min" for x in answer["legs"]  # type: ignore[attr-defined]
               if x["kind"] == "change"]  # fmt: skip
    assert len(changes) == 2 and f"2 changes of train ({'; '.join(changes)})" in said


def test_commute_by_expected_time_answers_with_the_waits() -> None:
    """Issue 41, 1: --time expected chose the route by its waits; the answer says them first."""
    answer, said = _commute("Putuo", "Nanjing", "--time", "expected")
    summary = answer["summary"]
    assert isinstance(summary, dict)
    total, moving = summary["expected_minutes"], summary["minutes"]
    assert total > moving
    assert said.startswith(
        f"Putuo -> Nanjing: {total:.0f} min door to door with waits "
        f"({total - moving:.0f} min expected waiting for trains; {moving:g} min moving: "
    )
    assert "no waiting" not in said
    _, plain = _commute("Putuo", "Nanjing")
    assert "no waiting" in plain and "with waits" not in plain


def test_commute_names_the_train_of_every_ride() -> None:
    """Issue 41, 1: a track leg names the train that times it, as links.csv's evidence does."""
    links = pd.read_csv(Path(bg.__file__).parents[1] / "data" / "belt" / "links.csv", dtype=str)
    links = links.fillna("")
    timed_by = {
        frozenset((r.source, r.target)): r.evidence.split(" ")[0]
        for r in links.itertuples()
        if r.kind in ("track", "service") and r.status == "open"
    }
    answer, said = _commute("Taizhou", "Zhenjiang")
    legs = answer["legs"]
    assert isinstance(legs, list)
    rides = [x for x in legs if x["kind"] in ("track", "service")]
    assert [x["kind"] for x in rides] == ["service", "track"]
    for x in rides:  # the train is the one the link's evidence starts with
        assert x["train"] and x["train"] == timed_by[frozenset((x["from"], x["to"]))]
    assert all(x["train"] == "" for x in legs if x not in rides)
    assert f"; trains {rides[0]['train']}, {rides[1]['train']};" in said
    assert answer["summary"]["trains"] == [x["train"] for x in rides]  # type: ignore[index]
    # a ride no one train times (an estimated through train) has no train, and says what it is
    answer, said = _commute("Zhenjiang", "Nantong")
    estimated = [x for x in answer["legs"] if x["line"].endswith("(estimated)")]  # type: ignore[attr-defined]
    assert estimated and all(x["train"] == "" for x in estimated)
    assert f", {estimated[0]['line']}, " in said


@pytest.mark.parametrize(
    ("a", "b"), [("Nantong", "Wuxi"), ("Zhenjiang", "Nantong"), ("Putuo", "Taizhou")]
)
def test_the_summary_names_one_train_per_ride(a: str, b: str) -> None:
    """Issue 41, 1: a ride on track that an estimate times (Zhangjiagang - Jiangyin) is named
    too, so the summary lists as many trains as the journey boards (changes + 1)."""
    answer, said = _commute(a, b)
    summary = answer["summary"]
    assert isinstance(summary, dict)
    rides = [x for x in answer["legs"] if x["kind"] in ("track", "service")]  # type: ignore[attr-defined]
    assert len(rides) == summary["changes"] + 1
    listed = said.split("; trains ", 1)[1].split(";", 1)[0].split(", ")
    assert len(listed) == len(rides)
    for said_train, x in zip(listed, rides, strict=True):  # the train, else what the ride is
        assert said_train == x["train"] if x["train"] else x["line"] in said_train
