"""Rendering: four formats of the same content; hostile text from stored events never becomes markup or script."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from geodrift.codebooks import briefing_regions
from geodrift.errors import InputError
from geodrift.report.briefing import build_briefing
from geodrift.report.render import markdown_escape, write_document
from geodrift.store import Store


@pytest.fixture(scope="module")
def written(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("render")
    document = build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], out, days=14)
    assert any(i.startswith("curated:hostile") for i in document.cited_ids()), "the hostile events must be cited"
    return {p.suffix[1:]: p for p in write_document(document, out, "brief")}


def test_all_formats_written(written: dict[str, Path]) -> None:
    assert set(written) == {"html", "md", "pdf", "json"}
    assert written["pdf"].read_bytes().startswith(b"%PDF")


def test_json_holds_the_same_content(written: dict[str, Path]) -> None:
    data = json.loads(written["json"].read_text())
    html = written["html"].read_text()
    assert [s["heading"] for s in data["sections"]][:2] == ["Summary", "Developments"]
    for section in data["sections"]:
        assert f"<h2>{section['heading']}</h2>" in html
    assert set(data["citations"]) == {i for s in data["sections"] for p in s["paragraphs"] + s["items"]
                                      for i in p["cites"]}


def test_html_is_self_contained(written: dict[str, Path]) -> None:
    html = written["html"].read_text()
    assert "data:image/png;base64," in html
    assert "<script" not in html.replace("&lt;script", "")
    assert 'href="javascript:' not in html and 'href="data:' not in html


def test_hostile_markup_never_executes_in_chromium(written: dict[str, Path], browser) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(written["html"].as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned === undefined")
    assert not dialogs
    text = page.inner_text("body")
    assert "<script>window.__pwned = 1</script>" in text, "hostile text is shown as text, not dropped"
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    page.close()


def test_markdown_escapes_markup(written: dict[str, Path]) -> None:
    md = written["md"].read_text()
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "](javascript:" not in md
    assert markdown_escape("[a](b) <i>") == r"\[a\]\(b\) &lt;i&gt;"


def test_pdf_renders_pages(written: dict[str, Path], tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(written["pdf"]), str(tmp_path / "p")],
                   check=True)
    assert next(tmp_path.glob("p*.png")).stat().st_size > 5000


def test_unknown_format(report_store: Store, tmp_path: Path, written: dict[str, Path]) -> None:
    document = build_briefing(report_store, dt.date(2020, 7, 24), briefing_regions()["caucasus"], tmp_path)
    with pytest.raises(InputError, match="unknown report format 'docx'"):
        write_document(document, tmp_path, "x", ("docx",))
