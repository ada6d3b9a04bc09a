"""The report of a dataset: the folder of tables and figures, its Markdown, the page, the explorer.

- :mod:`~belt_graph.report.results`: every analysis of one dataset, computed once
- :mod:`~belt_graph.report.figures`: one figure by name (the CLI's ``draw`` and the report)
- :mod:`~belt_graph.report.markdown`: the report's text, tables and key findings
- :mod:`~belt_graph.report.tables`: Markdown tables, and names from the data written as text
- :mod:`~belt_graph.report.page`: the self-contained web page
- :mod:`~belt_graph.report.explorer`: the page's explorer (origin picker and hours slider)
- :mod:`~belt_graph.report.build`: :func:`write_report`, the whole folder at once
"""

from __future__ import annotations

from .build import write_report
from .figures import DRAW_KINDS, draw_kind
from .results import Results

__all__ = ["DRAW_KINDS", "Results", "draw_kind", "write_report"]
