"""The country analysis: where a swing state stands between two poles, whether it drifted, and the evidence
on both sides, from events and UN votes, with the balance of sources behind the conclusion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from geodrift.analytics.alignment import alignment_events, alignment_series, alignment_summary, shift_direction
from geodrift.analytics.clusters import cluster_ids, distinct_events, with_clusters
from geodrift.analytics.dyads import dyad_series
from geodrift.analytics.salience import developments
from geodrift.analytics.shifts import alignment_drift
from geodrift.analytics.unvotes import POSITION_SCALE, unvote_alignment
from geodrift.codebooks import country_name, outlet_country
from geodrift.errors import InputError
from geodrift.events import count_label
from geodrift.query import EventFilter, parse_day
from geodrift.report.briefing import development_text, forecast_items
from geodrift.report.charts import series_chart
from geodrift.report.citations import citations
from geodrift.report.document import Chart, Document, Paragraph, Section, Table, now_iso, records
from geodrift.report.evidence import collapse, disowns, grouped, items
from geodrift.report.evidence_lists import LABELS, Item, evidence_sections, happenings
from geodrift.report.forecasts import with_outcomes
from geodrift.report.grouping import acts, cluster_sentences, deal_days, merge_developments, report_places, same_deal, sentences
from geodrift.report.narrative import Narrator, TemplateNarrator, interval, percent, signed
from geodrift.report.occasions import key_events
from geodrift.store import Store


def build_analysis(store: Store, swing: str, pole_a: str, pole_b: str, start: dt.date | str, end: dt.date | str,
                   out_dir: Path, *, narrator: Narrator | None = None, forecasts: pd.DataFrame | None = None) -> Document:
    """The analysis of ``swing`` between ``pole_a`` (-1) and ``pole_b`` (+1) over [start, end) (dates or ISO strings)."""
    start = parse_day(start, "start") if isinstance(start, str) else start
    end = parse_day(end, "end") if isinstance(end, str) else end
    narrator = narrator or TemplateNarrator()
    out_dir.mkdir(parents=True, exist_ok=True)
    where = EventFilter(start=start, end=end)
    # Its reports, grouped into their clusters below (with_clusters, collapse): the counts need both units.
    read = EventFilter(start=start, end=end, unit="reports")
    events = alignment_events(store, swing, pole_a, pole_b, where=read)
    if events.empty:
        raise InputError(f"no events between {swing} and {pole_a} or {pole_b} from {start} to {end - dt.timedelta(days=1)}: "
                         "nothing to analyse (check the store with `geodrift db info`)")
    events["contribution"] = events.w * events.goldstein * events.pole.map({"A": -1.0, "B": 1.0}) / 20
    events["outlet_country"] = [outlet_country(o, u) for o, u in zip(events.outlet, events.source_url, strict=True)]
    events = with_clusters(store, events, read)  # with each cluster's representative, as the measures pick it
    clusters = collapse(events)  # one row per happening: the analysis weighs events, not their echoes
    names = {"swing": country_name(swing), "pole_a": country_name(pole_a), "pole_b": country_name(pole_b)}
    overall = alignment_summary(clusters)
    direction = _direction(overall)
    # one item per real-world event: the clusters of one occasion grouped by the timeline's rule (report/grouping.py)
    found = grouped(items(clusters), sentences(store, events.event_id), report_places(store, events.event_id))
    sections = [_thesis(store, swing, pole_a, pole_b, where, clusters, found, overall, names, start, end, out_dir,
                        narrator)]
    sections.append(_event_view(store, swing, pole_a, pole_b, where, names, out_dir, narrator, clusters))
    evidence, counted = evidence_sections(found, direction or 1.0, names, (swing, pole_a, pole_b), narrator)
    sections.append(_timeline(store, swing, pole_a, pole_b, start, end, narrator, evidence, counted))
    sections += evidence
    sections.append(_unvotes(store, swing, pole_a, pole_b, end, names, out_dir, narrator))
    sections.append(_balance(events, overall, narrator))
    if forecasts is not None and not forecasts.empty:
        sections.append(Section("What to watch", items=forecast_items(with_outcomes(store, forecasts, end), narrator)))
    document = Document(
        kind="analysis", title=f"{names['swing']} between {names['pole_a']} and {names['pole_b']}",
        subtitle=f"Country analysis from stored events and UN votes, {start:%d %B %Y} to "
                 f"{end - dt.timedelta(days=1):%d %B %Y}. Alignment runs from -1 ({names['pole_a']}) "
                 f"to +1 ({names['pole_b']}).",
        generated=now_iso(), sections=sections, citations={},
        parameters={"country": swing, "poles": [pole_a, pole_b], "from": start.isoformat(),
                    "to": (end - dt.timedelta(days=1)).isoformat()})  # the last day, as `--to` and the API's `to` take it
    document.citations = citations(store, document.cited_ids())
    return document


def _direction(summary: dict[str, float]) -> float | None:
    """+1 toward pole B, -1 toward pole A, None when the interval includes 0."""
    if summary["lo"] > 0:
        return 1.0
    if summary["hi"] < 0:
        return -1.0
    return None


def _fmt_summary(summary: dict[str, float], clusters: pd.DataFrame) -> dict[str, str | int]:
    """The summary's numbers for a sentence: n_a/n_b are distinct events (clusters), r_a/r_b their reports."""
    reports = clusters.groupby("pole").reports.sum() if len(clusters) else pd.Series(dtype=int)
    known = summary["lo"] == summary["lo"]
    return {"alignment": signed(summary["alignment"]), "lo": signed(summary["lo"]), "hi": signed(summary["hi"]),
            "interval": (f"90% interval {interval(summary['lo'], summary['hi'])}, which includes 0" if known
                         else "too few distinct events for an interval"),
            "n_a": int(summary["n_a"]), "n_b": int(summary["n_b"]),
            "r_a": int(reports.get("A", 0)), "r_b": int(reports.get("B", 0))}


def _period_starts(days: pd.Series, freq: str) -> pd.Series:
    """The month or (Monday) week each day falls in, as the alignment series labels its periods."""
    days = pd.to_datetime(days)
    return days.dt.to_period("M" if freq == "month" else "W-SUN").dt.start_time


def _top(found: list[Item], sign: float, n: int = 5) -> list[str]:
    """The best report of each of the ``n`` heaviest evidence items (real-world events) pointing in direction
    ``sign`` that no act reversed within days: a reversed act is no ground for a thesis."""
    chosen = sorted((i for i in found if i[1] is None and i[2] * sign > 0), key=lambda i: -abs(i[2]))
    return [str(row.event_id) for row, _, _ in chosen[:n]]


def _thesis(store: Store, swing: str, pole_a: str, pole_b: str, where: EventFilter, events: pd.DataFrame,
            found: list[Item], overall: dict[str, float], names: dict[str, str], start: dt.date, end: dt.date,
            out_dir: Path, narrator: Narrator) -> Section:
    section = Section("Thesis")
    direction = _direction(overall)
    facts = {**names, **_fmt_summary(overall, events), "start": f"{start:%d %B %Y}",
             "end": f"{end - dt.timedelta(days=1):%d %B %Y}", "e_a": happenings(found, "A"),
             "e_b": happenings(found, "B")}
    if direction is None:
        section.paragraphs.append(Paragraph(narrator.say("thesis_unclear", facts), _top(found, 1) + _top(found, -1)))
    else:
        closer, farther = (names["pole_b"], names["pole_a"]) if direction > 0 else (names["pole_a"], names["pole_b"])
        section.paragraphs.append(Paragraph(narrator.say("thesis", {**facts, "closer": closer, "farther": farther}),
                                            _top(found, direction)))
    freq = "month" if (end - start).days >= 365 else "week"
    try:
        drift = alignment_drift(store, swing, pole_a, pole_b, freq=freq, where=where)
    except InputError:
        drift = None
    series = drift.series if drift else alignment_series(store, swing, pole_a, pole_b, freq=freq, where=where)
    periods = int(series.alignment.notna().sum())
    points = drift.points if drift else []
    for point in points:
        assert drift is not None
        evidence = drift.evidence.get(point.date, pd.DataFrame(columns=["event_id"]))
        section.paragraphs.append(Paragraph(narrator.say("drift", {
            "when": f"{point.date:%B %Y}" if freq == "month" else f"the week of {point.date:%d %B %Y}", "freq": freq,
            "before": signed(point.before), "after": signed(point.after),
            "shift_sd": f"{abs(point.shift_sd):.1f}", "confidence": percent(point.confidence),
            "toward": shift_direction(drift.series, point.date, point.shift, names["pole_a"], names["pole_b"])}),
            distinct_events(store, list(evidence.event_id), 5)))
    if not points:
        section.paragraphs.append(Paragraph(narrator.say("no_drift", {"periods": periods, "freq": freq})))
    # Counts beside the thesis are in its unit, distinct events, with their reports in brackets; the per-period
    # alignment values come from the period's distinct events too (analytics.alignment_series, unit clusters).
    starts = _period_starts(events.event_date, freq)
    per = events.assign(start=starts).groupby(["start", "pole"]).agg(n=("reports", "size"), r=("reports", "sum"))
    counts = {key: (int(n), int(r)) for key, n, r in zip(per.index, per.n.to_numpy(int), per.r.to_numpy(int),
                                                           strict=True)}

    def cell(period: pd.Timestamp, pole: str) -> str:
        n, r = counts.get((period, pole), (0, 0))
        return f"{n} ({r})"

    section.tables.append(Table(
        f"Alignment per {freq} (shrunken source-weighted Goldstein gap of the {freq}'s event clusters, each weighed "
        f"as its representative act, 90% bootstrap interval; counts are event clusters, one coded act each, with "
        f"their reports in brackets; "
        f"{count_label(int(series.alignment.isna().sum()), freq)} without events omitted)",
        [freq, f"events with {pole_a} (reports)", f"events with {pole_b} (reports)", "alignment", "interval"],
        [[f"{r.period:%Y-%m-%d}" if freq == "week" else f"{r.period:%Y-%m}", cell(pd.Timestamp(r.period), "A"),
          cell(pd.Timestamp(r.period), "B"), signed(r.alignment),
          interval(r.lo, r.hi)]
         for r in records(series) if r.alignment == r.alignment]))
    if periods:
        path = out_dir / f"analysis_{swing}_{pole_a}_{pole_b}_alignment.png"
        title = f"{names['swing']} between {names['pole_a']} (-1) and {names['pole_b']} (+1), per {freq}"
        series_chart(series, "alignment", path, lo="lo", hi="hi", changes=[p.date for p in points],
                     ylabel=f"← {pole_a}   alignment   {pole_b} →", title=title)
        section.charts.append(Chart(title, path, f"Alignment of {names['swing']} per {freq} with a 90% interval band"
                                                 f"{' and dashed change-point lines' if points else ''}; each "
                                                 f"{freq}'s event clusters weigh by their distinct sources, so a "
                                                 "widely reported act moves it more than a little-reported one."))
    return section


def _event_view(store: Store, swing: str, pole_a: str, pole_b: str, where: EventFilter, names: dict[str, str],
                out_dir: Path, narrator: Narrator, clusters: pd.DataFrame) -> Section:
    """Per dyad: its distinct events (clusters) and reports in one sentence, and the monthly chart of its reports."""
    section = Section("The event view: each dyad")
    for pole, side in ((pole_a, "A"), (pole_b, "B")):
        series = dyad_series(store, swing, pole, freq="month", where=where)
        total = int(series.events.sum())
        mine = clusters[clusters.pole == side]
        # The dyad measure of `geodrift dyads` and `matrix`: each event's (cluster's representative) Goldstein value
        # weighted by its sources (docs/methods.md, "Event weights and coverage"); and the same without an act its
        # actor disowned within days and the apology, which the evidence weighs nothing (report/evidence.py)
        gone = mine[mine.cluster_id.isin({x.cluster_id for row, back, _ in items(mine)
                                          if back is not None and disowns(row, back) for x in (row, back)})]
        total_sum, total_w = float(series.goldstein_sum.sum()), float(series.weight.sum())
        kept_w = total_w - float(gone.w.sum())
        cooperative = pd.to_numeric(mine.event_code.str[:2], errors="coerce").fillna(99) <= 8
        section.paragraphs.append(Paragraph(narrator.say("event_dyad", {
            "swing": names["swing"], "pole": country_name(pole), "events": len(mine), "reports": int(mine.reports.sum()),
            "goldstein": signed(total_sum / total_w if total_w else 0.0), "disowned": len(gone) // 2,
            "kept": signed((total_sum - float((gone.goldstein * gone.w).sum())) / kept_w if kept_w > 0 else 0.0),
            "coop": int(cooperative.sum()), "conflict": int((~cooperative).sum())})))
        if total:
            path = out_dir / f"analysis_{swing}_{pole}_goldstein.png"
            title = f"{names['swing']}–{country_name(pole)}: mean Goldstein per month"
            series_chart(series, "goldstein_mean", path, title=title, ylabel="Goldstein (-10 conflict … +10 cooperation)")
            section.charts.append(Chart(title, path, f"Monthly mean Goldstein value of the event clusters between "
                                                     f"{names['swing']} and {country_name(pole)}, each weighted by its "
                                                     "distinct sources (the height is a mean on the -10 to +10 scale, "
                                                     "not a count)."))
    return section


def _timeline(store: Store, swing: str, pole_a: str, pole_b: str, start: dt.date, end: dt.date,
              narrator: Narrator, evidence: list[Section], counted: dict[str, int]) -> Section:
    """The most salient developments by day, those telling one happening merged (report/grouping.py); an item that
    tells an evidence item's event names it instead of citing it again, and says so when the two count its reports
    differently (``counted``: each evidence item's reports), so one happening has one count or a stated reason."""
    section = Section("Timeline of key events")
    found = developments(store, [swing, pole_a, pole_b, *_neighbours(store, swing, start, end)], start, end,
                         members=[swing], by_day=True)
    said = sentences(store, (e for ids in found.event_ids for e in ids))
    found = key_events(merge_developments(found, said, acts(store, (e for ids in found.event_ids for e in ids))), 15)
    shown = {e: f"{LABELS[s.heading]} {n}" for s in evidence
             for n, item in enumerate(s.items, 1) for e in item.cites}
    told = cluster_sentences(store, [*shown, *(e for ids in found.event_ids for e in ids)])
    listed = cluster_ids(store, [*shown, *(e for ids in found.event_ids for e in ids)])
    by_cluster = {listed[e]: where for e, where in shown.items()}
    by_sentence = {t: where for e, where in shown.items() for t in told.get(e, ())}
    deals = deal_days(store, told.keys() | listed.keys())
    deal_refs = [(deals[e], where) for e, where in shown.items() if e in deals]
    for row in records(found.sort_values("first_date")):
        refs = [by_cluster.get(listed[e]) or next((by_sentence[t] for t in told.get(e, ()) if t in by_sentence), "")
                or next((where for d, where in deal_refs if same_deal(deals.get(e, frozenset()), d)), "")
                for e in row.event_ids]
        cites = [e for e, r in zip(row.event_ids, refs, strict=True) if not r][:3]
        # "evidence for 1, evidence for 2": in the order the sections list them
        order = list(LABELS.values())
        refs = sorted(dict.fromkeys(r for r in refs if r),
                      key=lambda r: (order.index(r.rsplit(" ", 1)[0]), int(r.rsplit(" ", 1)[1])))
        text = development_text(row, narrator)
        if refs:
            there = sum(counted.get(r, 0) for r in refs)
            why = (f" ({count_label(there, 'report')} there: the evidence counts only the reports between "
                   f"{country_name(swing)} and {country_name(pole_a)} or {country_name(pole_b)} that tell the act "
                   "as done)") if there != int(row.reports) else ""
            text = f"{text[:-1]}; told under {', '.join(refs)}{why}."
        section.items.append(Paragraph(text, cites))
    return section


def _neighbours(store: Store, swing: str, start: dt.date, end: dt.date, n: int = 3) -> list[str]:
    """The countries the swing state had most events with in the period (besides the poles)."""
    frame = store.df(f"""
        SELECT CASE WHEN actor1_country = '{swing}' THEN actor2_country ELSE actor1_country END AS other, count(*) AS n
        FROM events WHERE event_date >= DATE '{start}' AND event_date < DATE '{end}'
          AND (actor1_country = '{swing}' OR actor2_country = '{swing}')
        GROUP BY 1 HAVING other IS NOT NULL AND other <> '{swing}' ORDER BY n DESC LIMIT {n}""")
    return list(frame.other)


def _unvotes(store: Store, swing: str, pole_a: str, pole_b: str, end: dt.date, names: dict[str, str], out_dir: Path,
             narrator: Narrator) -> Section:
    section = Section("The UN-vote view")
    if not store.has_table("un_votes"):
        section.paragraphs.append(Paragraph(narrator.say("no_unvotes", {})))
        return section
    year = (end - dt.timedelta(days=1)).year  # the analysis' last year: ``end`` is the first day not covered
    votes = unvote_alignment(store, swing, pole_a, pole_b, start=year - 12, end=year)
    position = "alignment_published" if "alignment_published" in votes and votes.alignment_published.notna().any() \
        else "alignment"
    agreed, placed = votes[votes.agreement_a.notna()], votes[votes[position].notna()]
    if not agreed.empty and not placed.empty:
        last, where = records(agreed)[-1], records(placed)[-1]  # the analysis year's, or the latest before it
        section.paragraphs.append(Paragraph(narrator.say("unvotes", {
            **names, "agree_a": percent(float(last.agreement_a)), "agree_b": percent(float(last.agreement_b)),
            "year": year, "agree_year": int(last.year), "position_year": int(where.year),
            "position": signed(float(getattr(where, position))),
            "source": "Bailey–Strezhnev–Voeten ideal points" if position == "alignment_published"
            else "ideal points estimated by geodrift"})))
        both = votes.dropna(subset=["alignment", "alignment_published"]) if {"alignment", "alignment_published"} \
            <= set(votes.columns) else votes.iloc[:0]
        split = both[np.sign(both.alignment) != np.sign(both["alignment_published"])]
        if len(split):
            row = records(split)[-1]
            shares = sorted([(float(last.agreement_a), names["pole_a"]), (float(last.agreement_b), names["pole_b"])])
            section.paragraphs.append(Paragraph(narrator.say("unvotes_split", {
                **names, "years": len(split), "of": len(both), "year": int(row.year), "ours": signed(row.alignment),
                "published": signed(row.alignment_published), "closer": shares[1][1], "agree_year": int(last.year),
                "higher": percent(shares[1][0]), "lower": percent(shares[0][0])})))
    section.tables.append(Table(
        f"UN General Assembly votes: agreement and position on the {pole_a} (-1) to {pole_b} (+1) line "
        f"(in both position columns negative is nearer {names['pole_a']}, positive nearer {names['pole_b']}; "
        f"position = {POSITION_SCALE}; the two positions come from two estimators that place the poles at "
        "different distances: read each column against itself)",
        ["year", f"agreement with {pole_a}", f"agreement with {pole_b}", "position (geodrift)", "position (published)"],
        [[str(r["year"]), _pct(r.get("agreement_a")), _pct(r.get("agreement_b")), _sgn(r.get("alignment")),
          _sgn(r.get("alignment_published"))] for r in votes.to_dict("records")]))
    chartable = votes.assign(period=pd.to_datetime(votes.year.astype(str) + "-01-01"))
    if chartable[position].notna().any():
        path = out_dir / f"analysis_{swing}_{pole_a}_{pole_b}_unvotes.png"
        title = f"{names['swing']} on the {pole_a}–{pole_b} ideal-point line (UN votes)"
        series_chart(chartable, position, path, title=title, ylabel=f"← {pole_a}   position   {pole_b} →")
        section.charts.append(Chart(title, path, f"Yearly position of {names['swing']} between {names['pole_a']} and "
                                                 f"{names['pole_b']} from UN General Assembly ideal points."))
    return section


def _balance(events: pd.DataFrame, overall: dict[str, float], narrator: Narrator) -> Section:
    """Outlets and their countries, and the conclusion with each country's outlets left out."""
    section = Section("Source balance")
    known = events[events.outlet_country.notna()]
    outlets = events.outlet_key.nunique()  # as a cluster's sources count them (units_sql.OUTLET_KEY)
    section.paragraphs.append(Paragraph(narrator.say("balance", {
        "reports": len(events), "outlets": outlets, "countries": known.outlet_country.nunique(),
        "unknown": int(events.outlet_country.isna().sum())})))
    direction = _direction(overall) or float(np.sign(overall["alignment"]) or 1.0)
    rows, fails = [], []
    for country, group in events.groupby(events.outlet_country.fillna("unknown")):
        rest = alignment_summary(collapse(events[events.outlet_country.fillna("unknown") != country]), n_boot=200)
        holds = np.sign(rest["alignment"]) == direction
        if not holds:
            fails.append(country_name(country) if country != "unknown" else "unknown countries")
        rows.append([str(country), str(len(group)), str(group.outlet_key.nunique()),
                     signed(float(group.contribution.sum())), signed(rest["alignment"]),
                     interval(rest["lo"], rest["hi"]), "yes" if holds else "no"])
    rows.sort(key=lambda r: -int(r[1]))
    coverage = {"share": percent(len(known) / len(events)), "known": len(known), "reports": len(events),
                "unknown": len(events) - len(known), "countries": ", ".join(fails)}
    # Leaving one country out tests balance only among the reports whose outlet country is known: say how many, and
    # claim nothing when most reports are of unknown origin (their outlets could be on either side).
    key = "balance_untested" if len(known) * 2 < len(events) else "balance_fails" if fails else "balance_holds"
    section.paragraphs.append(Paragraph(narrator.say(key, coverage)))
    section.tables.append(Table(
        f"Outlets by country, and the overall alignment ({signed(overall['alignment'])}) without them",
        ["outlet country", "reports", "outlets", "their net contribution", "alignment without them", "90% interval",
         "direction holds"], rows))
    return section


def _pct(value: object) -> str:
    return percent(float(value)) if isinstance(value, float) and value == value else ""


def _sgn(value: object) -> str:
    return signed(float(value)) if isinstance(value, float) and value == value else ""
