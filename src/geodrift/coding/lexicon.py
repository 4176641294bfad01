"""The dictionaries a DictionaryCoder codes with: actor phrases, agent phrases, verb forms and patterns, event
nouns. The packaged lexicon reads codebooks/data; ``Lexicon.from_petrarch`` reads PETRARCH-format files at run
time (e.g. PETRARCH-2's validation dictionaries, whose fictional actors its unit-test records use)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from geodrift.codebooks import cameo_codes, data_rows
from geodrift.coding.petrarch import parse_actors, parse_agents, parse_verbs

ActorIndex = dict[tuple[str, ...], list[tuple[str, str, str]]]
"""Phrase words -> [(CAMEO actor code, first day, last day)] ('' = open)."""


@dataclass(frozen=True)
class Lexicon:
    """Indexes built once from dictionary rows."""

    actors: ActorIndex
    agents: dict[tuple[str, ...], str]
    """Exact agent phrases -> agent code (GOV, MIL, GOVFRM, ...)."""
    agent_stems: dict[tuple[str, ...], list[tuple[str, str]]]
    """All but the last word -> [(last-word prefix, agent code)]."""
    forms: dict[tuple[str, ...], tuple[str, str]]
    """Verb form words -> (lemma, CAMEO code or '---')."""
    patterns: dict[str, list[tuple[tuple[str, ...], str]]]
    """Lemma -> [(object words, CAMEO code)]."""
    nouns: dict[tuple[str, ...], str]
    """Event nouns ("joint exercises", "clashes") -> CAMEO code."""
    states: frozenset[str] = frozenset()
    """Three-letter codes to treat as states besides ISO3 (a validation set's fictional Arnor, Gondor)."""

    @classmethod
    def build(cls, actors: list[tuple[str, str, str, str]], agents: list[tuple[str, str, str]],
              verbs: list[tuple[str, str, str, str]], nouns: dict[tuple[str, ...], str]) -> Lexicon:
        """From rows: actors (phrase, code, first, last), agents (phrase, code, stem flag), verbs (form, lemma,
        code, object)."""
        actor_index: ActorIndex = {}
        for phrase, code, first, last in actors:
            # Sentence words lose a final period ("U.S." -> "U.S"), so dictionary words do too.
            words = tuple(w.rstrip(".") for w in phrase.split())
            actor_index.setdefault(words, []).append((code, first, last))
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
        forms: dict[tuple[str, ...], tuple[str, str]] = {}
        patterns: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for form, lemma, raw, obj in verbs:
            code = raw if raw == "---" or raw in known else "---"
            if obj:
                patterns.setdefault(lemma, []).append((tuple(obj.split()), code))
            else:
                forms[tuple(form.split())] = (lemma, code)
        return cls(actor_index, exact, stems, forms, patterns, nouns)

    @classmethod
    def from_petrarch(cls, actors: list[Path], agents: Path, verbs: Path, *, event_nouns: bool = True) -> Lexicon:
        """A lexicon from PETRARCH-format dictionary files (plus geodrift's event nouns unless told not to)."""
        actor_rows = [row for path in actors for row in parse_actors(path)]
        built = cls.build(actor_rows, parse_agents(agents), sorted(parse_verbs(verbs)),
                          packaged().nouns if event_nouns else {})
        states = frozenset(code for _, code, _, _ in actor_rows if len(code) == 3 and code.isalpha() and code.isupper())
        return replace(built, states=states)


@cache
def packaged() -> Lexicon:
    """geodrift's own dictionaries (codebooks/data), corrections and extensions included."""
    def rows(name: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
        return [tuple(r[c] for c in columns) for r in data_rows(name)]

    actors = rows("actors.tsv", ("phrase", "code", "first", "last")) + rows("actors_extra.tsv",
                                                                          ("phrase", "code", "first", "last"))
    # verbs_extra.tsv (hand-written, each line with its reason) corrects and extends the PETRARCH-2 table.
    verbs = rows("verbs.tsv", ("form", "lemma", "code", "object")) + rows("verbs_extra.tsv",
                                                                        ("form", "lemma", "code", "object"))
    nouns = {tuple(r["phrase"].split()): r["code"] for r in data_rows("event_nouns.tsv")}
    return Lexicon.build(actors, rows("agents.tsv", ("phrase", "role", "stem")), verbs, nouns)  # type: ignore[arg-type]
