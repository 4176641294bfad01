"""What a briefing's window cannot hold, said rather than dropped: events dated only to a month (or a year) that the
window does not wholly cover, and undated records reported in it (analytics/salience.py ``unplaced``).

A weekly series counts month-dated events apart (docs/methods.md, "Dates known to a month"); a briefing over a window
of days does the same, and lists them, so a reader of 11-24 July knows that 7 events of July are in no day of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from geodrift.analytics.salience import unplaced
from geodrift.codebooks import BriefingRegion, capital, country_name, pair_name
from geodrift.codebooks.acts import directed_act, root_word, worded_code
from geodrift.query import EventFilter
from geodrift.report.document import Paragraph, Section, records
from geodrift.report.narrative import Narrator, shown_modality
from geodrift.store import Store

LISTED = 10
"""Events listed per period; the rest are counted ("and 4 more")."""


def unplaced_section(store: Store, region: BriefingRegion, start: dt.date, end: dt.date, where: EventFilter,
                     narrator: Narrator) -> tuple[Section | None, int]:
    """The section 'Not placed in this window': one item per month, year or 'undated', its events listed under it;
    None when every event of the window has a date it holds; and how many events it counts."""
    left = unplaced(store, region.countries, start, end, members=region.members, where=where)
    if left.empty:
        return None, 0
    section = Section("Not placed in this window")
    periods = left.assign(label=[_label(r.precision, r.period) for r in records(left)])
    for label, group in periods.groupby("label", sort=False):
        rows = records(group)
        key = "unplaced_undated" if rows[0].precision == "unknown" else "unplaced_period"
        more = f" The first {LISTED} are listed." if len(rows) > LISTED else ""
        section.items.append(Paragraph(narrator.say(key, {"n": len(rows), "period": label}) + more,
                                       [str(r.event_id) for r in rows[:LISTED]],
                                       [Paragraph(_item(r), [str(r.event_id)]) for r in rows[:LISTED]]))
    return section, len(left)


def _label(precision: str, period: Any) -> str:
    """'July 2020', '2020', or 'undated' for the group an event is counted in."""
    day = pd.Timestamp(period)
    return {"month": f"{day:%B %Y}", "year": f"{day:%Y}"}.get(precision, "undated")


def _item(row: Any) -> str:
    """'Armenia and Russia: consult: 1 report, dated only to July 2020' / '..., reported 15 Jul 2021, undated', or
    'Turkey threatened Armenia: 2 reports, ...' where its reports agree on who acted on whom (as a development)."""
    root = str(row.root)
    modality = shown_modality(row.modality, root)
    reports = f"{int(row.reports)} report{'s' if int(row.reports) != 1 else ''}"
    when = (f"reported {pd.Timestamp(row.period):%d %b %Y}, undated" if row.precision == "unknown"
            else f"dated only to {_label(row.precision, row.period)}")
    if isinstance(row.actor, str) and isinstance(row.target, str) and modality == "actual":
        said = directed_act(worded_code(row), country_name(row.actor), country_name(row.target))
        return f"{capital(said)}: {reports}, {when}"
    who = capital(pair_name(row.a, row.b if isinstance(row.b, str) else None))
    return f"{who}{f' ({modality})' if modality != 'actual' else ''}: {root_word(root)}: {reports}, {when}"
