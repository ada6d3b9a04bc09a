"""A one-screen text summary of a dataset (the ``belt-graph info`` command)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from . import schema as S
from .dataset.core import Dataset
from .dataset.lookup import words

__all__ = ["dataset_summary", "short_list"]


def dataset_summary(ds: Dataset, graph: Any = None) -> str:
    """Return a short, human-readable summary of ``ds``: places, links, totals, gaps, sources.

    ``graph``: its rail network (:func:`~belt_graph.rail_graph`), when the caller has it.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    graph : networkx.Graph, optional
        Its rail network, when the caller has built it.

    Returns
    -------
    str
        Lines of text.

    Examples
    --------
    >>> from belt_graph import toy_dataset
    >>> print(dataset_summary(toy_dataset()).splitlines()[1])
    places: 4 (3 city, 1 district); hubs: 1
    """
    n = ds.nodes
    places = n[n["kind"].isin(S.place_kinds(n["kind"]))]
    kinds = places["kind"].value_counts().sort_index()
    lines = [f"dataset: {ds.name} ({_where(ds)})"]
    stations = n[n["kind"] == "station"]
    stop = words(ds).stop  # a node kind "station" in the data's own word (a bus stop)
    text = (
        f"places: {len(places)} ("
        + ", ".join(f"{v} {stop if k == 'station' else k}" for k, v in kinds.items())
        + f"); hubs: {int((n['kind'] == 'hub').sum())}"
    )
    if len(stations) and not places.index.equals(stations.index):
        owned = int((stations.get(S.PLACE, "") != "").sum())
        text += f"; {stop}s: {len(stations)} ({owned} of a place, {len(stations) - owned} of none)"
    lines.append(text)
    links = ds.links
    status = links["status"].value_counts()
    lines.append(f"links: {len(links)} (" + ", ".join(f"{k} {v}" for k, v in status.items()) + ")")
    kind = links.get("kind", None)
    if kind is not None and (kind != "").any():
        counts = kind.replace("", "none").value_counts()
        lines.append(
            "  by kind: " + ", ".join(f"{k} {counts[k]}" for k in _KIND_ORDER if k in counts)
        )
        shown = links[kind.isin(["track", "section", ""])]
        lines.append("  track by line:" if words(ds).mode in ("rail", "metro") else "  by route:")
    else:
        shown = links
    grouped = shown.groupby(["line", "status"]).agg(
        links=("minutes", "size"), minutes_min=("minutes", "min"), minutes_max=("minutes", "max")
    )
    for (line, st), row in grouped.iterrows():
        lines.append(
            f"  {'  ' if kind is not None and (kind != '').any() else ''}{line or '(no line)'} "
            f"[{st}]: {int(row['links'])} links, "
            f"{row['minutes_min']:g}-{row['minutes_max']:g} min"
        )
    if "data_year" in links.columns and len(links):
        years = links["data_year"].astype(str).replace("", "none").value_counts().sort_index()
        lines.append(
            "links by data year: "
            + ", ".join(f"{k} {v}" for k, v in years.items())
            + (" (none: estimated or assumed)" if "none" in years else "")
        )
    if "confidence" in links.columns:
        conf = links["confidence"].replace("", "unspecified").value_counts().sort_index()
        lines.append("link confidence: " + ", ".join(f"{k} {v}" for k, v in conf.items()))
    if len(places) <= 40 and places[["population", "gdp_cny_bn"]].notna().any().any():
        lines += _place_lines(places)
    for col, unit, label in (
        ("population", "persons", "population"),
        ("gdp_cny_bn", "bn CNY", "GDP"),
    ):
        values = places[col]
        known = values.dropna()
        total = float(known.sum())
        status_col = "population_status" if col == "population" else "gdp_status"
        unknown = list(values.index[values.isna()])
        unverified = (
            list(places.index[places[status_col] == "unverified"])
            if status_col in places.columns
            else []
        )
        text = (
            f"{label}: {total:,.{0 if col == 'population' else 1}f} {unit} over {len(known)} places"
        )
        if not len(known):
            text = f"{label}: not in this dataset"
        elif unknown:
            text += f"; unknown for {short_list(unknown)}"
        if unverified:
            text += f"; unverified for {short_list(unverified)}"
        lines.append(text)
    lines += _network_lines(ds, graph)
    if ds.timetable is not None:
        lines += _timetable_lines(ds)
    if len(ds.sectors):
        lines.append(
            f"sectors: {ds.sectors['sector'].nunique()} canonical sectors in "
            f"{ds.sectors['family'].nunique()} families, on "
            f"{ds.sectors['node'].nunique()} places"
        )
    if len(ds.partnerships):
        lines.append(f"partnerships: {len(ds.partnerships)}")
    if ds.scenarios:
        lines.append("scenarios: " + ", ".join(ds.scenarios))
    refs = links["source_ref"].map(_source_key).value_counts()
    refs = refs[refs.index != ""]
    lines.append("link sources:")
    lines += [f"  {v:>3} x {k}" for k, v in refs.items()]
    stated = (
        links["confidence"].isin(["estimated", "assumption"])
        if "confidence" in links
        else pd.Series(False, index=links.index)
    )
    for col in ("source_ref", "data_year"):
        blank = (links[col].astype(str).str.strip() == "") & ~(stated & (col == "data_year"))
        if int(blank.sum()):
            lines.append(f"links without a {col}: {int(blank.sum())} of {len(links)}")
    readme = ds.path / "README.md"
    if readme.is_file():
        lines.append(f"datasheet: {'README.md' if ds.installed else readme}")
    lat = places["lat"]
    if len(lat) and not math.isnan(float(lat.min())):
        lines.append(
            f"extent: lat {lat.min():.2f} to {lat.max():.2f}, "
            f"lon {places['lon'].min():.2f} to {places['lon'].max():.2f}"
        )
    missing = list(n.index[n["lat"].isna()])
    if missing:
        lines.append(f"coordinates unknown for {short_list(missing)}")
    return "\n".join(lines) + "\n"


_KIND_ORDER = ("track", "section", "service", "transfer", "access", "none")


def _source_key(ref: object) -> str:
    """Return a link's source, shortened to group rows: estimates and assumptions by their kind."""
    text = str(ref)
    for word in ("estimated", "assumption"):
        if text.startswith(word):
            return f"{word} (a stated rule; see the datasheet)"
    return text.split(",")[0].split(" (")[0]


def _where(ds: Dataset) -> str:
    """Return the dataset's folder, or 'bundled with belt-graph' for the package's own copy."""
    return "bundled with belt-graph" if ds.installed else str(ds.path)


def _value(value: float, year: object, status: object, source: object, fmt: str) -> str:
    if isinstance(value, float) and math.isnan(value):
        return f"unknown ({status or 'unknown'})"
    about = [str(x) for x in (year, status or "no status") if x and str(x) != "nan"]
    if source and str(source) != "nan":
        about.append(_short_source(str(source)))
    return (
        fmt.format(value)
        + f" ({', '.join(about[:2])}"
        + (f"; {about[2]})" if len(about) > 2 else ")")
    )


def _short_source(source: str) -> str:
    first = source.split(";")[0].split(" [")[0]
    return first if len(first) <= 70 else first[:69] + "…"


def _place_lines(places: object) -> list[str]:
    """One line per place: population and GDP with year, status and (shortened) source."""
    has = {c: bool(places[c].notna().any()) for c in ("population", "gdp_cny_bn")}  # type: ignore[index]
    out = [
        "places ("
        + "; ".join(x for x, c in (("population", "population"), ("GDP", "gdp_cny_bn")) if has[c])
        + "):"
    ]
    for node, row in places.iterrows():  # type: ignore[attr-defined]
        pop = _value(
            float(row["population"]),
            row.get("population_year", ""),
            row.get("population_status", ""),
            row.get("population_source", ""),
            "{:,.0f}",
        )
        gdp = _value(
            float(row["gdp_cny_bn"]),
            row.get("gdp_year", ""),
            row.get("gdp_status", ""),
            row.get("gdp_source", ""),
            "{:,.1f} bn CNY",
        )
        shown = [x for x, c in ((pop, "population"), (gdp, "gdp_cny_bn")) if has[c]]
        out.append(f"  {node}: {'; '.join(shown)}")
    return out


def short_list(ids: list[str], limit: int = 8) -> str:
    """Return ``a, b, c``; past ``limit`` items, the first ones and how many more.

    Parameters
    ----------
    ids : list of str
        The items.
    limit : int, default 8
        How many to show.

    Returns
    -------
    str
        ``a, b, c``, or ``a, b ... h and 12 more`` past ``limit``.

    Examples
    --------
    >>> short_list(["a", "b", "c"], limit=2)
    'a, b and 1 more'
    """
    if len(ids) <= limit:
        return ", ".join(map(str, ids))
    return ", ".join(map(str, ids[:limit])) + f" and {len(ids) - limit} more"


def _network_lines(ds: Dataset, G: Any = None) -> list[str]:
    import networkx as nx

    from .network import rail_graph

    G = rail_graph(ds) if G is None else G
    if not G.number_of_nodes():
        return []
    parts = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    degrees = [d for _, d in G.degree()]
    text = (
        f"{words(ds).mode} network (open links): {G.number_of_nodes():,} nodes, "
        f"{G.number_of_edges():,} "
        f"edges; {len(parts)} connected component(s), the largest {parts[0]:,} nodes; "
        f"degree mean {sum(degrees) / len(degrees):.1f}, max {max(degrees)}"
    )
    return [text]


def _timetable_lines(ds: Dataset) -> list[str]:
    tt = ds.timetable
    assert tt is not None
    times = tt[["arrival_minutes", "departure_minutes"]]
    last_day = int(times.max().max() // 1440) if len(tt) else 0
    w = words(ds)
    text = (
        f"timetable: {tt['train'].nunique():,} {w.vehicles}, {len(tt):,} calls at "
        f"{tt['station'].nunique():,} {w.stops}; times run to day +{last_day} of a "
        f"{w.vehicle}'s run"
    )
    out = [text]
    if "service_type" in tt.columns:
        kinds = tt.drop_duplicates("train")["service_type"].value_counts()
        out.append(
            f"  {w.vehicles} by service: " + ", ".join(f"{k} {v:,}" for k, v in kinds.items())
        )
    return out
