"""Evidence by happening, not by report: the analysis's alignment events collapsed into event clusters, weighed by
corroboration, with acts reversed or disowned within days shown and weighed together with their reversal.

For cluster k (docs/methods.md, "Country analysis"): ``contribution_k = ±goldstein_k / 20`` (+ toward pole B),
``corroboration_k = log2(1 + sources_k)``, ``weight_k = contribution_k × corroboration_k``. A conflict act followed
within REVERSAL_DAYS by an apology or a yielding act of the same actor toward the same party (or a cooperative act
followed by a cut in relations) is a pair: it is listed once, with both, and weighs the sum of the two weights,
except an act its actor apologised for (055), which was disowned: that pair weighs nothing (an accident followed by
an apology is not a realignment).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geodrift.analytics.clusters import sources_phrase, witness_note
from geodrift.clustering import MUTUAL_PREFIXES
from geodrift.codebooks import cameo_codes, country_name
from geodrift.events import count_label
from geodrift.report.citations import event_summary
from geodrift.report.grouping import DIRECTED_ROOTS, Key, family, groups, kind, occasion, span
from geodrift.report.narrative import signed

REVERSAL_DAYS = 7
REVERSES_CONFLICT = ("055", "08")
"""Apologise (055) and yield (08: ease sanctions or blockades, de-escalate, ceasefire, retreat)."""
REVERSES_COOPERATION = ("16",)
"""Reduce or break relations."""
DISOWNS = "055"
"""An apology disowns the act it follows: the pair weighs nothing."""
DISOWN_DAYS = 1
"""An apology disowns an act only when it follows within a day: later, it may be for something else."""

CLAIM_WEIGHT = 0.5
"""An act its reports tell only as a third party's words ("Pashinyan said that mercenaries sent by Turkey were in
Azerbaijan") is a claim, not an observed act: it weighs half (docs/methods.md, "Country analysis")."""
_SPEECH = re.compile(r"^(?P<speaker>.{0,160}?)\b(?:said|says|claimed|claims|alleged|alleges|asserted|asserts|accused|"
                     r"accuses|charged|charges|stated|states)\b.{0,60}?\bthat\b")
_SPEECH_AFTER = re.compile(r",\s+(?P<speaker>[^,]{3,80}?)\s+(?:said|reported|claimed|alleged|asserted)\b[^,]*$")
"""The speaker named after the act: "..., an Armenian-American weekly reported citing CNN"."""
_OWN = ("his ", "her ", "its ", "their ")
"""A speaker who is the act's own side: "..., his office said"."""


def claim(sentence: object, actor1: object, actor2: object) -> bool:
    """Whether ``sentence`` tells the act as reported speech of someone other than its two sides: "<speaker> said
    (on Tuesday) that ..." or "..., <speaker> reported", with neither side named (as a country or its adjective) in
    the speaker's words and the speaker not "his/its ..." (the act's own office)."""
    if not isinstance(sentence, str):
        return False
    found = _SPEECH.match(sentence) or _SPEECH_AFTER.search(sentence)
    if not found:
        return False
    speaker = found.group("speaker").lower()
    rest = set(re.findall(r"[a-z][a-z-]{3,}", (sentence[:found.start("speaker")] + sentence[found.end("speaker"):])
                          .lower().replace("'s", "")))
    if speaker.startswith(_OWN) or set(re.findall(r"[a-z][a-z-]{3,}", speaker.replace("'s", ""))) & rest:
        return False  # "his office", or a speaker the sentence names as a party to the act ("Aliyev's office")
    sides = [country_name(c) for c in (actor1, actor2) if isinstance(c, str) and c]
    return not any(name.lower()[:max(4, len(name) - 2)] in speaker for name in sides)


COLUMNS = ["cluster_id", "event_id", "pole", "event_date", "actor1_country", "actor2_country", "event_code",
           "goldstein", "w", "reports", "outlets", "outlet_countries", "datasets", "evidence_sentence", "contribution",
           "corroboration", "weight"]


def collapse(events: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster of ``events`` (analytics.clusters.with_clusters: each report with its cluster and the
    cluster's representative report): the cluster weighed as its representative's act, the act the weekly alignment
    and the dyad measures weigh (its code, sides and Goldstein value); the id and sentence of its best-sourced report
    of that act with a sentence (one dated on the cluster's day first); ``w`` = sources (distinct outlets, or the
    dataset's own source count when larger), reports, the reports telling the act, outlets and their countries."""
    if events.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    order = events.sort_values(["w", "dated", "event_id"], ascending=[False, False, True])
    for cluster, group in order.groupby("cluster_id", sort=True):
        rep = group.iloc[0]  # each report carries its cluster's representative (with_clusters's rep_ columns)
        acts = group[group.event_code == rep.rep_event_code]
        outlets = sorted({o for o in group.outlet_key if isinstance(o, str) and o})
        countries = [c for o, c in zip(group.outlet_key, group.outlet_country, strict=True) if isinstance(o, str) and o]
        # the quote from a report dated on the cluster's day when one has a sentence, so date and quote agree
        # of the representative act: the quoted sentence and the weight tell the same act (a call and the complaint
        # made in it are one cluster, weighed as its modal act)
        said = acts[acts.evidence_sentence.map(lambda s: isinstance(s, str) and bool(s.strip()))]
        quoted = said.assign(off=(pd.to_datetime(said.event_date) != said.cluster_date) | ~said.dated)
        quote = quoted.sort_values("off", kind="stable").iloc[0] if not quoted.empty else None
        claimed = bool(len(said)) and all(claim(t, rep.rep_actor1_country, rep.rep_actor2_country)
                                          for t in said.evidence_sentence)
        rows.append({"cluster_id": cluster, "claim": claimed,
                     "event_id": rep.rep_event_id if quote is None else quote.event_id,
                     "pole": rep.pole,  # every report of a cluster has the same two countries, so the same pole
                     "event_date": group.cluster_date.iloc[0], "actor1_country": rep.rep_actor1_country,
                     "actor2_country": rep.rep_actor2_country, "event_code": rep.rep_event_code,
                     "goldstein": float(rep.rep_goldstein), "w": max(len(outlets), int(group.w.max())),
                     "reports": len(group), "act_reports": len(acts),
                     "outlets": outlets, "outlet_countries": sorted(set(countries), key=str),
                     "datasets": sorted({str(d) for d in group.get("source", pd.Series(dtype=str)) if d}),
                     "evidence_sentence": None if quote is None else quote.evidence_sentence,
                     "dated": bool(group.dated.any()), "act_ids": sorted(str(e) for e in acts.event_id),
                     # every report undated: stored on its report's day, which it happened on or before
                     "undated": "event_date_precision" in group
                     and bool(group.event_date_precision.eq("unknown").all()),
                     "quoted_date": None if quote is None or not quote.dated else pd.Timestamp(quote.event_date)})
    frame = pd.DataFrame(rows, columns=[*COLUMNS[:-3], "act_reports", "claim", "dated", "quoted_date",
                                       "act_ids", "undated"])
    frame["contribution"] = (frame.goldstein * frame.pole.map({"A": -1.0, "B": 1.0}) / 20
                             * frame.claim.map({True: CLAIM_WEIGHT, False: 1.0}))
    frame["corroboration"] = np.log2(1 + frame.w.astype(float))
    frame["weight"] = frame.contribution * frame.corroboration
    return frame


def _reverses(first: pd.Series, later: pd.Series) -> bool:
    if later.event_code == first.event_code or not 0 <= (later.event_date - first.event_date).days <= REVERSAL_DAYS:
        return False
    mutual = str(first.event_code).startswith(MUTUAL_PREFIXES)
    if not mutual and later.actor1_country != first.actor1_country:
        return False
    if first.goldstein < 0:
        return later.goldstein > 0 and str(later.event_code).startswith(REVERSES_CONFLICT)
    return first.goldstein > 0 and later.goldstein < 0 and str(later.event_code).startswith(REVERSES_COOPERATION)


def items(clusters: pd.DataFrame) -> list[tuple[pd.Series, pd.Series | None, float]]:
    """Evidence items: (cluster, its reversal or None, weight of the item), each cluster in one item only."""
    ordered = clusters.assign(event_date=pd.to_datetime(clusters.event_date)).sort_values(["event_date", "cluster_id"])
    rows = [r for _, r in ordered.iterrows()]
    used: set[str] = set()
    found = []
    for row in sorted(rows, key=lambda r: -abs(r.weight)):
        if row.cluster_id in used:
            continue
        used.add(row.cluster_id)
        partner = next((r for r in rows if r.cluster_id not in used and r.pole == row.pole
                        and r.actor2_country in (row.actor1_country, row.actor2_country) and _reverses(row, r)), None)
        if partner is not None:
            used.add(partner.cluster_id)
        found.append((row, partner, pair_weight(row, partner)))
    return found


def pair_weight(row: pd.Series, partner: pd.Series | None) -> float:
    """An item's weight: its cluster's, plus its reversal's; nothing when the reversal is an apology."""
    if partner is None:
        return float(row.weight)
    return 0.0 if disowns(row, partner) else float(row.weight + partner.weight)


def disowns(row: pd.Series, partner: pd.Series) -> bool:
    """Whether ``partner`` is the act's own actor apologising to its target within DISOWN_DAYS: the other side's
    apology, or one to a third party or days later, reverses (a sum) rather than disowns."""
    days = (pd.Timestamp(partner.event_date) - pd.Timestamp(row.event_date)).days
    return (str(partner.event_code).startswith(DISOWNS) and partner.actor1_country == row.actor1_country
            and partner.actor2_country == row.actor2_country and 0 <= days <= DISOWN_DAYS)


def grouped(found: list[tuple[pd.Series, pd.Series | None, float]], said: dict[str, str],
            places: dict[str, frozenset[str]]) -> list[tuple[pd.Series, pd.Series | None, float]]:
    """``found`` with the unpaired items that tell one real-world event merged into one, heaviest first, by the rule
    the timeline and the briefing group developments with (report/grouping.py ``groups``): a shared sentence, or the
    same two countries, kind of act and agreeing places on adjacent days, or the acts of one meeting at one place
    (Erdogan and Aliyev's visit, signing and pipeline launch in Nakhchivan on 25 September 2023: three clusters, one
    event). ``said`` and ``places`` give each report's sentence and place names; a claim (``claim``: told only as a
    third party's words) has no place of its own, as its speaker was not there (Macron's claim that fighters were
    moved "from Gaziantep to Baku" is the one he made about Karabakh the day before). A pole is part of an item's family:
    one sentence to both poles points both ways and stays two items. A cluster dated only to a month joins nothing
    (its stored 1st is no day)."""
    single = [i for i in found if i[1] is None]
    keys = []
    for row, _, _ in single:
        # (an undated record joins on its report's day, as clustering reads it: Macron's claim reported on 2 October)
        code, day = str(row.event_code), pd.Timestamp(row.event_date)
        # where the act was done: its own reports' places (a call's complaint is not placed at the appeal's Moscow)
        told = row.get("act_ids")
        ids = list(told) if isinstance(told, list) else [str(row.event_id)]
        keys.append(Key(frozenset(c for c in (row.actor1_country, row.actor2_country) if isinstance(c, str)),
                        f"{family(code)} {row.pole}" if row.dated else str(row.cluster_id), day, day,
                        frozenset([said[row.event_id]] if row.event_id in said else []),
                        frozenset() if bool(row.get("claim", False)) else
                        frozenset(n for e in ids for n in places.get(e, ())), frozenset([kind(code)]),
                        frozenset([f"{row.actor1_country}>{row.actor2_country}"] if code[:2] in DIRECTED_ROOTS else []),
                        bool(row.dated) and occasion(code, "actual")))
    merged = [_merge([single[i][0] for i in group]) for group in groups(keys)]
    items = [(row, None, float(row.weight)) for row in merged] + [i for i in found if i[1] is not None]
    return sorted(items, key=lambda i: -abs(i[2]))


def _merge(rows: list[pd.Series]) -> pd.Series:
    """One item of several clusters, weighed once as one event: its heaviest act's contribution (the act its quote
    tells) corroborated by the pooled sources of all its parts, so a meeting's three acts are not three pieces of
    evidence; the pooled reports and outlets, the first and last day, and its ``parts`` (the clusters, heaviest
    first) to list under it."""
    if len(rows) == 1:
        return rows[0].copy()
    parts = sorted(rows, key=lambda r: (-abs(r.weight), pd.Timestamp(r.event_date), str(r.cluster_id)))
    best = parts[0].copy()
    days = [pd.Timestamp(r.event_date) for r in rows]
    outlets = sorted({o for r in rows for o in r.outlets})
    best["reports"] = sum(int(r.reports) for r in rows)
    best["act_reports"] = sum(int(r.get("act_reports", r.reports)) for r in rows if r.event_code == best.event_code)
    best["w"] = max(len(outlets), *(int(r.w) for r in rows))
    best["outlets"] = outlets
    best["outlet_countries"] = sorted({c for r in rows for c in r.outlet_countries}, key=str)
    best["datasets"] = sorted({d for r in rows for d in r.datasets})
    best["contribution"] = float(max((r.contribution for r in rows), key=abs))
    best["claim"] = all(bool(r.get("claim", False)) for r in rows)
    best["undated"] = all(bool(r.get("undated", False)) for r in rows)
    best["corroboration"] = float(np.log2(1 + best.w))
    best["weight"] = best.contribution * best.corroboration
    best["event_date"], best["last_date"] = min(days), max(days)
    best["members"] = [str(r.event_id) for r in parts]
    best["parts"] = parts
    return best


def cited(row: pd.Series) -> list[str]:
    """The reports an item cites: its own, or one per cluster of a grouped item."""
    members = row.get("members")
    return list(members) if isinstance(members, list) else [str(row.event_id)]


def describe(row: pd.Series, sides: tuple[str, str]) -> str:
    """'09 Nov 2020, 8 reports from 7 sources (one outlet): sentence'; a grouped item: '01 Oct 2020 to 02 Oct 2020,
    2 reports over 2 days from 2 sources: ...'."""
    note = witness_note(int(row.w), row.outlet_countries, sides, row.outlets)
    last = row.get("last_date")
    days = span(row.event_date, last) if isinstance(last, pd.Timestamp) else 1
    over = f" over {days} days" if days > 1 else ""
    act = int(row.get("act_reports", row.reports))
    parts = row.get("parts")
    # a cluster whose reports tell several acts of one exchange is weighed as its modal act: say how many tell it
    # (a grouped item lists its parts, each saying so, instead)
    mixed = (f" ({act} of the act quoted, {int(row.reports) - act} of another act of the same event)"
             if act < int(row.reports) and not isinstance(parts, list) else "")
    told = f", told in {len(parts)} event clusters" if isinstance(parts, list) else ""
    sources = (f"{count_label(int(row.reports), 'report')}{mixed}{over} "
               f"{sources_phrase(row.outlets, int(row.w), row.datasets)}{told}")
    when = pd.Timestamp(row.event_date).strftime("%d %b %Y" if row.dated else "%B %Y")
    if bool(row.get("undated", False)):
        when = f"undated (reported {when})"
    if days > 1:
        when += f" to {last:%d %b %Y}"
    quoted = row.get("quoted_date")
    if isinstance(quoted, pd.Timestamp) and row.dated and quoted != pd.Timestamp(row.event_date):
        when += f" (the report quoted: {quoted:%d %b %Y})"
    if bool(row.get("claim", False)):
        note = "; ".join(n for n in (note, "a claim: its reports tell it only as a third party's words, "
                                           f"weighed at {CLAIM_WEIGHT:g}") if n)
    return (f"{when}, {sources}{f'; {note}' if note else ''}: "
            f"{(row.evidence_sentence or '').strip().rstrip('.') or _coded(row)}")


def describe_part(row: pd.Series, sides: tuple[str, str]) -> str:
    """One cluster of a grouped item, as the alignment weighs it alone: 'Sign formal agreement (CAMEO 057): 25 Sep
    2023, 2 reports from 2 sources: ... (alone it weighs +0.63)'."""
    code = str(row.event_code)
    act = cameo_codes()[code].description if code in cameo_codes() else "CAMEO"
    return f"{act} (CAMEO {code}): {describe(row, sides)} (alone it weighs {signed(float(row.weight))})"


def _coded(row: pd.Series) -> str:
    """A report without a sentence (GDELT, ICEWS) read as its coding: 'Russia → Georgia: engage in ethnic
    cleansing (CAMEO 203)', rather than a bare event id."""
    actor2 = row.actor2_country if isinstance(row.actor2_country, str) else None
    return event_summary(row.actor1_country, None, str(row.event_code), actor2, None, None, None)
