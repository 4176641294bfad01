"""The dictionaries a DictionaryCoder codes with: actor phrases, agent phrases, verb forms and patterns, event
nouns. The packaged lexicon reads codebooks/data; ``Lexicon.from_petrarch`` reads PETRARCH-format files at run
time (e.g. PETRARCH-2's validation dictionaries, whose fictional actors its unit-test records use)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from geodrift.codebooks import cameo_codes, data_rows
from geodrift.coding import compiled
from geodrift.coding.petrarch import parse_actors, parse_agents, parse_synsets, parse_verbs, regular_forms
from geodrift.config import coder_cache

ActorIndex = dict[tuple[str, ...], list[tuple[str, str, str]]]
"""Phrase words -> [(CAMEO actor code, first day, last day)] ('' = open)."""
FUNCTION_WORDS = frozenset({"TO", "FOR", "WITH", "ON", "IN", "AT", "AGAINST", "BY", "FROM", "OF", "OVER", "INTO", "ABOUT",
                            "UP", "DOWN", "OUT", "OFF", "BACK", "AWAY", "AS", "THAT", "IT", "THEM", "TOWARD", "ACROSS",
                            "THROUGH", "BEFORE", "AFTER", "UNDER", "BETWEEN", "ALONG", "AROUND", "WILL", "WOULD", "NOT",
                            "SINCE", "UNTIL", "DURING", "WHEN", "WHILE", "IF", "BUT", "AND", "OR", "THE", "A", "AN"})
"""Patterns made only of these ("* (TO)", "* WITH") need the parse's phrase boundaries: without one they match
almost any sentence, so they are left out."""
Slot = frozenset[str]
"""One word of a verb pattern: the surface forms that match it (a word and its inflections, or a synonym set)."""


@dataclass(frozen=True)
class VerbPattern:
    """Words that make a verb a particular event when they occur in order around it ("halted" + "aid" -> 160)."""

    before: tuple[Slot, ...]
    after: tuple[Slot, ...]
    code: str


def _slots(words: list[str], synsets: dict[str, list[str]]) -> tuple[Slot, ...]:
    """A pattern's words as slots; a synonym set's multi-word members match by their last word ("ARMED FORCES")."""
    slots = []
    for word in words:
        heads = [member.split()[-1] for member in synsets.get(word, [])] if word.startswith("&") else [word]
        slots.append(frozenset(form for head in heads for form in regular_forms(head) | {head + "S"}))
    return tuple(slots)


@dataclass(frozen=True)
class Lexicon:
    """Indexes built once from dictionary rows."""

    actors: ActorIndex
    agents: dict[tuple[str, ...], str]
    """Exact agent phrases -> agent code (GOV, MIL, GOVFRM, ...)."""
    agent_stems: dict[tuple[str, ...], list[tuple[str, str]]]
    """All but the last word -> [(last-word prefix, agent code)]."""
    forms: dict[tuple[str, ...], tuple[str, str, str]]
    """Verb form words -> (lemma, CAMEO code or '---', synonym block)."""
    patterns: dict[str, list[VerbPattern]]
    """Lemma or synonym block -> its patterns, longest first; a lemma's own (hand-written) patterns are tried
    before its block's."""
    nouns: dict[tuple[str, ...], str]
    """Event nouns ("joint exercises", "clashes") -> CAMEO code."""
    actor_starts: frozenset[str] = frozenset()
    """First words of the actor phrases: a hyphenated word that starts none ("US-led", "Turkish-Azerbaijani")
    is looked up part by part."""
    verb_words: frozenset[str] = frozenset()
    """Past and -ing verb forms (rarely nouns, unlike "aid" or "talks"): a pattern's words are not looked for past
    one of them."""
    states: frozenset[str] = frozenset()
    """Three-letter codes to treat as states besides ISO3 (a validation set's fictional Arnor, Gondor)."""

    @cached_property
    def stem_heads(self) -> dict[tuple[str, ...], dict[str, str]]:
        """``agent_stems`` as all but the last word -> {last-word prefix: agent code} (the first listed of equal
        prefixes): a word's stems are found by looking up its own prefixes, not by testing every stem (most agents
        are one word, so every word of every sentence was tested against all of them)."""
        return {words: {stem: code for stem, code in reversed(entries)} for words, entries in self.agent_stems.items()}

    @cached_property
    def agent_starts(self) -> frozenset[str]:
        """First words of the agent phrases of two words or more, exact or stemmed ("ARMED FORCES", "DEFENCE
        MINISTR-"): a phrase starting with any other word is at most one word long."""
        return frozenset(words[0] for words in [*self.agents, *self.agent_stems] if words)

    @cached_property
    def _pattern_keys(self) -> dict[str, dict[str, tuple[int, ...]]]:
        """``pattern_keys``' indexes, built on first use (one article's verbs need few of them)."""
        return {}

    def pattern_keys(self, key: str) -> dict[str, tuple[int, ...]]:
        """{word: positions in ``patterns[key]`` of the patterns whose first slot holds it} for a lemma or synonym
        block: a pattern can match only a sentence holding a word of each of its slots, so a verb's patterns are
        narrowed to those whose first slot's words the sentence has before any is tried in order."""
        if key not in self._pattern_keys:
            index: dict[str, list[int]] = {}
            for position, pattern in enumerate(self.patterns.get(key, [])):
                for word in (pattern.before or pattern.after)[0]:
                    index.setdefault(word, []).append(position)
            self._pattern_keys[key] = {word: tuple(positions) for word, positions in index.items()}
        return self._pattern_keys[key]

    @classmethod
    def build(cls, actors: list[tuple[str, str, str, str]], agents: list[tuple[str, str, str]],
              verbs: list[tuple[str, str, str, str, str]], nouns: dict[tuple[str, ...], str],
              synsets: Iterable[tuple[str, str]] = ()) -> Lexicon:
        """From rows: actors (phrase, code, first, last), agents (phrase, code, stem flag), verbs (form, lemma,
        code, pattern "BEFORE * AFTER", block), synonym sets (name, phrase)."""
        actor_index: ActorIndex = {}
        for phrase, code, first, last in actors:
            # Sentence words lose a final period ("U.S." -> "U.S"), so dictionary words do too.
            words = tuple(w.rstrip(".") for w in phrase.split())
            actor_index.setdefault(words, []).append((code, first, last))
        for words, entries in list(actor_index.items()):
            # The dictionaries have demonyms but rarely their plurals: "Armenians", "Azerbaijanis" are the
            # country's people (civilians), not its state.
            if len(words) == 1 and words[0].endswith(("AN", "I")) and len(words[0]) > 4:
                plural = (words[0] + "S",)
                if plural not in actor_index:
                    actor_index[plural] = [(code + "CVL", first, last) for code, first, last in entries if len(code) == 3]
        exact: dict[tuple[str, ...], str] = {}
        stems: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for phrase, code, stem in agents:
            words = tuple(phrase.split())
            if stem:
                stems.setdefault(words[:-1], []).append((words[-1], code))
            else:
                exact[words] = code
        exact.setdefault(("FORCES",), "MIL")
        known = cameo_codes()
        sets: dict[str, list[str]] = {}
        for name, phrase in synsets:
            sets.setdefault(name, []).append(phrase)
        forms: dict[tuple[str, ...], tuple[str, str, str]] = {}
        patterns: dict[str, list[VerbPattern]] = {}
        for form, lemma, raw, pattern, block in verbs:
            code = raw if raw == "---" or raw in known else "---"
            if pattern:
                before, after = (part.split() for part in pattern.split("*", 1))
                if set(before + after) <= FUNCTION_WORDS:
                    continue
                key = block or f"={lemma}"  # a pattern without a block is the lemma's own
                patterns.setdefault(key, []).append(VerbPattern(_slots(before, sets), _slots(after, sets), code))
            else:
                words = tuple(form.split())
                # A correction without a block keeps the form's block (and so its patterns).
                forms[words] = (lemma, code, block or (forms[words][2] if words in forms else lemma))
        for found in patterns.values():
            found.sort(key=lambda p: -(len(p.before) + len(p.after)))
        verb_words = frozenset(words[0] for words in forms if len(words) == 1 and words[0].endswith(("ED", "ING")))
        return cls(actor_index, exact, stems, forms, patterns, nouns, frozenset(words[0] for words in actor_index),
                   verb_words)

    @classmethod
    def from_petrarch(cls, actors: list[Path], agents: Path, verbs: Path, *, event_nouns: bool = True) -> Lexicon:
        """A lexicon from PETRARCH-format dictionary files (plus geodrift's event nouns unless told not to)."""
        actor_rows = [row for path in actors for row in parse_actors(path)]
        built = cls.build(actor_rows, parse_agents(agents), sorted(parse_verbs(verbs)),
                          packaged().nouns if event_nouns else {}, parse_synsets(verbs))
        states = frozenset(code for _, code, _, _ in actor_rows if len(code) == 3 and code.isalpha() and code.isupper())
        return replace(built, states=states)


def _json(lexicon: Lexicon) -> dict[str, Any]:
    """A lexicon as JSON values: phrase keys as word lists, in the dictionaries' order; sets sorted."""
    def pairs(index: Mapping[tuple[str, ...], Any]) -> list[list[Any]]:
        return [[list(words), value] for words, value in index.items()]

    def pattern(p: VerbPattern) -> list[Any]:
        return [[sorted(slot) for slot in p.before], [sorted(slot) for slot in p.after], p.code]

    return {"actors": pairs(lexicon.actors), "agents": pairs(lexicon.agents), "agent_stems": pairs(lexicon.agent_stems),
            "forms": pairs(lexicon.forms), "nouns": pairs(lexicon.nouns),
            "patterns": [[key, [pattern(p) for p in found]] for key, found in lexicon.patterns.items()],
            "actor_starts": sorted(lexicon.actor_starts), "verb_words": sorted(lexicon.verb_words),
            "states": sorted(lexicon.states)}


def _from_json(value: dict[str, Any]) -> Lexicon:
    """The lexicon ``_json`` wrote (entries back to tuples, as ``build`` makes them)."""
    def slots(raw: list[list[str]]) -> tuple[Slot, ...]:
        return tuple(frozenset(slot) for slot in raw)

    return Lexicon(
        actors={tuple(words): [tuple(e) for e in entries] for words, entries in value["actors"]},
        agents={tuple(words): code for words, code in value["agents"]},
        agent_stems={tuple(words): [tuple(e) for e in entries]
                     for words, entries in value["agent_stems"]},
        forms={tuple(words): tuple(entry) for words, entry in value["forms"]},
        patterns={key: [VerbPattern(slots(before), slots(after), code) for before, after, code in found]
                  for key, found in value["patterns"]},
        nouns={tuple(words): code for words, code in value["nouns"]},
        actor_starts=frozenset(value["actor_starts"]), verb_words=frozenset(value["verb_words"]),
        states=frozenset(value["states"]))


PACKAGED_FILES = ("actors.tsv", "actors_extra.tsv", "verbs.tsv", "verbs_extra.tsv", "event_nouns.tsv", "agents.tsv",
                  "agents_extra.tsv", "verb_synsets.tsv", "cameo_events.tsv")
"""The data files the packaged lexicon is built from (cameo_events.tsv: the codes ``build`` keeps)."""


def build_packaged() -> Lexicon:
    """geodrift's own dictionaries built from codebooks/data, without the cache."""
    def rows(name: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
        return [tuple(r[c] for c in columns) for r in data_rows(name)]

    actors = rows("actors.tsv", ("phrase", "code", "first", "last")) + rows("actors_extra.tsv",
                                                                          ("phrase", "code", "first", "last"))
    # verbs_extra.tsv (hand-written, each line with its reason) corrects and extends the PETRARCH-2 table.
    columns = ("form", "lemma", "code", "pattern", "block")
    verbs = rows("verbs.tsv", columns) + rows("verbs_extra.tsv", columns)
    nouns = {tuple(r["phrase"].split()): r["code"] for r in data_rows("event_nouns.tsv")}
    # agents_extra.tsv (hand-written, each line with its reason) adds role words Phoenix lacks ("jets", "drones").
    agents = rows("agents.tsv", ("phrase", "role", "stem")) + rows("agents_extra.tsv", ("phrase", "role", "stem"))
    return Lexicon.build(actors, agents, verbs, nouns,  # type: ignore[arg-type]
                         rows("verb_synsets.tsv", ("set", "phrase")))  # type: ignore[arg-type]


def cached_packaged(folder: Path | None) -> Lexicon:
    """The packaged lexicon from its cache file in ``folder`` (coding/compiled.py), built and written there when
    the file is missing, stale or damaged; built afresh when ``folder`` is None."""
    with compiled.no_collection():
        return _cached_packaged(folder)


def _cached_packaged(folder: Path | None) -> Lexicon:
    if folder is None:
        return build_packaged()
    import geodrift.codebooks as codebooks
    import geodrift.coding.petrarch as petrarch

    data = resources.files(codebooks.__name__).joinpath("data")
    key = compiled.cache_key("lexicon", [Path(str(data.joinpath(name))) for name in PACKAGED_FILES],
                             [sys.modules[__name__], petrarch, codebooks])
    path = compiled.verified(folder, "lexicon", key, ".json")
    if path is not None:
        try:
            return _from_json(json.loads(path.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):  # checked bytes that still do not read: rebuild
            pass
    lexicon = build_packaged()

    def write(target: Path) -> None:
        target.write_text(json.dumps(_json(lexicon), separators=(",", ":")), encoding="utf-8")

    compiled.store(folder, "lexicon", key, ".json", write)
    return lexicon


@cache
def packaged() -> Lexicon:
    """geodrift's own dictionaries (codebooks/data), corrections and extensions included; read from the coder's
    cache folder (``Settings.coder_cache``) when it holds them."""
    return cached_packaged(coder_cache())
