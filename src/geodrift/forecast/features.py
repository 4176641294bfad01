"""Features and labels at forecast origins, computed only from what was known before each origin.

Features of a unit at origin t (counts of material-conflict events by event day, among the
events known before t): the last 7/30/90/365 days, exponentially weighted sums with half-lives of
7, 30 and 90 days, all events in the last 30 days, days since the last conflict event, the store's
whole volume in the last 30 days (coverage: a quiet month in a busy news month means more), and
whether the last ``horizon`` days already reached the threshold (the persistence state).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geodrift.forecast.history import History

DAY = np.timedelta64(1, "D")
FEATURES = ["c7", "c30", "c90", "c365", "ewm7", "ewm30", "ewm90", "events30", "days_since", "volume30", "recent"]
LOOKBACK_DAYS = 365


class Panel:
    """A history over a fixed list of units as sorted numpy arrays: features and labels at any origin, fast."""

    def __init__(self, history: History, units: Sequence[str]) -> None:
        self.units = list(units)
        index = {u: i for i, u in enumerate(self.units)}
        counts = history.counts[history.counts.unit.isin(index)].sort_values("day")
        self.n = len(self.units)
        self.day = counts.day.to_numpy("datetime64[D]")
        self.known = counts.known.to_numpy("datetime64[D]")
        self.unit = counts.unit.map(index).to_numpy(np.int64)
        self.conflict = counts.conflict.to_numpy(float)
        self.events = counts.events.to_numpy(float)
        volume = history.volume.sort_values("day")
        self.v_day = volume.day.to_numpy("datetime64[D]")
        self.v_known = volume.known.to_numpy("datetime64[D]")
        self.v_events = volume.events.to_numpy(float)
        self.max_lag = int(((self.known - self.day) / DAY).max()) if len(self.day) else 0
        """The longest delay (days) between an event and its becoming known: older windows' labels are final."""

    def _window(self, start: np.datetime64, end: np.datetime64, as_of: np.datetime64 | None) -> np.ndarray:
        lo, hi = np.searchsorted(self.day, [start, end])
        rows = np.arange(lo, hi)
        return rows if as_of is None else rows[self.known[lo:hi] < as_of]

    def _total(self, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.unit[rows], weights=weights, minlength=self.n)

    def features(self, origins: Sequence[pd.Timestamp], *, horizon_days: int = 30, k: int = 1) -> pd.DataFrame:
        """One row per (origin, unit) with the FEATURES columns, each from events known before its origin."""
        frames = []
        for origin in origins:
            t = _day(origin)
            rows = self._window(t - LOOKBACK_DAYS * DAY, t, t)
            age = ((t - self.day[rows]) / DAY).astype(float)
            conflict = self.conflict[rows]
            frame = {f"c{d}": self._total(rows, conflict * (age <= d)) for d in (7, 30, 90, 365)}
            frame |= {f"ewm{h}": self._total(rows, conflict * 0.5 ** (age / h)) for h in (7, 30, 90)}
            frame["events30"] = self._total(rows, self.events[rows] * (age <= 30))
            last = np.full(self.n, LOOKBACK_DAYS + 1.0)
            hit = conflict > 0
            np.minimum.at(last, self.unit[rows][hit], age[hit])
            frame["days_since"] = last
            v_rows = np.arange(*np.searchsorted(self.v_day, [t - 30 * DAY, t]))
            frame["volume30"] = np.full(self.n, self.v_events[v_rows[self.v_known[v_rows] < t]].sum())
            frame["recent"] = (self._total(rows, conflict * (age <= horizon_days)) >= k).astype(float)
            frames.append(pd.DataFrame({"unit": self.units, "origin": pd.Timestamp(origin), **frame}))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["unit", "origin", *FEATURES])

    def labels(self, starts: Sequence[pd.Timestamp], ends: Sequence[pd.Timestamp], *,
               as_of: pd.Timestamp | None = None) -> np.ndarray:
        """Conflict counts per (window, unit), shape (windows, units); with ``as_of``, only events known before
        it (what a forecaster at as_of could train on)."""
        out = np.zeros((len(starts), self.n))
        cut = None if as_of is None else _day(as_of)
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            rows = self._window(_day(start), _day(end), cut)
            out[i] = self._total(rows, self.conflict[rows])
        return out


    def volume(self, starts: Sequence[pd.Timestamp], ends: Sequence[pd.Timestamp], *,
               as_of: pd.Timestamp | None = None) -> np.ndarray:
        """All events in the store per window (coverage): a window without any is a period the store does not
        cover, not a quiet one."""
        cut = None if as_of is None else _day(as_of)
        out = np.zeros(len(starts))
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            rows = np.arange(*np.searchsorted(self.v_day, [_day(start), _day(end)]))
            out[i] = self.v_events[rows if cut is None else rows[self.v_known[rows] < cut]].sum()
        return out


def _day(when: pd.Timestamp) -> np.datetime64:
    return np.datetime64(pd.Timestamp(when).date(), "D")
