"""A one-screen text summary of a dataset (the ``belt-graph info`` command)."""

from __future__ import annotations

import math

from . import schema as S
from .dataset import Dataset

__all__ = ["dataset_summary", "short_list"]


def dataset_summary(ds: Dataset) -> str:
    """Return a short, human-readable summary of ``ds``: places, links, totals, gaps, sources.

    Examples
    --------
    >>> from belt_graph import toy_dataset
    >>> print(dataset_summary(toy_dataset()).splitlines()[1])
    places: 4 (3 city, 1 district); hubs: 1
    """
    n = ds.nodes
    places = n[n["kind"].isin(S.PLACE_KINDS)]
    kinds = places["kind"].value_counts().sort_index()
    lines = [f"dataset: {ds.name} ({ds.path})"]
    lines.append(
        f"places: {len(places)} ("
        + ", ".join(f"{v} {k}" for k, v in kinds.items())
        + f"); hubs: {int((n['kind'] == 'hub').sum())}"
    )
    links = ds.links
    lines.append(f"links: {len(links)}")
    grouped = links.groupby(["line", "status"]).agg(
        links=("minutes", "size"), minutes_min=("minutes", "min"), minutes_max=("minutes", "max")
    )
    for (line, status), row in grouped.iterrows():
        lines.append(
            f"  {line} [{status}]: {int(row['links'])} links, "
            f"{row['minutes_min']:g}-{row['minutes_max']:g} min"
        )
    if "confidence" in links.columns:
        conf = links["confidence"].replace("", "unspecified").value_counts().sort_index()
        lines.append("link confidence: " + ", ".join(f"{k} {v}" for k, v in conf.items()))
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
    lines += _network_lines(ds)
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
    refs = links["source_ref"].map(lambda s: str(s).split(",")[0].split(" (")[0]).value_counts()
    refs = refs[refs.index != ""]
    lines.append("link sources:")
    lines += [f"  {v:>3} x {k}" for k, v in refs.items()]
    for col in ("source_ref", "data_year"):
        blank = int((links[col].astype(str).str.strip() == "").sum()) if len(links) else 0
        if blank:
            lines.append(f"links without a {col}: {blank} of {len(links)}")
    readme = ds.path / "README.md"
    if readme.is_file():
        lines.append(f"datasheet: {readme}")
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


def short_list(ids: list[str], limit: int = 8) -> str:
    """``a, b, c``; past ``limit`` items, the first ones and how many more.

    Examples
    --------
    >>> short_list(["a", "b", "c"], limit=2)
    'a, b and 1 more'
    """
    if len(ids) <= limit:
        return ", ".join(map(str, ids))
    return ", ".join(map(str, ids[:limit])) + f" and {len(ids) - limit} more"


def _network_lines(ds: Dataset) -> list[str]:
    import networkx as nx

    from .network import rail_graph

    G = rail_graph(ds)
    if not G.number_of_nodes():
        return []
    parts = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    degrees = [d for _, d in G.degree()]
    text = (
        f"rail network (open links): {G.number_of_nodes():,} nodes, {G.number_of_edges():,} "
        f"edges; {len(parts)} connected component(s), the largest {parts[0]:,} nodes; "
        f"degree mean {sum(degrees) / len(degrees):.1f}, max {max(degrees)}"
    )
    return [text]


def _timetable_lines(ds: Dataset) -> list[str]:
    tt = ds.timetable
    assert tt is not None
    times = tt[["arrival_minutes", "departure_minutes"]]
    last_day = int(times.max().max() // 1440) if len(tt) else 0
    text = (
        f"timetable: {tt['train'].nunique():,} trains, {len(tt):,} calls at "
        f"{tt['station'].nunique():,} stations; times run to day +{last_day} of a train's run"
    )
    out = [text]
    if "service_type" in tt.columns:
        kinds = tt.drop_duplicates("train")["service_type"].value_counts()
        out.append("  trains by service: " + ", ".join(f"{k} {v:,}" for k, v in kinds.items()))
    return out
