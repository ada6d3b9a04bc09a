"""Markdown tables and text from the data, for the report (private).

:func:`md_text` writes a name from the data as text (no markup, no raw HTML); :func:`_md_table`
a table for reading, every cell through :func:`_cell`.
"""

from __future__ import annotations

import math
import re

import pandas as pd

_INT_COLUMNS = re.compile(
    r"(^|_)(places|population|rank|trips|departures|trains|destinations|reached)"
)


#: Characters a name from the data may hold that Markdown (or the HTML it passes through)
#: would read as markup: each written as an entity or escaped with a backslash.
_MARKUP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "*": "\\*", "_": "\\_",
           "[": "\\[", "]": "\\]", "`": "\\`", "\\": "\\\\"}  # fmt: skip


def md_text(text: object) -> str:
    r"""Return ``text`` from the data (a name) safe in Markdown: no markup, no raw HTML.

    Examples
    --------
    >>> md_text("<script>alert(1)</script> A|B *x* [y]")
    '&lt;script&gt;alert(1)&lt;/script&gt; A\\|B \\*x\\* \\[y\\]'
    """
    return "".join(_MARKUP.get(ch, ch) for ch in str(text))


def _cell(v: object, column: str) -> tuple[str, bool]:
    """Return a value as a table shows it, and whether it is a number (right-aligned)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "", False
    if isinstance(v, bool):
        return str(v), False
    if isinstance(v, int | float) and not isinstance(v, bool):
        x = float(v)
        if "share" in column:
            return f"{x:.0%}", True
        if x.is_integer() or _INT_COLUMNS.search(column) or abs(x) >= 100:
            return f"{x:,.0f}", True
        # two decimals from 1 on, three below, without trailing zeros (0.5 h, not 0.500)
        text = (f"{x:,.2f}" if abs(x) >= 1 else f"{x:.3f}").rstrip("0").rstrip(".")
        return (f"{x:.2g}" if text in ("0", "-0") else text), True  # tiny is not zero
    if hasattr(v, "item"):  # numpy scalars
        return _cell(v.item(), column)
    return md_text(str(v).replace("\n", " ")), False


def _md_table(df: pd.DataFrame, *, index: bool = True, rows: int | None = None) -> str:
    """Return a Markdown table for reading.

    Numbers are right-aligned with thousands separators, shares shown as percentages, text
    left-aligned; an index named ``node`` and a ``name`` column that repeat
    each other are shown once. ``rows``: show the first so many and say how many were left
    out.
    """
    table = df.reset_index() if index else df.copy()
    if "name" in table.columns:
        for key in ("node", "destination", "id"):
            if key in table.columns and (table[key].astype(str) == table["name"].astype(str)).all():
                table = table.drop(columns=key)
                break
    shown = table if rows is None else table.head(rows)
    cols = [str(c) for c in shown.columns]
    cells = [
        [_cell(v, c) for v, c in zip(rec, cols, strict=True)]
        for rec in shown.itertuples(index=False)
    ]
    numeric = [
        any(row[j][1] for row in cells) and all(row[j][1] or not row[j][0] for row in cells)
        for j in range(len(cols))
    ]
    out = ["| " + " | ".join(md_text(c.replace("_", " ")) for c in cols) + " |"]
    out.append("|" + "".join("---:|" if num else ":---|" for num in numeric))
    for row in cells:
        out.append("| " + " | ".join(text for text, _ in row) + " |")
    text = "\n".join(out)
    if rows is not None and len(table) > rows:
        text += f"\n\n(the first {rows} of {len(table):,} rows; all of them in `tables/`)"
    return text
