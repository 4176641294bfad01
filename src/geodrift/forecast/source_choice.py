"""Which source a forecast reads when the user names none.

Sources differ in coverage by orders of magnitude (GDELT re-emits every syndicated story, a curated list has one
page per report, an ICEWS sample two days), so pooled, the biggest one decides the pool of units, the coverage
feature and the backtest that picks the model: on a store of GDELT-Georgia 2011-13, two days of ICEWS and the curated
2020 set, a forecast for the eve of the 2020 war was made by a model chosen on Georgia 2011-13 and gave every dyad
about 5.5% (review 7, H4). A forecaster expects the forecast to read the source that covers the pair at the time;
pooling stays available on request (``--source all``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT

ALL = "all"
"""The ``--source`` value that pools every stored source (the old default)."""

RECENT_DAYS = 365


@dataclass(frozen=True)
class SourceChoice:
    """The source chosen, and why, in one sentence a reader can check."""

    source: str | None
    reason: str


def _names(unit: str) -> str:
    parts = [p.strip().upper() for p in unit.split("-")]
    if len(parts) == 1:
        return f"(actor1_country = '{parts[0]}' OR actor2_country = '{parts[0]}')"
    a, b = sorted(parts)[:2]
    return (f"((actor1_country = '{a}' AND actor2_country = '{b}') OR "
            f"(actor1_country = '{b}' AND actor2_country = '{a}'))")


def choose_source(store: Store, units: list[str], as_of: dt.date, source: str | None) -> SourceChoice:
    """``source`` as given, every source for ``ALL``, else the source with the most reports naming ``units`` in the
    year before ``as_of`` (known by then; ties and a quiet year: the most such reports ever before it)."""
    if source == ALL:
        return SourceChoice(None, "every stored source pooled (--source all)")
    if source:
        return SourceChoice(source, "--source")
    known = f"CAST({KNOWN_AT} AS DATE) < DATE '{as_of.isoformat()}' AND event_date < DATE '{as_of.isoformat()}'"
    recent = f"event_date >= DATE '{(as_of - dt.timedelta(days=RECENT_DAYS)).isoformat()}'"
    named = " OR ".join(_names(u) for u in units if u.replace("-", "").isalpha()) or "FALSE"
    counts = store.df(f"""SELECT source, count(*) FILTER (WHERE {recent}) AS recent, count(*) AS ever FROM events
                          WHERE {known} AND ({named}) GROUP BY 1 ORDER BY recent DESC, ever DESC, source""")
    if counts.empty:
        return SourceChoice(None, "no source names them before the as-of day")
    best = counts.iloc[0]
    window = f"in the {RECENT_DAYS} days before {as_of}" if best.recent else f"before {as_of}"
    mine = int(best.recent or best.ever)
    total = int(counts.recent.sum() if best.recent else counts.ever.sum())
    return SourceChoice(str(best.source), (
        f"the source with the most reports naming {', '.join(units)} {window} ({mine:,} of {total:,}); "
        "--source NAME for another, --source all to pool every source"))
