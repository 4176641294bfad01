"""Write a Document as self-contained HTML, Markdown, PDF and JSON: the same content in every format.

Article titles, sentences, outlets and URLs are untrusted input. HTML is rendered with Jinja2
autoescaping, a Content-Security-Policy that forbids scripts, and links only for http(s) URLs;
Markdown escapes HTML and Markdown syntax, so a renderer cannot turn a quote into markup.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlparse

import jinja2

from geodrift.errors import InputError
from geodrift.report.document import Citation, Document

FORMATS = ("html", "md", "pdf", "json")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])")
"""What only means something at the start of a line: headings, quotes, list markers."""
_HTML_LIKE = re.compile(r"<[A-Za-z/!?]|&#?\w+;")
"""What CommonMark can read as HTML (a tag, comment, declaration, autolink) or an entity; '<1%' and '>99%' cannot."""


def _no_html(text: str) -> str:
    """``text`` with its HTML characters escaped when any could form markup; left as a reader wrote it otherwise, so a
    forecast of '<1%' reads '<1%' in the file, not '&lt;1%'."""
    text = text.replace("\n", " ")
    if not _HTML_LIKE.search(text):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: object) -> bool:
    """Only web links become clickable; javascript:, data: and the like stay plain text."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://", "file://"))


def markdown_escape(text: object) -> str:
    """Escape HTML and Markdown syntax in untrusted text (only what can form markup, so the file stays readable)."""
    value = _no_html(str(text))
    value = _MD_SPECIAL.sub(r"\\\1", value).replace("](", "]\\(")
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), value)


def markdown_url(url: object) -> str:
    """A web address as a Markdown autolink holds it: CommonMark reads ``<...>`` literally (no backslash escapes, no
    entities), so characters an autolink cannot hold are percent-encoded instead of escaped."""
    return quote(str(url), safe=":/?#[]@!$&'()*+,;=%~")


def local_name(url: object) -> str:
    """How a source's address is shown in a document: a local file by its name only (the machine's path stays in
    the JSON), a web address in full."""
    text = str(url or "")
    if text.lower().startswith("file://"):
        return PurePosixPath(unquote(urlparse(text).path)).name
    return text


def markdown_table(columns: list[str], rows: list[list[object]]) -> str:
    """A GitHub-flavoured Markdown table, one line a row."""
    def cell(value: object) -> str:
        return _MD_SPECIAL.sub(r"\\\1", _no_html(str(value)))

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + " --- |" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("geodrift.report", "templates"), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["md"] = markdown_escape
    env.filters["md_url"] = markdown_url
    env.filters["local_name"] = local_name
    env.globals["markdown_table"] = markdown_table
    return env


def numbering(document: Document) -> tuple[dict[str, int], list[Citation]]:
    """Citation numbers in order of first appearance; only cited events that are in the store."""
    numbers: dict[str, int] = {}
    for section in document.sections:
        for paragraph in [*section.paragraphs, *section.items]:
            for event_id in paragraph.all_cites():
                if event_id in document.citations and event_id not in numbers:
                    numbers[event_id] = len(numbers) + 1
    return numbers, [document.citations[i] for i in numbers]


def chart_images(document: Document) -> dict[Path, str]:
    """Each chart's PNG as a data URI, so a page shows it without a file to serve (a report file, a dashboard page)."""
    return {chart.path: "data:image/png;base64," + base64.b64encode(chart.path.read_bytes()).decode("ascii")
            for section in document.sections for chart in section.charts}


def render_html(document: Document) -> str:
    """One HTML file with its charts embedded as data URIs (works offline, nothing fetched)."""
    numbers, ordered = numbering(document)
    images = chart_images(document)
    return _environment(True).get_template("document.html.j2").render(doc=document, numbers=numbers,
                                                                       ordered=ordered, images=images)


def render_markdown(document: Document) -> str:
    """Markdown with charts as PNG files beside it."""
    numbers, ordered = numbering(document)
    text = _environment(False).get_template("document.md.j2").render(doc=document, numbers=numbers, ordered=ordered)
    return re.sub(r"\n{3,}", "\n\n", text)  # one blank line between blocks, whichever template branch ran


def write_document(document: Document, out_dir: Path, stem: str, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write ``stem.{html,md,pdf,json}`` into out_dir; returns the paths written."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(f"unknown report format {bad[0]!r}; use {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    html = render_html(document)
    if "html" in formats:
        written.append(out_dir / f"{stem}.html")
        written[-1].write_text(html, encoding="utf-8")
    if "md" in formats:
        written.append(out_dir / f"{stem}.md")
        written[-1].write_text(render_markdown(document), encoding="utf-8")
    if "pdf" in formats:
        import weasyprint

        written.append(out_dir / f"{stem}.pdf")
        weasyprint.HTML(string=html, base_url=str(out_dir)).write_pdf(written[-1])
    if "json" in formats:
        written.append(out_dir / f"{stem}.json")
        written[-1].write_text(json.dumps(document.to_dict(), indent=2, default=str, ensure_ascii=False),
                               encoding="utf-8")
    return written
