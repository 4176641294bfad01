"""``code_text``/``text_article`` take the publication date as users pass it (issue 18, item 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from geodrift.coding.articles import Article, as_published
from geodrift.coding.coder import DictionaryCoder, code_text, text_article
from geodrift.errors import InputError

TEXT = "Armenian forces shelled Tovuz on Tuesday."


@pytest.mark.parametrize("published", [dt.date(2021, 3, 3), dt.datetime(2021, 3, 3, 17, 5),
                                       dt.datetime(2021, 3, 3, 17, 5, tzinfo=dt.UTC), "2021-03-03",
                                       "2021-03-03T17:05:00", "2021-03-03T17:05:00Z", " 2021-03-03 "])
def test_published_forms_agree(published: object) -> None:
    events = code_text(TEXT, published=published)  # type: ignore[arg-type]
    assert events and {e["date_added"] for e in events} == {dt.datetime(2021, 3, 3)}
    assert {str(e["event_date"]) for e in events} == {"2021-03-02"}  # "on Tuesday" read against 3 March 2021


@pytest.mark.parametrize("published", ["3 March 2021", "2021-13-01", "yesterday", 20210303, 2021.0, ["2021-03-03"]])
def test_bad_published_is_an_input_error(published: object) -> None:
    with pytest.raises(InputError, match="published"):
        code_text(TEXT, published=published)  # type: ignore[arg-type]


def test_out_of_range_published_is_refused() -> None:
    with pytest.raises(InputError, match="outside the supported range"):
        text_article(TEXT, published="9999-12-31")


def test_none_and_empty_mean_unknown() -> None:
    assert as_published(None) is None and as_published("") is None
    assert text_article(TEXT, published=None).published is None


def test_coder_reads_a_string_date_on_an_article() -> None:
    article = Article(id="a", text=TEXT, published="2021-03-03", language="en")  # type: ignore[arg-type]
    assert {e["date_added"].date() for e in DictionaryCoder().code(article)} == {dt.date(2021, 3, 3)}


@pytest.mark.parametrize(("published", "day", "precision"), [("2020-09", dt.date(2020, 9, 1), "month"),
                                                              ("2020", dt.date(2020, 1, 1), "year"),
                                                              ("2020-09-01", dt.date(2020, 9, 1), "day")])
def test_a_month_or_year_publication_is_stored_as_such(published: str, day: dt.date, precision: str) -> None:
    """A page dated only "2020-09" is stored on the 1st with date_added_precision 'month' (known by 30 September,
    units_sql.PUBLISHED); an event it dates without naming a day (or counts from it: "on Tuesday") is no finer; one
    it dates by a calendar day ("on 12 July 2020") is a day."""
    undated, relative, named = (code_text(t, published=published) for t in (
        "Armenian forces shelled Tovuz.", TEXT, "On 12 July 2020 Armenian forces shelled Tovuz."))
    assert undated and relative and named
    assert {(e["date_added"], e["date_added_precision"]) for e in [*undated, *relative, *named]} == {
        (dt.datetime.combine(day, dt.time()), precision)}
    assert {(e["event_date"], e["event_date_precision"]) for e in undated} == {(day, precision)}
    assert {e["event_date_precision"] for e in relative} == {precision}
    assert {(e["event_date"], e["event_date_precision"]) for e in named} == {(dt.date(2020, 7, 12), "day")}


@pytest.mark.parametrize("published", ["2020-13", "2020-9", "20-09", "202", "soon", "2020-00"])
def test_a_bad_month_or_year_is_one_input_error(published: str) -> None:
    with pytest.raises(InputError, match=r"published .* is not an ISO date \(YYYY-MM-DD, or YYYY-MM / YYYY"):
        code_text(TEXT, published=published)


@pytest.mark.parametrize(("published", "expected"), [
    ("2020-07", [(dt.date(2020, 7, 1), "month"), (dt.date(2020, 7, 1), "month"), (dt.date(2020, 9, 20), "day")]),
    ("2020", [(dt.date(2020, 1, 1), "year"), (dt.date(2020, 1, 1), "year"), (dt.date(2020, 9, 20), "day")]),
    ("2020-07-15", [(dt.date(2020, 7, 14), "day"), (dt.date(2020, 7, 13), "day"), (dt.date(2020, 9, 20), "day")]),
])
def test_dates_counted_from_a_month_or_year_publication_stay_in_it(published: str,
                                                                   expected: list[tuple[dt.date, str]]) -> None:
    """A page dated "2020-07" is stored on 1 July, which is no anchor: "yesterday" is in July (not 30 June) and
    "on Monday" too, each dated to the month; a year-dated page puts "September 20" in its year, not the year before
    (a reviewer found 2019-09-20); a day-dated page resolves them as before."""
    text = ("Azerbaijan accused Armenia of shelling Tartar yesterday.\n\nArmenia shelled Tartar on Monday.\n\n"
            "On September 20, Armenia shelled Ganja.")
    events = code_text(text, published=published)
    by_sentence = {}
    for event in events:
        by_sentence.setdefault(event["evidence_start"], (event["event_date"], event["event_date_precision"]))
    assert [by_sentence[k] for k in sorted(by_sentence)] == expected


def test_code_text_takes_a_coder_by_name_as_the_cli_does() -> None:
    """`code_text(text, coder="hybrid")` raised AttributeError ('str' has no 'code'); the name now picks the coder,
    and an unknown one is one InputError."""
    text = "Turkey and Azerbaijan held joint military exercises near Baku on Monday."
    hybrid = code_text(text, published="2020-07-27", coder="hybrid")
    assert hybrid and all(e["source_event_id"].endswith(("|dictionary", "|model")) for e in hybrid)
    assert hybrid == code_text(text, published="2020-07-27"), "the hybrid is the default"
    dictionary = code_text(text, published="2020-07-27", coder="dictionary")
    assert dictionary and not any(e["source_event_id"].endswith(("|dictionary", "|model")) for e in dictionary)
    with pytest.raises(InputError, match="unknown coder 'neural'"):
        code_text(text, published="2020-07-27", coder="neural")
