"""Knowledge time: when each report was known, and no feature of a forecast at T uses a report known after T.

The leakage test reads the real curated 2020 set, decides from the raw records alone (not through geodrift's own
rule) which were known before T, stores only those, and requires every feature at T to be the same as from the
whole store: a feature that used a report published after T (or a month-precision publication read as its first
day) would differ.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from geodrift.forecast.features import FEATURES, Panel
from geodrift.forecast.history import load_history
from geodrift.ingest import ingest_files
from geodrift.query import EventFilter
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT

CURATED = "caucasus-2020-events/events.jsonl"
ORIGINS = ("2020-09-20", "2020-10-01", "2020-10-15", "2020-11-12")


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def known_day(rec: dict[str, Any]) -> dt.date | None:
    """The day a raw curated record became known, read from the record itself."""
    def parse(value: str | None) -> dt.date | None:
        if not value:
            return None
        return _month_end(dt.date.fromisoformat(value + "-01")) if len(value) == 7 else dt.date.fromisoformat(value)
    event = rec.get("event_date")
    first_day = dt.date.fromisoformat(event + "-01" if len(event) == 7 else event) if event else None
    known = parse(rec.get("published")) or parse(event)
    if known is None or rec.get("modality") in ("announced", "threatened", "hypothetical") or first_day is None:
        return known
    return max(known, first_day)


def test_known_at_of_hand_made_reports(tmp_path: Path) -> None:
    def rec(event_id: str, event: str, published: str | None, modality: str = "actual") -> dict[str, Any]:
        return {"event_id": event_id, "url": f"https://x.org/{event_id}", "outlet": "x.org", "published": published,
                "event_date": event, "actor1": {"name": "Armenia", "iso3": "ARM"},
                "actor2": {"name": "Azerbaijan", "iso3": "AZE"}, "cameo_code": "190", "modality": modality}
    records = [rec("month", "2020-09-27", "2020-09"),            # published "2020-09": known by 30 September
               rec("late", "2020-09-27", "2020-10-03"),          # published after the event
               rec("early", "2020-09-27", "2020-09-20"),         # "published" before it happened: not known before
               rec("plan", "2020-10-10", "2020-09-20", "announced"),  # announces a future event: known when published
               rec("vague", "2020-09", None)]                    # month-only event, no publication date
    path = tmp_path / "known.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(":memory:")
    ingest_files(store, [path])
    frame = store.df(f"SELECT source_event_id AS id, CAST({KNOWN_AT} AS DATE) AS known FROM events")
    known = dict(zip(frame.id, frame.known.astype(str), strict=True))
    assert known == {"month": "2020-09-30", "late": "2020-10-03", "early": "2020-09-27", "plan": "2020-09-20",
                     "vague": "2020-09-30"}
    counted = {d: len(store.df(f"SELECT * FROM events WHERE {EventFilter(known_by=d).where()}"))  # type: ignore[arg-type]
               for d in ("2020-09-29", "2020-09-30")}
    assert counted == {"2020-09-29": 1, "2020-09-30": 3}  # 'plan' is announced, not actual; only 'early' on the 29th


@pytest.fixture(scope="module")
def records(shared: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (shared / CURATED).read_text(encoding="utf-8").splitlines() if line.strip()]


def _features(store: Store, origin: str, unit: str, units: list[str] | None = None, **kw: Any) -> pd.DataFrame:
    history = load_history(store, level="dyad", where=EventFilter(unit=unit), **kw)
    chosen = units or sorted(history.units)
    return Panel(history, chosen).features([pd.Timestamp(origin)])[["unit", *FEATURES]]


@pytest.mark.parametrize("unit", ["clusters", "reports"])
def test_no_feature_at_t_uses_a_report_known_after_t(shared: Path, records: list[dict[str, Any]],
                                                     tmp_path: Path, unit: str) -> None:
    full = Store(":memory:")
    ingest_files(full, [shared / CURATED])
    later_but_earlier_events = 0
    for origin in ORIGINS:
        t = dt.date.fromisoformat(origin)
        known = [r for r in records if (known_day(r) or t) < t]
        later_but_earlier_events += sum(1 for r in records if (known_day(r) or t) >= t
                                        and (r.get("event_date") or "9999") < origin)
        path = tmp_path / f"known-before-{origin}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in known), encoding="utf-8")
        cut = Store(":memory:")
        ingest_files(cut, [path])  # clustered afresh from what was known: cluster membership cannot leak either
        then = _features(cut, origin, unit)
        now = _features(full, origin, unit, list(then.unit))
        assert np.allclose(then[FEATURES].to_numpy(float), now[FEATURES].to_numpy(float)), (
            f"features at {origin} use reports known after it: "
            f"{sorted(then.unit[~np.isclose(then[FEATURES], now[FEATURES]).all(axis=1)])}")
    assert later_but_earlier_events > 100  # the test has reports to leak: published after T about events before T


def test_the_leakage_check_fails_when_knowledge_time_is_the_event_day(shared: Path, records: list[dict[str, Any]],
                                                                       tmp_path: Path) -> None:
    """The same comparison, with reports assumed known on their event's day, finds the leak (the test can fail)."""
    full = Store(":memory:")
    ingest_files(full, [shared / CURATED])
    origin = "2020-10-01"
    path = tmp_path / "known.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records if (known_day(r) or dt.date.max) < dt.date(2020, 10, 1)),
                    encoding="utf-8")
    cut = Store(":memory:")
    ingest_files(cut, [path])
    then = _features(cut, origin, "clusters")
    assumed = _features(full, origin, "clusters", list(then.unit), reported_within=0)
    assert not np.allclose(then[FEATURES].to_numpy(float), assumed[FEATURES].to_numpy(float))


def test_known_at_reads_the_stored_precision_not_the_day(tmp_path: Path) -> None:
    """A page published on a 1st is known that day and an event dated to a 1st is that day (the old rule took both
    for months); a page dated to a year only is known by 31 December; a month-only event with a page of its month
    is known by the month's end."""
    def rec(event_id: str, event: str | None, published: str | None) -> dict[str, Any]:
        return {"event_id": event_id, "url": f"https://x.org/{event_id}", "outlet": "x.org", "published": published,
                "event_date": event, "actor1": {"name": "Armenia", "iso3": "ARM"},
                "actor2": {"name": "Azerbaijan", "iso3": "AZE"}, "cameo_code": "190"}
    records = [rec("first", "2020-08-30", "2020-09-01"), rec("firstday", "2020-09-01", None),
               rec("year", "2020-09-27", "2020"), rec("undated", None, "2020-10"), rec("both", "2020-10", "2020-10")]
    path = tmp_path / "precise.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(":memory:")
    ingest_files(store, [path])
    frame = store.df(f"SELECT source_event_id AS id, CAST({KNOWN_AT} AS DATE) AS known, event_date_precision AS e, "
                     "date_added_precision AS p FROM events")
    assert {r.id: (str(r.known)[:10], r.e, r.p) for r in frame.itertuples()} == {
        "first": ("2020-09-01", "day", "day"), "firstday": ("2020-09-01", "day", "day"),
        "year": ("2020-12-31", "day", "year"), "undated": ("2020-10-31", "month", "month"),
        "both": ("2020-10-31", "month", "month")}


def test_an_as_of_forecast_equals_the_one_made_from_what_was_known_then(shared: Path, records: list[dict[str, Any]],
                                                                        tmp_path: Path) -> None:
    """The pool of dyads, the backtest that picks the model and the fit all read only reports known by T: the
    forecast on the whole store is the one a store holding only what was known before T gives (attacker F8: the
    pool used to gain ARM-TUR, a dyad no report known before 20 July 2020 names)."""
    from geodrift.forecast.tasks import forecast_escalation

    t = dt.date(2020, 7, 20)
    path = tmp_path / "known.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records if (known_day(r) or t) < t), encoding="utf-8")
    full, cut = Store(":memory:"), Store(":memory:")
    ingest_files(full, [shared / CURATED])
    ingest_files(cut, [path])
    late = [r for r in records if (known_day(r) or t) >= t and (r.get("event_date") or "9999") < t.isoformat()]
    assert late  # reports about events before T published after it: there is something to leak
    now, then = (forecast_escalation(s, ["ARM-AZE"], as_of=t, days=(7,), source="curated") for s in (full, cut))
    columns = ["unit", "horizon", "model", "p", "skill_climatology", "backtest_forecasts", "backtest_data"]
    pd.testing.assert_frame_equal(now[columns], then[columns])
