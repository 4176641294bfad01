"""What in an article is not news: page furniture and headings that restate the body (issues 15 item 6, 18 item 2).

A page carries more than its report: a byline ("By Ekaterina Zolotova"), a photo caption or credit, calls to
subscribe or share, a copyright line, and often, at its end, a note about the author ("X is an analyst for Y.
Prior to Y, Ms. X participated in research projects on Russia's integration ..."). None of it is an event, yet a
dictionary coder finds actors and verbs in it. It is told apart by the sentence's type (a bio "X is a researcher
at Y", a credit "Photo: ...", a call "Subscribe to ...") and by the article's structure: after an "About the author"
heading, or in the run at the article's end that opens with a bio and only goes on about that person.

A title or subtitle (dek) often restates a sentence of the body ("This month's flare-up may represent more than
another clash ..." heads the article and recurs, with "however", in its fourth paragraph): coded twice it counts one
report as two. A heading whose content words all recur in one body sentence, and any sentence nearly identical to
another of the same article, gives no event of its own; the body's sentence carries it. A headline that says
something the body does not is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Span = tuple[int, int, str]
"""(start, end, sentence) as ``coding.coder.sentences`` yields them."""

_NAME = r"[A-Z][\w'’.\-]+(?:\s+(?:de|van|von|der|al|bin|el|la|du)?\s*[A-Z][\w'’.\-]+){1,3}"
_ROLE = (r"(?:analyst|researcher|research\w*|fellow|professor|lecturer|scholar|student|journalist|correspondent|"
         r"editor|writer|reporter|author|contributor|columnist|commentator|blogger|consultant|expert|specialist|"
         r"historian|economist|political scientist|graduate|intern|director|founder|co-founder|associate|advis[eo]r)")
_BIO = re.compile(
    rf"(?:^|[\s•·|])(?P<name>{_NAME}|[Tt]he (?:author|writer)s?)\s+(?:is|was|are|has been|serves as|works as)\s+"
    rf"(?:(?:a|an|the|one of the)\s+)?(?:[\w'’\-]+\s+){{0,4}}?{_ROLE}s?\b"
    rf"(?:(?!\s(?:which|who|whose|when|where|after)\b|\b(?:said|says|accused|denied|killed|wounded)\b)[^.!?]){{0,120}}"
    r"[.!?]?\s*$")
"""A note about a writer: "Ekaterina Zolotova is an analyst for Geopolitical Futures.", "The author is a senior
fellow at ...". Anchored at the sentence's end, so a clause inside a report ("..., who is a researcher at Y, said
Baku shelled ...") is not one, nor is a description that goes on to an act ("X is the director of Y, which accused
Turkey ...", "X is a reporter for Y who was wounded when ...")."""
_ABOUT = re.compile(r"^\W*(?:about the authors?|about the writers?|author bio(?:graphy)?|the authors?|contributors?)\W*$",
                    re.IGNORECASE)
_BYLINE = re.compile(rf"^\W*(?:(?:Additional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Ee]dited|[Cc]ompiled|[Ww]ritten|"
                     rf"[Rr]eported|[Pp]osted|[Tt]ranslated) by\b|Authors?:\s*[A-Z]|"
                     rf"By\s+(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|January|February|"
                     rf"March|April|May|June|July|August|September|October|November|December|Christmas|New Year|"
                     rf"Easter|Ramadan|Eid|Nowruz|Independence|Victory|Election)(?:{_NAME})"
                     rf"(?:\s*(?:,|and|&)\s*(?:{_NAME}))*(?:\s*[,|–—-]\s*[^.!?]{{0,60}})?\.?\s*$)")
"""A byline or credit line: "By John Smith and Jane Doe, Reuters", "Reporting by ...; Editing by ..."; not "By
Tuesday, Russian troops had ..." or "By Christmas Eve, ..." (a weekday, month or holiday after "By" is a date)."""
_CREDIT = re.compile(r"^\W*(?:photo(?:graph)?s?|images?|pictures?|caption|credit|pictured|file photo|video)\b\s*"
                     r"(?:by\b(?![^.!?]*\b(?:show|shows|showed|reveal|reveals|prove|proves|suggest|suggests)\b)|"
                     r"credit\b|[:|/–—-])|\((?:\w+\s+)?photo\b|\bphoto(?:graph)?\s*credit\b|"
                     r"\bphoto\s*:|/\s*getty images|getty images\W*$|\bshutterstock\b|\bAP Photo\b", re.IGNORECASE)
_AGENCY_CREDIT = re.compile(r"\b(?:REUTERS|AFP|AP|EPA|ANADOLU|TASS|SPUTNIK|XINHUA|AZERTAC|ARMENPRESS|GETTY)(?: PHOTO)?\s*/\s*"
                            r"[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}\W*$")
"""A photo caption or credit ("Photo: ...", "(AP Photo/...)", "... REUTERS/Umit Bektas"); the whole paragraph that
carries one is the caption."""
_CALL = re.compile(r"^\W*(?:(?:subscribe|sign up|sign in|log in|click here|read more|read also|see also|follow us|"
                   r"share this|share on|advertisement|continue reading|support our journalism|donate)\b|©|"
                   r"(?:related(?: stories| articles| news| coverage| content| links| reading)?|register|download|"
                   r"listen|watch|newsletter|copyright|most (?:read|popular|viewed|shared)|also read|more on this(?: story)?|"
                   r"more stories|top stories|latest news|trending|recommended|editor'?s picks|you may also like)\s*[:|–—-]|"
                   r"download (?:the|our) app\b|listen to (?:the|our)\b|"
                   r"copyright \d{4})|all rights reserved|©", re.IGNORECASE)
"""Calls to subscribe, read on or share, and copyright lines; a word that also opens news ("Related clashes broke
out", "Watch groups said", "Download speeds fell") counts only as a label ("Related stories:", "Watch:", "Most read:",
the heading of a list of other stories' headlines)."""
_PRONOUN = re.compile(r"^\W*(?:He|She|His|Her|They|Their|Him)\b")
_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-]*")
_NAMED = re.compile(r"[A-Za-z][\w'’\-]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CONNECTIVES = frozenset({"however", "instead", "also", "meanwhile", "moreover", "though", "still", "yet", "indeed",
                          "now", "then", "thus", "therefore", "but"})
_STOP = frozenset({"the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "with", "by", "from", "as", "is",
                   "are", "was", "were", "be", "its", "their", "this", "that", "it", "has", "have", "had"}) | _CONNECTIVES
NEAR_IDENTICAL = 0.8
"""Share of two sentences' words in common (Jaccard, connectives aside) above which one restates the other."""
CONTAINED = 0.9
CONTAINED_WORDS = 6
"""A sentence of at least this many words, this share of them in a longer sentence of the article, is a cut of it
(an RSS title joined to its summary: "Title. Summary")."""
RESTATED = 0.8
"""Share of a heading's content stems found in one body sentence above which the heading restates it."""
CAPTION_SENTENCES = 3
"""A paragraph with a photo credit is a caption when it is this short (a long one is a report that names a photo)."""
HEADINGS = 3
"""Leading one-sentence paragraphs read as title, subtitle or standfirst."""


def _paragraphs(text: str, spans: Sequence[Span]) -> list[int]:
    """The paragraph number of each span (paragraphs are split by blank lines)."""
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]
    return [sum(b < start for b in breaks) for start, _, _ in spans]


def _bio_subject(sentence: str) -> str | None:
    """The surname a bio sentence is about ("Zolotova"; "author" for "The author is ..."), None if no bio."""
    match = _BIO.search(sentence)
    if not match:
        return None
    return match.group("name").split()[-1].strip(".’'")


def _about(sentence: str, subject: str) -> bool:
    """Whether ``sentence`` goes on about the person of a bio: names them or opens with a pronoun."""
    return bool(re.search(rf"\b{re.escape(subject)}\b", sentence) or _PRONOUN.match(sentence))


def _typed(sentence: str, caption_paragraph: bool) -> bool:
    """Furniture by the sentence's own type: a bio, byline, caption or credit, call or copyright line."""
    return (caption_paragraph or bool(_BYLINE.match(sentence) or _CALL.search(sentence) or _ABOUT.match(sentence))
            or _bio_subject(sentence) is not None)


def furniture(text: str, spans: Sequence[Span]) -> set[int]:
    """Indices of the spans that are page furniture, not news."""
    paragraphs = _paragraphs(text, spans)
    captions = {p for p, (_, _, s) in zip(paragraphs, spans, strict=True)
                if (_CREDIT.search(s) or _AGENCY_CREDIT.search(s)) and paragraphs.count(p) <= CAPTION_SENTENCES}
    found = {i for i, (_, _, s) in enumerate(spans) if _typed(s, paragraphs[i] in captions)}
    about = next((i for i, (_, _, s) in enumerate(spans) if _ABOUT.match(s)), None)
    if about is not None:  # everything after an "About the author" heading
        found |= set(range(about, len(spans)))
    for i, (_, _, sentence) in enumerate(spans):
        subject = _bio_subject(sentence)
        if subject is None:
            continue
        rest = range(i + 1, len(spans))
        # A bio in the article's second half that only goes on about its person (or more furniture) up to the end:
        # the author's note. One that opens an article introduces the person who speaks in it.
        if i >= len(spans) // 2 and i > 0 and all(j in found or _about(spans[j][2], subject) for j in rest):
            found |= set(rest)
            break
    return found


def _words(sentence: str) -> set[str]:
    return {w for w in _WORD.findall(sentence.lower().replace("’", "'")) if w not in _CONNECTIVES}


def _stems(sentence: str) -> set[str]:
    """Content words cut to five letters: "clashed"/"clashes" and "Armenian"/"Armenia" meet."""
    return {w[:5] for w in _WORD.findall(sentence.lower().replace("’", "'")) if w not in _STOP}


def _names(sentence: str) -> set[str]:
    """Capitalised words after the first, and numbers: what tells two otherwise alike reports apart."""
    return {w for w in _NAMED.findall(sentence)[1:] if w[0].isupper() or w[0].isdigit()} | set(_NUMBER.findall(sentence))


def _swapped(a: str, b: str) -> bool:
    """Whether two sentences name their shared parties in another order: "Azerbaijan accused Armenia ..." and "Armenia
    accused Azerbaijan ..." have the same words but are two reports, one per side."""
    first, second = (list(dict.fromkeys(w for w in _NAMED.findall(s) if w[0].isupper())) for s in (a, b))
    common = set(first) & set(second)
    return [w for w in first if w in common] != [w for w in second if w in common]


def restated(text: str, spans: Sequence[Span]) -> set[int]:
    """Indices of the spans that repeat another of the article: a leading heading (title, subtitle) whose content
    recurs in one body sentence; of two nearly identical sentences the standalone one (a heading, a pull quote) or
else the shorter (or later); and a sentence nearly all of whose words recur in a longer one."""
    paragraphs = _paragraphs(text, spans)
    sizes = [sum(p == q for q in paragraphs) for p in paragraphs]
    headings: list[int] = []
    for i, size in enumerate(sizes):
        if size != 1 or len(headings) == HEADINGS:
            break
        headings.append(i)
    words = [_words(s) for _, _, s in spans]
    names = [_names(s) for _, _, s in spans]
    stems = [_stems(s) for _, _, s in spans]
    dropped: set[int] = set()
    body = range(len(headings), len(spans)) if len(headings) < len(spans) else range(0)
    for i in headings:
        if len(stems[i]) >= 3 and any(len(stems[i] & stems[j]) >= RESTATED * len(stems[i]) for j in body):
            dropped.add(i)
    for i in range(len(spans)):
        for j in range(i + 1, len(spans)):
            if i in dropped or j in dropped or min(len(words[i]), len(words[j])) < 5:
                continue
            if names[i] - names[j] and names[j] - names[i]:
                continue  # each names a place, party or number the other does not: two reports ("Aygepar", "Movses")
            if _swapped(spans[i][2], spans[j][2]):
                continue
            common = len(words[i] & words[j])
            shorter = i if len(words[i]) < len(words[j]) else j
            if common >= NEAR_IDENTICAL * len(words[i] | words[j]):
                if (sizes[i] == 1) != (sizes[j] == 1):  # a heading or pull quote beside the body's sentence
                    dropped.add(i if sizes[i] == 1 else j)
                else:
                    dropped.add(shorter if len(words[i]) != len(words[j]) else j)
            elif len(words[shorter]) >= CONTAINED_WORDS and common >= CONTAINED * len(words[shorter]):
                dropped.add(shorter)  # a feed's title cut from its summary's first sentence
    return dropped


def news_only(text: str, spans: Sequence[Span]) -> list[Span]:
    """The spans of ``text`` that may report news: neither furniture nor a restatement of another sentence."""
    skip = furniture(text, spans) | restated(text, spans)
    return [span for i, span in enumerate(spans) if i not in skip]
