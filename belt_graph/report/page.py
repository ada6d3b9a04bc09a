"""The report as one self-contained web page (private).

The Markdown of the report is rendered by markdown-it-py (CommonMark with tables); figures are
embedded as PNG data, each in a ``<figure>`` with its caption; tables sort by a click on their
header; the explorer (:mod:`belt_graph.report.explorer`) is placed where the Markdown says so.
The page needs no network access.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

__all__ = ["EXPLORER_MARK", "render_page", "write_page"]

#: A paragraph of the Markdown that the page replaces by the explorer.
EXPLORER_MARK = "[The interactive explorer is in report.html.]"

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",
sans-serif;max-width:1120px;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}
h1{font-size:1.7em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;font-size:.86em;margin:1em 0;display:block;overflow-x:auto;
max-width:100%}
th,td{border:1px solid #d0d0d0;padding:3px 8px;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;white-space:nowrap}th:after{content:" \\2195";color:#aaa}
td{font-variant-numeric:tabular-nums}
figure{margin:1.5em 0}figure img{max-width:min(100%,960px);max-height:680px;width:auto;
height:auto;border:1px solid #eee}
details.table{margin:.6em 0}details.table summary{cursor:pointer;font-weight:600}
nav.contents{font-size:.9em;background:#f6f6f6;padding:.5em .8em;margin:1em 0;line-height:1.8}
figcaption{font-size:.92em;color:#444;margin-top:.3em}
pre,.sources{background:#f6f6f6;padding:1em;white-space:pre-wrap;overflow-wrap:anywhere;
font-size:.85em}
code{background:#f3f3f3;padding:0 .2em}
#explorer{border:1px solid #ddd;padding:.8em;margin:1em 0}
#explorer .controls{display:flex;flex-wrap:wrap;gap:1.2em;align-items:center;margin-bottom:.5em}
#explorer .explorer-body{display:flex;flex-wrap:wrap;gap:1em}
#explorer .map-wrap{flex:3 1 520px;position:relative;max-width:100%}
#map{width:100%;height:auto;background:#fbfbfb;border:1px solid #eee;touch-action:none}
#explorer .zoom{position:absolute;top:6px;right:6px;display:flex;gap:3px}
#explorer .zoom button{font-size:.85em;padding:1px 7px}
#explorer .side{flex:1 1 240px;display:flex;flex-direction:column;gap:.6em;min-width:220px}
#explorer .details{font-size:.9em}
#explorer .reached-wrap{max-height:340px;overflow-y:auto;border:1px solid #eee}
#explorer .explorer-table{margin:0;display:table;width:100%}
#explorer .explorer-table tr{cursor:pointer}#explorer .zh{color:#666}
#explorer .note{color:#a33;font-size:.85em}
#map .link{stroke:#b5b5b5;stroke-width:1.2}#map .link.transfer{stroke-dasharray:3 3}
#map .link.access{stroke:#dedede;stroke-width:.8}
#map .place{stroke:#222;stroke-width:1;fill:#d9d9d9;cursor:pointer}
#map .place.unknown{stroke-dasharray:2 2}#map .place.origin{stroke:#000;stroke-width:3}
#map .station{fill:#fff;stroke:#666;stroke-width:.8}
#map .label{fill:#222;pointer-events:none;paint-order:stroke;stroke:#fff}
#map .link,#map .place,#map .station{vector-effect:non-scaling-stroke}
#explorer .legend{font-size:.85em;display:flex;flex-wrap:wrap;gap:1em;margin-top:.4em}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle;
border:1px solid #777}.swatch.ring{border:3px solid #000;border-radius:50%;background:#fff}
"""

_SORT = r"""
<script>
(function () {
  "use strict";
  function value(cell) {
    var t = cell.textContent.trim().replace(/,/g, "").replace(/%$/, "");
    var x = parseFloat(t);
    return t !== "" && !isNaN(x) && /^[-+]?[0-9.]/.test(t) ? x : null;
  }
  document.querySelectorAll("main table:not(.explorer-table)").forEach(function (table) {
    var head = table.querySelectorAll("thead th");
    head.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var up = th.getAttribute("aria-sort") !== "ascending";
        rows.sort(function (a, b) {
          var x = value(a.cells[col]), y = value(b.cells[col]);
          if (x !== null && y !== null) return up ? x - y : y - x;
          if (x !== null) return -1;
          if (y !== null) return 1;
          var s = a.cells[col].textContent.localeCompare(b.cells[col].textContent);
          return up ? s : -s;
        });
        head.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
</script>
"""

_IMG = re.compile(
    r'<p><img src="figures/([^"]+\.png)" alt="([^"]*)" ?/?></p>\s*<p><em>(.*?)</em></p>'
)


_H2 = re.compile(r"<h2>(.*?)</h2>")


_TABLES = re.compile(r'(<h2 id="tables">.*?)(?=<h2|$)', re.S)
# a table's title, the paragraphs that introduce it, the table
_TITLED_TABLE = re.compile(
    r"<h3>((?:(?!</h3>).)*)</h3>\s*((?:<p>(?:(?!</p>).)*</p>\s*)*)(<table>.*?</table>)", re.S
)


# a figure's data or the explorer, joined in after the page's structure is final; the NUL
# characters cannot come out of the Markdown renderer, which replaces them
_HOLE = "\x00{}\x00"
_HOLES = re.compile("\x00([0-9]+)\x00")


def _fold_tables(rendered: str) -> str:
    """Fold each table of the Tables section under its title: the page stays short."""

    def fold(section: re.Match[str]) -> str:
        return _TITLED_TABLE.sub(
            lambda m: f'<details class="table"><summary>{m[1]}</summary>{m[2]}{m[3]}</details>',
            section[1],
        )

    return _TABLES.sub(fold, rendered, count=1)


def _contents(rendered: str) -> str:
    """Give each section an anchor and put a table of contents after the title."""
    slugs: list[tuple[str, str]] = []

    def anchor(m: re.Match[str]) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", html.unescape(m[1]).lower()).strip("-") or "section"
        slug = f"{slug}-{len(slugs)}" if any(slug == s for s, _ in slugs) else slug
        slugs.append((slug, m[1]))
        return f'<h2 id="{slug}">{m[1]}</h2>'

    rendered = _H2.sub(anchor, rendered)
    if len(slugs) < 2:
        return rendered
    links = " · ".join(f'<a href="#{slug}">{text}</a>' for slug, text in slugs)
    toc = f'<nav class="contents" aria-label="contents"><strong>Contents:</strong> {links}</nav>'
    end = rendered.find("</h1>")
    return rendered if end < 0 else rendered[: end + 5] + "\n" + toc + rendered[end + 5 :]


def render_page(md: str, fig_dir: Path, title: str, explorer: str = "") -> str:
    """Render the report's Markdown as one self-contained HTML page."""
    return "".join(_page_parts(md, fig_dir, title, explorer))


def write_page(path: Path, md: str, fig_dir: Path, title: str, explorer: str = "") -> None:
    """Write :func:`render_page`'s page to ``path`` part by part, never joined whole in memory.

    ``cn-rail-2023``'s page is 7.5 MB; joining it and encoding it whole took 15 MB more at the
    report's peak.
    """
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(_page_parts(md, fig_dir, title, explorer))


def _page_parts(md: str, fig_dir: Path, title: str, explorer: str) -> list[str]:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    rendered = body.render(md)
    # the page's structure is edited while the figures and the explorer are placeholders, and
    # they are joined in once at the end: each edit of the whole page copied the figures'
    # base64 and the explorer's data (cn-rail-2023: 85 MiB for a 9 MB page)
    blobs: list[str] = []

    def hold(text: str) -> str:
        blobs.append(text)
        return _HOLE.format(len(blobs) - 1)

    def figure(m: re.Match[str]) -> str:
        data = hold(base64.b64encode((fig_dir / m[1]).read_bytes()).decode("ascii"))
        return (
            f'<figure id="fig-{html.escape(Path(m[1]).stem)}"><img alt="{m[2]}" '
            f'src="data:image/png;base64,{data}"><figcaption>{m[3]}</figcaption></figure>'
        )

    rendered = _IMG.sub(figure, rendered)
    mark = f"<p>{html.escape(EXPLORER_MARK)}</p>"
    if explorer:
        rendered = rendered.replace(mark, hold(explorer))
    rendered = rendered.replace("<pre><code>", '<pre class="sources"><code>', 1)
    rendered = _fold_tables(_contents(rendered))
    head = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>\n"
        "<body><main>\n"
    )
    # the text between holes alternates with the numbers of the blobs that fill them
    parts = _HOLES.split(rendered)
    return [
        head,
        *(blobs[int(p)] if i % 2 else p for i, p in enumerate(parts)),
        f"\n</main>{_SORT}</body></html>\n",
    ]
