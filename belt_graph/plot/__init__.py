"""Diagrams for papers: network map, reach and travel-time maps, matrix, centrality, sectors.

Every function draws results it is given (tables and minutes computed by the analyses, or a
dataset's own tables) and returns ``(fig, ax)``; it accepts ``ax=None``, never calls
``plt.show()`` and imports matplotlib only when called. Labels: ``labels="en"`` (default),
``"zh"`` or ``"both"``; Chinese needs a CJK font (e.g. Debian's fonts-noto-cjk) and falls back
to English without one. :func:`belt_graph.report.draw_kind` draws one diagram by name
from a dataset's results.

- :mod:`belt_graph.plot.maps`: :func:`plot_map`
- :mod:`belt_graph.plot.reach_maps`: :func:`plot_reach`, :func:`plot_travel_time_map`
- :mod:`belt_graph.plot.charts`: :func:`plot_matrix`, :func:`plot_centrality`,
  :func:`plot_sectors`, :func:`plot_scenario`, :func:`plot_timetable_vs_links`,
  :func:`plot_year_comparison`, :func:`plot_reach_over_day`
- :mod:`belt_graph.plot.years`: :func:`plot_times_by_year`, :func:`plot_year_change_map`
- :mod:`belt_graph.plot.resilience`: :func:`plot_criticality_map`, :func:`plot_critical_links`
"""

from __future__ import annotations

from ._geo import attribution, nice_length_km
from ._style import MAX_LABEL_CHARS, cjk_font, label, minutes_text, save_figure
from .charts import (
    plot_centrality,
    plot_matrix,
    plot_reach_over_day,
    plot_scenario,
    plot_sectors,
    plot_timetable_vs_links,
    plot_year_comparison,
)
from .industry import plot_industry_space, plot_lq_heatmap
from .maps import LARGE_LABELS, LARGE_NETWORK, is_large, plot_map
from .reach_maps import plot_reach, plot_travel_time_map
from .resilience import plot_critical_links, plot_criticality_map
from .years import plot_times_by_year, plot_year_change_map

__all__ = [
    "LARGE_LABELS",
    "LARGE_NETWORK",
    "MAX_LABEL_CHARS",
    "attribution",
    "cjk_font",
    "is_large",
    "label",
    "minutes_text",
    "nice_length_km",
    "plot_centrality",
    "plot_critical_links",
    "plot_criticality_map",
    "plot_industry_space",
    "plot_lq_heatmap",
    "plot_map",
    "plot_matrix",
    "plot_reach",
    "plot_reach_over_day",
    "plot_scenario",
    "plot_sectors",
    "plot_times_by_year",
    "plot_timetable_vs_links",
    "plot_travel_time_map",
    "plot_year_change_map",
    "plot_year_comparison",
    "save_figure",
]
