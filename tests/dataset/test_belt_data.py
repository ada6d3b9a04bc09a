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
