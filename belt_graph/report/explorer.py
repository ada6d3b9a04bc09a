"""The explorer of the report page (private).

The network drawn in the page, an origin picker and an hours slider that colour the places reached,
details on hover or tap.

Everything it needs is embedded in the page as JSON (no network access): every node with its
facts, the links to draw, and the adjacency the page searches as ``belt-graph reach`` does
(Dijkstra in minutes): on a network of services the journey graph, with each node's ``ready``
and ``arrive`` states, so that a change of train costs time; else the network itself, where a
place with stations is an end of a route, never a step. A place is reached when its minutes are
at most the hours x 60, plus the same tolerance of 1e-6 minutes. A test in a real browser checks
that the places it colours are the ones ``reach`` lists.
"""

from __future__ import annotations

import json
import math
from typing import Any

import networkx as nx
import pandas as pd

from .. import schema as S
from .._journeys import has_services, journey_graph
from .._units import LIMIT_TOLERANCE_MINUTES
from ..dataset.core import Dataset
from ..dataset.lookup import place_ids

__all__ = ["explorer_data", "explorer_html"]


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


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
        from ..specialisation import SHORT_NAMES, specialisation_table

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
    drawn = links[kinds.isin(["track", "transfer", "access", ""])]
    draw = [
        [index[str(a)], index[str(b)], str(k or "track")]
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
        "nodes": out_nodes,
        "links": draw,
    }
    if has_services(G):
        # a network of services: the page searches the journey graph, as `reach` does, so
        # that a change of train costs the station's minimum there too; a node's search
        # starts at its ready state and reads its arrive state
        J = journey_graph(G)
        A = J.matrix
        out["adjacency"] = [
            [
                [int(j), float(w)]
                for j, w in zip(
                    A.indices[A.indptr[i] : A.indptr[i + 1]],
                    A.data[A.indptr[i] : A.indptr[i + 1]],
                    strict=True,
                )
            ]
            for i in range(A.shape[0])
        ]
        out["ready"] = [J.ready[n] for n in order]
        out["arrive"] = [J.arrive[n] for n in order]
    else:
        out["adjacency"] = [
            [[index[str(v)], float(d[S.MINUTES])] for v, d in G.adj[n].items()] for n in G.nodes
        ]
    return out


def explorer_html(data: dict[str, Any]) -> str:
    """Return the explorer's HTML, its data embedded, its script inline."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    payload = payload.replace("</", "<\\/")  # never close the script element early
    return _TEMPLATE.replace("__DATA__", payload)


_TEMPLATE = r"""
<section id="explorer" aria-label="explorer">
<div class="controls">
  <label>Origin <select id="origin"></select></label>
  <label>Within <input id="hours" type="range" min="0.25" max="6" step="0.25" value="1">
    <output id="hours-out">1 h</output></label>
  <span id="summary" role="status"></span>
</div>
<div class="explorer-body">
  <svg id="map" viewBox="0 0 1000 700" role="img" aria-label="network map"></svg>
  <div id="details" class="details">Hover over or tap a place for its details.</div>
</div>
<div class="legend">
  <span><i class="swatch" style="background:#1a9850"></i>reached quickly</span>
  <span><i class="swatch" style="background:#fee08b"></i>reached near the limit</span>
  <span><i class="swatch" style="background:#d9d9d9"></i>not reached</span>
  <span><i class="swatch ring"></i>origin</span>
  <span>circle area: population (dashed: unknown)</span>
</div>
<script type="application/json" id="explorer-data">__DATA__</script>
<script>
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("explorer-data").textContent);
  var N = D.nodes, n = N.length, svgNS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("map");
  var picker = document.getElementById("origin");
  var slider = document.getElementById("hours");
  var out = document.getElementById("hours-out");
  var summary = document.getElementById("summary");
  var details = document.getElementById("details");
  var dist = new Array(n).fill(Infinity);
  var byId = {};
  N.forEach(function (d, i) { byId[d.id] = i; });

  // the same search as `belt-graph reach`: Dijkstra in minutes, never through a place; on a
  // network of services, over the journey graph (changes of train cost time)
  function search(o) {
    if (!D.ready) {
      // a place is the end of a route, never a step of one
      return dijkstra(D.adjacency, o, function (u) { return u !== o && !N[u].transit; });
    }
    var jd = dijkstra(D.adjacency, D.ready[o], null), d = new Array(n).fill(Infinity);
    for (var i = 0; i < n; i++) d[i] = jd[D.arrive[i]];
    d[o] = 0;
    return d;
  }
  // Dijkstra over adjacency lists of [node, minutes]; `stop(u)`: settle u but go no further
  function dijkstra(adjacency, start, stop) {
    var d = new Array(adjacency.length).fill(Infinity), heap = new Heap();
    d[start] = 0;
    heap.push([0, start]);
    while (heap.size()) {
      var item = heap.pop(), du = item[0], u = item[1];
      if (du > d[u]) continue;
      if (stop && stop(u)) continue;
      var adj = adjacency[u];
      for (var k = 0; k < adj.length; k++) {
        var v = adj[k][0], nd = du + adj[k][1];
        if (nd < d[v]) { d[v] = nd; heap.push([nd, v]); }
      }
    }
    return d;
  }
  function Heap() {
    var h = [];
    this.size = function () { return h.length; };
    this.push = function (item) {
      h.push(item);
      var i = h.length - 1;
      while (i > 0) {
        var p = (i - 1) >> 1;
        if (h[p][0] <= h[i][0]) break;
        var t = h[p]; h[p] = h[i]; h[i] = t; i = p;
      }
    };
    this.pop = function () {
      var top = h[0], last = h.pop();
      if (h.length) {
        h[0] = last;
        var i = 0;
        for (;;) {
          var l = 2 * i + 1, r = l + 1, s = i;
          if (l < h.length && h[l][0] < h[s][0]) s = l;
          if (r < h.length && h[r][0] < h[s][0]) s = r;
          if (s === i) break;
          var t = h[s]; h[s] = h[i]; h[i] = t; i = s;
        }
      }
      return top;
    };
  }

  function fmt(x, unit) {
    if (x === null || x === undefined) return "unknown";
    return x.toLocaleString("en", {maximumFractionDigits: 1}) + (unit ? " " + unit : "");
  }
  function minutesText(m) {
    if (!isFinite(m)) return "not reached";
    if (m < 60) return Math.round(m) + " min";
    var h = Math.floor(m / 60), r = Math.round(m - 60 * h);
    return h + " h" + (r ? " " + r + " min" : "");
  }

  // drawing: equirectangular projection of the nodes with coordinates
  var located = N.filter(function (d) { return d.lat !== null && d.lon !== null; });
  var lat0 = located.reduce(function (s, d) { return s + d.lat; }, 0) / Math.max(located.length, 1);
  var k = Math.cos(lat0 * Math.PI / 180);
  var xs = located.map(function (d) { return d.lon * k; });
  var ys = located.map(function (d) { return -d.lat; });
  var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
  var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
  var scale = Math.min(940 / Math.max(x1 - x0, 1e-9), 640 / Math.max(y1 - y0, 1e-9));
  function px(d) { return 30 + (d.lon * k - x0) * scale; }
  function py(d) { return 30 + (-d.lat - y0) * scale; }
  function el(name, attrs, parent) {
    var e = document.createElementNS(svgNS, name);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    (parent || svg).appendChild(e);
    return e;
  }
  var gLinks = el("g", {"class": "links"}), gNodes = el("g", {"class": "nodes"});
  var gLabels = el("g", {"class": "labels"});
  D.links.forEach(function (l) {
    var a = N[l[0]], b = N[l[1]];
    if (a.lat === null || b.lat === null) return;
    el("line", {x1: px(a), y1: py(a), x2: px(b), y2: py(b), "class": "link " + l[2]}, gLinks);
  });
  var places = [], maxPop = 0;
  N.forEach(function (d) { if (d.place && d.population) maxPop = Math.max(maxPop, d.population); });
  var shapes = new Array(n);
  N.forEach(function (d, i) {
    if (d.lat === null) return;
    var s;
    if (d.place) {
      var r = d.population && maxPop ? 4 + 14 * Math.sqrt(d.population / maxPop) : 5;
      s = el("circle", {cx: px(d), cy: py(d), r: r, "class": "place" +
        (d.population === null ? " unknown" : ""), "data-id": d.id, tabindex: 0}, gNodes);
      places.push(i);
    } else {
      s = el("rect", {x: px(d) - 2.5, y: py(d) - 2.5, width: 5, height: 5, "class": "station",
        "data-id": d.id}, gNodes);
    }
    s.addEventListener("mouseenter", function () { show(i); });
    s.addEventListener("focus", function () { show(i); });
    s.addEventListener("click", function () { show(i); });
    shapes[i] = s;
  });
  var labelled = places.slice().sort(function (a, b) {
    return (N[b].population || 0) - (N[a].population || 0);
  }).slice(0, places.length <= 60 ? places.length : 20);
  labelled.forEach(function (i) {
    var d = N[i], t = el("text", {x: px(d) + 8, y: py(d) + 4, "class": "label"}, gLabels);
    t.textContent = d.name;
  });

  function show(i) {
    var d = N[i], lines = [];
    lines.push("<strong>" + esc(d.name) + (d.zh ? " " + esc(d.zh) : "") + "</strong> (" +
               esc(d.id) + ", " + esc(d.kind) + ")");
    if (d.place) {
      lines.push("population: " + fmt(d.population) +
                 (d.population_status ? " (" + esc(d.population_status) + ")" : ""));
      lines.push("GDP: " + fmt(d.gdp, "bn CNY") +
                 (d.gdp_status ? " (" + esc(d.gdp_status) + ")" : ""));
      lines.push("listed industries: " +
                 (d.sectors.length ? esc(d.sectors.join(", ")) : "none recorded"));
      if (d.measured.length) {
        lines.push("specialised by 2019 employment (section, LQ): " +
                   esc(d.measured.join(", ")));
      }
    } else if (d.owner) {
      lines.push("station of " + esc(N[byId[d.owner]] ? N[byId[d.owner]].name : d.owner));
    }
    lines.push("from " + esc(N[current].name) + ": " + minutesText(dist[i]));
    details.innerHTML = lines.join("<br>");
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }

  var current = byId[D.origin] !== undefined ? byId[D.origin] : places[0];
  places.slice().sort(function (a, b) { return N[a].name < N[b].name ? -1 : 1; })
    .forEach(function (i) {
      var o = document.createElement("option");
      o.value = N[i].id; o.textContent = N[i].name + (N[i].zh ? " " + N[i].zh : "");
      picker.appendChild(o);
    });
  picker.value = N[current].id;

  function colour(m, limit) {
    var t = Math.max(0, Math.min(1, m / Math.max(limit, 1e-9)));
    var a = [26, 152, 80], b = [254, 224, 139];
    var c = a.map(function (v, j) { return Math.round(v + (b[j] - v) * t); });
    return "rgb(" + c.join(",") + ")";
  }
  function update() {
    var hours = parseFloat(slider.value), limit = hours * 60 + D.tolerance;
    out.textContent = hours + " h";
    var reached = [];
    places.forEach(function (i) {
      var s = shapes[i], ok = dist[i] <= limit;
      s.setAttribute("data-reached", ok ? "1" : "0");
      s.style.fill = ok ? colour(dist[i], hours * 60) : "#d9d9d9";
      s.classList.toggle("origin", i === current);
      if (ok) reached.push(N[i].id);
    });
    summary.setAttribute("data-reached", reached.join(";"));
    summary.textContent = reached.length + " place" + (reached.length === 1 ? "" : "s") +
      " within " + hours + " h of " + N[current].name + ", the origin included";
  }
  function choose() {
    current = byId[picker.value];
    dist = search(current);
    update();
    show(current);
  }
  picker.addEventListener("change", choose);
  slider.addEventListener("input", update);
  choose();
})();
</script>
</section>
"""
