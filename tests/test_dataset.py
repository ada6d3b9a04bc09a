from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import belt_graph as bg
from belt_graph.errors import DataFileError, UnknownPlaceError

BROKEN = Path(__file__).parent / "data" / "broken"


MEMBERS = ["Putuo", "Nanjing", "Wuxi", "Changzhou", "Suzhou", "Nantong", "Zhenjiang", "Taizhou"]


def test_bundled_dataset_loads(belt: bg.Dataset) -> None:
    assert sorted(bg.place_ids(belt.nodes)) == sorted(MEMBERS)
    stations = belt.nodes[belt.nodes["kind"] == "station"]
    # every station belongs to one member place, or to none (Shanghai's others, Yangzhou's)
    assert set(stations["place"]) - {""} <= set(MEMBERS)
    assert stations.loc["SXH", "place"] == "Putuo" and stations.loc["AOH", "place"] == ""
    assert {"SZH", "OHH", "TCU"} == set(stations.index[stations["place"] == "Suzhou"])
    assert stations.loc["KYH", "place"] == "Wuxi"  # 江阴, on the along-river HSR
    assert set(belt.scenarios) == {"north_yangtze_hsr", "jinghu_hsr_closed_hongqiao_suzhou"}


def test_2024_gdp_for_all_eight_with_sources(belt: bg.Dataset) -> None:
    places = belt.nodes.loc[MEMBERS]
    assert places["gdp_cny_bn"].notna().all() and (places["gdp_year"] == "2024").all()
    assert (places["gdp_status"] == "sourced").all() and (places["gdp_source"] != "").all()
    # belt_facts_2024.csv: Putuo 1590, Zhenjiang 5540.01 (corrected), Taizhou 7020.95 (100 m CNY)
    assert places.loc["Putuo", "gdp_cny_bn"] == pytest.approx(159.0)
    assert places.loc["Zhenjiang", "gdp_cny_bn"] == pytest.approx(554.0)
    assert places.loc["Taizhou", "gdp_cny_bn"] == pytest.approx(702.1, abs=0.01)


def test_every_link_has_a_source_and_kind(belt: bg.Dataset) -> None:
    links = belt.links
    assert (links["source_ref"].str.len() > 0).all()
    assert set(links["kind"]) == {"track", "service", "transfer", "access"}
    assert (links.loc[links["kind"] != "access", "minutes"] > 0).all()
    assert (links["minutes"] >= 0).all()
    assumed = links[links["confidence"] == "assumption"]
    assert assumed["source_ref"].str.startswith("assumption:").all()
    estimated = links[links["confidence"] == "estimated"]
    assert set(estimated["kind"]) == {"transfer", "access"}
    assert estimated["source_ref"].str.startswith("estimated:").all()


def test_changes_of_station_are_never_free(belt: bg.Dataset) -> None:
    transfers = belt.links[belt.links["kind"] == "transfer"]
    assert len(transfers) == 9 and (transfers["minutes"] >= 15).all()


def test_article_data_claims(belt: bg.Dataset) -> None:
    # Tolerances written before looking: > 50 million people; exactly five cities > 1,000 bn CNY;
    # Zhenjiang between 500 and 600 bn CNY.
    places = belt.nodes.loc[bg.place_ids(belt.nodes)]
    assert places["population"].sum() > 50e6
    above = set(places.index[places["gdp_cny_bn"] > 1000])
    assert above == {"Nanjing", "Wuxi", "Changzhou", "Suzhou", "Nantong"}
    assert 500 <= belt.nodes.loc["Zhenjiang", "gdp_cny_bn"] <= 600


def test_population_converted_from_10k_persons(belt: bg.Dataset) -> None:
    # belt_facts_2024.csv: Nanjing 957.70 (10k persons, end 2024)
    assert belt.nodes.loc["Nanjing", "population"] == pytest.approx(9_577_000)
    assert belt.nodes.loc["Nanjing", "population_year"] == "2024"
    # GDP 18500.81 (100 million CNY) = 1850.081 bn CNY, rounded to 2 decimals in the data
    assert belt.nodes.loc["Nanjing", "gdp_cny_bn"] == pytest.approx(1850.08)
    # Putuo: only the 2020 census, marked unverified
    assert belt.nodes.loc["Putuo", "population_status"] == "unverified"


def test_broken_dataset_reports_every_problem() -> None:
    with pytest.raises(DataFileError) as info:
        bg.load_dataset(BROKEN)
    text = str(info.value)
    expected = [
        "nodes.csv:3: column 'id': duplicate id 'A' (first on line 2)",
        "nodes.csv:4: column 'kind': unknown value 'town'",
        "nodes.csv:4: column 'lat': 95.0 is outside the plausible range -90 to 90",
        "nodes.csv:4: column 'population': expected a number, got 'abc'",
        "links.csv:2: column 'minutes': expected a positive number, got 'n/a'",
        "links.csv:3: column 'target': unknown node 'Z'",
        "links.csv:3: column 'status': unknown value 'maybe'",
        "links.csv:3: column 'mode': unknown value 'teleport'",
        "partnerships.csv:2: column 'signed_on': expected a date YYYY-MM-DD, got '2025-02-30'",
    ]
    for e in expected:
        assert e in text
    assert len(info.value.problems) == len(expected)


def test_missing_folder_file_and_column(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="dataset folder not found"):
        bg.load_dataset(tmp_path / "nope")
    (tmp_path / "nodes.csv").write_text("id,name,kind,lat\nA,A,city,1\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        bg.load_dataset(tmp_path)
    text = str(info.value)
    assert "nodes.csv:1: column 'lon': required column is missing" in text
    assert "links.csv: file not found" in text


def test_empty_and_undecodable_files(tmp_path: Path) -> None:
    shutil.copytree(bg.toy_path(), tmp_path / "d")
    (tmp_path / "d" / "links.csv").write_bytes(b"")
    (tmp_path / "d" / "sectors.csv").write_bytes(
        b"node,sector,evidence,source_ref\nA,\xff\xfe,x,y\n"
    )
    with pytest.raises(DataFileError) as info:
        bg.load_dataset(tmp_path / "d")
    text = str(info.value)
    assert "links.csv: file is empty" in text
    assert "sectors.csv:2: not valid UTF-8" in text


def test_extra_columns_kept_and_optional_files_absent(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "nodes.csv").write_text(
        "id,name,kind,lat,lon,colour\nA,A,city,1,2,red\nB,B,city,1,3,blue\n"
    )
    (d / "links.csv").write_text(
        "source,target,minutes,mode,line,status,source_ref,data_year\nA,B,5,rail,x,open,s,2020\n"
    )
    ds = bg.load_dataset(d)
    assert ds.nodes.loc["A", "colour"] == "red"
    assert ds.sectors.empty and ds.partnerships.empty and ds.scenarios == {}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Nanjing", "Nanjing"),
        ("nanjing", "Nanjing"),
        ("南京", "Nanjing"),
        ("南京市", "Nanjing"),
        ("普陀", "Putuo"),
        ("普陀区", "Putuo"),
        ("上海市普陀区", "Putuo"),
        ("shanghai hongqiao", "AOH"),
        ("上海虹桥", "AOH"),
        ("苏州", "Suzhou"),  # the city, not its station
        ("苏州站", "SZH"),
        ("苏州北", "OHH"),
        ("szh", "SZH"),
    ],
)
def test_resolve_place(belt: bg.Dataset, query: str, expected: str) -> None:
    assert bg.resolve_place(belt.nodes, query) == expected


def test_resolve_place_suggests(belt: bg.Dataset) -> None:
    with pytest.raises(UnknownPlaceError, match="Did you mean 'Nanjing'"):
        bg.resolve_place(belt.nodes, "Nanjng")


def test_load_does_not_depend_on_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert len(bg.load_dataset().nodes) == 35


def test_header_only_links_gives_empty_network(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "nodes.csv").write_text("id,name,kind,lat,lon\nA,A,city,1,2\n")
    (d / "links.csv").write_text("source,target,minutes,mode,line,status,source_ref,data_year\n")
    ds = bg.load_dataset(d)
    assert ds.links.empty
    G = bg.rail_graph(ds)
    assert list(G.nodes) == ["A"] and G.number_of_edges() == 0


def test_default_origin(belt: bg.Dataset, toy: bg.Dataset) -> None:
    assert bg.default_origin(belt) == "Putuo"  # source of all seven partnerships
    assert bg.default_origin(toy) == "A"


def test_a_shared_name_is_an_error_not_a_guess() -> None:
    from belt_graph.errors import AmbiguousPlaceError

    nodes = bg.load_dataset(Path(__file__).resolve().parents[1] / "data" / "cn-rail-2021").nodes
    # 滨州, 宾州 and 彬州 all romanise to "Binzhou"
    with pytest.raises(AmbiguousPlaceError, match="'binzhou' names 3 places") as info:
        bg.resolve_place(nodes, "binzhou")
    assert all(s in str(info.value) for s in ("BIK (滨州)", "BZB (宾州)", "BXY (彬州)"))
    assert bg.resolve_place(nodes, "滨州") == "BIK"  # the Chinese name is unique
    assert bg.resolve_place(nodes, "bik") == "BIK"  # so is the id


def test_default_origin_of_a_timetable_is_the_station_most_trains_call_at() -> None:
    import csv
    from collections import Counter
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "data" / "cn-rail-2020"
    with (folder / "timetable.csv").open(encoding="utf-8") as f:
        calls = Counter(r["station"] for r in csv.DictReader(f))
    top, n = calls.most_common(1)[0]
    assert (top, n) == ("IZQ", 884)  # 广州南, by a count over the raw file
    assert bg.default_origin(bg.load_dataset(folder)) == top
