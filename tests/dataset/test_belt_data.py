"""The bundled belt's data: sources, 2024 facts, changes of station, the article's numbers."""

from __future__ import annotations

import pytest

import belt_graph as bg

MEMBERS = ["Putuo", "Nanjing", "Wuxi", "Changzhou", "Suzhou", "Nantong", "Zhenjiang", "Taizhou"]


def test_bundled_dataset_loads(belt: bg.Dataset) -> None:
    assert sorted(bg.place_ids(belt.nodes)) == sorted(MEMBERS)
    stations = belt.nodes[belt.nodes["kind"] == "station"]
    # every station belongs to one member place, or to none (Shanghai's others, Yangzhou's)
    assert set(stations["place"]) - {""} <= set(MEMBERS)
    assert stations.loc["SXH", "place"] == "Putuo" and stations.loc["AOH", "place"] == ""
    assert stations.loc["KYH", "place"] == "Wuxi"  # 江阴, on the along-river HSR
    # issue 23: every station where belt trains stop in the eight places' prefectures, such as
    # 张家港, 常熟, 昆山南, 太仓 (Suzhou), 丹阳北 (Zhenjiang), 如皋, 海安, 海门, 启东 (Nantong),
    # 宜兴 (Wuxi), 溧阳 (Changzhou), 姜堰 (Taizhou)
    expected = {
        "Suzhou": {"SZH", "OHH", "TCU", "ZAU", "CAU", "KNH"},
        "Zhenjiang": {"ZJH", "ZEH", "EXH", "DYH"},
        "Nantong": {"NUH", "NXU", "RBH", "HIH", "HMU", "QOU"},
        "Wuxi": {"WXH", "WGH", "YUH", "KYH"},
        "Changzhou": {"CZH", "ESH", "LEH"},
        "Taizhou": {"UTH", "UEH"},
    }
    for place, ids in expected.items():
        assert ids <= set(stations.index[stations["place"] == place]), place
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
    assert set(links["kind"]) == {"track", "section", "service", "transfer", "access"}
    # door to door: no link takes no time, an access link at least the station allowance
    assert (links["minutes"] > 0).all()
    access = links[links["kind"] == "access"]
    assert (access["minutes"] >= bg.DOOR_TO_DOOR.station_minutes).all()
    assumed = links[links["confidence"] == "assumption"]
    assert assumed["source_ref"].str.startswith("assumption:").all()
    estimated = links[links["confidence"] == "estimated"]
    assert set(estimated["kind"]) == {"transfer", "access", "section"}
    rules = estimated[estimated["kind"] != "section"]
    assert rules["source_ref"].str.startswith("estimated").all()
    # a section is timed from a real train that passes it: no train stops at both of its ends
    sections = estimated[estimated["kind"] == "section"]
    assert (sections["method"] == "passing_2023").all()
    assert sections["evidence"].str.contains("passing here").all()
    estimates = links[links["method"] == "estimate"]
    assert set(estimates["confidence"]) == {"low"} and (estimates["evidence"] != "").all()


def test_every_open_link_carries_its_opening_date(belt: bg.Dataset) -> None:
    """Issue 37: the network by year needs every line's opening, with its source."""
    rail = belt.links[
        (belt.links["status"] == "open") & belt.links["kind"].isin(["track", "service"])
    ]
    undated = rail[rail["opened"] == ""]
    # only the stretches no source dates: Shanghai South's link onto the Beijing-Shanghai
    # railway and the Rudong branch (如东, 栟茶), which no railway list of the sources has
    ids = belt.nodes["name_zh"].to_dict()
    names = {
        frozenset((ids[a], ids[b]))
        for a, b in zip(undated["source"], undated["target"], strict=True)
    }
    assert names <= {frozenset(("上海南", "上海西")), frozenset(("如东", "栟茶"))}, names
    by_line = rail[rail["kind"] == "track"].groupby("line")["opened"].agg(set)
    assert by_line["Shanghai-Suzhou-Nantong railway"] == {"2020-07-01"}
    assert by_line["Yancheng-Nantong HSR"] == {"2020-12-30"}
    assert by_line["Lianyungang-Zhenjiang HSR"] == {"2020-12-11"}
    assert by_line["Shanghai-Nanjing along-river HSR"] == {"2023-09-28"}
    assert by_line["Shanghai-Suzhou-Huzhou HSR"] == {"2024-12-26"}
    assert by_line["Nanjing-Qidong railway"] == {"2016-05", "2019-10-11"}


def test_changes_of_station_are_never_free(belt: bg.Dataset) -> None:
    transfers = belt.links[belt.links["kind"] == "transfer"]
    # 9 open (raw/intra_city_station_links.csv) and 3 planned to 上海宝山
    assert transfers["status"].value_counts().to_dict() == {"open": 9, "planned": 3}
    assert (transfers["minutes"] >= 15).all()


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
