"""A lone surrogate ("\ud800", which JSON's escape puts in a str) skips its article with the field named instead of
crashing the run on the first UTF-8 write (attack finding F9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import geodrift
from geodrift.coding.articles import Article, Skipped, read_articles
from geodrift.errors import InputError

GOOD = "Russian troops shelled the Georgian village of Nikozi on Tuesday, officials in Tbilisi said."


def test_a_record_with_a_lone_surrogate_is_skipped_with_the_field_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    # json.dumps writes the surrogate as the escape "\ud800", as a hostile or broken export does.
    path.write_text("\n".join(json.dumps(r) for r in (
        {"id": "1", "published": "2020-07-14", "text": GOOD},
        {"id": "2", "published": "2020-07-14", "text": "Azerbaijan \ud800 shelled Tovuz."},
        {"id": "3", "published": "2020-07-14", "title": "Clash \udfff", "text": GOOD},
    )) + "\n")
    items = list(read_articles([path]))
    articles = [i for i in items if isinstance(i, Article)]
    skipped = {i.origin: i.reason for i in items if isinstance(i, Skipped)}
    assert [a.id.split("@")[0] for a in articles] == ["1"]
    assert "field 'text' holds a lone surrogate (U+D800 at character 11)" in skipped[f"{path} line 2"]
    assert "field 'title' holds a lone surrogate (U+DFFF" in skipped[f"{path} line 3"]


def test_code_text_refuses_a_lone_surrogate_naming_the_field() -> None:
    with pytest.raises(InputError, match="field 'text' holds a lone surrogate"):
        geodrift.code_text("Armenia \ud800 accused Azerbaijan of shelling Tavush.", published="2020-07-13")
    with pytest.raises(InputError, match="field 'url'"):
        geodrift.code_text(GOOD, published="2020-07-14", url="https://civil.ge/\udc80")
    assert [e["actor2_country"] for e in geodrift.code_text(GOOD, published="2020-07-14")] == ["GEO"]  # without it
