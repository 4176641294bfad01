"""The analysis' UN-vote view quotes the analysis year (or the latest year loaded before it, saying so) and tells
the reader which side of the line each position column is on (issue 15 reader: an analysis of 2020 quoted 2019)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from geodrift.report.analysis import build_analysis
from geodrift.report.render import render_markdown
from geodrift.store import Store


def _view(store: Store, swing: str, poles: tuple[str, str], start: dt.date, end: dt.date,
          tmp_path_factory: pytest.TempPathFactory) -> str:
    text = render_markdown(build_analysis(store, swing, *poles, start, end, tmp_path_factory.mktemp("un")))
    return text.split("## The UN-vote view")[1].split("## Source balance")[0]


@pytest.fixture(scope="module")
def flagship(report_store: Store, tmp_path_factory: pytest.TempPathFactory) -> str:
    return render_markdown(build_analysis(report_store, "AZE", "RUS", "TUR", dt.date(2020, 6, 1),
                                          dt.date(2021, 1, 1), tmp_path_factory.mktemp("aze")))


def test_the_analysis_year_is_quoted_not_the_last_agreement_year(flagship: str) -> None:
    view = flagship.split("## The UN-vote view")[1].split("## Source balance")[0]
    # the published ideal points run to 2024; the roll calls loaded end in 2019
    assert "position in 2020 was -0.98, nearer Russia" in view, view
    assert "votes of 2019 (the latest loaded: the analysis runs to 2020)" in view, view
    assert "was -0.94" not in view and "| 2021 |" not in view, view  # 2021 is after the analysis' last day


def test_both_position_columns_say_which_pole_is_which(caucasus_store: Store,
                                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    """Georgia between Russia and the United States: geodrift's and the published positions differ in sign every
    year; the view says both put Russia at -1 and that Georgia sits near the midpoint, and the raw votes decide."""
    view = _view(caucasus_store, "GEO", ("RUS", "USA"), dt.date(2012, 1, 1), dt.date(2014, 1, 1), tmp_path_factory)
    assert "votes of 2013," in view and "position in 2013 was -0.17, nearer Russia" in view, view
    assert "in both position columns negative is nearer Russia, positive nearer the United States" in view, view
    assert "opposite sides of the poles' midpoint in 10 of 13 years" in view, view
    assert "in 2013 it voted with Russia more often (56% of the votes against 36%)" in view, view


def test_source_balance_states_its_coverage(flagship: str) -> None:
    """'(56 reports from outlets whose country is unknown)' of 114 stood beside 'The direction of the conclusion
    holds when any one country's outlets are left out': the claim now names the share it rests on."""
    balance = flagship.split("## Source balance")[1].split("**")[0]
    found = re.search(r"\((\d+) reports from outlets whose country is unknown\)", balance)
    total = re.search(r"The (\d+) reports behind", balance)
    assert found and total, balance
    unknown, reports = int(found.group(1)), int(total.group(1))
    known = reports - unknown
    assert f"For the {round(100 * known / reports)}% of reports whose outlet country is known ({known} of {reports})" \
        in balance, balance
    assert "could come from any side" in balance, balance
    assert "\nThe direction of the conclusion holds" not in balance, balance


def test_the_un_vote_chart_names_its_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Its legend read 'alignment published', a column name."""
    import pandas as pd

    from geodrift.report.charts import series_chart

    frame = pd.DataFrame({"period": pd.to_datetime(["2019-01-01", "2020-01-01"]), "alignment_published": [-0.9, -1.0]})
    html = series_chart(frame, "alignment_published", tmp_path / "u.html", title="t").read_text(encoding="utf-8")
    assert "position (Bailey" in html and "ideal points)" in html and "alignment published" not in html
