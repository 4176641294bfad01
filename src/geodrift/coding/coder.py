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
import itertools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import pyarrow as pa

from geodrift.codebooks import cameo_codes
from geodrift.coding.actions import ActionMention, find_actions
from geodrift.coding.actors import ActorMention, find_actors
from geodrift.coding.articles import Article, PublishedLike, as_published, published_precision
from geodrift.coding.dates import DateMention, event_date, stored_precision
from geodrift.coding.furniture import Span, news_only
from geodrift.coding.lexicon import Lexicon, packaged
from geodrift.coding.modality import act_modality, without_denied_twins
from geodrift.coding.places import Place, find_places
from geodrift.coding.reports import dateline_end, is_month, reports_nothing
from geodrift.errors import InputError
from geodrift.events import EVENT_SCHEMA

SOURCE = "text"
ARTICLES_AT_ONCE = 256
"""Articles coded together (``Coder.code_many``): enough for the hybrid coder to embed full batches."""


def chunks(items: Iterable[Any], size: int = ARTICLES_AT_ONCE) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last may be shorter): itertools.batched, which Python 3.11 lacks."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
STATEMENT = "010"
SUFFERED = frozenset({"DIE"})
"""Verbs whose subject suffers the act even in the active voice ("soldiers died in clashes with ...")."""
MUTUAL_ROOTS = frozenset({"03", "04", "05", "06", "16", "19"})
"""Acts that coordinated actors do to each other when no other target is named: agreeing, meeting, cooperating,
cutting ties, fighting ("Armenia and Azerbaijan clashed", "Baku and Ankara signed a pact")."""
RECIPROCAL_CODES = frozenset({"036", "040", "041", "044", "046", "057", "062"})
"""Acts two named parties do together: meeting, talks, a phone call, negotiating, signing, joint exercises, and a
clash (CLASHING_LEMMAS; shelling, also 190, is one-sided). "Pashinyan met Putin" is reported for both sides
(ARM -> RUS and RUS -> ARM), as the CAMEO manual codes them ("two reciprocal events are coded with actors
reversed"); hosting (043) and visiting (042) are not."""
CLASHING_LEMMAS = frozenset({"CLASH", "SKIRMISH", "CLASHES", "FIGHTING", "SKIRMISHES"})
_WITH = re.compile(r"\bwith\b", re.IGNORECASE)
_AND_VERB = re.compile(r"\b(?:and|then)\s+(?:\w+ly\s+)?(?:then\s+|also\s+)?$", re.IGNORECASE)
"""A verb coordinated with the one before it ("met Putin in Moscow and signed ..."): it shares that verb's parties."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])|\n\n")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Sen|Rep|Gov|Pres|Prof|"
                           r"St|Mt|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|Ltd)\.)$")
"""Periods that end an abbreviation, not a sentence: initialisms ("U.N.", "U.S."), titles, months."""
_RECIPROCAL = re.compile(r"\b(?:the two (?:countries|sides|nations|states|neighbou?rs)|both sides|each other|one another)\b",
                         re.IGNORECASE)
_MUST = re.compile(r"\bmust\s+(?:\w+\s+)?$", re.IGNORECASE)
_COORDINATION = re.compile(r"\s*(?:,\s*)?(?:(?:and|or|nor|as well as)\s+)?(?:the\s+)?|\s*,\s*|-", re.IGNORECASE)
"""What may stand between coordinated actors: "and", "or", "nor", a comma, "as well as", a hyphen
("Turkish-Azerbaijani exercises")."""
_APPOSITION = re.compile(r",\s+(a|an|the|who|which|whose)\b[^,;]*,", re.IGNORECASE)
"""An aside between commas ("Pakistan, a key U.S. ally, refused ...", "Baku, which ..., said"): its actors are
not the subject of the verb after it."""
_AGENT = re.compile(r"\W+(?:(?:\w+\W+){0,2}?by|(?:\w+\W+)?(?:in|during|amid)\W+(?:\w+\W+){0,3}?with)\b", re.IGNORECASE)
"""The doer of a passive act, just after the verb: "attacked (overnight) by militiamen", "killed in (the border)
clashes with" (not "criticized over its dispute with", where "with" belongs to the dispute)."""
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def sentences(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, sentence) spans of ``text``; splits between paragraphs and after ., ! or ? followed by a
    capital, except after an abbreviation ("U.N. Secretary-General Kofi Annan said ...")."""
    start = 0
    for match in _SENTENCE.finditer(text):
        if match.group(0) != "\n\n" and _ABBREVIATION.search(text, max(start, match.start() - 12), match.start()):
            continue
        if text[start:match.start()].strip():
            yield start, match.start(), text[start:match.start()]
        start = match.end()
    if text[start:].strip():
        yield start, len(text), text[start:]


def reported_sentences(text: str) -> list[Span]:
    """The sentences of ``text`` that may report news: no byline, caption, author's note or call to subscribe, and
    no heading that restates a body sentence (coding.furniture)."""
    return news_only(text, list(sentences(text)))


class Coder(ABC):
    """Turns articles into canonical event rows (dicts with EVENT_SCHEMA's columns)."""

    name: str

    @abstractmethod
    def code(self, article: Article) -> list[dict[str, Any]]:
        """Events found in one article."""

    def code_many(self, articles: Sequence[Article]) -> list[list[dict[str, Any]]]:
        """Events of each article; a coder that gains from batching (the hybrid's embeddings) overrides it."""
        return [self.code(article) for article in articles]

    def batches(self, articles: Iterable[Article], size: int = 10_000) -> Iterator[pa.RecordBatch]:
        """Events of many articles as canonical Arrow batches."""
        rows: list[dict[str, Any]] = []
        for chunk in chunks(articles):
            rows += [row for coded in self.code_many(chunk) for row in coded]
            if len(rows) >= size:
                yield pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)
                rows = []
        if rows:
            yield pa.RecordBatch.from_pylist(rows, schema=EVENT_SCHEMA)


def _coordinated(actors: list[ActorMention], anchor: ActorMention, step: int, sentence: str) -> list[ActorMention]:
    """``anchor`` and the actors joined to it by "and", "or", "nor" or commas, walking ``step`` (1: rightwards,
    -1: leftwards) from it: "urged Armenia and Azerbaijan", "to Italy, Greece and Bulgaria"."""
    group = [anchor]
    index = actors.index(anchor) + step
    while 0 <= index < len(actors):
        left, right = (group[-1], actors[index]) if step > 0 else (actors[index], group[-1])
        if not _COORDINATION.fullmatch(sentence[left.end:right.start]) or not (right.country or right.role == "IGO"):
            break
        group.append(actors[index])
        index += step
    return group if step > 0 else group[::-1]


def _asides(sentence: str) -> list[tuple[int, int, bool]]:
    """(start, end, is a relative clause) of the asides between commas in ``sentence``, found once per sentence."""
    return [(m.start(), m.end(), m.group(1).lower().startswith("wh")) for m in _APPOSITION.finditer(sentence)]


def _relative(actors: list[ActorMention], before: int, after: int,
              asides: list[tuple[int, int, bool]]) -> list[tuple[ActorMention, ActorMention | None]] | None:
    """(source, target) of an action inside a relative clause, whose missing subject or object is the noun the
    clause hangs on: "Armenia, which Azerbaijan attacked, ..." (AZE -> ARM); "Baku, which accused Yerevan, ..."
    (AZE -> ARM). None when the action is not in one or the clause has no antecedent."""
    for start, end, relative in asides:
        if not (relative and start <= before < end):
            continue
        antecedent = [a for a in actors if a.end <= start and (a.country or a.role == "IGO")]
        inside = [a for a in actors if start <= a.start < end]
        subject = [a for a in inside if a.end <= before]
        objects = [a for a in inside if a.start >= after]
        if not antecedent:
            return None
        if subject:
            return [(subject[-1], objects[0] if objects else antecedent[-1])]
        return [(antecedent[-1], objects[0] if objects else None)]
    return None


def _dyads(actors: list[ActorMention], before: int, after: int, sentence: str, mutual: bool,
           asides: list[tuple[int, int, bool]]) -> list[tuple[ActorMention, ActorMention | None]]:
    """(source, target) pairs of the action between ``before`` and ``after``: the nearest actor before the verb and
    the nearest of another country after it, each with the actors coordinated with it ("Russia and Turkey
    urged Armenia and Azerbaijan" gives four). Coordinated actors before the verb and none after it act on each
    other when the act is ``mutual`` ("Armenian and Azerbaijani forces clashed" gives both directions); otherwise
    each acts alone ("Russia and Turkey did not interfere")."""
    prior = [a for a in actors if a.end <= before and (a.country or a.role == "IGO")
             and not any(start <= a.start < end for start, end, _ in asides if end <= before)]
    later = [a for a in actors if a.start >= after]
    if not prior:
        if not later:
            return []
        rest = [a for a in later[1:] if a.country != later[0].country]
        return [(later[0], rest[0] if rest else None)]
    sources = _coordinated(actors, prior[-1], -1, sentence)
    target = next((a for a in later if a.country != prior[-1].country), None)
    targets: list[ActorMention | None]
    if target is None:
        # Coordinated actors and nothing after the verb: in a mutual act they act on each other.
        targets = [b for b in sources if mutual and len({a.country for a in sources}) > 1] or [None]
    else:
        targets = list(_coordinated(actors, target, 1, sentence))
    return [(a, b) for a in sources for b in targets if b is None or a.country != b.country]


def _reciprocal(action: ActionMention, between: str) -> bool:
    """Whether both parties do ``action``: a reciprocal act, or an agreement made "with" the other party ("Russia
    agreed with Turkey on ..."; not "Azerbaijan agreed to return Kalbajar to Armenia")."""
    if action.code in RECIPROCAL_CODES or (action.code[:2] == "03" and bool(_WITH.search(between))):
        return True
    return action.code[:2] == "19" and (action.lemma in CLASHING_LEMMAS or action.text.lower().startswith(("clash", "skirmish")))


def _shared(pairs: list[tuple[ActorMention, ActorMention | None]], previous: list[tuple[ActorMention, ActorMention | None]],
            action: ActionMention, sentence: str) -> list[tuple[ActorMention, ActorMention | None]]:
    """The parties of a verb coordinated with the previous one and naming no subject of its own: in "Pashinyan met
    Putin in Moscow and signed an agreement" both sign, not Moscow alone."""
    if not previous or not _AND_VERB.search(sentence[:action.start]):
        return pairs
    sources = list({id(source): source for source, _ in previous}.values())
    targets = [target for _, target in pairs if target is not None and target.start >= action.end]
    if targets:  # "... and signed an agreement with Erdogan": the previous subject, this verb's object
        return [(a, b) for a in sources for b in targets if a.country != b.country]
    if action.code[:2] in MUTUAL_ROOTS:
        return previous
    return [(a, None) for a in sources]


def _unattributed(actors: list[ActorMention], action: ActionMention, sentence: str) -> bool:
    """Whether a statement has no named speaker: no actor before its verb and none right after it (an inverted
    "..., said Russian Foreign Minister Sergei Lavrov" names one)."""
    if any(a.end <= action.start for a in actors):
        return False
    later = [a for a in actors if a.start >= action.end]
    return not later or len(sentence[action.end:later[0].start].split()) > 2


def _without_echoes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One sentence's events without the target-less ones of an actor that already has an event of the same quad
    class and modality toward a named party there: in "Armenian and Azerbaijani forces clashed ..., and the sporadic
    violence has continued", the violence is the clash, not an act of each side against no one."""
    aimed = {(r["actor1_country"], r["quad_class"], r["modality"]) for r in rows if r["actor2_country"] is not None}
    return [r for r in rows if r["actor2_country"] is not None or r["actor1_country"] is None
            or (r["actor1_country"], r["quad_class"], r["modality"]) not in aimed]


def _row(article: Article, published: dt.date, start: int, sentence: str, action: ActionMention, source: ActorMention,
         target: ActorMention | None, when: DateMention, place: Place | None, modality: str) -> dict[str, Any]:
    """One coded event as a canonical row with its evidence."""
    cameo = cameo_codes()[action.code]
    key = f"{article.id}|{start + action.start}|{action.code}|{source.code}|{target.code if target else ''}"
    return {
        "event_id": f"{SOURCE}:{hashlib.sha256(key.encode()).hexdigest()[:16]}",
        "source": SOURCE,
        "source_event_id": key,
        "event_date": when.date,
        "date_added": dt.datetime.combine(published, dt.time()),
        "event_date_precision": stored_precision(when, article.published_precision),
        "date_added_precision": article.published_precision,
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
        "modality": modality,
        "confidence": round(0.4 + 0.3 * (target is not None) + 0.2 * (when.precision == "day")
                            + 0.1 * (place is not None), 2),
        "evidence_article_id": article.id, "evidence_sentence": sentence.strip(),
        "evidence_start": start, "evidence_end": start + len(sentence),
    }


class DictionaryCoder(Coder):
    """PETRARCH-style dictionaries and patterns, no parser: fast, offline, explainable."""

    name = "dictionary"

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or packaged()

    def code(self, article: Article) -> list[dict[str, Any]]:
        """Events of one article.

        Raises:
            InputError: the article's publication date is not a date or is outside the supported range.
        """
        published = as_published(article.published, "publication date") or dt.date.today()
        rows: list[dict[str, Any]] = []
        for start, _, sentence in reported_sentences(article.text):
            if reports_nothing(sentence):  # a dateline or heading alone ("Tbilisi, 3 March 2021.")
                continue
            filed = dateline_end(sentence)  # "TBILISI, March 3 (Reuters) -": where the story was filed, no actor
            actors = [a for a in find_actors(sentence, published, self.lexicon) if a.start >= filed]
            if not actors:
                continue
            # A noun phrase in apposition describes, it does not report ("Pakistan, a key U.S. ally, ..."); a
            # relative clause may report an event of its own ("Baku, which launched an offensive, ...").
            asides = _asides(sentence)
            actions = [action for action in find_actions(sentence, frozenset(a.end for a in actors), self.lexicon)
                       if not any(a.start < action.end and action.start < a.end for a in actors)  # "United States"
                       and action.start >= filed and not is_month(sentence, action.start, action.end)
                       and not any(start <= action.start < end for start, end, relative in asides if not relative)]
            actions = without_denied_twins(actions)  # "denied that its forces attacked": the attack, denied
            if any(a.code != STATEMENT for a in actions):
                # "Baku said Armenian troops shelled Tovuz": the report is the shelling; a bare statement (010) is
                # an event only when nothing else in the sentence is (as in PETRARCH-2's validation records).
                actions = [a for a in actions if a.code != STATEMENT]
            if not actions:
                continue
            when = event_date(sentence, published, article.published_precision)
            countries = tuple(dict.fromkeys(a.country for a in actors if a.country))
            places = [p for p in find_places(sentence, countries) if p.place.kind != "country"]
            seen: set[tuple[str, str | None, str]] = set()
            first = len(rows)
            previous: list[tuple[ActorMention, ActorMention | None]] = []
            for action in actions:
                mutual = action.code[:2] in MUTUAL_ROOTS
                modality = act_modality(sentence, action).value
                pairs = (_relative(actors, action.start, action.end, asides)
                         or _dyads(actors, action.start, action.end, sentence, mutual, asides))
                pairs = _shared(pairs, previous, action, sentence)
                previous = pairs
                suffered = action.lemma in SUFFERED or (_PASSIVE.search(sentence[:action.start])
                                                        and not action.text.lower().endswith("ing"))
                if action.code[:2] == "01" and _unattributed(actors, action, sentence):
                    continue  # "Analysts say the relationship between France and Turkey ...": no named speaker
                for source, target in pairs:
                    if suffered and target is not None and _AGENT.match(sentence[action.end:target.start]):
                        # "A camp was attacked by Burundian militiamen", "soldiers died in clashes with Armenian
                        # forces": the subject suffered the act, the actor after the verb did it.
                        source, target = target, source
                    act = action
                    if _MUST.search(sentence[:action.start]):
                        # "Britain said Libya must hand over ...": Britain demands (10) of Libya.
                        act = replace(action, code="100")
                        speaker = actors[0]
                        if speaker.country != source.country and speaker.start < source.start:
                            source, target = speaker, source
                    if target is None and _RECIPROCAL.search(sentence):
                        # "the two countries" / "both sides": the other named country is the target.
                        others = [a for a in actors if a.country and a.country != source.country]
                        target = others[0] if others else None
                    dyad_code = (source.country or source.code, (target.country or target.code) if target else None,
                                 act.code[:2])
                    if dyad_code in seen:  # one event per dyad and CAMEO root in a sentence
                        continue
                    seen.add(dyad_code)
                    rows.append(_row(article, published, start, sentence, act, source, target, when,
                                     places[0].place if places else None, modality))
                    if target is not None and _reciprocal(act, sentence[act.end:target.start]):
                        back = (target.country or target.code, source.country or source.code, act.code[:2])
                        if back not in seen:  # the other party does the same act
                            seen.add(back)
                            rows.append(_row(article, published, start, sentence, act, target, source, when,
                                             places[0].place if places else None, modality))
            rows[first:] = _without_echoes(rows[first:])
        return rows


def text_article(text: str, *, published: PublishedLike = None, url: str | None = None,
                 article_id: str | None = None) -> Article:
    """A piece of text as an article (English, outlet from the URL), as the coder takes it.

    Raises:
        InputError: ``published`` is not a date, a datetime or an ISO date string, or is out of range.
    """
    from geodrift.coding.articles import article_id as make_id
    from geodrift.coding.articles import normalize_text, outlet_of

    return Article(id=article_id or make_id(url, text), text=normalize_text(text), url=url,
                   outlet=outlet_of(url), published=as_published(published), language="en",
                   published_precision=published_precision(published))


CODERS = ("dictionary", "hybrid")
"""The coders a user can name (``geodrift code --coder``, ``code_text(coder=...)``)."""


def coder_named(name: str) -> Coder:
    """The coder a user names ("dictionary" or "hybrid", as ``geodrift code --coder`` takes it)."""
    if name == "hybrid":
        from geodrift.coding.hybrid import HybridCoder  # it builds on this module

        return HybridCoder()
    if name not in CODERS:
        raise InputError(f"unknown coder {name!r}; use {' or '.join(CODERS)}")
    return DictionaryCoder()


def code_text(text: str, *, published: PublishedLike = None, url: str | None = None,
              article_id: str | None = None, coder: Coder | str | None = None) -> list[dict[str, Any]]:
    """Events in a piece of text (Python API): canonical rows with evidence.

    Args:
        published: the publication day, which dates relative expressions ("on Tuesday"): a date, a datetime or
            an ISO string ("2021-03-03"; a month "2021-03" or a year "2021" when the page gives no day, stored with
            that precision); today when None.

    Raises:
        InputError: ``published`` is anything else or lies outside the supported range, or ``coder`` names none.
    """
    article = text_article(text, published=published, url=url, article_id=article_id)
    return (coder_named(coder) if isinstance(coder, str) else coder or DictionaryCoder()).code(article)
