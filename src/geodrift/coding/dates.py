"""Event dates from the words of a sentence, resolved against the article's publication date.

"On July 12", "12 July 2020", "on Thursday", "yesterday", "last week", "in August", "12.07.2020":
explicit dates are parsed with dateparser (RELATIVE_BASE = publication date) and a missing year is
the one nearest publication; a weekday is the last such day up to publication for what was done ("shelled ... on
Saturday") and the next from publication for what its clause announces ("will meet on Monday") or arranges ("is
meeting Erdogan on Thursday"); a sentence
without a date expression falls back to the publication date, marked as such.
An expression that resolves outside the supported range (1800-01-01..2200-01-01, geodrift.events) is
no date, like one dateparser cannot read: events never carry such a date (the publication date itself
is checked to be in range, geodrift.coding.articles.check_published).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geodrift.coding.reports import dateline_end
from geodrift.events import in_date_range

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_PATTERNS: list[tuple[str, str]] = [
    ("day", rf"\b(?:{MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?\b"),
    ("day", rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{MONTHS})\.?(?:,? \d{{4}})?\b"),
    ("day", r"\b\d{4}-\d{2}-\d{2}\b"),
    ("day", r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    ("weekday", rf"\b(?:last |next |this |on |early |late )?(?:{'|'.join(WEEKDAYS)})\b"),
    ("day", r"\b(?:(?:the day (?:before|after) )?(?:yesterday|tomorrow)|today|tonight|this (?:morning|afternoon|evening)|"
            r"(?:last|yesterday) (?:night|evening)|the day before)\b"),
    ("day", r"\b(?:\d+|two|three|four|five|six|seven) days? ago\b"),
    ("week", r"\b(?:last|this|earlier this|next) week\b|\b(?:\d+|two|three) weeks ago\b"),
    ("month", rf"\b(?:in|since|during|early|late|mid-?) ?(?:{MONTHS})(?: \d{{4}})?\b"),
    ("month", r"\b(?:last|this|earlier this|next) month\b"),
    ("year", r"\b(?:last|this|next) year\b|\bin (?:19|20)\d{2}\b"),
]
RELATIVE_DAYS = {"yesterday": -1, "the day before": -1, "last night": -1, "last evening": -1, "yesterday evening": -1,
                 "yesterday night": -1, "the day before yesterday": -2, "today": 0, "tonight": 0, "this morning": 0,
                 "this afternoon": 0, "this evening": 0, "tomorrow": 1, "the day after tomorrow": 2}
"""Days from publication of the words that count them: "last night" in a morning report is the evening before it,
"tomorrow" the day after (not publication's, as a sentence without a date is)."""
_COMPILED = [(precision, re.compile(pattern, re.IGNORECASE)) for precision, pattern in _PATTERNS]
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression: its day, how precise it is, and where it is in the sentence."""

    date: dt.date
    precision: str
    start: int
    end: int
    text: str


_FUTURE = re.compile(r"\b(?:will|shall|is to|are to|due|scheduled|set to|plans?|planned|planning|expected|"
                     r"to be held|going to|next|upcoming|would|'ll)\b|\w'll\b", re.IGNORECASE)
"""Words that put a weekday ahead of publication ("will meet on Monday", "is due to visit Baku on Friday")."""
PROGRESSIVE = re.compile(r"\b(?:is|are|am)\s+(?:\w+ly\s+)?\w+ing\b|\w(?:'s|'re)\s+\w+ing\b", re.IGNORECASE)
"""A present progressive ("is meeting", "are holding talks"): with a weekday it is an arrangement for that day to come
("Putin is meeting Erdogan on Thursday"), not something done."""
_WAS_FUTURE = re.compile(r"\b(?:was|were|had been)\s+(?:\w+\s+)?(?:due|scheduled|set|planned|expected)\b", re.IGNORECASE)
"""A plan stated in the past ("was scheduled on Sunday to start handing ...", "was due to begin a visit on Sunday"):
its day may be either side of publication, so the nearest such day."""
_CLAUSE_EDGE = re.compile(r"[;,:.\"“”]|\b(?:that|said|says|told|added|while|after|before|when|and)\b", re.IGNORECASE)


def _ahead(sentence: str, start: int, end: int) -> bool | None:
    """Whether the weekday mention at sentence[start:end] names a day to come: its clause (the words back to the
    previous comma, "that", "said" ...; those after it when it opens the clause, "On Monday, Pashinyan will ...")
    speaks of the future or of an arrangement (``PROGRESSIVE``); None for a plan stated in the past
    (``_WAS_FUTURE``)."""
    edges = [m.end() for m in _CLAUSE_EDGE.finditer(sentence, 0, start)]
    before = sentence[edges[-1] if edges else 0:start]
    if len(before.split()) > 1:
        if _WAS_FUTURE.search(before):
            return None
        since = re.search(r"\bsince\s*$", before, re.IGNORECASE)  # "is continuing since Monday": begun
        return bool(_FUTURE.search(before) or (PROGRESSIVE.search(before) and not since))
    after = _CLAUSE_EDGE.search(sentence, end)
    return bool(_FUTURE.search(sentence[end:after.start() if after else len(sentence)]))


def _weekday(text: str, published: dt.date, ahead: bool | None) -> dt.date:
    """The weekday of a mention: within the past week (publication day included) for what was done ("shelled the
    village on Saturday" in a Wednesday report is four days back), within the coming week for what is announced
    (``ahead``: "will meet on Monday"), the nearest such day (three back to three ahead) when ``ahead`` is None;
    "last Tuesday" is always in the past, "next Tuesday" ahead. A report dated in
    UTC a day behind the place it was filed ("wrote on Tuesday" in a caucasus summary published on a Monday) is dated
    six days back: a done act is never put after publication."""
    name = next(w for w in WEEKDAYS if w.lower() in text.lower())
    back = (published.weekday() - WEEKDAYS.index(name)) % 7
    lowered = text.lower()
    if lowered.startswith("last "):
        return published - dt.timedelta(days=back or 7)
    if lowered.startswith("next "):
        return published + dt.timedelta(days=(7 - back) or 7)
    if ahead is None:
        ahead = back > 3
    if ahead:
        return published + dt.timedelta(days=(7 - back) % 7)
    return published - dt.timedelta(days=back)


def _nearest_year(day: dt.date, published: dt.date) -> dt.date:
    """A date written without its year, placed in the year that brings it nearest to publication.

    News reports both past events and announced ones ("drills from August 1" in a July report), so
    neither "always past" nor "always future" is right; ties go to the past.
    """
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(candidates, key=lambda d: (abs((d - published).days), d > published))


_MONTH_NUMBERS = {name.lower(): [m[:3] for m in MONTHS.split("|")[:12]].index(name[:3]) + 1 for name in MONTHS.split("|")}
_WRITTEN = [re.compile(rf"^(?P<month>{MONTHS})\.? (?P<day>\d{{1,2}})(?:,? (?P<year>\d{{4}}))?$", re.IGNORECASE),
            re.compile(rf"^(?P<day>\d{{1,2}}) (?:of )?(?P<month>{MONTHS})\.?(?:,? (?P<year>\d{{4}}))?$", re.IGNORECASE),
            re.compile(rf"^(?P<month>{MONTHS})(?: (?P<year>\d{{4}}))?$", re.IGNORECASE),
            re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$"),
            re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$")]


def _written(cleaned: str, published: dt.date) -> dt.date | None:
    """The day of the common written forms ("July 12", "12 July 2020", "July", "2020-07-12", "12.07.2020"),
    read directly: dateparser's first call compiles its English patterns (~0.5 s of CPU, a third of a one-article
    ``geodrift code``) for what these regular expressions read alike. None when the form is another or the day does
    not exist, for dateparser to decide as before."""
    for form in _WRITTEN:
        if match := form.match(cleaned):
            parts = match.groupdict()
            month = parts["month"]
            number = int(month) if month.isdigit() else _MONTH_NUMBERS[month.lower()]
            try:
                return dt.date(int(parts["year"] or published.year), number, int(parts.get("day") or 1))
            except ValueError:
                return None
    return None


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
"""A written year: a date that names it is not moved to the year nearest publication."""


def _parse(text: str, precision: str, published: dt.date, ahead: bool | None = False) -> dt.date | None:
    lowered = text.lower()
    if precision == "weekday":
        return _weekday(text, published, ahead)
    if lowered in RELATIVE_DAYS:
        return published + dt.timedelta(days=RELATIVE_DAYS[lowered])
    match = re.match(r"(\d+|two|three|four|five|six|seven) (day|week)s? ago", lowered)
    if match:
        count = int(match.group(1)) if match.group(1).isdigit() else _NUMBERS[match.group(1)]
        return published - dt.timedelta(days=count * (7 if match.group(2) == "week" else 1))
    if lowered in ("last week",):
        return published - dt.timedelta(days=7)
    if lowered in ("this week", "earlier this week"):
        return published - dt.timedelta(days=published.weekday())
    if lowered in ("last month",):
        return (published.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if lowered == "next month":  # the month after publication's
        return (published.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if lowered == "next week":
        return published + dt.timedelta(days=7 - published.weekday())
    if lowered == "next year":
        return published.replace(year=published.year + 1, month=1, day=1)
    if lowered in ("this month", "earlier this month"):
        return published.replace(day=1)
    if lowered == "last year":
        return published.replace(year=published.year - 1, month=1, day=1)
    if lowered == "this year":
        return published.replace(month=1, day=1)
    cleaned = re.sub(r"^(?:in|since|during|early|late|mid-?)\s*", "", text, flags=re.IGNORECASE)
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", cleaned)
    day = _written(cleaned, published)
    if day is None:
        import dateparser

        settings = {"RELATIVE_BASE": dt.datetime.combine(published, dt.time(12)), "PREFER_DATES_FROM": "past",
                    "PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY" if re.search(r"\d\.\d", cleaned) else "MDY"}
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
        if parsed is None:
            return None
        day = parsed.date()
    if not _YEAR.search(cleaned):
        day = _nearest_year(day, published)
    if precision == "month":
        day = day.replace(day=1)
    if precision == "year":
        day = day.replace(month=1, day=1)
    return day


def date_mentions(sentence: str, published: dt.date) -> list[DateMention]:
    """Every date expression in ``sentence``, resolved, in order; overlapping matches keep the first pattern's."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for precision, pattern in _COMPILED:
        for match in pattern.finditer(sentence):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            try:
                day = _parse(match.group(0), precision, published,
                             precision == "weekday" and _ahead(sentence, match.start(), match.end()))
            except (OverflowError, ValueError):  # date arithmetic past year 1 or 9999
                day = None
            if day is None or not in_date_range(day):
                continue
            taken.append((match.start(), match.end()))
            found.append(DateMention(day, "day" if precision == "weekday" else precision, match.start(), match.end(),
                                     match.group(0)))
    return sorted(found, key=lambda m: m.start)


_ABSOLUTE = re.compile(rf"\b(?:\d{{4}}|{MONTHS})\b", re.IGNORECASE)
"""A date mention naming its month or year ("3 March", "in 2019"), which a coarse publication date does not blur."""


def event_date(sentence: str, published: dt.date, published_precision: str = "day", filed: int = 0) -> DateMention:
    """The date of the event a sentence reports: its first day-precise mention, else its first mention,
    else the publication date (precision "published"). ``filed``: where the sentence's dateline ends; its date is the
    day the story was filed ("YEREVAN, Sept. 15 (Reuters) - Azerbaijani forces shelled ... overnight into Tuesday,
    September 13": the 13th), never the event's.

    A page dated only to a month or a year is stored on the period's first day, which is no anchor: a mention that
    counts from publication ("yesterday", "on Monday") dates the event to that period, and a day named without its
    year ("on September 20") in a year-dated page is in that year."""
    mentions = [m for m in date_mentions(sentence, published) if m.start >= filed]
    chosen = next((m for m in mentions if m.precision == "day"), mentions[0] if mentions else None)
    if chosen is None:
        return DateMention(published, "published", 0, 0, "")
    if published_precision == "day" or _YEAR.search(chosen.text):
        return chosen
    if not _ABSOLUTE.search(chosen.text):
        return DateMention(published, chosen.precision, chosen.start, chosen.end, chosen.text)
    if published_precision == "year":
        return DateMention(chosen.date.replace(year=published.year), chosen.precision, chosen.start, chosen.end,
                           chosen.text)
    return chosen




_CLAUSES = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s+|\s+(?:while|whereas)\s+", re.IGNORECASE)


def coordinated_clause(sentence: str, offset: int) -> tuple[int, int]:
    """(start, end) of the coordinated clause of ``sentence`` holding ``offset``: clauses are joined by ", and", ",
    but", "while", "whereas" or ";", each with its own when and where."""
    starts = [m.end() for m in _CLAUSES.finditer(sentence) if m.end() <= offset]
    after = next((m.start() for m in _CLAUSES.finditer(sentence, offset)), len(sentence))
    return (starts[-1] if starts else 0), after


def clause_date(sentence: str, published: dt.date, when: DateMention, offset: int,
                published_precision: str = "day") -> DateMention:
    """The date of the act at ``offset``: the date its own coordinated clause names ("will visit Yerevan on Sunday,
    and the two sides will hold talks in Brussels next month": the talks are next month's), else ``when``, the
    sentence's (``event_date``)."""
    start, end = coordinated_clause(sentence, offset)
    if (start, end) == (0, len(sentence)) or (when.start >= start and when.end <= end):
        return when
    if not date_mentions(sentence[start:end], published):
        return when
    chosen = event_date(sentence[start:end], published, published_precision)
    return DateMention(chosen.date, chosen.precision, chosen.start + start, chosen.end + start, chosen.text)


def stored_precision(when: DateMention, published: str) -> str:
    """How precise an event's date is: its mention's precision (a week's day counts as a day), that of the
    publication when the sentence names no date, and no finer than a month- or year-precision publication when the
    mention counts from it ("on Tuesday" in a page dated only "2020-09")."""
    if when.precision == "published":
        return published
    own = {"month": "month", "year": "year"}.get(when.precision, "day")
    if published == "day" or _ABSOLUTE.search(when.text):
        return own
    order = ("day", "month", "year")
    return max(own, published, key=order.index)


_DATELINE_PARAGRAPHS = 3
"""Paragraphs searched for a dateline: a headline and a standfirst may come before it."""
_DATELINE_SENTENCE = re.compile(r"(.{0,80}?\b(?:19|20)\d{2}\.)\s")
"""A dateline written as a sentence of its own, ending at its year ("Tbilisi, 3 March 2021. Georgia's ...")."""


def dateline_date(text: str) -> dt.date | None:
    """The full date (with its year) of the dateline that opens one of an article's first paragraphs ("YEREVAN,
    Sept. 13, 2022 - ..."): the day the story was filed, which is its publication date when none is given. None
    when no dateline names a year ("TBILISI, March 3 (Reuters) -" leaves the year unknown) or its day does not exist
    or is out of range."""
    for paragraph in text.split("\n\n")[:_DATELINE_PARAGRAPHS]:
        alone = _DATELINE_SENTENCE.match(paragraph)  # "Tbilisi, 3 March 2021." opening the paragraph's text
        head = alone.group(1) if alone else paragraph
        filed = head[:dateline_end(head)]
        for precision, pattern in _COMPILED[:4]:  # the written day forms, not relative or weekday words
            match = pattern.search(filed)
            if precision == "day" and match and _YEAR.search(match.group(0)):
                day = _written(re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", match.group(0)), dt.date(2000, 1, 1))
                return day if day is not None and in_date_range(day) else None
    return None
