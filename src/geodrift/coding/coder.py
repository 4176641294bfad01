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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from geodrift.codebooks import cameo_codes
from geodrift.coding.actions import DENIED_RESPONSIBILITY, ActionMention, find_actions
from geodrift.coding.actors import CROWD_VERBS, ActorMention, crowd_at, find_actors, named_people
from geodrift.coding.appeals import answered, requested
from geodrift.coding.articles import (
    LANGUAGES,
    Article,
    PublishedLike,
    Skipped,
    as_published,
    published_precision,
    set_apart,
)
from geodrift.coding.base import SOURCE, reported_sentences
from geodrift.coding.base import Coder as Coder  # re-exported: callers import the interface from here too
from geodrift.coding.clauses import clause_starts, joined_verbs, verb_starts
from geodrift.coding.dates import DateMention, clause_date, coordinated_clause, event_date, stored_precision
from geodrift.coding.language import split_by_language
from geodrift.coding.lexicon import Lexicon, packaged
from geodrift.coding.modality import act_modality, postponed, without_denied_twins
from geodrift.coding.parties import Pair, event_parties, reciprocal, sentence_asides, unattributed, without_echoes
from geodrift.coding.places import Place, PlaceMention, find_places, gazetteer, locates
from geodrift.coding.reports import dateline_end, is_month, reports_nothing
from geodrift.coding.sides import Sides, earlier_sides, sides_of
from geodrift.coding.speech import accusations, described
from geodrift.coding.talks import conversations
from geodrift.coding.titles import in_title
from geodrift.coding.tolls import graded
from geodrift.errors import InputError

STATEMENT = "010"
_TO_VERB = re.compile(r"\bto\s+$", re.I)
_LOCATIVE = re.compile(r"\b(?:in|at|near|to|from|into|outside|inside|around|across|towards?|over|on)\s+$", re.I)


def _stands_for_government(sentence: str, start: int, end: int, actors: Sequence[ActorMention]) -> bool:
    """Whether the city at sentence[start:end] is read as an actor and no preposition makes it a place: "accused
    Baku of staging the incident" names Azerbaijan's government, "shelled positions in Baku" a place."""
    return any((a.start, a.end) == (start, end) for a in actors) and not _LOCATIVE.search(sentence, 0, start)


_WHERE = re.compile(r"\b(?:in|at|near|outside|inside|around)\s+$", re.I)


def _only_where(sentence: str, actor: ActorMention, actors: Sequence[ActorMention]) -> bool:
    """Whether a capital named after "in", "at", "near" ... says only where something happened because another actor
    names its country: in "arrived in Baku for talks with President Ilham Aliyev" the talks are with Aliyev and held
    in Baku; "held talks in Moscow" alone keeps Moscow as the Russian side, and a country after "in" stays a party, as
    PETRARCH codes "arrived in Gondor"."""
    if len(actor.code) != 3 or not _WHERE.search(sentence, 0, actor.start):
        return False
    options = [p for p in gazetteer().candidates(actor.text) if p.kind != "village"]
    return (bool(options) and all(p.kind == "city" for p in options)
            and any(a is not actor and a.country == actor.country for a in actors))


def _place(sentence: str, places: Sequence[PlaceMention], source: ActorMention,
           target: ActorMention | None) -> Place | None:
    """Where an event happened: the sentence's first place that is not one of the event's parties, unless named
    after "in", "at" ...: in "Washington imposed sanctions on Moscow" Moscow is the sanctioned government, not where
    they were imposed."""
    parties = {(a.start, a.end) for a in (source, target) if a is not None}
    return next((p.place for p in places
                 if (p.start, p.end) not in parties or _WHERE.search(sentence, 0, p.start)), None)


def event_row(article: Article, published: dt.date, start: int, sentence: str, action: ActionMention,
              source: ActorMention, target: ActorMention | None, when: DateMention, place: Place | None,
              modality: str) -> dict[str, Any]:
    """One coded event as a canonical row with its evidence (shared by every coder that builds rows from mentions)."""
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


@dataclass(frozen=True)
class Reading:
    """What the dictionary read in an article: its events, and the actors each sentence names after any dateline
    (keyed by the sentence's start), which the hybrid coder reads again where no event came of them."""

    rows: list[dict[str, Any]]
    actors: dict[int, list[ActorMention]]


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
        return self.read(article).rows

    def read_many(self, articles: Sequence[Article]) -> list[Reading]:
        """Each article's reading; a coder that gains from batching (the context coder's parses) overrides it."""
        return [self.read(article) for article in articles]

    def read(self, article: Article) -> Reading:
        """Events of one article, with the actors each sentence names (``Reading``).

        Raises:
            InputError: the article's publication date is not a date or is outside the supported range.
        """
        published = as_published(article.published, "publication date") or dt.date.today()
        rows: list[dict[str, Any]] = []
        named_in: dict[int, list[ActorMention]] = {}
        sides: Sides | None = None
        for start, _, sentence in reported_sentences(article.text):
            if reports_nothing(sentence):  # a dateline or heading alone ("Tbilisi, 3 March 2021.")
                continue
            filed = dateline_end(sentence)  # "TBILISI, March 3 (Reuters) -": where the story was filed, no actor
            named = named_in[start] = [a for a in find_actors(sentence, published, self.lexicon) if a.start >= filed]
            actors = [a for k, a in enumerate(named)  # "the U.S. embassy in Tbilisi": a place
                      if not (k and locates(sentence, (named[k - 1].start, named[k - 1].end), (a.start, a.end)))]
            actors = [a for a in actors if not _only_where(sentence, a, actors)]
            actors = earlier_sides(sentence, actors, sides)  # "... met in Brussels. The two sides agreed to ..."
            if not actors:
                continue
            # A noun phrase in apposition describes, it does not report ("Pakistan, a key U.S. ally, ..."); a
            # relative clause may report an event of its own ("Baku, which launched an offensive, ...").
            asides = sentence_asides(sentence)
            found = find_actions(sentence, frozenset(a.end for a in actors), self.lexicon)
            actions = [action for action in found
                       if not any(a.start < action.end and action.start < a.end for a in actors)  # "United States"
                       and action.start >= filed and not is_month(sentence, action.start, action.end)
                       and not in_title(sentence, action)  # "Egypt's finance minister": no financing
                       and not any(start <= action.start < end for start, end, relative in asides if not relative)]
            # "killing one civilian": no mass killing; "denied that its forces attacked": the attack, denied; "postponed
            # a visit": no visit
            actions = postponed(sentence, without_denied_twins(graded(sentence, actions)))
            actions = requested(sentence, actions)  # "urged them to end hostilities": an appeal, no truce
            actions = conversations(sentence, actions)  # "spoke with his Armenian counterpart": both consult
            actions = described(sentence, actions, actors, self.lexicon)  # "said the economy would grow": no act of the speaker's
            actions = accusations(sentence, actions, actors)  # "said Azerbaijan bore full responsibility": 112
            # "Armenia denied shelling Ganja and said Azerbaijani forces ...": a statement after "and" ends the
            # previous verb's reach even where it is no event itself.
            joined = joined_verbs(sentence, actions)
            if any(a.code != STATEMENT for a in actions):
                # "Baku said Armenian troops shelled Tovuz": the report is the shelling; a bare statement (010) is
                # an event only when nothing else in the sentence is (as in PETRARCH-2's validation records).
                actions = [a for a in actions if a.code != STATEMENT]
            if not actions:
                continue
            when = event_date(sentence, published, article.published_precision, filed)
            countries = tuple(dict.fromkeys(a.country for a in actors if a.country))
            # "Vladimir Putin": no city Vladimir; "Nancy Pelosi", named whether in office or not: no Nancy, France
            people = [(a.start, a.end) for a in actors] + named_people(sentence, self.lexicon)
            places = [p for p in find_places(sentence, countries, people)
                      if p.place.kind != "country" and p.start >= filed  # "YEREVAN/BAKU, July 14 (Reuters) -": filed
                      and not _stands_for_government(sentence, p.start, p.end, actors)]
            city = next((p.place.iso3 for p in places if p.place.kind == "city"), None)
            crowd = crowd_at(sentence, filed, actors, city)  # "Protesters gathered outside the Russian embassy in Tbilisi"
            actors = sorted([*actors, crowd], key=lambda a: a.start) if crowd else actors
            clauses = clause_starts(sentence, actors, verb_starts(sentence, found, self.lexicon.verb_words))
            seen: set[tuple[str, str | None, str, dt.date | None]] = set()
            first = len(rows)
            previous: list[Pair] = []
            denial: Pair | None = None
            previous_code: str | None = None
            planned = [a.start for a in actions if _TO_VERB.search(sentence, 0, a.start)]
            appeals: list[tuple[ActorMention, ActorMention]] = []  # (maker, addressee) of the appeals so far
            pairs: list[Pair] = []
            for action in actions:
                # "agreed with Russia to hold talks in Moscow on 5 October": the date is the talks', the agreement's
                # is publication's.
                dated = (DateMention(published, "published", 0, 0, "")
                         if any(action.start < s <= when.start for s in planned)
                         else clause_date(sentence, published, when, action.start, article.published_precision))
                # "will visit Yerevan on Sunday, and ... talks in Brussels": a place in another clause is not the act's
                clause = coordinated_clause(sentence, action.start)
                own = [p for p in places if clause[0] <= p.start < clause[1]]
                previous, events = event_parties(actors, action, sentence, asides, previous, clauses, joined, denial,
                                                 previous_code)
                previous_code = action.code
                if crowd and action.lemma in CROWD_VERBS:
                    events = [(replace(act, code="141") if source is crowd else act, source, target)
                              for act, source, target in events]
                events = answered(events, appeals)  # "asked the CSTO for help, and the bloc agreed to ...": to Armenia
                pairs += [(source, target) for _, source, target in events]
                appeals += [(source, target) for act, source, target in events if act.code[:2] == "02" and target]
                if action.code == DENIED_RESPONSIBILITY:  # the claimed act after it is the claimant's word
                    denial = next((pair for pair in previous if pair[1] is not None), None)
                if action.code[:2] == "01" and unattributed(actors, action, sentence):
                    continue  # "Analysts say the relationship between France and Turkey ...": no named speaker
                modality = act_modality(sentence, action).value
                # A clause dated on its own is another event ("will visit Yerevan on Sunday, and ... talks next month").
                own_day = dated.date if dated.start != when.start and dated.precision != "published" else None
                for act, source, target in events:
                    dyad_code = (source.country or source.code, (target.country or target.code) if target else None,
                                 act.code[:2], own_day)
                    if dyad_code in seen:  # one event per dyad and CAMEO root in a sentence
                        continue
                    seen.add(dyad_code)
                    where = _place(sentence, own, source, target)
                    rows.append(event_row(article, published, start, sentence, act, source, target, dated, where,
                                          modality))
                    if target is not None and reciprocal(act, sentence[act.end:target.start]):
                        back = (target.country or target.code, source.country or source.code, act.code[:2], own_day)
                        if back not in seen:  # the other party does the same act
                            seen.add(back)
                            rows.append(event_row(article, published, start, sentence, act, target, source, dated, where,
                                                  modality))
            rows[first:] = without_echoes(rows[first:])
            sides = sides_of(pairs) or sides
        return Reading(rows, named_in)


def text_article(text: str, *, published: PublishedLike = None, url: str | None = None,
                 article_id: str | None = None) -> Article:
    """A piece of text as an article (English, outlet from the URL), as the coder takes it.

    Raises:
        InputError: ``published`` is not a date, a datetime or an ISO date string, or is out of range; or a text
            field holds a lone surrogate (named).
    """
    from geodrift.coding.articles import article_id as make_id
    from geodrift.coding.articles import normalize_text, outlet_of, unencodable
    from geodrift.coding.dates import dateline_date

    bad = unencodable({"text": text, "url": url, "article_id": article_id})
    if bad:
        raise InputError(bad)
    day = as_published(published)
    dated = dateline_date(normalize_text(text)) if day is None else None  # as `geodrift code` dates an undated text
    return Article(id=article_id or make_id(url, text), text=normalize_text(text), url=url, outlet=outlet_of(url),
                   published=day or dated, language="en", published_precision=published_precision(published),
                   published_from="dateline" if dated else "given")


def text_items(text: str, *, published: PublishedLike = None, url: str | None = None, article_id: str | None = None,
               language: str | None = "en", origin: str = "text") -> list[Article | Skipped]:
    """A piece of text as ``geodrift code`` reads a file: the article to code, without its sentences in another
    script ("Мы призываем стороны ...", a quote), followed by a partial skip saying how many were set apart and in
    which language; or a skip alone when nothing is left in a coded language.

    ``language``: the text's declared language ("en" by default, as the Python and HTTP callers send English); None
    detects it as ``geodrift code`` does for a text file.

    Raises:
        InputError: ``published`` is not a date, a datetime or an ISO date string, or is out of range.
    """
    article = text_article(text, published=published, url=url, article_id=article_id)
    split = split_by_language(article.text, language)
    code = split.language.split("-")[0].lower()
    if code not in LANGUAGES:
        return [Skipped(origin, f"language {split.language!r} is not coded (supported: {', '.join(LANGUAGES)})",
                        language=split.language, sentences=split.sentences, of=split.sentences)]
    coded = replace(article, text=split.text, language=code, origin=origin)
    return [coded, set_apart(origin, split)] if split.set_apart else [coded]


class TextEvents(list[dict[str, Any]]):
    """``code_text``'s events, a list as before, with what of the text was not coded and why."""

    def __init__(self, events: Iterable[dict[str, Any]] = (), not_coded: Skipped | None = None) -> None:
        super().__init__(events)
        self.not_coded = not_coded
        """The sentences set apart (a partial skip: its language and count) or the whole text's skip; None when
        every sentence was coded."""


CODERS = ("dictionary", "hybrid", "context", "hybrid-context")
"""The coders a user can name (``geodrift code --coder``, ``code_text(coder=...)``); ``hybrid-context`` is the hybrid
whose dictionary side is the context coder (its verb senses from the parse), the learned layer deciding where that
reading is unsure or silent."""

DEFAULT_CODER = "hybrid"
"""The coder used when none is named (``code_text``, ``geodrift code``, the API, the service, the demo): the hybrid
is ahead of the dictionary on every held-out set measured and alone codes sentences whose actors are named by their
role only (README "Coder status"); ``dictionary`` stays available, explainable and fastest."""


def default_coder() -> Coder:
    """The coder used when none is named (``DEFAULT_CODER``)."""
    return coder_named(DEFAULT_CODER)


def coder_named(name: str) -> Coder:
    """The coder a user names (one of ``CODERS``, as ``geodrift code --coder`` takes it)."""
    if name not in CODERS:
        raise InputError(f"unknown coder {name!r}; use {' or '.join(CODERS)}")
    if name == "dictionary":
        return DictionaryCoder()
    from geodrift.coding.hybrid import HybridCoder  # they build on this module

    if name == "hybrid":
        return HybridCoder()
    from geodrift.coding.context import ContextCoder  # it needs spaCy, imported when a sentence needs a parse

    return ContextCoder() if name == "context" else HybridCoder(ContextCoder())


def code_text(text: str, *, published: PublishedLike = None, url: str | None = None,
              article_id: str | None = None, coder: Coder | str | None = None,
              language: str | None = "en") -> TextEvents:
    """Events in a piece of text (Python API): canonical rows with evidence, and in ``not_coded`` what was left out.

    Args:
        published: the publication day, which dates relative expressions ("on Tuesday"): a date, a datetime or
            an ISO string ("2021-03-03"; a month "2021-03" or a year "2021" when the page gives no day, stored with
            that precision); today when None.
        language: the text's language, English by default; its sentences in another script are set apart either
            way (``text_items``); None detects the language as ``geodrift code`` does.
        coder: a coder or its name (``CODERS``); None is ``DEFAULT_CODER``, the hybrid.

    Raises:
        InputError: ``published`` is anything else or lies outside the supported range, ``coder`` names none, or a
            text field holds a lone surrogate (named).
    """
    items = text_items(text, published=published, url=url, article_id=article_id, language=language)
    skipped = next((item for item in items if isinstance(item, Skipped)), None)
    articles = [item for item in items if isinstance(item, Article)]
    if not articles:
        return TextEvents([], skipped)
    chosen = coder_named(coder) if isinstance(coder, str) else coder or default_coder()
    return TextEvents(chosen.code(articles[0]), skipped)
