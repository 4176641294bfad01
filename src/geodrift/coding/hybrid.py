"""The hybrid coder: the dictionary finds actors, dates, places, modality and candidate acts; the learned layer
(coding/model.py) decides the kind of event when the dictionary is silent or disagrees, and whether a sentence
reports anything at all (issue 18).

Per sentence, with P from the model:
- the dictionary coded events and P(none) >= ``none_threshold``: they are dropped (the model decided: no event);
- the dictionary coded events, none of the model's class, and P(class) >= ``switch_threshold``: they keep their
  actors, date, place and modality and take the class's code (the model decided the type);
- the dictionary found actors but no act and P(class) >= ``create_threshold``: one event, from the first actor to the
  next of another country, with the class's code;
- otherwise the dictionary's events stand, those of the model's class first and 0.3 more confident.
Which part decided is kept in ``source_event_id`` (its last field: ``dictionary``, ``model``) and the model's
probability of the class in ``confidence`` when it decided.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from geodrift.codebooks import cameo_codes
from geodrift.coding.actions import ActionMention, find_actions
from geodrift.coding.actors import find_actors
from geodrift.coding.articles import Article, as_published
from geodrift.coding.coder import SOURCE, Coder, DictionaryCoder, _row, sentences
from geodrift.coding.dates import event_date
from geodrift.coding.modality import modality_of
from geodrift.coding.model import EventModel, event_class, packaged_model
from geodrift.coding.places import find_places
from geodrift.coding.reports import dateline_end, reports_nothing


def _decided(row: dict[str, Any], by: str, code: str | None = None, confidence: float | None = None) -> dict[str, Any]:
    """``row`` marked with the part that decided it (and recoded when the model chose another class)."""
    row = dict(row)
    if code and code != row["event_code"]:
        cameo = cameo_codes()[code]
        row.update(event_code=cameo.code, event_base_code=cameo.base_code, event_root_code=cameo.root_code,
                   quad_class=cameo.quad_class, goldstein=cameo.goldstein, plover=cameo.plover)
        parts = row["source_event_id"].split("|")
        row["source_event_id"] = "|".join([*parts[:2], code, *parts[3:]])
    if confidence is not None:
        row["confidence"] = round(confidence, 2)
    row["source_event_id"] += f"|{by}"
    row["event_id"] = f"{SOURCE}:{hashlib.sha256(row['source_event_id'].encode()).hexdigest()[:16]}"
    return row


class HybridCoder(Coder):
    """Dictionary coder plus a learned decision on the event's class and on "no event"."""

    name = "hybrid"

    def __init__(self, dictionary: DictionaryCoder | None = None, model: EventModel | None = None, *,
                 none_threshold: float = 0.8, switch_threshold: float = 0.5, create_threshold: float = 0.5) -> None:
        self.dictionary = dictionary or DictionaryCoder()
        self.model = model
        self.none_threshold = none_threshold
        self.switch_threshold = switch_threshold
        self.create_threshold = create_threshold

    def code(self, article: Article) -> list[dict[str, Any]]:
        """Events of one article, each marked with the part that decided it.

        Raises:
            InputError: the article's publication date is not a date or is outside the supported range.
        """
        model = self.model or packaged_model()
        published = as_published(article.published, "publication date") or dt.date.today()
        coded: dict[int, list[dict[str, Any]]] = {}
        for row in self.dictionary.code(article):
            coded.setdefault(row["evidence_start"], []).append(row)
        rows: list[dict[str, Any]] = []
        lexicon = self.dictionary.lexicon
        for start, _, sentence in sentences(article.text):
            found = coded.get(start, [])
            if reports_nothing(sentence):
                continue
            p = model.probabilities(sentence, [a.code for a in find_actions(sentence, frozenset(), lexicon)])
            best = max((c for c in p if c != "none"), key=p.__getitem__)
            if found:
                if p["none"] >= self.none_threshold:
                    continue
                if all(event_class(r["event_code"]) != best for r in found) and p[best] >= self.switch_threshold:
                    rows += [_decided(r, "model", model.representative[best], p[best]) for r in found]
                else:  # the acts both parts agree on come first and are the sentence's most confident
                    agreed = [r for r in found if event_class(r["event_code"]) == best]
                    rows += [_decided(r, "dictionary", confidence=min(1.0, r["confidence"] + 0.3)) for r in agreed]
                    rows += [_decided(r, "dictionary") for r in found if r not in agreed]
            elif p[best] >= self.create_threshold and p["none"] < 0.5:
                rows += self._created(article, published, start, sentence, model.representative[best], p[best])
        return rows

    def _created(self, article: Article, published: dt.date, start: int, sentence: str, code: str,
                 probability: float) -> list[dict[str, Any]]:
        """One event the dictionary had no act for: first actor to the next of another country."""
        filed = dateline_end(sentence)
        actors = [a for a in find_actors(sentence, published, self.dictionary.lexicon)
                  if a.start >= filed and (a.country or a.role == "IGO")]
        if not actors:
            return []
        source = actors[0]
        target = next((a for a in actors[1:] if a.country != source.country), None)
        action = ActionMention(code=code, lemma="MODEL", start=source.end, end=source.end, text="")
        countries = tuple(dict.fromkeys(a.country for a in actors if a.country))
        places = [p for p in find_places(sentence, countries) if p.place.kind != "country"]
        row = _row(article, published, start, sentence, action, source, target, event_date(sentence, published),
                   places[0].place if places else None, modality_of(sentence, source.end).value)
        return [_decided(row, "model", confidence=probability)]
