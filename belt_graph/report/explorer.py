"""The explorer of the report page (private).

The network drawn in the page (zoom and pan; labels by importance, as many as fit without
overlap), an origin picker with a type-ahead search over names in both languages and codes, an
hours slider that colours the places reached in the figures' bands, the list of places reached
with their minutes (sortable), details on hover or tap. The page's HTML and script are in
``explorer.html`` beside this module.

Everything it needs is embedded in the page as JSON (no network access): every node with its
facts, the links to draw, and the adjacency the page searches as ``belt-graph reach`` does
(Dijkstra in minutes): on a network of services the journey graph, with each node's ``ready``
and ``arrive`` states, so that a change of train costs time; else the network itself, where a
place with stations is an end of a route, never a step. A place is reached when its minutes are
at most the hours x 60, plus the same tolerance of 1e-6 minutes. A test in a real browser checks
that the places it colours are the ones ``reach`` lists.
"""

from __future__ import annotations

import base64
import json
import math
from importlib import resources
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as S
from .._units import LIMIT_TOLERANCE_MINUTES
from ..dataset.core import Dataset
from ..dataset.lookup import place_ids, words
from ..network.journeys import has_services, journey_graph
from ..plot._style import BAND_COLOURS

__all__ = ["BANDS_MINUTES", "explorer_data", "explorer_html"]

#: The explorer's colour bands (upper limits, minutes): half an hour, then those of the reach maps
#: and the timetable maps (1, 2, 3 h), in the figures' colours (plot._style.BAND_COLOURS).
BANDS_MINUTES = (30, 60, 120, 180)


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _csr(indptr: Any, to: Any, minutes: Any) -> dict[str, str]:
    """Return the links to search as compressed rows, each array little-endian in base64.

    Link ``k`` leaves node ``i`` for ``indptr[i] <= k < indptr[i + 1]``, ends at ``to[k]`` and
    takes ``minutes[k]`` (int32, int32, float64; the page reads them as typed arrays). Lists of
    pairs in JSON took 30 MiB while cn-rail-2023's page was written (260,000 journey links),
    and 6 MB of the page.
    """

    def b64(values: Any, dtype: str) -> str:
        return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode()

    return {"indptr": b64(indptr, "<i4"), "to": b64(to, "<i4"), "minutes": b64(minutes, "<f8")}


def explorer_data(ds: Dataset, G: nx.Graph, origin: str) -> dict[str, Any]:
    """Return the JSON the explorer runs on: nodes, links to draw, and the network to search."""
    nodes = ds.nodes
    order = [str(n) for n in G.nodes]
    index = {n: i for i, n in enumerate(order)}
    sectors: dict[str, list[str]] = {}
    if len(ds.sectors):
        for node, group in ds.sectors.groupby("node"):
            sectors[str(node)] = sorted(dict.fromkeys(map(str, group["sector"])))
    measured: dict[str, list[str]] = {}
    if ds.measures is not None and len(ds.measures):
        from ..sectors.measured import SHORT_NAMES, specialisation_table

        spec = specialisation_table(ds)
        spec = spec[spec["specialised"]].sort_values(["place", "lq"], ascending=[True, False])
        for place, group in spec.groupby("place"):
            measured[str(place)] = [
                f"{SHORT_NAMES.get(str(x), str(x))} ({x}) {v:.2f}"
                for x, v in zip(group["sector"], group["lq"], strict=True)
            ]
    place_set = set(map(str, place_ids(nodes)))
    out_nodes = []
    for n in order:
        row = nodes.loc[n] if n in nodes.index else pd.Series(dtype=object)
        out_nodes.append(
            {
                "id": n,
                "name": str(row.get("name", n)),
                "zh": str(row.get("name_zh", "") or ""),
                "kind": str(row.get("kind", "")),
                "place": n in place_set,
                "owner": str(row.get(S.PLACE, "") or ""),
                "lat": _num(row.get("lat")),
                "lon": _num(row.get("lon")),
                "population": _num(row.get("population")),
                "population_status": str(row.get("population_status", "") or ""),
                "gdp": _num(row.get("gdp_cny_bn")),
                "gdp_status": str(row.get("gdp_status", "") or ""),
                "sectors": sectors.get(n, []),
                "measured": measured.get(n, []),
                "transit": G.nodes[n].get(S.TRANSIT, True) is not False,
            }
        )
    links = ds.links[ds.links["status"] == "open"]
    kinds = links[S.KIND] if S.KIND in links.columns else pd.Series("", index=links.index)
    drawn = links[kinds.isin(["track", "section", "transfer", "access", ""])]
    draw = [
        [index[str(a)], index[str(b)], str(k if k and k != "section" else "track")]
        for a, b, k in zip(drawn["source"], drawn["target"], kinds[drawn.index], strict=True)
        if str(a) in index and str(b) in index
    ]
    if origin not in place_set and S.PLACE in nodes.columns and origin in nodes.index:
        # the picker lists places: a station origin shows as its city (issue 22)
        origin = str(nodes.at[origin, S.PLACE] or origin)
    out: dict[str, Any] = {
        "title": ds.title,
        "origin": origin,
        "tolerance": LIMIT_TOLERANCE_MINUTES,
        "bands": list(BANDS_MINUTES),
        # what the picked nodes are called: places over stations, else the network's stops
        "unit": [words(ds).stop, words(ds).stops]
        if (nodes.loc[list(place_set), "kind"] == "station").all() and place_set
        else ["place", "places"],
        "population": bool(nodes["population"].notna().any()) if "population" in nodes else False,
        "colours": list(BAND_COLOURS[: len(BANDS_MINUTES) + 1]),
        "nodes": out_nodes,
        "links": draw,
    }
    if has_services(G):
        # a network of services: the page searches the journey graph, as `reach` does, so
        # that a change of train costs the station's minimum there too; a node's search
        # starts at its ready state and reads its arrive state
        J = journey_graph(G)
        out["graph"] = _csr(J.matrix.indptr, J.matrix.indices, J.matrix.data)
        out["ready"] = [J.ready[n] for n in order]
        out["arrive"] = [J.arrive[n] for n in order]
    else:
        ends = [[(index[str(v)], float(d[S.MINUTES])) for v, d in G.adj[n].items()] for n in G]
        indptr = np.cumsum([0] + [len(e) for e in ends])
        to = [j for e in ends for j, _ in e]
        minutes = [w for e in ends for _, w in e]
        out["graph"] = _csr(indptr, np.asarray(to, dtype=np.int64), np.asarray(minutes))
    return out


def explorer_html(data: dict[str, Any]) -> str:
    """Return the explorer's HTML, its data embedded, its script inline."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    payload = payload.replace("</", "<\\/")  # never close the script element early
    template = resources.files(__package__).joinpath("explorer.html").read_text(encoding="utf-8")
    return template.replace("__DATA__", payload)
