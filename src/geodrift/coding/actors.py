"""Actors named in a sentence: country (ISO3) and role, from the Phoenix dictionaries plus office holders.

A phrase in the actor dictionary ("Azerbaijani", "Baku", "the Kremlin", "Ilham Aliyev") gives a CAMEO
code valid on the article's date: office holders map to a country only while in office. An agent
phrase ("defence ministry", "troops", "foreign minister") next to it gives the role; a role in the
code itself (AZEGOV, RUSMIL) comes first; a bare state name defaults to GOV. IGO codes give role IGO
and no country.
Dictionaries (coding/lexicon.py): codebooks/data/actors.tsv and agents.tsv (from PETRARCH-2's Phoenix files, MIT, written by
tools/build_actor_dictionary.py), actors_extra.tsv (office holders since 2014, written here) and agents_extra.tsv
(role words Phoenix lacks: jets, drones, helicopters, tanks; written here).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geodrift.codebooks import to_iso3
from geodrift.coding.actions import CLAIM_WINDOW, CLAIMS, DENIALS, NOT_AFTER
from geodrift.coding.lexicon import Lexicon, packaged

MAX_WORDS = 8
AGENT_WINDOW = 3
"""Words between a country word and its agent ("Azerbaijani defence ministry", "the army of Armenia"); a past or -ing
verb form among them ends the phrase ("Armenian shelling killed two civilians": no Armenian civilians)."""
ROLE_CODES = ("GOV", "MIL", "REB", "OPP", "CVL", "BUS", "MED", "LEG", "JUD", "COP", "SPY", "ELI", "INS", "SEP", "UAF",
              "CRM", "EDU", "HLH", "LAB", "REF", "REL", "NGO", "IGO", "PKO")
BREAKS = frozenset({"WITH", "TO", "AGAINST", "FOR", "BY", "ON", "AT", "THAT", "WHO", "WHICH", "WHOSE"})
"""Words that end the noun phrase of an actor: an agent beyond them belongs to someone else ("and" does not:
"Armenian and Azerbaijani forces" share their head noun)."""
LINKS = frozenset({"OF", "FROM", "IN", "THE"})
"""Words that tie an agent before an actor to it ("the ambassador of Arnor", "troops from Gondor")."""
POSSESSIVES = frozenset({"ITS", "HIS", "HER", "THEIR"})
"""Before an agent these name the actor last mentioned: "Baku said its forces downed a drone" (AZE MIL)."""
_WORD = re.compile(r"[A-Za-z]{1,4}-\d[A-Za-z0-9]*|[A-Za-z](?:[A-Za-z\-]|\.(?=[A-Za-z]))*(?:'(?!s\b)[A-Za-z]+)*")
"""A word: a model designation kept whole ("F-16", "Su-25", "MQ-9": the agent phrase "F-16 JET"), else letters."""
DESIGNATION = re.compile(r"[A-Z]{1,4}-\d")
POSSESSED_GAP = 2
"""Words that may stand between a possessive and its agent ("its Mi-8 helicopter", "its own troops")."""
PRONOUNS = frozenset({"IT"})
"""A subject pronoun that, right after the "that" of a denied claim, names the denier ("Armenia rejected Azerbaijan's
accusations that it shelled Tartar": Armenia is accused)."""


@dataclass(frozen=True)
class ActorMention:
    """An actor found in a sentence."""

    country: str | None
    role: str | None
    code: str
    """The full CAMEO actor code: the dictionary's, plus the agent's when one was found (ARN + GOVFRM)."""
    text: str
    start: int
    end: int


def role_of(agent: str) -> str:
    """An agent code as one role: compound codes keep their military part (GOVMIL, a defence ministry, is MIL,
    as in the hand-coded data); otherwise the first role (GOVBUS -> GOV, GOVFRM -> GOV)."""
    return "MIL" if "MIL" in agent else agent[:3]


def agent_code(tokens: list[str], lexicon: Lexicon) -> str | None:
    """The agent code of the phrase ``tokens``: an exact phrase, else the longest stem its last word starts with
    (Phoenix's "ARMED FORCE" [UAF] and "ARMED FORCES" [MIL] both start "armed forces", which are MIL)."""
    if tuple(tokens) in lexicon.agents:
        return lexicon.agents[tuple(tokens)]
    heads = lexicon.stem_heads.get(tuple(tokens[:-1]))
    if not heads:
        return None
    last = tokens[-1]
    return next((heads[last[:n]] for n in range(len(last), -1, -1) if last[:n] in heads), None)


def code_on(entries: list[tuple[str, str, str]], day: dt.date) -> str | None:
    """The code an actor phrase has on ``day``: a dated code covering it, else an undated one."""
    text = day.isoformat()
    dated = [c for c, first, last in entries if (first or last) and (not first or first <= text)
             and (not last or text <= last)]
    if dated:
        return dated[-1]
    undated = [c for c, first, last in entries if not first and not last]
    return undated[0] if undated else None


def split_code(code: str, states: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """(ISO3 country, role) of a CAMEO actor code: AZEGOV -> (AZE, GOV); IGOUNO -> (None, IGO).

    ``states``: further three-letter codes that name states (a lexicon's own, e.g. fictional ones).
    """
    if code.startswith("IGO"):
        return None, "IGO"
    country = (to_iso3(code[:3]) or (code[:3] if code[:3] in states else None)) if len(code) >= 3 else None
    rest = code[3:] if country else code
    role = next((rest[i:i + 3] for i in range(0, len(rest), 3) if rest[i:i + 3] in ROLE_CODES), None)
    return country, role


def sentence_words(sentence: str, lexicon: Lexicon) -> list[tuple[str, int, int]]:
    """(upper-case word, start, end) of ``sentence``; a hyphenated word that no actor phrase starts with is split
    into its parts ("US-led" -> US, LED; "Turkish-Azerbaijani" -> TURKISH, AZERBAIJANI; "Guinea-Bissau" stays)."""
    words = []
    for match in _WORD.finditer(sentence):
        word = match.group(0).upper().rstrip(".")
        if "-" not in word or word in lexicon.actor_starts or DESIGNATION.match(word):
            words.append((word, match.start(), match.end()))
            continue
        for part in re.finditer(r"[^-]+", match.group(0)):
            words.append((part.group(0).upper().rstrip("."), match.start() + part.start(), match.start() + part.end()))
    return words


LANGUAGE_BEFORE = frozenset({("SPEAK",), ("SPEAKS",), ("SPOKE",), ("SPEAKING",), ("NATIVE",), ("FLUENT", "IN"),
                             ("TRANSLATED", "FROM"), ("TRANSLATED", "INTO")})
LANGUAGE_AFTER = frozenset({"LANGUAGE", "SPEAKERS", "SPEAKING", "TRANSLATION"})
"""Words around a nationality word that make it a language ("She speaks native Russian", "the Russian language",
"translated from Turkish"), not an actor."""


def _language(tokens: list[str], i: int, j: int, code: str, agent_at: dict[int, tuple[int, str]]) -> bool:
    """Whether the one word tokens[i], coded as a bare country, names a language: a cue right before or after it
    and no agent after it ("spoke to Russian officials" names Russians; "spoke with Putin" names Putin)."""
    if j != i + 1 or len(code) != 3 or any(i < k <= j + 1 for k in agent_at):
        return False
    before = {tuple(tokens[max(0, i - n):i]) for n in (1, 2)}
    return bool(before & LANGUAGE_BEFORE) or (j < len(tokens) and tokens[j] in LANGUAGE_AFTER)


GIVEN_NAMES = frozenset({"JORDAN", "CHAD", "GEORGIA", "INDIA", "ISRAEL", "KENYA", "JAMAICA", "IRELAND", "CUBA"})
"""Country names that are also common first names ("Jordan Peterson", "Chad Smith", "Georgia Harrison")."""
NOT_SURNAMES = frozenset({"VALLEY", "RIVER", "TIMES", "TODAY", "POST", "NEWS", "TECH", "STREET", "SQUARE", "HOUSE",
                          "PRESS", "FUND", "AIRWAYS", "AIRLINES", "TV", "RADIO", "CUP", "OPEN", "GATE", "BANK",
                          "SEA", "STREAM", "PIPELINE", "BORDER", "DREAM", "FIRST", "FORWARD", "CITY"})
"""Capitalised words that after a country name make a name of a place, an outlet or a body, not a person."""


def _first_name(words: list[tuple[str, int, int]], i: int, j: int, code: str, sentence: str, lexicon: Lexicon) -> bool:
    """Whether the one word words[i], coded as a bare country, is a person's first name: a country name that is also a
    given name, followed by a capitalised word that no dictionary knows, as a surname ("Jordan Peterson said ...";
    not "Jordan's King Abdullah", "Jordan Valley", "Georgia and Armenia")."""
    if j != i + 1 or len(code) != 3 or words[i][0] not in GIVEN_NAMES or j >= len(words):
        return False
    word, start, _ = words[j]
    return (sentence[start:start + 1].isupper() and sentence[words[i][2]:start] == " " and word.isalpha()
            and word not in NOT_SURNAMES and word not in lexicon.actor_starts and word not in lexicon.verb_words
            and (word,) not in lexicon.agents and (word,) not in lexicon.forms)


def _verb_after(tokens: list[str], words: list[tuple[str, int, int]], j: int, sentence: str, lexicon: Lexicon) -> bool:
    """Whether tokens[j], right after an actor phrase, is its verb, so the agent after it is the verb's object
    ("Azerbaijan exchanged prisoners": no Azerbaijani prisoners), not an adjective of the phrase ("Azerbaijani armed
    forces", "Russian peacekeeping forces") or part of a hyphenated word ("Russian-backed separatists")."""
    return (tokens[j] in lexicon.verb_words and tokens[j] not in NOT_AFTER
            and sentence[words[j][1] - 1:words[j][1]] != "-")


_LISTED = re.compile(r"\b(?:and|or)\b", re.IGNORECASE)


def _comma_between(sentence: str, start: int, end: int) -> bool:
    """Whether a comma between an actor word (ending at ``start``) and an agent (starting at ``end``) puts them in
    different noun phrases: "Turkey and Russia, Kremlin spokesman Dmitry Peskov said, ..." (no Turkish or Russian
    spokesman), "According to the defence ministry, Armenia ..." (no Armenian ministry); not in a list of adjectives
    sharing the head noun, where "and"/"or" follows the last comma ("Armenian, Azerbaijani and Russian forces")."""
    between = sentence[start:end]
    return "," in between and not _LISTED.search(between.rsplit(",", 1)[1])


def find_actors(sentence: str, day: dt.date, lexicon: Lexicon | None = None) -> list[ActorMention]:
    """Actors named in ``sentence`` as of ``day``, in order, with roles from codes or nearby agents."""
    lexicon = lexicon or packaged()
    words = sentence_words(sentence, lexicon)
    tokens = [w for w, _, _ in words]
    actors = lexicon.actors
    agent_at: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(tokens):
        # Only a word that starts an agent phrase of two words or more is looked up with the words after it.
        for j in range(min(len(tokens), i + MAX_WORDS) if tokens[i] in lexicon.agent_starts else i + 1, i, -1):
            role = agent_code(tokens[i:j], lexicon)
            if role:
                agent_at[i] = (j, role)
                i = j - 1
                break
        i += 1
    found: list[ActorMention] = []
    i = 0
    while i < len(tokens):
        # A name known only out of office on ``day`` ("Ararat Mirzoyan" before his offices) is that person, not what
        # a shorter part of it names ("Ararat", Turkey's mountain); only a part in the person's own country stands.
        person: set[str | None] | None = None
        person_end = i
        for j in range(min(len(tokens), i + MAX_WORDS) if tokens[i] in lexicon.actor_starts else i, i, -1):
            entries = actors.get(tuple(tokens[i:j]))
            code = code_on(entries, day) if entries else None
            if code is None:
                if entries and person is None:
                    person, person_end = {split_code(c, lexicon.states)[0] for c, _, _ in entries}, j
                continue
            if person is not None and split_code(code, lexicon.states)[0] not in person:
                continue
            if _language(tokens, i, j, code, agent_at) or _first_name(words, i, j, code, sentence, lexicon):
                i = j - 1
                break
            country, role = split_code(code, lexicon.states)
            agent = None
            if role is None or role == "ELI":
                near = [r for k, (end, r) in agent_at.items()
                        if (j <= k <= j + AGENT_WINDOW and not set(tokens[j:k]) & BREAKS
                            and not any(t in lexicon.verb_words for t in tokens[j + 1:k])
                            and not (k > j and _verb_after(tokens, words, j, sentence, lexicon))
                            and not _comma_between(sentence, words[j - 1][2], words[k][1]))
                        or (i - AGENT_WINDOW <= end - 1 < i and set(tokens[end:i]) <= LINKS
                            and not _comma_between(sentence, words[end - 1][2], words[i][1]))]
                agent = near[0] if near else None
                role = role_of(agent) if agent else role
            if role is None and country is not None and len(code) == 3:
                role = "GOV"  # a state named as such acts through its government ("Azerbaijan accused ...")
            found.append(ActorMention(country, role, code + (agent or ""), sentence[words[i][1]:words[j - 1][2]],
                                      words[i][1], words[j - 1][2]))
            i = j - 1
            break
        else:
            i = person_end - 1 if person is not None else i
        i += 1
    return _possessed(_national_bodies(_not_leaders(found, sentence), sentence, lexicon), agent_at, words, lexicon)


_LED = re.compile(r"-(?:led|dominated|headed)\s+(?:\w+\s+)?(?:bloc|alliance|coalition|organi[sz]ation|group|union|pact)\b",
                  re.IGNORECASE)


def _not_leaders(found: list[ActorMention], sentence: str) -> list[ActorMention]:
    """``found`` without a country that only says who leads a bloc named after it: "the Moscow-led bloc only agreed to
    send a fact-finding mission" is the bloc's act (the CSTO's), not Russia's."""
    return [a for a in found if not (a.country and _LED.match(sentence, a.end))]


def named_people(sentence: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """(start, end) of the office holders' names of two words or more that the actor dictionary lists, in office on
    any day or none ("Nancy Pelosi" before her dates were added): a name there is a person's, so no part of it is a
    place ("Nancy", France) whether or not the person is an actor on the article's day."""
    words = sentence_words(sentence, lexicon)
    tokens = [w for w, _, _ in words]
    spans = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + MAX_WORDS) if tokens[i] in lexicon.actor_starts else i, i + 1, -1):
            entries = lexicon.actors.get(tuple(tokens[i:j]))
            if entries and any(first or last for _, first, last in entries):
                spans.append((words[i][1], words[j - 1][2]))
                i = j - 1
                break
        i += 1
    return spans


_OWNED = re.compile(r"(?:'s|’s)?\s+(?:the\s+)?")
_OF = re.compile(r"\s+of\s+(?:the\s+)?", re.IGNORECASE)


def _national_bodies(found: list[ActorMention], sentence: str, lexicon: Lexicon) -> list[ActorMention]:
    """``found`` with an international body's name that is also a national agent ("Security Council": the UN's, and
    a GOV agent) read as that agent when a country owns it: "Armenia's Security Council", "the Russian Security
    Council", "the Security Council of Armenia" are those governments, not the UN (IGOUNO)."""
    result = list(found)
    for k, body in enumerate(found):
        agent = agent_code([w for w in body.text.upper().split() if w != "THE"], lexicon)
        if body.role != "IGO" or agent is None:
            continue
        before = found[k - 1] if k else None
        after = found[k + 1] if k + 1 < len(found) else None
        if before and before.country and _OWNED.fullmatch(sentence, before.end, body.start):
            owner, start, end = before, before.start, body.end
        elif after and after.country and _OF.fullmatch(sentence, body.end, after.start):
            owner, start, end = after, body.start, after.end
        else:
            continue
        national = ActorMention(owner.country, role_of(agent), owner.code[:3] + agent, sentence[start:end], start, end)
        result = [national if a is body else a for a in result if a is not owner]
    return result


def _owner_before(words: list[tuple[str, int, int]], p: int, lexicon: Lexicon) -> tuple[int, bool]:
    """(offset before which the owner of the possessive or pronoun at word ``p`` is looked for, whether it is in a
    denied claim): the word's own start; in the "that" clause of a claim, the claim's noun phrase's ("welcomed the
    Armenian statement that its troops ..."); of a denied claim, the denial verb's, as the denier is the accused
    ("Turkey rejected Armenia's claims that its jets ...", "denied reports by Yerevan that it ...")."""
    claim = next((c for c in range(p - 1, max(-1, p - 2 - CLAIM_WINDOW), -1)
                  if words[c][0] in CLAIMS and "THAT" in (w for w, _, _ in words[c + 1:p])), None)
    if claim is None:
        return words[p][1], False
    denial = next((c for c in range(claim - 1, max(-1, claim - 6), -1)
                   if lexicon.forms.get((words[c][0],), ("", "", ""))[0] in DENIALS), None)
    return words[denial if denial is not None else max(0, claim - 1)][1], denial is not None


def _possessed(found: list[ActorMention], agent_at: dict[int, tuple[int, str]],
               words: list[tuple[str, int, int]], lexicon: Lexicon) -> list[ActorMention]:
    """``found`` plus agents after a possessive ("its forces", "his army", "its F-16 jets", "its Mi-8 helicopter"),
    given the country of the last actor with one before them, and "it" right after the "that" of a denied claim, the
    denier ("rejected Azerbaijan's accusations that it shelled Tartar"); see ``_owner_before``."""
    extra = []
    for k, (end, agent) in agent_at.items():
        p = next((q for q in range(k - 1, max(-1, k - 2 - POSSESSED_GAP), -1) if words[q][0] in POSSESSIVES), None)
        if p is None or any(words[q][0] in BREAKS or words[q][0] in lexicon.verb_words for q in range(p + 1, k)):
            continue
        if any(a.start < words[end - 1][2] and words[p][1] < a.end for a in found):
            continue  # an actor between: "its Armenian counterparts" are Armenian
        owner = [a for a in found if a.country and a.end <= _owner_before(words, p, lexicon)[0]]
        if owner:
            extra.append(ActorMention(owner[-1].country, role_of(agent), f"{owner[-1].code[:3]}{agent}",
                                      " ".join(w for w, _, _ in words[p:end]).lower(), words[p][1], words[end - 1][2]))
    for p, (word, start, end_) in enumerate(words):
        if word not in PRONOUNS or p == 0 or words[p - 1][0] != "THAT":
            continue
        before, denied = _owner_before(words, p, lexicon)
        owner = [a for a in found if a.country and a.end <= before]
        if denied and owner:
            extra.append(ActorMention(owner[-1].country, owner[-1].role, owner[-1].code, word.lower(), start, end_))
    return sorted(found + extra, key=lambda a: a.start)


_CROWD = re.compile(r"(?:(?:Hundreds|Thousands|Dozens|Scores) of\s+)?(?:[Pp]rotesters|[Dd]emonstrators)\b")
CROWD_VERBS = frozenset({"GATHER", "ASSEMBLE", "RALLY", "MARCH"})
"""What a crowd of protesters does when it gathers or marches: a demonstration (141), not a meeting (040)."""


def crowd_at(sentence: str, start: int, actors: list[ActorMention], city_country: str | None) -> ActorMention | None:
    """The protesters that begin the clause at ``start``, named by no country, as the opposition (OPP) of the
    country of the city where the sentence places them: "Protesters gathered outside the Russian embassy in
    Tbilisi" are Georgians protesting, not the embassy meeting anyone. None without such a crowd or city."""
    match = _CROWD.match(sentence, start)
    if match is None or city_country is None or any(a.start < match.end() and match.start() < a.end for a in actors):
        return None
    return ActorMention(city_country, "OPP", f"{city_country}OPP", match.group(0), match.start(), match.end())
