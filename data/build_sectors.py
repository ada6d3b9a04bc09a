"""Write each dataset's measured sector layer, ``sector_measures.csv``, from the raw yearbook table.

Usage (from the repository root)::

    python data/build_sectors.py            # data/belt and the three national datasets
    python data/build_sectors.py --out DIR  # DIR/<dataset>/sector_measures.csv

Input: ``data/raw/china_cities/china_city_employment_by_sector_2019.csv``: employment in urban
units at the end of 2019 by the 19 sections A-S of GB/T 4754, for 296 prefecture-level cities
(*China City Statistical Yearbook 2020*, tables 2-25 to 2-30; Beijing is missing). An empty cell
is unknown and is left out, never written as 0.

Every dataset gets the whole table, all 296 cities, so that location quotients and proximities
are measured against China (the reference), and the ``place`` column names the node a city
stands for: a national dataset's city of the same Chinese name; for the belt, its seven cities,
and **Putuo with Shanghai's profile** (no source gives Putuo's employment by section; the
``note`` says so). A city with no node leaves ``place`` empty. A section a stand-in does not
carry (Putuo, an urban district, has no farms: section A) keeps its row for the reference but
with ``place`` empty, so the place's profile leaves it out and the note says why.
Deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw" / "china_cities" / "china_city_employment_by_sector_2019.csv"
SOURCE = "China City Statistical Yearbook 2020, tables 2-25 to 2-30 (urban units, end 2019)"
HEADER = ["region", "place", "sector", "value", "unit", "year", "status", "source_ref", "note"]

#: The belt's places and the yearbook city each stands for.
BELT = {
    "Nanjing": "南京市",
    "Wuxi": "无锡市",
    "Changzhou": "常州市",
    "Suzhou": "苏州市",
    "Nantong": "南通市",
    "Zhenjiang": "镇江市",
    "Taizhou": "泰州市",
    "Putuo": "上海市",
}
PUTUO_NOTE = "Shanghai's profile: no source gives Putuo District's employment by section"

#: Sections a stand-in's profile leaves out, with the reason: the row stays in the reference
#: (China's cities, Shanghai whole) but no longer names the place (issue 40).
LEFT_OUT = {
    ("Putuo", "A"): (
        "left out of Putuo's profile: Putuo is an urban district of central Shanghai, and "
        "Shanghai's farm employment is not its own (a rule, not a measurement)"
    ),
}


def table() -> list[dict[str, str]]:
    """The raw rows, one per city, and the section columns (``A_agriculture`` ...)."""
    with RAW.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rows_for(places: dict[str, str]) -> list[dict[str, str]]:
    """The long table; ``places`` maps a yearbook city (Chinese name) to the node it is."""
    out = []
    for r in table():
        sections = [c for c in r if len(c) > 2 and c[1] == "_" and c[0].isupper()]
        for col in sections:
            if not r[col].strip():
                continue  # unknown, not zero
            place = places.get(r["city"], "")
            note = PUTUO_NOTE if place == "Putuo" else ""
            if (place, col[0]) in LEFT_OUT:
                place, note = "", LEFT_OUT[(place, col[0])]
            out.append(
                {
                    "region": r["city"],
                    "place": place,
                    "sector": col[0],
                    "value": r[col].strip(),
                    "unit": "persons",
                    "year": "2019",
                    "status": "official",
                    "source_ref": SOURCE,
                    "note": note,
                }
            )
    return out


def city_places(folder: Path) -> dict[str, str]:
    """A national dataset's cities by Chinese name (``name_zh``) to their node id."""
    with (folder / "nodes.csv").open(encoding="utf-8") as f:
        return {r["name_zh"]: r["id"] for r in csv.DictReader(f) if r["kind"] == "city"}


def write(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="parent folder (default data/)")
    args = parser.parse_args(argv)
    write(args.out / "belt" / "sector_measures.csv", rows_for({v: k for k, v in BELT.items()}))
    for name in ("cn-rail-2020", "cn-rail-2021", "cn-rail-2023"):
        places = city_places(HERE / name)
        write(args.out / name / "sector_measures.csv", rows_for(places))


if __name__ == "__main__":
    main()
