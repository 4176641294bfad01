"""The alert stage: new flare-ups, alignment shifts and forecasts that crossed their threshold become alerts.

What is watched: the countries and pairs of ``[alerts]`` and of every subscriber (by default the members of the
briefing regions and their pairs). An alert has a stable key (kind, subject, period), so a condition seen again
by a later run is the same alert, never a second one; it keeps the events behind it (ids, dates, source URLs,
outlets) as evidence. Each new alert gets a pending delivery for every subscriber whose countries or pairs it
concerns (webhooks.py delivers them), inserted in the alert's transaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from geodrift.analytics.dyads import dyad_events
from geodrift.analytics.flareups import flareups
from geodrift.analytics.listings import event_page
from geodrift.analytics.shifts import alignment_drift
from geodrift.codebooks import country_name
from geodrift.errors import InputError
from geodrift.forecast.tasks import normalise_unit
from geodrift.query import EventFilter, one_country, region, resolve
from geodrift.report.document import records
from geodrift.service import state
from geodrift.service.context import RunContext
from geodrift.service.forecasts import CROSSINGS_KEY, Crossing, pending_crossings
from geodrift.service.settings import ServiceConfig, Subscriber
from geodrift.store import Store

EVIDENCE_PER_ALERT = 5
SHIFT_DAYS = 183
"""Change points of the alignment dated within this many days of the run become alerts."""


@dataclass
class Alert:
    """An alert before it is stored (the ``alerts`` table's columns)."""

    key: str
    kind: str
    subject: str
    title: str
    summary: str
    period: dt.date | None
    evidence: list[dict[str, Any]] = field(default_factory=list)


def pair_key(pair: str) -> str:
    """'AZE-ARM' or 'Azerbaijan-Armenia' → 'ARM-AZE'."""
    parts = pair.split("-")
    if len(parts) != 2:
        raise InputError(f"pair {pair[:40]!r}: write two countries as ARM-AZE")
    return normalise_unit("-".join(one_country(p, f"pair {pair[:40]!r}") for p in parts))


def watched(config: ServiceConfig) -> tuple[list[str], list[str]]:
    """(countries, pairs) whose alerts are computed."""
    countries = list(config.alert_countries) + [c for s in config.subscribers for c in s.countries]
    pairs = list(config.alert_pairs) + [p for s in config.subscribers for p in s.pairs]
    if not countries and not pairs:
        members = [m for spec in config.regions for m in region(spec).members]
        countries = members
        pairs = [f"{a}-{b}" for a, b in itertools.combinations(dict.fromkeys(members), 2)]
    return sorted({m for c in countries for m in resolve(c)}), sorted({pair_key(p) for p in pairs})  # a group: each


def concerns(subscriber: Subscriber, subject: str) -> bool:
    """Whether an alert about ``subject`` (a country or a pair) is for this subscriber."""
    parts = set(subject.split("-"))
    countries = {m for c in subscriber.countries for m in resolve(c)}
    return bool(parts & countries) or (len(parts) == 2 and subject in {pair_key(p) for p in subscriber.pairs})


def _evidence(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = frame.head(EVIDENCE_PER_ALERT)
    return [{"event_id": str(r.event_id), "event_date": str(r.event_date)[:10],
             "url": None if pd.isna(r.source_url) else str(r.source_url),
             "outlet": None if pd.isna(r.outlet) else str(r.outlet)} for r in records(frame)]


def _flareup_alerts(store: Store, today: dt.date, recent_days: int, countries: Sequence[str],
                    pairs: Sequence[str]) -> list[Alert]:
    history = EventFilter(start=today - dt.timedelta(weeks=60), end=today + dt.timedelta(days=1))
    since = pd.Timestamp(today - dt.timedelta(days=recent_days))
    since -= pd.Timedelta(days=since.weekday())
    found = []
    subjects: list[tuple[str, dict[str, Any]]] = [(p, {"a": p.split("-")[0], "b": p.split("-")[1]}) for p in pairs]
    subjects += [(c, {"country": c}) for c in countries]
    for subject, args in subjects:
        try:
            weeks = flareups(store, **args, freq="week", where=history)
        except InputError:  # too few weeks with data before these: nothing can be flagged yet
            continue
        for row in records(weeks[weeks.first_detection & (weeks.period >= since)]):  # one alert a run
            week = row.period.date()
            span = EventFilter(start=week, end=week + dt.timedelta(days=7), quad_classes=(4,))
            if "a" in args:
                events = dyad_events(store, args["a"], args["b"], freq="week", where=span)
                events = events[events.quad_class == 4].sort_values("w", ascending=False)
                where = f"between {country_name(args['a'])} and {country_name(args['b'])}"
            else:
                events = event_page(store, EventFilter(start=week, end=week + dt.timedelta(days=7), quad_classes=(4,),
                                                       places=(subject,)), 200)[0]
                events = events.sort_values("num_sources", ascending=False)
                where = f"in {country_name(subject)}"
            found.append(Alert(
                f"flareup:{subject}:{week}", "flare-up", subject, f"Flare-up {where}, week of {week:%d %B %Y}",
                f"{int(row.conflict_events - row.untested)} material-conflict events against {row.expected:.1f} "
                f"expected from the previous 26 weeks of its sources (tail probability {row.p_value:.2g}).", week,
                _evidence(events)))
    return found


def _shift_alerts(store: Store, config: ServiceConfig, today: dt.date, countries: Sequence[str]) -> list[Alert]:
    where = EventFilter(start=today - dt.timedelta(days=730), end=today + dt.timedelta(days=1))
    since = pd.Timestamp(today - dt.timedelta(days=SHIFT_DAYS))
    found = []
    for swing in countries:
        poles = config.alert_poles or next((r.poles for r in map(region, config.regions)
                                            if r.poles and swing in r.members), None)
        if poles is None or swing in poles:
            continue
        try:
            drift = alignment_drift(store, swing, *poles, where=where)
        except InputError:
            continue
        for point in drift.points:
            if point.date < since:
                continue
            toward = poles[1] if point.shift > 0 else poles[0]
            evidence = drift.evidence.get(point.date, pd.DataFrame(columns=["event_id"]))
            found.append(Alert(
                f"shift:{swing}:{poles[0]}-{poles[1]}:{point.date.date()}", "alignment shift", swing,
                f"{country_name(swing)} shifted toward {country_name(toward)} ({point.date:%B %Y})",
                f"Alignment between {country_name(poles[0])} (-1) and {country_name(poles[1])} (+1) moved from "
                f"{point.before:+.2f} to {point.after:+.2f} ({abs(point.shift_sd):.1f} standard deviations, "
                f"confidence {point.confidence:.0%}).", point.date.date(),
                _evidence(evidence) if not evidence.empty else []))
    return found


def _forecast_alerts(store: Store, today: dt.date, crossings: Sequence[Crossing]) -> list[Alert]:
    found = []
    for c in crossings:
        countries = tuple(c.unit.split("-"))
        events = event_page(store, EventFilter(start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=1),
                                               quad_classes=(4,), actors=countries), 1000)[0]
        events = events.sort_values(["event_date", "num_sources"], ascending=False)
        where = " and ".join(country_name(p) for p in countries)
        before = "no earlier forecast" if c.before is None else f"{c.before:.0%} before"
        found.append(Alert(
            f"forecast:{c.unit}:{c.horizon}d:{c.as_of}:{c.direction}", "forecast", c.unit,
            f"Escalation forecast for {where} went {c.direction} {c.threshold:.0%} ({c.horizon} days)",
            f"P(material conflict within {c.horizon} days of {c.as_of}) = {c.after:.0%} ({before}); threshold "
            f"{c.threshold:.0%}.", dt.date.fromisoformat(c.as_of), _evidence(events)))
    return found


def run_alerts(ctx: RunContext) -> str:
    """Detect, store the new alerts with their pending deliveries, then deliver what is pending."""
    from geodrift.service.webhooks import deliver_pending

    countries, pairs = watched(ctx.config)
    crossings = pending_crossings(ctx)
    found = (_flareup_alerts(ctx.store, ctx.today, ctx.config.recent_days, countries, pairs)
             + _shift_alerts(ctx.store, ctx.config, ctx.today, countries)
             + _forecast_alerts(ctx.store, ctx.today, crossings))
    new = 0
    with state.transaction(ctx.store) as con:
        for alert in found:
            inserted = con.execute(
                "INSERT INTO alerts VALUES (nextval('alert_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING "
                "RETURNING alert_id",
                [alert.key, alert.kind, alert.subject, alert.title, alert.summary, alert.period, state.now_utc(),
                 ctx.run_id, json.dumps(alert.evidence)]).fetchall()
            if not inserted:
                continue
            new += 1
            for subscriber in ctx.config.subscribers:
                if concerns(subscriber, alert.subject):
                    con.execute("INSERT INTO alert_deliveries VALUES (?, ?, 'pending', 0, NULL, ?) ON CONFLICT DO NOTHING",
                                [inserted[0][0], subscriber.webhook, state.now_utc()])
        con.execute("DELETE FROM service_state WHERE key LIKE ?", [f"{CROSSINGS_KEY}:%"])
    ctx.count("alerts", new)
    delivered, failed, pending = deliver_pending(ctx)
    return (f"watching {len(countries)} countries and {len(pairs)} pairs: {len(found)} alerts found, {new} new; "
            f"webhooks: {delivered} delivered, {failed} failed, {pending} to retry")


def list_alerts(store: Store, *, countries: Sequence[str] = (), pairs: Sequence[str] = (), kind: str | None = None,
                limit: int = 50) -> list[dict[str, Any]]:
    """Stored alerts, newest first, about any of ``countries`` or ``pairs`` (all when both are empty)."""
    if not store.has_table("alerts"):
        return []
    conditions, params = [], []
    codes = list(dict.fromkeys(m for c in countries for m in resolve(c)))
    keys = [pair_key(p) for p in pairs]
    if codes or keys:
        ors = ["list_contains(string_split(subject, '-'), ?)" for _ in codes] + ["subject = ?" for _ in keys]
        conditions.append("(" + " OR ".join(ors) + ")")
        params += codes + keys
    if kind:
        conditions.append("kind = ?")
        params.append(kind)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    frame = store.df(f"SELECT * FROM alerts {where} ORDER BY created_at DESC, alert_id DESC LIMIT {int(limit)}", params)
    return [{"id": int(r.alert_id), "key": r.alert_key, "kind": r.kind, "subject": r.subject, "title": r.title,
             "summary": r.summary, "period": None if pd.isna(r.period) else str(r.period)[:10],
             "created_at": pd.Timestamp(r.created_at).isoformat(), "evidence": json.loads(r.evidence or "[]")}
            for r in records(frame)]
