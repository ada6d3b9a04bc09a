"""The main job: every table, every diagram and a readable summary, written to one folder."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ._files import write_folder
from .centrality import measure
from .commute import travel_time_array
from .dataset import Dataset
from .results import Results
from .scenario import ScenarioComparison
from .sectors import complementarity_note
from .summary import dataset_summary
from .timetable import format_clock

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


#: Above this many places the travel-time matrix is written as ``.npz`` instead of CSV, and
#: the Markdown shows the top of each table only.
LARGE_TABLE = 1000
MD_ROWS = 20


def write_report(
    ds: Dataset,
    output: str | Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    origin: str | None = None,
    window: tuple[float, float] = (7 * 60, 9 * 60),
    step: float = 5.0,
    searches: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the full report for ``ds`` into the folder ``output`` and return its path.

    The folder gets ``tables/*.csv``, ``figures/*.png`` and ``*.svg``, ``report.md`` and a
    self-contained ``report.html`` (figures embedded). Everything is written into a hidden
    temporary folder next to ``output`` and renamed when complete, so an interruption leaves
    nothing half-written (see :func:`belt_graph._files.write_folder`); the dataset's own
    folder and the current folder are never replaced.

    ``origin`` (default :func:`~belt_graph.default_origin`) is the origin of the reach
    tables; with a timetable, the report also gives, from that origin leaving at every
    ``step`` minutes of ``window`` (minutes after midnight, default 07:00-09:00 every 5 min),
    percentiles of the travel time by timetable beside the fastest links, and the share of
    destinations reached within 1, 2 and 3 h for each departure from 05:00 to 23:00.
    ``progress(message)`` reports each step; ``searches(done, total)`` the all-pairs searches.
    Networks above :data:`LARGE_TABLE` places get their matrix as ``.npz`` (arrays
    ``minutes`` and ``nodes``).

    Raises
    ------
    BeltGraphError
        If ``output`` exists and is not empty and ``force`` is false, is not a folder, is (or
        holds) the dataset or the current folder, or cannot be written.
    """
    from .plot import draw_kind, save_figure

    say = progress or (lambda _m: None)
    return write_folder(
        Path(output),
        lambda tmp: _build(ds, tmp, say, draw_kind, save_figure, origin, (window, step), searches),
        force=force,
        protect=[ds.path],
        say=say,
    )


def _build(
    ds: Dataset,
    tmp: Path,
    say: Callable[[str], None],
    draw_kind: Callable[..., object],
    save_figure: Callable[..., None],
    origin: str | None,
    when: tuple[tuple[float, float], float],
    searches: Callable[[int, int], None] | None,
) -> None:
    window, step = when
    tables_dir, fig_dir = tmp / "tables", tmp / "figures"
    tables_dir.mkdir()
    fig_dir.mkdir()
    r = Results(ds, origin=origin, progress=searches)
    origin = r.origin
    say(f"analysing {ds.name} (origin for reach: {origin})")
    tables: dict[str, pd.DataFrame] = {}
    tables["nodes"] = ds.nodes
    tables["links"] = ds.links
    if len(r.places) > LARGE_TABLE:
        ids, m = travel_time_array(r.graph, progress=searches)
        np.savez(tables_dir / "travel_time_matrix.npz", minutes=m, nodes=np.array(ids, dtype=str))
        del m
    else:
        tables["travel_time_matrix"] = r.matrix
    tables[f"reach_{origin}"] = r.reach(2.0)
    tables[f"reach_bands_{origin}"] = r.bands
    say("centrality")
    tables["centrality"] = r.centrality
    if len(ds.claims):
        tables["claims"] = r.claims
    if r.years is not None:
        tables["shanghai_times_2020_2024"] = r.years
    if ds.timetable is not None:
        say(
            f"timetable from {origin}, leaving {format_clock(window[0])}-"
            f"{format_clock(window[1])} every {step:g} min, and over the day"
        )
        tables[f"accessibility_{origin}"] = r.window(origin, window, step)
        tables[f"reach_over_day_{origin}"] = r.day((origin,))
    if r.sectors.number_of_edges():
        tables["sector_pairs"] = r.sector_pairs
        tables["clusters"] = r.cluster_summary
    comparisons = {}
    for name in ds.scenarios:
        say(f"scenario {name}")
        _, cmp = r.scenario(name)
        comparisons[name] = cmp
        tables[f"scenario_{name}_minutes"] = cmp.minutes
        tables[f"scenario_{name}_reach"] = cmp.reach
        tables[f"scenario_{name}_centrality"] = cmp.centrality
    for name, df in tables.items():
        index = df.index.name is not None
        df.to_csv(tables_dir / f"{name}.csv", index=index, lineterminator="\n")
    say(f"wrote {len(list(tables_dir.iterdir()))} tables")
    located = bool(ds.nodes[["lat", "lon"]].loc[origin].notna().all())
    # the travel-time map needs the origin's bearing to every place
    kinds = ["map", "reach", *(["traveltime"] if located else []), "matrix", "centrality"]
    if r.years is not None:
        kinds.append("years")
    if r.sectors.number_of_edges():
        kinds.append("sectors")
    if ds.timetable is not None:
        kinds += ["window", "day"]
    # file stem -> (diagram kind, scenario name)
    figures: dict[str, tuple[str, str | None]] = {k: (k, None) for k in kinds}
    figures.update({f"scenario_{n}": ("scenario", n) for n in ds.scenarios})
    for fname, (kind, scenario) in figures.items():
        say(f"drawing {fname}")
        fig = draw_kind(
            ds, kind, origin=origin, scenario=scenario, window=window, step=step, results=r
        )
        save_figure(fig, fig_dir / f"{fname}.svg", close=False)
        save_figure(fig, fig_dir / f"{fname}.png", dpi=150)
    md = _markdown(ds, r, (window, step), tables, comparisons, list(figures))
    (tmp / "report.md").write_text(md, encoding="utf-8")
    (tmp / "report.html").write_text(_html(md, fig_dir), encoding="utf-8")
    say("wrote report.md and report.html")


def _claims_section(cl: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """The claims, each travel claim from every origin it lists, in each year's network."""
    verdicts = [c for c in cl.columns if c.startswith("verdict")]
    observed = [c for c in cl.columns if c.startswith("observed")]
    show = cl[["text", "origin", "low", "high", "unit", *observed, *verdicts]].copy()
    show["origin"] = [names.get(o, o) if o else "" for o in show["origin"]]
    parts = ["", "## Claims checked against the data", ""]
    parts.append(
        "Ranges were written into `claims.csv` before the check was run. The article's "
        '"Shanghai is N hours from X" does not say from which station, so each travel claim is '
        "checked from each Shanghai station and from Putuo (through its own station, Shanghai "
        "West, and its access link), to the first station of the city reached (its access "
        "link included)."
        + (
            " Each is checked on today's network and on the network of about 2020 (before the "
            "along-river HSR)."
            if len(verdicts) > 1
            else ""
        )
    )
    parts += ["", _md_table(show, index=False, floatfmt="{:,.0f}")]
    return parts


def _years_section(t: pd.DataFrame, names: dict[str, str]) -> list[str]:
    labels = [c.removeprefix("minutes_") for c in t.columns if c.startswith("minutes_")][:2]
    show = pd.DataFrame(
        {
            "from": [names.get(o, o) for o in t["origin"]],
            "to": [names.get(d, d) for d in t["destination"]],
            **{f"{y} (min)": t[f"minutes_{y}"] for y in labels},
            **{f"{y} at": [names.get(x, x) for x in t[f"station_{y}"]] for y in labels},
            "change (min)": t["minutes_delta"],
        }
    )
    return [
        "",
        "## What changed since 2020",
        "",
        "Fastest scheduled time (in the train and changing; no waiting) from each Shanghai "
        f"station and from Putuo to each city, on the network of {labels[0]} and of "
        f"{labels[1]}. A link the 2024 timetable does not cover keeps its 2020 (or 2021) time "
        "in both (see the datasheet).",
        "",
        _md_table(show, index=False, floatfmt="{:,.0f}"),
    ]


def _md_top(df: pd.DataFrame, *, floatfmt: str = "{:,.1f}") -> str:
    """The first :data:`MD_ROWS` rows as a Markdown table, saying how many were left out."""
    text = _md_table(df.head(MD_ROWS), floatfmt=floatfmt)
    if len(df) > MD_ROWS:
        text += f"\n\n(first {MD_ROWS} of {len(df):,} rows; all of them in `tables/`)"
    return text


def _markdown(
    ds: Dataset,
    r: Results,
    when: tuple[tuple[float, float], float],
    tables: dict[str, pd.DataFrame],
    comparisons: dict[str, ScenarioComparison],
    figures: list[str],
) -> str:
    origin = r.origin
    bands = tables[f"reach_bands_{origin}"]
    c = tables["centrality"]
    names = ds.nodes["name"].to_dict()

    def who(node: str) -> str:
        """A place's name, with its id when they differ."""
        name = str(names.get(node, node))
        return name if name == node else f"{name} ({node})"

    parts = [f"# belt-graph report: {ds.name}", ""]
    parts += ["## Key findings", ""]
    has_population = bool(ds.nodes["population"].notna().any())
    for h, row in bands.iterrows():
        places = f"{int(row['places']):,} place{'s' if int(row['places']) != 1 else ''}"
        if not has_population:
            parts.append(
                f"- Within {h:g} h of {who(origin)} over the fastest links: "
                f"{places} (origin included); this dataset has no population or GDP."
            )
            continue
        unk = f" (GDP unknown for {row['gdp_unknown']})" if row["gdp_unknown"] else ""
        parts.append(
            f"- Within {h:g} h of {origin}: {places} (origin included), "
            f"{row['population'] / 1e6:,.1f} million people ({row['population_share']:.0%} of the "
            f"known total), GDP {row['gdp_cny_bn']:,.0f} bn CNY ({row['gdp_share']:.0%}){unk}."
        )
    top = c.index[0]
    lead = (
        f"Highest population accessibility (exponential decay, 60 min): {top}"
        if c[measure(c, "accessibility")].notna().any()
        else f"Highest closeness: {who(top)}"
    )
    # a place in a small component has a short mean to the few it reaches: compare only
    # places that reach as many others as any place does
    reach_col, mean_col = measure(c, "reachable"), measure(c, "mean_minutes")
    full = c[c[reach_col] == c[reach_col].max()]
    if full[mean_col].notna().any():
        best_mean = full[mean_col].idxmin()
        bet = measure(c, "betweenness")
        parts.append(
            f"- {lead}; shortest mean travel time: {who(best_mean)}, "
            f"{full[mean_col].min():.0f} min to the {int(full[reach_col].max()):,} "
            f"others it reaches; highest betweenness ({bet.split('_')[-1]} network): "
            f"{who(c[bet].idxmax())}."
        )
    else:
        parts.append(f"- {lead}; no place reaches another by rail, so no travel time is known.")
    (w_start, w_end), step = when
    span = f"{format_clock(w_start)}-{format_clock(w_end)} every {step:g} min"
    tt_key = f"accessibility_{origin}"
    if tt_key in tables:
        t = tables[tt_key]
        by_links = r.links_within(3.0)
        n_dep = int(t["departures"].iat[0]) if len(t) else 0
        median = int((t["p50"] <= 180 + 1e-6).sum())
        always = int((t["share_within_3h"] >= 1).sum())
        ever = int((t["share_within_3h"] > 0).sum())
        added = (t["p50"] - t["link_minutes"]).dropna()
        parts.append(
            f"- By timetable, leaving {who(origin)} at any of {n_dep} departures {span}: "
            f"{median:,} destinations are within 3 h at the median departure ({always:,} at "
            f"every one, {ever:,} at some), against {by_links:,} over the fastest links "
            "(origin excluded throughout). The median trip takes "
            f"{added.median():.0f} min more than the fastest links (waiting for the first "
            "train included), the 90th-percentile one "
            f"{(t['p90'] - t['link_minutes']).dropna().median():.0f} min more."
            if len(t) and len(added)
            else f"- By timetable, leaving {who(origin)} {span}: nothing is reached."
        )
    if "sector_pairs" in tables and len(tables["sector_pairs"]):
        p = tables["sector_pairs"].iloc[0]
        if p["complementarity"] > 0:
            parts.append(
                f"- Most complementary pair: {p['origin']} and {p['destination']} "
                f"(complementarity {p['complementarity']:.2f}: {p['complementary_sectors']})."
            )
        else:
            why = complementarity_note(r.sectors)
            parts.append(
                f"- Sectors: {why}." if why else "- No pair of places has complementary sectors."
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
        parts += _claims_section(tables["claims"], names)
    if "shanghai_times_2020_2024" in tables:
        parts += _years_section(tables["shanghai_times_2020_2024"], names)
    parts += ["", "## Figures", ""]
    for f in figures:
        parts.append(f"![{f}](figures/{f}.png)")
        parts.append("")
    parts += ["## Tables", ""]
    parts.append("Every table is in `tables/` as CSV. The main ones:")
    shown_bands = bands if has_population else bands[["places"]]
    parts += ["", f"### Reach from {origin} (bands)", "", _md_table(shown_bands)]
    if tt_key in tables:
        show_tt = [
            "p10",
            "p50",
            "p90",
            "share_within_1h",
            "share_within_2h",
            "share_within_3h",
            "link_minutes",
        ]
        t = tables[tt_key][show_tt].copy()
        t.insert(0, "name", [names.get(i, i) for i in t.index])
        parts += [
            "",
            f"### By timetable from {origin}, leaving {span}",
            "",
            "Percentiles of the minutes over the departures (nearest rank; waiting at the "
            "origin included), the share of departures arriving within 1, 2 and 3 h, and the "
            "fastest route over the links (no waiting) beside them.",
            "",
            _md_top(t, floatfmt="{:,.2f}"),
        ]
    show = [
        "name",
        *(
            measure(c, m)
            for m in (
                "mean_minutes",
                "closeness",
                "harmonic",
                "betweenness",
                "pagerank",
                "accessibility",
            )
        ),
        f"rank_{measure(c, 'accessibility')}",
    ]
    parts += ["", "### Centrality", "", _md_top(c[show], floatfmt="{:,.4g}")]
    matrix = tables.get("travel_time_matrix")
    if matrix is not None and len(matrix) <= MD_ROWS:
        parts += ["", "### Travel-time matrix (minutes)", "", _md_table(matrix, floatfmt="{:.0f}")]
    else:
        where = "travel_time_matrix.csv" if matrix is not None else "travel_time_matrix.npz"
        parts += ["", "### Travel-time matrix", "", f"Too large to show here: `tables/{where}`."]
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
