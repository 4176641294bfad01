"""The dictionary coder: articles in, canonical events out, each with its evidence.

Per sentence: actors (coding.actors), actions (coding.actions), a modality per action
(coding.modality), the event date (coding.dates) and place (coding.places). An action's source is
the nearest actor before its verb and its target the nearest actor after it (a different country),
so one sentence can give several events. Coders share one interface (``Coder.code``) so a stronger
model (a fine-tuned transformer, an LLM endpoint) can replace this one without touching the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import pyarrow as pa

from geodrift.codebooks import cameo_codes
from geodrift.coding.actions import find_actions
from geodrift.coding.actors import ActorMention, find_actors
from geodrift.coding.articles import Article
from geodrift.coding.dates import event_date
from geodrift.coding.lexicon import Lexicon, packaged
from geodrift.coding.modality import modality_of
from geodrift.coding.places import find_places
from geodrift.events import EVENT_SCHEMA

SOURCE = "text"
STATEMENT = "010"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Sen|Rep|Gov|Pres|Prof|"
                           r"St|Mt|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|Ltd)\.)$")
"""Periods that end an abbreviation, not a sentence: initialisms ("U.N.", "U.S."), titles, months."""
_RECIPROCAL = re.compile(r"\b(?:the two (?:countries|sides|nations|states|neighbou?rs)|both sides|each other|one another)\b",
                         re.IGNORECASE)
_MUST = re.compile(r"\bmust\s+(?:\w+\s+)?$", re.IGNORECASE)
_AGENT = re.compile(r"\W+(?:\w+\W+){0,3}?(?:by|with)\b", re.IGNORECASE)
"""The doer of a passive act, within a few words of the verb: "attacked by militiamen", "killed in clashes with"."""
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def sentences(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, sentence) spans of ``text``; splits after ., ! or ? followed by a capital, except after an
    abbreviation ("U.N. Secretary-General Kofi Annan said ...")."""
    start = 0
    for match in _SENTENCE.finditer(text):
        if _ABBREVIATION.search(text, max(start, match.start() - 12), match.start()):
            continue
        if text[start:match.start()].strip():
            yield start, match.start(), text[start:match.start()]
        start = match.end()
    if text[start:].strip():
        yield start, len(text), text[start:]


class Coder(ABC):
    """Turns articles into canonical event rows (dicts with EVENT_SCHEMA's columns)."""

    name: str

    @abstractmethod
    def code(self, article: Article) -> list[dict[str, Any]]:
        """Events found in one article."""

    def batches(self, articles: Iterable[Article], size: int = 10_000) -> Iterator[pa.RecordBatch]:
        """Events of many articles as canonical Arrow batches."""
        rows: list[dict[str, Any]] = []
        for article in articles:
            rows += self.code(article)
            if len(rows) >= size:
                yield pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)
                rows = []
        if rows:
            yield pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)


def _pick(actors: list[ActorMention], before: int, after: int,
          sentence: str) -> tuple[ActorMention | None, ActorMention | None]:
    """Source: nearest actor before the verb; target: nearest actor of another country after it.

    "Armenian and Azerbaijani forces clashed": two actors joined by "and" before the verb, nothing
    after it: the first is the source and the second the target (both sides of a reciprocal act).
    """
    prior = [a for a in actors if a.end <= before and (a.country or a.role == "IGO")]
    later = [a for a in actors if a.start >= after]
    source = prior[-1] if prior else None
    target = next((a for a in later if source is None or a.country != source.country), None)
    if target is None and len(prior) >= 2:
        first, second = prior[-2], prior[-1]
        if first.country != second.country and re.fullmatch(r"\s*(?:and|,)\s*", sentence[first.end:second.start]):
            source, target = first, second
    if source is None and target is not None:
        rest = [a for a in later if a is not target and a.country != target.country]
        source, target = target, (rest[0] if rest else None)
    return source, target


class DictionaryCoder(Coder):
    """PETRARCH-style dictionaries and patterns, no parser: fast, offline, explainable."""

    name = "dictionary"

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or packaged()

    def code(self, article: Article) -> list[dict[str, Any]]:
        published = article.published or dt.date.today()
        codes = cameo_codes()
        rows = []
        for start, _, sentence in sentences(article.text):
            actors = find_actors(sentence, published, self.lexicon)
            if not actors:
                continue
            actions = [action for action in find_actions(sentence, frozenset(a.end for a in actors), self.lexicon)
                       if not any(a.start < action.end and action.start < a.end for a in actors)]  # "United States"
            if any(a.code != STATEMENT for a in actions):
                # "Baku said Armenian troops shelled Tovuz": the report is the shelling; a bare statement (010) is
                # an event only when nothing else in the sentence is (as in PETRARCH-2's validation records).
                actions = [a for a in actions if a.code != STATEMENT]
            if not actions:
                continue
            when = event_date(sentence, published)
            countries = tuple(dict.fromkeys(a.country for a in actors if a.country))
            places = [p for p in find_places(sentence, countries) if p.place.kind != "country"]
            seen: set[tuple[str, str | None, str]] = set()
            for action in actions:
                source, target = _pick(actors, action.start, action.end, sentence)
                if (_PASSIVE.search(sentence[:action.start]) and not action.text.lower().endswith("ing")
                        and source is not None and target is not None and _AGENT.match(sentence[action.end:target.start])):
                    # "A camp was attacked by Burundian militiamen", "soldiers were killed in clashes with Armenian
                    # forces": the subject suffered the act, the actor after the verb did it.
                    source, target = target, source
                if _MUST.search(sentence[:action.start]):
                    # "Britain said Libya must hand over ...": Britain demands (10) of Libya.
                    action = replace(action, code="100")
                    speaker, subject = actors[0], source
                    if subject is not None and speaker.country != subject.country and speaker.start < subject.start:
                        source, target = speaker, subject
                if source is not None and target is None and _RECIPROCAL.search(sentence):
                    # "the two countries" / "both sides": the other named country is the target.
                    others = [a for a in actors if a.country and a.country != source.country]
                    target = others[0] if others else None
                if source is None:
                    continue
                dyad_code = (source.country or source.code, (target.country or target.code) if target else None,
                             action.code[:2])
                if dyad_code in seen:  # one event per dyad and CAMEO root in a sentence
                    continue
                seen.add(dyad_code)
                cameo = codes[action.code]
                modality = modality_of(sentence, action.start)
                place = places[0].place if places else None
                key = f"{article.id}|{start + action.start}|{action.code}"
                rows.append({
                    "event_id": f"{SOURCE}:{hashlib.sha256(key.encode()).hexdigest()[:16]}",
                    "source": SOURCE,
                    "source_event_id": key,
                    "event_date": when.date,
                    "date_added": dt.datetime.combine(published, dt.time()),
                    "actor1_code": source.code, "actor1_name": source.text, "actor1_country": source.country,
                    "actor1_country_raw": source.code[:3], "actor1_role": source.role,
                    "actor2_code": target.code if target else None, "actor2_name": target.text if target else None,
                    "actor2_country": target.country if target else None,
                    "actor2_country_raw": target.code[:3] if target else None,
                    "actor2_role": target.role if target else None,
                    "event_code": cameo.code, "event_base_code": cameo.base_code, "event_root_code": cameo.root_code,
                    "quad_class": cameo.quad_class, "goldstein": cameo.goldstein, "plover": cameo.plover,
                    "num_mentions": 1, "num_sources": 1, "num_articles": 1,
                    "action_geo_type": 4 if place else None,
                    "action_geo_name": place.name if place else None,
                    "action_geo_country": place.iso3 if place else None,
                    "action_geo_country_raw": place.iso3 if place else None,
                    "action_geo_adm1": place.adm1 if place else None,
                    "action_geo_lat": place.lat if place else None, "action_geo_lon": place.lon if place else None,
                    "source_url": article.url, "outlet": article.outlet,
                    "modality": modality.value,
                    "confidence": round(0.4 + 0.3 * (target is not None) + 0.2 * (when.precision == "day")
                                        + 0.1 * (place is not None), 2),
                    "evidence_article_id": article.id, "evidence_sentence": sentence.strip(),
                    "evidence_start": start, "evidence_end": start + len(sentence),
                })
        return rows


def code_text(text: str, *, published: dt.date | None = None, url: str | None = None,
              article_id: str | None = None, coder: Coder | None = None) -> list[dict[str, Any]]:
    """Events in a piece of text (Python API): canonical rows with evidence."""
    from geodrift.coding.articles import article_id as make_id
    from geodrift.coding.articles import outlet_of

    article = Article(id=article_id or make_id(url, text), text=" ".join(text.split()), url=url,
                      outlet=outlet_of(url), published=published, language="en")
    return (coder or DictionaryCoder()).code(article)
