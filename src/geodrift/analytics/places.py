"""Where events happened: located events of a dyad or a country, for maps and place views."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geodrift.analytics.engine import Engine, engine_for
from geodrift.errors import InputError
from geodrift.query import EventFilter, resolve, sql_in
from geodrift.store import Store


def located_events(target: Store | Engine, a: str | Sequence[str] | None = None, b: str | Sequence[str] | None = None,
                   *, country: str | None = None, where: EventFilter | None = None, limit: int = 20_000) -> pd.DataFrame:
    """Events with coordinates between a and b (either direction), or located in ``country``."""
    where = where or EventFilter()
    if country is not None:
        scope = f"action_geo_country IN {sql_in(resolve(country))}"
    elif a and b:
        side_a, side_b = sql_in(resolve(a)), sql_in(resolve(b))
        scope = (f"((actor1_country IN {side_a} AND actor2_country IN {side_b}) "
                 f"OR (actor1_country IN {side_b} AND actor2_country IN {side_a}))")
    else:
        raise InputError("a map needs a dyad (two countries) or --country")
    return engine_for(target).df(f"""
        SELECT event_id, event_date, actor1_country, actor2_country, event_code, quad_class, action_geo_name,
               action_geo_lat, action_geo_lon, outlet, source_url
        FROM events WHERE {where.where()} AND {scope}
          AND action_geo_lat IS NOT NULL AND action_geo_lon IS NOT NULL
        ORDER BY event_date, event_id LIMIT {int(limit)}""")
