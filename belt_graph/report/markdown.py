"""The report's Markdown: tables, the key findings, and the text around each figure."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from .. import schema as S
from ..centralities import measure
from ..dataset.core import Dataset
from ..dataset.lookup import Words, has_stations_under_places, words
from ..dataset.scenario_files import Scenario, read_scenario
from ..scenario import ScenarioComparison
from ..sectors import complementarity_note
from ..summary import dataset_summary
from ..timetable.journeys import format_clock
from .page import EXPLORER_MARK
from .results import Results
from .tables import _md_table, md_text

#: Above this many places the travel-time matrix is written as ``.npz`` instead of CSV, and
#: the Markdown shows the top of each table only.
LARGE_TABLE = 1000


MD_ROWS = 20


def _claims_section(cl: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """Return the claims, one row each, the origins as columns.

    A data claim gives its value; a travel claim its minutes from each origin it lists, in
    today's network and the network of about 2020.
    """
    verdicts = [c for c in cl.columns if c.startswith("verdict")]
    years = [c.removeprefix("verdict_") for c in verdicts]
    origins = list(dict.fromkeys(o for o in cl["origin"] if o))
    mark = {"agrees": "✓", "disagrees": "✗"}

    def cell(row: pd.Series, first_only: bool = False) -> str:
        parts = []
        for i, y in enumerate(years[:1] if first_only else years):
            x = row.get(f"observed_{y}")
            if x is None or (isinstance(x, float) and math.isnan(x)):
                continue
            text = f"{float(x):,.0f} {mark.get(str(row[f'verdict_{y}']), '')}".strip()
            parts.append(text if i == 0 else f"({y}: {text})")
        return " ".join(parts)

    def bounds(row: pd.Series) -> str:
        low, high = row["low"], row["high"]
        lo = "" if pd.isna(low) else f"{float(low):,.0f}"
        hi = "" if pd.isna(high) else f"{float(high):,.0f}"
        text = f"{lo}-{hi}" if lo and hi and lo != hi else lo or (f"at most {hi}" if hi else "")
        if lo and not hi:
            text = f"at least {lo}"
        return f"{text} {row['unit']}".strip()

    rows = []
    for text, group in cl.groupby("text", sort=False):
        first = group.iloc[0]
        row = {"claim": text, "range": bounds(first)}
        travel = bool(group["origin"].astype(bool).any())
        row["value (data claims)"] = "" if travel else cell(first, first_only=True)
        by_origin = {o: r for o, r in zip(group["origin"], group.to_dict("records"), strict=True)}
        for o in origins:
            row[names.get(o, o)] = cell(pd.Series(by_origin[o])) if o in by_origin else ""
        rows.append(row)
    show = pd.DataFrame(rows)
    show = show.loc[:, (show != "").any()]
    parts = ["", "## Claims checked against the data", ""]
    parts.append(
        "Ranges were written into `claims.csv` before the check was run. The article's "
        '"Shanghai is N hours from X" does not say from which station, so each travel claim is '
        "checked from each Shanghai station and from Putuo (door to door from its reference "
        "point, by whichever of its stations is fastest). The article counts train times: the "
        "value is the train part of the fastest journey door to door, from its first station "
        "to the city's station it reaches (`tables/claims.csv` gives the stations and the "
        "door-to-door minutes): one column per origin, in minutes. ✓: within the range; ✗: "
        "outside."
        + (
            f" In brackets, the network of about {years[1]} (before the along-river HSR); data "
            "claims are 2024 figures only."
            if len(years) > 1
            else ""
        )
        + " Every row and year is in `tables/claims.csv`."
    )
    parts += ["", _md_table(show, index=False)]
    return parts


def _years_section(t: pd.DataFrame, names: dict[str, str]) -> list[str]:
    labels = [
        c.removeprefix("minutes_")
        for c in t.columns
        if c.startswith("minutes_") and c != "minutes_delta"
    ][:2]
    show = pd.DataFrame(
        {
            "from": [names.get(o, o) for o in t["origin"]],
            "to": [names.get(d, d) for d in t["destination"]],
            **{f"{y} door to door (min)": t[f"minutes_{y}"] for y in labels},
            **{f"{y} by train (min)": t[f"station_minutes_{y}"] for y in labels},
            **{f"{y} at": [names.get(x, x) for x in t[f"station_{y}"]] for y in labels},
            "change (min)": t["minutes_delta"],
        }
    )
    return [
        "",
        "## What changed since 2020",
        "",
        "Fastest journey (on board, walking and changing; no waiting) from each Shanghai "
        f"station and from Putuo to each city, on the network of {labels[0]} and of "
        f"{labels[1]}: door to door (the egress from the city's station to its reference "
        "point, and from Putuo its access to a station, included), and its train part, from "
        "the first station to the last. A link the recent timetables do not cover keeps its "
        "2020 (or 2021) time in both (see the datasheet).",
        "",
        _md_table(show, index=False),
    ]


def _by_year_section(
    t: pd.DataFrame, openings: pd.DataFrame, names: dict[str, str], origin: str
) -> list[str]:
    """Return the section on the network year by year (door to door from the origin)."""
    years = sorted(set(t["year"]))
    steps = t[t["because"] != ""]
    # the first year, every year with a step, and the last
    shown = sorted({years[0], *steps["year"].tolist(), years[-1]})
    pivot = t.pivot(index="destination", columns="year", values="minutes")[shown]
    pivot.index = [names.get(d, d) for d in pivot.index]
    pivot.index.name = "door to door (min)"
    pivot.columns = [str(y) for y in pivot.columns]
    lines = []
    for year, group in openings.groupby("year"):
        if years[0] <= year <= years[-1]:
            lines.append(
                f"{year}: " + ", ".join(f"{r.line} ({r.opened})" for r in group.itertuples())
            )
    found = []
    for r in steps.sort_values(["year", "change_minutes"]).itertuples():
        what = (
            f"{-r.change_minutes:.0f} min faster"
            if pd.notna(r.change_minutes)
            else "reached for the first time"
        )
        found.append(
            f"- {r.year}: {md_text(names.get(r.destination, r.destination))} {what} "
            f"({r.minutes:.0f} min), by the {str(r.because).replace(';', ' and the ')}."
        )
    return [
        "",
        "## Door to door, year by year",
        "",
        f"The fastest journey from {md_text(names.get(origin, origin))} to each place on the "
        "network as "
        f"it ran at the end of each year from {years[0]} to {years[-1]}: the lines opened by "
        "then (every link carries its opening date, with its source), timed by the dataset's "
        "trains of today (not the timetables of those years). An empty cell: no train of the "
        "sources reaches it that year. Each step is named by the line opened that year that "
        "the new fastest journey rides (`tables/times_by_year_*.csv`: every year, with the "
        "stations at each end).",
        "",
        _md_table(pivot),
        "",
        "Lines opened (in the years shown): " + "; ".join(md_text(x) for x in lines) + ".",
        "",
        *found,
    ]


def _critical_section(t: pd.DataFrame) -> list[str]:
    """Return the "Critical links" section: the five links whose closure costs most."""
    top = t[t["loss"] > 0].head(5)
    if not len(top):
        return ["", "## Critical links", "", "No single track link's closure slows a journey."]
    rows = top.assign(
        link=[f"{a} – {b}" for a, b in zip(top["source_name"], top["target_name"], strict=True)],
        loss=top["loss"].round(1),
        gdp_loss=top["gdp_loss"].round(1),
        person_hours=top["person_hours"].round(0).astype(int),
        pair_share=(100 * top["pair_share"]).round(0).astype(int).astype(str) + " %",
    )[["link", "line", "loss", "gdp_loss", "disconnected", "person_hours", "pair_share", "trains"]]
    return [
        "",
        "## Critical links",
        "",
        "Each track link closed in turn, with every train that rides it (a train rides the "
        "fastest track between its stops on its own railways). **loss**: the extra minutes "
        "between places, door to door, averaged over every ordered pair reachable before and "
        "weighted by the product of their populations (gdp_loss: of their GDPs); a pair cut off, "
        f"or pushed past {t.attrs.get('horizon', 360):g} min, counts as that. **person_hours**: "
        "extra hours a day under a demand proxy (a gravity model scaled to China's rail trips "
        "per resident, an assumption, not a count); **pair_share**: the pairs whose fastest "
        "journey gets slower. Every link is in `tables/criticality.csv`; `belt-graph "
        "criticality --by station` and `--by line` rank stations and lines.",
        "",
        _md_table(rows.set_index("link")),
    ]


#: Each figure of the report: a heading and a one-line caption (``{origin}``, ``{window}``).
FIGURES = {
    "map": (
        "The network",
        "Places (circles, area by population) and their stations (squares); track coloured by "
        "line with its minutes, changes of station dotted, planned links dashed.",
    ),
    "reach": (
        "Reach from {origin}",
        "Places by their fastest journey from {origin}, door to door (no waiting), and the "
        "fastest routes.",
    ),
    "traveltime": (
        "Travel-time map from {origin}",
        "Each place at its true bearing from {origin} but at a distance equal to its minutes; "
        "rings at round numbers of hours, labelled.",
    ),
    "matrix": (
        "Travel-time matrix",
        "Fastest journey between every two places, door to door (no waiting), west to east.",
    ),
    "centrality": (
        "Centrality",
        "Each place's measures, ranked; each column says the network it was computed on.",
    ),
    "years": (
        "2020 and today by train",
        "The train part of the fastest journey door to door from Shanghai Hongqiao and "
        "Shanghai Station to each city (to the city's station the journey arrives at), on the "
        "network of about 2020 and of today, with the ranges the article's claims allow.",
    ),
    "timeline": (
        "Door to door, year by year",
        "The fastest journey from {origin} to each place on the network at the end of each year "
        "(the lines opened by then, today's trains); a marker at each step in the colour of the "
        "line opened that year that the new journey rides.",
    ),
    "critical": (
        "The most critical track links",
        "The 15 track links whose closure, with every train riding them, costs the places the "
        "most extra minutes door to door (population-weighted), with the share of pairs slower.",
    ),
    "criticality": (
        "Where the network is fragile",
        "Each track link coloured and widened by its loss when closed with its trains; the "
        "six most critical named.",
    ),
    "changes": (
        "What the new lines changed",
        "Each place's fastest journey from {origin}, door to door, in the first year it was "
        "reached and today; circle size: the minutes saved; colour and label: the line behind "
        "the largest step.",
    ),
    "sectors": (
        "Sectors",
        "Left: each place's listed industries under their canonical names (a square names a "
        "whole family: overlap, never a complement), places grouped by cluster. Right: each "
        "pair's complementarity (related but different industries; 0: none).",
    ),
    "lq": (
        "Measured specialisation",
        "Location quotient of each place's employment in each GB/T 4754 section (2019, urban "
        "units), against the {regions} Chinese cities of the measured layer: above 1 (red) the "
        "place is specialised; grey: unknown for the place.",
    ),
    "industry": (
        "The industry space",
        "Sections linked by proximity (how often the same cities are specialised in both), the "
        "backbone and the strongest links; colour: how many of the places are specialised.",
    ),
    "window": (
        "Median travel time by timetable",
        "Median minutes from {origin} over departures {window} (real {vehicles}, waiting "
        "included).",
    ),
    "day": (
        "Reach by departure time",
        "{reached_what} reached from {origin} within 1, 2 and 3 h, for a departure every 15 "
        "min from 05:00 to 23:00 (waiting included).",
    ),
    "scenario": (
        "Scenario: {scenario}",
        "Mean minutes from each place to the others, in the base network and in the scenario.",
    ),
}


#: Captions for a network whose nodes are its places (no stations under places): a station
#: network (a national one, an imported feed) or a small network of places.
FIGURES_ONE_LEVEL = {
    "map": (
        "The network",
        "Each node and the links between them, coloured by line; on a large network the "
        "labelled nodes are those with the most {vehicles} calling (the most links without a "
        "timetable), spread out.",
    ),
    "reach": (
        "Reach from {origin}",
        "{Stops} by fastest scheduled minutes from {origin} (no waiting), and the fastest routes.",
    ),
}


def _figure_text(kind: str, two_level: bool, **values: str) -> tuple[str, str]:
    heading, caption = FIGURES[kind] if two_level else FIGURES_ONE_LEVEL.get(kind, FIGURES[kind])
    return heading.format(**values), caption.format(**values)


def _markdown(
    ds: Dataset,
    r: Results,
    when: tuple[tuple[float, float], float],
    tables: dict[str, pd.DataFrame],
    comparisons: dict[str, ScenarioComparison],
    figures: dict[str, tuple[str, str | None]],
) -> str:
    origin = r.origin
    bands = tables[f"reach_bands_{origin}"]
    c = tables["centrality"]
    # raw here: a table escapes its cells (_cell), a sentence its names (who, md_text)
    names = ds.nodes["name"].to_dict()

    def who(node: str) -> str:
        """Return a place's name, with its id when they differ."""
        name = str(names.get(node, node))
        return md_text(name) if name == str(node) else f"{md_text(name)} ({md_text(node)})"

    (w_start, w_end), step = when
    span = f"{format_clock(w_start)}-{format_clock(w_end)} every {step:g} min"
    start = _origin_words(ds, origin, who)
    w = words(ds)
    # what the network's nodes are, in a sentence: places over stations, else its stops
    unit = "places" if has_stations_under_places(ds.nodes) else w.stops
    has_population = bool(ds.nodes["population"].notna().any())
    parts = [
        f"# {md_text(ds.title)}",
        "",
        f"belt-graph report on the dataset `{ds.name.replace('`', '')}`.",
        "",
    ]
    claims = "; the claims are checked from each origin they list" if "claims" in tables else ""
    parts.append(
        f"**Origins.** Reach, bands, the travel-time map and the timetable sections start from "
        f"{start}{claims}. **Counts of {unit} reached include the origin itself**, everywhere "
        "in this report (it is reached in 0 minutes), and so do the population and GDP reached."
    )
    if r.services:
        expected = (
            f" Expected times, which add to each boarding half the headway of its {w.vehicle} "
            f"(from the {w.vehicles} per day over 06:00-24:00, at most 30 min), are in "
            "`tables/travel_time_matrix_expected.csv`."
            if "travel_time_matrix_expected" in tables
            else ""
        )
        from ..network import network_label

        ends = (
            f" Between places they are {network_label(ds, ends=True).split('; ')[-1]}: a "
            f"station kilometres away never counts as the place for nothing, and every answer "
            "names the station at each end."
            if unit == "places"
            else ""
        )
        year = network_label(ds, ends=False)
        claims_count = (
            " The article's claims are checked on the train part of each journey (from its "
            "first station to its last), as they count, with the door-to-door minutes beside."
            if "claims" in tables
            else ""
        )
        parts += [
            "",
            f"**Times.** Minutes on board, walking and changing: every link is one "
            f"{w.vehicle}'s ride, and every change of {w.vehicle} costs the {w.stop}'s minimum "
            f"change time ({S.DEFAULT_MIN_TRANSFER_MINUTES:g} min unless the {w.stop} gives its "
            f"own); no wait for the first {w.vehicle}.{ends}{claims_count}"
            + (f" The {year}." if year else "")
            + expected,
        ]
    parts += ["", "## Key findings", ""]
    parts += _reach_findings(ds, bands, origin, who, unit)
    parts += _centrality_findings(c, who, w)
    tt_key = f"accessibility_{origin}"
    if tt_key in tables:
        parts += _timetable_finding(tables[tt_key], r, origin, span, who, w, unit)
    if "measured_sector_pairs" in tables and len(tables["measured_sector_pairs"]):
        # measured first: a listed pair may rest on two names of one sector
        m = tables["measured_sector_pairs"]
        best = m[m["complementarity"].notna()]
        if len(best):
            from ..sectors.measured import MIN_SUPPORT

            p = best.iloc[0]
            related = str(p["complementary_sectors"])  # in words; the codes in their own column
            parts.append(
                f"- Most complementary pair by measured employment (2019, specialised where "
                f"LQ >= 1 against China's cities): {who(p['origin'])} and "
                f"{who(p['destination'])} (complementarity {p['complementarity']:.2f}, the mean "
                f"proximity of {p['support']} pairs of sectors only one of them is specialised "
                f"in; the closest: {related.replace(';', '; ')}; sections of GB/T 4754; a pair "
                f"needs {MIN_SUPPORT} specialisations a side and {MIN_SUPPORT} such pairs)."
            )
    if "sector_pairs" in tables and len(tables["sector_pairs"]):
        p = tables["sector_pairs"].iloc[0]
        layer = (
            "by the industries the sources list (one canonical name per industry, so near-"
            "synonyms count as overlap; families of NBS's strategic emerging industries 2018 "
            "and GB/T 4754)"
            if "measured_sector_pairs" in tables
            else ""
        )
        if p["complementarity"] > 0:
            parts.append(
                f"- Most complementary pair{' ' + layer if layer else ''}: "
                f"{who(p['origin'])} and {who(p['destination'])} "
                f"(complementarity {p['complementarity']:.2f}: "
                f"{str(p['complementary_sectors']).replace(';', '; ')})."
            )
        elif layer:
            parts.append(f"- No pair of places has complementary listed industries ({layer}).")
        else:
            why = complementarity_note(r.sectors)
            parts.append(
                f"- Sectors: {why}." if why else "- No pair of places has complementary sectors."
            )
    if "criticality" in tables and len(tables["criticality"]):
        top = tables["criticality"].iloc[0]
        parts.append(
            f"- Most critical track link: {md_text(top['source_name'])} – "
            f"{md_text(top['target_name'])} ({md_text(top['line'])}); closed with its "
            f"{top['trains']} trains, journeys between places "
            f"take {top['loss']:.1f} min longer on average (population-weighted), "
            f"{top['pair_share']:.0%} of pairs slower."
        )
    scenarios = {name: read_scenario(ds.scenarios[name]) for name in ds.scenarios}
    for name, cmp in comparisons.items():
        parts += _scenario_finding(scenarios[name], cmp, who)
    parts += ["", "## Explore", "", EXPLORER_MARK]
    if "claims" in tables:
        parts += _claims_section(tables["claims"], names)
    if "shanghai_times_2020_2025" in tables:
        parts += _years_section(tables["shanghai_times_2020_2025"], names)
    if f"times_by_year_{origin}" in tables:
        from ..history import line_openings

        parts += _by_year_section(
            tables[f"times_by_year_{origin}"], line_openings(ds), names, origin
        )
    if "criticality" in tables:
        parts += _critical_section(tables["criticality"])
    parts += ["", "## Figures"]
    two_level = has_stations_under_places(ds.nodes)
    for n, (fname, (kind, scenario)) in enumerate(figures.items(), start=1):
        regions = ds.measures["region"].nunique() if len(ds.measures) else 0
        heading, caption = _figure_text(
            kind,
            two_level,
            origin=who(origin),
            window=span,
            scenario=md_text(scenarios[scenario].title) if scenario else "",
            regions=f"{regions:,}",
            vehicles=w.vehicles,
            Stops=w.stops.capitalize(),
            reached_what="People in the places" if has_population else f"How many {unit} are",
        )
        if scenario and scenarios[scenario].summary:
            caption = f"{caption} {_sentence(scenarios[scenario].summary)}"
        parts += [
            "",
            f"### Figure {n}. {heading}",
            "",
            f"![{heading}](figures/{fname}.png)",
            "",
            f"*{caption}*",
        ]
    parts += ["", "## Tables", "", "Every table is in `tables/` as CSV. The main ones:"]
    shown_bands = bands if has_population else bands[["places"]]
    shown_bands = shown_bands.loc[:, (shown_bands != "").any() & shown_bands.notna().any()]
    parts += [
        "",
        f"### Reach from {who(origin)} by hours (the origin included)",
        "",
        _md_table(shown_bands),
    ]
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
            f"### By timetable from {who(origin)}, leaving {span}",
            "",
            "Percentiles of the minutes over the departures (nearest rank; waiting at the "
            "origin included), the share of departures arriving within 1, 2 and 3 h, and the "
            "fastest route over the links (no waiting) beside them.",
            "",
            _md_table(t, rows=MD_ROWS),
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
    parts += ["", "### Centrality", "", _md_table(c[show], rows=MD_ROWS)]
    matrix = tables.get("travel_time_matrix")
    if matrix is not None and len(matrix) <= MD_ROWS:
        m = matrix.copy()
        m.index = [names.get(i, i) for i in m.index]
        m.columns = [names.get(i, i) for i in m.columns]
        m.index.name = "from"
        parts += ["", "### Travel-time matrix (minutes)", "", _md_table(m)]
    else:
        where = "travel_time_matrix.csv" if matrix is not None else "travel_time_matrix.npz"
        parts += ["", "### Travel-time matrix", "", f"Too large to show here: `tables/{where}`."]
    if "clusters" in tables:
        cl = tables["clusters"].copy()
        for col in ("places", "sectors", "families"):
            if col in cl.columns:
                cl[col] = cl[col].astype(str).str.replace(";", ", ")
        parts += ["", "### Sector clusters (Louvain, seed 0)", "", _md_table(cl)]
    if "listed_against_measured" in tables and len(tables["listed_against_measured"]):
        parts += _listed_section(tables["listed_against_measured"], who)
    for name, cmp in comparisons.items():
        rr = cmp.reach.copy()
        rr.insert(0, "name", [names.get(i, i) for i in rr.index])
        parts += [
            "",
            f"### Scenario: {md_text(scenarios[name].title)}: places and people within "
            f"{cmp.hours:g} h "
            "(the origin included)",
            "",
            _md_table(rr),
        ]
    summary = dataset_summary(ds, graph=r.graph).rstrip()
    for path in {str(ds.path), str(ds.path.resolve())}:
        summary = summary.replace(path, ds.name)
    parts += ["", "## Data and sources", "", "```", summary, "```", ""]
    parts.append(
        "See the dataset's datasheet (its README.md) for every column, source and licence."
    )
    return "\n".join(parts) + "\n"


def _listed_section(t: pd.DataFrame, who: Callable[[str], str]) -> list[str]:
    """Return the table of listed industries beside the measured LQ of their section."""
    shown = t[t["section"] != ""].copy()
    held = int(shown["specialised"].astype(bool).sum())
    shown.insert(0, "name", [who(p) for p in shown["place"]])
    shown["lq"] = shown["lq"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    shown["specialised"] = shown["specialised"].map({True: "yes", False: "no"}).fillna("")
    left = len(t) - len(shown)
    # a place's note (Putuo: whose profile, what it leaves out) once, under the table
    notes = dict.fromkeys(
        f"{who(p)}: {md_text(n)}" for p, n in zip(shown["place"], shown["note"], strict=True) if n
    )
    return [
        "",
        "### Listed industries against measured employment",
        "",
        f"The two sector layers side by side: each industry the sources list for a place, the "
        f"GB/T 4754 section it belongs to, and the place's location quotient in that section "
        f"(2019 employment). {held} of {len(shown)} listed industries sit in a section where "
        f"the place is specialised. A section is coarse: every manufacturing industry is in "
        f"C, so 'yes' there says the place is specialised in manufacturing, not in that "
        f"industry."
        + (
            f" {left} listed industries that span several sections (such as new energy or "
            f"new-generation IT) are left out."
            if left
            else ""
        ),
        "",
        _md_table(shown.drop(columns=["place", "note"]), index=False),
        *(["", *(f"- {n}" for n in notes)] if notes else []),
    ]


def _origin_words(ds: Dataset, origin: str, who: Callable[[str], str]) -> str:
    """Return the origin, and the stations it starts from when it is a place with stations.

    Those its access links reach: its own stations, and for a district the city's stations
    of no place it also uses (Putuo: Shanghai West, Shanghai Station and Hongqiao).
    """
    nodes, links = ds.nodes, ds.links
    if "place" not in nodes.columns or "kind" not in links.columns:
        return who(origin)
    access = links[(links["kind"] == "access") & (links["status"] == "open")]
    ends = [
        b if a == origin else a
        for a, b in zip(access["source"], access["target"], strict=True)
        if origin in (a, b)
    ]
    if not ends:
        return who(origin)
    stations = ", ".join(f"{nodes.at[s, 'name']} ({s})" for s in dict.fromkeys(ends))
    return (
        f"{who(origin)}, door to door through {'one of ' if len(ends) > 1 else ''}its "
        f"station{'s' if len(ends) > 1 else ''} {stations}"
    )


def _reach_findings(
    ds: Dataset, bands: pd.DataFrame, origin: str, who: Callable[[str], str], unit: str
) -> list[str]:
    has_population = bool(ds.nodes["population"].notna().any())
    out = []
    for h, row in bands.iterrows():
        n = int(row["places"])
        places = f"{n:,} {unit if n != 1 else unit.removesuffix('s')}"
        if not has_population:
            out.append(
                f"- Within {h:g} h of {who(origin)} over the fastest links: {places}; this "
                "dataset has no population or GDP."
            )
            continue
        pop = (
            f"{row['population'] / 1e6:,.1f} million people ({row['population_share']:.0%} of "
            "the known total)"
            if isinstance(row["population"], float) and math.isfinite(row["population"])
            else "population unknown"
        )
        gdp = (
            f"GDP {row['gdp_cny_bn']:,.0f} bn CNY ({row['gdp_share']:.0%})"
            if isinstance(row["gdp_cny_bn"], float) and math.isfinite(row["gdp_cny_bn"])
            else "GDP unknown"
        )
        extra = []
        if row.get("population_unknown"):
            extra.append(f"population unknown for {row['population_unknown']}")
        if row.get("gdp_unknown"):
            extra.append(f"GDP unknown for {row['gdp_unknown']}")
        more = f" ({'; '.join(extra)})" if extra else ""
        out.append(f"- Within {h:g} h of {who(origin)}: {places}, {pop}, {gdp}{more}.")
    return out


def _centrality_findings(c: pd.DataFrame, who: Callable[[str], str], w: Words) -> list[str]:
    acc = measure(c, "accessibility")
    top = c.index[0]
    lead = (
        f"Highest population accessibility (exponential decay, 60 min): {who(top)}"
        if c[acc].notna().any()
        else f"Highest closeness: {who(top)}"
    )
    # a place in a small component has a short mean to the few it reaches: compare only
    # places that reach as many others as any place does
    reach_col, mean_col = measure(c, "reachable"), measure(c, "mean_minutes")
    full = c[c[reach_col] == c[reach_col].max()]
    if not full[mean_col].notna().any():
        return [f"- {lead}; no place reaches another by {w.mode}, so no travel time is known."]
    best_mean = full[mean_col].idxmin()
    bet = measure(c, "betweenness")
    return [
        f"- {lead}; shortest mean travel time: {who(best_mean)}, "
        f"{full[mean_col].min():.0f} min to the {int(full[reach_col].max()):,} others it "
        f"reaches; highest betweenness ({_net_word(bet.split('_')[-1], w.mode)} network): "
        f"{who(c[bet].idxmax())}."
    ]


def _net_word(net: str, mode: str) -> str:
    """Return a network's name for a sentence: a bus feed's ``track`` is its route network."""
    return "route" if net == "track" and mode not in ("rail", "metro") else net


def _timetable_finding(
    t: pd.DataFrame,
    r: Results,
    origin: str,
    span: str,
    who: Callable[[str], str],
    w: Words,
    unit: str,
) -> list[str]:
    if not len(t):
        return [f"- By timetable, leaving {who(origin)} {span}: nothing is reached."]
    by_links = r.links_within(3.0) + 1  # the origin included
    n_dep = int(t["departures"].iat[0])
    median = int((t["p50"] <= 180 + 1e-6).sum()) + 1
    always = int((t["share_within_3h"] >= 1).sum()) + 1
    ever = int((t["share_within_3h"] > 0).sum()) + 1
    added = (t["p50"] - t["link_minutes"]).dropna()
    added90 = (t["p90"] - t["link_minutes"]).dropna()
    text = (
        f"- By timetable, leaving {who(origin)} at any of the {n_dep} departures {span}: "
        f"{median:,} {unit} within 3 h at the median departure ({always:,} at every one, "
        f"{ever:,} at some), against {by_links:,} over the fastest links with no waiting."
    )
    if len(added):
        text += (
            f" Across the {unit}, the median departure takes a median {added.median():.0f} min "
            f"more than the fastest links (the wait for the {w.vehicle} included), the "
            f"90th-percentile departure {added90.median():.0f} min more."
        )
    return [text]


def _sentence(text: str) -> str:
    """Text as a sentence: a capital first, a full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _scenario_finding(
    scenario: Scenario, cmp: ScenarioComparison, who: Callable[[str], str]
) -> list[str]:
    head = f"- **Scenario: {md_text(scenario.title)}** (`{scenario.name}`)"
    about = f" {_sentence(scenario.summary)}" if scenario.summary else ""
    if scenario.sources:
        about += f" Sources: {scenario.sources}."
    m = cmp.minutes
    if not len(m):
        return [f"{head}: no travel time between places changes.{about}"]
    # the table is sorted by the size of the change: the first row is the largest
    best = m.iloc[0]
    base, new = best["minutes_base"], best["minutes_scenario"]
    if math.isnan(base) or math.isnan(new):
        what = "becomes reachable" if math.isnan(base) else "becomes unreachable"
        change = f"{who(best['origin'])}-{who(best['destination'])} {what}"
    else:
        change = (
            f"{who(best['origin'])}-{who(best['destination'])} "
            f"{best['minutes_delta']:+.0f} min ({base:.0f} -> {new:.0f})"
        )
    faster = int((m["minutes_delta"] < 0).sum())
    slower = int((m["minutes_delta"] > 0).sum())
    return [
        f"{head}: {len(m)} place pairs change ({faster} faster, {slower} slower); "
        f"the largest change: {change}.{about}"
    ]
