"""Helpers shared by several test modules (their fixtures are in conftest.py)."""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
import shutil
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.cli import cli
from belt_graph.dataset import parse_clock
from belt_graph.schema import DEFAULT_MIN_TRANSFER_MINUTES

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
NATIONAL = ROOT / "data" / "cn-rail-2020"
NATIONAL_DIR = str(NATIONAL)
FEEDS = TEST_DATA / "gtfs"
CAIRNS = FEEDS / "cairns_gtfs.zip"


@st.composite
def random_graphs(draw: st.DrawFn) -> nx.Graph:
    n = draw(st.integers(2, 12))
    G = nx.Graph()
    for i in range(n):
        G.add_node(i, kind="city")
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.floats(0.5, 200)),
            max_size=30,
        )
    )
    for u, v, w in edges:
        if u != v:
            G.add_edge(u, v, minutes=w)
    return G


TOY = str(bg.toy_path())


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


@st.composite
def weighted_graphs(
    draw: st.DrawFn, max_nodes: int = 14, whole: bool = True, zeros: bool = False
) -> nx.Graph:
    """Random, possibly disconnected graphs; small integer weights make equal-length ties.

    ``whole=False``: weights that are not whole minutes (0.25 ... 3.3), whose float sums tie
    or not as floats do (1.1 + 2.2 is not 3.3). ``zeros=True``: whole weights from 0.
    """
    n = draw(st.integers(1, max_nodes))
    G = nx.Graph()
    G.add_nodes_from(range(n), kind="station")
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n)]
    values = (
        st.integers(0 if zeros else 1, 4).map(float)
        if whole
        else st.sampled_from([0.25, 0.5, 1.1, 2.2, 3.3])
    )
    for u, v in draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []:
        G.add_edge(u, v, minutes=draw(values))
    return G


def assert_matrix_equals_networkx(G: nx.Graph) -> None:
    """``travel_time_array(G)`` is NetworkX's Dijkstra, NaN where no path exists."""
    import belt_graph as bg

    ids, m = bg.travel_time_array(G)
    ref = dict(nx.all_pairs_dijkstra_path_length(G, weight="minutes"))
    for i, u in enumerate(ids):
        for j, v in enumerate(ids):
            assert (m[i, j] == ref[u][v]) if v in ref[u] else math.isnan(m[i, j])


EXAMPLES = int(os.environ.get("BELT_GRAPH_FUZZ_EXAMPLES", "60"))


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("BELT_GRAPH_FUZZ_EXAMPLES") is None,  # CI: the same examples
)


TIMETABLE = (
    "train,sequence,station,arrival,departure\n"
    "T1,1,A,,08:00\nT1,2,B,08:20,08:22\nT1,3,C,08:50,\n"
    "T2,1,C,,09:10\nT2,2,D,09:50,\n"
)


CLAIMS = (
    "claim_id,text,kind,subject,param,low,high,unit,source_ref\n"
    "pop,Four places hold over 5000 people,population_total,A;B;C;D,,5000,,persons,toy\n"
    "ab,A to B in half an hour,travel_minutes,A>B,,10,40,minutes,toy\n"
    "rich,Two above 15,gdp_count_above,A;B;D,15,2,2,places,toy\n"
)


#: Text that tends to break readers: numbers in odd forms, unicode, separators, huge values.
NASTY = [
    "",
    " ",
    "nan",
    "inf",
    "-inf",
    "-0",
    "1e308",
    "1e-320",
    "1_000",
    "１０",
    "٣٠",
    "0x10",
    "12.5.3",
    "NaN",
    "\u2028",
    "\x0c",
    "\x85",
    "a\nb",
    '"',
    ",",
    ";",
    ">",
    "A>",
    "A;;B",
    "Ａ",
    "a" * 300,
    "2025-02-30",
    "20250217",
    "25:99",
    "99:00",
    "-5",
    "0",
    "H",
    "A",
    "Z",
]


def base_dataset(folder: Path) -> Path:
    shutil.copytree(bg.toy_path(), folder)
    (folder / "timetable.csv").write_text(TIMETABLE, encoding="utf-8")
    (folder / "claims.csv").write_text(CLAIMS, encoding="utf-8")
    return folder


FILES = [
    "nodes.csv",
    "links.csv",
    "sectors.csv",
    "sector_taxonomy.csv",
    "partnerships.csv",
    "timetable.csv",
    "claims.csv",
    "scenarios/faster_red.csv",
]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _write_rows(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


@st.composite
def mutation(draw: st.DrawFn, original: bytes) -> bytes:
    kind = draw(
        st.sampled_from(["bytes", "encoding", "header", "cell", "row", "truncate", "unicode"])
    )
    if kind == "bytes":
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            op = draw(st.sampled_from(["insert", "delete", "replace"]))
            chunk = draw(st.binary(min_size=1, max_size=4))
            if op == "insert":
                data[at:at] = chunk
            elif op == "delete":
                del data[at : at + len(chunk)]
            else:
                data[at : at + len(chunk)] = chunk
        return bytes(data)
    if kind == "encoding":
        text = original.decode("utf-8")
        enc = draw(st.sampled_from(["utf-16", "utf-8-sig", "gb18030", "latin-1", "cp1252"]))
        return text.encode(enc, errors="replace")
    if kind == "truncate":
        return original[: draw(st.integers(0, len(original)))]
    rows = _rows(original)
    if kind == "header" and rows:
        header = rows[0]
        op = draw(st.sampled_from(["drop", "rename", "duplicate", "swap", "blank"]))
        i = draw(st.integers(0, len(header) - 1))
        if op == "drop":
            rows = [r[:i] + r[i + 1 :] for r in rows]
        elif op == "rename":
            header[i] = draw(st.sampled_from([*NASTY, header[i].upper()]))
        elif op == "duplicate":
            header[(i + 1) % len(header)] = header[i]
        elif op == "swap":
            j = draw(st.integers(0, len(header) - 1))
            header[i], header[j] = header[j], header[i]
        else:
            header[i] = ""
        return _write_rows(rows)
    if len(rows) < 2:
        return original
    r = draw(st.integers(1, len(rows) - 1))
    if kind == "row":
        op = draw(st.sampled_from(["duplicate", "delete", "short", "long"]))
        if op == "duplicate":
            rows.insert(r, list(rows[r]))
        elif op == "delete":
            del rows[r]
        elif op == "short":
            rows[r] = rows[r][:-1]
        else:
            rows[r] = [*rows[r], "extra"]
        return _write_rows(rows)
    c = draw(st.integers(0, len(rows[r]) - 1))
    if kind == "cell":
        rows[r][c] = draw(st.sampled_from(NASTY))
    else:
        alphabet = st.characters(blacklist_categories=("Cs",))
        rows[r][c] = draw(st.text(alphabet=alphabet, min_size=0, max_size=12))
    return _write_rows(rows)


@st.composite
def mutated_folder(draw: st.DrawFn) -> dict[str, bytes]:
    """File name -> new content for one to three files of the base dataset."""
    with tempfile.TemporaryDirectory() as tmp:
        base = base_dataset(Path(tmp) / "ds")
        out = {}
        for name in draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=3, unique=True)):
            out[name] = draw(mutation((base / name).read_bytes()))
        return out


def apply(folder: Path, changes: dict[str, bytes], *, drop_empty: bool = False) -> None:
    for name, content in changes.items():
        if drop_empty and not content:
            (folder / name).unlink(missing_ok=True)
        else:
            (folder / name).write_bytes(content)


def load_or_located_error(folder: Path) -> bg.Dataset | None:
    try:
        return bg.load_dataset(folder)
    except bg.DataFileError as err:
        assert err.problems and err.total >= len(err.problems)
        for p in err.problems:
            assert p.path.startswith(str(folder)), p
            assert p.message.strip(), p
            assert p.line is None or p.line >= 1, p
        assert str(err).splitlines()[0].endswith(":")
        return None


SAMPLE = FEEDS / "sample_gtfs.zip"


def raw(feed: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(feed) as z:
        return list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8-sig"))))


def write_feed(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


BASE = {
    "agency.txt": "agency_name,agency_url,agency_timezone\nTest Rail,https://example.org,Europe/Berlin\n",
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
        "HBF,Hauptbahnhof,51.0,7.0,1,\n"
        "HBF1,Hauptbahnhof platform 1,51.0001,7.0,0,HBF\n"
        "HBF2,Hauptbahnhof platform 2,51.0002,7.0,0,HBF\n"
        "WEST,West,51.0,6.9,0,\n"
        "NORD,Nord,51.1,7.0,0,\n"
        "NORD2,Nord bus,51.1010,7.0,0,\n"
    ),
    "routes.txt": "route_id,route_short_name,route_type\nS1,S1,2\nB1,Bus 1,3\n",
    "trips.txt": "route_id,service_id,trip_id\nS1,D,t1\nS1,D,t2\nB1,D,b1\n",
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "D,1,1,1,1,1,1,1,20240101,20241231\n"
    ),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "t1,08:00:00,08:00:00,WEST,1\n"
        "t1,08:10:00,08:11:00,HBF1,2\n"
        "t2,08:20:00,08:20:00,HBF2,1\n"
        "t2,08:35:30,08:35:30,NORD,2\n"
        "b1,08:40:00,08:40:00,NORD2,1\n"
        "b1,08:55:00,08:55:00,WEST,2\n"
    ),
    "transfers.txt": (
        "from_stop_id,to_stop_id,transfer_type,min_transfer_time\n"
        "HBF1,HBF2,2,240\n"
        "NORD,NORD2,2,300\n"
    ),
}


def cairns_brute_force(
    origin: str,
    depart: float,
    horizon: float,
    change: float,
    services: dict[str, int] | None = None,
) -> dict[str, float]:
    """Earliest arrival at every stop of the Cairns feed on Monday 2014-06-02 (the weekday
    service), from the raw files, by a breadth-first search over a time-expanded graph.

    ``services`` maps each service that runs to its day (0: Monday; -1: Sunday, whose times
    are then 24 h earlier, so its trips past 24:00 run on Monday morning); default the weekday
    service alone.

    Events: each call's arrival and departure. Edges: ride to the next call; stay on board;
    at a stop, from an arrival where leaving the bus is allowed to a chain of waiting events in
    time order, from which any departure at least ``change`` minutes later may be boarded where
    boarding is allowed. Missing times are filled linearly in the great-circle distance along
    the trip, to the second. No walks.
    """
    stops = {
        r["stop_id"]: (float(r["stop_lat"]), float(r["stop_lon"])) for r in raw(CAIRNS, "stops.txt")
    }
    runs = services or {"CNS2014-CNS_MUL-Weekday-00": 0}
    day_of = {
        r["trip_id"]: runs[r["service_id"]]
        for r in raw(CAIRNS, "trips.txt")
        if r["service_id"] in runs
    }
    by_trip: dict[tuple[str, int], list[dict[str, str]]] = defaultdict(list)
    for r in raw(CAIRNS, "stop_times.txt"):
        if r["trip_id"] in day_of:
            by_trip[(r["trip_id"], day_of[r["trip_id"]])].append(r)

    def km(a: str, b: str) -> float:
        (la, lo), (lb, lob) = stops[a], stops[b]
        p1, p2 = math.radians(la), math.radians(lb)
        h = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lob - lo) / 2) ** 2
        )
        return 2 * 6371.0 * math.asin(math.sqrt(h))

    events = []  # (trip, index, stop, arrival, departure, may_board, may_leave)
    for trip, rows in by_trip.items():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
        times = [
            bg.parse_clock(r["arrival_time"] or r["departure_time"]) * 60
            if (r["arrival_time"] or r["departure_time"])
            else None
            for r in rows
        ]
        deps = [
            bg.parse_clock(r["departure_time"] or r["arrival_time"]) * 60
            if (r["arrival_time"] or r["departure_time"])
            else None
            for r in rows
        ]
        dist = [0.0]
        for a, b in itertools.pairwise(rows):
            dist.append(dist[-1] + km(a["stop_id"], b["stop_id"]))
        known_i = [i for i, t in enumerate(times) if t is not None]
        for i, t in enumerate(times):
            if t is None:
                lo = max(k for k in known_i if k < i)
                hi = min(k for k in known_i if k > i)
                frac = (dist[i] - dist[lo]) / (dist[hi] - dist[lo])
                times[i] = deps[i] = round(deps[lo] + frac * (times[hi] - deps[lo]))
        shift = trip[1] * 86_400  # Sunday's times are 24 h before Monday's
        times = [t + shift for t in times]
        deps = [t + shift for t in deps]
        for i, r in enumerate(rows):
            events.append(
                (
                    trip,
                    i,
                    r["stop_id"],
                    times[i] / 60,
                    deps[i] / 60,
                    r["pickup_type"] != "1",
                    r["drop_off_type"] != "1",
                )
            )
    import networkx as nx

    E = nx.DiGraph()
    waits: dict[str, list[tuple[float, object]]] = defaultdict(list)
    by_key = {(e[0], e[1]): e for e in events}
    for trip, i, stop, _arr, dep, board, _leave in events:
        if (trip, i + 1) in by_key:
            E.add_edge(("dep", trip, i), ("arr", trip, i + 1))
        E.add_edge(("arr", trip, i), ("dep", trip, i))
        if board and depart <= dep <= depart + horizon:
            waits[stop].append((dep, ("dep", trip, i)))
    for stop, items in waits.items():
        items.sort(key=lambda x: x[0])
        for k, (_t, node) in enumerate(items):
            E.add_edge(("wait", stop, k), node)
            if k + 1 < len(items):
                E.add_edge(("wait", stop, k), ("wait", stop, k + 1))
    import bisect

    for trip, i, stop, arr, _dep, _board, leave in events:
        if i == 0 or not leave or stop not in waits:
            continue
        times = [t for t, _ in waits[stop]]
        k = bisect.bisect_left(times, arr + change)
        if k < len(times):
            E.add_edge(("arr", trip, i), ("wait", stop, k))
    E.add_node("start")
    if origin in waits:
        times = [t for t, _ in waits[origin]]
        k = bisect.bisect_left(times, depart)
        if k < len(times):
            E.add_edge("start", ("wait", origin, k))
    reached = nx.descendants(E, "start")
    best = {origin: depart}
    for trip, i, stop, arr, _dep, _board, leave in events:
        if (
            i
            and leave
            and ("arr", trip, i) in reached
            and arr <= depart + horizon
            and arr < best.get(stop, math.inf)
        ):
            best[stop] = arr
    return best


HEADER = "source,target,minutes,mode,line,status,source_ref,data_year\n"


def run_in_folder(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    # click's own exits are SystemExit; anything else escaping is a traceback for the user
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


def toy_copy(tmp_path: Path, name: str = "ds", **files: str | bytes | None) -> Path:
    """A copy of the toy dataset with some files replaced (None deletes the file)."""
    folder = tmp_path / name
    shutil.copytree(bg.toy_path(), folder)
    if "links.csv" in files and not any(f.startswith("scenarios__") for f in files):
        shutil.rmtree(folder / "scenarios")  # the toy's scenarios name its own links
    for fname, content in files.items():
        p = folder / fname.replace("__", "/")
        if content is None:
            p.unlink()
        else:
            p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def problems_of(folder: Path) -> str:
    with pytest.raises(bg.DataFileError) as info:
        bg.load_dataset(folder)
    return str(info.value)


def tt_frame(rows: list[tuple[str, int, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["train", "sequence", "station", "arrival_minutes", "departure_minutes"]
    )


def at(hhmm: str) -> float:
    return bg.dataset.parse_clock(hhmm)


def rules_timetable(*trains: tuple[str, list[tuple[str, str, str]]]) -> pd.DataFrame:
    rows = []
    for train, calls in trains:
        for i, (station, arr, dep) in enumerate(calls, start=1):
            rows.append(
                {
                    "train": train,
                    "sequence": i,
                    "station": station,
                    "arrival_minutes": parse_clock(arr) if arr else math.nan,
                    "departure_minutes": parse_clock(dep) if dep else math.nan,
                }
            )
    return pd.DataFrame(rows)


STATIONS = ["A", "B", "C", "D", "E"]


PLACE = "P"  # owns A and B


@st.composite
def networks(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    rows = []
    for t in range(draw(st.integers(1, 6))):
        stops = draw(st.lists(st.sampled_from(STATIONS), min_size=2, max_size=4, unique=True))
        clock = draw(st.integers(0, 2400))
        for i, s in enumerate(stops):
            dwell = draw(st.integers(0, 5)) if 0 < i < len(stops) - 1 else 0
            rows.append(
                {
                    "train": f"T{t}",
                    "sequence": i + 1,
                    "station": s,
                    "arrival_minutes": float(clock) if i else math.nan,
                    "departure_minutes": float(clock + dwell) if i < len(stops) - 1 else math.nan,
                    "pickup": draw(st.sampled_from(["", "", "", "no"])),
                    "drop_off": draw(st.sampled_from(["", "", "", "no"])),
                }
            )
            clock += dwell + draw(st.integers(1, 300))
    links = [("P", "A", "access"), ("P", "B", "access")]
    links += draw(
        st.lists(
            st.tuples(st.sampled_from(STATIONS), st.sampled_from(STATIONS), st.just("walk")).filter(
                lambda x: x[0] != x[1]
            ),
            max_size=3,
        )
    )
    walk_rows = []
    for a, b, mode in links:
        m = float(draw(st.integers(0 if mode == "access" else 1, 40)))
        walk_rows += [
            {"source": a, "target": b, "minutes": m, "mode": mode},
            {"source": b, "target": a, "minutes": m, "mode": mode},
        ]
    walks = pd.DataFrame(walk_rows)
    walks = walks.sort_values("minutes", kind="stable").drop_duplicates(["source", "target"])
    change = {s: float(draw(st.integers(0, 30))) for s in draw(st.sets(st.sampled_from(STATIONS)))}
    return pd.DataFrame(rows), walks, change


def stations_only(ds: bg.Dataset) -> bg.Dataset:
    """The station network under a dataset's places: no place, no access or change of station.

    For tests of rules about trains and stations that predate the national cities (issue 22).
    """
    from belt_graph.place_builder import station_network

    return station_network(ds)[0]


# --- journeys by rounds: an independent check of belt_graph.network.journeys (issue 23) ---------


def _journey_rides(G: nx.Graph) -> tuple[dict[str, nx.Graph], list[tuple[str, str, float]]]:
    """Each ride (every rail link alone) and the walks between stations."""
    rides: dict[str, nx.Graph] = {}
    walks = []
    ends = {n for n, t in G.nodes(data="transit") if t is False}
    for u, v, d in G.edges(data=True):
        if u in ends or v in ends:
            continue
        for line, _mode, minutes, kind, *more in d["routes"]:
            if kind == "transfer":
                walks += [(u, v, minutes), (v, u, minutes)]
                continue
            train = more[0] if more else ""
            per_day = float(more[1]) if len(more) > 1 else math.nan
            # every rail link is one train's ride between two stops: a ride of its own (going
            # on is the train's longer ride, another link); where lines are routes to ride on
            # (an imported feed), a line's links are one vehicle's run, ridden in one round
            if G.graph.get("ride_on_track"):
                key = f"line {line}"
            else:
                key = f"{kind} {train or line} {u}-{v}"
            H = rides.setdefault(key, nx.Graph())
            if not H.has_edge(u, v) or H.edges[u, v]["minutes"] > minutes:
                H.add_edge(u, v, minutes=minutes)
            for n in (u, v):  # the most frequent train of this ride at each of its stations
                if per_day > H.nodes[n].get("per_day", 0.0):
                    H.nodes[n]["per_day"] = per_day
    return rides, walks


def _wait(per_day: float) -> float:
    """Half the headway one way over 06:00-24:00 (per_day counts both ways), at most 30."""
    return 30.0 if not per_day > 0 else min(30.0, 0.5 * 1080.0 / (per_day / 2))


def journeys_by_rounds(G: nx.Graph, origin: str, *, waits: bool = False) -> dict[str, float]:
    """Fastest minutes from ``origin`` by rounds: round k rides k trains (written apart).

    ``waits``: every boarding also costs the expected wait for the ride's train.
    """
    rides, walks = _journey_rides(G)
    ends = {n for n, t in G.nodes(data="transit") if t is False}
    access = {p: {s: G.edges[p, s]["minutes"] for s in G.adj[p]} for p in ends}
    ready = dict(access[origin]) if origin in ends else {origin: 0.0}
    for u, v, w in walks:  # a walk before the first train
        if u in ready:
            ready[v] = min(ready.get(v, math.inf), ready[u] + w)
    arrive: dict[str, float] = {origin: 0.0} if origin not in ends else {}
    for _ in range(12):
        improved: dict[str, float] = {}
        for H in rides.values():
            starts = {
                s: t + (_wait(H.nodes[s].get("per_day", math.nan)) if waits else 0.0)
                for s, t in ready.items()
                if s in H
            }
            if not starts:
                continue
            K = H.copy()
            K.add_weighted_edges_from((("__s__", s, t) for s, t in starts.items()), "minutes")
            dist = nx.single_source_dijkstra_path_length(K, "__s__", weight="minutes")
            for n, t in dist.items():
                if n != "__s__" and t < arrive.get(n, math.inf) and t < improved.get(n, math.inf):
                    improved[n] = t
        if not improved:
            break
        arrive.update(improved)
        ready = {}
        for n, t in improved.items():
            ready[n] = min(
                ready.get(n, math.inf),
                t + G.nodes[n].get("min_transfer_minutes", DEFAULT_MIN_TRANSFER_MINUTES),
            )
        for u, v, w in walks:
            if u in improved:
                ready[v] = min(ready.get(v, math.inf), improved[u] + w)
    out = {n: t for n, t in arrive.items()}
    for p, stations in access.items():
        times = [arrive[s] + m for s, m in stations.items() if s in arrive]
        out[p] = 0.0 if p == origin else min(times, default=math.inf)
    return out


def _csv(rows: list[list[str]]) -> str:
    return "\n".join(",".join(r) for r in rows) + "\n"


@st.composite
def network_folders(draw: st.DrawFn, services: bool = False) -> dict[str, str]:
    """nodes.csv and links.csv of a random network of stations, some under places.

    Parallel links (fractions of minutes too), every status and kind of link (``service``
    only if asked), free and timed access links, places with several stations and places with
    none, hubs, stations with their own change minutes, trains per day known or not.
    """
    n_places = draw(st.integers(0, 4))
    n_stations = draw(st.integers(2, 10))
    places = [f"P{i}" for i in range(n_places)]
    stations = [f"s{i}" for i in range(n_stations)]
    owner = {s: draw(st.sampled_from(["", *places])) for s in stations}
    kind_of = {s: draw(st.sampled_from(["station", "station", "hub"])) for s in stations}
    if not n_places and all(k == "hub" for k in kind_of.values()):
        kind_of[stations[0]] = "station"
    change = st.sampled_from(["", "", "0", "5", "12.5"])
    nodes = [["id", "name", "kind", "place", "lat", "lon", "min_transfer_minutes"]]
    nodes += [[p, p, "city", "", "31", "121", ""] for p in places]
    nodes += [[s, s, kind_of[s], owner[s], "31", "121", draw(change)] for s in stations]
    minutes = st.sampled_from(["1", "2", "5", "7.5", "12", "12.25", "30", "45", "90"])
    kinds = ["track", "", "transfer"] + (["service", "service"] if services else [])
    per_day = st.sampled_from(["", "4", "36", "200"])
    links = [["source", "target", "minutes", "mode", "status", "kind", "line", "trains_per_day"]]
    for s in stations:
        if owner[s]:
            access = draw(st.sampled_from(["0", "3", "5.5", "10"]))
            links.append([owner[s], s, access, "walk", "open", "access", "", ""])
    for k in range(draw(st.integers(0, 18))):
        a, b = draw(st.lists(st.sampled_from(stations), min_size=2, max_size=2, unique=True))
        status = draw(st.sampled_from(["open", "open", "planned", "closed"]))
        kind = draw(st.sampled_from(kinds))
        mode = "walk" if kind == "transfer" else "rail"
        links.append([a, b, draw(minutes), mode, status, kind, f"line{k}", draw(per_day)])
    return {"nodes.csv": _csv(nodes), "links.csv": _csv(links)}
