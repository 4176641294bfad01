"""Who did what to whom in one sentence: the source and target of each coded action.

An action's source is the nearest actor before its verb and its target the nearest actor of another country
after it, each with the actors coordinated with it ("Russia and Turkey urged Armenia and Azerbaijan" gives four
pairs); a relative clause takes its missing party from the noun it hangs on; a verb coordinated with the one
before it shares its parties; the doer of a passive act is the actor after "by"; reciprocal acts (meeting,
signing, clashing) are done by both sides. Parties are looked for within the action's clause: a clause joined
by "while", "whereas", ", and" or ";" with a subject and a verb of its own neither lends nor borrows actors, and an
-ing verb after "while", "after", "before" or "when" has the subject of the clause it hangs on.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from geodrift.coding.actions import ActionMention
from geodrift.coding.actors import ActorMention
from geodrift.coding.clauses import AND_VERB, act_clause
from geodrift.coding.subjects import VICTIM_ROOTS, comma_participle, pronoun_objects, reachable, the_two_sides

Pair = tuple[ActorMention, ActorMention | None]
"""An event's source and target (None: no target named)."""
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
TRUCES = frozenset({"0871"})
"""A ceasefire: declared by the coordinated parties to each other ("Armenia and Azerbaijan agreed a ceasefire")."""
CLASHING_LEMMAS = frozenset({"CLASH", "SKIRMISH", "CLASHES", "FIGHTING", "SKIRMISHES"})
EXCHANGING_LEMMAS = frozenset({"EXCHANGE", "TRADE"})
"""Verbs of acts both sides do: coordinated parties exchange fire, blame or prisoners with each other, and a violent
object ("exchanged fire with", "traded artillery strikes") is a fight by each."""
ONE_WAY_LEMMAS = frozenset({"SEND", "DEPLOY", "DISPATCH"})
"""Verbs of military cooperation (062) one side does to the other: "Turkey did not send troops to Azerbaijan"."""
_WITH = re.compile(r"\bwith\b", re.IGNORECASE)
"""A verb coordinated with the one before it ("met Putin in Moscow and signed ..."): it shares that verb's parties."""
_RECIPROCAL = re.compile(r"\b(?:the two (?:countries|sides|nations|states|neighbou?rs|leaders|presidents|governments)|"
                         r"both sides|each other|one another)\b", re.IGNORECASE)
_TO_VERB = re.compile(r"\bto\s+$", re.IGNORECASE)
_MUST = re.compile(r"\bmust\s+(?:\w+\s+)?$", re.IGNORECASE)
_COORDINATION = re.compile(r"\s*(?:,\s*)?(?:(?:and|or|nor|as well as)\s+)?(?:the\s+)?|\s*,\s*|-", re.IGNORECASE)
"""What may stand between coordinated actors: "and", "or", "nor", a comma, "as well as", a hyphen
("Turkish-Azerbaijani exercises")."""
_TITLE = re.compile(r"\s+(?:[A-Z][\w.'-]*\s+){0,3}")
"""Capitalised words between a nationality and a name ("Armenian Prime Minister Nikol Pashinyan")."""
_APPOSITION = re.compile(r",\s+(a|an|the|who|which|whose)\b[^,;]*,", re.IGNORECASE)
"""An aside between commas ("Pakistan, a key U.S. ally, refused ...", "Baku, which ..., said"): its actors are
not the subject of the verb after it."""
PASSIVE_DOER = re.compile(r"\W+(?:(?:\w+\W+){0,4}?by|(?:\w+\W+)?(?:in|during|amid)\W+(?:\w+\W+){0,3}?with)\b", re.IGNORECASE)
"""The doer of a passive act, just after the verb: "attacked (overnight) by militiamen", "killed in (the border)
clashes with" (not "criticized over its dispute with", where "with" belongs to the dispute)."""
_PARTICIPLE_ASIDE = re.compile(r",\s+(?:while|after|before|when|upon)\s+\w+ing\b[^,;]*,", re.IGNORECASE)
"""A participle clause between commas ("Erdogan, while visiting Baku, signed ..."): its act is the actor's before it."""
_TEMPORAL = re.compile(r"\b(?:while|after|before|when|upon)\s+$", re.IGNORECASE)
_ITS = re.compile(r"\s+(?:on|at|upon|against)\s+its\b", re.IGNORECASE)
"""An act aimed at "its" positions or troops, right after the verb: the sentence's earlier speaker is its target."""
_BY_AFTER = re.compile(r"\s+by\b", re.IGNORECASE)
"""A participle right before "by" is a passive without its auxiliary ("talks in Moscow brokered by Russia", "a village
shelled by Azerbaijani forces"): the actor after "by" did it."""
PASSIVE_AUXILIARY = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
"""An auxiliary right before the verb ("was shelled", "were reportedly attacked"): the subject suffered the act."""


def _coordinated(actors: list[ActorMention], anchor: ActorMention, step: int, sentence: str) -> list[ActorMention]:
    """``anchor`` and the actors joined to it by "and", "or", "nor" or commas, walking ``step`` (1: rightwards,
    -1: leftwards) from it: "urged Armenia and Azerbaijan", "to Italy, Greece and Bulgaria". A nationality, a title and a
    name of the same country are one person ("with Armenian Prime Minister Nikol Pashinyan and Azerbaijani President
    Ilham Aliyev" names two, both reached)."""
    group = [anchor]
    edge = anchor
    index = actors.index(anchor) + step
    while 0 <= index < len(actors):
        left, right = (edge, actors[index]) if step > 0 else (actors[index], edge)
        gap = sentence[left.end:right.start]
        if actors[index].country and actors[index].country == edge.country and _TITLE.fullmatch(gap):
            edge = actors[index]  # the same person's name after its nationality and title
            index += step
            continue
        if not _COORDINATION.fullmatch(gap) or not (right.country or right.role == "IGO"):
            break
        group.append(actors[index])
        edge = actors[index]
        index += step
    return group if step > 0 else group[::-1]


def sentence_asides(sentence: str) -> list[tuple[int, int, bool]]:
    """(start, end, reports an act of its own) of the asides between commas in ``sentence``, found once per
    sentence: a relative clause, or a participle clause hanging on the actor before it ("Erdogan, while visiting
    Baku, signed ...": Erdogan visits)."""
    asides = [(m.start(), m.end(), m.group(1).lower().startswith("wh")) for m in _APPOSITION.finditer(sentence)]
    return sorted(asides + [(m.start(), m.end(), True) for m in _PARTICIPLE_ASIDE.finditer(sentence)
                            if not any(start <= m.start() < end for start, end, _ in asides)])


def _participle(actors: list[ActorMention], action: ActionMention, sentence: str, end: int,
                previous: list[Pair]) -> list[Pair] | None:
    """(source, target) of an -ing verb after "while", "after", "before", "when" or "upon", whose subject is the
    one it hangs on: "Erdogan signed a pact with Aliyev while visiting Baku" (the signer, from ``previous``, visits
    Baku); "While visiting Baku, Erdogan signed ..." (the subject after the comma). None for any other action."""
    if not action.text.lower().endswith("ing") or not _TEMPORAL.search(sentence, 0, action.start):
        return None
    named = [a for a in actors if a.country or a.role == "IGO"]
    comma = sentence.find(",", action.end, end)
    stop = comma if comma >= 0 else end
    before = [a for a in named if a.end <= action.start]
    after = [a for a in named if a.start > stop] if comma >= 0 else []
    subjects = (list({id(source): source for source, _ in previous}.values()) if previous
                else _coordinated(actors, before[0] if before else after[0], 1, sentence) if before or after else [])
    if not subjects:
        return None
    target = next((a for a in named if action.end <= a.start < stop and a.country != subjects[0].country), None)
    return [(a, target) for a in subjects]


def _relative(actors: list[ActorMention], before: int, after: int,
              asides: list[tuple[int, int, bool]]) -> list[Pair] | None:
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


_OBJECT_BEFORE = re.compile(r"\b(?:to|into|on|onto|against|at|in|near|towards?|over|with)\s+(?:the\s+)?$", re.IGNORECASE)
"""A preposition right before an actor that makes it the object of the act before it ("attacks on Armenian positions",
"his visit to Baku", "could spread to Turkey"), not its doer."""
_DIRECT_OBJECT = re.compile(r"\s+(?:the\s+)?")
_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
VISITS = frozenset({"042", "043"})
VIOLENT_ROOTS = frozenset({"18", "19", "20"})


def _objects(later: list[ActorMention], after: int, sentence: str, code: str) -> list[ActorMention]:
    """The actors after an act with no actor before it that cannot be its doer, though PETRARCH takes the first actor
    after such a verb as the doer ("agreed to set up a centre in Tokyo" is Japan's) and the gold records agree: the
    place visited ("During his visit to Baku, Georgian Prime Minister ...", "Kobakhidze visited Baku" when the visitor
    is unknown), what a violent act spreads "to" ("The fighting could spread to Turkey and Russia"; not "in Montenegro",
    which the gold records read as the doer), and
    any object of a preposition when a doer is named after "by" ("Attacks on Armenian positions by Azerbaijani
    forces"); each with the actors coordinated with it by "and" or "or"."""
    named_by = any(_BY.search(sentence, 0, a.start) for a in later)
    found: list[ActorMention] = []
    for k, a in enumerate(later):
        if a in found:
            continue
        prepositional = _OBJECT_BEFORE.search(sentence, 0, a.start)
        reached = prepositional is not None and prepositional.group(0).lower().startswith(("to", "into"))
        if ((prepositional and (named_by or code in VISITS)) or (reached and code[:2] in VIOLENT_ROOTS)
                or (k == 0 and code in VISITS and _DIRECT_OBJECT.fullmatch(sentence, after, a.start))):
            found.append(a)
            for b in later[k + 1:]:  # "to Turkey and Russia"
                if not _AND.fullmatch(sentence, found[-1].end, b.start):
                    break
                found.append(b)
    return found


_AND = re.compile(r"\s*,?\s*(?:and|or|as well as)\s+(?:the\s+)?", re.IGNORECASE)


def _dyads(actors: list[ActorMention], before: int, after: int, sentence: str, mutual: bool,
           asides: list[tuple[int, int, bool]], between: bool = False, code: str = "") -> list[Pair]:
    """(source, target) pairs of the action between ``before`` and ``after``: the nearest actor before the verb and
    the nearest of another country after it, each with the actors coordinated with it ("Russia and Turkey
    urged Armenia and Azerbaijan" gives four). Coordinated actors before the verb and none after it act on each
    other when the act is ``mutual`` ("Armenian and Azerbaijani forces clashed" gives both directions); otherwise
    each acts alone ("Russia and Turkey did not interfere"). A truce or an exchange (``between``) is the coordinated
    parties' with each other even when another party follows ("Armenia and Azerbaijan agreed to a ceasefire after talks
    brokered by Russia": Russia brokered it, it is no party; "exchanged prisoners under a Russian-brokered deal").
    ``code``: the act's CAMEO code, which decides which actors after it cannot be its doer (``_objects``)."""
    prior = [a for a in actors if a.end <= before and (a.country or a.role == "IGO")
             and not any(start <= a.start < end for start, end, _ in asides if end <= before)]
    later = [a for a in actors if a.start >= after]
    if not prior:
        objects = _objects(later, after, sentence, code)
        doers = [a for a in later if a not in objects]
        if objects and code[:2] in VIOLENT_ROOTS:  # "..., Kremlin spokesman Dmitry Peskov said": the speaker, no doer
            comma = sentence.find(",", after)
            doers = [a for a in doers if comma < 0 or a.start < comma]
        if not doers:
            return []  # "The fighting could spread to Turkey and Russia": no doer named
        rest = [a for a in later if a is not doers[0] and a.country != doers[0].country]
        return [(doers[0], rest[0] if rest else None)]
    sources = _coordinated(actors, prior[-1], -1, sentence)
    target = next((a for a in later if a.country != prior[-1].country), None)
    targets: list[ActorMention | None]
    if target is None or (between and len({a.country for a in sources}) > 1):
        # Coordinated actors and nothing after the verb: in a mutual act they act on each other.
        targets = [b for b in sources if mutual and len({a.country for a in sources}) > 1] or [None]
    else:
        targets = list(_coordinated(actors, target, 1, sentence))
    return [(a, b) for a in sources for b in targets if b is None or a.country != b.country]


def reciprocal(action: ActionMention, between: str) -> bool:
    """Whether both parties do ``action``: a reciprocal act, an exchange of fire ("traded fire with"), or an agreement
    made "with" the other party ("Russia agreed with Turkey on ..."; not "Azerbaijan agreed to return Kalbajar to
    Armenia")."""
    if action.lemma in ONE_WAY_LEMMAS:
        return False
    if action.code in RECIPROCAL_CODES or ((action.code[:2] == "03" or action.code in TRUCES) and bool(_WITH.search(between))):
        return True
    if action.code[:2] in ("18", "19", "20") and action.lemma in EXCHANGING_LEMMAS:
        return True
    return action.code[:2] == "19" and (action.lemma in CLASHING_LEMMAS or action.text.lower().startswith(("clash", "skirmish")))


def _shared(pairs: list[Pair], previous: list[Pair], action: ActionMention, sentence: str,
            local: list[ActorMention], previous_code: str | None) -> list[Pair]:
    """The parties of a verb coordinated with the previous one and naming no subject of its own: in "Pashinyan met
    Putin in Moscow and signed an agreement" both sign, not Moscow alone. What an agreement (root 03) is to do is its
    parties'. A visit's or meeting's purpose ("will visit
    Tbilisi on Monday to meet Garibashvili", ``previous_code`` of root 04) is its visitor's, aimed at the next party
    of another country after the verb."""
    purpose = (previous_code is not None and previous_code[:2] in ("03", "04")
               and bool(_TO_VERB.search(sentence, 0, action.start)))
    if not previous or not (AND_VERB.search(sentence[:action.start]) or purpose):
        return pairs
    if purpose and previous_code is not None and previous_code[:2] == "03":
        return previous  # "Armenia and Azerbaijan agreed with Russia to hold talks": the agreeing parties hold them
    sources = list({id(source): source for source, _ in previous}.values())
    targets = [target for _, target in pairs if target is not None and target.start >= action.end]
    objects = [a for a in local if a.start >= action.end and (a.country or a.role == "IGO")]
    if objects and objects[0].country != sources[0].country:
        # "phoned Mirzoyan and urged Armenia and Azerbaijan": the object group right after this verb, even where
        # it shares the country of the previous verb's object ("... and accused Baku of ...").
        targets = _coordinated(local, objects[0], 1, sentence)
    if purpose:
        targets = [a for a in local if a.start >= action.end and a.country != sources[0].country][:1]
    targets = targets or pronoun_objects(previous, action, sentence)  # "phoned X and Y and urged them"
    if targets:  # "... and signed an agreement with Erdogan": the previous subject, this verb's object
        return [(a, b) for a in sources for b in targets if a.country != b.country]
    if action.code[:2] in MUTUAL_ROOTS:
        return previous
    return [(a, None) for a in sources]


def unattributed(actors: list[ActorMention], action: ActionMention, sentence: str) -> bool:
    """Whether a statement has no named speaker: no actor before its verb and none right after it (an inverted
    "..., said Russian Foreign Minister Sergei Lavrov" names one)."""
    if any(a.end <= action.start for a in actors):
        return False
    later = [a for a in actors if a.start >= action.end]
    return not later or len(sentence[action.end:later[0].start].split()) > 2


def without_echoes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One sentence's events without the target-less ones of an actor that already has an event of the same quad
    class and modality toward a named party there: in "Armenian and Azerbaijani forces clashed ..., and the sporadic
    violence has continued", the violence is the clash, not an act of each side against no one."""
    aimed = {(r["actor1_country"], r["quad_class"], r["modality"]) for r in rows if r["actor2_country"] is not None}
    return [r for r in rows if r["actor2_country"] is not None or r["actor1_country"] is None
            or (r["actor1_country"], r["quad_class"], r["modality"]) not in aimed]


Event = tuple[ActionMention, ActorMention, ActorMention | None]


def event_parties(actors: list[ActorMention], action: ActionMention, sentence: str, asides: list[tuple[int, int, bool]],
                  previous: list[Pair], clauses: list[int], joined: list[int],
                  denial: Pair | None = None, previous_code: str | None = None) -> tuple[list[Pair], list[Event]]:
    """The parties of ``action`` as found (for the next verb to share) and its events: (act, source, target) with
    passives turned round ("was attacked by"), "must" made a demand of the speaker, and "the two countries" given
    the other named country. ``clauses``: where coordinated clauses begin (``clause_starts``); the parties are
    looked for in the action's own. ``denial``: (denier, claimant) of a denied claim before the action, whose
    claimant is the doer of a passive with no named doer that the denier suffered ("Azerbaijan rejected Armenian
    claims that its helicopters had been destroyed": Armenia claimed it destroyed them). ``previous_code``: the CAMEO
    code of the action before, whose purpose this one may be (``_shared``)."""
    start, end = act_clause(clauses, action, sentence)
    reach = min([end, *(j for j in joined if j > action.end)])
    local = reachable([a for a in actors if start <= a.start < end and (a.start < reach or a.end <= action.start)],
                      action, sentence)
    pairs = (_relative(actors, action.start, action.end, asides) or _participle(local, action, sentence, end, previous)
             or comma_participle(local, action, sentence, asides)
             or _dyads(local, action.start, action.end, sentence, action.code[:2] in MUTUAL_ROOTS or action.code in TRUCES
                       or action.lemma in EXCHANGING_LEMMAS, asides, action.code in TRUCES or action.lemma in EXCHANGING_LEMMAS,
                       action.code))
    pairs = the_two_sides(_shared(pairs, previous, action, sentence, local, previous_code), previous, action, sentence)
    suffered = action.lemma in SUFFERED or (PASSIVE_AUXILIARY.search(sentence[:action.start])
                                            and not action.text.lower().endswith("ing")) or (
        action.text.lower().endswith("ed") and bool(_BY_AFTER.match(sentence, action.end)))
    events: list[Event] = []
    for source, target in pairs:
        if (suffered and target is not None and source.start < action.start
                and PASSIVE_DOER.match(sentence[action.end:target.start])):
            # "A camp was attacked by Burundian militiamen", "soldiers died in clashes with Armenian
            # forces": the subject suffered the act, the actor after the verb did it.
            source, target = target, source
        elif (suffered and target is None and denial is not None and denial[1] is not None
              and source.country == denial[0].country and source.start > denial[1].end):
            source, target = denial[1], source
        elif suffered and target is None and source.end <= action.start and action.code[:2] in VICTIM_ROOTS:
            continue  # "105 Armenian servicemen had been killed": no doer named, no act (coding/subjects.py)
        if target is None and _ITS.match(sentence, action.end):
            # "Baku said Armenian forces fired on its positions": "its" is the speaker's, the act's target.
            speaker = next((a for a in actors if a.end <= source.start and a.country and a.country != source.country),
                           None)
            target = speaker or target
        act = action
        if _MUST.search(sentence[:action.start]) and local:
            # "Britain said Libya must hand over ...": Britain demands (10) of Libya.
            act = replace(action, code="100")
            speaker = local[0]
            if speaker.country != source.country and speaker.start < source.start:
                source, target = speaker, source
        if target is None and _RECIPROCAL.search(sentence, start, end):
            # "the two countries" / "both sides" in this clause: the other named country of the clause, else the
            # pair named last before it ("Georgia offered to mediate between Armenia and Azerbaijan, whereas Iran
            # urged both sides ...": Iran urges both).
            others = [a for a in local if a.country and a.country != source.country]
            earlier = [a for a in actors if a.end <= start and a.country and a.country != source.country]
            sides = others[:1] or (_coordinated(actors, earlier[-1], -1, sentence) if earlier else [])
            events += [(act, source, side) for side in sides if side.country != source.country]
            if sides:
                continue
        events.append((act, source, target))
    return pairs, events
