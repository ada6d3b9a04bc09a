"""Extract East Asia's land outlines from Natural Earth 1:110m admin-0 countries (one-off).

The source is Natural Earth's ``ne_110m_admin_0_countries`` (public domain) as bundled, unchanged
in geometry, in the geopandas 0.14.4 wheel (``geopandas/datasets/naturalearth_lowres``; geopandas
1.0 dropped it). Needs ``pyshp``. Usage, from the repository root::

    pip download geopandas==0.14.4 --no-deps -d /tmp/ne
    unzip -o /tmp/ne/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' -d /tmp/ne
    python data/raw/natural_earth/extract.py \
        /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres

writes ``data/raw/natural_earth/east_asia_110m.geojson``: every country polygon that meets the
box lon 60-150, lat 10-60, as ``kind`` ``land`` with its name, coordinates rounded to 1e-4 deg.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

BOX = (60.0, 10.0, 150.0, 60.0)  # lon min, lat min, lon max, lat max


def main(source: str) -> None:
    import shapefile  # pyshp

    reader = shapefile.Reader(source)
    features = []
    for shape_record in reader.shapeRecords():
        record = shape_record.record.as_dict()
        shape = shape_record.shape
        x0, y0, x1, y1 = shape.bbox
        if x1 < BOX[0] or x0 > BOX[2] or y1 < BOX[1] or y0 > BOX[3]:
            continue
        bounds = [*shape.parts, len(shape.points)]
        rings = [
            [[round(x, 4), round(y, 4)] for x, y in shape.points[a:b]]
            for a, b in itertools.pairwise(bounds)
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": "land", "name": record["name"]},
                "geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings]},
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    out = Path(__file__).with_name("east_asia_110m.geojson")
    out.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {out} ({len(features)} countries)")


if __name__ == "__main__":
    main(sys.argv[1])
