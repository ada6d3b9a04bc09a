"""Places from stations: a network of stations (imported or bundled) becomes one like the belt.

A **place** (a city, a district) carries people, GDP, sectors and partnerships; **stations**
carry the trains. :func:`build_places` takes a station dataset and a ``places.csv`` that lists
each place with either its stations or a radius, assigns the stations, and adds:

- an **access** link from each place to each of its stations, by :data:`ACCESS_RULE`;
- a **transfer** (change-of-station) link between every two stations of one place, by
  :data:`TRANSFER_RULE`: a change of station is never free.

The station links, the timetable and the metadata are carried over unchanged. The bundled belt's
build script (``data/build_belt.py``) uses the same rules and the same link rows
(:func:`access_link`, :func:`transfer_link`).

``places.csv`` columns: ``id``, ``name``, ``lat``, ``lon`` (WGS84 degrees of the place's
reference point: its seat or centre) and either ``stations`` (station ids or names separated by
``;``) or ``radius_km`` (every station within that great-circle distance). Optional: ``kind``
(``city``, the default, or ``district``), ``name_zh``, ``coord_source``, ``population``,
``population_year``, ``population_status``, ``population_source``, ``gdp_cny_bn``,
``gdp_year``, ``gdp_status``, ``gdp_source`` (as in a dataset's ``nodes.csv``); any further
column (a place's economy, its province) is carried over to ``nodes.csv`` as it is.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema as S
from ._files import write_folder
from .dataset._rows import Collector, check_choice, check_text, number, read_rows
from .dataset.core import Dataset
from .dataset.lookup import resolve_place, words
from .dataset.network_files import check_economy
from .errors import AmbiguousPlaceError, BeltGraphError, DataFileError, UnknownPlaceError
from .network.access import (
    DOOR_TO_DOOR,
    TRANSFER_RULE,
    AccessRule,
    access_rule,
    default_rules,
    haversine_km,
    transfer_minutes,
)

__all__ = [
    "ACCESS_RULE",
    "PLACES_COLUMNS",
    "TRANSFER_RULE",
    "PlacesSummary",
    "access_link",
    "access_minutes",
    "build_places",
    "haversine_km",
    "read_places",
    "station_network",
    "transfer_link",
    "transfer_minutes",
    "write_places",
]

#: The access rule of ``build-places`` over a rail network and of the bundled datasets: door to
#: door, see :class:`~belt_graph.network.access.AccessRule` (a station km away never costs
#: nothing). Over buses, trams or ferries the stops are walked to
#: (:func:`~belt_graph.network.access.default_rules`).
ACCESS_RULE = DOOR_TO_DOOR


def rules_for(
    stations: Dataset,
    access: AccessRule | Mapping[str, float] | None = None,
    transfer: Mapping[str, float] | None = None,
) -> tuple[AccessRule, dict[str, float]]:
    """Return the access and change-of-station rules for places over ``stations``.

    Each defaults by the network's vehicles (:func:`~belt_graph.network.access.default_rules`:
    a rail network door to door with a station's checks, any other on foot); a mapping
    replaces fields of that default, a rule is taken as it is.
    """
    own_access, own_transfer = default_rules(words(stations).vehicle)
    rule = access if isinstance(access, AccessRule) else access_rule(own_access, **(access or {}))
    return rule, {**own_transfer, **(transfer or {})}


PLACES_COLUMNS = ("id", "name", "lat", "lon")
PLACES_OPTIONAL = (
    "kind",
    "name_zh",
    "stations",
    "radius_km",
    "coord_source",
    "population",
    "population_year",
    "population_status",
    "population_source",
    "gdp_cny_bn",
    "gdp_year",
    "gdp_status",
    "gdp_source",
)


def access_minutes(km: float, rule: AccessRule | Mapping[str, float] = ACCESS_RULE) -> float:
    """Minutes between a place and a station ``km`` from its reference point (the access rule).

    Examples
    --------
    >>> access_minutes(0.0), round(access_minutes(12.0), 1)
    (10.0, 43.8)
    """
    return access_rule(rule).minutes(km)


def access_link(
    place: str,
    station: str,
    km: float | None,
    rule: AccessRule | Mapping[str, float] = ACCESS_RULE,
    *,
    status: str = "open",
) -> dict[str, object]:
    """Return the ``links.csv`` row of an access link, its minutes rounded and its rule stated.

    ``km`` is the distance of the station from the place's reference point; None when the
    station's location is unknown (the station allowance only, a best case, said so).
    """
    rule = access_rule(rule)
    if km is None:
        minutes = round(rule.minutes(0.0))
        ref = (
            "estimated: the station's location is unknown: the station allowance only "
            f"({rule.station_minutes:g} min), a best case"
        )
    else:
        minutes = round(rule.minutes(km))
        ref = (
            f"estimated, door to door: {km:.1f} km from {place}'s reference point; "
            f"{rule.describe()}"
        )
    return {
        "source": place,
        "target": station,
        "kind": "access",
        "minutes": str(minutes),
        "mode": "access",
        "status": status,
        "confidence": "estimated",
        "method": "rule",
        "source_ref": ref,
    }


def transfer_link(
    a: str,
    b: str,
    km: float,
    rule: dict[str, float] = TRANSFER_RULE,
    *,
    mode: str = "road",
    line: str = "",
    connection: str = "",
) -> dict[str, object]:
    """Return the ``links.csv`` row of a change of station, its minutes rounded and its rule stated.

    ``connection`` says what joins the two stations (a metro line, with its source).
    """
    minutes = round(transfer_minutes(km, rule))
    ref = (
        f"estimated: {rule['fixed_minutes']:.0f} min + great-circle {km:.1f} km x route factor "
        f"{rule['route_factor']} / {rule['speed_kmh']:.0f} km/h"
    )
    return {
        "source": a,
        "target": b,
        "kind": "transfer",
        "minutes": str(minutes),
        "mode": mode,
        "line": line,
        "status": "open",
        "confidence": "estimated",
        "method": "rule",
        "source_ref": ref + (f"; connection: {connection}" if connection else ""),
    }


# --- places.csv ----------------------------------------------------------------------------------


def read_places(path: str | Path, stations: Dataset) -> pd.DataFrame:
    """Read and check ``places.csv`` against a station dataset (every problem at once).

    Returns the places with ``lat``, ``lon``, ``radius_km`` as floats and ``station_ids``
    (the listed stations, resolved to ids; empty when a radius is given).

    Raises
    ------
    DataFileError
        With every problem located by line and column: missing columns, duplicate or clashing
        ids, bad coordinates, neither or both of ``stations`` and ``radius_km``, a station
        that is unknown, ambiguous, not a station, or listed by two places.
    """
    path = Path(path)
    problems = Collector()
    rows = read_rows(path, PLACES_COLUMNS, problems, optional=PLACES_OPTIONAL)
    problems.raise_if_any()
    assert rows is not None
    if not rows:
        problems.add(path, None, None, "the file has a header but no places")
    nodes = stations.nodes
    station_nodes = nodes[nodes["kind"].isin(("station", "hub"))]
    seen: dict[str, int] = {}
    claimed: dict[str, tuple[str, int]] = {}
    records = []
    for line, row in rows:
        pid = row["id"]
        check_text(pid, problems, (path, line, "id"), max_chars=S.MAX_ID_CHARS, controls=False)
        check_text(row["name"], problems, (path, line, "name"), max_chars=S.MAX_NAME_CHARS)
        if pid in seen:
            problems.add(path, line, "id", f"duplicate id {pid!r} (first on line {seen[pid]})")
        seen.setdefault(pid, line)
        if pid in nodes.index:
            problems.add(path, line, "id", f"{pid!r} is already a node of the station dataset")
        kind = row["kind"] or "city"
        check_choice(kind, S.OWNER_KINDS, problems, (path, line, "kind"))
        lat = number(row["lat"], problems, (path, line, "lat"), optional=False, low=-90, high=90)
        lon = number(row["lon"], problems, (path, line, "lon"), optional=False, low=-180, high=180)
        radius = number(
            row["radius_km"],
            problems,
            (path, line, "radius_km"),
            optional=True,
            positive=True,
            high=1000.0,
            unit="km",
        )
        check_economy(row, problems, path, line)
        listed: list[str] = []
        if bool(row["stations"]) == bool(row["radius_km"]):
            problems.add(
                path, line, "stations", "give either stations (ids or names, ';') or radius_km"
            )
        for item in filter(None, (x.strip() for x in row["stations"].split(";"))):
            try:
                sid = resolve_place(station_nodes, item)
            except UnknownPlaceError as err:
                close = f"; did you mean {', '.join(err.suggestions)}?" if err.suggestions else ""
                problems.add(
                    path, line, "stations", f"no station {item!r} in the station dataset{close}"
                )
                continue
            except AmbiguousPlaceError as err:
                problems.add(path, line, "stations", str(err))
                continue
            if sid in claimed and claimed[sid][0] != pid:
                other, at = claimed[sid]
                problems.add(
                    path,
                    line,
                    "stations",
                    f"station {sid!r} is already listed by {other!r} (line {at}); a station "
                    "belongs to one place",
                )
                continue
            claimed[sid] = (pid, line)
            listed.append(sid)
        records.append(
            {
                **row,
                "kind": kind,
                "lat": lat,
                "lon": lon,
                "radius_km": radius,
                "station_ids": listed,
            }
        )
    problems.raise_if_any()
    return pd.DataFrame(records)


# --- building ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacesSummary:
    """What :func:`write_places` wrote: places, stations assigned, links added."""

    path: Path
    places: int
    stations_assigned: int
    access_links: int
    transfer_links: int
    empty_places: list[str]


def build_places(
    stations: Dataset,
    places: pd.DataFrame,
    *,
    access: AccessRule | Mapping[str, float] | None = None,
    transfer: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Return the nodes and links of the place network, and facts for its datasheet.

    Stations listed by a place belong to it; every other station within a place's
    ``radius_km`` belongs to the nearest such place (ties: the first in ``places.csv``).

    Parameters
    ----------
    stations : Dataset
        A dataset of stations (imported from GTFS, or national).
    places : pandas.DataFrame
        The checked rows of ``places.csv`` (:func:`read_places`).
    access : AccessRule or mapping, optional
        The access rule, door to door (:class:`~belt_graph.network.access.AccessRule`, or a
        mapping of the fields that replace the default's). Default: by the network's vehicles,
        :data:`ACCESS_RULE` for trains, on foot for buses, trams or ferries
        (:func:`rules_for`).
    transfer : mapping, optional
        The change-of-station rule: ``fixed_minutes`` plus ``route_factor`` x the distance at
        ``speed_kmh``, for stations at most ``max_km`` apart; given keys replace the
        default's (:data:`TRANSFER_RULE` for trains, on foot otherwise).

    Returns
    -------
    tuple of (DataFrame, DataFrame, dict)
        The nodes, the links, and facts for the datasheet.

    """
    access, transfer = rules_for(stations, access, transfer)
    nodes = stations.nodes
    st = nodes[nodes["kind"] == "station"]
    owner: dict[str, str] = {}
    for p in places.itertuples(index=False):
        for sid in p.station_ids:
            owner[sid] = p.id
    radius = places[places["radius_km"].notna()]
    if len(radius):
        placed = st[st["lat"].notna() & ~st.index.isin(list(owner))]
        for sid, lat, lon in zip(placed.index, placed["lat"], placed["lon"], strict=True):
            best: tuple[float, str] | None = None
            for p in radius.itertuples(index=False):
                km = haversine_km(p.lat, p.lon, lat, lon)
                if km <= p.radius_km and (best is None or km < best[0]):
                    best = (km, p.id)
            if best is not None:
                owner[str(sid)] = best[1]
    place_rows = []
    for p in places.to_dict("records"):
        row = {
            "id": p["id"],
            "name": p["name"],
            "name_zh": p.get("name_zh", ""),
            "kind": p["kind"],
            "place": "",
            "lat": f"{p['lat']:.7f}",
            "lon": f"{p['lon']:.7f}",
            "coord_status": "sourced",
            "coord_source": p.get("coord_source", "") or "places.csv",
        }
        for col in (
            "population",
            "population_year",
            "population_status",
            "population_source",
            "gdp_cny_bn",
            "gdp_year",
            "gdp_status",
            "gdp_source",
        ):
            row[col] = p.get(col, "")
        for col in ("population_status", "gdp_status"):
            value_col = "population" if col.startswith("population") else "gdp_cny_bn"
            if not row[col]:
                row[col] = "unknown" if not row[value_col] else "unverified"
        for col, value in p.items():  # any further column of places.csv carries over
            if col not in row and col not in ("stations", "radius_km", "station_ids"):
                row[col] = value
        place_rows.append(row)
    station_rows = nodes.copy()
    station_rows[S.PLACE] = [owner.get(str(i), "") for i in nodes.index]
    out_nodes = pd.concat(
        [pd.DataFrame(place_rows), _as_text(station_rows)], ignore_index=True
    ).fillna("")
    pos = {p.id: (p.lat, p.lon) for p in places.itertuples(index=False)}
    links = [_as_text(stations.links)]
    access_rows = []
    transfer_rows = []
    existing = set()
    if S.KIND in stations.links.columns:
        t = stations.links[stations.links[S.KIND] == "transfer"]
        existing = {tuple(sorted((a, b))) for a, b in zip(t["source"], t["target"], strict=True)}
    by_place: dict[str, list[str]] = {}
    for sid, pid in sorted(owner.items()):
        by_place.setdefault(pid, []).append(sid)
    for pid, members in by_place.items():
        for sid in members:
            lat, lon = float(nodes.at[sid, "lat"]), float(nodes.at[sid, "lon"])
            dist: float | None = None if math.isnan(lat) else haversine_km(*pos[pid], lat, lon)
            access_rows.append(access_link(pid, sid, dist, access))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) in existing:
                    continue
                la, lb = nodes.loc[a], nodes.loc[b]
                if math.isnan(la["lat"]) or math.isnan(lb["lat"]):
                    continue
                km = haversine_km(la["lat"], la["lon"], lb["lat"], lb["lon"])
                if km <= transfer.get("max_km", math.inf):
                    transfer_rows.append(transfer_link(a, b, km, transfer))
    links.append(pd.DataFrame(access_rows))
    links.append(pd.DataFrame(transfer_rows))
    out_links = pd.concat(links, ignore_index=True).fillna("")
    facts = {
        "owner": owner,
        "by_place": by_place,
        "access": len(access_rows),
        "transfer": len(transfer_rows),
        "empty": [p for p in places["id"] if p not in by_place],
        "access_rule": access_rule(access),
        "transfer_rule": transfer,
    }
    return out_nodes, out_links, facts


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Return a table as written: floats without a needless ``.0``, NaN empty."""
    out = df.reset_index(drop=True).copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = [
                "" if math.isnan(x) else (f"{x:.0f}" if float(x).is_integer() else f"{x:.10g}")
                for x in out[col].tolist()
            ]
    return out.astype(object)


def station_network(ds: Dataset) -> tuple[Dataset, int]:
    """Return the stations of a dataset without its places, and how many places it had.

    A dataset that already has places over its stations (the national datasets' cities) gives
    its station network: the places, their access links and the changes of station go, so
    that new places replace them rather than sit beside them.

    Parameters
    ----------
    ds : Dataset
        Any dataset.

    Returns
    -------
    tuple of (Dataset, int)
        The station network (``ds`` itself when it has no places) and the number of places
        removed.

    """
    import dataclasses

    owners = ds.nodes["kind"].isin(S.OWNER_KINDS)
    if not owners.any() or not (ds.nodes["kind"] == "station").any():
        return ds, 0
    nodes = ds.nodes[~owners].copy()
    if S.PLACE in nodes.columns:
        nodes[S.PLACE] = ""
    links = ds.links
    if S.KIND in links.columns:
        links = links[~links[S.KIND].isin(("access", "transfer"))].reset_index(drop=True)
    return dataclasses.replace(ds, nodes=nodes, links=links), int(owners.sum())


def write_places(
    stations: Dataset,
    places_csv: str | Path,
    output: str | Path,
    *,
    access: AccessRule | Mapping[str, float] | None = None,
    transfer: Mapping[str, float] | None = None,
    force: bool = False,
    say: Callable[[str], None] | None = None,
) -> PlacesSummary:
    """Read ``places.csv``, build the place network and write it as a dataset folder.

    The folder holds ``nodes.csv`` (the places, then every station with its ``place``),
    ``links.csv`` (the station links, then the access and change-of-station links), the
    station dataset's ``timetable.csv``, ``metadata.csv`` and ``attribution.txt`` unchanged,
    the ``places.csv`` it was built from, and a datasheet.

    Parameters
    ----------
    stations : Dataset
        A dataset of stations (imported from GTFS, or national).
    places_csv : str or pathlib.Path
        The ``places.csv`` file.
    output : str or pathlib.Path
        The dataset folder to write.
    access : AccessRule or mapping, optional
        The access rule (see :func:`build_places`; default by the network's vehicles).
    transfer : mapping, optional
        The change-of-station rule (see :func:`build_places`).
    force : bool, default False
        Replace the output if it exists (an input is never replaced).
    say : callable, optional
        Told each step, as a sentence.

    Returns
    -------
    PlacesSummary
        The folder written and counts of places, stations and links.

    """
    stations, replaced = station_network(stations)
    if replaced and say is not None:
        say(
            f"the dataset's own {replaced} places, their access links and changes of station "
            "are replaced"
        )
    places = read_places(places_csv, stations)
    nodes, links, facts = build_places(stations, places, access=access, transfer=transfer)
    out = Path(output)

    def build(tmp: Path) -> None:
        nodes.to_csv(tmp / S.NODES_FILE, index=False, lineterminator="\n")
        links.to_csv(tmp / S.LINKS_FILE, index=False, lineterminator="\n")
        for name in (S.TIMETABLE_FILE, "attribution.txt"):
            if (stations.path / name).is_file():
                shutil.copyfile(stations.path / name, tmp / name)
        _write_metadata(stations, facts["access_rule"], tmp / S.METADATA_FILE)
        shutil.copyfile(places_csv, tmp / "places.csv")
        (tmp / "README.md").write_text(
            _datasheet(stations, places, facts, Path(places_csv).name), encoding="utf-8"
        )
        # checked before the folder is renamed into place: a dataset that does not load is
        # never left behind
        try:
            load_dataset(tmp)
        except DataFileError as err:  # pragma: no cover - would be a bug of the builder
            raise BeltGraphError(
                f"the place network built for {out} does not load: {err}"
            ) from None

    from .dataset.load import load_dataset

    write_folder(out, build, force=force, protect=[stations.path, Path(places_csv)], say=say)
    return PlacesSummary(
        path=out,
        places=len(places),
        stations_assigned=len(facts["owner"]),
        access_links=facts["access"],
        transfer_links=facts["transfer"],
        empty_places=facts["empty"],
    )


def _write_metadata(stations: Dataset, rule: AccessRule, path: Path) -> None:
    """Write the station network's metadata with the access rule of the place links.

    A command's ``--access-*`` options then start from that rule. Every other row, with its
    source, is the station network's own.
    """
    src = stations.path / S.METADATA_FILE
    if src.is_file():
        meta = pd.read_csv(src, dtype=str, keep_default_na=False)
    else:
        meta = pd.DataFrame({"key": list(stations.metadata), "value": stations.metadata.values()})
    meta = meta.reindex(columns=["key", "value", "source"], fill_value="")
    ours = {
        "key": "access_rule",
        "value": rule.describe(),
        "source": "belt_graph.place_builder: the rule of belt-graph build-places (an assumption)",
    }
    meta = pd.concat([meta[meta["key"] != "access_rule"], pd.DataFrame([ours])])
    meta.to_csv(path, index=False, lineterminator="\n")


def _datasheet(
    stations: Dataset, places: pd.DataFrame, facts: dict[str, Any], places_name: str
) -> str:
    a, t = facts["access_rule"], facts["transfer_rule"]
    n_stations = int((stations.nodes["kind"] == "station").sum())
    lines = [
        f"# Datasheet: places of {stations.title}",
        "",
        f"Built by `belt-graph build-places` from the station network `{stations.name}` "
        f"({stations.title}) and `{places_name}` (copied here as `places.csv`): "
        f"{len(places)} places, {len(facts['owner'])} of {n_stations} stations assigned to one, "
        f"{facts['access']} access links, {facts['transfer']} changes of station.",
        "",
        "## Places",
        "",
        "| place | stations | population | GDP (bn CNY) | how assigned |",
        "|---|---|---|---|---|",
    ]
    for p in places.to_dict("records"):
        members = facts["by_place"].get(p["id"], [])
        how = (
            "listed"
            if p["station_ids"]
            else f"within {p['radius_km']:g} km of ({p['lat']:.4f}, {p['lon']:.4f})"
        )
        shown = ", ".join(members[:6]) + (
            f" and {len(members) - 6} more" if len(members) > 6 else ""
        )
        lines.append(
            f"| {p['id']} | {shown or 'none'} | {p.get('population') or 'unknown'} | "
            f"{p.get('gdp_cny_bn') or 'unknown'} | {how} |"
        )
    if facts["empty"]:
        lines += ["", f"Places with no station: {', '.join(facts['empty'])} (never reached)."]
    lines += [
        "",
        "Population and GDP are as `places.csv` gives them, with its sources (`population_source`, "
        "`gdp_source`); a value without a status is `unverified`, an empty one `unknown`.",
        "",
        "## Rules (assumptions, "
        + (
            "the same as the bundled belt's)"
            if a == DOOR_TO_DOOR and t == TRANSFER_RULE
            else f"for a network of {words(stations).vehicles})"
        ),
        "",
        "- **Access and egress** (a place's reference point to each of its stations, door to "
        f"door): {a.describe()}; the same at both ends of a journey, so no station counts as "
        "the place for nothing. `confidence` `estimated`, `method` `rule` (a command's "
        "`--access-*` options recompute these links; `--ends stations` counts them as 0).",
        f"- **Change of station** (every two stations of one place): {t['fixed_minutes']:g} min "
        f"+ the great-circle distance x route factor {t['route_factor']} at {t['speed_kmh']:g} "
        "km/h, between stations at most "
        f"{t.get('max_km', math.inf):g} km apart. A change of station is never free. "
        "`confidence` `estimated`.",
        "- A station listed by a place belongs to it; a station within the radius of several "
        "places belongs to the nearest.",
        "",
        "## Carried over",
        "",
        "The station network's links, timetable, metadata and attribution, unchanged; its own "
        "datasheet says where they come from.",
        "",
    ]
    return "\n".join(lines)
