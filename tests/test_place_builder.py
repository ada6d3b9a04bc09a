"""Places from stations: ``build-places`` on an imported feed and on the national network, the
rules shared with the belt's build script, and located errors in ``places.csv``."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from belt_graph.errors import DataFileError
from belt_graph.place_builder import (
    ACCESS_RULE,
    TRANSFER_RULE,
    access_minutes,
    haversine_km,
    read_places,
    transfer_minutes,
    write_places,
)


def places_file(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def stop(ds: bg.Dataset, sid: str) -> tuple[float, float]:
    return float(ds.nodes.at[sid, "lat"]), float(ds.nodes.at[sid, "lon"])


def test_rules_by_hand() -> None:
    # door to door: 10 min at the station, then x 1.3 at 25 km/h for 10 km, 60 km/h beyond
    assert access_minutes(0.0) == 10.0
    assert access_minutes(4.0) == pytest.approx(10 + 4 * 1.3 / 25 * 60)  # 22.48
    assert access_minutes(30.0) == pytest.approx(10 + 10 * 1.3 / 25 * 60 + 20 * 1.3 / 60 * 60)
    # a station km away never costs nothing, and farther never costs less
    minutes = [access_minutes(km / 10) for km in range(0, 1000)]
    assert min(minutes) == 10 and minutes == sorted(minutes)
    # a change of station 6 km apart: 15 + 6 x 1.3 / 30 x 60 = 30.6 min
    assert transfer_minutes(6.0) == pytest.approx(30.6)
    assert ACCESS_RULE.station_minutes == 10 and TRANSFER_RULE["fixed_minutes"] == 15


def test_the_old_free_radius_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"unknown access rule parameter.*core_km.*free radius"):
        access_minutes(1.0, {"core_km": 20.0})
    with pytest.raises(ValueError, match="city_kmh must be a finite number > 0"):
        access_minutes(1.0, {"city_kmh": 0.0})


def test_places_on_an_imported_bus_network(cairns: bg.Dataset, tmp_path: Path) -> None:
    city = stop(cairns, "750449")  # The Pier Cairns - Terminus Stop E
    kewarra = stop(cairns, "750033")  # Kewarra Beach (Cottesloe Dr) - Terminus
    places = places_file(
        tmp_path / "places.csv",
        [
            {
                "id": "CairnsCity",
                "name": "Cairns City",
                "lat": city[0],
                "lon": city[1],
                "radius_km": 0.8,
                "stations": "",
                "population": "",
            },
            {
                "id": "Kewarra",
                "name": "Kewarra Beach",
                "lat": kewarra[0],
                "lon": kewarra[1],
                "radius_km": "",
                "stations": "750033;Gannet St N9",
                "population": 1500,
                "population_source": "test value",
            },
        ],
    )
    # a bus network's stops are walked to by default: nothing at the stop, 4.8 km/h x 1.3
    summary = write_places(cairns, places, tmp_path / "out")
    ds = bg.load_dataset(tmp_path / "out")
    nodes = ds.nodes
    assert nodes.at["CairnsCity", "kind"] == "city" and nodes.at["Kewarra", "population"] == 1500
    assert nodes.at["CairnsCity", "population_status"] == "unknown"
    listed = sorted(nodes.index[nodes["place"] == "Kewarra"])
    assert listed == ["750032", "750033"]  # listed, by id and by name
    # by radius: every stop within 0.8 km of the terminus, by the great-circle distance
    within = sorted(s for s in cairns.nodes.index if haversine_km(*city, *stop(cairns, s)) <= 0.8)
    assert sorted(nodes.index[nodes["place"] == "CairnsCity"]) == within and len(within) > 3
    links = ds.links
    acc = links[links["kind"] == "access"].set_index("target")
    for s in within:
        km = haversine_km(*city, *stop(cairns, s))
        assert float(acc.at[s, "minutes"]) == round(1.3 * km / 4.8 * 60)
    n = len(within)
    transfers = links[(links["kind"] == "transfer")]
    assert len(transfers) == n * (n - 1) // 2 + 1  # every pair of one place's stops
    assert summary.access_links == n + 2 and summary.stations_assigned == n + 2
    # the timetable is carried over: from the place, walk to one of its stops, then ride, then
    # walk into the other place: never earlier than from the best of its stops
    c, plain = bg.connections(ds), bg.connections(cairns)
    from_city = bg.earliest_arrival(c, "CairnsCity", 8 * 60)
    by_stop = min(
        bg.earliest_arrival(plain, s, 8 * 60 + float(acc.at[s, "minutes"]))[k]
        + float(acc.at[k, "minutes"])
        for s in within
        for k in ("750032", "750033")
    )
    assert math.isfinite(by_stop) and from_city["Kewarra"] == by_stop
    j = bg.timetable_commute(c, "CairnsCity", "Kewarra", 8 * 60)
    assert j.legs["mode"].iat[0] == "access" and j.legs["mode"].iat[-1] == "access"
    assert j.legs["from"].iat[0] == "CairnsCity" and j.legs["to"].iat[-1] == "Kewarra"
    # the datasheet states the rules used
    text = (tmp_path / "out" / "README.md").read_text()
    walk = "0 min at the station + great-circle km x 1.3 at 4.8 km/h"
    assert walk in text and "2 min + the great-circle distance" in text
    assert "for a network of buses" in text
    # and the place network's metadata states it, so that --access-* options start from it
    assert ds.metadata["access_rule"] == walk
    r = CliRunner().invoke(
        cli, ["reach", "CairnsCity", "--hours", "1", "--data", str(tmp_path / "out"),
              "--access-city-kmh", "6"]
    )  # fmt: skip
    assert r.exit_code == 0 and "0 min at the station + great-circle km x 1.3 at 6 km/h" in r.stderr


@pytest.mark.slow
def test_places_on_the_national_network(tmp_path: Path) -> None:
    national = bg.load_dataset("cn-rail-2020")
    places = places_file(
        tmp_path / "p.csv",
        [
            {
                "id": "Shanghai",
                "name": "Shanghai",
                "name_zh": "上海市",
                "lat": 31.2304,
                "lon": 121.4737,
                "stations": "上海;上海虹桥;上海南",
                "coord_source": "test",
            },
            {
                "id": "Nanjing",
                "name": "Nanjing",
                "lat": 32.0603,
                "lon": 118.7969,
                "stations": "南京;南京南",
                "coord_source": "test",
            },
        ],
    )
    r = CliRunner().invoke(
        cli,
        ["build-places", "--data", "cn-rail-2020", "--places", str(places), str(tmp_path / "o")],
    )
    assert r.exit_code == 0, r.output
    ds = bg.load_dataset(tmp_path / "o")
    # the dataset's own cities are replaced by the two places of p.csv
    stations = (national.nodes["kind"] == "station").sum()
    assert len(ds.nodes) == stations + 2 and ds.timetable is not None
    # 上海 - 上海虹桥: a change of station with minutes by the rule, never free
    t = ds.links[(ds.links["kind"] == "transfer")]
    pair = t[t[["source", "target"]].apply(set, axis=1) == {"SHH", "AOH"}]
    km = haversine_km(
        *(float(national.nodes.at[s, c]) for s in ("SHH",) for c in ("lat", "lon")),
        *(float(national.nodes.at[s, c]) for s in ("AOH",) for c in ("lat", "lon")),
    )
    assert float(pair["minutes"].iat[0]) == round(transfer_minutes(km))
    r = CliRunner().invoke(cli, ["commute", "Shanghai", "Nanjing", "--data", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(
        cli, ["commute", "Shanghai", "Nanjing", "--depart", "08:00", "--data", str(tmp_path / "o")]
    )
    assert r.exit_code == 0, r.output
    assert "access" in r.stdout


def test_places_csv_problems_are_located(cairns: bg.Dataset, tmp_path: Path) -> None:
    places = places_file(
        tmp_path / "bad.csv",
        [
            {
                "id": "A",
                "name": "A",
                "lat": -16.9,
                "lon": 145.7,
                "stations": "750000",
                "radius_km": "",
            },
            {
                "id": "B",
                "name": "B",
                "lat": "south",
                "lon": 145.7,
                "stations": "750000;NOPE",
                "radius_km": "",
            },
            {"id": "C", "name": "C", "lat": -16.9, "lon": 145.7, "stations": "", "radius_km": ""},
            {
                "id": "A",
                "name": "again",
                "lat": -16.9,
                "lon": 145.7,
                "stations": "",
                "radius_km": 2,
            },
            {
                "id": "750001",
                "name": "a stop",
                "lat": -16.9,
                "lon": 145.7,
                "stations": "",
                "radius_km": 1,
            },
        ],
    )
    with pytest.raises(DataFileError) as info:
        read_places(places, cairns)
    text = str(info.value)
    for expected in (
        "bad.csv:3: column 'lat': expected a number",
        "bad.csv:3: column 'stations': station '750000' is already listed by 'A' (line 2)",
        "bad.csv:3: column 'stations': no station 'NOPE' in the station dataset",
        "bad.csv:4: column 'stations': give either stations",
        "bad.csv:5: column 'id': duplicate id 'A' (first on line 2)",
        "bad.csv:6: column 'id': '750001' is already a node of the station dataset",
    ):
        assert expected in text, text
    r = CliRunner().invoke(
        cli,
        ["build-places", "--data", str(cairns.path), "--places", str(places), str(tmp_path / "x")],
    )
    assert r.exit_code == 1 and "Traceback" not in r.output and not (tmp_path / "x").exists()


def test_belt_build_script_uses_the_same_rules() -> None:
    belt = bg.load_dataset()
    acc = belt.links[belt.links["kind"] == "access"]
    acc = acc[~acc["source_ref"].str.contains("location is unknown")]
    assert (
        len(acc) > 15 and acc["source_ref"].str.contains(ACCESS_RULE.describe(), regex=False).all()
    )
    tr = belt.links[(belt.links["kind"] == "transfer") & (belt.links["method"] == "rule")]
    assert len(tr) == 11  # all but 上海宝山-上海虹桥, whose 25 min are a plan (a press source)
    assert (
        tr["source_ref"]
        .str.startswith(f"estimated: {TRANSFER_RULE['fixed_minutes']:.0f} min + great-circle")
        .all()
    )


def test_a_bad_population_is_located_in_places_csv_and_nothing_is_written(
    cairns: bg.Dataset, tmp_path: Path
) -> None:
    """Issue 25, 12: a negative population was written, then the output refused to load."""
    places = places_file(
        tmp_path / "places.csv",
        [
            {
                "id": "A",
                "name": "A",
                "lat": -16.92,
                "lon": 145.77,
                "radius_km": 5,
                "population": -5,
                "gdp_cny_bn": 12,
            },
            {
                "id": "B",
                "name": "B",
                "lat": -16.80,
                "lon": 145.70,
                "radius_km": 5000,
                "population": 1000,
                "gdp_cny_bn": "lots",
            },
        ],
    )
    out = tmp_path / "out"
    r = CliRunner().invoke(
        cli, ["build-places", "--data", str(cairns.path), "--places", str(places), str(out)]
    )
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "places.csv:2: column 'population': -5 is outside the plausible range 0 to" in r.output
    assert (
        "places.csv:3: column 'radius_km': 5000 is outside the plausible range of at most 1,000 km"
        in r.output
    )
    assert "places.csv:3: column 'gdp_cny_bn': expected a number, got 'lots'" in r.output
    assert not out.exists() and not list(tmp_path.glob(".out.*"))
