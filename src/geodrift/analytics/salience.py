"""Developments: the events of a window grouped into what happened, ranked by salience.

A development is the events of one pair of countries (either direction), one CAMEO root code and
one modality within the window; an event is a cluster of reports (geodrift.clustering), so ten reports of one
clash count once and are cited once. Its salience adds three things a desk editor weighs:

    salience = log2(1 + sources) + 2 * escalation + novelty / 2

- sources: distinct outlets (or GDELT's NumSources when larger): corroboration;
- escalation: max(0, -mean Goldstein) / 10, in [0, 1]: how hostile;
- novelty: -log10 P(N >= n) for N ~ Poisson(rate of the pair's events of the same quad class over
  the ``baseline_days`` before the development's first day, scaled to the window), capped at 6: how unusual.

Only what happened counts as conflict or as history: a denied act ("Armenia denied shelling ...") or a
hypothetical one is listed as what was said, with no escalation, novelty or Goldstein value of its own, and the
earlier events novelty counts are actual ones, dated by then (one dated to a month only counts once its whole month
is before the day), never the development's own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from geodrift.analytics.clusters import representatives
from geodrift.analytics.engine import Engine, engine_for
from geodrift.codebooks import outlet_country
from geodrift.events import Modality, shown_place
from geodrift.query import CLUSTER_MARGIN, EventFilter, sql_in
from geodrift.store import Store
from geodrift.units_sql import OUTLET_KEY, month_only

NOVELTY_CAP = 6.0
ALL_MODALITIES = tuple(m.value for m in Modality)
UNREAL = ("negated", "hypothetical")
"""Modalities of acts that did not (or not yet) happen: said, not done, so never conflict nor history."""

COLUMNS = ["a", "b", "root", "quad_class", "modality", "events", "reports", "sources", "goldstein", "places",
           "first_date", "last_date", "baseline", "novelty", "escalation", "salience", "event_ids", "outlets",
           "datasets", "first_month_only", "last_month_only", "actor", "target", "code"]


def distinct_places(names: pd.Series) -> list[str]:
    """Place names, most reported first, without those another kept name already holds: "Kalbajar" goes when
    "Charektar, Kalbajar" is there (a list joined by commas would read "Charektar, Kalbajar, Kalbajar")."""
    names = names.map(shown_place)  # "Tbilisi, Georgia (general), Georgia" reads "Tbilisi, Georgia"
    counts = names[names.str.strip().astype(bool)].str.strip().value_counts(sort=False)
    ranked = sorted(counts.index, key=lambda p: (-counts[p], p))
    return [p for p in ranked if not any(p != other and re.search(rf"\b{re.escape(p)}\b", other) for other in ranked)]


def developments(target: Store | Engine, countries: Sequence[str], start: dt.date, end: dt.date, *,
                 members: Sequence[str] = (), baseline_days: int = 90, where: EventFilter | None = None,
                 top: int | None = None, by_day: bool = False) -> pd.DataFrame:
    """Developments among ``countries`` with event dates in [start, end), most salient first.

    Every modality counts (an announced exercise is news); ``where`` filters roles and sources.
    With ``members``, only events involving at least one member count (a region's own news, not
    the outside powers' dealings elsewhere). ``event_ids`` lists each development's events,
    best-sourced first. ``by_day`` splits developments by event date (for timelines). An event is placed in the
    window only when its date is: one dated only to a month (or year) that the window does not wholly cover, and an
    undated one, are not (``unplaced`` lists them).
    """
    frame = _events(target, countries, start, end, members, baseline_days, where)
    return _developments(frame, start, end, baseline_days, top, by_day)


def unplaced(target: Store | Engine, countries: Sequence[str], start: dt.date, end: dt.date, *,
             members: Sequence[str] = (), where: EventFilter | None = None) -> pd.DataFrame:
    """The events ``developments`` leaves out of [start, end) for want of a date the window can hold, one row per
    event (cluster): ``precision`` 'month' or 'year' for an event dated only to a period that overlaps the window
    without lying wholly in it (``period`` its first day), 'unknown' for an undated one reported in the window
    (``period`` its report's day: it happened on or before then); with its pair, root, reports and best report."""
    # from the 1st of January of the window's first year (a year-dated event is stored there) to past the longest a
    # cluster spans: a month-dated report whose cluster a later report dates is that later day's, not unplaced
    frame = _events(target, countries, start, end + dt.timedelta(days=CLUSTER_MARGIN), members,
                    (start - dt.date(start.year, 1, 1)).days, where)
    left = frame[~_placed(frame, start, end) & (frame.settled > pd.Timestamp(start))
                 & (frame.event_date < pd.Timestamp(end))]
    if left.empty:
        return pd.DataFrame(columns=UNPLACED_COLUMNS)
    best = left.sort_values(["cluster_id", "num_sources", "confidence", "event_id"],
                            ascending=[True, False, False, True]).drop_duplicates("cluster_id")
    # who acted on whom, as a development says it: a record told once is told "Turkey threatened Armenia"
    sides = {cid: direction(group, group.a.iloc[0], group.b.iloc[0]) for cid, group in left.groupby("cluster_id")}
    rows = best.assign(precision=np.where(best.undated, "unknown", best.event_date_precision.fillna("day")),
                       period=best.event_date, reports=best.cluster_id.map(left.cluster_id.value_counts()),
                       code=best.event_code.astype(str), actor=best.cluster_id.map(lambda c: sides[c]["actor"]),
                       target=best.cluster_id.map(lambda c: sides[c]["target"]))
    return rows[UNPLACED_COLUMNS].sort_values(["period", "a", "b", "event_id"]).reset_index(drop=True)


UNPLACED_COLUMNS = ["cluster_id", "event_id", "precision", "period", "a", "b", "root", "code", "modality", "reports",
                    "actor", "target"]


def _placed(frame: pd.DataFrame, start: dt.date, end: dt.date) -> pd.Series:
    """Which events the window holds: dated within it, wholly (a month-dated event only when the window covers its
    month), and not undated (a record the curators could not date is stored on its report's day, which it happened
    on or before: the report's day is no date of the event; docs/methods.md, "Undated records")."""
    return ((frame.event_date >= pd.Timestamp(start)) & (frame.settled <= pd.Timestamp(end)) & ~frame.undated)


def _events(target: Store | Engine, countries: Sequence[str], start: dt.date, end: dt.date,
            members: Sequence[str], baseline_days: int, where: EventFilter | None) -> pd.DataFrame:
    """The reports among ``countries`` from ``baseline_days`` before ``start`` to ``end``, each with its cluster's
    pair, modality, root, day, ``settled`` day and whether the cluster is ``undated``."""
    where = where or EventFilter()
    engine = engine_for(target)
    clustered = engine.has_table("clusters") and where.unit == "clusters"  # else every report is its own event
    frame = engine.df(f"""
        SELECT event_id, {"coalesce(c.cluster_id, event_id)" if clustered else "event_id"} AS cluster_id, event_date,
               actor1_country, actor2_country, event_root_code AS root, event_code, quad_class, goldstein,
               coalesce(modality, 'actual') AS modality, coalesce(num_sources, 1) AS num_sources,
               {OUTLET_KEY} AS outlet,
               action_geo_name, confidence, source, event_date_precision
        FROM events {"LEFT JOIN clusters AS c USING (event_id)" if clustered else ""}
        WHERE event_date >= DATE '{(start - dt.timedelta(days=baseline_days)).isoformat()}'
          AND event_date < DATE '{end.isoformat()}'
          AND {replace(where, modalities=ALL_MODALITIES).where()}
          AND actor1_country IN {sql_in(countries)}
          AND (actor2_country IS NULL OR actor2_country IN {sql_in(countries)})
          AND event_root_code IS NOT NULL""")
    frame["event_date"] = pd.to_datetime(frame["event_date"])  # the same type from every engine
    if members:
        frame = frame[frame.actor1_country.isin(members) | frame.actor2_country.isin(members)]
    pair = np.where(frame.actor2_country.isna() | (frame.actor1_country <= frame.actor2_country.fillna("")),
                    frame.actor1_country, frame.actor2_country)
    other = np.where(pair == frame.actor1_country, frame.actor2_country, frame.actor1_country)
    frame = frame.assign(a=pair, b=other)
    # A cluster is one event: one modality (actual when any report says so) and, for timelines, its first day.
    rank = frame.modality.map({m: i for i, m in enumerate(ALL_MODALITIES)})
    frame["modality"] = frame.assign(rank=rank).sort_values("rank").groupby("cluster_id").modality.transform("first")
    # (a record dated to a month or a year only is stored on its first day and does not date its cluster:
    # units_sql.MONTH_ONLY)
    frame["month_only"] = month_only(frame)
    # ... and one root, its representative act's, the store's own pick for the cluster read whole
    # (analytics.clusters.representatives: units_sql.collapse_sql's modal CAMEO code), so a development is named
    # after the act its evidence and the dyad measures weigh the cluster as; a cluster can hold two roots of one
    # happening (a deal's signing, 057, and its ceasefire, 0871: clustering.py)
    frame["own_root"] = frame.root  # each report's own act, for the one a development quotes
    if clustered and len(frame):
        first, last = frame.event_date.min().date(), frame.event_date.max().date()
        picked = representatives(target, frame.cluster_id, replace(where, modalities=ALL_MODALITIES), (first, last))
        frame["root"] = frame.cluster_id.map(picked.set_index("cluster_id").event_code.str[:2]).fillna(frame.root)
    dated = frame.event_date.where(~frame.month_only)
    frame["event_date"] = dated.groupby(frame.cluster_id).transform("min").fillna(
        frame.groupby("cluster_id").event_date.transform("min"))
    # the day by which an event is wholly past: the day after it, or after its month for a month-only cluster
    precision = frame.event_date_precision.fillna("day")
    settled = frame.event_date + pd.Timedelta(days=1)
    for unit, freq in (("month", "M"), ("year", "Y")):
        coarse = precision.eq(unit)
        settled[coarse] = (frame.event_date[coarse].dt.to_period(freq) + 1).dt.to_timestamp()
    frame["settled"] = settled.groupby(frame.cluster_id).transform("min")
    # undated: every report of it is a record stored on its report's day for want of a date (precision 'unknown')
    frame["undated"] = precision.eq("unknown").groupby(frame.cluster_id).transform("all")
    return frame


def _developments(frame: pd.DataFrame, start: dt.date, end: dt.date, baseline_days: int, top: int | None,
                  by_day: bool) -> pd.DataFrame:
    """``developments`` from the frame ``_events`` read."""
    window = frame[_placed(frame, start, end)]
    if window.empty:
        return pd.DataFrame(columns=COLUMNS)
    actual = frame[~frame.modality.isin(UNREAL)]
    days = (end - start).days
    rows = []
    keys = ["a", "b", "root", "modality", *(["event_date"] if by_day else [])]
    for key, group in window.groupby(keys, dropna=False):
        a, b, root, modality = key[:4]
        # each event cited by a report of the act the development is named after (a cluster of a call and the
        # appeal made in it, named "appeal", quotes the appeal), then one dated to its day before one dated to a
        # month only ("in July"), then by the best-sourced; ties broken by event id: the same answer whatever order
        # the store returns rows in; among those, one from an outlet of known country (a reader can weigh who says
        # it) before one from an outlet whose country is unknown
        group = group.assign(other_act=group.own_root != group.root, unknown_outlet=_unknown(group.outlet)).sort_values(
            ["other_act", "month_only", "unknown_outlet", "num_sources", "confidence", "event_id"],
            ascending=[True, True, True, False, False, True], kind="stable")
        quad = int(group.quad_class.mode().iloc[0])
        # new against the baseline days before its first day (a timeline's day, a briefing's development alike)
        past = similar_before(actual, str(a), b, quad, pd.Timestamp(group.event_date.min()), set(group.cluster_id),
                              baseline_days)
        real = modality not in UNREAL
        rate = (past + 0.5) / baseline_days * (1 if by_day else days)
        events = group.cluster_id.nunique()
        novelty = min(NOVELTY_CAP, float(-np.log10(max(stats.poisson.sf(events - 1, rate), 1e-300)))) if real else 0.0
        # the best-sourced report of each event, best-sourced events first
        best = group.drop_duplicates("cluster_id")
        best = best.assign(n=best.cluster_id.map(group.cluster_id.value_counts())).sort_values(
            ["num_sources", "n", "confidence"], ascending=False, kind="stable")
        sources = max(group.outlet.nunique(), int(group.num_sources.max()))
        goldstein = float(group.goldstein.mean()) if real else float("nan")
        escalation = max(0.0, -goldstein) / 10 if real else 0.0
        rows.append({
            "a": a, "b": b if isinstance(b, str) else None, "root": root, "quad_class": quad, "modality": modality,
            "events": events, "reports": len(group), "sources": sources, "goldstein": goldstein,
            "places": distinct_places(group.action_geo_name),
            "first_date": min(group.event_date), "last_date": max(group.event_date), "baseline": past,
            "novelty": novelty, "escalation": escalation,
            "salience": float(np.log2(1 + sources) + 2 * escalation + novelty / 2),
            "event_ids": list(best.event_id), "outlets": sorted({o for o in group.outlet if isinstance(o, str)}),
            "datasets": sorted(set(group.source)),
            # whether the first (last) day only stands for its month: every report of that day is month-only
            "first_month_only": bool(group.month_only[group.event_date == min(group.event_date)].all()),
            "last_month_only": bool(group.month_only[group.event_date == max(group.event_date)].all()),
            **direction(group, a, b),
            "code": _modal_code(group),
        })
    result = acts_first(pd.DataFrame(rows, columns=COLUMNS))
    return result.head(top).reset_index(drop=True) if top else result.reset_index(drop=True)


def _unknown(outlets: pd.Series) -> pd.Series:
    """Whether each report's outlet has no known country (codebooks.outlet_country), each outlet looked up once."""
    known = {o: outlet_country(o) is not None for o in outlets.dropna().unique()}
    return ~outlets.map(known).astype("boolean").fillna(False).astype(bool)


def _modal_code(group: pd.DataFrame) -> str:
    """The CAMEO code most of a development's reports of its named act tell (the smallest of a tie)."""
    named = group[~group.other_act] if (~group.other_act).any() else group
    return str(named.event_code.astype(str).value_counts().sort_index().idxmax())


DIRECTED_SHARE = 2 / 3
"""An event acts one way when at least this share of its reports code that side as the actor."""


def direction(group: pd.DataFrame, a: object, b: object) -> dict[str, str | None]:
    """``actor`` and ``target`` of a development whose events all act the same way (each event's reports coding that
    side as actor at least ``DIRECTED_SHARE`` of the time); both None for a mutual act (a clash coded both ways), a
    contested direction (events acting either way) or a development without a second party."""
    if not isinstance(b, str) or a == b:
        return {"actor": None, "target": None}
    forward = (group.actor1_country == a).groupby(group.cluster_id).mean()
    if (forward >= DIRECTED_SHARE).all():
        return {"actor": str(a), "target": b}
    if (forward <= 1 - DIRECTED_SHARE).all():
        return {"actor": b, "target": str(a)}
    return {"actor": None, "target": None}


def similar_before(actual: pd.DataFrame, a: str, b: object, quad: int, day: pd.Timestamp, own: set[str],
                   baseline_days: int) -> int:
    """Earlier actual events of the pair and quad class wholly past by ``day`` and dated within the
    ``baseline_days`` before it, not counting the development's ``own`` clusters: its "similar events"."""
    partner = b if isinstance(b, str) else ""
    dates = pd.to_datetime(actual.event_date)
    mask = ((actual.a == a) & (actual.b.fillna("") == partner) & (actual.quad_class == quad)
            & (actual.settled <= day) & (dates >= day - pd.Timedelta(days=baseline_days))
            & ~actual.cluster_id.isin(own))
    return int(actual.cluster_id[mask].nunique())


def acts_first(found: pd.DataFrame) -> pd.DataFrame:
    """Developments most salient first, every act before anything only said (denied, hypothetical): a denial never
    outranks an event, nor heads a summary while an act is listed."""
    if found.empty:
        return found
    return found.assign(said=found.modality.isin(UNREAL)).sort_values(
        ["said", "salience", "events"], ascending=[True, False, False], kind="stable").drop(
        columns="said").reset_index(drop=True)
