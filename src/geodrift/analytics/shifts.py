"""Drift of an alignment or a dyad: change points with the events behind each shift.

An event's contribution to a shift is its signed, source-weighted Goldstein value: toward pole
B counts positive and toward pole A negative for an alignment (as in the alignment formula);
for a dyad series every event counts with its own sign. The evidence of a change point is the
events of the first ``window`` periods after it whose contributions point the way the series
moved, largest first, with their sources. Change points come from any registered detector
(analytics/detectors/), chosen by name: by default ``pelt``, the offline, placebo-calibrated one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from geodrift.analytics.alignment import alignment_events, alignment_series
from geodrift.analytics.detectors.base import ChangePoint, get_detector
from geodrift.analytics.drift import check_alpha
from geodrift.analytics.dyads import dyad_events, dyad_series
from geodrift.analytics.engine import Engine
from geodrift.query import EventFilter
from geodrift.store import Store

EVIDENCE_COLUMNS = ["event_id", "event_date", "actor1_country", "actor2_country", "event_code", "goldstein", "w",
                    "contribution", "outlet", "source_url", "evidence_sentence"]


@dataclass
class Drift:
    """A series, its change points, and for each change point the events that moved it."""

    series: pd.DataFrame
    column: str
    points: list[ChangePoint]
    evidence: dict[pd.Timestamp, pd.DataFrame] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """One row per change point."""
        return pd.DataFrame([
            {"date": p.date.date(), "before": p.before, "after": p.after, "shift": p.shift, "shift_sd": p.shift_sd,
             "direction": p.direction, "confidence": p.confidence,
             "evidence_events": len(self.evidence.get(p.date, []))}
            for p in self.points
        ], columns=["date", "before", "after", "shift", "shift_sd", "direction", "confidence", "evidence_events"])


def _evidence(events: pd.DataFrame, points: list[ChangePoint], periods: pd.Series, window: int,
              top: int) -> dict[pd.Timestamp, pd.DataFrame]:
    found = {}
    dates = list(periods)
    for p in points:
        at = dates.index(p.date)
        end = dates[at + window] if at + window < len(dates) else None
        mask = events.period >= p.date
        if end is not None:
            mask &= events.period < end
        chosen = events[mask & (events.contribution * (1 if p.shift > 0 else -1) > 0)]
        chosen = chosen.reindex(chosen.contribution.abs().sort_values(ascending=False).index).head(top)
        found[p.date] = chosen.reindex(columns=EVIDENCE_COLUMNS).reset_index(drop=True)
    return found


def alignment_drift(target: Store | Engine, swing: str, pole_a: str, pole_b: str, *, freq: str = "month",
                    where: EventFilter | None = None, alpha: float = 0.02, window: int = 2, top: int = 10,
                    detector: str = "pelt") -> Drift:
    """Change points in the alignment of ``swing`` between ``pole_a`` and ``pole_b``, with evidence.

    ``alpha`` is the false-alarm rate of the detectors that take one (pelt)."""
    check_alpha(alpha)
    series = alignment_series(target, swing, pole_a, pole_b, freq=freq, where=where)
    values = series.set_index("period")["alignment"]
    points = get_detector(detector, alpha=alpha).fit(values).predict()
    events = alignment_events(target, swing, pole_a, pole_b, freq=freq, where=where)
    events["contribution"] = events.w * events.goldstein * events.pole.map({"A": -1.0, "B": 1.0}) / 20
    return Drift(series, "alignment", points, _evidence(events, points, series.period, window, top))


def dyad_drift(target: Store | Engine, a: str | Sequence[str], b: str | Sequence[str], *, freq: str = "month",
               where: EventFilter | None = None, column: str = "goldstein_mean", alpha: float = 0.02,
               window: int = 2, top: int = 10, detector: str = "pelt") -> Drift:
    """Change points in a dyad series (default: the source-weighted mean Goldstein), with evidence.

    ``alpha`` is the false-alarm rate of the detectors that take one (pelt)."""
    check_alpha(alpha)
    series = dyad_series(target, a, b, freq=freq, where=where)
    points = get_detector(detector, alpha=alpha).fit(series.set_index("period")[column]).predict()
    events = dyad_events(target, a, b, freq=freq, where=where)
    events["contribution"] = events.w * events.goldstein
    return Drift(series, column, points, _evidence(events, points, series.period, window, top))
