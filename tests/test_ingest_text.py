"""code_files: read → code → merge → store, the one pipeline behind `geodrift code`, the API and the demo."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from geodrift.errors import InputError
from geodrift.ingest_text import code_files
from geodrift.store import Store


def test_the_seed_article_is_coded_stored_once_and_prepared(shared: Path) -> None:
    seed = shared.parent / "seed"
    with Store() as store:
        first = code_files([seed], published=dt.date(2020, 7, 24), store=store,
                           prepare=lambda a: replace(a, outlet=a.outlet or "seed article"))
        assert first.articles >= 1 and first.events and first.stored is not None
        assert first.stored.status == "done" and first.stored.accepted == len(first.events)
        assert first.reports_stored == first.evidence.num_rows >= len(first.events)
        assert set(store.df("SELECT DISTINCT outlet FROM events WHERE source = 'text'").outlet) == {"seed article"}
        again = code_files([seed], published=dt.date(2020, 7, 24), store=store)
        assert again.stored is not None and again.stored.status == "skipped"
        assert store.count_events() == len(first.events)


def test_unreadable_inputs_are_reported_not_lost(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "news.txt").write_text(
        "Armenian and Azerbaijani forces clashed on Sunday near the Tovuz district of Azerbaijan, the defence "
        "ministries of both countries said. The fighting along the northern section of the border was the most "
        "serious in several years, and officials in Baku and Yerevan blamed each other for starting it.")
    coded = code_files([tmp_path], published=dt.date(2020, 7, 13))
    assert [s.reason for s in coded.skipped if "news" in s.origin] == []
    assert coded.articles == 1 and {Path(s.origin).name for s in coded.skipped} == {"empty.txt", "binary.txt"}
    assert any(e["event_code"] == "190" and str(e["event_date"]) == "2020-07-12" for e in coded.events)
    with pytest.raises(InputError, match="no such file"):
        code_files([tmp_path / "missing.txt"])
