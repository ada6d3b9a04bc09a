"""Write the network as GraphML, GEXF (Gephi), GeoJSON (QGIS, kepler.gl) or node-link JSON."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import networkx as nx
import pandas as pd

from .dataset.core import Dataset
from .network import multilayer_graph, rail_graph

__all__ = ["export_text", "to_geojson", "typed_graph"]


def _scalar(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if value is None:
        return None
    return str(value)


def typed_graph(dataset: Dataset, *, include_planned: bool = True) -> nx.Graph:
    """Return the rail layer with only scalar attributes (NaN and empty values dropped).

    Numbers stay numbers (float ``minutes``, ``lat``, ``lon``, ``population``), so GraphML and
    GEXF readers get typed attributes. ``routes`` becomes a ``;``-joined ``lines`` string.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    include_planned : bool, default True
        Include planned links (``status`` ``planned``).

    Returns
    -------
    networkx.Graph
        A new graph; the dataset is not changed.

    """
    G = rail_graph(dataset, include_planned=include_planned)
    H = nx.Graph(name=dataset.name)
    for n, d in G.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in d.items()}
        H.add_node(n, **{k: v for k, v in attrs.items() if v not in (None, "")})
    for u, v, d in G.edges(data=True):
        attrs = {k: _scalar(x) for k, x in d.items() if k != "routes"}
        attrs["lines"] = ";".join(r[0] for r in d["routes"])
        attrs["minutes"] = float(d["minutes"])
        H.add_edge(u, v, **{k: x for k, x in attrs.items() if x not in (None, "")})
    return H


def to_geojson(dataset: Dataset, *, include_planned: bool = True) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection: Point per node, LineString per link (lon, lat).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    include_planned : bool, default True
        Include planned links (``status`` ``planned``).

    Returns
    -------
    dict
        A GeoJSON FeatureCollection: nodes as points, links as lines (a node without
        coordinates gets a null geometry).

    """
    features: list[dict[str, Any]] = []
    nodes = dataset.nodes
    for n, row in nodes.iterrows():
        props = {k: _scalar(v) for k, v in row.items()}
        props["id"] = str(n)
        features.append(
            {
                "type": "Feature",
                "id": str(n),
                # a node whose coordinates are unknown has no geometry (GeoJSON allows null)
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["lon"]), float(row["lat"])],
                }
                if _located(row)
                else None,
                "properties": props,
            }
        )
    allowed = {"open", "planned"} if include_planned else {"open"}
    for i, rec in enumerate(dataset.links.to_dict("records")):
        if rec["status"] not in allowed:
            continue
        a, b = nodes.loc[rec["source"]], nodes.loc[rec["target"]]
        features.append(
            {
                "type": "Feature",
                "id": f"link-{i}",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [float(a["lon"]), float(a["lat"])],
                        [float(b["lon"]), float(b["lat"])],
                    ],
                }
                if _located(a) and _located(b)
                else None,
                "properties": {k: _scalar(v) for k, v in rec.items()},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _located(row: pd.Series) -> bool:
    return math.isfinite(float(row["lon"])) and math.isfinite(float(row["lat"]))


def export_text(dataset: Dataset, fmt: str, *, include_planned: bool = True) -> str:
    """Return the network serialised as ``graphml``, ``gexf``, ``geojson`` or ``json``.

    GEXF nodes get ``viz`` positions from lon/lat (x = lon, y = lat) so Gephi opens the network
    geographically. ``json`` is NetworkX node-link data of the multilayer graph (``layer`` on
    every edge).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`~belt_graph.load_dataset`).
    fmt : {"graphml", "gexf", "geojson", "json"}
        The format.
    include_planned : bool, default True
        Include planned links (``status`` ``planned``).

    Returns
    -------
    str
        The file's text.

    """
    if fmt == "geojson":
        return (
            json.dumps(
                to_geojson(dataset, include_planned=include_planned), ensure_ascii=False, indent=1
            )
            + "\n"
        )
    if fmt == "json":
        M = multilayer_graph(dataset, include_planned=include_planned)
        data = nx.node_link_data(M, edges="links")
        return (
            json.dumps(data, ensure_ascii=False, indent=1, default=_scalar).replace("NaN", "null")
            + "\n"
        )
    G = typed_graph(dataset, include_planned=include_planned)
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(G, buf, named_key_ids=True)
    elif fmt == "gexf":
        for _, d in G.nodes(data=True):
            if "lon" in d and "lat" in d:  # typed_graph drops unknown (NaN) coordinates
                d["viz"] = {"position": {"x": float(d["lon"]), "y": float(d["lat"]), "z": 0.0}}
        nx.write_gexf(G, buf)
    else:
        raise ValueError(f"unknown export format {fmt!r} (graphml, gexf, geojson, json)")
    return buf.getvalue().decode("utf-8")
