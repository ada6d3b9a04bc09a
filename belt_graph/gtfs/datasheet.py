"""What is written beside an imported feed's tables.

``metadata.csv``, the agency's attribution and the datasheet (``README.md``) with every rule the
import used.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import schema as S
from .build import WALK_RULE, ZERO_LINK_MINUTES
from .checks import route_category

#: Rows written at a time: the text of a block, not of the whole table, is held at once.
WRITE_BLOCK_ROWS = 100_000


def _write_csv(path: Path, df: pd.DataFrame) -> None:
    """Write a table as CSV (quoted only where a value needs it), quickly, block by block."""
    header = ",".join(_quote(str(c)) for c in df.columns)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(header + "\n")
        for start in range(0, len(df), WRITE_BLOCK_ROWS):
            cols = [_column_text(df[c].to_numpy()[start : start + WRITE_BLOCK_ROWS]) for c in df]
            fh.write("\n".join(map(",".join, zip(*cols, strict=True))) + "\n")


def _column_text(values: np.ndarray) -> list[str]:
    """Return a column's values as CSV fields (quoted where they need it)."""
    text: list[str]
    if values.dtype == object:
        text = values.tolist()
    else:  # each distinct number written once (a timetable's sequence: 1 to 100 or so)
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        written = np.asarray(uniques).astype(str).tolist()  # as numpy writes each
        text = np.array(written, dtype=object)[codes].tolist()
    try:
        joined = "\x1e".join(text)
    except TypeError:  # not all text
        text = [v if isinstance(v, str) else str(v) for v in text]
        joined = "\x1e".join(text)
    if "," in joined or '"' in joined or "\n" in joined or "\r" in joined:
        text = [_quote(v) for v in text]
    return text


def _quote(v: str) -> str:
    if "," in v or '"' in v or "\n" in v or "\r" in v:
        return '"' + v.replace('"', '""') + '"'
    return v


def _feed_info(info: dict[str, Any]) -> dict[str, str]:
    t = info["feed_info"]
    if t is None or not len(t):
        return {}
    return {str(k): str(v) for k, v in t.df.iloc[0].to_dict().items()}


#: What a dataset's metadata.csv takes as a URL (the loader's rule).
WEB_URL = re.compile(S.WEB_URL_PATTERN)


def _metadata(info: dict[str, Any]) -> pd.DataFrame:
    ag = info["agencies"]
    fi = _feed_info(info)
    rows = []
    if len(ag):
        rows.append(("timezone", str(ag["agency_timezone"].iat[0]), "GTFS agency.txt"))
    url = fi.get("feed_publisher_url") or (str(ag["agency_url"].iat[0]) if len(ag) else "")
    if url and not WEB_URL.match(url):
        url = ""  # not a web address (the importer warns): left out, as the dataset requires
    if url:
        rows.append(("url", url, "GTFS feed_info.txt" if fi else "GTFS agency.txt"))
    lang = fi.get("feed_lang") or (str(ag["agency_lang"].iat[0]) if len(ag) else "")
    if lang:
        rows.append(("language", lang, "GTFS feed_info.txt" if fi else "GTFS agency.txt"))
    day = info["date"].isoformat()
    rows += [
        ("service_start", day, "the service day imported"),
        ("service_end", day, "the service day imported"),
        ("source_feed", info["feed"].name, "import-gtfs"),
        (
            S.RIDE_ON_TRACK,
            "yes",
            "import-gtfs: a track link joins consecutive stops of a route; riding on along the "
            "route is one ride",
        ),
    ]
    if fi.get("feed_version"):
        rows.append(("feed_version", fi["feed_version"], "GTFS feed_info.txt"))
    return pd.DataFrame(rows, columns=["key", "value", "source"])


def _attribution(info: dict[str, Any]) -> str:
    ag = info["agencies"]
    names = "; ".join(dict.fromkeys(map(str, ag["agency_name"]))) if len(ag) else ""
    fi = _feed_info(info)
    publisher = fi.get("feed_publisher_name", "")
    parts = [f"Timetable: {names or 'unknown agency'} (GTFS feed {info['feed'].name}"]
    if publisher and publisher != names:
        parts[0] += f", published by {publisher}"
    parts[0] += f"; service day {info['date'].isoformat()})."
    return " ".join(parts)


def _datasheet(info: dict[str, Any]) -> str:
    ag = info["agencies"]
    names = "; ".join(dict.fromkeys(map(str, ag["agency_name"]))) if len(ag) else "unknown agency"
    fi = _feed_info(info)
    day = info["date"].isoformat()
    routes = info["routes"]
    cats = routes["route_type"].map(route_category).value_counts()
    lines = [
        f"# Datasheet: {names}, timetable of {day} (GTFS import)",
        "",
        f"Imported by `belt-graph import-gtfs` from the GTFS feed `{info['feed'].name}`: "
        f"{info['n_nodes']:,} stations, {info['n_links']:,} links, "
        f"{info['n_train']:,} trips with {info['n_calls']:,} calls on {day}"
        + (
            f" (the date with the most trips, {info['trips']:,}; `--date` picks another)."
            if info["busiest"]
            else " (given with `--date`)."
        ),
        "",
        "The timetable is that one service day, as the feed's calendar runs it: times past "
        "24:00 are the next morning, and after midnight the trips still running are the "
        "previous day's ones (the day before's service, `service_day` -1 in `timetable.csv`, "
        f"{info.get('n_previous', 0):,} trips), not this day's own late trips, which run the "
        "night after. Nothing repeats on another day: a journey leaving late in the evening "
        "can only take this day's trips.",
        "",
        "## Source and attribution",
        "",
    ]
    for r in ag.to_dict("records") if len(ag) else []:
        lines.append(
            f"- Agency: {r['agency_name']} ({r['agency_url']}), time zone {r['agency_timezone']}."
        )
    if not len(ag):
        lines.append("- The feed has no agency.txt: the operator is unknown.")
    if fi:
        extra = ", ".join(
            f"{k} {fi[k]}"
            for k in ("feed_version", "feed_start_date", "feed_end_date")
            if fi.get(k)
        )
        lines.append(
            f"- Published by {fi.get('feed_publisher_name', '')} "
            f"({fi.get('feed_publisher_url', '')})" + (f"; {extra}" if extra else "") + "."
        )
    att = info["attributions"]
    if att is not None and len(att):
        for r in att.df.to_dict("records"):
            lines.append(f"- Attribution (attributions.txt): {r['organization_name']}.")
    lines += [
        "- The feed's licence is the publisher's: check it before you share this folder, and "
        "credit the agency as `attribution.txt` does.",
        "",
        "## What was imported",
        "",
        f"- Service day {day}: the trips whose service runs that day by `calendar.txt` and "
        "`calendar_dates.txt`. belt-graph repeats one day's timetable every day, so a search "
        "that runs past midnight uses the same day's trips again.",
        "- Route types kept: "
        + (", ".join(info["route_types"]) if info["route_types"] else "all")
        + "; agencies kept: "
        + (", ".join(info["agency_filter"]) if info["agency_filter"] else "all")
        + ". Routes by category: "
        + ", ".join(f"{k} {v}" for k, v in cats.items())
        + ".",
        "- Nodes are stations: a stop with a `parent_station` is merged into it (consecutive "
        "calls of a trip at one station become one call); a stop without one is its own station. "
        "`id` is the GTFS `stop_id`; `gtfs_stops` counts the stops merged.",
        f"- `frequencies.txt`: {info['frequencies']} rule(s) expanded into trips named "
        "`trip_id@HH:MM:SS` (the first departure).",
        f"- Times between timepoints: {info['interpolated']:,} call(s) had no time and were "
        "interpolated linearly in the distance travelled (`shape_dist_traveled`, else the "
        "great-circle distance between the stops), to the second.",
        "- `pickup` / `drop_off` `no` where the feed's pickup or drop-off type is 1 (none); "
        "types 2 and 3 (arranged with the agency or driver) are taken as allowed.",
        "",
        "## Links",
        "",
        "One link per route and pair of stations consecutive in one of its trips: the fastest "
        "in-vehicle minutes over the route's trips of the day (arrival at the second minus "
        "departure from the first, in either direction), the line (`route_short_name`, else "
        "`route_long_name`) and mode, and how many trips run it. A link is `track` when no trip "
        "passes stations between the two, `service` (an express) when one does "
        f"({info['express']:,} links). A route's links chain its stops, so riding on along one "
        "line is one ride, with no change (`metadata.csv`: `ride_on_track` `yes`); a change "
        "between lines costs the station's minimum change time.",
        f"- {info['zero_links']:,} link(s) take 0 s in every trip (two stops timed to the same "
        f"second): {ZERO_LINK_MINUTES} min, `confidence` `estimated`.",
        "",
        "## Changes between trips",
        "",
        f"- {info['own_change']:,} station(s) have their own minimum change time from "
        "`transfers.txt` (type 2, the longest where several); the others "
        f"{info['min_transfer']:g} min (`--min-transfer-minutes`, an assumption): the "
        "`min_transfer_minutes` column of `nodes.csv`.",
        f"- {info['transfer_links']:,} change(s) between stations from `transfers.txt` are "
        "`transfer` links (mode `walk`; their minutes include the change).",
    ]
    if info["max_walk"] > 0:
        lines.append(
            f"- {info['walk_links']:,} walk(s) between stations within {info['max_walk']:g} m "
            f"(great-circle) are `transfer` links, minutes = distance x "
            f"{WALK_RULE['route_factor']} / {WALK_RULE['speed_kmh']} km/h (`confidence` "
            "`estimated`)."
        )
    else:
        lines.append("- No other walks between stations (`--max-walk-meters` was 0).")
    dropped = info.get("dropped", [])
    if dropped:
        lines += ["", "## Trips left out", ""]
        lines.append(
            f"{len(dropped):,} trip(s) had a fault of their own and were left out (the import's "
            "`strict` refuses such a feed instead); each with its first fault:"
        )
        lines.append("")
        lines += [f"- {d}" for d in dropped]
    warned = [w for w in info["warnings"] if w not in set(dropped)]
    if warned:
        lines += ["", "## Warnings of the import", ""]
        lines += [f"- {w}" for w in warned]
    lines += [
        "",
        "## Files",
        "",
        "`nodes.csv`, `links.csv` and `timetable.csv` in belt-graph's format (see the "
        "package's `data/README.md`); `metadata.csv` (time zone, publisher URL, language, "
        "service day); `attribution.txt` (the credit line printed on maps).",
        "",
    ]
    return "\n".join(lines)
