"""The national datasets: ids as in 12306's list, the timetable's documented faults."""

from __future__ import annotations

import csv
import math

import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from tests.helpers import NATIONAL, ROOT

LIST = ROOT / "data" / "raw" / "station_name_12306.csv"


def codes() -> dict[str, str]:
    with LIST.open(encoding="utf-8") as f:
        return {r["name"]: r["telecode"] for r in csv.DictReader(f)}


def test_the_copy_of_12306_s_list_is_the_shared_one() -> None:
    shared = ROOT.parent / "shared" / "reference-data" / "station_name_12306.csv"
    if not shared.is_file():
        pytest.skip("shared reference data not beside the checkout")
    assert LIST.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("folder", ["cn-rail-2020", "cn-rail-2021", "cn-rail-2023"])
def test_every_id_follows_12306(folder: str) -> None:
    table = codes()
    nodes = bg.load_dataset(ROOT / "data" / folder).nodes
    nodes = nodes[nodes["kind"] == "station"]  # places have ASCII ids of their own
    for node_id, row in nodes.iterrows():
        zh = row["name_zh"]
        if zh in table:
            assert node_id == table[zh], (node_id, zh)
            assert row["id_source"].startswith("12306 station list")
        else:
            assert node_id == zh and row["id_source"].startswith("Chinese name"), node_id


@pytest.mark.parametrize(("folder", "changed"), [("cn-rail-2020", 63), ("cn-rail-2021", 788)])
def test_every_changed_id_is_listed(folder: str, changed: int) -> None:
    path = ROOT / "data" / folder
    with (path / "id_changes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == changed
    nodes = bg.load_dataset(path).nodes
    by_name = dict(zip(nodes["name_zh"], nodes.index, strict=True))
    for r in rows:
        assert by_name[r["name_zh"]] == r["new_id"] != r["old_id"]
    readme = (path / "README.md").read_text(encoding="utf-8")
    for r in rows:  # the datasheet lists every change too
        assert f"| `{r['old_id']}` | `{r['new_id']}` | {r['name_zh']} |" in readme


def test_hgh_is_hangzhou_east_as_on_a_ticket() -> None:
    args = ["reach", "HGH", "--hours", "1", "--depart", "08:00", "--format", "csv"]
    r = CliRunner().invoke(cli, [*args, "--data", str(ROOT / "data" / "cn-rail-2020")])
    assert r.exit_code == 0, r.stderr
    first = r.stdout.splitlines()[1].split(",")
    assert first[:3] == ["HGH", "Hangzhou East", "杭州东"]
    nodes = bg.load_dataset(ROOT / "data" / "cn-rail-2020").nodes
    assert nodes.loc["HZH", "name_zh"] == "杭州" and nodes.loc["BJP", "name_zh"] == "北京"
    assert nodes.loc["VAP", "name_zh"] == "北京北" and nodes.loc["XAY", "name_zh"] == "西安"


def test_datasheet_lists_the_calls_without_departure() -> None:
    tt = bg.load_dataset(NATIONAL).timetable
    assert tt is not None
    last = tt.groupby("train")["sequence"].transform("max") == tt["sequence"]
    mid = tt[~last & tt["departure_minutes"].isna()]
    found = {f"{t} at {s}" for t, s in zip(mid["train"], mid["station"], strict=True)}
    text = " ".join((NATIONAL / "README.md").read_text(encoding="utf-8").split())
    listed = text.split("no departure in the source (")[1].split(")")[0]
    assert set(listed.replace(" and ", ", ").split(", ")) == found


def test_national_dataset_loads_and_validates(national: bg.Dataset) -> None:
    stations = national.nodes[national.nodes["kind"] == "station"]
    assert len(stations) == 321 and set(national.nodes["kind"]) == {"station", "city"}
    assert national.timetable is not None and len(national.timetable) == 35146
    assert national.timetable["train"].nunique() == 8736
    # Hunchun is in no coordinate source: kept, with unknown coordinates
    hunchun = national.nodes.loc["HUL"]
    assert hunchun["coord_status"] == "unknown" and math.isnan(hunchun["lat"])
    # and 华山 (HGY): the station table's row is a homonym near Harbin, 1,900 km from the
    # Longhai line its trains run on, so the build empties its position (issue 22)
    assert stations["lat"].isna().sum() == 2 and math.isnan(stations.at["HGY", "lat"])
    assert "rejected" in stations.at["HGY", "coord_source"]
    rail = national.links[national.links["mode"] == "rail"]
    assert (rail["minutes"] > 0).all() and national.links["source_ref"].str.len().min()
    # access links cost nothing within 20 km of a city's reference point, never less
    assert (national.links["minutes"] >= 0).all()
