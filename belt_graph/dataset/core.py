"""The :class:`Dataset`: the validated tables of one dataset folder."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import schema as S
from .paths import DATASETS, PACKAGE_DIR

__all__ = ["Dataset"]


@dataclass(frozen=True)
class Dataset:
    """The validated tables of one dataset folder.

    Attributes
    ----------
    path : Path
        The folder it was read from.
    nodes : DataFrame
        Indexed by ``id``; columns of ``nodes.csv`` with ``lat``, ``lon``, ``population``
        (persons) and ``gdp_cny_bn`` (billion CNY) as floats (NaN when empty).
    links : DataFrame
        Columns of ``links.csv``; ``minutes`` as float.
    sectors : DataFrame
        Columns ``node``, ``sector`` (canonical), ``family``, ``sector_raw``, ``evidence``,
        ``source_ref``; empty when the dataset has no ``sectors.csv``.
    partnerships : DataFrame
        Columns of ``partnerships.csv``; empty when absent.
    taxonomy : DataFrame
        ``sector_taxonomy.csv`` (``raw_name``, ``sector``, ``family``, ...); empty when absent.
    scenarios : dict
        Scenario name (file stem) to path, from ``scenarios/*.csv``.
    context : Path or None
        ``context.geojson`` (rivers, lakes, coastline for maps) if the folder has one.
    context_features : list of dict
        Its GeoJSON features, validated (lines and polygons in lon, lat).
    claims : DataFrame
        ``claims.csv`` (claims to check against the data, see :mod:`belt_graph.claims`);
        empty when absent.
    metadata : dict
        ``metadata.csv`` as key to value (``timezone``, ``url``, ``language``,
        ``service_start``, ``service_end`` ...); empty when absent.
    measures : DataFrame
        ``sector_measures.csv``: a measured quantity (employment) per region and sector, with
        ``value`` as a float and ``place`` the node a region stands for (empty for a region of
        the reference only); empty when absent. See :mod:`belt_graph.sectors.measured`.
    timetable : DataFrame or None
        ``timetable.csv`` if the folder has one: ``train``, ``sequence`` (int), ``station``,
        ``arrival``, ``departure`` (text as in the file) and ``arrival_minutes``,
        ``departure_minutes`` (minutes after midnight of the train's first day, NaN when empty),
        sorted by train and sequence. A train rides from one stop to the next where the first
        has a departure and the second an arrival; a missing time leaves that ride out.
    """

    path: Path
    nodes: pd.DataFrame
    links: pd.DataFrame
    sectors: pd.DataFrame
    partnerships: pd.DataFrame
    taxonomy: pd.DataFrame
    scenarios: dict[str, Path] = field(default_factory=dict)
    context: Path | None = None
    timetable: pd.DataFrame | None = None
    context_features: list[dict[str, Any]] = field(default_factory=list)
    claims: pd.DataFrame = field(default_factory=pd.DataFrame)
    metadata: dict[str, str] = field(default_factory=dict)
    measures: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def name(self) -> str:
        """The folder's name, e.g. ``belt`` (also for the bundled copy inside the package).

        A relative path such as ``.`` is named after the folder it stands for.
        """
        name = self.path.name or self.path.resolve().name
        installed = {Path(inside).name: n for n, (inside, _) in DATASETS.items()}
        return installed.get(name, name)

    @property
    def installed(self) -> bool:
        """Whether this is a dataset installed inside the package (``--data cn-rail-2020``)."""
        return self.path.resolve().is_relative_to(PACKAGE_DIR)

    @property
    def title(self) -> str:
        """Return a readable name for figures and reports.

        The first heading of the dataset's datasheet (``README.md``) without its "Datasheet:" prefix
        and folder names, else the folder's name.

        Examples
        --------
        >>> from belt_graph import load_dataset
        >>> load_dataset().title
        'Shanghai-Nanjing Industrial Innovation Belt'
        """
        try:
            text = (self.path / "README.md").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return self.name
        heading = next((x[2:] for x in text.splitlines() if x.startswith("# ")), "")
        heading = re.sub(r"^\s*datasheet\s*:\s*", "", heading, flags=re.I)
        heading = re.sub(r"\(\s*`[^`]*`\s*\)|`[^`]*`", "", heading)
        heading = re.sub(r"^\s*(the\s+)?", "", heading, flags=re.I).strip(" ,:;-")
        return heading[:120] or self.name

    def __repr__(self) -> str:
        places = int(self.nodes["kind"].isin(S.place_kinds(self.nodes["kind"])).sum())
        return (
            f"<Dataset {self.name!r}: {len(self.nodes)} nodes ({places} places), "
            f"{len(self.links)} links, {len(self.sectors)} sector rows, "
            f"{len(self.partnerships)} partnerships, {len(self.scenarios)} scenarios"
            + ("" if self.timetable is None else f", timetable of {len(self.timetable)} calls")
            + ">"
        )

    def with_links(self, links: pd.DataFrame) -> Dataset:
        """Return a copy of this dataset with another links table."""
        return dataclasses.replace(self, links=links.reset_index(drop=True))
