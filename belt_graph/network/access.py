"""On and off the network: access, egress and changes of station, and the network by year.

A journey between two places counts **door to door**: from the origin's reference point (its
seat or centre) to a station, the rides, waits and changes, and from the last station to the
destination's reference point. The minutes of the two ends come from one stated rule,
:class:`AccessRule`, that grows with distance, so that a station kilometres away never costs
nothing; an access link whose minutes a source gives (a metro time) keeps them. A change
between two stations of one place follows :data:`TRANSFER_RULE`. A rail network's places take
:data:`DOOR_TO_DOOR`; the stops of a bus, tram or ferry network are reached on foot
(:data:`ON_FOOT`, :data:`TRANSFER_ON_FOOT`): :func:`default_rules` picks by the vehicles.

``ends="stations"`` asks the other question: station to station, every station of a place
counting as the place itself (access and egress take no time), the view of a timetable.

The network by year: a link's ``opened`` (a date, ``YYYY-MM-DD``, or a year) is when it first
ran; :func:`open_in` says whether it belongs to the network of a year. Everything here reads
plain rows (dicts) and numbers, so that the matrix from a dataset's rows needs no pandas.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .. import schema as S
from .._units import opened_year

__all__ = [
    "DOOR_TO_DOOR",
    "ENDS",
    "LABEL_KEYS",
    "ON_FOOT",
    "TRANSFER_ON_FOOT",
    "TRANSFER_RULE",
    "AccessRule",
    "access_rule",
    "asked_metadata",
    "asked_rule",
    "check_year",
    "default_rules",
    "describe_network",
    "haversine_km",
    "open_in",
    "opened_year",
    "retime_access",
    "transfer_minutes",
]

#: What a place-to-place answer counts: ``door`` to door (access and egress by the rule), or
#: station to ``stations`` (every station of a place counts as the place).
ENDS = ("door", "stations")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (mean Earth radius 6,371.0 km).

    Examples
    --------
    >>> round(haversine_km(31.2, 121.4, 32.0, 118.8), 1)  # Shanghai to Nanjing, roughly
    261.8
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class AccessRule:
    """Minutes between a place's reference point and a station ``km`` from it, door to door.

    ``station_minutes + detour_factor x (min(km, city_km) / city_kmh + max(0, km - city_km) /
    road_kmh) x 60``: a fixed allowance at the station, then the great-circle distance, made a
    route by the detour factor, at an urban speed for the first ``city_km`` and a road speed
    beyond. The same minutes count at both ends of a journey (access and egress).

    Every default is an assumption, stated in each datasheet that uses it:

    - ``station_minutes`` 10 at each end (20 a journey): at departure, security, identity and
      ticket checks and the walk to the platform (gates close a few minutes before the
      train leaves); at arrival, the walk out. A model of Europe's high-speed network charges
      15 min of waiting at the departure station and none at arrival (Scientific Reports
      2025, doi:10.1038/s41598-025-34669-x, Table 1).
    - ``detour_factor`` 1.3: a road or metro route against the great-circle distance (the
      factor of every other distance rule in belt-graph; the same model takes 1.1 in cities).
    - ``city_kmh`` 25 for the first ``city_km`` 10 km: metro or taxi across a Chinese city,
      walking to it and waiting included (the same model takes 30 km/h, without the wait).
    - ``road_kmh`` 60 beyond: by car or coach on expressways, to a county-level city's station.

    Examples
    --------
    >>> r = AccessRule()
    >>> r.minutes(0.0), round(r.minutes(3.0), 1), round(r.minutes(30.0), 1)
    (10.0, 19.4, 67.2)
    """

    station_minutes: float = 10.0
    detour_factor: float = 1.3
    city_km: float = 10.0
    city_kmh: float = 25.0
    road_kmh: float = 60.0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{f.name} must be a number, got {value!r}")
            low = 1.0 if f.name == "detour_factor" else 0.0
            positive = f.name.endswith("kmh")
            if not math.isfinite(value) or value < low or (positive and value <= 0):
                bound = "> 0" if positive else f">= {low:g}"
                raise ValueError(f"{f.name} must be a finite number {bound}, got {value!r}")

    def minutes(self, km: float) -> float:
        """Return the minutes between a reference point and a station ``km`` from it."""
        if not km >= 0:  # NaN too
            raise ValueError(f"km must be a distance >= 0, got {km!r}")
        near = min(km, self.city_km) / self.city_kmh
        far = max(0.0, km - self.city_km) / self.road_kmh
        return self.station_minutes + self.detour_factor * (near + far) * 60

    def describe(self) -> str:
        """Return the rule in one line, as datasheets and notes state it.

        :meth:`parse` reads it back.

        Examples
        --------
        >>> ON_FOOT.describe()
        '0 min at the station + great-circle km x 1.3 at 4.8 km/h'
        """
        head = (
            f"{self.station_minutes:g} min at the station + great-circle km x "
            f"{self.detour_factor:g}"
        )
        if self.city_kmh == self.road_kmh:
            return f"{head} at {self.city_kmh:g} km/h"
        return (
            f"{head} at {self.city_kmh:g} km/h for the first {self.city_km:g} km, "
            f"{self.road_kmh:g} km/h beyond"
        )

    @classmethod
    def parse(cls, text: str) -> AccessRule | None:
        """Return the rule a :meth:`describe` line states, or None if ``text`` is not one.

        Examples
        --------
        >>> AccessRule.parse(DOOR_TO_DOOR.describe()) == DOOR_TO_DOOR
        True
        """
        m = _DESCRIBED.fullmatch(text.strip())
        if m is None:
            return None
        station, detour, city, km, road = m.groups()
        speed = float(city)
        try:
            return cls(
                station_minutes=float(station),
                detour_factor=float(detour),
                city_km=float(km) if km else cls.city_km,
                city_kmh=speed,
                road_kmh=float(road) if road else speed,
            )
        except ValueError:
            return None


_NUMBER = r"(\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
_DESCRIBED = re.compile(
    rf"{_NUMBER} min at the station \+ great-circle km x {_NUMBER} at {_NUMBER} km/h"
    rf"(?: for the first {_NUMBER} km, {_NUMBER} km/h beyond)?"
)

#: The rule of the bundled datasets and of ``belt-graph build-places`` over a rail network
#: (see :class:`AccessRule`).
DOOR_TO_DOOR = AccessRule()

#: The rule of ``build-places`` over a network of buses, trams or ferries: a stop is reached on
#: foot, the great-circle distance x 1.3 at 4.8 km/h (the walking speed of ``import-gtfs``),
#: with nothing at the stop (no gates or checks; the wait for the vehicle is the timetable's).
#: An assumption, stated in every datasheet that uses it.
ON_FOOT = AccessRule(
    station_minutes=0.0, detour_factor=1.3, city_km=10.0, city_kmh=4.8, road_kmh=4.8
)


def access_rule(
    rule: AccessRule | Mapping[str, float] | None = None, **overrides: float | None
) -> AccessRule:
    """Return an :class:`AccessRule`: ``rule`` (default :data:`DOOR_TO_DOOR`), fields replaced.

    Parameters
    ----------
    rule : AccessRule or mapping, optional
        The rule to start from, or a mapping of its field names to values (the others from
        :data:`DOOR_TO_DOOR`).
    overrides : float or None
        Fields to replace; None leaves a field as it is (the command line passes every option).

    Returns
    -------
    AccessRule
        The rule, checked.

    Raises
    ------
    ValueError
        Naming an unknown parameter (``core_km``, the free radius of belt-graph 0.2, included)
        or a value out of range.

    Examples
    --------
    >>> access_rule(station_minutes=15).minutes(0)
    15.0
    """
    names = {f.name for f in dataclasses.fields(AccessRule)}
    base = DOOR_TO_DOOR if rule is None else rule
    if not isinstance(base, AccessRule):
        unknown = sorted(set(base) - names)
        if unknown:
            raise ValueError(
                f"unknown access rule parameter(s) {', '.join(unknown)}; the rule takes "
                f"{', '.join(sorted(names))} (there is no free radius: a station km away "
                "always costs time)"
            )
        base = AccessRule(**{**dataclasses.asdict(DOOR_TO_DOOR), **base})
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = sorted(set(given) - names)
    if unknown:
        raise ValueError(f"unknown access rule parameter(s) {', '.join(unknown)}")
    return dataclasses.replace(base, **given) if given else base


#: A change between two stations of one place: a fixed time to leave one station, wait and
#: enter the other, plus the distance x ``route_factor`` at ``speed_kmh`` (metro or road).
#: Two stations more than ``max_km`` apart are not joined: a prefecture can span hundreds of
#: kilometres, and between such stations one takes a train, not the metro.
#: An assumption, used for the belt and stated in every datasheet that uses it.
TRANSFER_RULE = {"fixed_minutes": 15.0, "route_factor": 1.3, "speed_kmh": 30.0, "max_km": 50.0}


#: A change between two stops of one place on foot: 2 min (the change time ``import-gtfs``
#: assumes at one stop) plus the distance x 1.3 at 4.8 km/h, for stops at most 2 km apart.
TRANSFER_ON_FOOT = {"fixed_minutes": 2.0, "route_factor": 1.3, "speed_kmh": 4.8, "max_km": 2.0}


def default_rules(vehicle: str) -> tuple[AccessRule, dict[str, float]]:
    """Return the access and change-of-station rules for places over a network of ``vehicle``.

    Trains (rail, or rail and metro: the words of :func:`~belt_graph.dataset.lookup.words`) take
    :data:`DOOR_TO_DOOR` and :data:`TRANSFER_RULE`, a station's checks included; any other
    network (bus, tram, ferry, a mix) is walked to: :data:`ON_FOOT` and :data:`TRANSFER_ON_FOOT`.

    Examples
    --------
    >>> default_rules("bus")[0] == ON_FOOT, default_rules("train")[0] == DOOR_TO_DOOR
    (True, True)
    """
    if vehicle == "train":
        return DOOR_TO_DOOR, dict(TRANSFER_RULE)
    return ON_FOOT, dict(TRANSFER_ON_FOOT)


def transfer_minutes(km: float, rule: Mapping[str, float] = TRANSFER_RULE) -> float:
    """Minutes to change between two stations ``km`` apart (:data:`TRANSFER_RULE`).

    Examples
    --------
    >>> transfer_minutes(10.0)
    41.0
    """
    return rule["fixed_minutes"] + km * rule["route_factor"] / rule["speed_kmh"] * 60


# --- applying the rule to a dataset's links ------------------------------------------------------

#: ``method`` of an access link whose minutes the rule gives (recomputed when it changes).
RULE_METHOD = "rule"


def retime_access(
    links: Iterable[dict[str, Any]],
    coords: Mapping[str, tuple[float, float]],
    *,
    ends: str = "door",
    rule: AccessRule | None = None,
    column: str = S.MINUTES,
) -> Iterator[dict[str, Any]]:
    """Yield the links, access links timed for ``ends`` and ``rule``; the others as they are.

    With ``ends="stations"`` every access link takes 0 minutes. With a ``rule``, an access link
    whose ``method`` is ``rule`` takes ``rule.minutes(km)``, rounded to whole minutes as the
    build scripts write them, ``km`` being the great-circle distance between its two ends
    (``coords``: node id to (lat, lon); an end without a position stands at the other end, as
    the datasets' rule does); an access link a source times keeps its minutes. A link that
    changes is a new dict (the caller's rows are not changed); ``column`` is the minutes it
    sets (``minutes``, or the column of another year's network).
    """
    if ends not in ENDS:
        raise ValueError(f"ends must be one of {', '.join(ENDS)}, got {ends!r}")
    for rec in links:
        if rec.get(S.KIND) != "access":
            yield rec
        elif ends == "stations":
            yield {**rec, column: 0.0}
        elif rule is not None and rec.get("method") == RULE_METHOD:
            a = coords.get(str(rec["source"]))
            b = coords.get(str(rec["target"]))
            known = a is not None and b is not None and not math.isnan(a[0] + b[0])
            km = haversine_km(*a, *b) if known else 0.0  # type: ignore[misc]
            yield {**rec, column: float(round(rule.minutes(km)))}
        else:
            yield rec


# --- the network by year -------------------------------------------------------------------------


def check_year(metadata: Mapping[str, str], year: int) -> None:
    """Raise ``ValueError`` unless ``year`` is a year whose network a dataset can give.

    A whole year from 1825 to 2100, and not after the network the dataset describes (its
    metadata's ``network_year``): a planned line is a scenario, not a year.
    """
    if isinstance(year, bool) or not isinstance(year, int) or not 1825 <= year <= 2100:
        raise ValueError(f"year must be a whole year from 1825 to 2100, got {year!r}")
    latest = str(metadata.get("network_year", ""))
    if latest.isdigit() and year > int(latest):
        raise ValueError(
            f"year {year} is after the network this dataset describes ({latest}); a planned "
            "line is a scenario, not a year"
        )


def open_in(rec: Mapping[str, Any], year: int | None) -> bool:
    """Whether a link belongs to the network of ``year``: it opened in that year or before.

    The network of a year is the one at its end (a line opened on 26 December runs in it). A
    link without an ``opened`` value counts in every year; None (no year asked) keeps every
    link.
    """
    if year is None:
        return True
    opened = opened_year(rec.get(S.OPENED, ""))
    return opened is None or opened <= year


# --- what an answer describes --------------------------------------------------------------------

#: The metadata keys that say what a network's answers describe (:func:`describe_network`).
LABEL_KEYS = ("network_year", "network_by_year", "ends", "access_rule")


def asked_metadata(
    metadata: Mapping[str, str],
    *,
    year: int | None = None,
    ends: str = "door",
    rule: AccessRule | None = None,
) -> dict[str, str]:
    """Return a dataset's metadata with what was asked of its network (year, ends, rule)."""
    meta = dict(metadata)
    if year is not None:
        meta.update(network_year=str(year), network_by_year="yes")
    if ends != "door":
        meta["ends"] = ends
    if rule is not None:
        meta["access_rule"] = rule.describe()
    return meta


def asked_rule(
    metadata: Mapping[str, str], access: AccessRule | Mapping[str, float] | None
) -> AccessRule | None:
    """Return the access rule asked of a dataset, or None when nothing is asked.

    ``access`` itself when it is a rule, or its fields (a mapping, as the ``--access-*``
    options give) replacing those of the dataset's own rule (its metadata's ``access_rule``;
    :data:`DOOR_TO_DOOR` when it states none).

    Examples
    --------
    >>> asked_rule({"access_rule": ON_FOOT.describe()}, {"city_kmh": 4.0}).describe()
    '0 min at the station + great-circle km x 1.3 at 4 km/h for the first 10 km, 4.8 km/h beyond'
    """
    if access is None or isinstance(access, AccessRule):
        return access
    own = AccessRule.parse(str(metadata.get("access_rule", ""))) or DOOR_TO_DOOR
    return access_rule(own, **access)


def describe_network(metadata: Mapping[str, str], *, ends: bool = True) -> str:
    """Return what answers on a network describe, from its metadata: which year, which ends.

    Examples
    --------
    >>> describe_network({"network_year": "2019", "network_by_year": "yes"}, ends=False)
    "network at the end of 2019 (lines opened by then, timed by today's trains)"
    >>> describe_network({"ends": "stations"})
    'station to station (any station of a place counts as the place)'
    """
    parts = []
    year = metadata.get("network_year")
    if year and metadata.get("network_by_year") == "yes":
        parts.append(
            f"network at the end of {year} (lines opened by then, timed by today's trains)"
        )
    elif year:
        parts.append(f"network of {year}")
    if ends:
        parts.append(
            "station to station (any station of a place counts as the place)"
            if metadata.get("ends", "door") == "stations"
            else "door to door (access and egress: "
            + (metadata.get("access_rule") or "the dataset's rule")
            + ")"
        )
    return "; ".join(parts)
