"""What the clustering reads of one report: its block, place cell, sub-keys and dating (docs/methods.md, "Event
clusters"). Kept apart from ``clustering`` (which groups reports by these keys) so each stays one job and small.

A *block* holds the reports that may describe one happening: the unordered pair of countries, the act (a CAMEO root,
or a family of roots that code one happening), the modality class, and for domestic mutual acts the actors' roles,
for violence each side's party. The direction of a directed act is a *sub-key* inside the block (``dsub``), so an
accusation and the counter-accusation stay apart, yet two rows of one GDELT document that code one act in mirror
directions (or one actor with and without its role) can join: they share a document key (``doc``). ICEWS
consultations carry the named people of each side (``na``, ``nb``; empty for a generic actor such as "United
States" or "Envoy (North Korea)"), so two meetings of the same two countries on one day with different people stay
apart.
"""

from __future__ import annotations

import duckdb

from geodrift.units_sql import MONTH_ONLY

MUTUAL_PREFIXES = ("04", "057", "06", "0871", "19")
"""CAMEO codes whose act is mutual (consult, sign an agreement, cooperate, agree a ceasefire, fight): reports of them
match in either direction ("Armenia and Azerbaijan clashed" is coded ARM→AZE by one page and AZE→ARM by another)."""
VIOLENT_ROOTS = ("18", "19", "20")
"""CAMEO roots of violence (assault, fight, mass violence): one *family*, unordered, since one outlet codes a clash 19x
and another the same shelling 18x or 20x; for these the block also holds each side's *party*."""
TALK_ROOTS = ("03", "04", "05")
"""CAMEO roots of diplomatic exchange (intents, consultations, diplomatic cooperation). In a report coded from a
sentence (curated records, coded text) they form one unordered family, *talk*: one call or meeting is read out as an
intent (030), a consultation (041) or praise (051). Its signing (057) goes with the ceasefire it declares (0871) into
the family *deal*. Dataset rows (GDELT, ICEWS) have no sentence and keep their root: rows of two roots on one day are
usually two sentences about two acts."""
DOC_TALK_ROOTS = ("03", "04")
"""CAMEO roots (intent, consultation) of GDELT rows that form the family *gtalk*, keeping the root (and an intent's
direction) as a sub-key: rows of one document join across them (an intent to cooperate and the negotiation one
article tells, coded A→B and B→A), rows of two documents stay apart as before."""
STATEMENT_ROOTS = ("01", "02", "11")
"""CAMEO roots of what one side says (statements, appeals, disapproval). In a sentence-coded report they sit in the
*talk* family's block but keep their root and direction as a sub-key: an admission and an apology the same day were
one speaker's as often as two speakers' in the labelled pairs, and an accusation is not the counter-accusation. They
join an exchange only where one page tells both (``page``): a complaint made in a call, an appeal and an offer to
mediate in one spokesman's remarks."""
NON_STATE_ROLES = ("REB", "UAF", "INS", "CRM", "SEP", "OPP")
"""Roles that name a party of their own in violence (rebels, unidentified armed forces, insurgents, criminals,
separatists, opposition and protesters). Any other role (government, military, police, civilians, none) is the
country at large: a state's forces and the civilians under its fire are one side of one exchange, but a state's clash
with militants and its fire on protesters the same day are two happenings (Gaza, 2 June 2018)."""
MONTHS = "(January|February|March|April|May|June|July|August|September|October|November|December)"
WEEKDAYS = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY_CUE = (rf"(?i)\b{MONTHS}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTHS}\b|\b{WEEKDAYS}\b"
           r"|\b(yesterday|today|tonight)\b")
"""A sentence that names the act's day ("on July 13", "13 July", "on Sunday"). A curated record whose summary names
none ("in mid-August") carries the day of its page, not of the act."""
OTHER_DAY = rf"(?i)\b(by|since|until|before|after)\s+({MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTHS}|{WEEKDAYS})"
"""A day that is not the act's: a deadline or a bound ("arrived by July 30", "since July 12")."""
NIGHT_CUE = rf"(?i)\b(overnight|night|midnight|dawn|early hours|a\.m\.|early on {MONTHS}|early on {WEEKDAYS})"
"""A sentence that puts the act at night ("at about 2 a.m.", "early on October 11"): outlets date a night act by
either of its two days."""


DISTINCT_ROW_SOURCES = ("ucdp-ged",)
"""Sources whose rows are distinct events by construction (UCDP GED codes one event per dyad, day and location:
two rows are two events, e.g. fighting at Tall as Sawwan on 24 and on 25 November 2016), so two of their rows never
merge with each other; a news report may still join one."""


DISTINCT_ROW_PREFIX = "row:"
"""How such a row's named-people key starts (its event id follows)."""


def distinct_row_sql(named: str) -> str:
    """``named`` (a report's named-people key), or for a row of a DISTINCT_ROW_SOURCES source its own id: atoms
    naming different people never merge, and one naming someone is not a generic atom that joins another, while a
    generic report (a news page) still joins it (the merge rules of ``clustering``)."""
    return f"CASE WHEN source IN {DISTINCT_ROW_SOURCES!r} THEN '{DISTINCT_ROW_PREFIX}' || event_id ELSE {named} END"


def _mutual_sql() -> str:
    return "(" + " OR ".join(f"starts_with(event_code, '{p}')" for p in MUTUAL_PREFIXES) + ")"


def _party_sql(role: str) -> str:
    return f"CASE WHEN {role} IN {NON_STATE_ROLES} THEN {role} ELSE 'state' END"


def _named_sql(n: int) -> str:
    """An ICEWS actor's name when it names someone: not a country ("Russia", read by the store's ``country_iso3``
    macro), not a sector ("Citizen (India)", "Envoy (North Korea)")."""
    return (f"CASE WHEN actor{n}_name NOT LIKE '%(%' AND country_iso3(lower(actor{n}_name)) IS NULL "
            f"THEN actor{n}_name ELSE '' END")


FAMILY_SQL = f"""CASE WHEN event_root_code IN {VIOLENT_ROOTS} THEN 'V'
    WHEN source LIKE 'gdelt%' AND event_root_code IN {DOC_TALK_ROOTS} THEN 'gtalk'
    WHEN coalesce(evidence_sentence, '') = '' THEN coalesce(event_root_code, '')
    WHEN starts_with(event_code, '057') OR starts_with(event_code, '0871') THEN 'deal'
    WHEN event_root_code IN {TALK_ROOTS + STATEMENT_ROOTS} THEN 'talk' ELSE event_root_code END"""
"""The block's act: the violence family (V), the talk and deal families of text-coded reports, else the CAMEO root."""
STATEMENT_SQL = f"""coalesce(evidence_sentence, '') <> '' AND coalesce(event_root_code IN {STATEMENT_ROOTS}, FALSE)
    OR (source LIKE 'gdelt%' AND event_root_code IN {DOC_TALK_ROOTS})"""
"""A report whose root is a sub-key in its family's block: a sentence-coded statement, appeal or complaint in the talk
family (with its direction), a GDELT intent or consultation in the gtalk family (an intent with its direction)."""
UNORDERED_SQL = f"coalesce({_mutual_sql()} OR ({FAMILY_SQL}) IN ('V', 'deal', 'talk', 'gtalk'), FALSE)"
"""Whether the block holds the report's two sides unordered: a mutual act, or any act of the three families."""
TOWN_SQL = "action_geo_type IN (3, 4) AND action_geo_name NOT LIKE '%(general)%'"
"""A report placed at a town or landmark (GDELT's "X, Georgia (general)" is a country default, not a town)."""
A1, A2 = "coalesce(actor1_country, '-')", "coalesce(actor2_country, '-')"
DOMESTIC = "actor1_country IS NOT DISTINCT FROM actor2_country"
ROLES = ("least(coalesce(actor1_role, ''), coalesce(actor2_role, '')) || '>' "
         "|| greatest(coalesce(actor1_role, ''), coalesce(actor2_role, ''))")
"""The unordered actor roles of a domestic mutual act (the mirror rows GOV→LEG and LEG→GOV of one meeting)."""
GDELT_ROLES = f"CASE WHEN source LIKE 'gdelt%' AND {DOMESTIC} THEN '|' || {ROLES} ELSE '' END"
"""A GDELT row's roles of a domestic mutual act: a sub-key, not part of the block, so the rows of one document that
code one meeting with varied roles (Baku and the Azerbaijani government, Hasanov and Sharifov) can take one
(``cluster_docs``), while two documents' rows with different roles stay apart as before."""
CONSULT = "source = 'icews' AND event_root_code = '04'"

NAMED_A = f"""CASE WHEN NOT ({CONSULT}) THEN ''
                WHEN {DOMESTIC} THEN least({_named_sql(1)}, {_named_sql(2)})
                WHEN {A1} < {A2} THEN {_named_sql(1)} ELSE {_named_sql(2)} END"""
"""The named people of a report's first side (an ICEWS consultation's; empty for every other report)."""

REPORTS_SQL = f"""
    SELECT event_id, event_date AS day, source, least({A1}, {A2}) AS side_a, greatest({A1}, {A2}) AS side_b,
           {UNORDERED_SQL} AS mutual,
           {FAMILY_SQL} AS root,
           CASE WHEN {DOMESTIC} AND {UNORDERED_SQL} AND source NOT LIKE 'gdelt%' THEN {ROLES}
                WHEN {DOMESTIC} THEN ''
                WHEN event_root_code IN {VIOLENT_ROOTS} THEN
                    CASE WHEN {A1} > {A2} THEN {_party_sql('actor2_role')} || '>' || {_party_sql('actor1_role')}
                         ELSE {_party_sql('actor1_role')} || '>' || {_party_sql('actor2_role')} END
                ELSE '' END AS roles,
           CASE WHEN {UNORDERED_SQL} AND NOT ({STATEMENT_SQL}) THEN {GDELT_ROLES}
                WHEN source LIKE 'gdelt%' AND {_mutual_sql()} THEN event_root_code || ':' || {GDELT_ROLES}
                ELSE CASE WHEN {STATEMENT_SQL} THEN event_root_code || ':' ELSE '' END
                    || {A1} || '>' || {A2} || CASE WHEN {DOMESTIC}
                    THEN '|' || coalesce(actor1_role, '') || '>' || coalesce(actor2_role, '') ELSE '' END END AS dsub,
           {distinct_row_sql(NAMED_A)} AS na,
           CASE WHEN NOT ({CONSULT}) THEN ''
                WHEN {DOMESTIC} THEN greatest({_named_sql(1)}, {_named_sql(2)})
                WHEN {A1} < {A2} THEN {_named_sql(2)} ELSE {_named_sql(1)} END AS nb,
           CASE WHEN source LIKE 'gdelt%' AND (NOT {UNORDERED_SQL} OR ({FAMILY_SQL}) = 'gtalk' OR {DOMESTIC})
                THEN coalesce(nullif(source_url, ''),
                CASE WHEN avg_tone <> 0 THEN 't' || avg_tone::VARCHAR
                     ELSE 'a' || num_articles || '/' || num_mentions || '/' || num_sources END) END AS doc,
           CASE WHEN ({FAMILY_SQL}) = 'talk' THEN coalesce(evidence_article_id, source_url) END AS page,
           CASE WHEN coalesce(modality, 'actual') IN ('actual', 'negated', 'announced') THEN 'actual'
                ELSE modality END AS mclass,
           event_code AS code,
           CASE WHEN ({FAMILY_SQL}) <> 'deal' THEN coalesce(f.countries, action_geo_country) END AS pc,
           CASE WHEN ({FAMILY_SQL}) = 'deal' THEN NULL
                WHEN {DOMESTIC} AND length(action_geo_adm1) > 2 AND {TOWN_SQL}
                THEN lower(action_geo_adm1) || '/' || lower(action_geo_name)
                WHEN length(action_geo_adm1) > 2 THEN coalesce(f.front, lower(action_geo_adm1)) END AS cell,
           {MONTH_ONLY} AS month_only,
           source = 'curated' AND ({FAMILY_SQL}) <> 'deal' AS text_dated,
           coalesce(evidence_sentence, '') <> ''
               AND regexp_matches(regexp_replace(evidence_sentence, '{OTHER_DAY}', '', 'g'), '{DAY_CUE}')
               AND NOT regexp_matches(evidence_sentence, '{NIGHT_CUE}') AS day_named,
           coalesce(evidence_sentence, '') <> '' AND regexp_matches(evidence_sentence, '{NIGHT_CUE}') AS night
    FROM events LEFT JOIN cl_fronts AS f ON f.iso3 = action_geo_country AND f.adm1 = lower(action_geo_adm1)"""
"""Per report: its block fields, sub-keys, document key, place cell (first-level division; country-only and unplaced
reports have none; a domestic act placed at a town is at that town, since arrests or protests in two towns of one
state are two happenings) and whether its date is only a month. An announced act is stored on the day it is to
happen, so it joins the act carried out that day (an exercise announced for 29 July and its start). Provinces facing
each other across a border (codebooks/data/border_fronts.tsv) are one place, located in both countries: each side
reports a border clash on its own territory. Month- and year-precision records are stored on the period's first
day; month-only is their stored ``event_date_precision`` (units_sql.MONTH_ONLY), so a record really dated on a 1st
keeps its day. ``text_dated``: a curated record, which reads its day from its sentence (a deal's
is not: signed at night, in force the next day, one outlet dates it by the signing and another by the ceasefire);
``day_named``: the sentence names the act's day (not only a deadline or bound) and does not put the act at night;
``night``: it does.
``page``: the article a talk-family record was coded from (a statement joins the exchange its page tells).
``doc``: a GDELT row's document, its SOURCEURL, else (GDELT 1.0 before April 2013 has none) the document set's
fingerprint: its average tone, or where the tone is a placeholder 0, its article, mention and source counts."""

BLOCK_SQL = "side_a || '|' || side_b || '|' || mutual::VARCHAR || '|' || root || '|' || mclass || '|' || roles"


def distinct_rows(con: duckdb.DuckDBPyConnection) -> None:
    """A group holding a row of a source whose rows are distinct events (cluster_keys.DISTINCT_ROW_SOURCES: UCDP
    GED) does not join an adjacent day's group holding another such row: GED's fighting at one town on two days is
    two events. Within a day its rows already stay apart (each is its own named party); news reports still join."""
    con.execute(f"""UPDATE cl_roots SET root = cl_roots.grp FROM (
        SELECT DISTINCT g.grp FROM cl_groups AS g JOIN cl_atoms AS a USING (atom)
        WHERE starts_with(a.na, '{DISTINCT_ROW_PREFIX}')) AS x, (
        SELECT DISTINCT g.grp FROM cl_groups AS g JOIN cl_atoms AS a USING (atom)
        WHERE starts_with(a.na, '{DISTINCT_ROW_PREFIX}')) AS y
        WHERE cl_roots.grp = x.grp AND cl_roots.root = y.grp AND x.grp <> y.grp""")
