"""A store opened read-only reads its state once (``Store.fact``: its clustering state, its date range), as the API's
read-only workers open it; its dyad series and event pages are those of the same store opened for writing, which
reads that state per call, and the series those of the reference path (the clusters collapsed by the engine)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from geodrift.analytics.dyads import dyad_answer, dyad_series, dyad_undated
from geodrift.analytics.engine import DuckDBEngine
from geodrift.analytics.listings import event_records
from geodrift.query import ALL_MODALITIES, EventFilter
from geodrift.store import Store
from geodrift.web.models import columns_json

SERIES = [  # both directions of a pair; weekly and daily series count the reports dated only to a month apart
    ("AZE", "ARM", "month", EventFilter()),
    ("ARM", "AZE", "week", EventFilter(start=dt.date(2020, 6, 1), end=dt.date(2020, 12, 20))),
    ("ARM", "AZE", "week", EventFilter(unit="reports")),
    ("AZE", "TUR", "day", EventFilter(start=dt.date(2020, 9, 1), end=dt.date(2020, 11, 30))),
    ("RUS", "ARM", "quarter", EventFilter()),
]
PAGES = [EventFilter(modalities=ALL_MODALITIES, actors=("AZE",)),
         EventFilter(start=dt.date(2020, 9, 27), modalities=ALL_MODALITIES),
         EventFilter(end=dt.date(2020, 11, 10), modalities=ALL_MODALITIES, actors=("ARM",), quad_classes=(4,))]


def _answers(store: Store) -> list[Any]:
    """Every series (columns and the events counted apart) and every page, followed to its end in both orders."""
    found: list[Any] = []
    with store.session() as reader:
        for a, b, freq, where in SERIES:
            columns, apart = dyad_answer(reader, a, b, freq=freq, where=where)
            found.append((columns_json(columns, f"{a}-{b}", apart), apart))
        for where in PAGES:
            for sort in ("oldest", "newest"):
                cursor: str | None = None
                while True:
                    rows, cursor = event_records(reader, where, 7, cursor, sort)
                    found.append(rows)
                    if cursor is None:
                        break
    return found


def test_a_store_opened_read_only_answers_as_one_opened_for_writing(report_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copy(report_db, path)
    with Store(path) as store:
        written = _answers(store)
        assert store.facts is None, "a store open for writing may change: its state is read every time"
        engine = DuckDBEngine(store)
        for a, b, freq, where in SERIES:  # the reference: the rows summed by the engine, clusters collapsed by SQL
            served = pd.DataFrame(dyad_answer(store, a, b, freq=freq, where=where)[0])
            pd.testing.assert_frame_equal(served, dyad_series(engine, a, b, freq=freq, where=where), check_exact=False,
                                          rtol=1e-12, check_dtype=False)
            assert [tuple(row) for row in dyad_answer(store, a, b, freq=freq, where=where)[1]] == [
                (pd.Timestamp(p).date(), d, n, w, c)
                for p, d, n, w, c in dyad_undated(engine, a, b, freq=freq, where=where).itertuples(index=False)]
    with Store(path, read_only=True) as frozen:
        assert _answers(frozen) == written
        assert frozen.facts is not None and set(frozen.facts) == {"clusters_state", "event_dates"}
        assert _answers(frozen) == written, "the second time from the facts read once"
    assert sum(len(rows) for rows in written if isinstance(rows, list) and rows and "event_id" in rows[0]) > 100
    assert any(apart for answer in written if isinstance(answer, tuple) for apart in [answer[1]]), \
        "a series with events counted apart (dated only to a month)"
