"""Where events happened: located events of a dyad or a country, for maps and place views."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geodrift.analytics.engine import Engine, engine_for
from geodrift.cluster_units import clusters_state
from geodrift.errors import InputError
from geodrift.query import EventFilter, between, resolve, sql_in
from geodrift.store import Store


def located_events(target: Store | Engine, a: str | Sequence[str] | None = None, b: str | Sequence[str] | None = None,
                   *, country: str | None = None, where: EventFilter | None = None, limit: int = 20_000) -> pd.DataFrame:
    """Events with coordinates between a and b (either direction), or located in ``country``, counted in
    ``where.unit``: a cluster is one point (its representative report's place, on its first day) with its
    ``reports``, as every measure counts it; ``reports`` gives each stored row (each with ``reports`` 1)."""
    where = where or EventFilter()
    clustered = where.unit == "clusters" and (clusters_state(target) != "none" if isinstance(target, Store)
                                              else engine_for(target).has_table("clusters"))
    if country is not None:
        place = f"action_geo_country IN {sql_in(resolve(country))}"
        relation, kept = where.rows(clustered, touching=place), place  # a cluster is where its representative is
    elif a and b:
        relation, kept = where.rows(clustered, sides=between(resolve(a), resolve(b))), "TRUE"
    else:
        raise InputError("a map needs a dyad (two countries) or --country")
    reports = "reports" if clustered else "1 AS reports"
    return engine_for(target).df(f"""
        SELECT event_id, event_date, actor1_country, actor2_country, event_code, quad_class, action_geo_name,
               action_geo_lat, action_geo_lon, outlet, source_url, {reports}
        FROM {relation} AS u WHERE {kept}
          AND action_geo_lat IS NOT NULL AND action_geo_lon IS NOT NULL
        ORDER BY event_date, event_id LIMIT {int(limit)}""")
