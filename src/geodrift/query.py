"""The query vocabulary every analytic, report and edge shares: periods, sides, dates and which events count.

It sits below the analytics (it needs only the codebooks and the event schema), so a report or a web
page can name a filter without importing a measure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from geodrift.codebooks import BriefingRegion, briefing_regions, groups, to_iso3
from geodrift.errors import InputError
from geodrift.events import EARLIEST, LATEST, ROLES, Modality, in_date_range

FREQS = ("day", "week", "month", "quarter", "year")
PANDAS_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}


def resolve(spec: str | Sequence[str]) -> tuple[str, ...]:
    """ISO3 codes for 'AZE', 'Azerbaijan', a group name ('NATO') or a comma list of these.

    Raises:
        InputError: a part is neither a country nor a known group.
    """
    parts = [p.strip() for p in (spec.split(",") if isinstance(spec, str) else spec) if p.strip()]
    if not parts:
        raise InputError("no country given")
    codes: list[str] = []
    for part in parts:
        if part.upper() in groups():
            codes += groups()[part.upper()]
            continue
        iso3 = to_iso3(part.upper() if len(part) == 3 else part)
        if iso3 is None:
            known = ", ".join(sorted(groups()))
            raise InputError(
                f"unknown country or group {part!r}: use ISO3 codes (AZE, RUS, TUR) or a group ({known})")
        codes.append(iso3)
    return tuple(dict.fromkeys(codes))


def check_day(day: dt.date | None, name: str) -> None:
    """Dates outside 1800-2200 are mistakes (and would overflow date arithmetic): say so."""
    if day is not None and not in_date_range(day):
        raise InputError(f"{name} {day} is outside {EARLIEST.year}-{LATEST.year}")


@dataclass(frozen=True)
class EventFilter:
    """Which events count. Null modality (event datasets) counts as actual."""

    start: dt.date | None = None
    end: dt.date | None = None
    roles: tuple[str, ...] = ()
    min_sources: int = 1
    root_only: bool = False
    modalities: tuple[str, ...] = (Modality.ACTUAL.value,)
    sources: tuple[str, ...] = ()
    """Only events from these sources (gdelt1, icews, curated, text, ...); empty for all."""
    actors: tuple[str, ...] = ()
    """Only events with one of these ISO3 codes as either actor; empty for all."""
    code_prefixes: tuple[str, ...] = ()
    """Only events whose CAMEO code starts with one of these (e.g. '19', '0871'); empty for all."""
    quad_classes: tuple[int, ...] = ()
    places: tuple[str, ...] = ()
    """Only events located in one of these countries (ISO3 of the action place); empty for all."""

    def __post_init__(self) -> None:
        check_day(self.start, "--from")
        check_day(self.end, "--to")
        if self.start and self.end and self.end <= self.start:
            raise InputError(f"empty date range: --from {self.start} is not before --to {self.end}")
        bad = [r for r in self.roles if r not in ROLES]
        if bad:
            raise InputError(f"unknown actor role {bad[0]!r}; roles: {', '.join(ROLES)}")
        bad = [m for m in self.modalities if m not in {x.value for x in Modality}]
        if bad:
            raise InputError(f"unknown modality {bad[0]!r}; use {', '.join(x.value for x in Modality)}")
        if self.min_sources < 1:
            raise InputError("--min-sources must be at least 1")
        bad_codes = [c for c in self.code_prefixes if not (c.isdigit() and 2 <= len(c) <= 4)]
        if bad_codes:
            raise InputError(f"code {bad_codes[0]!r}: a CAMEO code prefix is 2 to 4 digits")
        bad_quads = [q for q in self.quad_classes if q not in (1, 2, 3, 4)]
        if bad_quads:
            raise InputError(f"quad class {bad_quads[0]!r}: use 1, 2, 3 or 4")

    @property
    def aggregatable(self) -> bool:
        """Whether the dyad-day aggregates can answer (they keep dates and modality, not roles or sources)."""
        return not (self.roles or self.min_sources > 1 or self.root_only or self.sources or self.actors
                    or self.code_prefixes or self.quad_classes or self.places)

    def aggregate_where(self) -> str:
        """SQL conditions over ``dyad_days`` / ``country_days``."""
        parts = [f"modality IN {sql_in(self.modalities)}"]
        if self.start:
            parts.append(f"event_date >= DATE '{self.start.isoformat()}'")
        if self.end:
            parts.append(f"event_date < DATE '{self.end.isoformat()}'")
        return " AND ".join(parts)

    def where(self) -> str:
        """SQL conditions over ``events``."""
        parts = ["TRUE"]
        if self.start:
            parts.append(f"event_date >= DATE '{self.start.isoformat()}'")
        if self.end:
            parts.append(f"event_date < DATE '{self.end.isoformat()}'")
        if self.roles:
            roles = sql_in(self.roles)
            parts.append(f"(actor1_role IN {roles} OR actor2_role IN {roles})")
        if self.min_sources > 1:
            parts.append(f"coalesce(num_sources, 1) >= {int(self.min_sources)}")
        if self.root_only:
            parts.append("coalesce(is_root_event, TRUE)")
        parts.append(f"coalesce(modality, 'actual') IN {sql_in(self.modalities)}")
        if self.sources:
            parts.append(f"source IN {sql_in(self.sources)}")
        if self.actors:
            parts.append(f"(actor1_country IN {sql_in(self.actors)} OR actor2_country IN {sql_in(self.actors)})")
        if self.code_prefixes:
            parts.append("(" + " OR ".join(f"starts_with(event_code, '{c}')" for c in self.code_prefixes) + ")")
        if self.quad_classes:
            parts.append(f"quad_class IN ({', '.join(str(int(q)) for q in self.quad_classes)})")
        if self.places:
            parts.append(f"action_geo_country IN {sql_in(self.places)}")
        return " AND ".join(parts)


def sql_in(values: Sequence[str]) -> str:
    """A SQL list literal ('A', 'B') of quoted strings, shared by every analytic's query."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def check_freq(freq: str) -> None:
    """A clear error for a period name the analytics do not know."""
    if freq not in FREQS:
        raise InputError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")




ALL_MODALITIES = tuple(m.value for m in Modality)
"""Every modality: for listings of events (explorer, API pages) that show what was announced or denied too."""


def complete_periods(frame: pd.DataFrame, freq: str, where: EventFilter) -> pd.DataFrame:
    """``frame`` (with a ``period`` column) reindexed to every period of the range, gaps as NaN.

    The range is the filter's [start, end) when given, else the observed periods' span.
    """
    periods = pd.DatetimeIndex(pd.to_datetime(frame["period"]), name="period")
    if frame.empty and not (where.start and where.end):
        return frame.assign(period=periods)
    first = pd.Timestamp(where.start) if where.start else periods.min()
    last = pd.Timestamp(where.end) - pd.Timedelta(days=1) if where.end else periods.max()
    anchor = {"day": first, "week": first - pd.Timedelta(days=first.weekday()),
              "month": first.replace(day=1), "quarter": first.to_period("Q").start_time,
              "year": first.replace(month=1, day=1)}[freq]
    full = pd.date_range(anchor, last, freq=PANDAS_FREQ[freq], name="period")
    indexed = frame.drop(columns="period").set_axis(periods, axis=0)
    return indexed.reindex(full).reset_index()


def region(spec: str) -> BriefingRegion:
    """A named region (caucasus, ...) or a comma list of at least two countries (all members, no outside powers).

    The CLI, the API and the dashboard all take a region this way.

    Raises:
        InputError: neither a known region nor two or more known countries.
    """
    known = briefing_regions()
    if spec.strip().lower() in known:
        return known[spec.strip().lower()]
    countries = resolve(spec.split(","))
    if len(countries) < 2:
        raise InputError(f"region {spec[:40]!r}: name a region ({', '.join(known)}) or at least two countries")
    return BriefingRegion(spec, ", ".join(countries), countries, (), None)
