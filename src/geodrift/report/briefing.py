"""The daily briefing: the day's developments in a region ranked by salience, flare-ups, alignment shifts and
what to watch, every item citing the stored events behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from geodrift.analytics.alignment import shift_direction
from geodrift.analytics.clusters import distinct_events, sources_phrase, witness_note
from geodrift.analytics.coverage import uncovered
from geodrift.analytics.dyads import dyad_events, dyad_series, dyad_undated, undated_note
from geodrift.analytics.flareups import flareups
from geodrift.analytics.shifts import alignment_drift
from geodrift.codebooks import BriefingRegion, capital, country_name, outlet_country, pair_name
from geodrift.codebooks.acts import directed_act, root_word, worded_code
from geodrift.errors import InputError
from geodrift.query import EventFilter, check_day
from geodrift.report.charts import series_chart
from geodrift.report.citations import citations
from geodrift.report.document import Chart, Document, Paragraph, Section, Table, now_iso, records
from geodrift.report.forecasts import latest_forecasts, watched_units
from geodrift.report.narrative import Narrator, TemplateNarrator, percent, shown_modality, signed
from geodrift.report.occasions import occasions
from geodrift.report.risks import conflict_items
from geodrift.report.unplaced import unplaced_section
from geodrift.store import Store

BASELINE_DAYS = 90
SHIFT_MONTHS = 6
CITES_PER_ITEM = 5


def names(codes: list[str] | tuple[str, ...]) -> str:
    """'Armenia, Azerbaijan and Georgia'."""
    named = [country_name(c) for c in codes]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _span(start: dt.date, end: dt.date) -> str:
    last = end - dt.timedelta(days=1)
    return f"{start:%d %B %Y}" if start == last else f"{start:%d %B} to {last:%d %B %Y}"


def development_text(row: Any, narrator: Narrator) -> str:
    """One ranked development as a sentence."""
    what = root_word(str(row.root))
    who = capital(pair_name(row.a, row.b))
    parties: Any = getattr(row, "parties", None)
    actor, target = getattr(row, "actor", None), getattr(row, "target", None)
    modality = shown_modality(row.modality, row.root)
    if _named(row.a, row.b, parties):  # one statement to two parties, one occasion of three (report/grouping.py)
        who = names(list(parties))
    elif isinstance(actor, str) and isinstance(target, str) and modality == "actual":
        # its events agree on who acted on whom; a denied or planned act is not told as done, but a threat is its own
        # act ("Armenia threatened Azerbaijan", not "Armenia and Azerbaijan: threaten")
        who, what = capital(directed_act(worded_code(row), country_name(actor), country_name(target))), ""
    year = bool(getattr(row, "with_year", False))  # a timeline over several years (report/occasions.key_events)
    return narrator.say("development", {
        "who": who, "what": what, "modality": modality, "places": row.places[:3],
        "events": row.events,
        "reports": row.reports, "sources": sources_phrase(row.outlets, int(row.sources), row.datasets),
        "note": witness_note(int(row.sources), [outlet_country(o) for o in row.outlets], (row.a, row.b),
                             row.outlets),
        "first_date": _day(row.first_date, row.first_month_only, year),
        "last_date": _day(row.last_date, row.last_month_only, year),
        "baseline": row.baseline, "baseline_days": BASELINE_DAYS,
        "disowned": _disowned(getattr(row, "disowned", None))})


def _day(day: pd.Timestamp, month_only: bool, year: bool) -> str:
    """'09 Nov' or 'November' (a date known to its month), with the year where a list spans several."""
    return f"{day:{('%B' if month_only else '%d %b') + (' %Y' if year else '')}}"


def _named(a: str, b: object, parties: object) -> bool:
    """Whether a development names its parties rather than its own pair: a merged one whose parties are others
    ("Azerbaijan: fight" and "Armenia and Azerbaijan: fight" at Shusha are Armenia and Azerbaijan)."""
    return isinstance(parties, (list, tuple)) and len(parties) > 1 and set(parties) != {a, b}


def _disowned(days: object) -> str | None:
    """'the same day' or 'within 1 day' for an act disowned by its actor's apology (report/occasions.py), else None."""
    if not isinstance(days, (int, float)) or days != days:
        return None
    return "the same day" if int(days) == 0 else f"within {int(days)} day{'s' if int(days) != 1 else ''}"


def _parts(row: Any, narrator: Narrator) -> list[Paragraph]:
    """The developments an occasion is made of (report/grouping.py's ``parts``), each with its own citations."""
    return [Paragraph(development_text(SimpleNamespace(**part), narrator), list(part["event_ids"][:CITES_PER_ITEM]))
            for part in (getattr(row, "parts", None) or [])]


def build_briefing(store: Store, day: dt.date, region: BriefingRegion, out_dir: Path, *, days: int = 1,
                   narrator: Narrator | None = None, forecasts: pd.DataFrame | None = None, top: int = 15,
                   unit: str = "clusters", as_of: dt.date | None = None) -> Document:
    """The briefing for the ``days`` days ending on ``day`` (inclusive), for ``region``.

    ``forecasts`` (stored forecasts, report/forecasts.stored_forecasts) fill 'What to watch'. Events are counted by
    ``unit``; with ``as_of``, only reports known by that day count (the briefing as it could have been written then).
    """
    base = EventFilter(unit=unit, known_by=as_of)
    if days < 1:
        raise InputError("--days must be at least 1")
    check_day(day, "--date")
    narrator = narrator or TemplateNarrator()
    out_dir.mkdir(parents=True, exist_ok=True)
    end = day + dt.timedelta(days=1)
    start = end - dt.timedelta(days=days)
    span = _span(start, end)
    found = occasions(store, region.countries, start, end, members=region.members, baseline_days=BASELINE_DAYS,
                      where=base)
    apart, unplaced = unplaced_section(store, region, start, end, base, narrator)
    sections = [_overview(found, region, span, narrator, unplaced), _developments(found, narrator, top)]
    sections.append(_flareups(store, found, region, start, end, narrator, base))
    sections.append(_shifts(store, region, day, narrator, base))
    sections.append(_watch(store, region, day, forecasts, narrator))
    sections += [apart] if apart else []  # last: what the window holds first, then what it cannot place
    chart = _chart(store, found, end, out_dir, base)
    if chart:
        sections[1].charts.append(chart)
    document = Document(
        kind="briefing", title=f"{region.name} briefing, {day:%d %B %Y}",
        subtitle=f"Events among {names(region.countries)} dated {span}, ranked by salience "
                 f"(sources, escalation, novelty against the previous {BASELINE_DAYS} days)"
                 + (f"; as known on {as_of:%d %B %Y}, from reports published by then." if as_of else "."),
        generated=now_iso(), sections=sections, citations={},
        parameters={"date": day.isoformat(), "days": days, "region": region.region, "countries": list(region.countries),
                    "unit": unit, **({"as_of": as_of.isoformat()} if as_of else {})})
    document.citations = citations(store, document.cited_ids())
    return document


def _overview(found: pd.DataFrame, region: BriefingRegion, span: str, narrator: Narrator, apart: int = 0) -> Section:
    section = Section("Summary")
    if found.empty:
        section.paragraphs.append(Paragraph(narrator.say("no_developments", {
            "countries": names(region.members), "span": span, "apart": apart})))
        return section
    first = records(found)[0]
    outlets = {o for row in found.outlets for o in row}
    section.paragraphs.append(Paragraph(narrator.say("overview", {
        "events": int(found.events.sum()), "countries": names(_involved(found, region)), "span": span,
        "sources": sources_phrase(outlets, int(found.sources.max()), {d for row in found.datasets for d in row}),
        "developments": len(found),
        "top": development_text(first, narrator)}), list(first.event_ids[:CITES_PER_ITEM])))
    return section


def _involved(found: pd.DataFrame, region: BriefingRegion) -> list[str]:
    """The countries the developments involve, the region's members first: a week of Armenia, Azerbaijan and
    Russia is not one "involving Armenia, Azerbaijan and Georgia"."""
    parties = {p for row in records(found) for p in (row.a, row.b, *(getattr(row, "parties", None) or []))
               if isinstance(p, str)}
    return [c for c in region.countries if c in parties] + sorted(parties - set(region.countries))


def _pair_code(row: Any) -> str:
    """'ARM–AZE', 'within ARM' (an internal event), 'AZE–·' (no second party); 'ARM–AZE–RUS' for a development
    merged across countries (report/grouping.py's ``parties``), as its sentence names them all; 'AZE → RUS' for one
    whose events agree on who acted on whom and that is told as done (its sentence: "Azerbaijan fought Russia")."""
    a, b, parties = row.a, row.b, getattr(row, "parties", None)
    if _named(a, b, parties):
        return "–".join(parties)  # type: ignore[arg-type]
    actor, target = getattr(row, "actor", None), getattr(row, "target", None)
    if isinstance(actor, str) and isinstance(target, str) and shown_modality(row.modality, row.root) == "actual":
        return f"{actor} → {target}"
    return f"within {a}" if a == b else f"{a}–{b if isinstance(b, str) else '·'}"


def _developments(found: pd.DataFrame, narrator: Narrator, top: int) -> Section:
    """The ``top`` most salient developments, each occasion's parts under it; the table ranks them all, and a cut
    list says how many it shows of how many."""
    section = Section("Developments")
    for row in records(found.head(top)):
        section.items.append(Paragraph(development_text(row, narrator), list(row.event_ids[:CITES_PER_ITEM]),
                                       _parts(row, narrator)))
    if len(found) > top:
        section.paragraphs.append(Paragraph(narrator.say("cut_list", {
            "shown": top, "of": len(found), "what": "developments", "rest": "the table below ranks all of them"})))
    if not found.empty:
        section.tables.append(Table(
            "How each development was ranked (weight: distinct outlets, or GDELT's NumSources when larger)",
            ["#", "countries", "CAMEO root", "CAMEO code", "modality", "events", "reports", "weight", "mean Goldstein",
             "novelty", "salience"],
            [[str(i + 1), _pair_code(r), str(r.root), str(getattr(r, "code", None) or "–"),
              shown_modality(r.modality, r.root), str(r.events), str(r.reports), str(r.sources),
              signed(r.goldstein) if pd.notna(r.goldstein) else "–", f"{r.novelty:.1f}", f"{r.salience:.2f}"]
             for i, r in enumerate(records(found))]))
    return section


def _last_event(store: Store) -> dt.date | None:
    """The store's last event date: past it, "no flare-up" or "no shift" would be a finding without data."""
    last = store.df("SELECT max(event_date) AS last FROM events").iloc[0]["last"]
    return None if pd.isna(last) else pd.Timestamp(last).date()


def _no_data(section: Section, store: Store, since: dt.date, narrator: Narrator, what: str) -> bool:
    """Say so and return True when the store holds no event on or after ``since``."""
    last = _last_event(store)
    if last is not None and last >= since:
        return False
    section.paragraphs.append(Paragraph(narrator.say("no_data_after", {
        "what": what, "since": f"{since:%d %B %Y}", "last": f"{last:%d %B %Y}" if last else None})))
    return True


def _flareups(store: Store, found: pd.DataFrame, region: BriefingRegion, start: dt.date, end: dt.date,
              narrator: Narrator, base: EventFilter) -> Section:
    section = Section("Flare-ups")
    if _no_data(section, store, start, narrator, "flare-ups"):
        return section
    pairs = sorted({(r.a, r.b) for r in records(found) if r.quad_class == 4 and isinstance(r.b, str)})
    week_start = pd.Timestamp(start) - pd.Timedelta(days=start.weekday())
    history = replace(base, start=week_start.date(), end=end)
    untested = []
    for a, b in pairs:
        try:
            weeks = flareups(store, a, b, freq="week", where=history)
        except InputError:  # no week of the window has enough weeks with data before it
            untested.append(pair_name(a, b) if a == b else f"between {pair_name(a, b)}")
            continue
        flagged = weeks[weeks.flare_up]
        for row in records(flagged):
            conflict = dyad_events(store, a, b, freq="week", where=replace(
                base, start=row.period.date(), end=(row.period + pd.Timedelta(days=7)).date()))
            conflict = conflict[conflict.quad_class == 4].sort_values("w", ascending=False)
            section.items.append(Paragraph(narrator.say("flareup", {
                "where": pair_name(a, b) if a == b else f"between {pair_name(a, b)}",
                "events": int(row.conflict_events - row.untested),  # the events of sources with a history
                "week": f"{row.period:%d %B %Y}", "expected": f"{row.expected:.1f}", "baseline": int(row.history),
                "p": f"{row.p_value:.2g}"}),
                distinct_events(store, list(conflict.event_id), CITES_PER_ITEM)))
    if untested:
        section.paragraphs.append(Paragraph(narrator.say("flareups_untested", {"pairs": untested})))
    if not section.items and not untested:
        section.paragraphs.append(Paragraph(narrator.say("no_flareups", {"countries": names(region.members)})))
    return section


def _shifts(store: Store, region: BriefingRegion, day: dt.date, narrator: Narrator, base: EventFilter) -> Section:
    section = Section("Alignment shifts")
    since = pd.Timestamp(day) - pd.DateOffset(months=SHIFT_MONTHS)
    if _no_data(section, store, since.date(), narrator, "alignment shifts"):
        return section
    if region.poles is None:
        section.paragraphs.append(Paragraph(narrator.say("no_poles", {"countries": names(region.members)})))
        return section
    pole_a, pole_b = region.poles
    where = replace(base, start=day - dt.timedelta(days=730), end=day + dt.timedelta(days=1))
    for swing in region.members:
        if swing in (pole_a, pole_b):
            continue
        try:
            drift = alignment_drift(store, swing, pole_a, pole_b, where=where)
        except InputError:
            continue
        for point in drift.points:
            if point.date < since:
                continue
            evidence = drift.evidence.get(point.date, pd.DataFrame(columns=["event_id"]))
            section.items.append(Paragraph(narrator.say("shift", {
                "swing": country_name(swing), "pole_a": country_name(pole_a), "pole_b": country_name(pole_b),
                "toward": shift_direction(drift.series, point.date, point.shift, country_name(pole_a),
                                          country_name(pole_b)), "month": f"{point.date:%B %Y}",
                "before": signed(point.before), "after": signed(point.after), "shift_sd": f"{abs(point.shift_sd):.1f}",
                "confidence": percent(point.confidence)}), distinct_events(store, list(evidence.event_id), CITES_PER_ITEM)))
    if not section.items:
        section.paragraphs.append(Paragraph(narrator.say("no_shifts", {
            "swings": names([m for m in region.members if m not in region.poles]), "pole_a": country_name(pole_a),
            "pole_b": country_name(pole_b), "months": SHIFT_MONTHS, "day": f"{day:%d %B %Y}"})))
    return section


def _whole(value: object, missing: int) -> int:
    """A count stored with a forecast, or ``missing`` when the forecast was stored without it (e.g. no backtest)."""
    try:
        return int(float(str(value)))
    except ValueError:  # None, NaN, <NA>
        return missing


def _text(value: object) -> str | None:
    """A text stored with a forecast, or None where it was stored without it (before schema 16, or no record)."""
    return value if isinstance(value, str) and value else None


def forecast_items(forecasts: pd.DataFrame | None, narrator: Narrator) -> list[Paragraph]:
    """Stored forecasts (report/forecasts.stored_forecasts) as sentences with their backtest record, most likely
    escalation first (its horizons shortest first), then alignment outlooks, then conflict risks (UCDP/COW) with their
    record and vintage."""
    if forecasts is None or forecasts.empty:
        return []
    items = []
    # the pair most likely to escalate first, each pair's horizons shortest first: read by p alone, one pair's 30 days
    # came before its 7 and the next pair's after, and "the 7-day value" could name a forecast listed below it
    escalation = forecasts[forecasts.task == "escalation"]
    escalation = escalation.assign(top=escalation.groupby("unit").p.transform("max")).sort_values(
        ["top", "unit", "horizon"], ascending=[False, True, True]).drop(columns="top")
    said: dict[tuple[Any, ...], Any] = {}  # each horizon's backtest record is said once, with its first forecast
    for row in records(escalation):
        record = (row.task, int(row.horizon))
        first = record not in said
        said.setdefault(record, row.model)
        parts = str(row.unit).split("-")
        where = f"between {names(parts)}" if len(parts) == 2 else f"involving {country_name(parts[0])}"
        shorter = escalation[(escalation.unit == row.unit) & (escalation.horizon < row.horizon)]
        observed = getattr(row, "observed", None)
        items.append(Paragraph(narrator.say("forecast", {
            "where": where[0].upper() + where[1:], "k": _whole(row.k, 1), "horizon": int(row.horizon),
            "as_of": f"{pd.Timestamp(row.as_of):%d %B %Y}",
            "p": percent(float(row.p)), "model": row.model,
            "skill": "n/a" if pd.isna(row.skill_climatology) else signed(float(row.skill_climatology)),
            "skill_persistence": "n/a" if pd.isna(row.skill_persistence) else signed(float(row.skill_persistence)),
            "n": _whole(row.backtest_forecasts, 0), "data": _text(getattr(row, "backtest_data", None)),
            "same_as": int(shorter.horizon.max()) if (shorter.p == row.p).any() else None,
            "closed": None if observed is None or pd.isna(observed) else f"{pd.Timestamp(row.window_end):%d %B %Y}",
            "observed": None if observed is None or pd.isna(observed) else int(observed),
            "record": first, "usual": said[record], "more": _more(escalation, row)})))
    for row in records(forecasts[forecasts.task.str.startswith("alignment")]):
        record = (row.task, int(row.horizon))
        first = record not in said
        said.setdefault(record, row.model)
        pole_a, pole_b = str(row.task).split()[-1].split("-")
        items.append(Paragraph(narrator.say("forecast_alignment", {
            "swing": country_name(row.unit), "horizon": int(row.horizon), "year": pd.Timestamp(row.as_of).year,
            "mean": signed(float(row.mean)), "lo": signed(float(row.lo)), "hi": signed(float(row.hi)),
            "pole_a": country_name(pole_a), "pole_b": country_name(pole_b), "p": percent(float(row.p)),
            "model": row.model, "skill": signed(float(row.skill_climatology)), "record": first,
            "usual": said[record], "more": _more(forecasts, row)})))
    return items + conflict_items(forecasts, narrator)


def _more(forecasts: pd.DataFrame, row: Any) -> bool:
    """Whether other forecasts of ``row``'s task and horizon follow, which its stated record then covers."""
    return int(((forecasts.task == row.task) & (forecasts.horizon == row.horizon)).sum()) > 1


def _watch(store: Store, region: BriefingRegion, day: dt.date, forecasts: pd.DataFrame | None,
           narrator: Narrator) -> Section:
    """The open forecasts; with none open on ``day``, whether none are stored or only closed ones (a store whose
    forecasts were made for 2020 has forecasts, just none about this day)."""
    section = Section("What to watch")
    section.items = forecast_items(forecasts, narrator)
    if section.items:
        return section
    latest = latest_forecasts(store, watched_units(region), limit=1)
    if latest.empty:
        section.paragraphs.append(Paragraph(narrator.say("no_forecasts", {})))
    else:
        row = records(latest)[0]
        section.paragraphs.append(Paragraph(narrator.say("no_open_forecasts", {
            "day": f"{day:%d %B %Y}", "as_of": f"{pd.Timestamp(row.as_of):%d %B %Y}",
            "ended": f"{pd.Timestamp(row.window_end):%d %B %Y}"})))
    return section


def _chart(store: Store, found: pd.DataFrame, end: dt.date, out_dir: Path, base: EventFilter) -> Chart | None:
    """Weekly conflict and cooperation events of the most salient pair over the last half year, counted as the text
    counts (``base``: its unit, and only reports known by an as-of day, whose chart must equal the one a store of
    what was known then draws)."""
    pairs = found[found.b.notna()]
    if pairs.empty:
        return None
    a, b = records(pairs)[0].a, records(pairs)[0].b
    where = replace(base, start=end - dt.timedelta(weeks=26), end=end)
    series = dyad_series(store, a, b, freq="week", where=where)
    if series.events.sum() == 0:
        return None
    apart = undated_note(dyad_undated(store, a, b, freq="week", where=where), "week")
    path = out_dir / f"briefing_{a}_{b}_weekly.png"
    title = f"{capital(pair_name(a, b, '–'))}: material-conflict events per week"
    gaps = uncovered(store, [a, b], series.period, known_by=base.known_by)
    series_chart(series, "conflict_events", path, title=title, ylabel="events", gaps=gaps)
    # the series runs from the week holding its first day: 27 weeks where the 26 weeks back start mid-week
    shaded = int(gaps.sum())
    return Chart(title, path, f"Line chart of weekly material-conflict events, each counted once however many "
                              f"sources told it (the height is a count, not weighted by sources), "
                              f"{pair_name(a, b) if a == b else 'between ' + pair_name(a, b)} "
                              f"in the {len(series)} weeks to {end - dt.timedelta(days=1):%d %B %Y}"
                              + (f"; {shaded} of them, with no stored event of either country, "
                                 f"{'is' if shaded == 1 else 'are'} shaded as no data, not drawn as zero"
                                 if shaded else "")
                              + ("; none holds a material-conflict event" if series.conflict_events.sum() == 0
                                 else "") + "."
                              + (f" Not drawn: {apart}." if apart else ""))
