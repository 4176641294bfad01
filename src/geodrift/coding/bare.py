"""Actors named by their role alone ("Police fired tear gas at protesters", "Rebels seized the town"), for the hybrid
coder (issue 18).

Real news often names no country in a sentence that reports an act: the dictionary coder, which needs a country or an
IGO for an event, is silent on it, and the sentence gets no event at all. PETRARCH-2 codes such an actor by its agent
with no country ("---GOV", "---COP"; its unit-test records hold such codings), and so do we here: the agent phrase of
the dictionary (codebooks/data/agents.tsv) is the actor, its code "---" plus the agent's, its country None. Only a
sentence with no actor of a country or an IGO is read this way, so no event the dictionary codes changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from geodrift.coding.actions import find_actions
from geodrift.coding.actors import ActorMention, agent_code, role_of, sentence_words
from geodrift.coding.articles import Article
from geodrift.coding.clauses import clause_at, clause_starts, verb_starts
from geodrift.coding.coder import STATEMENT, event_row
from geodrift.coding.dates import event_date
from geodrift.coding.lexicon import Lexicon
from geodrift.coding.modality import modality_of
from geodrift.coding.parties import PASSIVE_AUXILIARY, PASSIVE_DOER, SUFFERED
from geodrift.coding.places import find_places
from geodrift.coding.reports import dateline_end
from geodrift.coding.subjects import VICTIM_ROOTS

NO_COUNTRY = "---"
"""PETRARCH-2's country part of an actor code whose country is not named."""
MAX_AGENT_WORDS = 4


def bare_agents(sentence: str, lexicon: Lexicon) -> list[ActorMention]:
    """The agent phrases of ``sentence`` (longest first at each word), each as an actor of no country, after any
    dateline."""
    words = sentence_words(sentence, lexicon)
    tokens = [w for w, _, _ in words]
    filed = dateline_end(sentence)
    found = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + MAX_AGENT_WORDS), i, -1):
            agent = agent_code(tokens[i:j], lexicon)
            if agent and words[i][1] >= filed:
                found.append(ActorMention(None, role_of(agent), NO_COUNTRY + agent,
                                          sentence[words[i][1]:words[j - 1][2]], words[i][1], words[j - 1][2]))
                i = j - 1
                break
        i += 1
    return found


def bare_rows(article: Article, published: dt.date, start: int, sentence: str, lexicon: Lexicon,
              agents: list[ActorMention]) -> list[dict[str, Any]]:
    """The dictionary's events of a sentence whose only actors are ``agents`` (``bare_agents``): each act after the
    first agent is done by the last agent before it, to the first agent of another role after it in its clause."""
    verbs = find_actions(sentence, frozenset(a.end for a in agents), lexicon)
    acts = [v for v in verbs if v.start >= agents[0].end and not any(a.start < v.end and v.start < a.end for a in agents)]
    if any(a.code != STATEMENT for a in acts):  # a bare statement is an event only alone, as the dictionary has it
        acts = [a for a in acts if a.code != STATEMENT]
    if not acts:
        return []
    clauses = clause_starts(sentence, agents, verb_starts(sentence, verbs, lexicon.verb_words))
    when = event_date(sentence, published, article.published_precision, dateline_end(sentence))
    places = [p for p in find_places(sentence, ()) if p.place.kind != "country"]
    rows = []
    for act in acts:
        source = [a for a in agents if a.end <= act.start][-1]
        _, end = clause_at(clauses, act.start, sentence)
        target = next((a for a in agents if act.end <= a.start < end and a.role != source.role), None)
        if PASSIVE_AUXILIARY.search(sentence, 0, act.start) or act.lemma in SUFFERED:
            # "Protesters were beaten by police": the subject suffered the act, the agent after "by" did it; with
            # no doer named, an act with a victim is none ("many people had been killed"), as the dictionary has it.
            if target is not None and PASSIVE_DOER.match(sentence[act.end:target.start]):
                source, target = target, source
            elif act.code[:2] in VICTIM_ROOTS:
                continue
        rows.append(event_row(article, published, start, sentence, act, source, target, when,
                              places[0].place if places else None, modality_of(sentence, act.start, act.code).value))
    return rows
