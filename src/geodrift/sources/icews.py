"""ICEWS coded event files: the Dataverse tab-separated form and the snake_case CSV form.

ICEWS names countries in full ("Russia", "Azerbaijan") and describes actors by sector lists
("Executive,Foreign Ministry,Government"); both are mapped here (to ISO3 and to a role), the
raw values kept. ICEWS publishes no per-event timestamp, so date_added is the event date: a
lower bound that backtests must treat as such (docs/schema.md).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from geodrift.codebooks import icews_sector_roles
from geodrift.errors import CorruptFileError
from geodrift.sources.base import FileFormat, ParsedFile, first_line
from geodrift.sources.delimited import (
    NO_TEXT_EVIDENCE_SQL,
    UNCODED_SQL,
    Dialect,
    missing_columns,
    parse_delimited,
    without_columns,
)

FIELDS = [
    ("event_id", "BIGINT"), ("event_date", "DATE"), ("source_name", "VARCHAR"),
    ("source_sectors", "VARCHAR"), ("source_country", "VARCHAR"), ("event_text", "VARCHAR"),
    ("cameo_code", "cameo_code"), ("intensity", "DOUBLE"), ("target_name", "VARCHAR"),
    ("target_sectors", "VARCHAR"), ("target_country", "VARCHAR"), ("story_id", "VARCHAR"),
    ("sentence_number", "VARCHAR"), ("publisher", "VARCHAR"), ("city", "VARCHAR"),
    ("district", "VARCHAR"), ("province", "VARCHAR"), ("country", "VARCHAR"),
    ("latitude", "DOUBLE"), ("longitude", "DOUBLE"),
]
CSV_EXTRA = [("year", "VARCHAR"), ("yearmonth", "VARCHAR")]
REQUIRED = ("event_id", "event_date", "cameo_code")
TAB_HEADER = "Event ID\tEvent Date\tSource Name"
CSV_HEADER = "event_id,event_date,source_name"


def _role_sql(column: str) -> str:
    cases = " ".join(
        f"WHEN contains(lower(raw.{column}), '{pattern}') THEN '{role}'" for pattern, role in icews_sector_roles()
    )
    return f"CASE {cases} END"


def _place_sql() -> str:
    """Most specific named place: city, else district, province, country."""
    return "coalesce(raw.city, raw.district, raw.province, raw.country)"


SELECT_SQL = f"""
SELECT
  'icews:' || raw.event_id AS event_id,
  'icews' AS source,
  CAST(raw.event_id AS VARCHAR) AS source_event_id,
  raw.event_date AS event_date,
  CAST(raw.event_date AS TIMESTAMP) AS date_added,
  'day' AS event_date_precision, 'day' AS date_added_precision,
  CAST(NULL AS VARCHAR) AS actor1_code, raw.source_name AS actor1_name, country_iso3(lower(raw.source_country)) AS actor1_country,
  raw.source_country AS actor1_country_raw, {_role_sql('source_sectors')} AS actor1_role,
  CAST(NULL AS VARCHAR) AS actor2_code, raw.target_name AS actor2_name, country_iso3(lower(raw.target_country)) AS actor2_country,
  raw.target_country AS actor2_country_raw, {_role_sql('target_sectors')} AS actor2_role,
  CAST(raw.cameo_code AS VARCHAR) AS event_code,
  left(CAST(raw.cameo_code AS VARCHAR), 3) AS event_base_code,
  left(CAST(raw.cameo_code AS VARCHAR), 2) AS event_root_code,
  CAST(cameo_quad(raw.cameo_code) AS TINYINT) AS quad_class,
  coalesce(raw.intensity, cameo_goldstein(raw.cameo_code)) AS goldstein,
  cameo_plover(raw.cameo_code) AS plover,
  1 AS num_mentions, 1 AS num_sources, 1 AS num_articles,
  CAST(NULL AS DOUBLE) AS avg_tone,
  CAST(NULL AS BOOLEAN) AS is_root_event,
  CAST(CASE WHEN raw.city IS NOT NULL THEN 4 WHEN raw.province IS NOT NULL THEN 2
       WHEN raw.country IS NOT NULL THEN 1 END AS TINYINT) AS action_geo_type,
  {_place_sql()} AS action_geo_name,
  country_iso3(lower(raw.country)) AS action_geo_country,
  raw.country AS action_geo_country_raw,
  raw.province AS action_geo_adm1,
  raw.latitude AS action_geo_lat,
  raw.longitude AS action_geo_lon,
  CAST(NULL AS VARCHAR) AS source_url,
  raw.publisher AS outlet,
  {UNCODED_SQL},
  'icews-story:' || raw.story_id AS evidence_article_id,
  {NO_TEXT_EVIDENCE_SQL}
FROM raw
"""


class _Icews(FileFormat):
    """Shared reading of both ICEWS layouts; subclasses give the header and dialect.

    Columns are read by their header's names, not their places: a file lacking an optional column (or ordering them
    differently) reads the rest right, with the missing one null; one lacking a required column (``REQUIRED``) is
    rejected naming it, never read as rows whose values sit under the wrong names."""

    source = "icews"
    header: ClassVar[str]
    dialect: ClassVar[Dialect]

    @classmethod
    def names(cls, head: str) -> list[str]:
        """The header's column names as FIELDS names them (the tab layout's "CAMEO Code" is ``cameo_code``)."""
        fields = next(csv.reader([head], delimiter=cls.dialect.delim, quotechar=cls.dialect.quote or '"'), [])
        return [f.strip().lower().replace(" ", "_") for f in fields]

    @classmethod
    def shown(cls, name: str) -> str:
        """A column's name as this layout's header writes it."""
        return name if cls.dialect.delim == "," else name.replace("_", " ").title().replace("Id", "ID").replace(
            "Cameo", "CAMEO")

    @classmethod
    def sniff(cls, path: Path, head: str) -> bool:
        if head.startswith(cls.header):
            return True
        known = {n for n, _ in FIELDS}
        return cls.dialect.delim in head and len(known & set(cls.names(head))) >= len(known) // 2

    @contextmanager
    def open(self, path: Path) -> Iterator[ParsedFile]:
        names = self.names(first_line(path))
        types = dict(FIELDS + CSV_EXTRA)
        layout = f"an ICEWS {'tab-separated' if self.dialect.delim == chr(9) else 'CSV'} event file"
        unknown = [n for n in names if n not in types]
        if unknown or len(set(names)) < len(names):
            what = (f"columns ICEWS does not define: {', '.join(map(self.shown, unknown[:5]))}" if unknown
                    else "a column named twice")
            raise CorruptFileError(f"{path}: the header of {layout} has {what}")
        if missing := [self.shown(n) for n in REQUIRED if n not in names]:
            raise missing_columns(path, layout, missing)
        absent = [(n, t) for n, t in FIELDS if n not in names]
        with parse_delimited(path, columns=[(n, types[n]) for n in names], dialect=self.dialect,
                             select_sql=without_columns(SELECT_SQL, absent), required=REQUIRED,
                             dates=("event_date",)) as parsed:
            try:
                yield parsed
            finally:
                parsed.close()


class IcewsTab(_Icews):
    """ICEWS Dataverse event file: tab-separated, header "Event ID<TAB>Event Date<TAB>..."."""

    name = "icews-tab"
    header = TAB_HEADER
    dialect = Dialect(delim="\t", header=True, dateformat="%Y-%m-%d", nullstr=("", "NA"))


class IcewsCsv(_Icews):
    """ICEWS events as snake_case CSV (e.g. the R icews package's data): quoted, with year columns."""

    name = "icews-csv"
    header = CSV_HEADER
    dialect = Dialect(delim=",", header=True, quote='"', dateformat="%Y-%m-%d", nullstr=("", "NA"))
