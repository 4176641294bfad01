"""The content of a briefing or an analysis as data: sections of sentences, each citing stored events.

Renderers (report/render.py) turn one Document into HTML, Markdown, PDF and JSON, so the four
formats always say the same thing, and every sentence keeps the ids of the events behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Citation:
    """A stored event a sentence rests on, with the source a reader can open."""

    event_id: str
    event_date: str
    summary: str
    outlet: str | None
    url: str | None
    published: str | None
    sentence: str | None
    added: str | None = None
    """For a dataset that dates its records by when it added them (GDELT's DATEADDED; the 1.0 backfile's lies
    months after the event), that date said as such ("Added to GDELT on 2013-02-03"), never as a publication date."""


@dataclass
class Paragraph:
    """One sentence or short paragraph of generated text and the events it cites."""

    text: str
    cites: list[str] = field(default_factory=list)
    parts: list[Paragraph] = field(default_factory=list)
    """What one item is made of, each part citing its own events (the acts of one meeting under its evidence item);
    rendered as a list under the item, whose own marks are then left to its parts."""

    def all_cites(self) -> list[str]:
        """Its own cites and its parts', in order."""
        return [*self.cites, *(e for part in self.parts for e in part.all_cites())]


@dataclass
class Table:
    """A small table of numbers shown as-is (columns and rows of display strings)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    """A chart image written beside the report (PNG), embedded in HTML/PDF."""

    title: str
    path: Path
    alt: str


@dataclass
class Section:
    """A headed part of a document."""

    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    items: list[Paragraph] = field(default_factory=list)
    """A ranked list (developments, evidence), each item a cited sentence."""


@dataclass
class Document:
    """A briefing or an analysis."""

    kind: str
    title: str
    subtitle: str
    generated: str
    sections: list[Section]
    citations: dict[str, Citation]
    parameters: dict[str, Any]

    def cited_ids(self) -> set[str]:
        """Every event id cited anywhere in the text."""
        found: set[str] = set()
        for section in self.sections:
            for paragraph in [*section.paragraphs, *section.items]:
                found.update(paragraph.all_cites())
        return found

    def to_dict(self) -> dict[str, Any]:
        """The same content as plain JSON-able data (paths relative to the report folder)."""
        data = asdict(self)
        for section in data["sections"]:
            for chart in section["charts"]:
                chart["path"] = Path(chart["path"]).name
        return data


def now_iso() -> str:
    """Generation time, UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def records(frame: pd.DataFrame) -> list[Any]:
    """Rows of an analytics frame as objects with attribute access (r.alignment), for templates and sentences."""
    return [SimpleNamespace(**{str(k): v for k, v in row.items()}) for row in frame.to_dict("records")]
