"""Names to node ids: place ids, hubs, the default origin and :func:`resolve_place`.

A name is an id, an English or a Chinese name, case-insensitive; an ambiguous name is an error that
lists the candidates.
"""

from __future__ import annotations

import difflib
import unicodedata

import pandas as pd

from .. import schema as S
from ..errors import AmbiguousPlaceError, UnknownPlaceError
from .core import Dataset
from .network_files import Words, ride_words

__all__ = [
    "Words",
    "default_origin",
    "hub_scores",
    "label_scores",
    "place_ids",
    "resolve_place",
    "words",
]


def words(ds: Dataset) -> Words:
    """Return the words for a dataset's rides: from the modes of its track and service links.

    One mode gives its own words (a GTFS feed's route types become ``bus``, ``tram``, ``metro``,
    ``rail``, ``ferry``...); rail and metro together are rail; any other mix is ``public
    transport`` with ``vehicles`` and ``stops``. Links of kind ``transfer`` or ``access`` (and
    modes such as ``walk``) are not rides and do not count.

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> words(load_dataset()).vehicles, words(load_dataset()).stops
    ('trains', 'stations')
    """
    links = ds.links
    if "mode" not in links.columns:
        return ride_words([])
    kinds = links[S.KIND] if S.KIND in links.columns else [""] * len(links)
    return ride_words(zip(map(str, kinds), map(str, links["mode"]), strict=True))


def place_ids(nodes: pd.DataFrame, *, include_hubs: bool = False) -> list[str]:
    """Return the node ids of places, in file order (hubs too if asked).

    Places are the cities and districts; a dataset with neither (a rail network of stations)
    lists its stations. Stations of a dataset with places, and hubs, route but are not listed.

    Parameters
    ----------
    nodes : pandas.DataFrame
        A dataset's ``nodes`` table.
    include_hubs : bool, default False
        Also include hub nodes (junctions that are not places).

    Returns
    -------
    list of str
        Node ids in the order of ``nodes.csv``.

    """
    mask = nodes["kind"].isin(S.place_kinds(nodes["kind"])) | include_hubs
    return [str(i) for i in nodes.index[mask]]


def has_stations_under_places(nodes: pd.DataFrame) -> bool:
    """Whether any node is a station of a place (a ``place`` column that is not all empty).

    Parameters
    ----------
    nodes : pandas.DataFrame
        A dataset's ``nodes`` table.

    Returns
    -------
    bool
        True for a network of stations under places.

    """
    return S.PLACE in nodes.columns and bool((nodes[S.PLACE] != "").any())


def hub_scores(ds: Dataset) -> tuple[dict[str, int], str]:
    """Return how much of a hub each node is, and what was counted.

    With a timetable, the trains calling at each node (its rows in ``timetable.csv``): a
    station served by many trains is a hub even where the key-station links are few. Without
    one, each node's number of open links. A place over stations scores what its stations
    score together. Nodes with neither are left out.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).

    Returns
    -------
    tuple of (dict, str)
        The score of each node id, and what was counted (``trains calling`` or ``open
        links``).

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> scores, what = hub_scores(load_dataset())
    >>> what, scores["SZH"] > 0
    ('open links', True)
    """
    tt = ds.timetable
    if tt is not None and len(tt):
        counts = tt["station"].astype(str).value_counts()
        scores, what = (
            {str(k): int(v) for k, v in counts.items()},
            f"{words(ds).vehicles} calling",
        )
    else:
        links = ds.links[ds.links["status"] == "open"]
        ends = pd.concat([links["source"], links["target"]]).astype(str).value_counts()
        scores, what = {str(k): int(v) for k, v in ends.items()}, "open links"
    return _with_places(ds.nodes, scores), what


def label_scores(ds: Dataset) -> tuple[dict[str, int], str]:
    """Return which nodes a crowded figure names first, and what was counted.

    People, where at least three in four places have a known population (a reader expects
    Wuhan named before a junction); else :func:`hub_scores` (trains calling, or links). Stations
    of a place score their place's people.
    """
    places = ds.nodes.loc[place_ids(ds.nodes)]
    people = places["population"] if "population" in places.columns else pd.Series(dtype=float)
    if len(places) and people.notna().mean() >= 0.75:
        scores = {str(n): int(v) for n, v in people.dropna().items()}
        if S.PLACE in ds.nodes.columns:
            for n, owner in ds.nodes[S.PLACE].items():
                if owner and str(owner) in scores:
                    scores.setdefault(str(n), scores[str(owner)])
        return scores, "people"
    return hub_scores(ds)


def _with_places(nodes: pd.DataFrame, scores: dict[str, int]) -> dict[str, int]:
    """Give each place with stations the sum of its stations' scores (its own links aside)."""
    if not has_stations_under_places(nodes):
        return scores
    sums: dict[str, int] = {}
    for station, place in nodes[S.PLACE].items():
        if place:
            sums[str(place)] = sums.get(str(place), 0) + scores.get(str(station), 0)
    return {**scores, **sums}


def default_origin(ds: Dataset) -> str:
    """Return the origin a question starts from when none is given.

    The place most partnerships start from (Putuo for the belt); else, with a timetable, the
    place with the most departures (a place counts its stations' departures; a terminus where
    trips only end has none); else the place with the most open links (:func:`hub_scores`);
    ties: the first in ``nodes.csv``; else the first place.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).

    Returns
    -------
    str
        A node id.

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> default_origin(load_dataset())
    'Putuo'
    """
    if len(ds.partnerships):
        return str(ds.partnerships["source"].value_counts().index[0])
    ids = place_ids(ds.nodes)
    tt = ds.timetable
    if tt is not None and len(tt):
        # departures, not calls: a terminus where every trip ends has many calls and no
        # departure, and a report from it would reach nothing
        leaving = tt[tt["departure_minutes"].notna()]
        if "pickup" in leaving.columns:
            leaving = leaving[leaving["pickup"].astype(str) != "no"]
        counts = leaving["station"].astype(str).value_counts()
        scores = _with_places(ds.nodes, {str(k): int(v) for k, v in counts.items()})
    else:
        scores, _ = hub_scores(ds)
    best = max((scores.get(i, 0) for i in ids), default=0)
    if best > 0:
        return next(i for i in ids if scores.get(i, 0) == best)
    return ids[0]


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _aliases(*names_in: object) -> set[str]:
    names = {str(n) for n in names_in if isinstance(n, str) and n}
    out = set()
    for name in filter(None, names):
        out.add(_norm(name))
        zh = name
        for suffix in ("站", "区", "市"):
            if zh.endswith(suffix) and len(zh) > len(suffix) + 1:
                zh = zh[: -len(suffix)]
                out.add(_norm(zh))
        if "市" in name[:-1]:  # 上海市普陀区 -> 普陀区, 普陀
            tail = name.split("市", 1)[1]
            out |= {_norm(tail), _norm(tail.rstrip("区县"))}
    out.discard("")
    return out


def resolve_place(nodes: pd.DataFrame, query: str) -> str:
    """Return the node id that ``query`` names: id, English or Chinese name, case-insensitive.

    Chinese names match with or without the 市 / 区 / 站 suffix (``南京`` and ``南京市``).
    An exact id always wins, then an id ignoring case and character width, then a full name,
    then a shortened Chinese name; a name shared by several nodes is an error, not a guess,
    except that a place wins over its own stations (``南京`` is the city; its station is
    ``南京站`` or ``NJH``).

    Parameters
    ----------
    nodes : pandas.DataFrame
        A dataset's ``nodes`` table.
    query : str
        An id or a name.

    Returns
    -------
    str
        The node id.

    Raises
    ------
    UnknownPlaceError
        With up to three close matches as suggestions.
    AmbiguousPlaceError
        If the name belongs to several nodes (listed, with their Chinese names).

    Examples
    --------
    >>> from belt_graph import load_dataset
    >>> ds = load_dataset()
    >>> resolve_place(ds.nodes, "南京"), resolve_place(ds.nodes, "suzhou")
    ('Nanjing', 'Suzhou')
    """
    if query in nodes.index:  # an exact id always wins
        return str(query)
    if len(query) > S.MAX_NAME_CHARS:
        raise UnknownPlaceError(query[:40] + "...")
    key = _norm(query)
    zh_col = nodes["name_zh"] if "name_zh" in nodes.columns else [None] * len(nodes)
    triples = list(zip(map(str, nodes.index), nodes["name"], zh_col, strict=True))
    kinds = nodes["kind"].to_dict() if "kind" in nodes.columns else {}
    owner = nodes[S.PLACE].to_dict() if S.PLACE in nodes.columns else {}
    # from the strongest match to the weakest: the id ignoring case and width; a full name (a
    # place's Chinese name also without 市 / 区, a station's also with 站); then any shortened
    # Chinese name. A tie at one level is ambiguous, unless it is a place and its own stations
    levels: list[dict[str, list[str]]] = [{}, {}, {}]
    for node_id, name, zh in triples:
        levels[0].setdefault(_norm(node_id), []).append(node_id)
        full = {n for n in (name, zh) if isinstance(n, str) and n}
        if isinstance(zh, str) and zh:
            if kinds.get(node_id) in S.OWNER_KINDS:
                full |= {zh[:-1]} if zh[-1:] in ("市", "区") and len(zh) > 2 else set()
            elif kinds.get(node_id) == "station" and not zh.endswith("站"):
                full.add(zh + "站")
        for alias in full:
            levels[1].setdefault(_norm(alias), []).append(node_id)
        for alias in _aliases(node_id, name, zh):
            levels[2].setdefault(alias, []).append(node_id)
    for table in levels:
        found = list(dict.fromkeys(table.get(key, [])))
        if len(found) > 1:
            places = [n for n in found if kinds.get(n) in S.OWNER_KINDS]
            if places and all(owner.get(n) in places for n in found if n not in places):
                # a place beats its own stations (南京: the city, not 南京站); between two
                # places of one name, only the places are the choice (Suzhou)
                found = places
        if len(found) == 1:
            return found[0]
        if found:
            zh = nodes["name_zh"] if "name_zh" in nodes.columns else pd.Series(dtype=object)
            raise AmbiguousPlaceError(query, [(n, str(zh.get(n, "") or "")) for n in found])
    aliases = levels[2]
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, alias).ratio(), alias) for alias in aliases),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    close = [alias for score, alias in scored if score >= max(0.6, best - 0.1)]
    suggestions = list(dict.fromkeys(n for c in close for n in aliases[c]))[:3]
    raise UnknownPlaceError(query, suggestions)
