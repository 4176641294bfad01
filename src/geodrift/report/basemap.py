"""Country borders for maps, drawn offline from the Natural Earth 1:110m shapes the dashboard already ships
(``web/static/topojson/world_110m.json``, plotly.js's own build; its PROVENANCE.md), so a chart needs no download."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

WORLD = files("geodrift") / "web" / "static" / "topojson" / "world_110m.json"
"""The shapes: a TopoJSON topology (quantised, delta-encoded arcs shared by neighbouring countries)."""


@cache
def _arcs() -> tuple[np.ndarray, ...]:
    """Every arc of the ``countries`` object in degrees, each once (a border shared by two countries is one arc)."""
    topology = json.loads(WORLD.read_text(encoding="utf-8"))
    scale, translate = np.array(topology["transform"]["scale"]), np.array(topology["transform"]["translate"])
    used: set[int] = set()

    def walk(node: list[Any]) -> None:  # nested rings of arc indices; ~i is arc i reversed
        for item in node:
            walk(item) if isinstance(item, list) else used.add(item if item >= 0 else ~item)

    for geometry in topology["objects"]["countries"]["geometries"]:
        walk(geometry.get("arcs", []))
    return tuple(np.cumsum(np.array(topology["arcs"][i], dtype=float), axis=0) * scale + translate
                 for i in sorted(used))


def borders(lon: tuple[float, float], lat: tuple[float, float]) -> list[np.ndarray]:
    """The border and coast lines (n x 2 arrays of lon, lat) whose extent meets the box ``lon`` x ``lat`` (a long
    straight coast can cross the box with no vertex inside it)."""
    return [arc for arc in _arcs() if arc[:, 0].max() >= lon[0] and arc[:, 0].min() <= lon[1]
            and arc[:, 1].max() >= lat[0] and arc[:, 1].min() <= lat[1]]
