"""Every analysis of one dataset, computed once when first asked for and then kept.

The report and the diagrams need the same graphs, matrix, centrality and routes many times;
:class:`Results` computes each once (per input: per origin, per scenario) and hands the same
object to everyone who asks.

>>> from belt_graph import load_dataset
>>> r = Results(load_dataset())
>>> r.matrix is r.matrix
True
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cached_property
from typing import Any

import networkx as nx
import pandas as pd

from ..centralities import centrality
from ..claims import check_claims
from ..dataset.core import Dataset
from ..dataset.lookup import default_origin
from ..network import cooperation_graph, rail_graph, sector_graph
from ..network.journeys import JourneyStore, has_services, reuse_journey_graphs
from ..network.paths import Progress, places
from ..reachability import fastest_routes, reach, reach_bands
from ..routing import travel_time_matrix
from ..scenario import ScenarioComparison, apply_scenario, compare, fastest_times
from ..sectors import cluster_summary, clusters, sector_matrix, sector_pairs

__all__ = ["SHANGHAI_STATIONS", "Results"]

#: Shanghai's stations in 12306's codes, for the article's "Shanghai is N hours from X".
SHANGHAI_STATIONS = ("AOH", "SHH", "SXH", "SNH")


class Results:
    """The analyses of ``ds``, each computed on first use and cached.

    Parameters
    ----------
    ds : Dataset
    origin : str, optional
        The origin of reach and the timetable comparison (default
        :func:`~belt_graph.default_origin`).
    progress : callable, optional
        ``progress(done, total)`` for the long searches (the matrix, centrality).
    """

    def __init__(
        self, ds: Dataset, *, origin: str | None = None, progress: Progress | None = None
    ) -> None:
        self.ds = ds
        self.origin = origin or default_origin(ds)
        self.progress = progress
        self._routes: dict[str, tuple[pd.Series, dict[Any, Any]]] = {}
        self._scenarios: dict[str, tuple[nx.Graph, ScenarioComparison]] = {}
        self._timetable: dict[tuple[Any, ...], pd.DataFrame] = {}
        self._by_year: dict[str, pd.DataFrame | None] = {}
        self._scenario_graphs: dict[str, nx.Graph] = {}
        self._scenario_matrices: dict[str, pd.DataFrame] = {}
        self._journeys = JourneyStore()

    def reusing_journeys(self) -> AbstractContextManager[None]:
        """Return a block in which each journey graph of the networks held here is built once.

        The report runs in one: its analyses and figures search the same networks again and
        again (see :func:`~belt_graph.network.journeys.reuse_journey_graphs`). Nothing may change
        :attr:`graph`, :attr:`graph_expected`, :attr:`graph_2020` or a scenario's network
        meanwhile; the analyses kept here assume that anyway.
        """
        return reuse_journey_graphs(
            self._journeys, self.graph, self.graph_expected, self.graph_2020
        )

    # --- layers ------------------------------------------------------------------------------

    @cached_property
    def graph(self) -> nx.Graph:
        """The travel network (every open link)."""
        return rail_graph(self.ds)

    @cached_property
    def track(self) -> nx.Graph:
        """The physical network for degree and betweenness (track, changes, access)."""
        if "kind" not in self.ds.links or not (self.ds.links["kind"] != "").any():
            return self.graph
        return rail_graph(self.ds, network="track")

    @cached_property
    def graph_expected(self) -> nx.Graph:
        """:attr:`graph` with the graph attribute ``time`` ``expected`` (the waits for each train).

        A read-only view of the same nodes and edges: ``rail_graph(ds, time="expected")``
        differs from :attr:`graph` only in that attribute, and building it again took 70 MiB
        and 1.5 s on ``cn-rail-2023``.
        """
        G = nx.graphviews.generic_graph_view(self.graph)
        G.graph = {**self.graph.graph, "time": "expected"}
        return G

    @cached_property
    def graph_2020(self) -> nx.Graph | None:
        """The network of about 2020 (links with a ``minutes_2020``), if the dataset has one."""
        if "minutes_2020" not in self.ds.links:
            return None
        return rail_graph(self.ds, minutes="minutes_2020")

    @cached_property
    def cooperation(self) -> nx.Graph:
        """Return the partnership layer."""
        return cooperation_graph(self.ds)

    @cached_property
    def sectors(self) -> nx.Graph:
        """Return the place-sector layer."""
        return sector_graph(self.ds)

    @cached_property
    def places(self) -> list[str]:
        """Return the place ids, in file order."""
        return [str(p) for p in places(self.graph)]

    @cached_property
    def names(self) -> dict[str, str]:
        """Return each node's display name."""
        return {str(k): str(v) for k, v in self.ds.nodes["name"].items()}

    # --- travel times ------------------------------------------------------------------------

    @cached_property
    def matrix(self) -> pd.DataFrame:
        """Fastest minutes between every pair of places."""
        return travel_time_matrix(self.graph, progress=self.progress)

    @cached_property
    def services(self) -> bool:
        """Whether the network is one of services (changes of train cost time)."""
        return has_services(self.graph)

    @cached_property
    def matrix_expected(self) -> pd.DataFrame:
        """Expected minutes between every pair of places (with the waits for each train)."""
        return travel_time_matrix(self.graph_expected, progress=self.progress).round(1)

    def routes(self, origin: str | None = None) -> tuple[pd.Series, dict[Any, Any]]:
        """Fastest minutes from ``origin`` to every node, and each node's predecessor."""
        o = origin or self.origin
        if o not in self._routes:
            dist, parent = fastest_routes(self.graph, o)
            self._routes[o] = (pd.Series(dist, dtype=float), parent)
        return self._routes[o]

    def reach(self, hours: float, origin: str | None = None) -> pd.DataFrame:
        """Return :func:`~belt_graph.reach` from ``origin`` within ``hours``."""
        return reach(self.graph, origin or self.origin, hours)

    @cached_property
    def bands(self) -> pd.DataFrame:
        """Return the reach bands from the origin."""
        return reach_bands(self.graph, self.origin)

    @cached_property
    def centrality(self) -> pd.DataFrame:
        """Return every centrality measure of the places."""
        return centrality(
            self.graph,
            self.cooperation,
            structure=self.track,
            progress=self.progress,
            matrix=self.matrix,
        )

    # --- claims and years --------------------------------------------------------------------

    @cached_property
    def networks(self) -> dict[str, nx.Graph]:
        """Return the networks to check claims on: the current one, and that of 2020 if known."""
        out = {"current": self.graph}
        if self.graph_2020 is not None:
            years = self.ds.links["data_year"].astype(str)
            latest = max((y for y in years if y.isdigit()), default="current")
            out = {latest: self.graph, "2020": self.graph_2020}
        return out

    @cached_property
    def claims(self) -> pd.DataFrame:
        """Return the article's claims checked against the data."""
        nets = self.networks if len(self.networks) > 1 else self.graph
        return check_claims(self.ds, nets)

    @cached_property
    def shanghai_origins(self) -> list[str]:
        """Shanghai's stations in this dataset, and the default origin if it is a place."""
        ids = [s for s in SHANGHAI_STATIONS if s in self.graph]
        if ids and self.origin not in ids:
            ids.append(self.origin)
        return ids

    @cached_property
    def years(self) -> pd.DataFrame | None:
        """Fastest minutes from Shanghai to each place, on the network of 2020 and today's.

        Door to door, with the train part of each journey (``station_minutes_*``).
        """
        if self.graph_2020 is None or not self.shanghai_origins:
            return None
        nets = {"2020": self.graph_2020, **{k: v for k, v in self.networks.items() if k != "2020"}}
        targets = [p for p in self.places if p != self.origin]
        return fastest_times(nets, self.shanghai_origins, targets)

    def by_year(self, origin: str | None = None) -> pd.DataFrame | None:
        """Return :func:`~belt_graph.times_by_year` from ``origin`` (None without opening dates)."""
        from ..history import times_by_year

        o = origin or self.origin
        if o not in self._by_year:
            dated = "opened" in self.ds.links and (self.ds.links["opened"] != "").any()
            self._by_year[o] = times_by_year(self.ds, o) if dated else None
        return self._by_year[o]

    @cached_property
    def criticality(self) -> pd.DataFrame | None:
        """Return every track link's criticality (None without track and service links)."""
        from ..network.journeys import has_services as services
        from ..resilience import criticality, track_links

        if not len(track_links(self.ds)) or not services(self.graph) or not self.places:
            return None
        return criticality(self.ds, graph=self.graph)

    # --- sectors -----------------------------------------------------------------------------

    @cached_property
    def sector_matrix(self) -> pd.DataFrame:
        """Return the place x sector table."""
        return sector_matrix(self.sectors)

    @cached_property
    def sector_pairs(self) -> pd.DataFrame:
        """Return the sector scores of every pair of places."""
        return sector_pairs(self.sectors)

    @cached_property
    def measured(self) -> bool:
        """Whether the dataset has a measured sector layer (``sector_measures.csv``)."""
        return self.ds.measures is not None and len(self.ds.measures) > 0

    @cached_property
    def measured_pairs(self) -> pd.DataFrame:
        """Return the measured overlap and complementarity of every pair of places."""
        from ..sectors.measured import measured_pairs

        return measured_pairs(self.ds)

    @cached_property
    def specialisation(self) -> pd.DataFrame:
        """Return each place's measured sectors (employment, LQ, density)."""
        from ..sectors.measured import specialisation_table

        return specialisation_table(self.ds)

    @cached_property
    def listed_against_measured(self) -> pd.DataFrame:
        """Return the listed industries beside the measured LQ of their section."""
        from ..sectors.measured import listed_against_measured

        return listed_against_measured(self.ds)

    @cached_property
    def clusters(self) -> pd.DataFrame:
        """Return the clusters of places and sectors (seeded)."""
        return clusters(self.sectors, seed=0)

    @cached_property
    def cluster_summary(self) -> pd.DataFrame:
        """Return one row per cluster."""
        return cluster_summary(self.clusters)

    # --- scenarios and timetable -------------------------------------------------------------

    def scenario(self, name: str, hours: float = 1.0) -> tuple[nx.Graph, ScenarioComparison]:
        """Return the scenario's network and its comparison with the base.

        Both matrices are computed once: the base's here, the scenario's in :meth:`scenario_matrix`.
        """
        key = f"{name}@{hours:g}"
        if key not in self._scenarios:
            G2 = self.scenario_graph(name)
            cmp = compare(
                self.graph,
                G2,
                hours=hours,
                progress=self.progress,
                base_matrix=self.matrix,
                scenario_matrix=self.scenario_matrix(name),
            )
            self._scenarios[key] = (G2, cmp)
        return self._scenarios[key]

    def scenario_graph(self, name: str) -> nx.Graph:
        """Return the rail network of a scenario (built once)."""
        if name not in self._scenario_graphs:
            G = rail_graph(apply_scenario(self.ds, name))
            self._scenario_graphs[name] = G
            self._journeys.networks[id(G)] = G  # searched like the others, never changed
        return self._scenario_graphs[name]

    def scenario_matrix(self, name: str) -> pd.DataFrame:
        """Fastest minutes between the places in a scenario's network (computed once)."""
        if name not in self._scenario_matrices:
            self._scenario_matrices[name] = travel_time_matrix(
                self.scenario_graph(name), nodes=list(self.matrix.index), progress=self.progress
            )
        return self._scenario_matrices[name]

    def timetable_vs_links(
        self, depart: float, hours: float = 3.0, origin: str | None = None
    ) -> pd.DataFrame:
        """Return :func:`~belt_graph.timetable_vs_links` from ``origin`` leaving at ``depart``."""
        from ..timetable.journeys import timetable_vs_links

        o = origin or self.origin
        key = (o, depart, hours)
        if key not in self._timetable:
            self._timetable[key] = timetable_vs_links(
                self.connections, self.graph, o, hours, depart
            )
        return self._timetable[key]

    def window(
        self,
        origin: str | None = None,
        window: tuple[float, float] = (7 * 60, 9 * 60),
        step: float = 5.0,
    ) -> pd.DataFrame:
        """Return :func:`~belt_graph.timetable.window.window_summary` from an origin (cached).

        With the fastest-link minutes beside the median (``link_minutes``, ``imposed_minutes``).
        """
        from ..timetable.window import window_summary

        o = origin or self.origin
        key = ("window", o, window, step)
        if key not in self._timetable:
            table = window_summary(self.ds, o, window=window, step=step, conns=self.connections)
            dist, _ = self.routes(o)
            table["link_minutes"] = [float(dist.get(d, float("nan"))) for d in table.index]
            table["imposed_minutes"] = (table["p50"] - table["link_minutes"]).round(9)
            self._timetable[key] = table
        return self._timetable[key]

    def day(
        self,
        origins: tuple[str, ...] | None = None,
        window: tuple[float, float] = (5 * 60, 23 * 60),
        step: float = 15.0,
    ) -> pd.DataFrame:
        """:func:`~belt_graph.timetable.window.reach_over_day` (cached)."""
        from ..timetable.window import reach_over_day

        os_ = origins or (self.origin,)
        key = ("day", os_, window, step)
        if key not in self._timetable:
            self._timetable[key] = reach_over_day(
                self.ds, list(os_), window=window, step=step, conns=self.connections
            )
        return self._timetable[key]

    @cached_property
    def connections(self) -> Any:
        """Return the dataset's timetable connections."""
        from ..timetable.schedule import connections

        return connections(self.ds)

    def links_within(self, hours: float, origin: str | None = None) -> int:
        """How many nodes besides the origin the fastest links reach within ``hours``."""
        dist, _ = self.routes(origin)
        return int((dist <= hours * 60 + 1e-6).sum()) - 1
