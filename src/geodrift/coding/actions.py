"""Actions in a sentence: CAMEO codes from PETRARCH-2's verb dictionary, its simple object patterns,
and a short table of event nouns ("joint exercises", "clashes", "shelling").

A verb form ("clashed", "held") gives its lemma's code; when the lemma has object patterns and those
words follow the verb within a few words ("signed ... memorandum" -> 057, "took part" -> 030), the
pattern's code wins. Lemmas coded "---" in the dictionary (e.g. HOLD, DENY) are events only through a
pattern or a following event noun ("held joint exercises" -> 062).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodrift.coding.lexicon import Lexicon, Slot, VerbPattern, packaged
from geodrift.coding.sense_rules import demanded

LIGHT_VERBS = frozenset({"TAKE", "HOLD", "CONDUCT", "STAGE", "HOST", "LAUNCH", "BEGIN", "START", "CARRY OUT",
                         "PARTICIPATE", "JOIN", "PLAN", "ORGANIZE", "ORGANISE", "RESUME", "CONTINUE", "UNDERTAKE",
                         "RENEW", "COMPLETE", "SPEED"})
"""Verbs whose event is the noun after them: "took part in exercises" is military cooperation (062)."""
NOT_AFTER = frozenset({"THE", "A", "AN", "ITS", "THEIR", "HIS", "HER", "OUR", "THESE", "THOSE", "OF", "AND", "ARMED",
                       "SPECIAL", "SECURITY", "GOVERNMENT", "ENEMY", "PEACEKEEPING", "JOINT"})
"""Words before a plural form that make it a noun ("Russian forces", "the troops"), not a verb."""
AUXILIARIES = frozenset({"HAVE", "HAS", "HAD", "WAS", "WERE", "ARE", "IS", "WILL", "WOULD", "CAN", "COULD", "MAY", "MIGHT",
                         "SHALL", "SHOULD", "MUST", "DID", "DO"})
"""After a plural form these make it the subject noun: "forces have retaken", "attacks were reported"."""
MODALS = frozenset({"TO", "WILL", "WOULD", "SHALL", "SHOULD", "CAN", "COULD", "MAY", "MIGHT", "MUST"})
DETERMINERS = frozenset({"THE", "A", "AN", "ITS", "THEIR", "HIS", "HER", "OUR", "THIS", "THAT", "THESE", "THOSE"})
ADJECTIVAL = frozenset({"ARMED"})
"""Participles that are adjectives before a noun ("armed forces", "armed groups", "armed men", "armed clashes"): PETRARCH-2
reads ARMED as the verb ARM (062, provide military aid), which gave every "Azerbaijani armed forces shelled ..." a
military-aid event; a verb only before what starts its object ("armed the rebels", "armed them", "armed Armenia")."""
OBJECT_STARTS = DETERMINERS | {"THEM", "HIM", "US", "ME", "ITSELF", "THEMSELVES", "BY"}
GOVERNING_ROOTS = frozenset({"10", "11", "12", "13"})
"""Demands, disapproval, rejections and threats are about the act that follows them ("rejected calls to
meet", "threatened to strike"): the words after them are their object, not further events."""
EXCHANGES = frozenset({"EXCHANGE", "TRADE"})
"""Verbs whose object is what both sides do ("exchanged heavy shelling", "traded intense artillery fire")."""
COMMENTS = frozenset({"012", "013", "017", "051"})
"""Comments (concern, approval, sympathy, praise) on an act named after them as a noun ("said it was concerned about the
arrest", "welcomed the release"): that act is what the speaker comments on, not an act of the speaker's."""
NOUN_MARKERS = frozenset({"THE", "A", "AN", "ITS", "THEIR", "HIS", "HER", "OUR", "THESE", "THOSE", "OF"})
"""Words before a verb form that make it a noun commented on ("the arrest", "of arrests"; not "that", which opens a
clause: "said that battles were continuing")."""
DENIALS = frozenset({"DENY", "REJECT", "DISMISS", "REFUTE", "DISPUTE"})
"""Verbs that, before a claim noun and "that", deny the claimed act."""
CLAIMS = frozenset({"CLAIM", "CLAIMS", "REPORT", "REPORTS", "ALLEGATION", "ALLEGATIONS", "ACCUSATION", "ACCUSATIONS",
                    "SUGGESTION", "SUGGESTIONS", "ASSERTION", "ASSERTIONS", "CHARGE", "CHARGES", "STATEMENT",
                    "STATEMENTS"})
REFUSALS = frozenset({"REFUSE", "DECLINE"})
RULING_OUT = frozenset({"RULE OUT", "EXCLUDE", "DENY"})
"""Refusing to rule out, exclude or deny an act is no refusal: the act is possible (coding.modality), and is the
event ("Turkey refused to rule out sending troops"; "would not exclude" likewise)."""
NOT = frozenset({"NOT", "NEVER"})
ENDING = frozenset({"STOP", "END", "HALT", "CEASE"})
"""Verbs that, after "to" or as a noun, end a violent act named after them ("to stop the fighting", "an end to the
shelling"): no fight by the subject, and the violence is no act of its own (the U.S. calling on both sides to stop
the fighting is no U.S. fight; "Armenia stopped the offensive" is still read)."""
VIOLENT = frozenset({"18", "19", "20"})
DENIED_RESPONSIBILITY = "016"
"""A denial of claims that something happened ("rejected claims that its forces shelled ...", "dismissed reports
that") denies responsibility (CAMEO 016); the claimed act after "that" is coded on its own, negated
(coding.modality), not taken as the denial's object."""
CLAIM_WINDOW = 4
"""Words between a claim noun and its "that" ("claims by Baku that", "allegations made by Armenia that")."""
OBJECT_WINDOW = 6
"""Words after a verb searched for its pattern's object words or an event noun."""
SUBJECT_WINDOW = 4
"""Words before a verb searched for its pattern's words before the verb ("work stopped", "will hand over")."""
MAX_WORDS = 4
OBJECT_ENDS = frozenset({"AFTER", "BEFORE", "SINCE", "FOLLOWING", "AMID", "DESPITE", "UNTIL", "WHILE", "WHEN"})
"""Words that end a verb's object: in "a ceasefire starting at noon after talks in Moscow" the talks are not what
started."""
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z\-]|'(?=[A-Za-z]))*")


@dataclass(frozen=True)
class ActionMention:
    """An action found in a sentence."""

    code: str
    lemma: str
    start: int
    end: int
    text: str


def _in_order(slots: tuple[Slot, ...], window: list[str], stops: list[bool] | None = None) -> bool:
    """Whether a word of each slot appears in ``window``, in the slots' order; other words may come between, but
    not another verb (``stops``): in "said it had halted aid" the aid belongs to "halted", not to "said"."""
    position = 0
    for slot in slots:
        adjacent = position
        while position < len(window) and window[position] not in slot:
            if stops and stops[position]:
                return False
            position += 1
        # Another verb fills a slot only next to the words matched so far ("agreed to withdraw").
        if position == len(window) or (stops and stops[position] and position != adjacent):
            return False
        position += 1
    return True


def _matches(pattern: VerbPattern, tokens: list[str], start: int, end: int, stops: list[bool]) -> bool:
    """Whether the verb at tokens[start:end] has ``pattern``'s words around it, within its clause."""
    stop = end + OBJECT_WINDOW + len(pattern.after)
    stop = next((k for k in range(end, min(stop, len(tokens))) if tokens[k] in OBJECT_ENDS
                 and not any(tokens[k] in slot for slot in pattern.after)), stop)
    if not _in_order(pattern.after, tokens[end:stop], stops[end:stop]):
        return False
    if not pattern.before:
        return True
    # The word before the verb is its subject's head: next to it, or to it but for auxiliaries and adverbs
    # ("work has stopped"); a noun further back belongs to another phrase ("helicopters ... was shot down").
    position = start - 1
    while position >= 0 and tokens[position] not in pattern.before[-1]:
        if tokens[position] not in AUXILIARIES and not tokens[position].endswith("LY"):
            return False
        position -= 1
    if position < 0:
        return False
    earlier = tokens[max(0, position - SUBJECT_WINDOW - len(pattern.before)):position]
    return _in_order(pattern.before[:-1], earlier)


def _clause_verbs(tokens: list[str], lexicon: Lexicon) -> list[bool]:
    """Which tokens are verbs that open a clause of their own: past and -ing forms, and verb forms after a modal or
    "to" ("that he will withdraw", "agreed to send")."""
    return [token in lexicon.verb_words or (i > 0 and tokens[i - 1] in MODALS and (token,) in lexicon.forms)
            for i, token in enumerate(tokens)]




def _noun_after(tokens: list[str], start: int, nouns: dict[tuple[str, ...], str], object_only: bool = False) -> str | None:
    """The code of the first event noun within ``OBJECT_WINDOW`` words from ``start`` (``object_only``: before a word
    that ends the verb's object)."""
    for i in range(start, min(len(tokens), start + OBJECT_WINDOW)):
        if object_only and tokens[i] in OBJECT_ENDS:
            return None
        for size in range(3, 0, -1):
            code = nouns.get(tuple(tokens[i:i + size]))
            if code:
                return code
    return None


ADJUNCT_PREPOSITIONS = frozenset({"FOR", "AFTER", "FOLLOWING", "AMID", "AMIDST", "DESPITE", "BEFORE", "SINCE", "DURING",
                                  "WITHOUT", "THAN"})
"""Prepositions after which a verb form is a noun ("asks Russia-led bloc for help", "after deadly border attack",
"more than another scuffle"): what is asked for, the background of the clause's act or a comparison, not an act its
subject did (issue 18, review 7)."""
POSSESSIVES = frozenset({"HIS", "HER", "ITS", "THEIR", "OUR"})
"""Before an act after a preposition, these make it the subject's own ("during his visit to Baku")."""


def _after_preposition(tokens: list[str], i: int, words: list[re.Match[str]], lexicon: Lexicon) -> bool:
    """Whether the verb form at tokens[i] follows one of ``ADJUNCT_PREPOSITIONS``, past up to three lowercase
    modifiers that are no verb forms ("for help", "after the attack", "more than another scuffle"). Left to the other
    rules: a gerund right after the preposition (its clause subject's act: "withdrew after shelling the village"), an
    act with a possessive ("during his visit to Baku": the subject's), a listed event noun ("after talks", "after
    fierce fighting": coded as such) and an ending ("called for an end to the fighting")."""
    form = lexicon.forms.get((tokens[i],))
    if form is None or form[0] in ENDING or (tokens[i],) in lexicon.nouns:
        return False
    k = i - 1
    while k >= 0 and i - k <= 3 and words[k].group(0).islower() and tokens[k] not in ADJUNCT_PREPOSITIONS \
            and (tokens[k],) not in lexicon.forms and tokens[k] not in MODALS:
        k -= 1
    if k < 0 or tokens[k] not in ADJUNCT_PREPOSITIONS or POSSESSIVES & set(tokens[k + 1:i]):
        return False
    return k < i - 1 or not tokens[i].endswith("ING")


def _is_noun(tokens: list[str], i: int, j: int, words: list[re.Match[str]], nouns_before: frozenset[int],
             lexicon: Lexicon) -> bool:
    """Whether the verb form at tokens[i:j] is used as a noun or adjective here: a plural after a determiner or an
    actor adjective ("Russian forces") or before a verb ("forces killed", "attacks were"), a participle
    opening a noun phrase ("Ousted President Akayev", "the detained journalists"), an adjectival participle
    (``ADJECTIVAL``) before anything but an object ("Azerbaijani armed forces", "men armed with knives"), or a
    capitalised word after "of" ending a name ("the Line of Control")."""
    word, after = tokens[i], tokens[j] if j < len(tokens) else ""
    if _after_preposition(tokens, i, words, lexicon):
        return True
    if i > 1 and tokens[i - 1] == "OF" and words[i].group(0)[0].isupper() and words[i - 2].group(0)[0].isupper():
        return True  # the last word of a name ("the Line of Control", "Ministry of Defense"), not a verb
    if word.endswith("S") and i > 0 and (tokens[i - 1] in NOT_AFTER or words[i - 1].end() in nouns_before):
        return True
    if word.endswith("S") and (after in AUXILIARIES or ((after,) in lexicon.forms and after.endswith("ED"))):
        return True
    if word in ADJECTIVAL and j == i + 1 and after not in OBJECT_STARTS:
        # a lowercase "armed" before a name arms it ("armed Armenia"); "Armed Forces" is a name's word itself
        return not (j < len(tokens) and words[j].group(0)[0].isupper() and words[i].group(0).islower())
    return (word.endswith(("ED", "EN")) and j == i + 1 and (i == 0 or tokens[i - 1] in DETERMINERS)
            and after.isalpha() and after not in DETERMINERS and after not in ("BY", "TO", "IN", "ON", "AT", "FROM", "WITH"))


def _denied_claims(tokens: list[str], forms: dict[tuple[str, ...], tuple[str, str, str]]) -> dict[int, int]:
    """{denial verb: claim noun} token indices of "denied/rejected/dismissed (the) claims/reports ... that"."""
    found = {}
    for i, token in enumerate(tokens):
        entry = forms.get((token,))
        if entry is None or entry[0] not in DENIALS:
            continue
        k = i + 2 if i + 1 < len(tokens) and tokens[i + 1] in DETERMINERS else i + 1
        while k < min(len(tokens), i + 4) and tokens[k] not in CLAIMS:  # "rejected Azerbaijan's claims"
            k += 1
        if k < len(tokens) and tokens[k] in CLAIMS and "THAT" in tokens[k + 1:k + 2 + CLAIM_WINDOW]:
            found[i] = k
    return found


def _rules_nothing_out(tokens: list[str], i: int, j: int, lemma: str, code: str,
                       forms: dict[tuple[str, ...], tuple[str, str, str]]) -> bool:
    """Whether the verb at tokens[i:j] only hedges the act after it: a refusal to rule out, exclude or deny
    ("refused to rule out sending troops"), a negated "rule out" in any tense ("has not ruled out talks"), or a negated
    "exclude" coded by its block's default ("would not exclude a military solution": no coercion)."""
    if lemma in REFUSALS and tokens[j:j + 1] == ["TO"]:
        return any(forms.get(tuple(tokens[j + 1:j + 1 + n]), ("",))[0] in RULING_OUT for n in (2, 1))
    # "did not rule out talks", "has not ruled out", "did not explicitly rule out": the talks are possible, no refusal
    k = i - 1 if i > 1 and tokens[i - 1].endswith("LY") else i
    negated = k > 0 and (tokens[k - 1] in NOT or tokens[k - 1].endswith("N'T"))
    return negated and (lemma == "RULE OUT" or (lemma == "EXCLUDE" and code == forms[tuple(tokens[i:j])][1]))


def _violent_object(tokens: list[str], j: int, noun: str | None,
                    forms: dict[tuple[str, ...], tuple[str, str, str]]) -> bool:
    """Whether the words from tokens[j] name a violent act: an event noun of roots 18-20, or such a verb form within
    three words ("the shelling of civilian areas")."""
    if noun is not None and noun[:2] in VIOLENT:
        return True
    return any(forms.get((t,), ("", "---", ""))[1][:2] in VIOLENT for t in tokens[j:j + 3])


def _candidates(lexicon: Lexicon, key: str, present: set[str]) -> list[VerbPattern]:
    """The patterns of ``key`` (a lemma's own or its block's), in their order, that the sentence's words
    ``present`` may match: those with a word of their first slot among them (Lexicon.pattern_keys)."""
    found = lexicon.patterns.get(key)
    if not found:
        return []
    index = lexicon.pattern_keys(key)
    return [found[k] for k in sorted({k for word in present for k in index.get(word, ())})]


def find_actions(sentence: str, nouns_before: frozenset[int] = frozenset(),
                 lexicon: Lexicon | None = None) -> list[ActionMention]:
    """Coded actions in ``sentence``, in order (verbs, and event nouns that no verb claimed).

    ``nouns_before``: character offsets where an actor adjective ends ("Armenian"), after which a plural
    form ("forces") is a noun, not a verb.
    """
    lexicon = lexicon or packaged()
    forms, nouns = lexicon.forms, lexicon.nouns
    words = list(_WORD.finditer(sentence))
    tokens = [w.group(0).upper() for w in words]
    found: list[ActionMention] = []
    claimed: set[int] = set()
    # Tokens inside a multi-word event noun ("hunger strike") are not verbs.
    in_noun = {k for i in range(len(tokens)) for size in (2, 3) if tuple(tokens[i:i + size]) in nouns
               for k in range(i, i + size)}
    stops = _clause_verbs(tokens, lexicon)
    # After an exchange, an -ing event noun behind an adjective is what is exchanged ("exchanged heavy shelling").
    traded = [stop and not (k > 0 and (token,) in nouns and tokens[k - 1] not in lexicon.verb_words
                            and (tokens[k - 1],) not in forms and tokens[k - 1] not in MODALS)
              for k, (stop, token) in enumerate(zip(stops, tokens, strict=True))]
    denials = _denied_claims(tokens, forms)
    present = set(tokens)
    in_noun |= set(denials.values())
    commented = 0
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + MAX_WORDS), i, -1):
            entry = forms.get(tuple(tokens[i:j]))
            if entry is None or any(k in in_noun for k in range(i, j)):
                continue
            if i < commented and tokens[i - 1] in NOUN_MARKERS:
                continue
            if _is_noun(tokens, i, j, words, nouns_before, lexicon):
                continue
            lemma, code, block = entry
            if _rules_nothing_out(tokens, i, j, lemma, code, forms):
                # what is not ruled out may be an event noun ("said he did not rule out talks"): the event
                k = j + 1 if tokens[j:j + 1] and tokens[j] in DETERMINERS else j
                if k < len(tokens) and (tokens[k],) in nouns:
                    found.append(ActionMention(nouns[(tokens[k],)], tokens[k], words[k].start(), words[k].end(),
                                               words[k].group(0)))
                    claimed.add(k)
                    in_noun.add(k)
                i = j - 1
                break
            if i in denials and j == i + 1:
                found.append(ActionMention(DENIED_RESPONSIBILITY, lemma, words[i].start(), words[i].end(), words[i].group(0)))
                claimed.update(range(i, denials[i] + 1))
                break
            candidates = _candidates(lexicon, f"={lemma}", present) + _candidates(lexicon, block, present)
            for pattern in candidates:
                if _matches(pattern, tokens, i, j, traded if lemma in EXCHANGES else stops):
                    code = pattern.code
                    break
            # PETRARCH-2's DEMAND block gives its patterns appeal codes ("demanded the withdrawal" 025): a demand
            # verb keeps them under its own root (CAMEO's parallel 10x, coding/sense_rules.py)
            code = demanded(entry[1], code)
            noun = _noun_after(tokens, j, nouns, object_only=True)
            if lemma in ENDING and i > 0 and tokens[i - 1] in ("TO", "AN", "A") and _violent_object(tokens, j, noun, forms):
                i = min(len(tokens), j + OBJECT_WINDOW) - 1
                claimed.update(range(i - OBJECT_WINDOW, i + 1))
                break
            if noun and (code == "---" or lemma in LIGHT_VERBS):
                code = noun
            if code[:2] == "19":  # "killed in a car bomb explosion": the bombing makes it unconventional (18)
                nearby = [c for c in (_noun_after(tokens, max(0, i - OBJECT_WINDOW), nouns), noun) if c and c[:2] == "18"]
                code = nearby[0] if nearby else code
            if code != "---":
                commented = j + OBJECT_WINDOW if code in COMMENTS else commented
                found.append(ActionMention(code, lemma, words[i].start(), words[j - 1].end(),
                                           sentence[words[i].start():words[j - 1].end()]))
                claimed.update(range(i, min(len(tokens), j + OBJECT_WINDOW)))
                if code[:2] in GOVERNING_ROOTS:
                    i = min(len(tokens), j + OBJECT_WINDOW) - 1
                    break
            i = j - 1
            break
        i += 1
    for i in range(len(tokens)):
        if i in claimed:
            continue
        for size in range(min(3, len(tokens) - i), 0, -1):
            noun_code = nouns.get(tuple(tokens[i:i + size]))
            if noun_code:
                found.append(ActionMention(noun_code, " ".join(tokens[i:i + size]), words[i].start(),
                                           words[i + size - 1].end(), sentence[words[i].start():words[i + size - 1].end()]))
                claimed.update(range(i, i + size))
                break
    return sorted(found, key=lambda a: a.start)
