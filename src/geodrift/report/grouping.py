"""One happening, one item: report-level grouping of evidence items and developments that tell one real-world event.

Clustering (geodrift/clustering.py) keeps apart what its rule cannot prove is one happening, and that rule is held to
its own labelled pairs; the documents do not change it. Instead, items a reader would take for one event are grouped
where they are listed: items citing the same sentence (a statement addressed to two parties is one development naming
both), and items between the same two countries, of one family of acts, dated on the same or adjacent days (one
claim that two outlets date a day apart, a two-day visit told on each day). A grouped item says "N reports over 2 days".
The join does not chain: an item joins a group only while the group spans at most MAX_SPAN_DAYS days (the 12-23 July
2020 fighting is not one happening), only where the places agree (when both name one), the kinds of act agree (a visit
and a call are two happenings: the CAMEO code, not only its family) and, for accusations and other verbal conflict,
the direction agrees (an accusation and the counter-accusation the next day are two).

One occasion is one item across kinds of act: a meeting or visit between two countries and the cooperative acts
of its days at its place (a signing, a pledge, talks: Putin's visit to Baku on 18-19 August 2024, announced the day
before) are one development, however many CAMEO roots clustering keeps apart (its rule: acts of different roots are
different clusters), and an announced act joins what was then done. Places compare with their aliases
("Karvachar (Kalbajar)" is Kalbajar, as the curated events write a place's second name).

One occasion is one item across pairs too: an act of three parties is coded once per pair (the trilateral ceasefire
statement of 9-10 November 2020 as Armenia-Azerbaijan "yield", Azerbaijan-Russia and Armenia-Russia "sign"), and a
battle is told per pair or with an unnamed side (Shusha, 7-8 November 2020: "Azerbaijan: fight", "Armenia and
Azerbaijan: fight", "Azerbaijan: exhibit force posture"). Items of pairs that share a party join when both hold a
signed deal or ceasefire (``deal``) on adjacent days, or when both are acts of war (``WAR_ROOTS``: force posture and
violence) of one modality at a named place they share, on adjacent days; the merged item names every party and
lists its items as ``parts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import zip_longest
from typing import Any, NamedTuple

import pandas as pd

from geodrift.registered import registered
from geodrift.store import Store

ADJACENT_DAYS = 1
MAX_SPAN_DAYS = 2
"""The longest a group of items may span, first day to last, both counted: one happening told on two days."""
VIOLENT_ROOTS = ("18", "19", "20")
COOPERATIVE_ROOTS = ("01", "02", "03", "04", "05", "06", "07", "08")
"""Acts that can make up one meeting's occasion (statements, appeals, intents, talks, agreements, aid, yielding)."""
OCCASION_MODALITIES = ("actual", "announced")
MEETING_KIND = "04"
"""The kinds of act (``kind``) that make an occasion: a visit, talks, a meeting (CAMEO 04, consult)."""
WAR_ROOTS = ("15", "18", "19", "20")
"""Acts of one battle at one place: force posture (massing to seize a town) and violence (the fight for it)."""
DIRECTED_ROOTS = ("11", "12", "13")
"""Verbal conflict (disapprove: criticise, accuse, complain; reject; threaten): who says it to whom is the act, so
an accusation and the counter-accusation stay apart."""


def family(code: object) -> str:
    """The family of a CAMEO code or root: a deal (057, 0871), violence (18-20), else the root (a visit and a
    call a day apart are two happenings; one visit told as a visit on each of its days is one)."""
    code = str(code or "")
    if code.startswith(("057", "0871")):
        return "deal"
    return "violence" if code[:2] in VIOLENT_ROOTS else code[:2]


def kind(code: object) -> str:
    """The kind of act a CAMEO code names, as two reports of one happening agree on it: violence and deals as their
    family, a visit made and hosted (042, 043) as one, else the code to three digits with a generic code's trailing 0
    dropped ('040' consult is '04', which any consultation refines; '041' a call, '042' a visit)."""
    code = str(code or "")
    if family(code) in ("violence", "deal"):
        return family(code)
    if code[:3] in ("042", "043"):
        return "visit"
    return code[:2] if code[2:3] in ("", "0") else code[:3]


def kinds_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two items' kinds of act can be one happening: either names none, or one kind of each is the same or
    refines the other ('04' and '041')."""
    return not a or not b or any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def normalised(sentence: object) -> str:
    """A sentence as two reports of it compare: one space, no end full stop, lower case."""
    return re.sub(r"\s+", " ", str(sentence)).strip().rstrip(".").lower()


def place_names(place: object) -> frozenset[str]:
    """A place's names as two reports of it compare: "Karvachar (Kalbajar)" is {"karvachar", "kalbajar"}."""
    text = str(place or "")
    names = [text.split("(")[0], *re.findall(r"\(([^)]*)\)", text)]
    return frozenset(n for n in (normalised(name) for name in names) if n)


def shown_places(places: Iterable[str]) -> list[str]:
    """Place names to show, in order, without one whose names another kept name already holds: "Karvachar
    (Kalbajar)" and "Kalbajar" read "Karvachar (Kalbajar)" once."""
    kept: list[str] = []
    for place in dict.fromkeys(places):
        names = place_names(place)
        bigger = [k for k in kept if names <= place_names(k)]
        if bigger:
            continue
        kept = [k for k in kept if not place_names(k) <= names] + [place]
    return kept


def occasion(root: object, modality: object) -> bool:
    """Whether an act can be part of a meeting's occasion: cooperative, done or announced."""
    return str(root or "")[:2] in COOPERATIVE_ROOTS and str(modality) in OCCASION_MODALITIES


def sentences(store: Store, event_ids: Iterable[str]) -> dict[str, str]:
    """Each report's evidence sentence, normalised (case, spaces, end punctuation), where it has one."""
    rows = _report_rows(store, event_ids, "SELECT event_id, evidence_sentence FROM events JOIN grouped_reports "
                                          "USING (event_id) WHERE coalesce(evidence_sentence, '') <> ''")
    return {str(e): normalised(s) for e, s in rows}


class Key(NamedTuple):
    """What grouping compares of an item: its countries, family of acts, first and last day and sentences; its
    places, kinds of act (``kind``) and directions of verbal conflict ("ARM>AZE"), empty where unknown."""

    countries: frozenset[str]
    family: str
    first: pd.Timestamp
    last: pd.Timestamp
    said: frozenset[str]
    places: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    directions: frozenset[str] = frozenset()
    occasion: bool = False


def groups(keys: Sequence[Key | tuple[Any, ...]]) -> list[list[int]]:
    """Indices of items that tell one happening, each group in its first item's order.

    Items of one family join when they share a sentence (a statement to two parties), or when they have the same
    countries, dates that keep the group within MAX_SPAN_DAYS, places that agree where both name one, kinds of act
    that agree and, for verbal conflict, the same direction. Items are taken by first day, and an item is compared
    with a group as a whole (its first day, its places), so a run of adjacent days does not chain. A compound
    sentence's other acts (a rebuke and a pledge, an actual and a denied shelling) stay apart (their family)."""
    items = [Key(*k) for k in keys]
    parent = list(range(len(items)))
    whole = list(items)  # per group root: the union of its members' days, places, kinds and directions

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(items)), key=lambda i: (items[i].first, i))
    for n, i in enumerate(order):
        for j in order[:n]:
            mine, r = root(i), root(j)
            if r == mine:
                continue
            if _one_occasion(whole[mine], whole[r]) or (items[i].family == whole[r].family and (
                    whole[mine].said & whole[r].said
                    or (whole[mine].countries == whole[r].countries and _adjacent(whole[mine], whole[r])))):
                parent[mine] = r
                whole[r] = _union(whole[r], whole[mine])
    found: dict[int, list[int]] = {}
    for i in range(len(items)):
        found.setdefault(root(i), []).append(i)
    return sorted(found.values(), key=lambda g: g[0])


def _adjacent(item: Key, group: Key) -> bool:
    """Whether ``item`` continues ``group``: adjacent days within MAX_SPAN_DAYS, agreeing places, kinds, directions."""
    near = (item.first - group.last).days <= ADJACENT_DAYS and (group.first - item.last).days <= ADJACENT_DAYS
    bounded = span(min(item.first, group.first), max(item.last, group.last)) <= MAX_SPAN_DAYS
    places = not item.places or not group.places or bool(item.places & group.places)
    directions = not item.directions or not group.directions or bool(item.directions & group.directions)
    return near and bounded and places and directions and kinds_agree(item.kinds, group.kinds)


def _one_occasion(item: Key, group: Key) -> bool:
    """Whether ``item`` is part of ``group``'s occasion: a meeting (both cooperative acts of the same two countries,
    at a named place they share, one of them a meeting, ``MEETING_KIND``) or, across pairs sharing a party, one
    deal signed by three (both hold a ``deal``) or one battle (``_war``: acts of war at a named place they share);
    always on adjacent days within MAX_SPAN_DAYS."""
    near = (item.first - group.last).days <= ADJACENT_DAYS and (group.first - item.last).days <= ADJACENT_DAYS
    if not near or span(min(item.first, group.first), max(item.last, group.last)) > MAX_SPAN_DAYS:
        return False
    if _war(item) and _war(group) and item.family.split()[-1] == group.family.split()[-1]:
        return bool(item.countries & group.countries) and bool(item.places & group.places)
    if item.countries != group.countries:
        return bool(item.countries & group.countries) and "deal" in item.kinds and "deal" in group.kinds
    meeting = any(k == "visit" or k.startswith(MEETING_KIND) for k in item.kinds | group.kinds)
    return item.occasion and group.occasion and len(item.countries) == 2 and meeting and bool(item.places & group.places)


def _war(key: Key) -> bool:
    """Whether an item's acts are acts of war (``WAR_ROOTS``): violence, or a force posture (root 15)."""
    return key.family.startswith(("violence", "15 "))


def _union(a: Key, b: Key) -> Key:
    return Key(a.countries | b.countries, a.family, min(a.first, b.first), max(a.last, b.last), a.said | b.said,
               a.places | b.places, a.kinds | b.kinds, a.directions | b.directions, a.occasion and b.occasion)


def span(first: Any, last: Any) -> int:
    """Calendar days from first to last, both counted."""
    return (pd.Timestamp(last).normalize() - pd.Timestamp(first).normalize()).days + 1


def merge_developments(found: pd.DataFrame, said: dict[str, str],
                       acts: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """Developments (analytics.salience.developments) that tell one happening merged into one row, most salient
    first: ``parties`` names every country of the group (a statement to two parties is one development naming both),
    ``days`` the calendar days it spans, ``parts`` the developments of an occasion told per pair (one deal of three
    parties, one battle), most salient first, each as a dict of its own columns (else empty). ``acts`` (``acts``)
    gives each report's kind and direction."""
    if found.empty:
        return found.assign(parties=[], days=[], parts=[])
    acts = acts or {}
    rows: list[Any] = list(found.itertuples(index=False))
    keys = [Key(frozenset(p for p in (r.a, r.b) if isinstance(p, str)), f"{family(r.root)} {r.modality}",
                pd.Timestamp(r.first_date), pd.Timestamp(r.last_date),
                frozenset(said[e] for e in r.event_ids if e in said),
                frozenset(n for p in r.places for n in place_names(p)),
                frozenset(acts[e][0] for e in r.event_ids if e in acts),
                frozenset(acts[e][1] for e in r.event_ids if e in acts and acts[e][1]),
                occasion(r.root, r.modality)) for r in rows]
    merged = []
    for group in groups(keys):
        members = [rows[i] for i in group]
        # named after its most salient act done (an announced visit and the visit are the visit)
        head = max(members, key=lambda r: (r.modality == "actual", r.salience))._asdict()
        # each part's reports in turn, most salient part first, so the first citations show every part (the fighting
        # and the shelling told apart before); one report per sentence: a statement to two parties is coded once per
        # party
        ranked = sorted(members, key=lambda r: (r.modality != "actual", -r.salience))
        turns = [e for tier in zip_longest(*(r.event_ids for r in ranked)) for e in tier if e is not None]
        ids = list({said.get(e, e): e for e in reversed(turns)}.values())[::-1]
        first = min(members, key=lambda r: r.first_date)
        last = max(members, key=lambda r: r.last_date)
        parties = sorted({p for r in members for p in (r.a, r.b) if isinstance(p, str)})
        outlets = sorted({o for r in members for o in r.outlets})
        merged.append({**head, "events": len({said.get(e, e) for e in ids}) if len(members) > 1 else head["events"],
                       "reports": sum(r.reports for r in members), "event_ids": ids, "outlets": outlets,
                       "sources": max(len(outlets), *(r.sources for r in members)),
                       "places": shown_places(p for r in members for p in r.places),
                       "first_date": first.first_date, "first_month_only": first.first_month_only,
                       "last_date": last.last_date, "last_month_only": last.last_month_only,
                       # the earlier events of its first day's parts: none of its own parts is dated before it
                       "baseline": max(r.baseline for r in members if r.first_date == first.first_date),
                       "parties": parties,
                       # who acted on whom only where every merged part agrees (else "X and Y")
                       **({} if len({(getattr(r, "actor", None), getattr(r, "target", None)) for r in members}) == 1
                          else {"actor": None, "target": None}),
                       "parts": [r._asdict() for r in ranked] if len({(r.a, r.b) for r in members}) > 1 else [],
                       "days": span(first.first_date, last.last_date) if len(members) > 1 else 1})
    return pd.DataFrame(merged).sort_values("salience", ascending=False, kind="stable").reset_index(drop=True)


def acts(store: Store, event_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each report's kind of act (``kind``) and, for verbal conflict (DIRECTED_ROOTS), its direction ("ARM>AZE";
    else '')."""
    rows = _report_rows(store, event_ids, "SELECT event_id, event_code, actor1_country, actor2_country FROM events "
                                          "JOIN grouped_reports USING (event_id)")
    return {str(e): (kind(code), f"{a}>{b}" if str(code or "")[:2] in DIRECTED_ROOTS else "") for e, code, a, b in rows}


def report_places(store: Store, event_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each report's place names as grouping compares them (``place_names``), where it names a place."""
    rows = _report_rows(store, event_ids, "SELECT event_id, action_geo_name FROM events JOIN grouped_reports "
                                          "USING (event_id) WHERE coalesce(action_geo_name, '') <> ''")
    return {str(e): place_names(p) for e, p in rows if place_names(p)}


def _cluster_reports(store: Store, event_ids: Iterable[str], column: str, condition: str) -> list[tuple[Any, Any]]:
    """(report, ``column`` of every report of its cluster meeting ``condition``) for each of ``event_ids``; an
    unclustered report stands for itself."""
    return _report_rows(store, event_ids, f"""
        SELECT g.event_id, e.{column} FROM grouped_reports AS g
        LEFT JOIN clusters AS c ON c.event_id = g.event_id
        JOIN clusters AS m ON m.cluster_id = coalesce(c.cluster_id, g.event_id)
        JOIN events AS e ON e.event_id = m.event_id
        WHERE {condition}""")


def _report_rows(store: Store, event_ids: Iterable[str], query: str) -> list[tuple[Any, ...]]:
    """The rows of ``query`` over ``event_ids`` registered as the table ``grouped_reports``; none for no ids."""
    ids = sorted({str(e) for e in event_ids})
    if not ids:
        return []
    with registered(store.con, "grouped_reports", pd.DataFrame({"event_id": ids})):
        return store.con.execute(query).fetchall()


def cluster_sentences(store: Store, event_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """For each report, the normalised sentences of every report of its cluster: two lists tell one happening
    when any report of one shares a sentence with any of the other."""
    found: dict[str, set[str]] = {}
    for e, text in _cluster_reports(store, event_ids, "evidence_sentence", "coalesce(e.evidence_sentence, '') <> ''"):
        found.setdefault(str(e), set()).add(normalised(text))
    return {e: frozenset(v) for e, v in found.items()}


def deal_days(store: Store, event_ids: Iterable[str]) -> dict[str, frozenset[pd.Timestamp]]:
    """For each report, the days of the signed deals and ceasefires (057, 0871) of its cluster, month-only records
    left out: one agreement of three parties is coded once per pair, and its pairs' clusters stay apart."""
    rows = _cluster_reports(store, event_ids, "event_date",
                            "(starts_with(e.event_code, '057') OR starts_with(e.event_code, '0871')) "
                            "AND coalesce(e.event_date_precision, 'day') NOT IN ('month', 'year')")
    found: dict[str, set[pd.Timestamp]] = {}
    for e, day in rows:
        found.setdefault(str(e), set()).add(pd.Timestamp(day))
    return {e: frozenset(v) for e, v in found.items()}


def same_deal(a: frozenset[pd.Timestamp], b: frozenset[pd.Timestamp]) -> bool:
    """Two clusters' deals are one when they were signed on the same or adjacent days."""
    return any(abs((x - y).days) <= ADJACENT_DAYS for x in a for y in b)
