"""The API's wire format: typed request and response models, and the conversions from analytics frames."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import pydantic_core
from pydantic import BaseModel, Field


class Event(BaseModel):
    """One stored event (the canonical schema's main fields; docs/schema.md)."""

    event_id: str
    source: str
    event_date: dt.date
    event_date_precision: str | None = Field(None, description="day, month or year: a date known only to its month "
                                                                "or year is stored on the period's first day")
    date_added: dt.datetime | None = None
    actor1_name: str | None = None
    actor1_country: str | None = None
    actor1_role: str | None = None
    actor2_name: str | None = None
    actor2_country: str | None = None
    actor2_role: str | None = None
    event_code: str
    event_root_code: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    plover: str | None = None
    num_mentions: int | None = None
    num_sources: int | None = None
    modality: str | None = None
    confidence: float | None = None
    action_geo_name: str | None = None
    action_geo_country: str | None = None
    action_geo_lat: float | None = None
    action_geo_lon: float | None = None
    source_url: str | None = None
    outlet: str | None = None
    evidence_sentence: str | None = None


class EventPage(BaseModel):
    events: list[Event]
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next page; null on the last page")


class Evidence(BaseModel):
    article_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    sentence: str | None = None
    start_offset: int | None = None
    end_offset: int | None = None


class EventWithEvidence(BaseModel):
    event: Event
    evidence: list[Evidence]


class SeriesPoint(BaseModel):
    period: dt.date
    values: dict[str, float | int | None]


class Series(BaseModel):
    description: str
    points: list[SeriesPoint]


class UndatedCount(BaseModel):
    """Events a series leaves out of its periods, being dated only to a coarser one (analytics.dyads.dyad_undated)."""

    period: dt.date
    """The first day of the month (or year) they are dated to."""
    dated: str
    """month or year"""
    events: int
    weight: float
    conflict_events: int


class DyadSeries(Series):
    undated: list[UndatedCount] = []
    """Events dated too coarsely for the series' periods (a month, in a weekly series), counted apart; the
    description says so too."""


class ChangePointOut(BaseModel):
    date: dt.date
    before: float
    after: float
    shift: float
    shift_sd: float
    confidence: float
    evidence_event_ids: list[str]


class Drift(BaseModel):
    swing: str
    pole_a: str
    pole_b: str
    freq: str
    change_points: list[ChangePointOut]


class Forecast(BaseModel):
    as_of: dt.date
    task: str
    unit: str
    horizon: int
    horizon_unit: str
    k: int | None = None
    threshold: float | None = None
    model: str
    p: float | None = None
    mean: float | None = None
    lo: float | None = None
    hi: float | None = None
    skill_climatology: float | None = None
    skill_persistence: float | None = None
    backtest_forecasts: int | None = None
    backtest_data: str | None = None
    """What the model was chosen on: sources, units and origins of its backtest (None for forecasts stored before
    schema 16)."""
    vintage: str | None = None
    """The conflict data behind a conflict forecast (geodrift risk)."""
    window_end: dt.date | None = None
    """Where the forecast's window ends: its origin plus its horizon."""


class CodeRequest(BaseModel):
    text: str = Field(..., min_length=1, max_length=200_000)
    published: dt.date | None = None
    url: str | None = Field(None, max_length=2000)
    language: str | None = Field("en", max_length=16, description="the text's language (English by default); its "
                                 "sentences in another script are set apart either way; null: detect it, as "
                                 "`geodrift code` does for a text file")


class NotCoded(BaseModel):
    """What of a posted text was not coded, and why (``geodrift code`` prints the same reason)."""

    reason: str
    partial: bool = Field(description="true: only these sentences were left out, the rest was coded")
    language: str | None = Field(None, description="the language of what was left out, as detected")
    sentences: int = Field(0, description="sentences not coded")
    of: int = Field(0, description="sentences of the whole text (0 when a text in one script was skipped whole)")


class CodeResponse(BaseModel):
    events: list[Event]
    not_coded: NotCoded | None = None


class IngestRequest(BaseModel):
    paths: list[str] = Field(..., min_length=1, max_length=1000, description="files under the server's ingest folder")


class Job(BaseModel):
    job_id: str
    status: Literal["running", "done", "failed"]
    files: int
    accepted: int = 0
    accepted_by_kind: dict[str, int] = Field(default_factory=dict,
                                             description='accepted rows per kind: {"events": n, "conflict-years": m}')
    message: str | None = None


def clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows with NaN/NaT as None, for the response models."""
    return [{str(k): clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _numbers(values: np.ndarray) -> list[Any]:
    """A numeric array as Python values, NaN as None: one conversion, then the few NaNs replaced (a series has
    about 1,500 values, and cleaning them one by one cost the uncached API a millisecond)."""
    plain: list[Any] = values.tolist()
    if values.dtype.kind == "f":
        for i in np.flatnonzero(np.isnan(values)).tolist():
            plain[i] = None
    return plain


def _plain(frame: pd.DataFrame, name: str) -> list[Any]:
    """One column as Python values, NaN/NaT as None (numeric columns in one conversion, others as ``records``)."""
    column = frame[name]
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf":
        return _numbers(column.to_numpy())
    return [row[name] for row in records(frame[[name]])]


def _points(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame with a ``period`` column as Series points: its numeric values per period (booleans as 0/1 after them,
    anything else left out), read column by column."""
    period = frame["period"]
    periods = (period.to_numpy().astype("datetime64[D]").tolist() if isinstance(period.dtype, np.dtype)
               and period.dtype.kind == "M" else [pd.Timestamp(p).date() for p in period])
    names = [str(name) for name in frame.columns if name != "period"]
    columns = [_plain(frame, name) for name in names]
    if all(isinstance(frame[n].dtype, np.dtype) and frame[n].dtype.kind in "iuf" for n in names):  # numbers only
        return [{"period": p, "values": dict(zip(names, row, strict=True))}
                for p, row in zip(periods, zip(*columns, strict=True) if names else ({} for _ in periods),
                                  strict=True)]
    points = []
    for i, day in enumerate(periods):
        values = {k: c[i] for k, c in zip(names, columns, strict=True)
                  if isinstance(c[i], int | float | type(None)) and not isinstance(c[i], bool)}
        values |= {k: int(c[i]) for k, c in zip(names, columns, strict=True) if isinstance(c[i], bool)}
        points.append({"period": day, "values": values})
    return points


def columns_json(columns: dict[str, np.ndarray], description: str,
                 undated: Sequence[tuple[dt.date, str, int, float, int]] | None = None) -> bytes:
    """Numeric columns with a datetime64 ``period`` (analytics.dyads.dyad_columns) as a ``Series``' JSON: byte for
    byte ``series_json`` of their frame, without building it; with ``undated`` (the rows analytics.dyads.dyad_answer
    counts apart: period, dated, events, weight, conflict_events), a ``DyadSeries``'."""
    names = [name for name in columns if name != "period"]
    periods = columns["period"].astype("datetime64[D]").tolist()
    rows = zip(*(_numbers(columns[name]) for name in names), strict=True) if names else ((),) * len(periods)
    points = [{"period": p, "values": dict(zip(names, row, strict=True))} for p, row in zip(periods, rows, strict=True)]
    body: dict[str, Any] = {"description": description, "points": points}
    if undated is not None:
        body["undated"] = [{"period": period, "dated": dated, "events": int(events), "weight": float(weight),
                            "conflict_events": int(conflict)} for period, dated, events, weight, conflict in undated]
    return pydantic_core.to_json(body, inf_nan_mode="null")


def series_json(frame: pd.DataFrame, description: str) -> bytes:
    """A frame with a ``period`` column as a ``Series``' JSON, byte for byte what the model writes, without building
    the models: the points are already the model's types (dates, ints, floats, None), and the uncached API saves
    validating them."""
    return pydantic_core.to_json({"description": description, "points": _points(frame)}, inf_nan_mode="null")


class Cluster(BaseModel):
    """One event cluster: the reports of one real-world happening and how well corroborated it is."""

    cluster_id: str
    first_date: dt.date
    last_date: dt.date
    side_a: str | None = None
    side_b: str | None = None
    mutual: bool | None = None
    root: str | None = None
    event_code: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    modality: str | None = None
    place: str | None = None
    place_country: str | None = None
    reports: int
    datasets: list[str]
    outlets: list[str]
    outlet_countries: list[str]
    sources: int = Field(description="distinct outlets, or the dataset's own source count when larger")
    first_reported: dt.datetime | None = None
    sides_only: bool | None = Field(None, description="every outlet is from one of the two sides' countries")
    witness_country: str | None = Field(None, description="set when one side's media are the only witnesses")


class ClusterPage(BaseModel):
    clusters: list[Cluster]
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next page; null on the last page")


class ClusterWithReports(BaseModel):
    cluster: Cluster
    reports: list[Event]


class SourceDuplicates(BaseModel):
    source: str = Field(description="a source, or (all) for every source together")
    reports: int
    clustered: int = Field(description="reports assigned to a cluster")
    clusters: int
    duplicate_rate: float | None = Field(None, description="1 - clusters / clustered reports")


class SourceCoverage(BaseModel):
    source: str
    first_month: str
    last_month: str
    months: int = Field(description="months from first to last")
    months_with_events: int
    months_without_events: int
    gaps: str = Field(description="the months without events, runs as YYYY-MM..YYYY-MM")


class SourceResolution(BaseModel):
    source: str
    reports: int
    actor1_country: float | None = Field(None, description="share of reports with the first actor's country known")
    actor2_country: float | None = None
    action_geo_country: float | None = None
    coordinates: float | None = Field(None, description="share of reports with latitude and longitude")


class QuarantineReason(BaseModel):
    reason: str = Field(description="the reason's kind (text before its first colon)")
    format: str
    rows: int
    example: str | None = None


class QuarantineFormat(BaseModel):
    format: str
    files: int
    rows_read: int
    quarantined: int
    share: float | None = None


class Quality(BaseModel):
    """The store's data quality (geodrift.analytics.quality.quality_report)."""

    duplicates: list[SourceDuplicates]
    coverage: list[SourceCoverage]
    resolution: list[SourceResolution]
    quarantine_reasons: list[QuarantineReason]
    quarantine_formats: list[QuarantineFormat]
    note: str | None = Field(None, description="what `geodrift db quality` prints under its tables: curated records "
                                               "whose date precision could not be checked (store_precision), or null")
