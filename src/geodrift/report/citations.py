"""Citations: stored events looked up by id, with the outlet, URL and sentence a reader can check."""

from __future__ import annotations

from collections.abc import Iterable

from geodrift.analytics.engine import Engine, engine_for
from geodrift.codebooks import ROLE_WORDS, cameo_codes, party_name
from geodrift.events import shown_place
from geodrift.query import sql_in
from geodrift.report.document import Citation, records
from geodrift.store import Store


def event_summary(actor1: str | None, role1: str | None, code: str, actor2: str | None, role2: str | None,
                  place: str | None, modality: str | None, codes: tuple[str | None, str | None] = (None, None),
                  names: tuple[str | None, str | None] = (None, None)) -> str:
    """A one-line, factual description of a coded event: who, what (CAMEO), whom, where, modality; each party by
    name (codebooks.party_name: a country with its role in words, else the organisation its CAMEO ``codes`` name, else
    the source's actor ``names``)."""
    actor1, role1, actor2, role2, place = (_text(v) for v in (actor1, role1, actor2, role2, place))
    what = cameo_codes()[code].description if code in cameo_codes() else f"CAMEO {code}"

    def party(country: str | None, role: str | None, actor_code: str | None, actor_name: str | None) -> str:
        named = party_name(country, role, _text(actor_code), _text(actor_name))
        return f"{named} ({ROLE_WORDS.get(role, role)})" if country and role else named

    who = party(actor1, role1, codes[0], names[0])
    whom = f" → {party(actor2, role2, codes[1], names[1])}" if actor2 or role2 or _text(codes[1]) or _text(names[1]) else ""
    where = f", {shown_place(place)}" if place else ""  # GDELT's "X, Georgia (general), Georgia" reads "X, Georgia"
    mode = f" [{modality}]" if modality and modality != "actual" else ""
    return f"{who}{whom}: {what} (CAMEO {code}){where}{mode}"


_CITED_LENGTH = {"month": 7, "year": 4}
"""How much of a stored date a citation shows, by the date's precision (a day shows all ten characters)."""


def citations(target: Store | Engine, ids: Iterable[str]) -> dict[str, Citation]:
    """Citations for the given event ids; ids not in the store are absent from the result."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    frame = engine_for(target).df(f"""
        SELECT event_id, event_date, actor1_country, actor1_role, event_code, actor2_country, actor2_role,
               actor1_code, actor2_code, actor1_name, actor2_name,
               action_geo_name, modality, outlet, source_url, CAST(date_added AS DATE) AS published,
               evidence_sentence, coalesce(event_date_precision, 'day') AS precision,
               coalesce(date_added_precision, 'day') AS published_precision, source
        FROM events WHERE event_id IN {sql_in(wanted)}""")
    found = {}
    for r in records(frame):
        published = _text(str(r.published)[:_CITED_LENGTH.get(r.published_precision, 10)])
        added = None
        if str(r.source).startswith("gdelt") and published:  # GDELT's DATEADDED: when GDELT coded it, not published
            published, added = None, f"Added to GDELT on {published}"
        found[r.event_id] = Citation(
            # a record dated to a month or a year only is stored on its first day: cited by its month or year
            event_id=r.event_id, event_date=str(r.event_date)[:_CITED_LENGTH.get(r.precision, 10)],
            summary=event_summary(r.actor1_country, r.actor1_role, r.event_code, r.actor2_country, r.actor2_role,
                                  r.action_geo_name, r.modality, (r.actor1_code, r.actor2_code),
                                  (r.actor1_name, r.actor2_name)),
            outlet=_text(r.outlet), url=_text(r.source_url),
            published=published, sentence=_text(r.evidence_sentence), added=added)
    return found


def _text(value: object) -> str | None:
    """A text field, or None for the missing values a data frame carries (NaN, NaT, None)."""
    return value if isinstance(value, str) and value and value not in {"NaT", "nan", "None"} else None
