"""The query vocabulary every analytic, report and edge shares: periods, sides, dates and which events count.

It sits below the analytics (it needs only the codebooks and the event schema), so a report or a web
page can name a filter without importing a measure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from geodrift.codebooks import BriefingRegion, briefing_regions, groups, to_iso3
from geodrift.errors import InputError
from geodrift.events import EARLIEST, LATEST, ROLES, Modality, in_date_range
from geodrift.units_sql import DEFAULT_UNIT, KNOWN_AT, UNITS, collapse_sql, weights_sql

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


def one_country(spec: str, name: str) -> str:
    """The ISO3 code of a parameter that takes one country (an analysis' swing state and poles, a country page).

    Why: ``resolve`` reads a group or a comma list as all its members, and taking the first of them (as analyses
    did) answered ``pole_a=NATO`` for Albania alone without a word; the CLI, the API and the pages share this.

    Raises:
        InputError: ``spec`` names no country, or a group or list of several; the message names the parameter.
    """
    try:
        codes = resolve(spec)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    if len(codes) != 1:
        shown = ", ".join(codes[:6]) + (", ..." if len(codes) > 6 else "")
        raise InputError(f"{name}: {spec!r} names {len(codes)} countries ({shown}); it takes one country, an ISO3 code "
                         "(RUS, TUR) or a name (groups are read by dyads, alignment and drift)")
    return codes[0]


def check_distinct(swing: Sequence[str], pole_a: Sequence[str], pole_b: Sequence[str]) -> None:
    """A clear error when the swing state and the poles (ISO3 codes, or the members of groups) overlap."""
    if set(swing) & (set(pole_a) | set(pole_b)) or set(pole_a) & set(pole_b):
        raise InputError("the swing state and the two poles must be different countries")


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
    unit: str = DEFAULT_UNIT
    """What a count counts: 'clusters' (real-world events, the default) or 'reports' (stored rows)."""
    known_by: dt.date | None = None
    """Only reports known on or before this day (units_sql.KNOWN_AT): what an analyst could have read then."""

    def __post_init__(self) -> None:
        if isinstance(self.known_by, str):
            object.__setattr__(self, "known_by", parse_day(self.known_by, "--known-by"))
        for name in ("start", "end"):
            if isinstance(getattr(self, name), str):
                object.__setattr__(self, name, parse_day(getattr(self, name), "--from" if name == "start" else "--to"))
        check_unit(self.unit)
        check_day(self.known_by, "--known-by")
        check_day(self.start, "--from")
        # The end is half-open: the day the user named is the one before it (``through``), up to LATEST itself
        check_day(self.end - dt.timedelta(days=1) if self.end and self.end > dt.date.min else self.end, "--to")
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
        """Whether the dyad-day aggregates (or, for clusters, the per-cluster rollup of one modality) can answer:
        they keep dates and modality, not roles, sources or knowledge time."""
        return not (self.roles or self.min_sources > 1 or self.root_only or self.sources or self.actors
                    or self.code_prefixes or self.quad_classes or self.places or self.known_by
                    or (self.unit == "clusters" and len(self.modalities) != 1))

    def rows(self, clustered: bool = True, sides: str = "TRUE", touching: str = "") -> str:
        """The relation (events' columns) a measure counts: the reports passing the filter, or one row per cluster.

        For clusters, the reports pass every condition but the dates and ``min_sources`` first; they are then
        collapsed into their clusters (units_sql.collapse_sql: first day, representative code, weight), and the
        clusters whose first day lies in [start, end) and whose weight is at least ``min_sources`` count. A cluster
        is read whole: reports up to CLUSTER_MARGIN days outside the range still date and weigh it. Without
        clusters (``clustered`` false) every report is its own cluster, so the reports are read as they are; a report
        not yet clustered in a clustered store is a cluster of its own too.

        A measure of some countries narrows what is collapsed, so it does not collapse every cluster of the store
        (docs/scaling.md): ``sides`` (``either_side``, ``between``) is a condition on a report's two countries that
        reads the same with the sides swapped; every report of a cluster has the same unordered pair of countries
        (its clustering block's sides), so such a condition holds for all of a cluster's reports or none, and
        applying it to the reports keeps exactly the clusters whose representative meets it.
        ``touching``, any other condition (the action place), keeps the clusters with at least one report that
        passes the filter and meets it: a superset of those whose representative does, for the caller to test.
        """
        if self.unit == "reports" or not clustered:  # a report that is its own cluster is read as it is
            return f"(SELECT * FROM events WHERE {self.where()} AND {sides} AND {touching or 'TRUE'})"
        return f"(SELECT * FROM ({collapse_sql(self._reports(sides, touching))}) AS u WHERE {self._kept()})"

    def weights(self, clustered: bool = True, sides: str = "TRUE") -> str:
        """What coverage (the weight of all events of some countries) reads of ``rows(clustered, sides)``: per cluster
        its first day (``event_date``), weight (``num_sources``) and unordered pair (``actor1_country`` the lesser),
        without choosing its representative report (two window passes over its reports, the costly part of
        collapsing: units_sql.weights_sql). Only for a condition that reads the same with the sides swapped."""
        if self.unit == "reports" or not clustered:
            return self.rows(clustered, sides)
        return f"(SELECT * FROM ({weights_sql(self._reports(sides, ''))}) AS u WHERE {self._kept()})"

    def _reports(self, sides: str, touching: str) -> str:
        """The reports ``rows`` collapses, with their cluster as ``unit_key`` (a report not yet clustered its own)."""
        margin = dt.timedelta(days=CLUSTER_MARGIN)
        wide = replace(self, start=self.start and max(self.start - margin, EARLIEST),
                       end=self.end and min(self.end + margin, LATEST), min_sources=1)
        cluster = "coalesce(c.cluster_id, e.event_id)"
        narrowed = wide.where() + f" AND {sides}"
        if touching:
            narrowed += (f" AND {cluster} IN (SELECT {cluster} FROM events AS e "
                         f"LEFT JOIN clusters AS c ON c.event_id = e.event_id WHERE {narrowed} AND {touching})")
        return (f"(SELECT e.*, {cluster} AS cluster_id, {cluster} AS unit_key, {KNOWN_AT} AS known_at "
                f"FROM events AS e LEFT JOIN clusters AS c ON c.event_id = e.event_id WHERE {narrowed})")

    def _kept(self) -> str:
        """Which collapsed clusters count: first day in the range, weight at least ``min_sources``."""
        kept = ["TRUE"]
        if self.start:
            kept.append(f"event_date >= DATE '{self.start.isoformat()}'")
        if self.end:
            kept.append(f"event_date < DATE '{self.end.isoformat()}'")
        if self.min_sources > 1:
            kept.append(f"num_sources >= {int(self.min_sources)}")
        return " AND ".join(kept)

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
        if self.known_by:
            parts.append(f"CAST({KNOWN_AT} AS DATE) <= DATE '{self.known_by.isoformat()}'")
        return " AND ".join(parts)


def either_side(countries: Sequence[str]) -> str:
    """SQL: a report with one of ``countries`` as either actor (a ``sides`` condition of ``EventFilter.rows``)."""
    return f"(actor1_country IN {sql_in(countries)} OR actor2_country IN {sql_in(countries)})"


def between(side_a: Sequence[str], side_b: Sequence[str]) -> str:
    """SQL: a report between a country of ``side_a`` and one of ``side_b``, in either direction (a ``sides``
    condition of ``EventFilter.rows``)."""
    a, b = sql_in(side_a), sql_in(side_b)
    return (f"((actor1_country IN {a} AND actor2_country IN {b}) "
            f"OR (actor1_country IN {b} AND actor2_country IN {a}))")


CLUSTER_MARGIN = 35
"""Days around a filter's range whose reports still join the clusters counted (a cluster spans at most three days;
a curated record dated only to a month joins a cluster of that month)."""


def check_unit(unit: str) -> None:
    """A clear error for a unit the measures do not count."""
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}; use {' or '.join(UNITS)}")


def through(first: dt.date | None, last: dt.date | None, names: tuple[str, str] = ("--from", "--to")) -> dt.date | None:
    """The end of ``EventFilter``'s half-open range whose last day is ``last``: every edge (CLI ``--to``, API ``to``,
    the dashboard's forms) takes the last day a user means, inclusive, and turns it into the day after here.

    Raises:
        InputError: ``last`` is before ``first``, or outside the supported dates.
    """
    if last is None:
        return None
    check_day(last, names[1])
    if first is not None and last < first:
        raise InputError(f"empty date range: {names[1]} {last} is before {names[0]} {first}")
    return last + dt.timedelta(days=1)


def parse_day(value: str, name: str) -> dt.date:
    """A day from an ISO date string (what users pass), with the option's name in the error."""
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def sql_in(values: Sequence[str]) -> str:
    """A SQL list literal ('A', 'B') of quoted strings, shared by every analytic's query."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def check_freq(freq: str) -> None:
    """A clear error for a period name the analytics do not know."""
    if freq not in FREQS:
        raise InputError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")




ALL_MODALITIES = tuple(m.value for m in Modality)
"""Every modality: for listings of events (explorer, API pages) that show what was announced or denied too."""


def periods_of(days: np.ndarray, freq: str) -> np.ndarray:
    """The first day of each day's period, as DuckDB's ``date_trunc(freq, day)`` (weeks start on Monday)."""
    days = days.astype("datetime64[D]")
    if freq == "day":
        return days
    if freq == "week":  # 1970-01-01, day 0, was a Thursday: Monday is 3 days before it
        return np.asarray(days - ((days.astype(np.int64) + 3) % 7).astype("timedelta64[D]"))
    if freq == "year":
        return days.astype("datetime64[Y]").astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    if freq == "quarter":
        months = months - (months.astype(np.int64) % 3).astype("timedelta64[M]")
    return months.astype("datetime64[D]")


def period_range(first: np.datetime64, last: np.datetime64, freq: str) -> np.ndarray:
    """The first days of every period from ``first``'s to the one holding ``last`` (pandas' date_range with the
    period's start anchor), as datetime64[D]."""
    start = periods_of(np.array([first]), freq)[0]
    if freq in ("day", "week"):
        return np.arange(start, last + 1, 1 if freq == "day" else 7, dtype="datetime64[D]")
    step = {"month": 1, "quarter": 3, "year": 12}[freq]
    return np.arange(start.astype("datetime64[M]"), last.astype("datetime64[M]") + 1, step).astype("datetime64[D]")


def complete_periods(frame: pd.DataFrame, freq: str, where: EventFilter) -> pd.DataFrame:
    """``frame`` (with a ``period`` column) reindexed to every period of the range, gaps as NaN.

    The range is the filter's [start, end) when given, else the observed periods' span.
    """
    periods = pd.DatetimeIndex(pd.to_datetime(frame["period"]), name="period")
    if frame.empty and not (where.start and where.end):
        return frame.assign(period=periods)
    first = np.datetime64(where.start, "D") if where.start else np.datetime64(periods.min().date(), "D")
    last = np.datetime64(where.end, "D") - 1 if where.end else np.datetime64(periods.max().date(), "D")
    full = pd.DatetimeIndex(period_range(first, last, freq).astype("datetime64[ns]"), name="period")
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
    try:
        countries = resolve(spec.split(","))
    except InputError as exc:
        raise InputError(f"region {spec[:40]!r}: not a named region ({', '.join(known)}); as countries: {exc}"
                         ) from None
    if len(countries) < 2:
        raise InputError(f"region {spec[:40]!r}: name a region ({', '.join(known)}) or at least two countries")
    return BriefingRegion(spec, ", ".join(countries), countries, (), None)
