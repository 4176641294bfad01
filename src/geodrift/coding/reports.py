"""Lines that report no act: datelines, headlines of lists, month names read as verbs (issue 18, item 2).

A dateline ("TBILISI, March 3 (Reuters) -", "Tbilisi, 3 March 2021.", "YEREVAN/BAKU, July 14 (Reuters) -") names where
and when a story was filed, not who did what: its place is no actor, and no event's place. A sentence with no
lowercase content word once its dateline is gone ("Live updates: Baku, Armenia and Georgia.") is a heading, not a
report. "March" and "May" written with a capital inside a sentence, or next to a day or year, are months ("on 3
March", "March 2021"), not verbs.
"""

from __future__ import annotations

import re

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (rf"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*)?(?:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|"
         rf"\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)")
_PLACE = r"[A-Z][\w'.\-]*(?:[ \-][A-Z][\w'.\-]*){0,3}"
_WIRE = r"(?:\([^()]{1,40}\)|/[^/]{1,30}/)"
_DATELINE = re.compile(
    rf"\s*(?P<place>{_PLACE})(?:(?:,\s*|/){_PLACE})?\s*(?P<outlet>{_WIRE})?\s*[,.]?\s*(?P<date>{_DATE})?\.?\s*(?P<wire>{_WIRE})?"
    r"\s*(?:(?P<dash>--|[-—–:])\s+|\.?\s*$)")
_LOWER_WORD = re.compile(r"(?<![\w'])[a-z][a-z'\-]{2,}")
_FILLER = frozenset({"and", "the", "from", "for", "with", "news", "via", "posted", "updated", "published", "staff", "by"})
"""Lowercase words a heading or byline may have without reporting anything."""
_MONTH_VERB = re.compile(r"March|May")
_NEXT_TO_NUMBER = re.compile(r"\d[\s,]*$|^[\s,]*\d")


def dateline_end(sentence: str) -> int:
    """Offset just past the dateline that opens ``sentence`` (0 when there is none). A leading place counts as
    a dateline only with a date, a wire or outlet in brackets, or in capitals ("BAKU -")."""
    match = _DATELINE.match(sentence)
    if not match or not (match.group("date") or match.group("wire") or match.group("outlet")
                         or (match.group("place").isupper() and len(match.group("place")) > 2)):
        return 0
    if not match.group("dash") and match.end() < len(sentence):
        return 0
    return match.end()


def reports_nothing(sentence: str) -> bool:
    """Whether ``sentence`` is a dateline, byline or heading alone: no lowercase content word after its dateline."""
    rest = sentence[dateline_end(sentence):]
    return not any(word not in _FILLER for word in _LOWER_WORD.findall(rest))


def is_month(sentence: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` is a month name rather than a verb ("on 3 March", "March 2021",
    "in May"; not "March on the capital" opening a sentence)."""
    word = sentence[start:end]
    if not _MONTH_VERB.fullmatch(word):
        return False
    return bool(sentence[:start].strip()) or bool(_NEXT_TO_NUMBER.search(sentence[end:end + 4]))
