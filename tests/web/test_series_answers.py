"""The dyad series route answers what the library's frame gives (and the events it counts apart), written by the models' JSON: the
route builds its JSON from the series' columns (``dyad_columns``, ``columns_json``) without the frame. And the
cheap store version every cached answer asks, and the OpenAPI document of both routes' parameters."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import replace
from typing import Any

import anyio
import duckdb
import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from geodrift.analytics.dyads import dyad_answer, dyad_columns, dyad_series, dyad_undated, undated_note
from geodrift.analytics.engine import DuckDBEngine
from geodrift.errors import StoreError
from geodrift.query import EventFilter
from geodrift.store import Store
from geodrift.store_connection import Writes
from geodrift.web.app import create_app
from geodrift.web.cache import ResponseCache
from geodrift.web.config import ServeSettings
from geodrift.web.deps import ServerState, reading
from geodrift.web.models import DyadSeries, columns_json, series_json

ASKED = [
    ("AZE", "ARM", {}),
    ("ARM", "AZE", {"freq": "week", "from": "2020-06-03", "to": "2020-12-19"}),
    ("AZE", "ARM", {"freq": "day", "from": "2020-09-20", "to": "2020-11-14", "directed": "true"}),
    ("AZE", "TUR", {"freq": "week", "from": "2020-01-01", "to": "2020-12-31"}),
    ("AZE", "RUS", {"freq": "quarter", "unit": "reports"}),
    ("RUS", "TUR", {"freq": "year", "from": "2019-01-01"}),
    ("ARM", "RUS", {"to": "2020-12-31"}),
]


@pytest.mark.parametrize(("a", "b", "params"), ASKED)
def test_the_route_answers_what_the_frame_writes(client: TestClient, web_store: Store, a: str, b: str,
                                                 params: dict[str, str]) -> None:
    response = client.get(f"/api/v1/dyads/{a}/{b}/series", params=params)
    assert response.status_code == 200, response.text
    freq = params.get("freq", "month")
    start, last = (dt.date.fromisoformat(params[k]) if k in params else None for k in ("from", "to"))
    end = last + dt.timedelta(days=1) if last else None  # `to` is the last day, included
    if start and not end:  # the route closes an open side at the server's limit (max_days 3660)
        end = start + dt.timedelta(days=3660)
    elif end and not start:
        start = end - dt.timedelta(days=3660)
    where = EventFilter(start=start, end=end, unit=params.get("unit", "clusters"))
    with web_store.session() as reader:
        frame = dyad_series(reader, a, b, freq=freq, directed=params.get("directed") == "true", where=where)
        undated = dyad_undated(reader, a, b, freq=freq, directed=params.get("directed") == "true", where=where)
    body, plain = json.loads(response.content), json.loads(series_json(frame, f"{a}–{b} per {freq}"))
    assert body["points"] == plain["points"]
    note = undated_note(undated, freq, "reports" if params.get("unit") == "reports" else "events")
    assert body["description"] == plain["description"] + (f"; {note}" if note else "")
    assert body["undated"] == [{"period": f"{r['period']:%Y-%m-%d}", "dated": r["dated"], "events": r["events"],
                                "weight": r["weight"], "conflict_events": r["conflict_events"]}
                               for r in undated.to_dict("records")]
    assert DyadSeries.model_validate_json(response.content).model_dump_json().encode() == response.content
    assert frame["events"].sum() > 0, "a series with events, not only empty periods"


APART = [  # weekly and daily series of 2020 count the curated reports dated only to a month apart
    ("ARM", "AZE", "week", "reports", False),
    ("AZE", "ARM", "day", "reports", True),
    ("ARM", "AZE", "week", "clusters", False),
    ("ARM,GEO", "AZE,TUR", "week", "reports", False),  # 12 ordered pairs read: each row's pair by its number
    ("NATO", "AZE,ARM", "week", "reports", False),  # more than 16: each row's pair by its countries
    ("RUS", "AZE", "month", "reports", False),
]


@pytest.mark.parametrize(("a", "b", "freq", "unit", "directed"), APART)
def test_the_events_counted_apart_from_the_series_read_are_those_of_the_reports_as_read(
        web_store: Store, a: str, b: str, freq: str, unit: str, directed: bool) -> None:
    where = EventFilter(start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1), unit=unit)
    with web_store.session() as reader:
        columns, apart = dyad_answer(reader, a, b, freq=freq, directed=directed, where=where)
        as_read = dyad_undated(DuckDBEngine(reader), a, b, freq=freq, directed=directed, where=where)
        series = dyad_columns(reader, a, b, freq=freq, directed=directed, where=where)
    assert [(row.period, row.dated, row.events, row.weight, row.conflict_events) for row in apart] == [
        (r.period.date(), r.dated, r.events, r.weight, r.conflict_events) for r in as_read.itertuples()]
    assert columns_json(columns, "t") == columns_json(series, "t")  # the series leaves them out as before
    if freq in ("week", "day") and unit == "reports":
        assert apart and {row.dated for row in apart} == {"month"}


@pytest.mark.parametrize(("unit", "expected"), [("reports", 1), ("clusters", 2)])
def test_an_uncached_series_reads_the_store_once(settings: ServeSettings, web_store: Store, unit: str, expected: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """One read of the rollups for the series and the events it counts apart, after the clustering state when it
    counts clusters (the events counted apart had a statement of their own, and a second look-up of the state: 2
    and 4 statements)."""
    statements: list[str] = []

    class Counting:
        def __init__(self, con: Any) -> None:
            self.con = con

        def execute(self, sql: str, *args: Any) -> Any:
            statements.append(sql)
            return self.con.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.con, name)

    kept = ServerState.reader

    def reader(state: ServerState) -> Store:
        session = kept(state)
        if not isinstance(session.con, Counting):
            session.con = Counting(session.con)  # type: ignore[assignment]
        return session

    monkeypatch.setattr(ServerState, "reader", reader)
    client = TestClient(create_app(replace(settings, cache_size=0), web_store))
    response = client.get("/api/v1/dyads/ARM/AZE/series", params={"freq": "week", "unit": unit,
                                                                  "from": "2020-01-01", "to": "2020-12-31"})
    assert response.status_code == 200, response.text
    assert response.json()["undated"] or unit == "clusters", "a series with events counted apart"
    assert len(statements) == expected, statements


def test_columns_write_nulls_ints_and_dates_as_the_frame_does(report_store: Store) -> None:
    columns = dyad_columns(report_store, "AZE", "ARM", freq="week", where=EventFilter(start="2020-07-01",
                                                                                      end="2020-10-01"))
    assert np.isnan(columns["goldstein_mean"]).any() and columns["events"].dtype.kind == "i"  # both kinds present
    assert columns_json(columns, "t") == series_json(pd.DataFrame(columns), "t")
    assert columns_json({"period": columns["period"][:0]}, "empty") == b'{"description":"empty","points":[]}'


def test_a_number_that_is_no_value_is_null_in_the_json_never_infinity() -> None:
    """Attack review 8 F12: a stored inf tone made the series answer ``"tone_mean":Infinity``, which strict JSON
    parsers (a browser's JSON.parse) reject, so one bad row broke the whole series for every client."""
    columns = {"period": np.array(["2012-07-01", "2012-08-01"], dtype="datetime64[D]"),
               "tone_mean": np.array([np.inf, -np.inf]), "goldstein_mean": np.array([np.nan, 1.5])}
    def refuse(constant: str) -> None:
        raise ValueError(constant)
    for body in (columns_json(columns, "t"), series_json(pd.DataFrame(columns), "t")):
        points = json.loads(body, parse_constant=refuse)["points"]
        assert [p["values"] for p in points] == [{"tone_mean": None, "goldstein_mean": None},
                                                 {"tone_mean": None, "goldstein_mean": 1.5}]


def test_the_cache_version_counts_files_and_forecasts_with_or_without_a_forecasts_table() -> None:
    reader = object.__new__(Store)  # a store from before forecasts (schema 4) has no such table
    reader.con = duckdb.connect()
    reader.writes = Writes()
    reader.con.execute("CREATE TABLE ingested_files (file_id INTEGER); INSERT INTO ingested_files VALUES (3), (7)")
    assert ResponseCache.version(reader) == (2, 7, 0, 0)
    reader.con.execute("CREATE TABLE forecasts (p DOUBLE); INSERT INTO forecasts VALUES (0.5)")
    assert ResponseCache.version(reader) == (2, 7, 1, 0)
    assert reader.con.execute("SELECT 1").fetchall() == [(1,)]  # no result left open on the session


def test_the_openapi_still_documents_every_parameter(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    series = {p["name"]: p for p in paths["/api/v1/dyads/{a}/{b}/series"]["get"]["parameters"]}
    assert list(series) == ["a", "b", "freq", "from", "to", "directed", "unit", "x-api-key"]
    assert series["freq"]["schema"]["enum"] == ["day", "week", "month", "quarter", "year"]
    assert series["from"]["description"] == "first day" and "clusters" in series["unit"]["description"]
    assert paths["/api/v1/dyads/{a}/{b}/series"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DyadSeries"}
    events = {p["name"]: p for p in paths["/api/v1/events"]["get"]["parameters"]}
    assert sorted(events) == sorted(["from", "to", "actor", "code", "quad_class", "place", "source", "limit", "cursor",
                                     "format", "sort", "x-api-key"])
    assert events["actor"]["description"] == "ISO3 of either actor" and events["limit"]["schema"]["maximum"] == 1000


def test_a_failed_read_drops_its_threads_kept_session(client: TestClient) -> None:
    server: ServerState = client.app.state.server  # type: ignore[attr-defined]
    seen: list[tuple[int, Store]] = []

    def failing(reader: Store) -> None:
        seen.append((threading.get_ident(), reader))
        reader.con.execute("SELECT * FROM range(100000)")  # a result left open on the session, then a failure
        raise StoreError("the read failed")

    def counting(reader: Store) -> int:
        seen.append((threading.get_ident(), reader))
        return int(reader.con.execute("SELECT count(*) FROM events").fetchall()[0][0])

    async def both() -> int:
        with pytest.raises(StoreError):
            await reading(server, failing)
        return await reading(server, counting)

    counted: list[int] = []  # an event loop of its own, in a thread of its own (another test's may run in this one)
    runner = threading.Thread(target=lambda: counted.append(anyio.run(both)))
    runner.start()
    runner.join()
    assert counted and counted[0] > 0  # the next read on that thread works on a fresh session
    (thread, failed), (again, fresh) = seen
    assert thread == again and fresh is not failed  # the same worker thread, a new session
