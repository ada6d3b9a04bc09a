"""The main job: every table, every diagram and a readable summary, written to one folder."""

from __future__ import annotations

import base64
import html
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .centrality import centrality
from .claims import check_claims
from .commute import travel_time_matrix
from .dataset import Dataset, default_origin
from .errors import BeltGraphError
from .network import cooperation_graph, rail_graph, sector_graph
from .reach import reach, reach_bands
from .scenario import ScenarioComparison, apply_scenario, compare
from .sectors import cluster_summary, clusters, sector_pairs
from .summary import dataset_summary

__all__ = ["write_report"]


def _md_table(df: pd.DataFrame, *, index: bool = True, floatfmt: str = "{:,.1f}") -> str:
    table = df.reset_index() if index else df
    cols = [str(c) for c in table.columns]
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for rec in table.itertuples(index=False):
        cells = []
        for v in rec:
            if isinstance(v, float):
                cells.append("" if pd.isna(v) else floatfmt.format(v))
            else:
                cells.append(str(v).replace("|", "/"))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def write_report(
    ds: Dataset,
    output: str | Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the full report for ``ds`` into the folder ``output`` and return its path.

    The folder gets ``tables/*.csv``, ``figures/*.png`` and ``*.svg``, ``report.md`` and a
    self-contained ``report.html`` (figures embedded). Everything is written into a temporary
    folder next to ``output`` and renamed when complete, so an interruption leaves nothing
    half-written.

    Raises
    ------
    BeltGraphError
        If ``output`` exists and is not empty and ``force`` is false.
    """
    from .plot import draw_kind, save_figure

    say = progress or (lambda _m: None)
    out = Path(output)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise BeltGraphError(f"{out} exists and is not empty; use --force to replace it")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise BeltGraphError(f"cannot write {out}: folder {parent} does not exist")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        _build(ds, tmp, say, draw_kind, save_figure)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            out.rename(old / "old")
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _build(
    ds: Dataset,
    tmp: Path,
    say: Callable[[str], None],
    draw_kind: Callable[..., object],
    save_figure: Callable[..., None],
) -> None:
    tables_dir, fig_dir = tmp / "tables", tmp / "figures"
    tables_dir.mkdir()
    fig_dir.mkdir()
    G = rail_graph(ds)
    coop = cooperation_graph(ds)
    B = sector_graph(ds)
    origin = default_origin(ds)
    say(f"analysing {ds.name} (origin for reach: {origin})")
    tables: dict[str, pd.DataFrame] = {}
    tables["nodes"] = ds.nodes
    tables["links"] = ds.links
    tables["travel_time_matrix"] = travel_time_matrix(G)
    tables[f"reach_{origin}"] = reach(G, origin, 2.0)
    tables[f"reach_bands_{origin}"] = reach_bands(G, origin)
    tables["centrality"] = centrality(G, coop)
    claims = check_claims(ds, G)
    if len(claims):
        tables["claims"] = claims
    if B.number_of_edges():
        tables["sector_pairs"] = sector_pairs(B)
        tables["clusters"] = cluster_summary(clusters(B, seed=0))
    comparisons = {}
    for name in ds.scenarios:
        say(f"scenario {name}")
        cmp = compare(G, rail_graph(apply_scenario(ds, name)), hours=1.0)
        comparisons[name] = cmp
        tables[f"scenario_{name}_minutes"] = cmp.minutes
        tables[f"scenario_{name}_reach"] = cmp.reach
        tables[f"scenario_{name}_centrality"] = cmp.centrality
    for name, df in tables.items():
        index = df.index.name is not None
        df.to_csv(tables_dir / f"{name}.csv", index=index, lineterminator="\n")
    say(f"wrote {len(tables)} tables")
    kinds = ["map", "reach", "traveltime", "matrix", "centrality"]
    if B.number_of_edges():
        kinds.append("sectors")
    # file stem -> (diagram kind, scenario name)
    figures: dict[str, tuple[str, str | None]] = {k: (k, None) for k in kinds}
    figures.update({f"scenario_{n}": ("scenario", n) for n in ds.scenarios})
    for fname, (kind, scenario) in figures.items():
        say(f"drawing {fname}")
        fig = draw_kind(ds, kind, origin=origin, scenario=scenario)
        fig.savefig(fig_dir / f"{fname}.svg", bbox_inches="tight", pad_inches=0.15)  # type: ignore[attr-defined]
        save_figure(fig, fig_dir / f"{fname}.png", dpi=150)
    md = _markdown(ds, origin, tables, comparisons, list(figures))
    (tmp / "report.md").write_text(md, encoding="utf-8")
    (tmp / "report.html").write_text(_html(md, fig_dir), encoding="utf-8")
    say("wrote report.md and report.html")


def _markdown(
    ds: Dataset,
    origin: str,
    tables: dict[str, pd.DataFrame],
    comparisons: dict[str, ScenarioComparison],
    figures: list[str],
) -> str:
    bands = tables[f"reach_bands_{origin}"]
    c = tables["centrality"]
    parts = [f"# belt-graph report: {ds.name}", ""]
    parts += ["## Key findings", ""]
    for h, row in bands.iterrows():
        unk = f" (GDP unknown for {row['gdp_unknown']})" if row["gdp_unknown"] else ""
        parts.append(
            f"- Within {h:g} h of {origin}: {int(row['places'])} "
            f"place{'s' if int(row['places']) != 1 else ''} (origin included), "
            f"{row['population'] / 1e6:,.1f} million people ({row['population_share']:.0%} of the "
            f"known total), GDP {row['gdp_cny_bn']:,.0f} bn CNY ({row['gdp_share']:.0%}){unk}."
        )
    top = c.index[0]
    parts.append(
        f"- Highest population accessibility (exponential decay, 60 min): {top}; shortest mean "
        f"travel time: {c['mean_minutes'].idxmin()} ({c['mean_minutes'].min():.0f} min); "
        f"highest betweenness: {c['betweenness'].idxmax()}."
    )
    if "sector_pairs" in tables and len(tables["sector_pairs"]):
        p = tables["sector_pairs"].iloc[0]
        parts.append(
            f"- Most complementary pair: {p['origin']} and {p['destination']} "
            f"(complementarity {p['complementarity']:.2f}: {p['complementary_sectors']})."
        )
    for name, cmp in comparisons.items():
        m = cmp.minutes
        if len(m):
            best = m.iloc[0]
            parts.append(
                f"- Scenario `{name}`: {len(m)} place pairs change; largest change "
                f"{best['origin']}-{best['destination']} {best['minutes_delta']:+.0f} min "
                f"({best['minutes_base']:.0f} -> {best['minutes_scenario']:.0f})."
            )
        else:
            parts.append(f"- Scenario `{name}`: no travel time between places changes.")
    if "claims" in tables:
        cl = tables["claims"]
        parts += ["", "## Claims checked against the data", ""]
        parts.append("Ranges were written into `claims.csv` before the check was run.")
        parts.append("")
        parts.append(
            _md_table(cl[["text", "observed", "low", "high", "unit", "verdict", "detail"]])
        )
    parts += ["", "## Figures", ""]
    for f in figures:
        parts.append(f"![{f}](figures/{f}.png)")
        parts.append("")
    parts += ["## Tables", ""]
    parts.append("Every table is in `tables/` as CSV. The main ones:")
    parts += ["", f"### Reach from {origin} (bands)", "", _md_table(bands)]
    show = [
        "name",
        "mean_minutes",
        "closeness",
        "harmonic",
        "betweenness",
        "pagerank",
        "accessibility",
        "rank_accessibility",
    ]
    parts += ["", "### Centrality", "", _md_table(c[show], floatfmt="{:,.4g}")]
    parts += [
        "",
        "### Travel-time matrix (minutes)",
        "",
        _md_table(tables["travel_time_matrix"], floatfmt="{:.0f}"),
    ]
    if "clusters" in tables:
        parts += ["", "### Sector clusters (Louvain, seed 0)", "", _md_table(tables["clusters"])]
    for name, cmp in comparisons.items():
        r = cmp.reach
        parts += [
            "",
            f"### Scenario {name}: places and people within 1 h",
            "",
            _md_table(r, floatfmt="{:,.0f}"),
        ]
    parts += ["", "## Data and sources", "", "```", dataset_summary(ds).rstrip(), "```", ""]
    parts.append("See the dataset's datasheet (README.md) for every column, source and licence.")
    return "\n".join(parts) + "\n"


def _html(md: str, fig_dir: Path) -> str:
    """A self-contained HTML rendering of the Markdown report (images embedded)."""
    body: list[str] = []
    in_table = in_code = False
    for line in md.splitlines():
        if line.startswith("```"):
            body.append("</pre>" if in_code else "<pre>")
            in_code = not in_code
            continue
        if in_code:
            body.append(html.escape(line))
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if set("".join(cells)) <= {"-"}:
                continue
            if not in_table:
                body.append("<table>")
                tag, in_table = "th", True
            else:
                tag = "td"
            body.append(
                "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"
            )
            continue
        if in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("!["):
            name = line.split("(figures/")[1].rstrip(")")
            data = base64.b64encode((fig_dir / name).read_bytes()).decode("ascii")
            body.append(
                f'<figure><img alt="{html.escape(name)}" '
                f'src="data:image/png;base64,{data}"></figure>'
            )
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{html.escape(line.lstrip('# '))}</h{level}>")
        elif line.startswith("- "):
            body.append(f"<li>{html.escape(line[2:])}</li>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    if in_table:
        body.append("</table>")
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;font-size:0.85em;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "img{max-width:100%}pre{background:#f6f6f6;padding:1em;overflow:auto}"
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>belt-graph report</title>"
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
