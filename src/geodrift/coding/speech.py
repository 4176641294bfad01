"""What a speaker says is not always something the speaker does (issue 18, statements in real news), and saying who
is to blame is an accusation.

Wire copy reports statements as "X said (that) <clause>". Without a parse the dictionary takes the nearest actor
before a verb as its doer, so a verb in the reported clause became the speaker's act whatever its subject was: "the
Turkish president said the economy would grow" was Turkey cooperating (060), "said the country was facing its worst
crisis" a consultation (040, "face"), "said the security situation had improved" cooperation again. Real-news
statements were the classes' weakest recall (0.33) for that reason. An act whose own subject is a common noun
phrase ("the economy", "relations with the North", "the security situation in the capital"), with no actor, no
pronoun and no name in its head, describes the world in the speaker's words; it is no act of the speaker's, and the
statement is the event. Kept: acts whose subject is an actor or a pronoun ("said Armenian troops shelled Tovuz",
"said it would send troops"), infinitives ("said the country was ready to send troops"), and violence (roots 18-20:
"said the blast killed 12 people" reports an attack whatever names its doer).

A statement that another party "bears (full) responsibility for", "was responsible for" or "is to blame for"
something accuses it (CAMEO 112), as "blamed" and "held ... responsible" do in PETRARCH-2's verb table: "Armenia's
foreign ministry said Azerbaijan bore full responsibility for the escalation" was a bare statement (010), verbal
conflict reported indirectly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from geodrift.coding.actions import AUXILIARIES, VIOLENT, ActionMention
from geodrift.coding.actors import ActorMention, agent_code
from geodrift.coding.lexicon import Lexicon

ACCUSE = "112"
_BLAMED = re.compile(r"\s(?:bears?|bore|borne)\s+(?:the\s+)?(?:full\s+|entire\s+|sole\s+|whole\s+)?responsibility\s+for\b"
                     r"|\s(?:is|are|was|were|be)\s+(?:fully\s+|solely\s+|directly\s+)?(?:responsible|to\s+blame)\s+for\b",
                     re.I)
_TOKEN = re.compile(r"[A-Za-z][\w'\-]*|[,;:]")
CHAIN = AUXILIARIES | {"NOT", "NEVER", "BEEN", "BE", "BEING", "ALSO", "STILL", "ALREADY", "NOW", "SOON", "EVEN",
                       "THEN", "ONLY", "N'T"}
"""Words between a subject and its verb ("would not", "had already been")."""
BOUNDARIES = frozenset({"THAT", ",", ";", ":", "WHETHER", "IF", "AND", "BUT", "BECAUSE", "AS", "WHILE", "WHEN",
                        "THOUGH", "ALTHOUGH", "SINCE", "UNTIL", "BEFORE", "AFTER"})
"""Words that open the clause a subject starts after."""
PRONOUNS = frozenset({"IT", "HE", "SHE", "THEY", "WE", "I", "YOU", "ITS", "THEIR", "HIS", "HER", "OUR", "MY", "WHO",
                      "WHICH", "THIS", "THESE", "THOSE", "BOTH", "EACH", "NEITHER", "EITHER"})
"""A subject that refers back to the speaker or another party ("said it would", "said both would")."""
PARTIES = frozenset({"TWO", "SIDES", "PARTIES", "LEADER", "LEADERS", "OFFICIALS", "AUTHORITIES"})
"""Words of a subject that names parties without a country, besides the dictionary's role words ("the two leaders
would discuss", "the government had made mistakes"): their act is theirs, not a description."""
PREPOSITIONS = frozenset({"OF", "WITH", "IN", "ON", "FOR", "FROM", "BETWEEN", "AT", "TO", "BY", "OVER", "AGAINST",
                          "NEAR", "ACROSS", "ALONG", "AROUND", "DURING", "UNDER", "AMONG", "ABOUT"})
"""Words that end a subject's head ("relations with the North": the head is "relations")."""


def _subject(sentence: str, speech: ActionMention, act: ActionMention, lexicon: Lexicon) -> list[re.Match[str]] | None:
    """The words of the head of ``act``'s subject in the clause ``speech`` reports (None: no noun subject there, as
    after "to" or right after the speech verb, or ``act`` is no finite verb: "announced a suspension of air links" has
    the noun "links" in its object)."""
    words = list(_TOKEN.finditer(sentence, speech.end, act.start))
    i = len(words) - 1
    while i >= 0 and (words[i].group(0).upper() in CHAIN or words[i].group(0).upper().endswith("LY")):
        i -= 1
    if i < 0 or words[i].group(0).upper() == "TO":
        return None
    if i == len(words) - 1 and act.text.upper() not in lexicon.verb_words:
        return None  # neither after "would", "had" ... nor a past or -ing form: a noun, not a verb with a subject
    j = i
    while j >= 0 and words[j].group(0).upper() not in CHAIN | BOUNDARIES:
        j -= 1
    phrase = words[j + 1:i + 1]
    if j >= 0 and words[j].group(0).upper() in CHAIN and phrase[0].group(0).upper() in ("A", "AN"):
        return None  # "said the claims were a blatant lie": a noun after "were", no subject
    head = []
    for word in phrase:
        if word.group(0).upper() in PREPOSITIONS:
            break
        head.append(word)
    return head or None


def described(sentence: str, actions: Sequence[ActionMention], actors: Sequence[ActorMention],
              lexicon: Lexicon) -> list[ActionMention]:
    """``actions`` without the acts a statement reports of a common noun subject (module docstring): the words a
    speaker uses to describe the world, not acts of the speaker's. The statement is a finite reporting verb ("said",
    "told", "says"; not "state" in "state media")."""
    kept: list[ActionMention] = []
    speech: ActionMention | None = None
    for action in sorted(actions, key=lambda a: a.start):
        if action.code[:2] == "01":
            speech = action if action.text.upper() != action.lemma else speech
        elif speech is not None and action.code[:2] not in VIOLENT and not any(
                speech.end <= other.start < action.start for other in actions if other.code[:2] != "01"):
            head = _subject(sentence, speech, action, lexicon)
            if head and not any(_names_party(w.group(0), lexicon) for w in head) and not any(
                    a.start < head[-1].end() and head[0].start() < a.end for a in actors):
                continue
        kept.append(action)
    return [a for a in actions if a in kept]


def _names_party(word: str, lexicon: Lexicon) -> bool:
    """Whether a word of a subject's head names a party: a pronoun, a name (capitalised), a role word."""
    upper = word.upper()
    return upper in PRONOUNS or upper in PARTIES or word[0].isupper() or agent_code([upper], lexicon) is not None


def accusations(sentence: str, actions: Sequence[ActionMention], actors: Sequence[ActorMention]) -> list[ActionMention]:
    """``actions`` with a statement coded as an accusation (112) where what it reports puts the blame on an actor
    named after it: "said Azerbaijan bore full responsibility for the escalation" (module docstring)."""
    out = list(actions)
    for k, action in enumerate(out):
        if action.code[:2] != "01":
            continue
        end = next((a.start for a in out[k + 1:] if a.code[:2] == "01"), len(sentence))
        blamed = _BLAMED.search(sentence, action.end, end)
        if blamed and any(action.end <= a.start and a.end <= blamed.start() for a in actors):
            out[k] = replace(action, code=ACCUSE)
    return out
