"""The dashboard's briefing and analysis pages as a reader sees them (reader, 3 December): the report's charts, who
acted on whom in its ranking table, and the explorer's rows of one-sided acts."""

from __future__ import annotations

import base64
import re

from fastapi.testclient import TestClient

from geodrift.report.charts import QUAD_COLOURS, QUADS
from tests.web.test_unit_pages import _figure

ANALYSIS = {"country": "AZE", "pole_a": "RUS", "pole_b": "TUR", "from": "2020-06-01", "to": "2020-12-31"}


def _figures(html: str) -> list[tuple[bytes, str]]:
    """Each embedded chart's PNG bytes and its caption."""
    return [(base64.b64decode(data), caption) for data, caption in re.findall(
        r'<figure class="chart"><img src="data:image/png;base64,([^"]+)" alt="[^"]*"><figcaption>([^<]*)</figcaption>',
        html)]


def test_the_analysis_page_shows_the_reports_charts(client: TestClient) -> None:
    """The page printed "Alignment of Azerbaijan per week with a 90% interval band" nowhere and drew no chart: the
    dashboard dropped every chart of the document the HTML file shows (alignment, each dyad, UN votes)."""
    response = client.get("/analysis", params=ANALYSIS)
    assert response.status_code == 200
    figures = _figures(response.text)
    assert len(figures) >= 4, len(figures)
    assert all(png.startswith(b"\x89PNG") and len(png) > 10_000 for png, _ in figures)
    captions = " ".join(caption for _, caption in figures)
    assert "Alignment of Azerbaijan per week" in captions and "UN General Assembly" in captions, captions
    assert "img-src 'self' data:" in response.headers["content-security-policy"]


def test_the_briefing_page_shows_its_chart_and_who_acted_on_whom(client: TestClient) -> None:
    """The weekly conflict chart of the most salient pair was missing; the ranking table names a directed
    development's pair "AZE → RUS" (the helicopter Azerbaijan shot down on 9 November 2020) beside its CAMEO code."""
    html = client.get("/briefings/2020-11-10", params={"days": 2}).text
    (png, caption), = _figures(html)
    assert png.startswith(b"\x89PNG") and "material-conflict events" in caption, caption
    assert re.search(r"<tr><td>\d+</td><td>AZE → RUS</td><td>19</td><td>190</td><td>actual</td>", html), html
    assert "Azerbaijan fought Russia (" in html
    home = client.get("/").text
    assert len(_figures(home)) <= 1 and "How each development was ranked" in home


def test_a_one_sided_act_has_no_dangling_arrow(client: TestClient) -> None:
    """The explorer wrote "AZE →" for an act with no second party (Azerbaijan fighting in Nagorno-Karabakh)."""
    html = client.get("/events", params={"from": "2020-09-27", "to": "2020-11-11"}).text
    cells = re.findall(r"<tr><td><a href=\"/event/[^\"]+\">[^<]+</a></td><td>([^<]*)</td>", html)
    assert len(cells) > 20
    assert not [c for c in cells if c.strip().endswith("→") or c.strip().startswith("→")], cells
    assert any(re.fullmatch(r"[A-Z]{3}", c) for c in cells) and any(re.fullmatch(r"[A-Z]{3} → [A-Z]{3}", c)
                                                                     for c in cells), cells


def test_the_dyad_page_names_each_event_s_code(client: TestClient) -> None:
    """The dyad page's latest events named the act without its CAMEO code, which the explorer and the reports show."""
    html = client.get("/dyad/ARM/AZE").text
    rows = re.findall(r"<tr><td><a href=\"/event/[^\"]+\">[^<]+</a></td><td>[^<]*</td><td>(.*?)</td>", html)
    assert len(rows) == 50 and all(re.search(r'<span class="code">\(\d{3,4}\)</span>', r) for r in rows), rows[:3]
    assert any('<em class="modality">(announced)</em>' in r for r in rows)


def test_conflict_is_red_on_every_map_and_chart(client: TestClient) -> None:
    """The explorer's map drew material cooperation red and verbal conflict green (plotly's default order), the
    opposite of the map `geodrift map --chart` draws; the dyad chart likewise. Each quad class has one colour now."""
    wanted = {QUADS[q]: colour for q, colour in QUAD_COLOURS.items()}
    located = _figure(client.get("/events", params={"from": "2020-09-27", "to": "2020-11-11"}).text)
    drawn = {trace["name"]: trace["marker"]["color"] for trace in located["data"]}  # type: ignore[index]
    assert len(drawn) >= 3 and all(wanted[name] == colour for name, colour in drawn.items()), drawn
    dyad = _figure(client.get("/dyad/ARM/AZE").text)
    lines = {trace["name"]: trace.get("line", {}).get("color") for trace in dyad["data"]}  # type: ignore[index]
    assert lines["material conflict"] == QUAD_COLOURS[4] and lines["verbal cooperation"] == QUAD_COLOURS[1], lines
