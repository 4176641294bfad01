"""Dyadic event counts: how much two countries cooperate and fight, by period and quad class."""

from __future__ import annotations

import itertools

import pandas as pd

from geodrift.codebooks import to_iso3
from geodrift.errors import InputError
from geodrift.store import Store

FREQS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def check_countries(countries: list[str]) -> list[str]:
    """Upper-cased ISO3 codes; a clear error for anything that is not one."""
    codes = []
    for value in countries:
        iso3 = to_iso3(value.upper()) if len(value) == 3 else to_iso3(value)
        if iso3 is None:
            raise InputError(f"unknown country {value!r}: use an ISO3 code such as AZE, RUS, TUR")
        codes.append(iso3)
    return codes


def dyad_quad_counts(store: Store, countries: list[str], freq: str = "month") -> pd.DataFrame:
    """Events between every pair of ``countries`` (either direction) per period and quad class.

    Returns one row per (dyad, period) with columns q1..q4 (verbal/material cooperation,
    verbal/material conflict), total events and distinct-source-weighted total.
    """
    if freq not in FREQS:
        raise InputError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    codes = check_countries(countries)
    if len(codes) < 2:
        raise InputError("a dyad needs at least two countries")
    pairs = [tuple(sorted(p)) for p in itertools.combinations(sorted(set(codes)), 2)]
    values = ", ".join(f"('{a}', '{b}')" for a, b in pairs)
    sql = f"""
    WITH pairs(a, b) AS (VALUES {values})
    SELECT p.a || '-' || p.b AS dyad,
           date_trunc('{FREQS[freq]}', e.event_date)::DATE AS period,
           count(*) FILTER (WHERE e.quad_class = 1) AS q1,
           count(*) FILTER (WHERE e.quad_class = 2) AS q2,
           count(*) FILTER (WHERE e.quad_class = 3) AS q3,
           count(*) FILTER (WHERE e.quad_class = 4) AS q4,
           count(*) AS events,
           sum(coalesce(e.num_sources, 1)) AS sources
    FROM events e
    JOIN pairs p ON least(e.actor1_country, e.actor2_country) = p.a
                AND greatest(e.actor1_country, e.actor2_country) = p.b
    GROUP BY ALL
    ORDER BY dyad, period
    """
    return store.df(sql)
